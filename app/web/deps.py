"""What the routes share: their dependencies (tests override these through app.dependency_overrides) and the
parsing of path values, a page's format suffix among them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException

from app.queries.pagedata import Window
from app.web.urls import COMPACT, CSV, HTML, JSON, VIEW_PARAM

MAX_PAGE = 100_000  # ?page= beyond this is no list of ours
MAX_OUTLET_FILTERS = 50  # more ?outlet= values than any catalogue has outlets is a malformed link


# -- path values ---------------------------------------------------------------------------------


class PathText(Convertor):
    """A path segment matched by regex and handed to the route as the text it is."""

    regex = r"[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


class IsoDay(PathText):
    """/days/2016-09-17: only this form, not every ISO 8601 variant. A path convertor rather than route order
    keeps /days/2016-09-17.json and .csv from ever being read as the day "2016-09-17.json"; parse_day then
    answers a form that is no date (2016-02-30) with a page that says so."""

    regex = r"\d{4}-\d{2}-\d{2}"


class Undotted(PathText):
    """A path segment without a suffix that is no ISO day: /days/17-09-2016 is answered with what a day's address
    looks like, while /days/2016-09-17 and /days/2016-09-17.json can only be the day, whatever order the routes
    are in."""

    regex = r"(?!\d{4}-\d{2}-\d{2}(?:$|/))[^/.]+"


class Stem(PathText):
    """A path segment up to its format suffix, matched lazily: /milestones/a.b.json is the milestone "a.b" as
    JSON, and /milestones/a.xml the milestone "a.xml" (which says there is none)."""

    regex = r"[^/]+?"


class Suffix(PathText):
    """The end of a page's address that names its format: nothing for the HTML page, else one of the given
    suffixes and no other, so /days/2016-09-17.xml matches no route and is the router's 404."""

    def __init__(self, *suffixes: str) -> None:
        self.suffixes = (HTML, *suffixes)
        self.regex = "(?:" + "|".join(re.escape(suffix) for suffix in suffixes) + ")?"


register_url_convertor("isoday", IsoDay())
register_url_convertor("undotted", Undotted())
register_url_convertor("stem", Stem())
register_url_convertor("json", Suffix(JSON))  # a page with a JSON twin: /articles/7, /articles/7.json
register_url_convertor("json_csv", Suffix(JSON, CSV))  # and a CSV one: /days/2016-09-17.csv
ISO_DAY = re.compile(IsoDay.regex)


# -- dependencies (tests override these through app.dependency_overrides) -------------------------
# Each is async though it awaits nothing: FastAPI runs a plain def dependency in a worker thread, and the hop
# there and back cost more than all the work of one (a day page had 8 of them: 8 hops a request).


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request, closed as soon as the route returns (SessionDep's scope="function").

    Opened and closed on the event loop, not in a worker thread: a request that holds a pooled connection
    never waits for one of the few page threads (Settings.page_threads) to give it back, so threads waiting
    for a connection and connections waiting for a thread cannot block each other."""
    with Session(request.app.state.engine) as session:
        yield session


async def get_window(request: Request) -> Window:
    return request.app.state.window


async def selected_outlets(
    outlet: Annotated[list[str] | None, Query(description="outlet slug; repeat to choose several")] = None,
) -> list[str]:
    """The outlet filter from the query string, blanks dropped (an empty form field means no filter)."""
    chosen = [slug.strip() for slug in outlet or [] if slug.strip()]
    if len(chosen) > MAX_OUTLET_FILTERS:
        raise HTTPException(400, f"too many outlet filters ({len(chosen)}; at most {MAX_OUTLET_FILTERS})")
    return chosen


async def selected_agencies(
    agency: Annotated[list[str] | None, Query(description="wire agency slug: articles running its copy; repeatable")]
    = None,
) -> list[str]:
    """The agency filter from the query string, blanks dropped."""
    chosen = [slug.strip() for slug in agency or [] if slug.strip()]
    if len(chosen) > MAX_OUTLET_FILTERS:
        raise HTTPException(400, f"too many agency filters ({len(chosen)}; at most {MAX_OUTLET_FILTERS})")
    return chosen


async def selected_kinds(
    kind: Annotated[list[str] | None, Query(description="report kind (a day's reports); repeatable")] = None,
) -> list[str]:
    """The kind filter of a day page, blanks dropped."""
    return _chosen(kind, "kind")


async def selected_speakers(
    speaker: Annotated[list[str] | None, Query(description="speaker as the reports name them; repeatable")] = None,
) -> list[str]:
    """The speaker filter of a day page, blanks dropped."""
    return _chosen(speaker, "speaker")


def _chosen(values: list[str] | None, name: str) -> list[str]:
    chosen = [v.strip() for v in values or [] if v.strip()]
    if len(chosen) > MAX_OUTLET_FILTERS:
        raise HTTPException(400, f"too many {name} filters ({len(chosen)}; at most {MAX_OUTLET_FILTERS})")
    return chosen


async def compact_view(request: Request) -> bool:
    """?view=compact: the day page's reports one line each instead of event blocks. Read from the request, not
    declared, as it is the HTML page's alone: the API's schema, which documents the JSON twin, leaves it out."""
    return request.query_params.get(VIEW_PARAM) == COMPACT


async def page_format(request: Request) -> str:
    """The suffix the page's address ends in, its {fmt}: "" for the HTML page, ".json", ".csv"."""
    return request.path_params["fmt"]


async def page_number(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="page of a long list, from 1")] = 1,
) -> int:
    return page


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
PageDep = Annotated[int, Depends(page_number)]
WindowDep = Annotated[Window, Depends(get_window)]
OutletsDep = Annotated[list[str], Depends(selected_outlets)]
AgenciesDep = Annotated[list[str], Depends(selected_agencies)]
KindsDep = Annotated[list[str], Depends(selected_kinds)]
SpeakersDep = Annotated[list[str], Depends(selected_speakers)]
CompactDep = Annotated[bool, Depends(compact_view)]
FormatDep = Annotated[str, Depends(page_format)]


def parse_day(text: str) -> dt.date:
    if ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise HTTPException(404, f"'{text}' is not a date: day pages are named like /days/2016-09-17.")
