"""Every URL the pages link to, built in one place from the route names (never concatenated in templates)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.types import Scope

from app.extract.types import UNKNOWN_OUTLET_SLUG
from app.queries.pagedata import Facet, Paging

MAX_MEMO_PATHS = 100_000  # memoised link paths per app (one per page linked to); cleared beyond this
PAGE_PARAM = "page"  # ?page=2: the second page of a long list (day and outlet pages)
OUTLET_PARAM = "outlet"  # ?outlet=rt&outlet=al-jazeera: the repeatable filter parameter
AGENCY_PARAM = "agency"  # ?agency=afp: articles running that agency's copy, repeatable too
KIND_PARAM = "kind"  # ?kind=statement: a day's reports of that kind, repeatable
SPEAKER_PARAM = "speaker"  # ?speaker=Sergei%20Lavrov: a day's reports of that speaker, repeatable
VIEW_PARAM, COMPACT = "view", "compact"  # ?view=compact: a day's reports one line each
# A page's formats, by the suffix its address ends in (its route's {fmt}): the HTML page has none.
HTML, JSON, CSV = "", ".json", ".csv"
MAX_OUTLET_QUERIES = 4096  # encoded outlet selections kept: every single outlet and many combinations
MAX_BASES = 256  # request bases kept (scheme, host, root path): a site has a few; a Host header is the client's


class Urls:
    """Site-relative paths for one request; templates get it as `urls`."""

    def __init__(self, request: Request) -> None:
        self._request = request
        state = request.app.state
        memo: dict | None = getattr(state, "url_paths", None)
        if memo is None:
            memo = state.url_paths = {}
        self._memo = memo

    def _path(self, name: str, outlets: Sequence[str] = (), agencies: Sequence[str] = (), **params: object) -> str:
        # Memoised per app: url_path_for walks every route, and a busy page builds thousands of links.
        key = (name, *sorted(params.items()))
        path = self._memo.get(key)
        if path is None:
            if len(self._memo) >= MAX_MEMO_PATHS:
                self._memo.clear()
            path = self._memo[key] = str(self._request.app.url_path_for(name, **{k: str(v) for k, v in params.items()}))
        return with_outlets(path, outlets, agencies) if outlets or agencies else path

    def timeline(self, outlets: Sequence[str] = (), agencies: Sequence[str] = ()) -> str:
        return self._path("timeline_page", outlets, agencies, fmt=HTML)

    def day(self, date: dt.date | str, outlets: Sequence[str] = (), agencies: Sequence[str] = (),
            kinds: Sequence[str] = (), speakers: Sequence[str] = (), compact: bool = False) -> str:
        path = self._path("day_page", outlets, agencies, day=_iso(date), fmt=HTML)
        extra = [(KIND_PARAM, k) for k in kinds] + [(SPEAKER_PARAM, s) for s in speakers]
        extra += [(VIEW_PARAM, COMPACT)] if compact else []
        if not extra:
            return path
        return f"{path}{'&' if '?' in path else '?'}{urlencode(extra)}"

    def milestone(self, slug: str) -> str:
        return self._path("milestone_page", slug=slug, fmt=HTML)

    def outlet(self, slug: str) -> str:
        return self._path("outlet_page", slug=slug, fmt=HTML)

    def outlet_home(self, slug: str) -> str:
        """Where an outlet's name leads: its page; the unknown outlet has none, so the timeline of its reports."""
        return self.timeline([slug]) if slug == UNKNOWN_OUTLET_SLUG else self.outlet(slug)

    def article(self, article_id: int, report_id: int | None = None) -> str:
        path = self._path("article_page", article_id=article_id, fmt=HTML)
        return f"{path}#{report_anchor(report_id)}" if report_id is not None else path

    def json(self, html_path: str) -> str:
        """The JSON twin of a page: the same path plus .json, the same query string."""
        return twin(html_path, JSON)

    def csv(self, html_path: str) -> str:
        """The CSV twin of a list page: the same path plus .csv, the same query string."""
        return twin(html_path, CSV)

    def search(self, q: str = "", outlets: Sequence[str] = ()) -> str:
        path = self._path("search_page", fmt=HTML)
        params = [("q", q)] if q else []
        params += [(OUTLET_PARAM, slug) for slug in outlets]
        return f"{path}?{urlencode(params)}" if params else path

    def coverage(self, outlets: Sequence[str] = ()) -> str:
        return self._path("coverage_page", outlets, fmt=HTML)

    def figures(self, outlets: Sequence[str] = ()) -> str:
        return self._path("figures_page", outlets, fmt=HTML)

    def claims(self, accuser: str | None = None, accused: str | None = None, outlets: Sequence[str] = ()) -> str:
        path = self._path("claims_page", fmt=HTML)
        params = [(k, v) for k, v in (("accuser", accuser), ("accused", accused)) if v]
        params += [(OUTLET_PARAM, slug) for slug in outlets]
        return f"{path}?{urlencode(params)}" if params else path

    def milestones_ics(self) -> str:
        return self._path("milestones_ics")

    def feed(self, outlets: Sequence[str] = ()) -> str:
        return self._path("reports_feed", outlets)

    def timelinejs(self, outlets: Sequence[str] = ()) -> str:
        return self._path("timelinejs", outlets)

    def absolute(self, path: str) -> str:
        """A site path as an absolute URL (feeds and calendars need them): on the public URL when one is set,
        else on the host this request came to."""
        return site_base(self._request.scope, self._request.app.state.public_url) + path

    def host(self) -> str:
        """The host name absolute links point at (calendar event ids are made unique with it)."""
        return urlsplit(self.absolute("/")).hostname or "localhost"

    def static(self, path: str) -> str:
        return self._path("static", path=path)

    def current(self) -> str:
        """This request's path and query string."""
        query = self._request.url.query
        return f"{self._request.url.path}?{query}" if query else self._request.url.path


