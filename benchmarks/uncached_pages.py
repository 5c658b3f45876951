"""Pages built afresh against their floor, and the first view after a load against a later one, in one run.

    python -m benchmarks.uncached_pages [--repeat 30] [--big] [--db POSTGRES_SERVER_URL]

1. Uncached day page and timeline on the seed database (migrated, seeds/ loaded by the loader), through the
   app in process (FastAPI's TestClient: routing, queries, templates, no network, the page cache off), median
   of --repeat requests after a warm-up; against their floor: the very SQL statements the app ran for that
   request (captured from its engine) replayed on a plain DBAPI connection, and the same markup made by plain
   string formatting of their rows (`floor_page`). Goal: each page within GOAL_FLOOR_RATIO of its floor.
2. With --big, the 100,000-report database of benchmarks/scale.py: one article loaded by the loader (a new
   data version), then the first view of the day page and the timeline against the later views; LOADS rounds,
   medians. Goal: the first within GOAL_FIRST_RATIO of a later one.
3. The page cache's worth: a cached day page against an uncached one, with the page cache on.

With --db (a PostgreSQL server URL whose user may create databases) the databases are made there instead.
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.config import settings_from_env
from benchmarks import corpus, scale

REPEAT = 30  # timed requests per page; the median is printed
GOAL_FLOOR_RATIO = 2.0  # an uncached page may take at most this many times its floor
GOAL_FIRST_RATIO = 2.0  # the first view after a load may take at most this many times a later one
DAY = scale.DAY
PAGES = [("day page", f"/days/{DAY}"), ("timeline", "/")]
CACHED_PAGE = f"/days/{DAY}"
LOADS = 5  # loads, each followed by a first view of every page; the medians are compared


# -- timing through the app ---------------------------------------------------------------------------------


def client_for(url: str, *, page_cache: bool = False):
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    return TestClient(create_app(settings_from_env({}, database_url=url, page_cache=page_cache)))


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    call()  # warm-up: templates compiled, statements cached, connections open
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return 1000 * statistics.median(samples)


def get(client, path: str) -> str:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
    return response.text


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
    """(page, app ms, floor ms) for each of PAGES."""
    results = []
    with client_for(url) as client:
        connection = raw_connection(url)
        timeline = client.get("/.json").json()
        grid = ([d["date"] for d in timeline["days"]], [o["slug"] for o in timeline["outlets"]])
        for label, path in PAGES:
            app_ms = median_ms(lambda path=path: get(client, path), repeat)
            statements = captured_statements(client, path)
            page_grid = grid if path == "/" else None
            floor_ms = median_ms(lambda s=statements, g=page_grid: floor_page(connection, s, g), repeat)
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
    with client_for(url) as client:
        uncached = median_ms(lambda: get(client, CACHED_PAGE), repeat)
    with client_for(url, page_cache=True) as client:
        cached = median_ms(lambda: get(client, CACHED_PAGE), repeat)
    return uncached, cached


def verdict(ratio: float, goal: float) -> str:
    return f"{ratio:.2f}x (goal <= {goal:.1f}x: {'met' if ratio <= goal else 'NOT met'})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--big", action="store_true", help="also the first view after a load on 100k reports")
    parser.add_argument("--db", help="a PostgreSQL server URL whose user may create databases")
    args = parser.parse_args(argv)
    met = True
    with tempfile.TemporaryDirectory() as tmp, scale.databases(args.db, Path(tmp), keep=False) as (seed, big):
        scale.build(seed, big=False)
        print(f"seed database ({'PostgreSQL' if args.db else 'SQLite'}), median of {args.repeat}:")
        for label, app_ms, floor_ms in floor_ratios(seed, args.repeat):
            ratio = app_ms / floor_ms
            met &= ratio <= GOAL_FLOOR_RATIO
            print(f"  {label:<10} uncached {app_ms:7.2f} ms, floor {floor_ms:6.2f} ms: "
                  f"{verdict(ratio, GOAL_FLOOR_RATIO)}")
        uncached, cached = page_cache_worth(seed, args.repeat)
        print(f"  page cache: day page uncached {uncached:.2f} ms, cached {cached:.2f} ms "
              f"({uncached / cached:.1f}x faster from the cache)")
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
