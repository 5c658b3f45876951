"""The page cache (app/pagecache.py): repeat views from memory, a commit seen on the very next request, ETags.

On SQLite and PostgreSQL alike (the `client` fixture is parametrized by backend); the last tests drive the
middleware alone over a stand-in app.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import anyio.to_thread
import httpx2
import pytest
from conftest import serving
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.config import Settings, settings_from_env
from app.extract.catalog import Catalog
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.store.models import Report
from app.web.app import create_app
from app.web.pagecache import VERSION_TIMEOUT_MS, DataVersion, PageCache

DAY = "/days/2016-09-17"
HX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
NEW_ARTICLE = ("BEIRUT, Sept 20 (Reuters) - Zanzibarian monitors said on Monday that the truce had collapsed "
               "in Aleppo.\n")


def page_cache(app) -> PageCache | None:
    """The PageCache instance in the app's middleware stack (built on the first request), if any."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    return layer


@pytest.fixture
def client(private_client: TestClient) -> TestClient:
    """Every test here counts what its own app's cache holds and renders: an app of its own, not the shared one."""
    return private_client


@contextmanager
def counted_renders(client: TestClient) -> Iterator[list[str]]:
    """The template names the client's app renders meanwhile: the renderer is the one thing a cached view skips."""
    templates = client.app.state.templates
    names: list[str] = []
    original = templates.TemplateResponse

    def counting(request, name, *args, **kwargs):
        names.append(name)
        return original(request, name, *args, **kwargs)

    templates.TemplateResponse = counting
    yield names
    del templates.TemplateResponse


@pytest.fixture
def renders(client: TestClient) -> Iterator[list[str]]:
    """The template names rendered from now on by the shared-database client."""
    with counted_renders(client) as names:
        yield names


def test_a_repeat_view_comes_from_memory(client: TestClient, renders: list[str]) -> None:
    first = client.get(DAY)
    second = client.get(DAY)
    assert first.status_code == second.status_code == 200
    assert renders == ["day.html"]  # built once
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-security-policy"] and second.headers["vary"] == first.headers["vary"]
    cache = page_cache(client.app)
    assert cache is not None and cache.hits == 1 and cache.misses == 1
    assert client.get(f"{DAY}.json").json() == client.get(f"{DAY}.json").json()
    assert client.get(f"{DAY}.csv").text == client.get(f"{DAY}.csv").text
    assert cache.hits == 3 and renders == ["day.html"]  # the twins are no templates, and each was built once


def test_a_load_is_seen_on_the_next_request(fresh_client: TestClient, seeded_engine: Engine, catalog: Catalog,
                                            tmp_path: Path) -> None:
    client = fresh_client  # on this test's own database, which the load below writes to
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "monitors.txt").write_text(NEW_ARTICLE)
    with counted_renders(client) as renders:
        before = {path: client.get(path).text for path in ("/", "/days/2016-09-19", "/days/2016-09-19.json")}
        assert all(client.get(path).text == text for path, text in before.items())  # from memory
        summary = load_paths(seeded_engine, [folder], catalog=catalog)
        assert summary.loaded == 1
        with Session(seeded_engine) as session:
            day = session.scalar(select(Report.date).where(Report.quote.contains("Zanzibarian"))).isoformat()
        page = client.get(f"/days/{day}")
        assert "Zanzibarian" in page.text
        assert "Zanzibarian" in client.get(f"/days/{day}.json").text
        assert client.get("/").text != before["/"]  # the timeline counts the new report
        assert renders.count("timeline.html") == 2 and renders.count("day.html") == 2


def test_the_fragment_and_the_page_are_never_mixed_up(client: TestClient, renders: list[str]) -> None:
    for _ in range(2):
        page = client.get(DAY).text
        fragment = client.get(DAY, headers=HX).text
        restored = client.get(DAY, headers=HISTORY_RESTORE).text
        assert page.startswith("<!doctype html>") and restored == page
        assert fragment.strip().startswith('<div class="results"') and "<!doctype" not in fragment
    assert renders == ["day.html", "partials/_day.html", "day.html"]  # three keys, each built once
    assert client.get(DAY, headers=HX).headers["vary"] == "HX-Request, HX-History-Restore-Request"


