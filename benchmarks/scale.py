"""The pages at scale: 100,000 reports over 20,000 articles against the five seeds, same pages, same app.

    python -m benchmarks.scale [--db POSTGRES_SERVER_URL] [--repeat 15] [--keep]

Builds two databases: the seed database (migrated, seeds/ loaded by the loader) and a big one (the same,
plus synthetic articles bulk-inserted through the models until there are ARTICLES articles and REPORTS
reports). The synthetic rows are deterministic (a seeded generator) and read like the corpus of
benchmarks/corpus.py: its event, quote and background sentences, its outlets, its publication dates;
bulk insert instead of the loader because extraction is not what is measured here (and would take far
longer). On SQLite both are files in a temporary folder; with --db (a PostgreSQL server URL whose user
may create databases) they are two databases on that server. Both are removed afterwards unless --keep,
which prints where they are (the two files' paths, or the two databases' names).

Then times the day page, the timeline, an outlet page and search through the app in process (FastAPI's
TestClient: routing, queries, templates; no network; the page cache off, so every request is built):
the first request, then the median of --repeat after a warm-up, seed and big requests taken in turn (A B A
B ...) so that a change in the machine's load falls on both alike, and prints the ratio against the goal
(the big database within 2x of the seed database). Last, it
prints the query plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL) of every statement the day
page and the timeline run on the big database, captured from the app's own engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, make_url, select, text
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, settings_from_env
from app.store.counts import rebuild_counts
from app.store.engine import insert_rows, make_engine, migrate
from app.store.loader import load_paths
from app.store.models import Article, Milestone, Outlet, Report
from app.store.seedfiles import load_catalog
from benchmarks import corpus

ARTICLES = 20_000  # articles in the big database, the seeds included
REPORTS = 100_000  # reports in the big database, the seeds' included
REPEAT = 15  # timed requests per page and database; the median is printed
GOAL_RATIO = 2.0  # the big database may be at most this much slower than the seed database
SEED = 2016
BATCH = 5_000  # report rows gathered before they are written
UNKNOWN_OUTLET_SHARE = 0.1  # articles whose outlet is unknown (outlet_id NULL), as the loader leaves them
UNDATED_SHARE = 0.03  # reports with no date (precision unknown)
OUTSIDE_SHARE = 0.02  # reports dated outside the ceasefire window (background: "since March 2011")
SEEDS_DIR = PROJECT_ROOT / "seeds"
DAY = "2016-09-17"
PAGES = [  # (label, path): the pages the goal names
    ("day page", f"/days/{DAY}"),
    ("day page, filtered", f"/days/{DAY}?outlet=rt&outlet=al-jazeera"),
    ("timeline", "/"),
    ("outlet page", "/outlets/rt"),
    ("search", "/search?q=convoy+attacked"),
]
EXPLAINED = [("day page", f"/days/{DAY}"), ("timeline", "/")]
KINDS = ["statement", "violation_claim", "aid_access", "other"]  # kinds of reports that name no milestone


# -- building -------------------------------------------------------------------------------------


def build(url: str, *, big: bool) -> None:
    """Migrate, load the seeds with the loader, and (big) add the synthetic rows."""
    engine = make_engine(url)
    migrate(engine)
    summary = load_paths(engine, [SEEDS_DIR], catalog=load_catalog(SEEDS_DIR))
    assert not summary.rejected, summary.rejected
    if big:
        started = time.perf_counter()
        add_synthetic(engine, ARTICLES, REPORTS)
        print(f"  bulk insert: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    engine.dispose()


def add_synthetic(engine: Engine, articles: int, reports: int) -> None:
    """Bulk-insert articles and reports until the database holds `articles` and `reports` of them."""
    rng = random.Random(SEED)
    with Session(engine) as session, session.begin():
        have_articles = session.scalar(select(func.count(Article.id))) or 0
        have_reports = session.scalar(select(func.count(Report.id))) or 0
        # The catalogue's first outlets, as the file corpus uses (corpus.CORPUS_OUTLETS): spread over all 240,
        # no outlet would have enough articles to need paging and no figure would compare with earlier runs.
        outlets = session.scalars(select(Outlet.id).order_by(Outlet.id).limit(corpus.CORPUS_OUTLETS)).all()
        milestones = {d: i for d, i in session.execute(select(Milestone.date, Milestone.id).order_by(Milestone.id))}
        kinds = dict(session.execute(select(Milestone.id, Milestone.kind)).all())
        next_article = (session.scalar(select(func.max(Article.id))) or 0) + 1
        next_report = (session.scalar(select(func.max(Report.id))) or 0) + 1
        todo_articles = articles - have_articles
        per_article = _spread(reports - have_reports, todo_articles)
        article_rows, report_rows = [], []
        for n in range(todo_articles):
            article_id = next_article + n
            rows = [_report(rng, milestones, kinds) for _ in range(per_article[n])]
            body, offset = [], 0
            for position, row in enumerate(rows):
                row.update(id=next_report, article_id=article_id, position=position, span_start=offset,
                           span_end=offset + len(row["quote"]))
                next_report += 1
                body.append(row["quote"])
                offset += len(row["quote"]) + 1
            published = corpus.FIRST_DAY + dt.timedelta(days=rng.randrange((corpus.LAST_DAY - corpus.FIRST_DAY).days))
            source = f"synthetic/{n:05d}.txt"
            article_rows.append(dict(
                id=article_id, source=source, content_hash=hashlib.sha256(source.encode()).hexdigest(),
                outlet_id=None if rng.random() < UNKNOWN_OUTLET_SHARE else rng.choice(outlets),
                title=rng.choice(corpus.HEADLINES), url=None, published=published,
                published_basis="synthetic", outlet_basis="synthetic", text=" ".join(body)))
            report_rows += rows
            if len(report_rows) >= BATCH:
                _flush(session, article_rows, report_rows)
        _flush(session, article_rows, report_rows)
        rebuild_counts(session.connection())  # written around the loader: its counts are made here
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("article", "report"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
    with engine.connect() as connection:  # fresh statistics for the planner, as after any big load
        connection.execute(text("ANALYZE"))
        connection.commit()


def _spread(total: int, parts: int) -> list[int]:
    """`total` split over `parts` as evenly as integers allow."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _report(rng: random.Random, milestones: dict[dt.date, int], kinds: dict[int, str]) -> dict:
    """One report row (without ids and spans): an event on a milestone's day, a quote, or background."""
    roll = rng.random()
    milestone_id = None
    if roll < UNDATED_SHARE:
        date, precision, quote = None, "unknown", rng.choice(corpus.BACKGROUND)
    elif roll < UNDATED_SHARE + OUTSIDE_SHARE:
        date, precision, quote = dt.date(2016, rng.randint(1, 6), 1), "month", rng.choice(corpus.BACKGROUND)
    elif roll < 0.5:
        date, templates = rng.choice(corpus.EVENTS)
        milestone_id = milestones.get(date)
        precision = "day"
        quote = rng.choice(templates).format(when=corpus.when_phrase(rng, date, date + dt.timedelta(days=2)))
    else:
        date = corpus.FIRST_DAY + dt.timedelta(days=rng.randrange((corpus.LAST_DAY - corpus.FIRST_DAY).days))
        precision = "day"
        quote = rng.choice(corpus.QUOTES).format(speaker=rng.choice(corpus.SPEAKERS),
                                                 when=corpus.when_phrase(rng, date, date))
    return dict(quote=quote, date=date, precision=precision, basis="synthetic", reasoning="synthetic row",
                kind=kinds[milestone_id] if milestone_id else rng.choice(KINDS), milestone_id=milestone_id,
                speaker=rng.choice(corpus.SPEAKERS) if rng.random() < 0.3 else None)


