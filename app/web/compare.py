"""Routes that compare the outlets (/coverage, /figures, /claims, /search, each with its JSON and CSV twins),
and the milestones and reports as a calendar, a feed and a TimelineJS file.

Thin like app.web.pages: data from app.queries, formats from app.formats. Their paths never overlap the
pages' (a day is a path convertor of its own), so the order the routers are included in does not matter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.formats import (
    CalendarEvent,
    FeedEntry,
    TimelineEvent,
    atom,
    bidi_isolated,
    headline,
    icalendar,
    timelinejs,
)
from app.queries import compare, search
from app.queries.export import CSV_FIELDS
from app.queries.pagedata import ClaimsPage, CoveragePage, FiguresPage, PartyFacet, ReportItem, SearchPage
from app.web.apischema import twin_operation_id
from app.web.deps import (
    FormatDep,
    OutletsDep,
    PageDep,
    SessionDep,
    WindowDep,
)
from app.web.pages import report_rows
from app.web.render import JSON_ERRORS, VARY, Table, render
from app.web.urls import Urls, link_facets, link_pages

MAX_FEED_ENTRIES = 200  # the newest reports by date; a feed reader wants recent items, not the archive
CALENDAR_NAME = "Syria ceasefire, September 2016: milestones"

SearchQuery = Annotated[str, Query(description="words to find in the reports' quotes (all must match)")]
PartyParam = Annotated[str | None, Query(description="party slug (seeds/parties.toml)")]

routes = APIRouter(tags=["comparing outlets"], responses=JSON_ERRORS,
                   generate_unique_id_function=twin_operation_id)
feeds = APIRouter(include_in_schema=False)  # the milestones as iCalendar, the reports as Atom


# -- page data -----------------------------------------------------------------------------------


def search_data(request: Request, session: Session, q: str, outlets: list[str], number: int = 1) -> SearchPage:
    page = search.search(session, q.strip(), outlets, number)
    urls = Urls(request)
    return dataclasses.replace(
        page, facets=link_facets(page.facets, page.selected, lambda chosen: urls.search(page.q, chosen)),
        paging=link_pages(page.paging, request))


def coverage_data(request: Request, session: Session, window, outlets: list[str]) -> CoveragePage:
    page = compare.coverage(session, window, outlets)
    urls = Urls(request)
    return dataclasses.replace(page, facets=link_facets(page.facets, page.selected, urls.coverage))


def figures_data(request: Request, session: Session, outlets: list[str]) -> FiguresPage:
    page = compare.figures(session, outlets)
    urls = Urls(request)
    return dataclasses.replace(page, facets=link_facets(page.facets, page.selected, urls.figures))


def claims_data(request: Request, session: Session, accuser: str | None, accused: str | None,
                outlets: list[str]) -> ClaimsPage:
    accuser, accused = (accuser or "").strip() or None, (accused or "").strip() or None
    page = compare.claims(session, request.app.state.parties, accuser, accused, outlets)
    urls = Urls(request)

    def toggle(facets: list[PartyFacet], link) -> list[PartyFacet]:
        return [dataclasses.replace(f, toggle_url=link(None if f.selected else f.value)) for f in facets]

    return dataclasses.replace(
        page,
        accusers=toggle(page.accusers, lambda slug: urls.claims(slug, accused, page.selected)),
        accused=toggle(page.accused, lambda slug: urls.claims(accuser, slug, page.selected)),
        facets=link_facets(page.facets, page.selected, lambda chosen: urls.claims(accuser, accused, chosen)),
    )


# -- routes: each page one route, its address ending in the suffix of its format (app.web.render.render) --


@routes.get("/search{fmt:json_csv}", name="search_page", response_model=SearchPage,
            summary="Reports whose quote has every word of q")
def search_page(request: Request, response: Response, session: SessionDep, outlets: OutletsDep, page: PageDep,
                fmt: FormatDep, q: SearchQuery = ""):
    data = search_data(request, session, q, outlets, page)
    return render(request, response, session, fmt, "search", data,
                  table=lambda: Table(CSV_FIELDS, report_rows(h.report for h in data.hits), "search"))


@routes.get("/coverage{fmt:json_csv}", name="coverage_page", response_model=CoveragePage,
            summary="Who reported what, and when: outlets x milestones and outlets x days")
def coverage_page(request: Request, response: Response, session: SessionDep, window: WindowDep,
                  outlets: OutletsDep, fmt: FormatDep):
    data = coverage_data(request, session, window, outlets)
    return render(request, response, session, fmt, "coverage", data, table=lambda: coverage_table(data))


@routes.get("/figures{fmt:json_csv}", name="figures_page", response_model=FiguresPage,
            summary="Every figure, grouped by what it counts, disagreements flagged")
def figures_page(request: Request, response: Response, session: SessionDep, outlets: OutletsDep, fmt: FormatDep):
    data = figures_data(request, session, outlets)
    return render(request, response, session, fmt, "figures", data, table=lambda: figures_table(data))


@routes.get("/claims{fmt:json_csv}", name="claims_page", response_model=ClaimsPage,
            summary="Who blamed whom, with the sentence")
def claims_page(request: Request, response: Response, session: SessionDep, outlets: OutletsDep, fmt: FormatDep,
                accuser: PartyParam = None, accused: PartyParam = None):
    data = claims_data(request, session, accuser, accused, outlets)
    return render(request, response, session, fmt, "claims", data, table=lambda: claims_table(data))


@routes.get("/timeline.js.json", name="timelinejs",
            summary="The milestones and dated reports in TimelineJS 3's JSON format")
def timelinejs_json(request: Request, session: SessionDep, outlets: OutletsDep) -> JSONResponse:
    urls = Urls(request)
    events = [TimelineEvent(m.date, m.title, m.summary, "Milestones", f"milestone-{m.slug}",
                            urls.absolute(urls.milestone(m.slug))) for m in compare.milestone_details(session)]
    events += [TimelineEvent(dt.date.fromisoformat(r.date), bidi_isolated(headline(r.quote)), _report_text(r),
                             r.outlet or "Unknown outlet", f"report-{r.id}",
                             urls.absolute(urls.article(r.article_id, r.id)))
               for r in compare.dated_reports(session, outlets)]
    body = timelinejs("The September 2016 Syria ceasefire",
                      "Milestones and every dated report, as each outlet told it.", events)
    return JSONResponse(body, headers={"Vary": VARY})


def _report_text(r: ReportItem) -> str:
    """One line of plain text about a report: its quote, speaker and names isolated, so no override in them
    can reverse the outlet's name or the rest of the line."""
    said = f" (said by {bidi_isolated(r.speaker)})" if r.speaker else ""
    return f"{_host(r)}: “{bidi_isolated(r.quote)}”{said}"


