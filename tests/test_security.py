"""The dashboard on a network: security headers, a read-only database, malformed addresses, hostile articles.

Hostile articles (script tags, event-handler attributes, javascript: links, an <svg onload>, a look-alike
"Al Jazeera" with a Cyrillic "а", a right-to-left override) are written to a folder and loaded by the
project's own loader; then every GET route the app has, pages and exports alike, is crawled and no raw
markup may come out of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import socket
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx2
import pytest
from conftest import SharedClients, SharedDatabases, read_only_engine, shared_settings
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import InternalError, OperationalError
from sqlalchemy.orm import Session

from app.config import Settings
from app.extract.catalog import Catalog
from app.queries.export import export_data, reports_csv, to_json
from app.store.loader import load_paths
from app.store.models import Article
from app.web.app import create_app

# -- hostile articles ----------------------------------------------------------------------------

CYRILLIC_A = "\u0430"  # looks like a Latin "a"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "gnp.exe" displays as "exe.png"
LOOKALIKE = f"Al J{CYRILLIC_A}zeera"
HOSTILE_TXT = (
    '<script>window.__xss = "title"</script> Truce <img src=x onerror="window.__xss=1"> report\n\n'
    "The US-led coalition airstrike on Syrian army positions near Deir ez-Zor on Saturday "
    '<script>window.__xss = "quote"</script> killed 62 soldiers, Igor Konashenkov said on Sunday.\n\n'
    'Rebels fired on Aleppo on Friday <img src=x onerror="alert(2)"> and '
    '<a href="javascript:alert(3)">click here</a>, the monitor said.\n\n'
    f'On Saturday <svg onload="alert(4)"> {LOOKALIKE} reported that {RLO}gnp.exe the truce held.\n'
)
HOSTILE_MANIFEST = """\
[file."hostile.txt"]
outlet = "rt"
url = "javascript:window.__xss=5"
published = 2016-09-18
title = "<script>window.__xss = 6</script> <img src=x onerror=\\"window.__xss=7\\">"
"""
HOSTILE_HTML = f"""<!doctype html><html><head>
<title>{LOOKALIKE} &lt;script&gt;window.__xss=8&lt;/script&gt;</title>
<link rel="canonical" href="javascript:window.__xss=9">
<meta property="og:site_name" content="{LOOKALIKE}">
<script>window.__xss = 10</script>
</head><body><article>
<p>DOHA, September 18, 2016 - The Syrian army said on Saturday that the US-led coalition airstrike near Deir ez-Zor
&lt;script&gt;window.__xss=11&lt;/script&gt; broke the truce. &lt;img src=x onerror="alert(12)"&gt;</p>
<p>{LOOKALIKE} {RLO}learned on Friday &lt;svg onload="window.__xss=13"&gt; that aid trucks waited at the border.</p>
<p><a href="javascript:window.__xss=14">Read more</a> <img src=x onerror="window.__xss=15"></p>
</article></body></html>
"""
HOSTILE_SOURCES = ("hostile.txt", "lookalike.html")
HOSTILE_DAYS = ("2016-09-16", "2016-09-17", "2016-09-18")  # the days the hostile reports are dated to
SEARCH_WORDS = ("script", "onerror", "javascript", "svg", LOOKALIKE, "gnp.exe")

# What must never come out of a page as markup (escaped as text it is fine, and expected).
LIVE_MARKUP = [
    re.compile(r"<script>window\.__xss"),  # a script element from an article
    re.compile(r"<(?:img|svg|a|iframe|object|embed)\b[^>]*\son\w+\s*=", re.I),  # an event-handler attribute
    re.compile(r"""<\w[^<>]*\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),  # a js: link
    # Any SVG but the timeline's own chart, whose opening tag the template writes exactly so.
    re.compile(r'<svg\b(?! class="chart" viewBox="0 0 \d+ \d+" preserveAspectRatio="none"\s+role="group" '
               r'aria-labelledby="chart-caption">)', re.I),
    re.compile(r"<img\b", re.I),  # the pages have no images at all: any <img> came from an article
]
# Which responses are markup a browser or feed reader would interpret.
MARKUP_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml", "image/svg+xml")


