"""How fast articles are read: extraction alone, the naive dateparser call, the whole load, and memory.

    python -m benchmarks.load_throughput [--count 2000] [--sample 200] [--db postgresql+psycopg://...]

Generates the synthetic corpus (benchmarks/corpus.py) into a temporary folder and prints one table.
--db names a PostgreSQL server where the user may create databases: the benchmark creates its own
throwaway database there and drops it afterwards. Figures, not a test: nothing fails on a slow run.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from app.extract.article import extract_article
from app.extract.catalog import Catalog
from app.extract.text import decode_bytes
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.store.seedfiles import load_catalog
from app.store.workers import worker_count
from benchmarks import corpus
from benchmarks.postgres import throwaway_postgres

GOAL_RATIO = 10  # extraction at least this many times faster than the naive call, per article
GOAL_LOAD = 300  # articles/s for the whole load
MEMORY_SMALL = 500
SEED_ARTICLES = "*.txt"  # the seed folder's articles, beside its catalogue files


def extraction_times(texts: list[tuple[str, str]], catalog: Catalog) -> list[float]:
    """Seconds spent in extract_article for each text (after one warm-up call)."""
    extract_article(texts[0][1], source=texts[0][0], catalog=catalog)
    times = []
    for name, raw in texts:
        start = time.perf_counter()
        extract_article(raw, source=name, catalog=catalog)
        times.append(time.perf_counter() - start)
    return times


def side_by_side(texts: list[tuple[str, str]], catalog: Catalog,
                 warm_up: tuple[str, str] | None = None) -> dict[str, float]:
    """Seconds (wall and CPU) of extract_article and of the naive search_dates over the same texts, each
    article timed both ways back to back, so a burst of load elsewhere hits both alike. The warm-up text
    (the first one unless given) is run first, untimed."""
    from dateparser.search import search_dates

    name, text = warm_up or texts[0]
    search_dates(text, languages=["en"])  # warm-up: dateparser loads its language data lazily
    extract_article(text, source=name, catalog=catalog)
    totals = dict.fromkeys(("ours", "ours_cpu", "naive", "naive_cpu"), 0.0)
    for name, raw in texts:
        wall, cpu = time.perf_counter(), time.thread_time()
        extract_article(raw, source=name, catalog=catalog)
        middle, middle_cpu = time.perf_counter(), time.thread_time()
        search_dates(raw, languages=["en"])
        totals["ours"] += middle - wall
        totals["ours_cpu"] += middle_cpu - cpu
        totals["naive"] += time.perf_counter() - middle
        totals["naive_cpu"] += time.thread_time() - middle_cpu
    return totals


def timed_load(url: str, folder: Path, catalog: Catalog, jobs: int | None = None) -> tuple[float, int]:
    """Migrate a fresh database, then time load_paths over the folder: (seconds, articles loaded)."""
    engine = make_engine(url)
    try:
        migrate(engine)
        start = time.perf_counter()
        summary = load_paths(engine, [folder], catalog=catalog, jobs=jobs)
        return time.perf_counter() - start, summary.articles
    finally:
        engine.dispose()


def peak_memory(folder: Path, database: Path) -> dict[str, float]:
    """The loader's peak memory over a folder, measured in a child process so runs do not mix."""
    command = [sys.executable, "-m", "benchmarks.load_throughput", "--memory-child", str(folder), str(database)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def memory_child(folder: Path, database: Path) -> None:
    """Child side of peak_memory: load the folder, print peak RSS and the traced Python heap peak (MB)."""
    catalog = load_catalog(corpus.SEEDS)
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    tracemalloc.start()
    load_paths(engine, [folder], catalog=catalog)
    _, traced = tracemalloc.get_traced_memory()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    # The extraction processes have exited and been waited for: the largest of them.
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"rss": rss_kb / 1024, "traced": traced / 2**20, "worker_rss": worker_kb / 1024}))


# -- the table -----------------------------------------------------------------------------------

Row = tuple[str, str, str]  # figure, measured, goal


def verdict(value: float, goal: float, unit: str = "") -> str:
    return f"≥{goal:g}{unit}  {'met' if value >= goal else 'NOT MET'}"


