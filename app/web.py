"""The dashboard: create_app() and thin routes; data comes from app.queries, rendering from app.render."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from app import compare, countcache, queries
from app.catalog import load_catalog
from app.config import Settings, get_settings, usable_cores
from app.db import make_engine
from app.methods import ALLOWED_METHODS, HeadAsGet
from app.pagecache import VERSION_STATE, DataVersion, PageCache
from app.pagedata import ArticlePage, DayPage, MilestonePage, OutletPage, TimelinePage, Window
from app.render import JSON_ERRORS, VARY, make_templates, render_error, render_page
from app.security import SecurityHeaders, SingleHost, security_headers
from app.slots import SPARE_THREADS, PageSlots
from app.urls import Urls, link_facets, link_pages

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # /days/2016-09-17: only this form, not every ISO 8601 variant
ARTICLE_ID = re.compile(r"[1-9]\d{0,9}")  # a positive id of at most 10 digits...
MAX_ARTICLE_ID = 2**31 - 1  # ...that fits the id column (a 32-bit INTEGER on PostgreSQL)
MAX_PAGE = 100_000  # ?page= beyond this is no list of ours
MAX_OUTLET_FILTERS = 50  # more ?outlet= values than any catalogue has outlets is a malformed link
# Without a catalogue the frame is simply every dated report and milestone.
OPEN_WINDOW = Window(dt.date.min, dt.date.max)
MISSING = object()  # no data version read for this request (the page cache is off)


# -- dependencies (tests override these through app.dependency_overrides) -------------------------


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request, closed as soon as the route returns (SessionDep's scope="function").

    Opened and closed on the event loop, not in a worker thread: a request that holds a pooled connection
    never waits for one of the few page threads (Settings.page_threads) to give it back, so threads waiting
    for a connection and connections waiting for a thread cannot block each other. The data version the page
    cache read for this request is handed to the count memo, so the page's thread does not read it again."""
    with Session(request.app.state.engine) as session:
        version = getattr(request.state, VERSION_STATE, MISSING)
        if version is not MISSING:  # read by the page cache for this request
            countcache.use_version(session, version)
        yield session


def get_window(request: Request) -> Window:
    return request.app.state.window


def selected_outlets(
    outlet: Annotated[list[str] | None, Query(description="outlet slug; repeat to choose several")] = None,
) -> list[str]:
    """The outlet filter from the query string, blanks dropped (an empty form field means no filter)."""
    chosen = [slug.strip() for slug in outlet or [] if slug.strip()]
    if len(chosen) > MAX_OUTLET_FILTERS:
        raise HTTPException(400, f"too many outlet filters ({len(chosen)}; at most {MAX_OUTLET_FILTERS})")
    return chosen


def selected_agencies(
    agency: Annotated[list[str] | None, Query(description="wire agency slug: articles running its copy; repeatable")]
    = None,
) -> list[str]:
    """The agency filter from the query string, blanks dropped."""
    chosen = [slug.strip() for slug in agency or [] if slug.strip()]
    if len(chosen) > MAX_OUTLET_FILTERS:
        raise HTTPException(400, f"too many agency filters ({len(chosen)}; at most {MAX_OUTLET_FILTERS})")
    return chosen


def page_number(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page of a long list, from 1")] = 1,
) -> int:
    return page


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
PageDep = Annotated[int, Depends(page_number)]
WindowDep = Annotated[Window, Depends(get_window)]
OutletsDep = Annotated[list[str], Depends(selected_outlets)]
AgenciesDep = Annotated[list[str], Depends(selected_agencies)]


# -- page data (shared by the HTML and JSON routes) ---------------------------------------------


def timeline_data(request: Request, session: Session, window: Window, outlets: list[str],
                  agencies: list[str] | None = None) -> TimelinePage:
    page = queries.timeline(session, window, outlets, agencies or [])
    urls, outlets, agencies = Urls(request), page.selected, page.selected_agencies
    return dataclasses.replace(
        page,
        facets=link_facets(page.facets, outlets, lambda chosen: urls.timeline(chosen, agencies)),
        agencies=link_facets(page.agencies, agencies, lambda chosen: urls.timeline(outlets, chosen)),
    )