def write_hostile_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / "manifest.toml").write_text(HOSTILE_MANIFEST, encoding="utf-8")
    (folder / "lookalike.html").write_text(HOSTILE_HTML, encoding="utf-8")
    return folder


@pytest.fixture
def hostile_engine(seeded_engine: Engine, catalog: Catalog, tmp_path: Path) -> Engine:
    """The seeds plus the hostile articles, loaded by the loader the CLI uses."""
    summary = load_paths(seeded_engine, [write_hostile_articles(tmp_path / "hostile")], catalog=catalog)
    assert summary.loaded == len(HOSTILE_SOURCES) and not summary.rejected, summary
    return seeded_engine


def add_hostile_articles(engine: Engine, catalog: Catalog, folder: Path) -> None:
    summary = load_paths(engine, [write_hostile_articles(folder / "hostile")], catalog=catalog)
    assert summary.loaded == len(HOSTILE_SOURCES) and not summary.rejected, summary


@pytest.fixture
def hostile_settings(backend: str, shared_databases: SharedDatabases) -> Iterator[Settings]:
    """Settings on a database of the seeds plus the hostile articles, shared read-only by this module's tests."""
    with shared_settings(shared_databases, backend, "hostile", add_hostile_articles) as settings:
        yield settings


@pytest.fixture
def hostile_reader(hostile_settings: Settings) -> Iterator[Engine]:
    with read_only_engine(hostile_settings) as engine:
        yield engine


@pytest.fixture
def hostile_client(hostile_settings: Settings, shared_clients: SharedClients) -> TestClient:
    """The shared app over the hostile database; a server error is a response to look at, not an exception."""
    return shared_clients.get(hostile_settings, raise_server_exceptions=False)