def extraction_rows(texts: list[tuple[str, str]], catalog: Catalog, sample: int) -> list[Row]:
    ours = extraction_times(texts, catalog)
    picked = sorted(random.Random(0).sample(range(len(texts)), min(sample, len(texts))))
    both = side_by_side([texts[i] for i in picked], catalog)
    ratio, cpu_ratio = both["naive"] / both["ours"], both["naive_cpu"] / both["ours_cpu"]
    scope = "all" if len(picked) == len(texts) else f"sample of {len(picked)}"
    return [
        (f"(a) extract_article, {len(texts)} articles",
         f"{1000 * sum(ours) / len(ours):.1f} ms/article, {len(ours) / sum(ours):.0f} articles/s", ""),
        (f"(b) search_dates naive, {scope}", f"{1000 * both['naive'] / len(picked):.1f} ms/article", ""),
        ("    ours, each article beside it", f"{1000 * both['ours'] / len(picked):.1f} ms/article", ""),
        ("    naive / ours", f"{ratio:.1f}× (CPU time: {cpu_ratio:.1f}×)", verdict(ratio, GOAL_RATIO, "×")),
    ]


def seed_rows(catalog: Catalog, warm_up: tuple[str, str]) -> list[Row]:
    """The same comparison on the seed articles: real news text, not sentences drawn from templates."""
    texts = [(p.name, decode_bytes(p.read_bytes())) for p in sorted(corpus.SEEDS.glob(SEED_ARTICLES))]
    both = side_by_side(texts, catalog, warm_up)  # warmed on a synthetic text: no seed is seen twice
    return [
        (f"(b) search_dates naive, the {len(texts)} seed articles",
         f"{1000 * both['naive'] / len(texts):.1f} ms/article", ""),
        ("    ours, each article beside it", f"{1000 * both['ours'] / len(texts):.1f} ms/article", ""),
        ("    naive / ours", f"{both['naive'] / both['ours']:.1f}× (CPU time: "
                             f"{both['naive_cpu'] / both['ours_cpu']:.1f}×)",
         verdict(both["naive"] / both["ours"], GOAL_RATIO, "×")),
    ]


def load_rows(folder: Path, work: Path, catalog: Catalog, server: str | None) -> list[Row]:
    processes = worker_count(len(list(folder.iterdir())), None)
    rows = [_load_row(f"SQLite, {processes} extraction processes",
                      *timed_load(f"sqlite:///{work / 'load.db'}", folder, catalog)),
            _load_row("SQLite, extraction in the loader (--jobs 0)",
                      *timed_load(f"sqlite:///{work / 'load-alone.db'}", folder, catalog, jobs=0))]
    if server:
        with throwaway_postgres(server, "timeline_bench") as url:
            rows.append(_load_row(f"PostgreSQL, {processes} extraction processes", *timed_load(url, folder, catalog)))
    return rows


def _load_row(name: str, seconds: float, articles: int) -> Row:
    rate = articles / seconds
    return (f"(c) load_paths, {name}, {articles} articles",
            f"{rate:.0f} articles/s ({seconds:.1f} s)", verdict(rate, GOAL_LOAD, " articles/s"))


def memory_rows(folders: dict[int, Path], work: Path) -> list[Row]:
    rows = []
    for count, folder in sorted(folders.items()):
        peak = peak_memory(folder, work / f"memory-{count}.db")
        rows.append((f"(d) loader peak memory, {count} files",
                     f"RSS {peak['rss']:.0f} MB, Python heap {peak['traced']:.1f} MB, "
                     f"largest extraction process {peak['worker_rss']:.0f} MB", "flat"))
    return rows


def step(what: str) -> None:
    print(f"... {what}", file=sys.stderr, flush=True)


def print_table(rows: list[Row]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    header = ("figure", "measured", "goal")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="articles to generate (default 2000)")
    parser.add_argument("--sample", type=int, default=200, help="articles the naive call is timed on")
    parser.add_argument("--db", help="a PostgreSQL server URL to time the load on as well")
    parser.add_argument("--memory-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(*args.memory_child)
    catalog = load_catalog(corpus.SEEDS)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = corpus.write(work / "all", args.count)
        corpus.write(work / "small", MEMORY_SMALL)
        texts = [(p.name, decode_bytes(p.read_bytes())) for p in paths]
        print(f"{len(texts)} synthetic articles, {sum(len(t) for _, t in texts) / 2**20:.1f} MB of text", flush=True)
        step("timing extraction and the naive call")
        rows = extraction_rows(texts, catalog, args.sample)
        rows += seed_rows(catalog, texts[-1])
        step("timing the whole load")
        rows += load_rows(work / "all", work, catalog, args.db)
        step("measuring the loader's memory")
        rows += memory_rows({MEMORY_SMALL: work / "small", args.count: work / "all"}, work)
    print_table(rows)


if __name__ == "__main__":
    main()