def _flush(session: Session, article_rows: list[dict], report_rows: list[dict]) -> None:
    insert_rows(session.connection(), Article, article_rows)
    insert_rows(session.connection(), Report, report_rows)
    article_rows.clear()
    report_rows.clear()


# -- databases ------------------------------------------------------------------------------------


@contextmanager
def databases(server: str | None, keep: bool) -> Iterator[tuple[str, str]]:
    """(seed URL, big URL): two SQLite files, or two fresh databases on the PostgreSQL server."""
    if server is None:
        with sqlite_files(keep) as files:
            yield files
        return
    names = [f"timeline_scale_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("seed", "big")]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        seed, big = (make_url(server).set(database=n).render_as_string(hide_password=False) for n in names)
        yield seed, big
    finally:
        if keep:
            print(f"kept databases: {', '.join(names)}", file=sys.stderr)
        else:
            with admin.connect() as connection:
                for name in names:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def sqlite_files(keep: bool) -> Iterator[tuple[str, str]]:
    """(seed URL, big URL) of two SQLite files in a new temporary folder, removed afterwards unless `keep`."""
    folder = Path(tempfile.mkdtemp(prefix="timeline-scale-"))
    files = folder / "seed.db", folder / "big.db"
    try:
        yield f"sqlite:///{files[0]}", f"sqlite:///{files[1]}"
    finally:
        if keep:
            print(f"kept databases: {files[0]} {files[1]}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


# -- timing ---------------------------------------------------------------------------------------


def measured_settings(url: str):
    """The app's settings for timing: the page cache off, or every repeat would be a copy from memory."""
    return settings_from_env({}, database_url=url, page_cache=False)


def time_pages(urls: dict[str, str], repeat: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Per database and page: (first request, median of the next `repeat`) in ms, through the app in process.

    The databases take turns request by request (A B A B ...): run one after the other, a change in what else
    the machine is doing would land on one side of the ratio only. The first request of a page opens
    connections and compiles its statements; the next ones find them ready.
    """
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    timings: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in urls}
    with ExitStack() as running:
        clients = {name: running.enter_context(TestClient(create_app(measured_settings(url))))
                   for name, url in urls.items()}
        for label, path in PAGES:
            first = {name: _timed_get(client, path) for name, client in clients.items()}
            for client in clients.values():
                _get(client, path)  # warm-up: templates compiled, connections open
            samples: dict[str, list[float]] = {name: [] for name in clients}
            for _ in range(repeat):
                for name, client in clients.items():
                    samples[name].append(_timed_get(client, path))
            for name in clients:
                timings[name][label] = first[name], statistics.median(samples[name])
    return timings


def _timed_get(client, path: str) -> float:
    """One request's time in milliseconds."""
    started = time.perf_counter()
    _get(client, path)
    return 1000 * (time.perf_counter() - started)


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")


def database_size(url: str) -> tuple[int, int]:
    engine = make_engine(url, read_only=True)
    with Session(engine) as session:
        sizes = session.scalar(select(func.count(Article.id))), session.scalar(select(func.count(Report.id)))
    engine.dispose()
    return sizes  # type: ignore[return-value]


# -- plans ----------------------------------------------------------------------------------------


def plans(url: str) -> list[tuple[str, str, list[str]]]:
    """(page, statement, plan lines) for every statement the explained pages run on this database."""
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    app = create_app(measured_settings(url))
    captured: list[tuple[str, object]] = []
    out = []
    with TestClient(app) as client:
        engine = app.state.engine

        def capture(conn, cursor, statement, parameters, context, executemany):
            captured.append((statement, parameters))

        for label, path in EXPLAINED:
            captured.clear()
            event.listen(engine, "before_cursor_execute", capture)
            _get(client, path)
            event.remove(engine, "before_cursor_execute", capture)
            prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            with engine.connect() as connection:
                raw = connection.connection.dbapi_connection
                for statement, parameters in captured:
                    cursor = raw.cursor()
                    cursor.execute(prefix + statement, parameters)
                    lines = [_plan_line(row, engine.dialect.name) for row in cursor.fetchall()]
                    cursor.close()
                    out.append((label, " ".join(statement.split()), lines))
    app.state.engine.dispose()
    return out


def _plan_line(row: tuple, dialect: str) -> str:
    return str(row[-1]) if dialect == "sqlite" else str(row[0])


# -- the report ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL server URL (postgresql+psycopg://user@host/db); default SQLite")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"timed requests per page (default {REPEAT})")
    parser.add_argument("--keep", action="store_true",
                        help="keep the two databases afterwards and print where they are (SQLite files or PostgreSQL)")
    parser.add_argument("--no-plans", action="store_true", help="skip the query plans")
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith("postgresql"):
        parser.error("--db must be a postgresql+psycopg:// URL (SQLite is the default)")

    with databases(args.db, args.keep) as (seed_url, big_url):
        print("building the seed database and the big one...", file=sys.stderr)
        build(seed_url, big=False)
        build(big_url, big=True)
        sizes = {name: database_size(url) for name, url in (("seed", seed_url), ("big", big_url))}
        timings = time_pages({"seed": seed_url, "big": big_url}, args.repeat)
        seed, big = timings["seed"], timings["big"]
        dialect = "PostgreSQL" if args.db else "SQLite"
        print(f"{dialect}: seed {sizes['seed'][0]:,} articles / {sizes['seed'][1]:,} reports; "
              f"big {sizes['big'][0]:,} articles / {sizes['big'][1]:,} reports; median of {args.repeat}, "
              "seed and big requests in turn")
        print(f"{'page':<20} {'seed ms':>8} {'big ms':>8} {'ratio':>7}  goal <= {GOAL_RATIO:g}x"
              f"   first request: {'seed ms':>8} {'big ms':>8}")
        failed = False
        for label, _ in PAGES:
            ratio = big[label][1] / seed[label][1]
            failed |= ratio > GOAL_RATIO
            print(f"{label:<20} {seed[label][1]:>8.1f} {big[label][1]:>8.1f} {ratio:>6.2f}x  "
                  f"{'ok    ' if ratio <= GOAL_RATIO else 'MISSED'}                 "
                  f"{seed[label][0]:>8.1f} {big[label][0]:>8.1f}")
        if not args.no_plans:
            for label, statement, lines in plans(big_url):
                print(f"\n[{label}] {statement[:160]}{'...' if len(statement) > 160 else ''}")
                for line in lines:
                    print(f"    {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
