"""One view's data in each of its formats: the full page, the htmx fragment, the JSON and CSV twins (render()
picks by the address's suffix); and the error pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.formats import bidi_isolated, csv_text
from app.queries.daygroups import kind_label
from app.web.chart import day_chart
from app.web.colours import outlet_colour, strip_colours
from app.web.urls import CSV, HTML, JSON, Urls

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The same URL answers with the page or its fragment (wants_fragment reads both), so caches must key on them.
VARY = "HX-Request, HX-History-Restore-Request"
LINKABLE_SCHEMES = ("http", "https")  # an article's own URL becomes a link only with one of these


def make_templates(directory: Path, htmx_url: str | None) -> Jinja2Templates:
    # StrictUndefined: a typo in a template fails the tests instead of rendering an empty string.
    # auto_reload off: the templates come with the code and change only between starts, so a page's five or six
    # template lookups (extends, includes, imports) need not each check a file's time on disk.
    env = Environment(loader=FileSystemLoader(directory), autoescape=True, undefined=StrictUndefined,
                      auto_reload=False)
    templates = Jinja2Templates(env=env)
    templates.env.globals["htmx_url"] = htmx_url
    templates.env.globals["outlet_colour"] = outlet_colour
    templates.env.globals["strip_colours"] = strip_colours
    templates.env.globals["day_chart"] = lambda days, colours: day_chart(days, colours, day_label)
    templates.env.filters["day_label"] = day_label
    templates.env.filters["kind_label"] = kind_label
    templates.env.filters["long_day"] = long_day
    templates.env.filters["plural"] = plural
    templates.env.filters["web_url"] = web_url
    templates.env.filters["isolated"] = bidi_isolated  # for <title>, where no element can isolate
    return templates


# A page labels the same few days again and again (each report its date and its article's): made once each.
DAY_LABELS_KEPT = 4096  # distinct days (and ISO strings) labelled per process; a corpus spans a few hundred


@functools.lru_cache(maxsize=DAY_LABELS_KEPT)
def day_label(value: dt.date | str | None) -> str:
    """Sat 17 Sep 2016."""
    if value is None:
        return "undated"
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%a} {day.day} {day:%b %Y}"


def long_day(value: dt.date) -> str:
    """Saturday 17 September 2016."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 report', '3 reports'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def web_url(value: str | None) -> str:
    """The URL if it is a plain web address, else "" (a javascript: or data: URL from an article is no link)."""
    if not value:
        return ""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return ""
    return value.strip() if parts.scheme.lower() in LINKABLE_SCHEMES and parts.netloc else ""


def wants_fragment(request: Request) -> bool:
    """htmx swaps get the fragment; a history restore (Back after a cache miss) needs the whole page."""
    headers = request.headers
    return "hx-request" in headers and "hx-history-restore-request" not in headers


def render_page(request: Request, template: str, **context: Any) -> Response:
    """<template>.html in full, or partials/_<template>.html alone for an htmx request."""
    templates: Jinja2Templates = request.app.state.templates
    name = f"partials/_{template}.html" if wants_fragment(request) else f"{template}.html"
    response = templates.TemplateResponse(request, name, {"urls": Urls(request), **context})
    response.headers["Vary"] = VARY
    return response


def render_json(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(jsonable_encoder(data), status_code=status_code, headers={"Vary": VARY})


def is_json_request(request: Request) -> bool:
    return request.url.path.endswith(JSON)


@dataclass(frozen=True)
class Table:
    """A page as CSV: its columns, its rows (mappings; missing keys are empty cells), the download's name."""

    fields: Sequence[str]
    rows: Iterable[Mapping[str, Any]]
    name: str


def render_csv(table: Table) -> Response:
    return Response(csv_text(table.fields, table.rows), media_type="text/csv; charset=utf-8",
                    headers={"Vary": VARY, "Content-Disposition": f'attachment; filename="{table.name}.csv"'})


def json_answer(response: Response, session: Session, data: Any) -> Any:
    """A JSON twin's data, with Vary set and the session closed before FastAPI serializes the data through the
    route's response model.

    The data is plain values, evaluated already. Serializing a sync route's answer takes one of the few page
    threads, and a request must never wait for a thread while it holds a pooled connection: with the pool
    spent, the threads' own requests would wait for a connection forever."""
    session.close()
    response.headers["Vary"] = VARY
    return data


def render(request: Request, response: Response, session: Session, fmt: str, template: str, data: Any, *,
           table: Callable[[], Table] | None = None, **context: Any) -> Any:
    """A page in the format its address's suffix names (the route's {fmt}): the JSON twin, the CSV twin (its
    table built only when asked for), else <template>.html or its htmx fragment. A new format is a new
    suffix for the route convertors (app.web.deps) and a branch here."""
    if fmt == JSON:
        return json_answer(response, session, data)
    if fmt == CSV and table is not None:
        return render_csv(table())
    if fmt == HTML:
        return render_page(request, template, page=data, **context)
    raise HTTPException(404)  # a suffix the route lets through that this page has no rendering for


@dataclass(frozen=True)
class ErrorBody:
    """What a .json path answers when the address is wrong: the status, what was wrong, where to go."""

    status: int
    detail: str
    hint: str | None = None


# Documented on every JSON route, so the OpenAPI schema lists every status the API really answers with.
JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A malformed parameter (e.g. too many outlet filters)"},
    404: {"model": ErrorBody, "description": "No such day, milestone, outlet, article or outlet filter"},
}


def render_error(request: Request, status_code: int, message: str, hint: str = "") -> Response:
    """A helpful error page (or a JSON body for a .json path) that says what was wrong and where to go."""
    if is_json_request(request):
        body = {"status": status_code, "detail": message}
        if hint:
            body["hint"] = hint
        return render_json(body, status_code)
    templates: Jinja2Templates = request.app.state.templates
    context = {"urls": Urls(request), "status_code": status_code, "message": message, "hint": hint}
    response = templates.TemplateResponse(request, "error.html", context, status_code=status_code)
    response.headers["Vary"] = VARY
    return response