def test_the_query_string_is_part_of_the_key(client: TestClient) -> None:
    filtered = client.get(f"{DAY}?outlet=rt").text
    assert client.get(DAY).text != filtered
    assert client.get(f"{DAY}?outlet=rt").text == filtered


@pytest.mark.parametrize("path", ["/days/1999-01-01", "/days/2016-09-17?outlet=nowhere", "/outlets/nowhere.json",
                                  "/days/2016-09-17?page=0"])
def test_errors_are_never_kept(client: TestClient, renders: list[str], path: str) -> None:
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code and first.status_code in (400, 404)
    assert "etag" not in second.headers
    cache = page_cache(client.app)
    assert cache.hits == 0 and not cache.entries
    assert len(renders) == (0 if path.endswith(".json") else 2)  # each error page built afresh


@pytest.mark.parametrize("path", ["/healthz", "/static/css/site.css"])
def test_health_and_static_files_pass_by(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == client.get(path).status_code == 200
    cache = page_cache(client.app)
    assert cache.hits == cache.misses == 0 and not cache.entries


def test_if_none_match_gets_a_304(client: TestClient, renders: list[str]) -> None:
    etag = client.get(DAY).headers["etag"]
    assert re.fullmatch(r'"\d+-[0-9a-f]{24}"', etag)
    for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = client.get(DAY, headers={"If-None-Match": validator})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified.headers["etag"] == etag and not_modified.headers["vary"]
        assert not_modified.headers["content-security-policy"]
    assert client.get(DAY, headers={"If-None-Match": '"0-stale"'}).status_code == 200
    fragment = client.get(DAY, headers={**HX, "If-None-Match": etag})  # another body, another tag
    assert fragment.status_code == 200 and fragment.headers["etag"] != etag
    assert renders == ["day.html", "partials/_day.html"]


def test_a_304_is_also_given_by_a_fresh_build(client: TestClient) -> None:
    etag = client.get(DAY).headers["etag"]
    page_cache(client.app).clear()  # as if evicted: the page is built again and gets the same tag
    assert client.get(DAY, headers={"If-None-Match": etag}).status_code == 304


def test_the_setting_turns_it_off(seeded_settings: Settings) -> None:
    assert settings_from_env({"TIMELINE_PAGE_CACHE": "0"}).page_cache is False
    assert settings_from_env({"TIMELINE_PAGE_CACHE": "off"}).page_cache is False
    assert settings_from_env({"TIMELINE_PAGE_CACHE": "1"}).page_cache is True
    assert settings_from_env({}).page_cache is True
    off = settings_from_env({"TIMELINE_PAGE_CACHE": "0"}, database_url=seeded_settings.database_url)
    with TestClient(create_app(off)) as client:
        templates = client.app.state.templates
        names: list[str] = []
        original = templates.TemplateResponse
        templates.TemplateResponse = lambda request, name, *a, **k: names.append(name) or original(request, name,
                                                                                                     *a, **k)
        first, second = client.get(DAY), client.get(DAY)
        assert first.text == second.text and "etag" not in second.headers
        assert names == ["day.html", "day.html"] and page_cache(client.app) is None


def test_concurrent_misses_build_the_page_once(seeded_settings: Settings) -> None:
    app = create_app(seeded_settings)
    calls: list[str] = []
    templates = app.state.templates
    original = templates.TemplateResponse
    templates.TemplateResponse = lambda request, name, *a, **k: calls.append(name) or original(request, name, *a, **k)

    async def burst() -> list[httpx2.Response]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/days/2016-09-18")  # the cache's own connection opened (requests meanwhile bypass it)
            calls.clear()
            return await asyncio.gather(*(client.get(DAY) for _ in range(8)))

    try:
        responses = asyncio.run(burst())
    finally:
        app.state.data_version.close()
        app.state.engine.dispose()
    assert {r.status_code for r in responses} == {200} and len({r.content for r in responses}) == 1
    assert calls == ["day.html"]


# -- the middleware alone --------------------------------------------------------------------------


@dataclasses.dataclass
class FixedVersion:
    value: int | None = 1

    async def read(self) -> int | None:
        return self.value


def stand_in(body_for: dict[str, bytes], headers: list[tuple[bytes, bytes]] | None = None):
    """An ASGI app answering each path with its body (404 for others), counting its calls."""
    calls: list[str] = []

    async def app(scope, receive, send) -> None:
        calls.append(scope["path"])
        body = body_for.get(scope["path"])
        status = 200 if body is not None else 404
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-length", str(len(body or b"")).encode()), *(headers or [])]})
        await send({"type": "http.response.body", "body": body or b""})

    app.calls = calls  # type: ignore[attr-defined]
    return app


def fetch(app, *paths: str, headers: dict[str, str] | None = None) -> list[httpx2.Response]:
    async def go() -> list[httpx2.Response]:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://testserver") as client:
            return [await client.get(path, headers=headers) for path in paths]

    return asyncio.run(go())


def test_memory_is_bounded_least_recently_used_first() -> None:
    inner = stand_in({f"/p{n}": bytes([65 + n]) * 1000 for n in range(5)})
    cache = PageCache(inner, version=FixedVersion(), max_bytes=3 * 1500, max_entry_bytes=2000)
    fetch(cache, "/p0", "/p1", "/p2", "/p0", "/p3")  # /p1 is the least recently used when /p3 comes
    assert [key[3] for key in cache.entries] == ["/p2", "/p0", "/p3"]
    assert cache.size <= cache.max_bytes
    fetch(cache, "/p1", "/p0")
    assert inner.calls == ["/p0", "/p1", "/p2", "/p3", "/p1"]


def test_a_response_too_big_is_sent_not_kept() -> None:
    inner = stand_in({"/big": b"x" * 5000})
    cache = PageCache(inner, version=FixedVersion(), max_bytes=100_000, max_entry_bytes=4000)
    big, again = fetch(cache, "/big", "/big")
    assert big.content == again.content == b"x" * 5000 and big.headers["etag"]
    assert inner.calls == ["/big", "/big"] and not cache.entries


def test_a_new_version_drops_everything_and_an_unreadable_one_bypasses() -> None:
    version = FixedVersion(7)
    inner = stand_in({"/a": b"a"})
    cache = PageCache(inner, version=version)
    first, _ = fetch(cache, "/a", "/a")
    assert first.headers["etag"].startswith('"7-')
    version.value = 8
    (second,) = fetch(cache, "/a")
    assert second.headers["etag"].startswith('"8-') and len(cache.entries) == 1
    version.value = None  # the database cannot be read: every request goes to the app
    fetch(cache, "/a", "/a")
    assert inner.calls == ["/a", "/a", "/a", "/a"]


@pytest.mark.parametrize("header", [(b"set-cookie", b"a=b"), (b"cache-control", b"no-store"),
                                    (b"vary", b"Accept-Language"), (b"vary", b"*")])
def test_responses_that_must_not_be_shared_are_not_kept(header: tuple[bytes, bytes]) -> None:
    inner = stand_in({"/a": b"a"}, headers=[header])
    cache = PageCache(inner, version=FixedVersion())
    fetch(cache, "/a", "/a")
    assert inner.calls == ["/a", "/a"] and not cache.entries


def test_other_methods_pass_by() -> None:
    inner = stand_in({"/a": b"a"})
    cache = PageCache(inner, version=FixedVersion())

    async def go() -> None:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=cache), base_url="http://testserver") as c:
            await c.head("/a")
            await c.post("/a")

    asyncio.run(go())
    assert inner.calls == ["/a", "/a"] and not cache.entries


