"""The dashboard application: create_app() wires the routes, the middleware and the error pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException

from app.config import Settings, get_settings, usable_cores
from app.extract.catalog import Catalog
from app.queries import common
from app.queries import compare as compare_queries
from app.queries.pagedata import Window
from app.store.engine import make_engine
from app.store.seedfiles import load_catalog
from app.web import compare, pages
from app.web.apischema import json_twins
from app.web.methods import ALLOWED_METHODS, HeadAsGet
from app.web.pagecache import DataVersion, PageCache
from app.web.render import make_templates, render_error
from app.web.security import SecurityHeaders, SingleHost, security_headers
from app.web.slots import SPARE_THREADS, PageSlots

# Without a catalogue the frame is simply every dated report and milestone.
OPEN_WINDOW = Window(dt.date.min, dt.date.max)


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


def _unknown_outlet(request: Request, exc: common.UnknownOutlet) -> Response:
    return render_error(request, 404, f"There is no outlet called '{exc.slug}' to filter by.",
                        hint="Known outlets: " + ", ".join(exc.known))


def _unknown_agency(request: Request, exc: common.UnknownAgency) -> Response:
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
    catalog = read_catalogue(settings)
    app.state.engine = make_engine(settings.database_url, read_only=True)
    app.state.window = catalogue_window(catalog)
    app.state.templates = make_templates(settings.templates_dir, settings.htmx_url)
    app.state.htmx_url = settings.htmx_url
    app.state.public_url = settings.public_url
    app.state.data_version = DataVersion(app.state.engine)
    app.state.parties = catalogue_parties(catalog)
    app.include_router(pages.routes)
    app.include_router(compare.routes)
    app.include_router(compare.feeds)
    app.openapi = json_twins(app.openapi)  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(common.UnknownOutlet, _unknown_outlet)
    app.add_exception_handler(common.UnknownAgency, _unknown_agency)
    app.add_exception_handler(compare_queries.UnknownParty, _unknown_party)
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


def read_catalogue(settings: Settings) -> Catalog | None:
    """The curated catalogue in seeds/, read once per app; None when there is none to read."""
    try:
        return load_catalog(settings.seeds_dir)
    except (OSError, ValueError, KeyError):
        return None


def catalogue_window(catalog: Catalog | None) -> Window:
    """The ceasefire window from the catalogue; open when there is none."""
    return Window(catalog.window_start, catalog.window_end) if catalog else OPEN_WINDOW


def _unknown_party(request: Request, exc: compare_queries.UnknownParty) -> Response:
    return render_error(request, 404, f"There is no party called '{exc.slug}' to filter claims by.",
                        hint="Known parties: " + ", ".join(exc.known))


def catalogue_parties(catalog: Catalog | None) -> dict[str, str]:
    """Party slug -> name from seeds/parties.toml; empty without a catalogue (claims then show slugs)."""
    return {p.slug: p.name for p in catalog.parties} if catalog else {}