def _host(r: ReportItem) -> str:
    """"The Straits Times, from AFP": the outlet, and the agency whose copy it runs when that is another. A
    publisher outside the catalogue is named by its own pages, so both names are isolated."""
    outlet = bidi_isolated(r.outlet) if r.outlet else "Unknown outlet"
    return f"{outlet}, from {bidi_isolated(r.agency)}" if r.wire and r.agency else outlet


# -- the comparing pages as CSV, the milestones as iCalendar, the reports as Atom ----------------------------

CLAIM_FIELDS = ("date", "outlet", "accuser", "accused", "speaker", "text", "quote", "source", "article_id",
                "span_start", "span_end")


def claims_table(page: ClaimsPage) -> Table:
    rows = [{**dataclasses.asdict(c), "outlet": c.outlet.name if c.outlet else None,
             "span_start": c.span[0], "span_end": c.span[1]} for c in page.claims]
    return Table(CLAIM_FIELDS, rows, "claims")


# carried_by: the hosts of one wire story giving the figure, which is then one row (its outlet the first host).
FIGURE_FIELDS = ("topic", "unit", "subject", "outlet", "value", "qualifier", "period", "text", "disagreement",
                 "date", "quote", "source", "article_id", "carried_by")


def figures_table(page: FiguresPage) -> Table:
    rows = [{**dataclasses.asdict(f), "topic": g.topic, "subject": g.subject, "disagreement": g.disagreement,
             "outlet": f.outlet.name if f.outlet else None,
             "carried_by": "; ".join(h.name if h else "Unknown outlet" for h in f.carried_by)}
            for g in page.groups for f in g.figures]
    return Table(FIGURE_FIELDS, rows, "figures")


def coverage_table(page: CoveragePage) -> Table:
    """One row per milestone, one column per outlet: how many of its reports tell of it."""
    fields = ["milestone", "date", *(o.slug for o in page.outlets)]
    rows = [{"milestone": m.milestone.slug, "date": m.milestone.date.isoformat(),
             **{c.outlet.slug: c.count for c in m.cells}} for m in page.milestones]
    return Table(fields, rows, "coverage")


@feeds.get("/milestones.ics", name="milestones_ics")
def milestones_ics(request: Request, session: SessionDep) -> Response:
    urls = Urls(request)
    host = urls.host()
    events = [CalendarEvent(f"milestone-{m.slug}@{host}", m.date, m.title,
                            m.summary + ("\n\nSources: " + " ".join(m.sources) if m.sources else ""),
                            urls.absolute(urls.milestone(m.slug)), m.kind.replace("_", " "))
              for m in compare.milestone_details(session)]
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return Response(icalendar(CALENDAR_NAME, events, stamp), media_type="text/calendar; charset=utf-8",
                    headers={"Vary": VARY, "Content-Disposition": 'inline; filename="milestones.ics"'})


@feeds.get("/feed.atom", name="reports_feed")
def reports_feed(request: Request, session: SessionDep, outlets: OutletsDep) -> Response:
    urls = Urls(request)
    reports = compare.dated_reports(session, outlets, newest_first=True)[:MAX_FEED_ENTRIES]
    entries = [
        FeedEntry(id=urls.absolute(urls.article(r.article_id, r.id)),
                  title=f"{_host(r)}, {r.date}: {bidi_isolated(headline(r.quote))}",
                  updated=dt.date.fromisoformat(r.date), link=urls.absolute(urls.day(r.date)),
                  author=r.outlet or "Unknown outlet", content=_report_text(r), category=r.kind)
        for r in reports
    ]
    self_url = urls.absolute(urls.feed(outlets))
    body = atom("Ceasefire Timeline: reports", self_url, self_url, urls.absolute(urls.timeline(outlets)), entries)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers={"Vary": VARY})
