"""Pages built afresh against their floor, and the first view after a load against a later one, in one run.

    python -m benchmarks.uncached_pages [--repeat 30] [--big] [--db POSTGRES_SERVER_URL]

1. Uncached day page and timeline on the seed database (migrated, seeds/ loaded by the loader), through the
   app in process (called as an ASGI app, `InProcess`: middleware, routing, the route in a worker thread,
   queries, templates, no network, the page cache off), median of --repeat requests after a warm-up, taking
   turns with their floor (paired_medians): the very SQL statements the app ran for that request (captured from
   its engine) replayed on a plain DBAPI connection, and the same markup made by plain string formatting of
   their rows (`floor_page`). Goal: each page within GOAL_FLOOR_RATIO of its floor.
2. With --big, the 100,000-report database of benchmarks/scale.py: one article loaded by the loader (a new
   data version), then the first view of the day page and the timeline against the later views; LOADS rounds,
   medians. Goal: the first within GOAL_FIRST_RATIO of a later one.
3. The page cache's worth: a cached day page against an uncached one, with the page cache on.
4. On SQLite, with Datasette installed (`pip install -e '.[bench]'`): the uncached JSON twin of the day page
   against Datasette's JSON for the same rows (the twin's report query, as the app ran it, sent to Datasette's
   SQL view), both ASGI apps called in process the same way. Goal: the twin no slower (GOAL_DATASETTE_RATIO).

With --db (a PostgreSQL server URL whose user may create databases) the databases are made there instead.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import event

from app.config import settings_from_env
from benchmarks import corpus, scale

REPEAT = 30  # timed requests per page; the median is printed
GOAL_FLOOR_RATIO = 2.0  # an uncached page may take at most this many times its floor
GOAL_FIRST_RATIO = 2.0  # the first view after a load may take at most this many times a later one
DAY = scale.DAY
PAGES = [("day page", f"/days/{DAY}"), ("timeline", "/")]
CACHED_PAGE = f"/days/{DAY}"
GOAL_DATASETTE_RATIO = 1.0  # the uncached JSON twin may take at most this many times Datasette's JSON
JSON_TWIN = f"/days/{DAY}.json"
LOADS = 5  # loads, each followed by a first view of every page; the medians are compared


# -- timing through the app ---------------------------------------------------------------------------------


class InProcess:
    """The whole app (middleware, routing, dependencies, the route in a worker thread as uvicorn runs it)
    called as an ASGI app on an event loop of this thread, lifespan included. Not FastAPI's TestClient: its
    thread portal and HTTP client cost more per request (1.5 to 2 ms here) than a page's whole floor."""

    def __init__(self, url: str, *, page_cache: bool = False) -> None:
        from app.web.app import create_app

        self.app = create_app(settings_from_env({}, database_url=url, page_cache=page_cache))
        self._runner = asyncio.Runner()
        self._lifespan = self.app.router.lifespan_context(self.app)

    def __enter__(self) -> InProcess:
        self._runner.run(self._lifespan.__aenter__())
        return self

    def __exit__(self, *exc: object) -> None:
        self._runner.run(self._lifespan.__aexit__(None, None, None))
        self._runner.close()

    def get(self, path: str) -> tuple[int, str]:
        """(status, body) of a GET."""
        return self._runner.run(asgi_get(self.app, path))


async def asgi_get(app, path: str) -> tuple[int, str]:
    route, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": route, "raw_path": route.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 50000),
             "server": ("localhost", 80)}
    status, body = 0, []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(body).decode()


def client_for(url: str, *, page_cache: bool = False) -> InProcess:
    return InProcess(url, page_cache=page_cache)


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    return paired_medians([call], repeat)[0]


