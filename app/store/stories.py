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

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, or_, select, update

from app.extract.wirecopy import MIN_SHARED, fingerprint, runs_of, shared
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
    """The story whose copy this text shares the most runs with (enough to be one story), the first met on a tie."""
    best, best_share = None, 0.0
    for other in stored:
        if near(copy, other.copy):
            share = shared(copy.runs, other.copy.runs)
            if share >= MIN_SHARED and share > best_share:
                best, best_share = other.story_id, share
    return best


def assign_stories(connection: Connection, copies: Sequence[Copy]) -> list[int]:
    """The story of each copy, in order, new stories inserted; a copy earlier in the list counts as stored."""
    _hold_agencies(connection, {copy.agency_id for copy in copies})
    by_agency: dict[int, list[StoredCopy]] = {}
    for stored in _stored_near(connection, copies):
        by_agency.setdefault(stored.copy.agency_id, []).append(stored)
    # A story this call starts has a stand-in number (-1, -2, ...) until all of them are inserted in one statement.
    stories, new = [], []
    for copy in copies:
        same_agency = by_agency.setdefault(copy.agency_id, [])
        story = story_of(copy, same_agency)
        if story is None:
            new.append(copy.agency_id)
            story = -len(new)
        same_agency.append(StoredCopy(story, copy))
        stories.append(story)
    if not new:
        return stories
    ids = connection.execute(insert(Story).returning(Story.id, sort_by_parameter_order=True),
                             [{"agency_id": agency} for agency in new]).scalars().all()
    return [ids[-story - 1] if story < 0 else story for story in stories]


# Two loaders at once would each find no stored copy of a story the other is writing, and both start it. SQLite's
# writers hold the whole database's lock (BEGIN IMMEDIATE); on PostgreSQL, story assignment holds a lock per agency
# to the end of its transaction, so the second loader waits, then sees the first one's copies. The keys: this
# class in the high 32 bits, the agency's id in the low.
STORY_LOCK_CLASS = 0x53544F52  # "STOR"


def story_lock_key(agency_id: int) -> int:
    return (STORY_LOCK_CLASS << 32) | agency_id


def _hold_agencies(connection: Connection, agency_ids: Iterable[int]) -> None:
    if connection.dialect.name != "postgresql":
        return
    for agency in sorted(agency_ids):  # one order for every loader, so two never wait on each other
        connection.execute(select(func.pg_advisory_xact_lock(story_lock_key(agency))))


def _stored_near(connection: Connection, copies: Sequence[Copy]) -> list[StoredCopy]:
    """The stored copies any of these could join: of its agency, within STORY_DAYS of its date (undated: undated)."""
    if not copies:
        return []
    days = dt.timedelta(days=STORY_DAYS)
    # Each copy's own window, not one from the batch's first date to its last: a big load's batch spans weeks.
    windows = {(c.agency_id, c.published) for c in copies}
    near_one = [and_(Article.agency_id == agency, Article.published.is_(None) if published is None
                     else Article.published.between(published - days, published + days))
                for agency, published in windows]
    rows = connection.execute(
        select(Article.story_id, Article.agency_id, Article.published, Article.fingerprint)
        .where(Article.story_id.is_not(None), Article.fingerprint.is_not(None), or_(*near_one))
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
