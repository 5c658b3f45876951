"""The pages of the timeline, a day, a milestone, an outlet and an article, as HTML and as JSON twins.

Thin: data from app.queries, rendering from app.web.render."""

from __future__ import annotations

import dataclasses
import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from app.queries import sources, timeline
from app.queries.pagedata import ArticlePage, DayPage, MilestonePage, OutletPage, TimelinePage, Window
from app.web.deps import (
    AgenciesDep,
    CompactDep,
    KindsDep,
    OutletsDep,
    PageDep,
    SessionDep,
    SpeakersDep,
    WindowDep,
    json_answer,
    parse_day,
)
from app.web.render import JSON_ERRORS, render_page
from app.web.urls import Urls, link_facets, link_pages

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


def outlet_data(session: Session, slug: str, number: int = 1, request: Request | None = None) -> OutletPage:
    page = sources.outlet(session, slug, number)
    if page is None:
        raise HTTPException(404, f"There is no outlet called '{slug}'.")
    return dataclasses.replace(page, paging=link_pages(page.paging, request)) if request else page


def article_data(session: Session, article_id: str) -> ArticlePage:
    valid = ARTICLE_ID.fullmatch(article_id) and int(article_id) <= MAX_ARTICLE_ID
    page = sources.article(session, int(article_id)) if valid else None
    if page is None:
        raise HTTPException(404, f"There is no article with id '{article_id}'.")
    return page


# -- routes ------------------------------------------------------------------------------------

json_routes = APIRouter(tags=["timeline"], responses=JSON_ERRORS)
html_routes = APIRouter(include_in_schema=False)


@json_routes.get("/.json", response_model=TimelinePage, summary="The whole timeline, one row per day")
def timeline_json(request: Request, response: Response, session: SessionDep, window: WindowDep,
                  outlets: OutletsDep, agencies: AgenciesDep) -> TimelinePage:
    return json_answer(response, session, timeline_data(request, session, window, outlets, agencies))


@json_routes.get("/days/{day:isoday}.json", response_model=DayPage, summary="One day's milestones and reports")
def day_json(request: Request, response: Response, session: SessionDep, window: WindowDep,
             day: str, outlets: OutletsDep, agencies: AgenciesDep, page: PageDep, kinds: KindsDep,
             speakers: SpeakersDep) -> DayPage:
    return json_answer(response, session, day_data(request, session, window, day, outlets, page, agencies,
                                                   kinds=kinds, speakers=speakers))


@json_routes.get("/milestones/{slug}.json", response_model=MilestonePage,
                 summary="One milestone and every outlet's words about it")
def milestone_json(response: Response, session: SessionDep, slug: str) -> MilestonePage:
    return json_answer(response, session, milestone_data(session, slug))


@json_routes.get("/outlets/{slug}.json", response_model=OutletPage,
                 summary="One outlet's articles and reports by day")
def outlet_json(request: Request, response: Response, session: SessionDep, slug: str, page: PageDep) -> OutletPage:
    return json_answer(response, session, outlet_data(session, slug, page, request))


@json_routes.get("/articles/{article_id}.json", response_model=ArticlePage,
                 summary="One article's text and its dated reports (spans index into text)")
def article_json(response: Response, session: SessionDep, article_id: str) -> ArticlePage:
    return json_answer(response, session, article_data(session, article_id))


@html_routes.get("/", name="timeline_page")
def timeline_page(request: Request, session: SessionDep, window: WindowDep, outlets: OutletsDep,
                  agencies: AgenciesDep):
    return render_page(request, "timeline", page=timeline_data(request, session, window, outlets, agencies))


@html_routes.get("/days/{day:isoday}", name="day_page")
def day_page(request: Request, session: SessionDep, window: WindowDep, day: str, outlets: OutletsDep,
             agencies: AgenciesDep, page: PageDep, kinds: KindsDep, speakers: SpeakersDep, compact: CompactDep):
    data = day_data(request, session, window, day, outlets, page, agencies, kinds=kinds, speakers=speakers,
                    compact=compact)
    return render_page(request, "day", page=data, compact=compact)


@html_routes.get("/days/{text:undotted}")
def not_a_day(text: str):
    parse_day(text)  # raises the 404 that says what a day's address looks like (2016-02-30 gets it too)


@html_routes.get("/milestones/{slug}", name="milestone_page")
def milestone_page(request: Request, session: SessionDep, slug: str):
    return render_page(request, "milestone", page=milestone_data(session, slug))


@html_routes.get("/outlets/{slug}", name="outlet_page")
def outlet_page(request: Request, session: SessionDep, slug: str, page: PageDep):
    return render_page(request, "outlet", page=outlet_data(session, slug, page, request))


@html_routes.get("/articles/{article_id}", name="article_page")
def article_page(request: Request, session: SessionDep, article_id: str):
    return render_page(request, "article", page=article_data(session, article_id))


@html_routes.get("/healthz", response_class=PlainTextResponse)
async def healthz() -> str:
    """On the event loop, not in the thread pool: a server busy building pages still answers at once."""
    return "ok"