def paired_medians(calls: list[Callable[[], Any]], repeat: int) -> list[float]:
    """The median ms of each call, the calls taking turns (A B A B ...) after one warm-up each (templates
    compiled, statements cached, connections open): on a machine doing other work, a change in its load then
    falls on every side of a ratio, not on one."""
    for call in calls:
        call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, taken in zip(calls, samples, strict=True):
            started = time.perf_counter()
            call()
            taken.append(time.perf_counter() - started)
    return [1000 * statistics.median(taken) for taken in samples]


def get(client: InProcess, path: str) -> str:
    status, text = client.get(path)
    if status != 200:
        raise SystemExit(f"{path}: {status} {text[:200]}")
    return text


def captured_statements(client, path: str) -> list[tuple[str, Any]]:
    """(SQL, parameters) of every statement the app runs to build the page once."""
    engine = client.app.state.engine
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "SET ")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        get(client, path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


# -- the floor: the same SQL, the same markup, no framework ------------------------------------------------


def floor_page(dbapi_connection, statements: list[tuple[str, Any]], grid: tuple[list[str], list[str]] | None = None
               ) -> str:
    """The page's statements run on a plain DBAPI connection, their rows made into the page's markup by
    string formatting: a report block for every row that carries a quote, a chip for every other; with a
    grid (the timeline's days and outlet columns), a row of coverage cells per day as the strip shows it."""
    parts = []
    coverage: dict[tuple[str, str], int] = {}
    for sql, parameters in statements:
        cursor = dbapi_connection.cursor()
        cursor.execute(sql, parameters)
        names = [d[0] for d in cursor.description or ()]
        rows = cursor.fetchall()
        cursor.close()
        if _column(names, "quote") is not None:
            parts.extend(_report_block(dict(zip(names, row, strict=True))) for row in rows)
            continue
        parts.extend(_chip(row) for row in rows)
        if len(names) == 3:  # (day, outlet, count): the coverage strip's cells
            coverage.update({(str(day), str(slug)): n for day, slug, n in rows})
    if grid is not None:
        days, outlets = grid
        parts.extend(_day_row(day, outlets, coverage) for day in days)
    return "".join(parts)


def _day_row(day: str, outlets: list[str], coverage: dict[tuple[str, str], int]) -> str:
    cells = []
    for i, slug in enumerate(outlets):
        n = coverage.get((day, slug), 0)
        if n:
            cells.append(f'<li class="cell oc-{i} on" data-outlet="{slug}"><a href="/days/{day}?outlet={slug}" '
                         f'title="{slug}: {n} reports">{n}<span class="visually-hidden"> from {slug}</span></a></li>')
        else:
            cells.append(f'<li class="cell oc-{i}" data-outlet="{slug}"><span title="{slug}: nothing">'
                         f'<span class="visually-hidden">{slug}: nothing</span></span></li>')
    return (f'<li class="day"><a class="day-date" href="/days/{day}"><time datetime="{day}">{day}</time></a>'
            f'<span class="day-clock"></span><ul class="strip" aria-label="Coverage">{"".join(cells)}</ul>'
            f'<div class="day-events"></div></li>\n')


def _column(names: list[str], wanted: str) -> int | None:
    return next((i for i, name in enumerate(names) if name == wanted or name.endswith("_" + wanted)), None)


def _chip(row: tuple) -> str:
    cells = " ".join(html.escape(str(value)) for value in row)
    return (f'<li><a class="chip" href="/?outlet={cells}" hx-get="/?outlet={cells}"><span class="check" '
            f'aria-hidden="true">+</span><span class="swatch" aria-hidden="true"></span>{cells} '
            f'<span class="count">{cells}</span><span class="visually-hidden">select to add</span></a></li>\n')


def _report_block(row: dict[str, Any]) -> str:
    def value(suffix: str) -> str:
        found = next((v for k, v in row.items() if k == suffix or k.endswith("_" + suffix)), None)
        return html.escape(str(found)) if found is not None else ""

    return (f'<article class="report" id="r{value("id")}"><header class="report-meta">'
            f'<span class="kind kind-{value("kind")}">{value("kind")}</span>'
            f'<a class="milestone-tag" href="/milestones/{value("slug")}">{value("title")}</a></header>'
            f'<blockquote dir="auto"><p>{value("quote")}</p></blockquote>'
            f'<p class="speaker">— <span dir="auto">{value("speaker")}</span></p>'
            f'<p class="dating"><span class="dating-label">Dated by</span> <q dir="auto">{value("basis")}</q> → '
            f'<strong>{value("date")}</strong>: {value("reasoning")}. The article was published '
            f'{value("published")}.</p><p class="source"><a href="/articles/{value("article_id")}#r{value("id")}">'
            f'Read it in the article</a>: <span class="muted" dir="auto">{value("source")}</span></p></article>\n')


def raw_connection(url: str):
    from sqlalchemy import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(parsed.database)
    import psycopg

    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))


