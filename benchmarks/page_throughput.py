"""Page throughput against its ceiling: each page alone under N connections, then /healthz, in one run.

    python -m benchmarks.page_throughput [--connections 32] [--duration 10] [--workers 1] [--db URL]

Starts `timeline serve` as benchmarks/load_pages.py does (a fresh SQLite file, or --db, e.g. a PostgreSQL
database: migrated and seeded when empty), then loads one URL at a time for --duration seconds with every
connection always waiting on a request: the day page, the filtered day page, the timeline, the day's JSON
twin, and /healthz (plain text, no database, no template: the ceiling of this server on this machine).
Prints req/s, p50 and p99 per URL and its share of the ceiling's req/s, then the goal: the day page at
>= 25 % of the ceiling, p99 <= 50 ms. Exit status 1 on any error (a non-200 or incomplete response).
load_pages.py mixes the pages in one stream instead (the security engineer's run: 64 connections, 60 s).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.load_pages import REQUEST_TIMEOUT_S, Stats, parse_load_arguments, percentile, serve

CONNECTIONS = 32
DURATION_S = 10.0  # per URL
DAY = "/days/2016-09-17"
CEILING = "/healthz"
# (path, the text a complete response ends with); the ceiling last, so it runs on a warm server too.
URLS = [
    (DAY, "</html>"),
    (f"{DAY}?outlet=rt&outlet=al-jazeera", "</html>"),
    ("/", "</html>"),
    (f"{DAY}.json", "}"),
    (CEILING, "ok"),
]
GOAL_SHARE = 0.25  # the day page's req/s as a share of the ceiling's
GOAL_P99_MS = 50.0


async def one_url(client: httpx.AsyncClient, path: str, mark: str, connections: int,
                  duration: float) -> tuple[Stats, float]:
    stats = Stats()

    async def hold(deadline: float) -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                stats.error(f"{type(exc).__name__} {exc}")
                continue
            if response.status_code != 200 or not response.text.rstrip().endswith(mark):
                stats.error(f"{response.status_code} {response.text[:80]!r}")
            else:
                stats.latencies.append(time.perf_counter() - start)

    for _ in range(connections):  # warm-up: every connection opened, templates compiled, counts memoised
        await client.get(path)
    start = time.perf_counter()
    await asyncio.gather(*(hold(start + duration) for _ in range(connections)))
    return stats, time.perf_counter() - start


async def run(base_url: str, connections: int, duration: float) -> dict[str, tuple[Stats, float]]:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_S) as client:
        return {path: await one_url(client, path, mark, connections, duration) for path, mark in URLS}


def report(results: dict[str, tuple[Stats, float]], connections: int, label: str) -> tuple[str, bool]:
    ceiling = len(results[CEILING][0].latencies) / results[CEILING][1]
    lines = [f"{label}: {connections} connections, each URL alone", "",
             f"{'URL':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'of ceiling':>11}"]
    for path, (stats, elapsed) in results.items():
        rate = len(stats.latencies) / elapsed
        lines.append(f"{path:<44} {rate:>8.1f} {1000 * percentile(stats.latencies, 0.5):>8.1f} "
                     f"{1000 * percentile(stats.latencies, 0.99):>8.1f} {stats.errors:>7} {rate / ceiling:>10.0%}")
        if stats.first_error:
            lines.append(f"    first error: {stats.first_error}")
    day, elapsed = results[DAY]
    share = len(day.latencies) / elapsed / ceiling
    p99 = 1000 * percentile(day.latencies, 0.99)
    met = share >= GOAL_SHARE and p99 <= GOAL_P99_MS
    lines.append(f"\ngoal, day page: >= {GOAL_SHARE:.0%} of the ceiling and p99 <= {GOAL_P99_MS:.0f} ms: "
                 f"{share:.0%}, {p99:.1f} ms: {'met' if met else 'MISSED'}")
    return "\n".join(lines), met


def main(argv: list[str] | None = None) -> int:
    args = parse_load_arguments(argv, __doc__.splitlines()[0], CONNECTIONS, DURATION_S, "seconds per URL")
    with tempfile.TemporaryDirectory(prefix="timeline-throughput-") as tmp:
        if args.base_url:
            results = asyncio.run(run(args.base_url, args.connections, args.duration))
        else:
            url = args.db or f"sqlite:///{Path(tmp) / 'timeline.db'}"
            with serve(url, args.workers, Path(tmp)) as base:
                results = asyncio.run(run(base, args.connections, args.duration))
    kind = "PostgreSQL" if (args.db or "").startswith("postgresql") else "SQLite"
    text, _ = report(results, args.connections, f"{kind}, {args.workers} worker{'s' if args.workers != 1 else ''}")
    print(text)
    return 1 if any(stats.errors for stats, _ in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