def day_data(request: Request, session: Session, window: Window, day: str, outlets: list[str],
             number: int = 1, agencies: list[str] | None = None) -> DayPage:
    date = parse_day(day)
    page = queries.day(session, window, date, outlets, number, agencies or [])
    if page is None:
        raise HTTPException(404, f"There are no reports or milestones for {date.isoformat()}, "
                                 "and it lies outside the timeline.")
    urls, outlets, agencies = Urls(request), page.selected, page.selected_agencies
    return dataclasses.replace(
        page,
        facets=link_facets(page.facets, outlets, lambda chosen: urls.day(date, chosen, agencies)),
        agencies=link_facets(page.agencies, agencies, lambda chosen: urls.day(date, outlets, chosen)),
        paging=link_pages(page.paging, request),
    )


def parse_day(text: str) -> dt.date:
    if ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise HTTPException(404, f"'{text}' is not a date: day pages are named like /days/2016-09-17.")


def milestone_data(session: Session, slug: str) -> MilestonePage:
    page = compare.milestone(session, slug)  # queries.milestone plus figures and speakers
    if page is None:
        raise HTTPException(404, f"There is no milestone called '{slug}'.")
    return page


def outlet_data(session: Session, slug: str, number: int = 1, request: Request | None = None) -> OutletPage:
    page = compare.outlet(session, slug, number)  # queries.outlet plus figures and blind spots
    if page is None:
        raise HTTPException(404, f"There is no outlet called '{slug}'.")
    return dataclasses.replace(page, paging=link_pages(page.paging, request)) if request else page


def article_data(session: Session, article_id: str) -> ArticlePage:
    valid = ARTICLE_ID.fullmatch(article_id) and int(article_id) <= MAX_ARTICLE_ID
    page = queries.article(session, int(article_id)) if valid else None
    if page is None:
        raise HTTPException(404, f"There is no article with id '{article_id}'.")
    return page


# -- routes: JSON twins first, so /days/X.json never reaches the HTML route as day "X.json" -------

json_routes = APIRouter(tags=["timeline"], responses=JSON_ERRORS)
html_routes = APIRouter(include_in_schema=False)


@json_routes.get("/.json", response_model=TimelinePage, summary="The whole timeline, one row per day")
def timeline_json(request: Request, response: Response, session: SessionDep, window: WindowDep,
                  outlets: OutletsDep, agencies: AgenciesDep) -> TimelinePage:
    return json_answer(response, session, timeline_data(request, session, window, outlets, agencies))


@json_routes.get("/days/{day}.json", response_model=DayPage, summary="One day's milestones and reports")
def day_json(request: Request, response: Response, session: SessionDep, window: WindowDep,
             day: str, outlets: OutletsDep, agencies: AgenciesDep, page: PageDep) -> DayPage:
    return json_answer(response, session, day_data(request, session, window, day, outlets, page, agencies))


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


def json_answer(response: Response, session: Session, data):
    """A JSON route's data, with Vary set and the session closed before FastAPI serializes the data.

    The data is plain values, evaluated already. Serializing a sync route's answer takes one of the few page
    threads, and a request must never wait for a thread while it holds a pooled connection: with the pool
    spent, the threads' own requests would wait for a connection forever."""
    session.close()
    response.headers["Vary"] = VARY
    return data


@html_routes.get("/", name="timeline_page")
def timeline_page(request: Request, session: SessionDep, window: WindowDep, outlets: OutletsDep,
                  agencies: AgenciesDep):
    return render_page(request, "timeline", page=timeline_data(request, session, window, outlets, agencies))


@html_routes.get("/days/{day}", name="day_page")
def day_page(request: Request, session: SessionDep, window: WindowDep, day: str, outlets: OutletsDep,
             agencies: AgenciesDep, page: PageDep):
    return render_page(request, "day", page=day_data(request, session, window, day, outlets, page, agencies))


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


# -- errors: never a bare 500 for a bad link -------------------------------------------------------