# -- the measurements -------------------------------------------------------------------------------------


def floor_ratios(url: str, repeat: int) -> list[tuple[str, float, float]]:
    """(page, app ms, floor ms) for each of PAGES, then ("/healthz", its ms, 0): what a request costs the app
    with no page to build, part of every page's time and of no floor's."""
    results = []
    with client_for(url) as client:
        results.append(("/healthz", median_ms(lambda: get(client, "/healthz"), repeat), 0.0))
        connection = raw_connection(url)
        timeline = json.loads(get(client, "/.json"))
        grid = ([d["date"] for d in timeline["days"]], [o["slug"] for o in timeline["outlets"]])
        for label, path in PAGES:
            get(client, path)  # warm-up before the statements are captured: nothing compiled in them
            statements = captured_statements(client, path)
            page_grid = grid if path == "/" else None
            app_ms, floor_ms = paired_medians([lambda path=path: get(client, path),
                                               lambda s=statements, g=page_grid: floor_page(connection, s, g)], repeat)
            results.append((label, app_ms, floor_ms))
        connection.close()
    return results


def first_view_ratios(url: str, folder: Path, repeat: int) -> list[tuple[str, float, float]]:
    """(page, median first view ms after a load, median later view ms), over LOADS rounds: each loads one new
    article by the loader (a new data version, new counts), then views every page once and `repeat` times more."""
    from app.store.engine import make_engine
    from app.store.loader import load_paths
    from app.store.seedfiles import load_catalog

    catalog = load_catalog(scale.SEEDS_DIR)
    firsts: dict[str, list[float]] = {label: [] for label, _ in PAGES}
    laters: dict[str, list[float]] = {label: [] for label, _ in PAGES}
    engine = make_engine(url)
    with client_for(url) as client:
        for _label, path in PAGES:
            get(client, path)  # the app warmed up before the first load: templates compiled, connections open
        for round_ in range(LOADS):
            article = folder / f"fresh-{round_}"
            corpus.write(article, 1, seed=20260917 + round_)
            assert load_paths(engine, [article], catalog=catalog).articles
            for label, path in PAGES:
                started = time.perf_counter()
                get(client, path)
                firsts[label].append(1000 * (time.perf_counter() - started))
                laters[label].append(median_ms(lambda path=path: get(client, path), repeat))
    engine.dispose()
    return [(label, statistics.median(firsts[label]), statistics.median(laters[label])) for label, _ in PAGES]


def page_cache_worth(url: str, repeat: int) -> tuple[float, float]:
    """(uncached ms, cached ms) of the day page, in process."""
    with client_for(url) as uncached_client, client_for(url, page_cache=True) as cached_client:
        uncached, cached = paired_medians([lambda: get(uncached_client, CACHED_PAGE),
                                           lambda: get(cached_client, CACHED_PAGE)], repeat)
    return uncached, cached


