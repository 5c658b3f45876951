"""The pages of the timeline, a day, a milestone, an outlet and an article, as HTML and JSON (and CSV) twins.

Thin: data from app.queries, rendering from app.web.render."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from app.queries import sources, timeline
from app.queries.export import CSV_FIELDS
from app.queries.pagedata import (
    ArticlePage,
    DayPage,
    MilestonePage,
    OutletPage,
    ReportItem,
    TimelinePage,
    Window,
)
from app.web.apischema import twin_operation_id
from app.web.deps import (
    AgenciesDep,
    CompactDep,
    FormatDep,
    KindsDep,
    OutletsDep,
    PageDep,
    SessionDep,
    SpeakersDep,
    WindowDep,
    parse_day,
)
from app.web.render import JSON_ERRORS, Table, render
from app.web.urls import HTML, Urls, link_facets, link_pages

ARTICLE_ID = re.compile(r"[1-9]\d{0,9}")  # a positive id of at most 10 digits...
MAX_ARTICLE_ID = 2**31 - 1  # ...that fits the id column (a 32-bit INTEGER on PostgreSQL)


# -- page data (shared by the HTML and JSON routes) ---------------------------------------------


def timeline_data(request: Request, session: Session, window: Window, outlets: list[str],
                  agencies: list[str] | None = None) -> TimelinePage:
    page = timeline.timeline(session, window, outlets, agencies or [])
    urls, outlets, agencies = Urls(request), page.selected, page.selected_agencies
    return dataclasses.replace(
        page,
        facets=link_facets(page.facets, outlets, lambda chosen: urls.timeline(chosen, agencies)),
        agencies=link_facets(page.agencies, agencies, lambda chosen: urls.timeline(outlets, chosen)),
    )


def day_data(request: Request, session: Session, window: Window, day: str, outlets: list[str],
             number: int = 1, agencies: list[str] | None = None, *, kinds: list[str] | None = None,
             speakers: list[str] | None = None, compact: bool = False) -> DayPage:
    date = parse_day(day)
    page = timeline.day(session, window, date, outlets, number, agencies or [], kinds=kinds or [],
                        speakers=speakers or [])
    if page is None:
        raise HTTPException(404, f"There are no reports or milestones for {date.isoformat()}, "
                                 "and it lies outside the timeline.")
    urls = Urls(request)
    outlets, agencies, kinds, speakers = page.selected, page.selected_agencies, page.selected_kinds, \
        page.selected_speakers
    # Every chip keeps the other filters and the view: only its own filter changes.
    return dataclasses.replace(
        page,
        facets=link_facets(page.facets, outlets,
                           lambda chosen: urls.day(date, chosen, agencies, kinds, speakers, compact)),
        agencies=link_facets(page.agencies, agencies,
                             lambda chosen: urls.day(date, outlets, chosen, kinds, speakers, compact)),
        kinds=link_facets(page.kinds, kinds,
                          lambda chosen: urls.day(date, outlets, agencies, chosen, speakers, compact)),
        speakers=link_facets(page.speakers, speakers,
                             lambda chosen: urls.day(date, outlets, agencies, kinds, chosen, compact)),
        paging=link_pages(page.paging, request),
    )


def milestone_data(session: Session, slug: str) -> MilestonePage:
    page = sources.milestone(session, slug)
    if page is None:
        raise HTTPException(404, f"There is no milestone called '{slug}'.")
    return page


def outlet_data(request: Request, session: Session, slug: str, number: int = 1) -> OutletPage:
    page = sources.outlet(session, slug, number)
    if page is None:
        raise HTTPException(404, f"There is no outlet called '{slug}'.")
    return dataclasses.replace(page, paging=link_pages(page.paging, request))


def article_data(session: Session, article_id: str) -> ArticlePage:
    valid = ARTICLE_ID.fullmatch(article_id) and int(article_id) <= MAX_ARTICLE_ID
    page = sources.article(session, int(article_id)) if valid else None
    if page is None:
        raise HTTPException(404, f"There is no article with id '{article_id}'.")
    return page


def report_rows(reports: Iterable[ReportItem]) -> list[dict[str, Any]]:
    """ReportItems as the CLI's CSV rows: the export's fields, span split in two."""
    rows = []
    for r in reports:
        row = dataclasses.asdict(r)
        row["span_start"], row["span_end"] = r.span
        rows.append(row)
    return rows


# -- routes: each page one route, its address ending in the suffix of its format (app.web.render.render) --

routes = APIRouter(tags=["timeline"], responses=JSON_ERRORS, generate_unique_id_function=twin_operation_id)


@routes.get("/{fmt:json}", name="timeline_page", response_model=TimelinePage,
            summary="The whole timeline, one row per day")
def timeline_page(request: Request, response: Response, session: SessionDep, window: WindowDep,
                  outlets: OutletsDep, agencies: AgenciesDep, fmt: FormatDep):
    data = timeline_data(request, session, window, outlets, agencies)
    return render(request, response, session, fmt, "timeline", data)


@routes.get("/days/{day:isoday}{fmt:json_csv}", name="day_page", response_model=DayPage,
            summary="One day's milestones and reports")
def day_page(request: Request, response: Response, session: SessionDep, window: WindowDep, day: str,
             outlets: OutletsDep, agencies: AgenciesDep, page: PageDep, kinds: KindsDep, speakers: SpeakersDep,
             compact: CompactDep, fmt: FormatDep):
    compact = compact and fmt == HTML  # the view is the HTML page's; the twins' links never carry it
    data = day_data(request, session, window, day, outlets, page, agencies, kinds=kinds, speakers=speakers,
                    compact=compact)
    return render(request, response, session, fmt, "day", data, compact=compact,
                  table=lambda: Table(CSV_FIELDS, report_rows(data.reports), f"day-{data.date.isoformat()}"))


@routes.get("/days/{text:undotted}", include_in_schema=False)
def not_a_day(text: str):
    parse_day(text)  # raises the 404 that says what a day's address looks like (2016-02-30 gets it too)


@routes.get("/milestones/{slug:stem}{fmt:json_csv}", name="milestone_page", response_model=MilestonePage,
            summary="One milestone and every outlet's words about it")
def milestone_page(request: Request, response: Response, session: SessionDep, slug: str, fmt: FormatDep):
    data = milestone_data(session, slug)
    return render(request, response, session, fmt, "milestone", data,
                  table=lambda: Table(CSV_FIELDS, report_rows(data.reports), f"milestone-{slug}"))


@routes.get("/outlets/{slug:stem}{fmt:json_csv}", name="outlet_page", response_model=OutletPage,
            summary="One outlet's articles and reports by day")
def outlet_page(request: Request, response: Response, session: SessionDep, slug: str, page: PageDep,
                fmt: FormatDep):
    data = outlet_data(request, session, slug, page)
    reports = (r for d in data.days for r in d.reports)
    return render(request, response, session, fmt, "outlet", data,
                  table=lambda: Table(CSV_FIELDS, report_rows(reports), f"outlet-{slug}"))


@routes.get("/articles/{article_id:stem}{fmt:json}", name="article_page", response_model=ArticlePage,
            summary="One article's text and its dated reports (spans index into text)")
def article_page(request: Request, response: Response, session: SessionDep, article_id: str, fmt: FormatDep):
    return render(request, response, session, fmt, "article", article_data(session, article_id))


@routes.get("/healthz", response_class=PlainTextResponse, include_in_schema=False)
async def healthz() -> str:
    """On the event loop, not in the thread pool: a server busy building pages still answers at once."""
    return "ok"