def _http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else (
        f"There is no page at {request.url.path}.")
    response = render_error(request, exc.status_code, str(message))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        # Every route and the static files answer GET, and HEAD through HeadAsGet; the router's own Allow
        # would leave HEAD out, and StaticFiles gives none.
        response.headers["Allow"] = ALLOWED_METHODS
    return response


def _unknown_outlet(request: Request, exc: queries.UnknownOutlet) -> Response:
    return render_error(request, 404, f"There is no outlet called '{exc.slug}' to filter by.",
                        hint="Known outlets: " + ", ".join(exc.known))


def _unknown_agency(request: Request, exc: queries.UnknownAgency) -> Response:
    return render_error(request, 404, f"There is no wire agency called '{exc.slug}' to filter by.",
                        hint="Known agencies: " + ", ".join(exc.known))


def _unreadable_value(request: Request, exc: DataError) -> Response:
    """A value the database refuses to compare (a NUL byte on PostgreSQL): it names nothing there."""
    return render_error(request, 404, "There is nothing at this address: it holds a character or number "
                                      "the database cannot look up.")


def _bad_request(request: Request, exc: RequestValidationError) -> Response:
    return render_error(request, 400, "The address has a malformed parameter.")


def _server_error(request: Request, exc: Exception) -> Response:
    """The last resort: a page that says so. Starlette calls it outside the middleware, so it adds the headers."""
    if isinstance(exc, OperationalError):
        response = render_error(request, 503, "The timeline's database cannot be read right now; try again soon.")
    else:
        response = render_error(request, 500, "Something went wrong on our side while building this page.")
    response.headers.update(security_headers(request.app.state.htmx_url))
    return response


# -- the app -------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> FastAPI:
    """The dashboard over settings.database_url, opened read-only."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The limiter belongs to the running event loop, so it is set here, not at import. The pages are held
        # to page_threads by PageSlots; the spare threads serve static files and error pages meanwhile.
        anyio.to_thread.current_default_thread_limiter().total_tokens = page_threads(settings) + SPARE_THREADS
        yield
        app.state.data_version.close()
        app.state.engine.dispose()

    # Swagger UI loads its assets from a CDN, which the CSP forbids: /openapi.json documents the API.
    app = FastAPI(title="Ceasefire Timeline", lifespan=lifespan, docs_url=None, redoc_url=None,
                  summary="The September 2016 Syria ceasefire, day by day, as each outlet told it.")
    app.state.engine = make_engine(settings.database_url, read_only=True)
    app.state.window = catalogue_window(settings)
    app.state.templates = make_templates(settings.templates_dir, settings.htmx_url)
    app.state.htmx_url = settings.htmx_url
    app.state.public_url = settings.public_url
    app.state.data_version = DataVersion(app.state.engine)
    # Imported here: its routes use this module's dependencies. Its exports (/days/X.csv) go before our pages.
    from app import web_compare

    app.include_router(json_routes)
    web_compare.install(app, settings)
    app.include_router(html_routes)
    web_compare.install_pages(app)
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(queries.UnknownOutlet, _unknown_outlet)
    app.add_exception_handler(queries.UnknownAgency, _unknown_agency)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(DataError, _unreadable_value)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(PageSlots, slots=page_threads(settings))  # inside the cache: a hit needs no slot
    if settings.page_cache:  # inside the security headers, so a page from memory gets them as a fresh one does
        app.add_middleware(PageCache, version=app.state.data_version, public_url=settings.public_url)
    app.add_middleware(HeadAsGet)  # outside the cache, which keeps GETs only: a HEAD is answered from it too
    app.add_middleware(SingleHost)  # before the cache: two Host headers would name two sites
    app.add_middleware(SecurityHeaders, htmx_url=settings.htmx_url)
    return app


def page_threads(settings: Settings) -> int:
    """How many threads build pages at once in this process: the setting, else one per core."""
    if settings.page_threads is not None:
        return max(1, settings.page_threads)
    return usable_cores()


def catalogue_window(settings: Settings) -> Window:
    """The ceasefire window from the curated catalogue in seeds/; open when there is none."""
    try:
        catalog = load_catalog(settings.seeds_dir)
    except (OSError, ValueError, KeyError):
        return OPEN_WINDOW
    return Window(catalog.window_start, catalog.window_end)