def datasette_ratio(url: str, repeat: int) -> tuple[float, float, int] | None:
    """(uncached JSON twin ms, Datasette ms, rows) for the day's reports; None without Datasette."""
    try:
        from datasette.app import Datasette
    except ImportError:
        return None
    from sqlalchemy import make_url

    path = Path(make_url(url).database)
    datasette = Datasette([str(path)], immutables=[])
    app = datasette.app()
    with client_for(url) as client, asyncio.Runner() as runner:
        sql, parameters = next((s, p) for s, p in captured_statements(client, JSON_TWIN) if "quote" in s)
        rows = len(json.loads(get(client, JSON_TWIN))["reports"])
        names = [f"p{i}" for i in range(len(parameters))]
        for name in names:  # the app's qmark placeholders as Datasette's named ones, in order
            sql = sql.replace("?", f":{name}", 1)
        query = urlencode({"sql": sql, "_shape": "objects", **dict(zip(names, map(str, parameters), strict=True))})
        runner.run(datasette.invoke_startup())

        def fetch() -> str:
            status, text = runner.run(asgi_get(app, f"/{path.stem}.json?{query}"))
            if status != 200:
                raise SystemExit(f"Datasette: {status} {text[:200]}")
            return text

        found = len(json.loads(fetch())["rows"])
        if found != rows:
            raise SystemExit(f"Datasette found {found} rows, the twin {rows}")
        twin_ms, datasette_ms = paired_medians([lambda: get(client, JSON_TWIN), fetch], repeat)
    return twin_ms, datasette_ms, rows


def verdict(ratio: float, goal: float) -> str:
    return f"{ratio:.2f}x (goal <= {goal:.1f}x: {'met' if ratio <= goal else 'NOT met'})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--big", action="store_true", help="also the first view after a load on 100k reports")
    parser.add_argument("--db", help="a PostgreSQL server URL whose user may create databases")
    args = parser.parse_args(argv)
    met = True
    with tempfile.TemporaryDirectory() as tmp, scale.databases(args.db, keep=False) as (seed, big):
        scale.build(seed, big=False)
        print(f"seed database ({'PostgreSQL' if args.db else 'SQLite'}), median of {args.repeat}:")
        ratios = floor_ratios(seed, args.repeat)
        print(f"  a request with no page to build (/healthz): {ratios[0][1]:.2f} ms")
        for label, app_ms, floor_ms in ratios[1:]:
            ratio = app_ms / floor_ms
            met &= ratio <= GOAL_FLOOR_RATIO
            print(f"  {label:<10} uncached {app_ms:7.2f} ms, floor {floor_ms:6.2f} ms: "
                  f"{verdict(ratio, GOAL_FLOOR_RATIO)}")
        uncached, cached = page_cache_worth(seed, args.repeat)
        print(f"  page cache: day page uncached {uncached:.2f} ms, cached {cached:.2f} ms "
              f"({uncached / cached:.1f}x faster from the cache)")
        compared = None if args.db else datasette_ratio(seed, args.repeat)
        if compared is not None:
            twin_ms, datasette_ms, rows = compared
            ratio = twin_ms / datasette_ms
            met &= ratio <= GOAL_DATASETTE_RATIO
            print(f"  JSON twin  uncached {twin_ms:7.2f} ms, Datasette's JSON of its {rows} report rows "
                  f"{datasette_ms:.2f} ms: {verdict(ratio, GOAL_DATASETTE_RATIO)}")
        elif not args.db:
            print("  JSON twin against Datasette: not measured, Datasette is not installed (pip install -e '.[bench]')")
        if args.big:
            scale.build(big, big=True)
            print(f"big database ({scale.REPORTS:,} reports), first view after each of {LOADS} loads vs later views:")
            for label, first, later in first_view_ratios(big, Path(tmp), args.repeat):
                ratio = first / later
                met &= ratio <= GOAL_FIRST_RATIO
                print(f"  {label:<10} first {first:8.2f} ms, later {later:7.2f} ms: {verdict(ratio, GOAL_FIRST_RATIO)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