def test_waiting_requests_build_their_own_when_the_first_is_not_kept() -> None:
    in_flight, most = [0], [0]

    async def slow_404(scope, receive, send) -> None:
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    cache = PageCache(slow_404, version=FixedVersion())

    async def burst() -> list[httpx2.Response]:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=cache), base_url="http://testserver") as c:
            return await asyncio.gather(*(c.get("/missing") for _ in range(6)))

    assert [r.status_code for r in asyncio.run(burst())] == [404] * 6
    assert most[0] == 5 and not cache.pending  # the first alone, then the other five side by side, not one by one


# -- a locked data version (PostgreSQL) --------------------------------------------------------------

LOCK_DATA_VERSION = "LOCK TABLE data_version IN ACCESS EXCLUSIVE MODE"
WAITING_ON_IT = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'data_version'::regclass"
ANSWER_SECONDS = 30  # a request that takes this long is hung, not slow


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + ANSWER_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never saw {what}")
        time.sleep(0.01)


def test_a_locked_data_version_holds_up_no_other_request(postgres_url: str) -> None:
    """Another session holds data_version locked: while a page's version read waits on the lock, /healthz and
    /static answer; with the statement timeout the page is built uncached instead of waiting for the lock."""
    writer = make_engine(postgres_url)
    migrate(writer)
    app = create_app(settings_from_env({}, database_url=postgres_url))
    version = app.state.data_version
    version.timeout_ms = 600_000  # first: the read waits as long as the lock is held, so the order is certain
    try:
        with serving(app) as base, writer.connect() as locker, writer.connect() as watcher, \
                ThreadPoolExecutor(1) as pool:
            locker.execute(text(LOCK_DATA_VERSION))
            page = pool.submit(httpx2.get, f"{base}/", timeout=ANSWER_SECONDS)
            wait_for(lambda: watcher.execute(text(WAITING_ON_IT)).scalar_one() > 0, "the version read wait")
            assert httpx2.get(f"{base}/healthz", timeout=ANSWER_SECONDS).text == "ok"
            assert httpx2.get(f"{base}/static/css/site.css", timeout=ANSWER_SECONDS).status_code == 200
            assert not page.done()  # both answered while the page still waited for the version
            locker.rollback()
            assert page.result().status_code == 200 and page.result().headers["etag"]

            version.timeout_ms = VERSION_TIMEOUT_MS  # now the real limit, on a new connection
            version.close()
            locker.execute(text(LOCK_DATA_VERSION))
            uncached = httpx2.get(f"{base}/", timeout=ANSWER_SECONDS)
            assert uncached.status_code == 200 and "etag" not in uncached.headers  # built afresh, lock still held
            assert watcher.execute(text("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock'"
                                        " AND relation = 'data_version'::regclass")).scalar_one() == 1
            locker.rollback()
            assert httpx2.get(f"{base}/", timeout=ANSWER_SECONDS).headers["etag"]  # cached again
    finally:
        writer.dispose()


class GatedVersion(DataVersion):
    """A DataVersion whose SELECT is counted and, the first time, held until the test lets it go."""

    def __init__(self) -> None:
        super().__init__(engine=None)  # type: ignore[arg-type]
        self.selects = 0
        self.entered, self.go_on = threading.Event(), threading.Event()

    def _connect(self):
        return object()

    def _select(self) -> int:
        self.selects += 1
        if self.selects == 1:
            self.entered.set()
            self.go_on.wait(ANSWER_SECONDS)
        return self.selects


def test_requests_arriving_during_a_read_share_the_next_one() -> None:
    """Each gets a version read begun after it arrived (a commit before it is seen), and they share it."""
    version = GatedVersion()

    async def go() -> tuple[int, list[int]]:
        first = asyncio.ensure_future(version.read())
        await anyio.to_thread.run_sync(version.entered.wait)  # the first read is under way
        later = [asyncio.ensure_future(version.read()) for _ in range(5)]
        await asyncio.sleep(0)  # they have asked
        version.go_on.set()
        return await first, list(await asyncio.gather(*later))

    first, later = asyncio.run(go())
    assert (first, later) == (1, [2] * 5) and version.selects == 2
