"""Whole responses served from memory until the data changes: a plain ASGI middleware in front of the routes.

A day page costs about 10 ms of CPU to build (queries, then mostly Jinja), and the data changes only when a
loader commits. So every GET of a page, its htmx fragment or its .json/.csv twin that answers 200 is kept,
bytes and headers, under

    (data version, base of absolute links, path, query string, HX-Request, HX-History-Restore-Request)

and a repeat view is sent from memory without routing, queries or templates. The data version
(`data_version.version`, migration 0004) is moved by triggers in every transaction that writes what a page
shows; each request reads it first (one indexed one-row SELECT on a connection of the read-only engine
kept for this alone), so a load that commits is visible on the very next request, in every worker process
and on every machine, with nothing to invalidate by hand. The version is read before the page's own
queries, so a cached page is never older than the version it is filed under.

- The key holds every request header a response varies on: app.render.VARY names them (the full page or
  the fragment), and the base of absolute links (feeds and calendars hold them), computed by the very
  function the routes build them with (app.urls.site_base: Settings.public_url, else the request's scheme
  and host). A request with two Host headers never gets here (app.security.SingleHost). A response whose
  Vary names any other header, or that sets a cookie or says no-store, is never kept.
- Never kept: /static and /healthz, anything but a 200 (errors, redirects), and a single response over
  MAX_ENTRY_BYTES (still sent, with its ETag).
- Bounded: least recently used entries go first once the total passes MAX_BYTES; a new data version drops
  everything at once (nothing filed under an older one can be asked for again).
- ETag: the data version and a hash of the body; If-None-Match gets a 304 when it names it.
- Concurrent misses on one key wait for the first to finish and then share its entry (after a load, 32
  connections asking for the same day build it once, not 32 times).

Settings.page_cache (TIMELINE_PAGE_CACHE=0) leaves the middleware out, for measuring rendering itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import anyio
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.store.engine import DATA_VERSION_SQL
from app.web.render import VARY
from app.web.urls import site_base

# 64 MB per worker: a full day page is 30 to 80 kB, so this holds every day of the timeline in all its forms
# (page, fragment, JSON, CSV, a few dozen outlet filters and pages) many times over, and stays small next to
# the worker's own ~100 MB; a busy site with many filter combinations keeps its most viewed ones.
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = MAX_BYTES // 16  # a bigger response (a whole-corpus export) is sent, not kept: it would evict all
ENTRY_OVERHEAD = 256  # bytes counted per entry beyond its body and headers (the key, the tuple, the dict slot)
UNCACHED_PREFIXES = ("/static/", "/healthz")  # files have their own caching; the health check must run each time
VARIED = tuple(name.strip().lower().encode() for name in VARY.split(","))  # request headers in the key
KEPT_VARY = frozenset(VARIED)
# How long the data version's SELECT may wait (PostgreSQL: on a lock another session holds on the table). The
# read itself takes well under a millisecond; past this the page is built afresh rather than wait.
VERSION_TIMEOUT_MS = 300


@dataclass(frozen=True)
class Entry:
    headers: list[tuple[bytes, bytes]]  # as the app sent them, plus the ETag
    body: bytes
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD


class DataVersion:
    """Reads the database's data version on one connection of its own (one round trip, no pool checkout).

    The SELECT runs in a worker thread, never on the event loop: another session locking `data_version` (a
    LOCK TABLE, a migration) made a read on the loop wait with it, and every request, /healthz and /static
    included, waited too. The thread comes from a limiter of its own, so the read never queues behind the
    page threads (Settings.page_threads). On PostgreSQL the connection has a statement timeout
    (VERSION_TIMEOUT_MS): a read that waits longer gives None and the page is built afresh, uncached.

    Requests share reads: one that arrives while a read is under way waits for the next one, which starts
    when that read ends and serves everyone who arrived meanwhile. So each request still gets a version read
    after it arrived (a commit before it is always seen), at most two reads are in flight, and a locked table
    costs a request two timeouts at most, however many are waiting.

    Opening the connection, which may wait on the network, runs in a thread too; requests meanwhile are
    built without the cache. The connection is detached from the engine's pool, so the pages keep every
    pooled connection, and runs each SELECT as its own read (autocommit), so it always sees the latest
    commit. On any error it is dropped and a later request opens a new one.
    """

    def __init__(self, engine: Engine, timeout_ms: int = VERSION_TIMEOUT_MS) -> None:
        self._engine = engine
        self.timeout_ms = timeout_ms  # read when the connection opens
        self._connection = None
        self._connecting = False
        self._limiter = anyio.CapacityLimiter(1)  # reads take turns anyway: one connection, one at a time
        self._reading: asyncio.Future | None = None  # the read under way
        self._next: asyncio.Future | None = None  # the read that requests arriving now will share

    async def read(self) -> int | None:
        """The current data version, or None when the database cannot be read now (the page is built afresh)."""
        if self._connection is None:
            if self._connecting:
                return None
            self._connecting = True
            try:
                self._connection = await anyio.to_thread.run_sync(self._connect, limiter=self._limiter)
            except Exception:  # the database is down or unreachable: the pages will say so
                return None
            finally:
                self._connecting = False
        if self._next is None:
            self._next = asyncio.ensure_future(self._read_after(self._reading))
        return await asyncio.shield(self._next)  # a request that goes away leaves the read to the others

    async def _read_after(self, previous: asyncio.Future | None) -> int | None:
        if previous is not None:
            await asyncio.wait([previous])
        this = asyncio.current_task()
        self._reading, self._next = this, None  # from now on, new arrivals wait for the read after this one
        try:
            return await anyio.to_thread.run_sync(self._select, limiter=self._limiter)
        finally:
            if self._reading is this:
                self._reading = None

    def _select(self) -> int | None:
        connection = self._connection
        if connection is None:  # closed since the read was asked for
            return None
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(DATA_VERSION_SQL)
                rows = cursor.fetchall()  # read to the end: an unfinished SQLite statement would pin its snapshot
            finally:
                cursor.close()
            return int(rows[0][0]) if rows else None
        except Exception:  # a timeout, a lost connection, a database without migration 0004: no caching this time
            self.close()
            return None

    def _connect(self):
        connection = self._engine.raw_connection()
        connection.detach()  # ours alone from now on; it frees its pool slot
        if self._engine.dialect.name == "postgresql":
            connection.dbapi_connection.autocommit = True  # each SELECT its own (read-only) transaction
            cursor = connection.cursor()
            cursor.execute(f"SET statement_timeout = {int(self.timeout_ms)}")
            cursor.close()
        return connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken: nothing left to release
                connection.close()


class PageCache:
    """ASGI middleware: 200 GET responses kept per data version, sent again from memory, with ETags and 304s."""

    def __init__(self, app: ASGIApp, *, version: DataVersion, public_url: str | None = None,
                 max_bytes: int = MAX_BYTES, max_entry_bytes: int = MAX_ENTRY_BYTES) -> None:
        self.app = app
        self.version = version
        self.public_url = public_url  # Settings.public_url: the base of absolute links when set
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.current: int | None = None  # the newest data version seen; entries are all filed under it
        self.pending: dict[tuple, asyncio.Event] = {}
        self.hits = self.misses = 0  # for tests and curious operators

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        version = await self.version.read()
        if version is None:
            await self.app(scope, receive, send)
            return
        if version != self.current:  # a commit (or a restore) since the last request: all of it is stale
            self.clear()
            self.current = version
        headers = dict(scope["headers"])  # the varied headers count by their presence (app.render.wants_fragment)
        # The absolute links' base exactly as the routes build it (never a Host header of our own choosing:
        # one read the last of two Host headers while the links were built from the first).
        key = (version, site_base(scope, self.public_url), scope.get("root_path", ""), scope["path"],
               scope["query_string"], *(headers.get(name) for name in VARIED))
        if_none_match = headers.get(b"if-none-match")
        building = self.pending.get(key)
        if building is not None:  # the same page is being built: wait for it, then share it
            await building.wait()
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            await _send_entry(send, entry, if_none_match)
            return
        self.misses += 1
        if building is not None:  # it was not kept (an error, too big): build ours alongside the others
            await self._build(key, None, scope, receive, send, if_none_match)
            return
        done = self.pending[key] = asyncio.Event()
        try:
            await self._build(key, done, scope, receive, send, if_none_match)
        finally:
            self._release(key, done)

    async def _build(self, key: tuple, done: asyncio.Event | None, scope: Scope, receive: Receive, send: Send,
                     if_none_match: bytes | None) -> None:
        """Run the app; keep its answer when it is a whole 200 that may be kept, else pass it through as is."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _cacheable(message):
                    start = message
                    return
                self._release(key, done)  # nothing to share: whoever waits builds their own
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = b'"%d-%s"' % (key[0], hashlib.blake2b(body, digest_size=12).hexdigest().encode())
            entry = Entry([*start["headers"], (b"etag", etag)], body, etag)
            self._keep(key, entry)
            self._release(key, done)  # before sending: the waiting requests need not wait for this client to read
            await _send_entry(send, entry, if_none_match)

        await self.app(scope, receive, capture)

    def _release(self, key: tuple, done: asyncio.Event | None) -> None:
        """Wake the requests waiting on this build (once; only the build that registered `done`)."""
        if done is not None and self.pending.get(key) is done:
            del self.pending[key]
            done.set()

    def _keep(self, key: tuple, entry: Entry) -> None:
        if key[0] != self.current or entry.size > self.max_entry_bytes:
            return  # built under a version already replaced, or too big to keep
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, oldest = self.entries.popitem(last=False)
            self.size -= oldest.size

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


def _cacheable(start: Message) -> bool:
    if start["status"] != 200:
        return False
    for name, value in start.get("headers", []):
        name = name.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"no-store" in value.lower() or b"private" in value.lower()):
            return False
        if name == b"vary" and not {v.strip().lower() for v in value.split(b",")} <= KEPT_VARY:
            return False  # varies on a header the key does not hold (or on "*")
    return True


async def _send_entry(send: Send, entry: Entry, if_none_match: bytes | None) -> None:
    if if_none_match is not None and _matches(if_none_match, entry.etag):
        # 304: no body; the validators and Vary, so a browser cache files it where the 200 went.
        kept = [(k, v) for k, v in entry.headers if k.lower() in (b"etag", b"vary", b"cache-control")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    # A copy: the middleware outside (security headers) adds to the list it is given.
    await send({"type": "http.response.start", "status": 200, "headers": list(entry.headers)})
    await send({"type": "http.response.body", "body": entry.body})


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    """If-None-Match's weak comparison: "*", or any listed tag equal to ours with or without W/."""
    tags = [tag.strip() for tag in if_none_match.split(b",")]
    return b"*" in tags or any(tag.removeprefix(b"W/") == etag for tag in tags)