def hostile_ids(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {a.source: a.id for a in session.query(Article).filter(Article.source.in_(HOSTILE_SOURCES))}


# -- crawling every GET route ----------------------------------------------------------------------


def api_routes(routes, prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """(path, route) for every APIRoute, through included routers (FastAPI keeps them nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes, prefix + route.include_context.prefix)


def route_urls(app, article_ids: list[int], milestone: str, outlet: str) -> list[str]:
    """Every GET route of the app, its path parameters filled with values that show the hostile articles."""
    urls: list[str] = []
    for path, route in api_routes(app.routes):
        if "GET" not in route.methods or path == "/openapi.json":
            continue
        paths = [path]
        for name in route.param_convertors:
            if name == "day":
                values = list(HOSTILE_DAYS)
            elif name == "article_id":
                values = [str(i) for i in article_ids]
            elif name == "slug" and path.startswith("/milestones/"):
                values = [milestone]
            elif name == "slug" and path.startswith("/outlets/"):
                values = [outlet]
            elif name == "text" and path.startswith("/days/"):
                values = ["17-09-2016"]  # the page that says what a day's address looks like
            elif name == "fmt":
                values = list(route.param_convertors[name].suffixes)  # the page and each of its twins
            else:
                pytest.fail(f"no hostile value for {{{name}}} in {path}: teach route_urls about it")
            placeholder = re.compile(r"\{" + name + r"(?::\w+)?\}")  # {day} or {day:isoday}
            paths = [placeholder.sub(v, p) for p in paths for v in values]
        queries = [""]
        query_names = query_parameters(route.dependant)
        if "q" in query_names:
            queries = [urlencode({"q": word}) for word in SEARCH_WORDS]
        if "outlet" in query_names:
            queries += [f"{q}&outlet={outlet}".lstrip("&") for q in queries]
        urls += [f"{p}?{q}" if q else p for p in paths for q in queries]
    return urls


def query_parameters(dependant) -> set[str]:
    """The query parameter names a route reads, through its dependencies too."""
    names = {param.name for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_parameters(sub)
    return names


def crawl(client: TestClient, engine: Engine, catalog: Catalog) -> dict[str, object]:
    ids = sorted(hostile_ids(engine).values())
    urls = route_urls(client.app, ids, "deir-ezzor-airstrike", "rt")
    return {url: client.get(url) for url in urls}


def assert_inert(url: str, body: str) -> None:
    for pattern in LIVE_MARKUP:
        found = pattern.search(body)
        assert found is None, f"{url} lets markup through: {body[max(0, found.start() - 80):found.end() + 80]!r}"
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert re.fullmatch(r'<script src="/static/[\w./-]+"( defer)?>', tag), f"{url}: foreign script {tag}"


def test_hostile_articles_render_as_inert_text_everywhere(hostile_client: TestClient, hostile_reader: Engine,
                                                         catalog: Catalog) -> None:
    responses = crawl(hostile_client, hostile_reader, catalog)
    assert len(responses) >= 10
    kinds: set[str] = set()
    for url, response in responses.items():
        assert response.status_code < 500, f"{url}: {response.status_code}"
        assert response.headers["x-content-type-options"] == "nosniff", url
        content_type = response.headers.get("content-type", "").split(";")[0]
        kinds.add(content_type)
        if content_type in MARKUP_TYPES:
            assert_inert(url, response.text)
        elif content_type == "application/json":
            response.json()  # data, not markup: nosniff keeps browsers from reading it as HTML
        else:
            assert content_type.startswith("text/"), f"{url}: unexpected type {content_type}"
    assert {"text/html", "application/json"} <= kinds
    # The hostile text did reach the pages, as visible, escaped text.
    ids = hostile_ids(hostile_reader)
    for url in ["/days/2016-09-17", "/milestones/deir-ezzor-airstrike", f"/articles/{ids['hostile.txt']}"]:
        page = responses[url].text
        assert "&lt;script&gt;window.__xss = &#34;quote&#34;&lt;/script&gt;" in page, url
        assert "<script>window.__xss" in html.unescape(page), url
    outlet = responses["/outlets/rt"].text
    assert "&lt;script&gt;window.__xss = 6&lt;/script&gt;" in outlet  # the manifest's hostile title


def test_a_javascript_url_is_never_a_link(hostile_client: TestClient, hostile_reader: Engine) -> None:
    for source, article_id in hostile_ids(hostile_reader).items():
        page = hostile_client.get(f"/articles/{article_id}").text
        assert ">original</a>" not in page, source  # the article's javascript: URL is not linked
        assert_inert(f"/articles/{article_id}", page)
        url = hostile_client.get(f"/articles/{article_id}.json").json()["article"]["url"]
        assert url is None or url.startswith("javascript:")  # HTML extraction drops a canonical link that is no URL


def test_lookalike_outlet_name_is_not_the_real_outlet(hostile_client: TestClient, hostile_reader: Engine) -> None:
    article_id = hostile_ids(hostile_reader)["lookalike.html"]
    data = hostile_client.get(f"/articles/{article_id}.json").json()
    assert data["outlet"] is None or data["outlet"]["slug"] != "al-jazeera"
    al_jazeera = hostile_client.get("/outlets/al-jazeera.json").json()
    assert all(a["id"] != article_id for a in al_jazeera["articles"])
    # Shown as the text it is, and a filter by the look-alike is an unknown outlet, not Al Jazeera.
    assert LOOKALIKE in hostile_client.get(f"/articles/{article_id}").text
    assert hostile_client.get("/days/2016-09-16", params={"outlet": f"al-j{CYRILLIC_A}zeera"}).status_code == 404


class BidiIsolation(HTMLParser):
    """Collects the text runs holding a bidi control character that no isolating element encloses."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: does it isolate (dir=... or <bdi>)?
        self.leaks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag == "bdi" or any(name == "dir" for name, _ in attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if RLO in data and not any(self.stack):
            self.leaks.append(data)


def test_right_to_left_override_stays_inside_its_own_element(hostile_client: TestClient,
                                                           hostile_reader: Engine) -> None:
    """A bidi override in article text sits in an element with dir= (or <bdi>): it cannot flip the page."""
    ids = hostile_ids(hostile_reader)
    for path in ["/days/2016-09-16", "/days/2016-09-17", f"/articles/{ids['hostile.txt']}",
                 f"/articles/{ids['lookalike.html']}", "/outlets/rt"]:
        page = hostile_client.get(path).text
        # The HTML page's extraction drops format characters, so only the plain-text article's pages keep it.
        assert RLO in page or path in ("/days/2016-09-16", f"/articles/{ids['lookalike.html']}"), path
        parser = BidiIsolation()
        parser.feed(page)
        assert not parser.leaks, (path, parser.leaks)


RLO_TITLE = f"Truce {RLO}gnp.exe holds"
RLO_ARTICLE = (f"BEIRUT, Sept 18 (Reuters) - The Syrian army said on Saturday that {RLO}gnp.exe rebels broke "
               "the truce in Aleppo.\n")
RLO_MANIFEST = f"""[file."override.txt"]\noutlet = "rt"\npublished = 2016-09-18\ntitle = "{RLO_TITLE}"\n"""
FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE


class TitleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside, self.text = False, ""

    def handle_starttag(self, tag: str, attrs) -> None:
        self.inside = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        self.text += data if self.inside else ""


def tab_title(page: str) -> str:
    parser = TitleText()
    parser.feed(page)
    return parser.text


def test_a_right_to_left_override_in_a_title_cannot_reverse_the_tab_or_the_feed(
        seeded_engine: Engine, settings: Settings, catalog: Catalog, tmp_path: Path) -> None:
    """An override in an article's title (or a search) used to turn the tab title around; it is dropped from
    plain-text lines, whose untrusted part sits in an isolate, and isolated by its element in the pages."""
    folder = tmp_path / "override"
    folder.mkdir()
    (folder / "override.txt").write_text(RLO_ARTICLE, encoding="utf-8")
    (folder / "manifest.toml").write_text(RLO_MANIFEST, encoding="utf-8")
    assert load_paths(seeded_engine, [folder], catalog=catalog).loaded == 1
    with Session(seeded_engine) as session:
        article = session.query(Article).filter_by(source="override.txt").one()
        article_id, day = article.id, article.reports[0].date.isoformat()
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/articles/{article_id}").text
        assert tab_title(page) == f"{FSI}Truce gnp.exe holds{PDI} · Ceasefire Timeline"
        assert RLO_TITLE in page  # the heading keeps the title as written, inside its own element
        search = client.get("/search", params={"q": f"{RLO}gnp.exe"}).text
        assert RLO not in tab_title(search) and FSI in tab_title(search)
        for path in [f"/articles/{article_id}", f"/days/{day}", "/outlets/rt", "/search?q=rebels", "/claims",
                     "/figures", f"/search?q={RLO}gnp.exe"]:
            parser = BidiIsolation()
            parser.feed(client.get(path).text)
            assert not parser.leaks, (path, parser.leaks)
        feed = ET.fromstring(client.get("/feed.atom").content)
        titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title") if "gnp.exe" in (t.text or "")]
        assert titles and all(RLO not in t and FSI in t for t in titles)
        assert RLO in client.get(f"/days/{day}.json").text  # data stays as written (JSON, CSV)


def test_exports_keep_hostile_text_as_data(hostile_reader: Engine) -> None:
    with Session(hostile_reader) as session:
        data = export_data(session)
    quotes = [r["quote"] for r in data["reports"] if r["source"] in HOSTILE_SOURCES]
    assert any("<script>" in q for q in quotes)
    assert json.loads(to_json(data)) == data  # JSON round-trips the text exactly
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(reports_csv(data["reports"]))))
    assert [r["quote"] for r in rows if r["source"] in HOSTILE_SOURCES] == quotes  # one cell each, intact


# -- security headers ----------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    headers = response.headers
    csp = headers["content-security-policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no third-party origin
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html"),
        ("/days/2016-09-17", 200, "text/html"),
        ("/days/2016-09-17.json", 200, "application/json"),
        ("/openapi.json", 200, "application/json"),
        ("/static/css/site.css", 200, "text/css"),
        ("/static/vendor/htmx.min.js", 200, "text/javascript"),
        ("/healthz", 200, "text/plain"),
        ("/days/2016-02-30", 404, "text/html"),
        ("/days/2016-02-30.json", 404, "application/json"),
        ("/static/no-such-file.css", 404, "text/"),
        ("/no/such/page", 404, "text/html"),
        ("/days/2016-09-17?" + "&".join(f"outlet=o{n}" for n in range(60)), 400, "text/html"),
    ],
)
def test_security_headers_on_every_kind_of_response(client: TestClient, path: str, status: int,
                                                    content_type: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    assert_security_headers(response)


def test_security_headers_on_a_method_not_allowed(client: TestClient) -> None:
    response = client.post("/days/2016-09-17")
    assert response.status_code == 405
    assert_security_headers(response)


# -- the Host header and absolute links ----------------------------------------------------------------

LINKED_EXPORTS = ("/feed.atom", "/milestones.ics", "/timeline.js.json")  # the responses with absolute links


def raw_exchange(base: str, request: bytes) -> tuple[bytes, bytes]:
    """Send bytes as they are to the server and read its answer to the end: (status line and headers, body)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


@pytest.mark.parametrize("path", LINKED_EXPORTS)
def test_two_host_headers_are_refused_and_poison_no_cached_export(live_server: str, path: str) -> None:
    """The cache used to key on the last Host header while the links were built from the first."""
    port = urlsplit(live_server).port
    probe = f"{path}?probe={uuid.uuid4().hex}"  # a key no earlier test has filled
    head, body = raw_exchange(live_server, f"GET {probe} HTTP/1.1\r\nHost: evil.example\r\n"
                                           f"Host: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    assert head.startswith(b"HTTP/1.1 400 "), head
    assert b"content-security-policy:" in head.lower() and b"more than one Host header" in body
    honest = httpx2.get(live_server + probe)
    assert honest.status_code == 200 and f"127.0.0.1:{port}" in honest.text
    assert "evil.example" not in honest.text


@pytest.mark.parametrize("unparsable", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
                                        b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n"])
def test_a_request_uvicorn_cannot_parse_gets_its_fixed_400_without_our_headers(live_server: str,
                                                                               unparsable: bytes) -> None:
    """uvicorn answers these itself, before the app: fixed text, nothing of the request echoed, and none of the
    security headers. The README (Dashboard, security) tells deployments to add them in a proxy in front."""
    head, body = raw_exchange(live_server, unparsable)
    assert head.startswith(b"HTTP/1.1 400 ") and body == b"Invalid HTTP request received."
    assert b"text/plain" in head and b"content-security-policy" not in head.lower()


def test_absolute_links_come_from_the_public_url_when_one_is_set(seeded_settings: Settings) -> None:
    public = dataclass_replace(seeded_settings, public_url="https://timeline.example.org/ceasefire")
    with TestClient(create_app(public)) as client:
        for path in LINKED_EXPORTS:
            for host in ("evil.example", "testserver"):
                body = client.get(path, headers={"Host": host}).text
                assert "https://timeline.example.org/ceasefire/days/" in body or (
                    "https://timeline.example.org/ceasefire/milestones/" in body), path
                assert host not in body, (path, host)
        assert "UID:milestone-truce-begins@timeline.example.org" in client.get("/milestones.ics").text


def test_without_a_public_url_links_name_the_requests_one_host(client: TestClient) -> None:
    for path in LINKED_EXPORTS:
        assert "http://one.example/" in client.get(path, headers={"Host": "one.example"}).text
        other = client.get(path, headers={"Host": "other.example"}).text  # filed apart, not the first one's
        assert "http://other.example/" in other and "one.example" not in other


def test_a_server_error_is_a_page_with_the_security_headers(settings: Settings, tmp_path: Path) -> None:
    """A database that cannot be read is a 503 page (a bug would be a 500 page), never a bare error."""
    missing = dataclass_replace(settings, database_url=f"sqlite:///{tmp_path / 'missing' / 'timeline.db'}")
    with TestClient(create_app(missing), raise_server_exceptions=False) as broken:
        for path, content_type in [("/days/2016-09-17", "text/html"), ("/days/2016-09-17.json", "application/json")]:
            response = broken.get(path)
            assert response.status_code == 503
            assert response.headers["content-type"].startswith(content_type)
            assert "database cannot be read" in response.text
            assert_security_headers(response)


def test_an_unexpected_exception_is_a_500_page_with_the_security_headers(seeded_settings: Settings) -> None:
    app = create_app(seeded_settings)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom")
    assert response.status_code == 500
    assert "went wrong on our side" in response.text and "a bug" not in response.text
    assert_security_headers(response)


def dataclass_replace(settings: Settings, **changes: object) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, **changes)


# -- read-only ------------------------------------------------------------------------------------


def test_the_apps_engine_cannot_write(fresh_client: TestClient) -> None:
    """On a writable database of its own: the app's engine must refuse writes itself, not the file or server."""
    engine: Engine = fresh_client.app.state.engine
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM article")).scalar_one() > 0
        for statement in [
            "INSERT INTO outlet (slug, name) VALUES ('evil', 'Evil')",
            "UPDATE article SET title = 'defaced'",
            "DELETE FROM report",
            "DROP TABLE report",
            "CREATE TABLE evil (x INTEGER)",
        ]:
            # SQLite: "attempt to write a readonly database"; PostgreSQL: "... in a read-only transaction".
            with pytest.raises((OperationalError, InternalError), match="readonly|read-only"):
                connection.execute(text(statement))
            connection.rollback()


def file_state(path: Path) -> tuple[str, int, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, path.stat().st_size


@pytest.mark.sqlite_only  # about the SQLite file; PostgreSQL's read-only transactions: the test above
def test_a_full_crawl_leaves_the_database_file_untouched(hostile_engine: Engine, settings: Settings,
                                                        catalog: Catalog) -> None:
    hostile_engine.dispose()  # the loader's connections close and checkpoint the WAL into the file
    database = Path(hostile_engine.url.database)
    wal = database.with_name(database.name + "-wal")
    before = file_state(database)
    wal_before = file_state(wal) if wal.exists() else None
    with TestClient(create_app(settings), raise_server_exceptions=False) as crawler:
        responses = crawl(crawler, hostile_engine, catalog)
        responses.update({p: crawler.get(p) for p in ["/days/2016-09-17?outlet=rt&outlet=al-jazeera", "/nope"]})
    assert all(r.status_code < 500 for r in responses.values())
    assert file_state(database) == before
    assert (file_state(wal) if wal.exists() and wal.stat().st_size else None) in (wal_before, None)


# -- malformed addresses --------------------------------------------------------------------------

HUGE = "a" * 10_000  # a 10 kB value


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/days/2016-13-45", 404, "not a date"),
        ("/days/0000-00-00", 404, "not a date"),
        ("/days/9999-99-99.json", 404, "not a date"),
        ("/days/9999-12-31", 404, "no reports or milestones"),
        ("/days/2016-09-17%00", 404, "not a date"),
        ("/days/%F0%9F%92%A3", 404, "not a date"),
        ("/days/" + HUGE, 404, "not a date"),
        ("/articles/abc", 404, "no article with id"),
        ("/articles/-1", 404, "no article with id"),
        ("/articles/1.5", 404, "no article with id"),
        ("/articles/99999999999999999999", 404, "no article with id"),
        ("/articles/2147483648", 404, "no article with id"),  # one past PostgreSQL's INTEGER
        ("/articles/9223372036854775808.json", 404, "no article with id"),  # one past a 64-bit integer
        ("/articles/99999999999999999999.json", 404, "no article with id"),
        ("/articles/1%20OR%201=1", 404, "no article with id"),
        ("/milestones/%27%20OR%201=1%20--", 404, "no milestone called"),
        ("/outlets/..%2F..%2Fetc%2Fpasswd", 404, "There is no"),
        ("/days/2016-09-17?outlet=%27%20OR%201%3D1%20--", 404, "no outlet called"),
        ("/days/2016-09-17.json?outlet=%27%3B%20DROP%20TABLE%20reports%3B%20--", 404, "no outlet called"),
        ("/?outlet=rt%27--", 404, "no outlet called"),
        ("/days/2016-09-17?outlet=" + HUGE, 404, "no outlet called"),
        ("/days/2016-09-17?outlet=%E2%80%AEtr", 404, "no outlet called"),
        (f"/days/2016-09-17?outlet=al-j{CYRILLIC_A}zeera", 404, "no outlet called"),
        ("/days/2016-09-17?outlet=%FF%FE", 404, "no outlet called"),
        ("/days/2016-09-17?outlet=%00", 404, "no outlet called|nothing at this address"),  # PostgreSQL: no NUL
        ("/days/2016-09-17?" + "&".join(["outlet=rt"] * 60), 400, "too many outlet filters"),
        ("/static/../app/web.py", 404, "no page at"),
        ("/static/..%2F..%2Fapp%2Fweb.py", 404, "no page at"),
        ("/static/%2e%2e/%2e%2e/pyproject.toml", 404, "no page at"),
        ("/static/css/../../seeds/manifest.toml", 404, "no page at"),
    ],
)
def test_malformed_addresses_get_a_helpful_4xx(client: TestClient, path: str, status: int, words: str) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text[:300]
    body = html.unescape(response.text)
    assert re.search(words, body), body[:300]
    if not path.split("?")[0].endswith(".json"):
        assert response.headers["content-type"].startswith("text/html")
        assert 'href="/"' in response.text  # a way back
    assert "Traceback" not in body and "sqlite" not in body.lower()


