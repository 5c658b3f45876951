"""Wire stories as the pages count them: one agency's story printed by several hosts is one account, told once.

The loader stores each copy's story (app.store.stories); here a page's (host, story) pairs become how many
outlets told something, a story carried by several hosts counted once and the unknown outlet never counted as
an outlet, and the stories that several hosts carried, each with its hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.queries.pagedata import OutletRef, WireStory
from app.store.models import Article, Outlet, Report


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


def outlet_refs(session: Session, ids: Iterable[int | None]) -> dict[int, OutletRef]:
    """The outlets with these ids, by id: so a grouped count carries ids alone and names them at the end."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Outlet.id, Outlet.slug, Outlet.name).where(Outlet.id.in_(wanted)))
    return {id_: OutletRef(slug, name) for id_, slug, name in rows}


TellingIds = tuple[int | None, int | None, int | None]  # (host id, story id, agency id), as a grouped count has them


def tellings_of(session: Session, rows: Iterable[TellingIds]) -> list[Telling]:
    """The rows as tellings, the outlets named (one query)."""
    rows = list(rows)
    return named_tellings(rows, outlet_refs(session, [id_ for host, _, agency in rows for id_ in (host, agency)]))


def named_tellings(rows: Iterable[TellingIds], refs: dict[int, OutletRef]) -> list[Telling]:
    """The rows as tellings, named from refs. A copy's story is of the agency whose copy the article runs, so the
    article's agency is its story's."""
    return [Telling(refs.get(host) if host is not None else None, story,
                    refs.get(agency) if story is not None and agency is not None else None)
            for host, story, agency in rows]


def day_tellings(session: Session, params: Mapping[str, Any], *conditions: ColumnElement[bool]
                 ) -> tuple[list[Telling], list[WireStory]]:
    """The (host, story) pairs of the reports matching the conditions (their bound values in params), as
    tellings, and the stories several hosts carried among them, with the ids of their articles that have such a
    report."""
    # From the reports (their date index), ids only and each pair once: the conditions may name Report and Article.
    pairs = session.execute(
        select(Article.outlet_id, Article.story_id, Article.agency_id)
        .select_from(Report).join(Article, Report.article_id == Article.id).where(*conditions).distinct(), params
    ).all()
    tellings = tellings_of(session, pairs)
    carried = carried_stories(tellings)
    if not carried:
        return tellings, []
    # The conditions in the EXISTS name the outer article: a report of this article that matches them.
    articles = session.execute(
        select(Article.id, Article.story_id).where(
            Article.story_id.in_([s.story for s in carried]),
            exists(select(Report.id).where(Report.article_id == Article.id, *conditions)))
        .order_by(Article.source), params
    ).all()
    return tellings, [WireStory(s.agency, s.hosts, [a for a, story in articles if story == s.story], story=s.story)
                      for s in carried]
