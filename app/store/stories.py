"""Wire stories kept by the loader: each article running an agency's copy belongs to one story of that agency.

An article joins the story of a stored copy of the same agency, published within STORY_DAYS of it, whose text
shares most word runs with its own (app.extract.wirecopy); else it starts a story of its own. This is decided in
the article's own transaction, against the fingerprints stored with the copies (never their texts), so a page
reads a story as a plain column. A story goes in the transaction that deletes its last article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, exists, insert, or_, select, update

from app.extract.wirecopy import fingerprint, runs_of, shared
from app.extract.wirecopy import same_story as runs_match
from app.store.models import Article, Story

# Hosts print an agency's story within a day or two of it; a story from further apart is another story, however
# alike (the agency's daily roundup repeats its own lines), and the window keeps the comparison to a few rows.
STORY_DAYS = 3


@dataclass(frozen=True)
class Copy:
    """An article running an agency's copy, as the grouping sees it."""

    agency_id: int
    published: dt.date | None
    runs: frozenset[int]


@dataclass(frozen=True)
class StoredCopy:
    story_id: int
    copy: Copy


def near(a: Copy, b: Copy) -> bool:
    """Could be one story: the same agency, both published within STORY_DAYS (or both undated)."""
    if a.agency_id != b.agency_id:
        return False
    if a.published is None or b.published is None:
        return a.published is None and b.published is None
    return abs((a.published - b.published).days) <= STORY_DAYS


def story_of(copy: Copy, stored: Iterable[StoredCopy]) -> int | None:
    """The story whose copy this text shares the most runs with (enough to be one story), the older on a tie."""
    matches = [(shared(copy.runs, s.copy.runs), -s.story_id) for s in stored
               if near(copy, s.copy) and runs_match(copy.runs, s.copy.runs)]
    return -max(matches)[1] if matches else None


def assign_stories(connection: Connection, copies: Sequence[Copy]) -> list[int]:
    """The story of each copy, in order, new stories inserted; a copy earlier in the list counts as stored."""
    by_agency: dict[int, list[StoredCopy]] = {}
    for stored in _stored_near(connection, copies):
        by_agency.setdefault(stored.copy.agency_id, []).append(stored)
    stories = []
    for copy in copies:
        same_agency = by_agency.setdefault(copy.agency_id, [])
        story = story_of(copy, same_agency)
        if story is None:
            story = connection.execute(insert(Story).values(agency_id=copy.agency_id).returning(Story.id)).scalar_one()
        same_agency.append(StoredCopy(story, copy))
        stories.append(story)
    return stories


def _stored_near(connection: Connection, copies: Sequence[Copy]) -> list[StoredCopy]:
    """The stored copies any of these could join: of their agencies, in the window of their dates."""
    if not copies:
        return []
    dated = [c.published for c in copies if c.published is not None]
    when = []
    if dated:
        when.append(Article.published.between(min(dated) - dt.timedelta(days=STORY_DAYS),
                                              max(dated) + dt.timedelta(days=STORY_DAYS)))
    if len(dated) < len(copies):
        when.append(Article.published.is_(None))
    rows = connection.execute(
        select(Article.story_id, Article.agency_id, Article.published, Article.fingerprint)
        .where(Article.agency_id.in_({c.agency_id for c in copies}), Article.story_id.is_not(None),
               Article.fingerprint.is_not(None), or_(*when))
        .order_by(Article.story_id)
    )
    return [StoredCopy(story, Copy(agency, published, runs_of(packed))) for story, agency, published, packed in rows]


def copy_of(agency_id: int, published: dt.date | None, text: str) -> tuple[Copy, str]:
    """The copy an article running the agency's copy is, with the fingerprint to store for it."""
    packed = fingerprint(text)
    return Copy(agency_id, published, runs_of(packed)), packed


def stories_of(connection: Connection, article_ids: Sequence[int]) -> set[int]:
    """The stories these articles belong to (read before deleting them)."""
    if not article_ids:
        return set()
    return set(connection.scalars(select(Article.story_id).where(
        Article.id.in_(article_ids), Article.story_id.is_not(None)).distinct()))


def drop_emptied(connection: Connection, story_ids: Iterable[int]) -> None:
    """The stories among these that no article belongs to any more go."""
    ids = list(story_ids)
    if ids:
        connection.execute(delete(Story).where(
            Story.id.in_(ids), ~exists(select(Article.id).where(Article.story_id == Story.id))))


def rebuild_stories(connection: Connection) -> None:
    """Every story afresh from the stored articles, in the order they were loaded: after rows are written around
    the loader (a bulk insert, a migration)."""
    connection.execute(update(Article).values(story_id=None, fingerprint=None))
    connection.execute(delete(Story))
    rows = connection.execute(select(Article.id, Article.agency_id, Article.published, Article.text)
                              .where(Article.agency_id.is_not(None)).order_by(Article.id)).all()
    if not rows:
        return
    found = [(article_id, *copy_of(agency, published, text)) for article_id, agency, published, text in rows]
    stories = assign_stories(connection, [copy for _, copy, _ in found])
    connection.execute(
        update(Article).where(Article.id == bindparam("article_id"))
        .values(story_id=bindparam("story"), fingerprint=bindparam("packed"))
        .execution_options(synchronize_session=False),
        [{"article_id": article_id, "story": story, "packed": packed}
         for (article_id, _, packed), story in zip(found, stories, strict=True)],
    )
