"""Wire stories as the pages count them: one agency's story printed by several hosts is one account, told once.

The loader stores each copy's story (app.store.stories); here a page's (host, story) pairs become how many
outlets told something, a story carried by several hosts counted once and the unknown outlet never counted as
an outlet, and the stories that several hosts carried, each with its hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from app.queries.pagedata import OutletRef, WireStory
from app.store.models import Article, Outlet, Report, Story


@dataclass(frozen=True)
class Telling:
    """One article's part in a count: its host (None: unknown) and the wire story it is a copy of, if any."""

    host: OutletRef | None
    story: int | None = None
    agency: OutletRef | None = None  # the story's agency


def carried_stories(tellings: Iterable[Telling]) -> list[WireStory]:
    """The stories more than one host carried, each once with its hosts (None: unknown), in the order first met."""
    hosts: dict[int, list[OutletRef | None]] = {}
    agencies: dict[int, OutletRef] = {}
    for t in tellings:
        if t.story is not None and t.agency is not None:
            hosts.setdefault(t.story, [])
            if t.host not in hosts[t.story]:
                hosts[t.story].append(t.host)
            agencies[t.story] = t.agency
    return [WireStory(agencies[s], sorted(h, key=_host_order), [], story=s) for s, h in hosts.items() if len(h) > 1]


def _host_order(host: OutletRef | None) -> tuple[bool, str]:
    return (host is None, host.name.lower() if host else "")


def outlets_told(tellings: Iterable[Telling]) -> int:
    """How many outlets told it: a story several hosts carried counts once, as one account; any other article
    counts its host, and the unknown outlet is no outlet."""
    tellings = list(tellings)
    carried = {s.story for s in carried_stories(tellings)}
    named = {t.host.slug for t in tellings if t.host is not None and t.story not in carried}
    return len(carried) + len(named)


def day_tellings(session: Session, *conditions: ColumnElement[bool]) -> tuple[list[Telling], dict[int, int]]:
    """The articles with a report matching the conditions, as tellings, and each one's story by article id."""
    host, agency = aliased(Outlet), aliased(Outlet)
    # From the reports (their date index), each article once: the conditions may name Report and Article.
    rows = session.execute(
        select(Article.source, Article.id, host.slug, host.name, Article.story_id, agency.slug, agency.name)
        .select_from(Report).join(Article, Report.article_id == Article.id)
        .outerjoin(host, Article.outlet_id == host.id)
        .outerjoin(Story, Article.story_id == Story.id).outerjoin(agency, Story.agency_id == agency.id)
        .where(*conditions).distinct().order_by(Article.source)
    )
    tellings, stories = [], {}
    for _, article_id, host_slug, host_name, story, agency_slug, agency_name in rows:
        tellings.append(Telling(OutletRef(host_slug, host_name) if host_slug else None, story,
                                OutletRef(agency_slug, agency_name) if agency_slug else None))
        if story is not None:
            stories[article_id] = story
    return tellings, stories


def with_articles(stories: Sequence[WireStory], article_stories: dict[int, int]) -> list[WireStory]:
    """The stories with the ids of their articles among those counted."""
    return [WireStory(s.agency, s.hosts, [a for a, story in article_stories.items() if story == s.story],
                      story=s.story) for s in stories]