@pytest.mark.parametrize(
    "query",
    [
        "outlet=rt&outlet=rt&outlet=rt",  # repeated
        "outlet=rt&outlet=",  # a blank among real ones
        "outlet[]=rt",  # PHP-style array syntax is just another parameter name
        "outlet=rt&x=" + HUGE,  # a huge unknown parameter
        "x=%FF&y=%00&z=" + "%E2%80%AE" * 100,  # odd bytes in parameters nobody reads
        "outlet=rt;outlet=al-jazeera",  # ; is not a separator
        "&&&=&==&outlet=rt",
    ],
)
def test_odd_but_harmless_query_strings_still_give_the_page(client: TestClient, query: str) -> None:
    for path in ("/days/2016-09-17", "/days/2016-09-17.json", "/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 404), (path, query, response.status_code)


def test_repeated_outlet_counts_once(client: TestClient) -> None:
    once = client.get("/days/2016-09-17.json?outlet=rt").json()
    thrice = client.get("/days/2016-09-17.json?outlet=rt&outlet=rt&outlet=rt").json()
    assert [r["id"] for r in thrice["reports"]] == [r["id"] for r in once["reports"]]


def test_wrong_types_in_every_parameter_never_give_a_5xx(client: TestClient) -> None:
    odd = ["", " ", "0", "-1", "1e309", "NaN", "null", "[]", "{}", "true", "'", '"', "\\", "%", "%25", "..",
           "\u0000", "\u202e", "😀", "２０１６-０９-１７", "2016-09-17T00:00", "2016-9-17", HUGE]
    for value in odd:
        quoted = value.replace("%", "%25").replace("\u0000", "%00").replace("#", "%23").replace("?", "%3F")
        for path in (f"/days/{quoted}", f"/days/{quoted}.json", f"/articles/{quoted}", f"/milestones/{quoted}",
                     f"/outlets/{quoted}.json", f"/days/2016-09-17?outlet={quoted}"):
            response = client.get(path)
            assert 400 <= response.status_code < 500 or response.status_code == 200, (path, response.status_code)


def test_future_and_ancient_days_are_404_not_errors(client: TestClient) -> None:
    for day in (dt.date.min, dt.date.max, dt.date(1970, 1, 1)):
        assert client.get(f"/days/{day.isoformat()}").status_code == 404
        assert client.get(f"/days/{day.isoformat()}.json").status_code == 404
