"""Routes that compare the outlets (/coverage, /figures, /claims, /search) and the exports of every list page.

Thin like app.web.pages: data from app.queries, formats from app.formats. Their paths never overlap the
pages' (a day is a path convertor of its own), so the order the routers are included in does not matter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.formats import (
    CalendarEvent,
    FeedEntry,
    TimelineEvent,
    atom,
    bidi_isolated,
    csv_text,
    headline,
    icalendar,
    timelinejs,
)
from app.queries import compare, search
from app.queries.export import CSV_FIELDS
from app.queries.pagedata import ClaimsPage, CoveragePage, FiguresPage, PartyFacet, ReportItem, SearchPage
from app.web.deps import (
    AgenciesDep,
    KindsDep,
    OutletsDep,
    PageDep,
    SessionDep,
    SpeakersDep,
    WindowDep,
    json_answer,
)
from app.web.pages import day_data, milestone_data, outlet_data
from app.web.render import JSON_ERRORS, VARY, render_page
from app.web.urls import Urls, link_facets, link_pages

MAX_FEED_ENTRIES = 200  # the newest reports by date; a feed reader wants recent items, not the archive
CALENDAR_NAME = "Syria ceasefire, September 2016: milestones"

SearchQuery = Annotated[str, Query(description="words to find in the reports' quotes (all must match)")]
PartyParam = Annotated[str | None, Query(description="party slug (seeds/parties.toml)")]

json_routes = APIRouter(tags=["comparing outlets"], responses=JSON_ERRORS)
export_routes = APIRouter(include_in_schema=False)
html_routes = APIRouter(include_in_schema=False)


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


# -- JSON ----------------------------------------------------------------------------------------


@json_routes.get("/search.json", response_model=SearchPage, summary="Reports whose quote has every word of q")
def search_json(request: Request, response: Response, session: SessionDep, outlets: OutletsDep, page: PageDep,
                q: SearchQuery = "") -> SearchPage:
    return json_answer(response, session, search_data(request, session, q, outlets, page))


@json_routes.get("/coverage.json", response_model=CoveragePage,
                 summary="Who reported what, and when: outlets x milestones and outlets x days")
def coverage_json(request: Request, response: Response, session: SessionDep, window: WindowDep,
                  outlets: OutletsDep) -> CoveragePage:
    return json_answer(response, session, coverage_data(request, session, window, outlets))


@json_routes.get("/figures.json", response_model=FiguresPage,
                 summary="Every figure, grouped by what it counts, disagreements flagged")
def figures_json(request: Request, response: Response, session: SessionDep, outlets: OutletsDep) -> FiguresPage:
    return json_answer(response, session, figures_data(request, session, outlets))


@json_routes.get("/claims.json", response_model=ClaimsPage, summary="Who blamed whom, with the sentence")
def claims_json(request: Request, response: Response, session: SessionDep, outlets: OutletsDep,
                accuser: PartyParam = None, accused: PartyParam = None) -> ClaimsPage:
    return json_answer(response, session, claims_data(request, session, accuser, accused, outlets))


@json_routes.get("/timeline.js.json", name="timelinejs",
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


# -- exports: CSV twins of the list pages, the milestones as iCalendar, the reports as Atom -------------


def _csv(rows_csv: str, name: str) -> Response:
    return Response(rows_csv, media_type="text/csv; charset=utf-8",
                    headers={"Vary": VARY, "Content-Disposition": f'attachment; filename="{name}.csv"'})


def report_rows(reports: Iterable[ReportItem]) -> list[dict[str, Any]]:
    """ReportItems as the CLI's CSV rows: the export's fields, span split in two."""
    rows = []
    for r in reports:
        row = dataclasses.asdict(r)
        row["span_start"], row["span_end"] = r.span
        rows.append(row)
    return rows


@export_routes.get("/days/{day:isoday}.csv")
def day_csv(request: Request, session: SessionDep, window: WindowDep, day: str, outlets: OutletsDep,
            agencies: AgenciesDep, number: PageDep, kinds: KindsDep, speakers: SpeakersDep) -> Response:
    page = day_data(request, session, window, day, outlets, number, agencies, kinds=kinds, speakers=speakers)
    return _csv(csv_text(CSV_FIELDS, report_rows(page.reports)), f"day-{page.date.isoformat()}")


@export_routes.get("/milestones/{slug}.csv")
def milestone_csv(session: SessionDep, slug: str) -> Response:
    page = milestone_data(session, slug)
    return _csv(csv_text(CSV_FIELDS, report_rows(page.reports)), f"milestone-{slug}")


@export_routes.get("/outlets/{slug}.csv")
def outlet_csv(session: SessionDep, slug: str, number: PageDep) -> Response:
    page = outlet_data(session, slug, number)
    return _csv(csv_text(CSV_FIELDS, report_rows(r for d in page.days for r in d.reports)), f"outlet-{slug}")


@export_routes.get("/search.csv")
def search_csv(request: Request, session: SessionDep, outlets: OutletsDep, number: PageDep,
               q: SearchQuery = "") -> Response:
    page = search_data(request, session, q, outlets, number)
    return _csv(csv_text(CSV_FIELDS, report_rows(h.report for h in page.hits)), "search")


CLAIM_FIELDS = ("date", "outlet", "accuser", "accused", "speaker", "text", "quote", "source", "article_id",
                "span_start", "span_end")


@export_routes.get("/claims.csv")
def claims_csv(request: Request, session: SessionDep, outlets: OutletsDep, accuser: PartyParam = None,
               accused: PartyParam = None) -> Response:
    page = claims_data(request, session, accuser, accused, outlets)
    rows = [{**dataclasses.asdict(c), "outlet": c.outlet.name if c.outlet else None,
             "span_start": c.span[0], "span_end": c.span[1]} for c in page.claims]
    return _csv(csv_text(CLAIM_FIELDS, rows), "claims")


# carried_by: the hosts of one wire story giving the figure, which is then one row (its outlet the first host).
FIGURE_FIELDS = ("topic", "unit", "subject", "outlet", "value", "qualifier", "period", "text", "disagreement",
                 "date", "quote", "source", "article_id", "carried_by")


@export_routes.get("/figures.csv")
def figures_csv(request: Request, session: SessionDep, outlets: OutletsDep) -> Response:
    rows = [{**dataclasses.asdict(f), "topic": g.topic, "subject": g.subject, "disagreement": g.disagreement,
             "outlet": f.outlet.name if f.outlet else None,
             "carried_by": "; ".join(h.name if h else "Unknown outlet" for h in f.carried_by)}
            for g in figures_data(request, session, outlets).groups for f in g.figures]
    return _csv(csv_text(FIGURE_FIELDS, rows), "figures")


@export_routes.get("/coverage.csv")
def coverage_csv(request: Request, session: SessionDep, window: WindowDep, outlets: OutletsDep) -> Response:
    """One row per milestone, one column per outlet: how many of its reports tell of it."""
    page = coverage_data(request, session, window, outlets)
    fields = ["milestone", "date", *(o.slug for o in page.outlets)]
    rows = [{"milestone": m.milestone.slug, "date": m.milestone.date.isoformat(),
             **{c.outlet.slug: c.count for c in m.cells}} for m in page.milestones]
    return _csv(csv_text(fields, rows), "coverage")


@export_routes.get("/milestones.ics", name="milestones_ics")
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


@export_routes.get("/feed.atom", name="reports_feed")
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


# -- HTML ----------------------------------------------------------------------------------------


@html_routes.get("/search", name="search_page")
def search_page(request: Request, session: SessionDep, outlets: OutletsDep, page: PageDep, q: SearchQuery = ""):
    return render_page(request, "search", page=search_data(request, session, q, outlets, page))


@html_routes.get("/coverage", name="coverage_page")
def coverage_page(request: Request, session: SessionDep, window: WindowDep, outlets: OutletsDep):
    return render_page(request, "coverage", page=coverage_data(request, session, window, outlets))


@html_routes.get("/figures", name="figures_page")
def figures_page(request: Request, session: SessionDep, outlets: OutletsDep):
    return render_page(request, "figures", page=figures_data(request, session, outlets))


@html_routes.get("/claims", name="claims_page")
def claims_page(request: Request, session: SessionDep, outlets: OutletsDep, accuser: PartyParam = None,
                accused: PartyParam = None):
    return render_page(request, "claims", page=claims_data(request, session, accuser, accused, outlets))