def site_base(scope: Scope, public_url: str | None) -> str:
    """What every absolute link starts with: the public URL when one is set, else the scheme, host and root
    path of this request as Starlette reads them. The page cache files responses under this very value."""
    if public_url:
        return public_url
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    server = scope.get("server")
    return _request_base(scope.get("scheme", "http"), tuple(server) if server else None,
                         scope.get("app_root_path", scope.get("root_path", "")), host)


@lru_cache(maxsize=MAX_BASES)
def _request_base(scheme: str, server: tuple | None, root_path: str, host: bytes | None) -> str:
    """Starlette's base URL of a request, from the only parts of its scope it reads: the page cache asks for it
    on every request, and building a Request for it cost a fifth of a cached page's time in the app."""
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root_path, "path": "/",
             "query_string": b"", "headers": [(b"host", host)] if host is not None else []}
    return str(Request(scope).base_url).rstrip("/")


def twin(html_path: str, suffix: str) -> str:
    """A page's twin in another format: its path plus the suffix, the same query string."""
    path, _, query = html_path.partition("?")
    twin_path = f"/{suffix}" if path == "/" else f"{path}{suffix}"
    return f"{twin_path}?{query}" if query else twin_path


def link_pages(pages: Paging | None, request: Request) -> Paging | None:
    """The paging with links to the previous and next page: this request's URL with ?page= changed."""
    if pages is None:
        return None

    def at(number: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != PAGE_PARAM]
        params += [(PAGE_PARAM, str(number))] if number > 1 else []
        return f"{request.url.path}?{urlencode(params)}" if params else request.url.path

    return dataclasses.replace(pages, previous_url=at(pages.page - 1) if pages.page > 1 else None,
                               next_url=at(pages.page + 1) if pages.page < pages.pages else None)


def with_outlets(path: str, outlets: Iterable[str], agencies: Iterable[str] = ()) -> str:
    query = outlet_query(tuple(outlets), tuple(agencies))
    return f"{path}?{query}" if query else path


@lru_cache(maxsize=MAX_OUTLET_QUERIES)
def outlet_query(outlets: tuple[str, ...], agencies: tuple[str, ...] = ()) -> str:
    """?outlet=a&outlet=b&agency=c, encoded once per selection: a timeline links each of its cells to one outlet."""
    return urlencode([(OUTLET_PARAM, slug) for slug in outlets] + [(AGENCY_PARAM, slug) for slug in agencies])


def toggled(selected: Sequence[str], slug: str) -> list[str]:
    """The selection with one outlet switched on or off, order kept."""
    return [s for s in selected if s != slug] if slug in selected else [*selected, slug]


PageUrl = Callable[[Sequence[str]], str]  # the page's URL for a given outlet selection


def link_facets(facets: Sequence[Facet], selected: Sequence[str], page_url: PageUrl) -> list[Facet]:
    """Facets with their toggle_url: the same page with that outlet switched on or off."""
    return [Facet(f.value, f.label, f.count, f.selected, page_url(toggled(selected, f.value))) for f in facets]


def report_anchor(report_id: int) -> str:
    return f"report-{report_id}"


def _iso(date: dt.date | str) -> str:
    return date.isoformat() if isinstance(date, dt.date) else date
