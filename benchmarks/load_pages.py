"""The dashboard under load: N connections held for D seconds against `timeline serve` on 127.0.0.1.

    python -m benchmarks.load_pages [--connections 64] [--duration 60] [--workers 1] [--db URL] [--no-page-cache]

Starts `timeline serve` on a free port over a fresh SQLite file (seeded by serve itself), or over --db
(e.g. postgresql+psycopg://user@host/db: migrated, and seeded when empty), with its page cache unless
--no-page-cache, waits for /healthz, then keeps every connection busy with keep-alive GETs (asyncio + httpx2,
no other tool needed) over the day pages, a filtered day page, the timeline, a JSON twin and /healthz (the
ceiling: no database, no template).
Prints requests/s, p50/p99 latency and errors per URL. A response that is not a 200 with its page's
closing mark, or a request that fails or times out, is an error; the exit status is 1 when any happened.
Only ever talks to 127.0.0.1: the server it started, or --base-url (a local server already running).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from app.config import PROJECT_ROOT

CONNECTIONS = 64  # concurrent keep-alive connections, each always waiting on one request
DURATION_S = 60.0
REQUEST_TIMEOUT_S = 30.0  # a request slower than this counts as an error, not as a hang
# A keep-alive connection the server closed (idle past uvicorn's 5 s) just as the client reused it: browsers
# resend such a GET once, and so does this client, counting it apart; a second failure is an error.
STALE_CONNECTION = (httpx2.ReadError, httpx2.RemoteProtocolError)
START_TIMEOUT_S = 120.0  # serve migrates and loads the seeds before it listens
FIRST_DAY = dt.date(2016, 9, 9)  # the day pages cycled through: agreement to collapse and after
DAYS = 18
FILTERED = "/days/2016-09-17?outlet=rt&outlet=al-jazeera"
# (label, weight, path or None for "the next day page", the text a complete response ends with)
MIX = [
    ("/days/{day}", 6, None, "</html>"),
    (FILTERED, 2, FILTERED, "</html>"),
    ("/", 1, "/", "</html>"),
    ("/days/2016-09-17.json", 1, "/days/2016-09-17.json", "}"),
    ("/healthz", 1, "/healthz", "ok"),
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    resent: int = 0  # GETs sent again once after a stale keep-alive connection (see STALE_CONNECTION)
    first_error: str = ""

    def error(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what


def schedule() -> Iterator[tuple[str, str, str]]:
    """(label, path, closing mark) forever, in a fixed weighted order; day pages rotate through DAYS days."""
    days = itertools.cycle([(FIRST_DAY + dt.timedelta(n)).isoformat() for n in range(DAYS)])
    order = [(label, path, mark) for label, weight, path, mark in MIX for _ in range(weight)]
    for label, path, mark in itertools.cycle(order):
        yield label, path or f"/days/{next(days)}", mark


async def hold_connection(client: httpx2.AsyncClient, jobs: Iterator[tuple[str, str, str]],
                          stats: dict[str, Stats], deadline: float) -> None:
    while time.perf_counter() < deadline:
        label, path, mark = next(jobs)
        start = time.perf_counter()
        try:
            try:
                response = await client.get(path)
            except STALE_CONNECTION:
                stats[label].resent += 1
                response = await client.get(path)
        except httpx2.HTTPError as exc:
            stats[label].error(f"{path}: {type(exc).__name__} {exc}")
            continue
        elapsed = time.perf_counter() - start
        if response.status_code != 200 or not response.text.rstrip().endswith(mark):
            stats[label].error(f"{path}: {response.status_code} {response.text[:80]!r}")
        else:
            stats[label].latencies.append(elapsed)


async def run_load(base_url: str, connections: int, duration: float) -> tuple[dict[str, Stats], float]:
    stats = {label: Stats() for label, *_ in MIX}
    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx2.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_S) as client:
        for _, _, path, _ in MIX:  # warm-up: templates compiled, connections to the database opened
            await client.get(path or f"/days/{FIRST_DAY.isoformat()}")
        jobs = schedule()
        start = time.perf_counter()
        await asyncio.gather(*(hold_connection(client, jobs, stats, start + duration) for _ in range(connections)))
        elapsed = time.perf_counter() - start
    return stats, elapsed


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(stats: dict[str, Stats], elapsed: float, connections: int) -> str:
    lines = [f"{connections} connections for {elapsed:.1f} s", "",
             f"{'URL':<48} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'resent':>7}"]
    for label, entry in [*stats.items(), ("all", merged(stats))]:
        done = len(entry.latencies)
        lines.append(f"{label:<48} {done / elapsed:>8.1f} {1000 * percentile(entry.latencies, 0.5):>8.1f} "
                     f"{1000 * percentile(entry.latencies, 0.99):>8.1f} {entry.errors:>7} {entry.resent:>7}")
    for label, entry in stats.items():
        if entry.first_error:
            lines.append(f"first error on {label}: {entry.first_error}")
    return "\n".join(lines)


def merged(stats: dict[str, Stats]) -> Stats:
    return Stats(latencies=[x for s in stats.values() for x in s.latencies],
                 errors=sum(s.errors for s in stats.values()), resent=sum(s.resent for s in stats.values()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(database_url: str, workers: int, folder: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`timeline serve` on a free local port (with these TIMELINE_* settings); yields its base URL, stops it after."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}, **(env or {})}
    command = [sys.executable, "-m", "app.cli", "--db", database_url, "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers)]
    # serve as a user runs it: without the access log, which serve writes only when asked (--access-log).
    with running(command, port, env, folder / "server.log", "timeline serve") as base:
        yield base


@contextmanager
def running(command: list[str], port: int, env: dict[str, str], log_path: Path, what: str) -> Iterator[str]:
    """The server `command` started, listening on `port` of 127.0.0.1; yields its base URL once /healthz answers."""
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(base, server, log_path, what)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_for_health(base: str, server: subprocess.Popen, log_path: Path, what: str = "timeline serve") -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.poll() is not None:
            raise SystemExit(f"{what} exited with {server.returncode}:\n{log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{what} did not answer /healthz within {START_TIMEOUT_S:.0f} s") from None
            time.sleep(0.2)


def parse_load_arguments(argv: list[str] | None, description: str, connections: int, duration: float,
                         duration_help: str, db_help: str = "a database URL for serve (default: a fresh SQLite file)",
                         more: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    """The options every page benchmark takes: connections, duration, workers, --db, --base-url (and `more`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--connections", type=int, default=connections, help=f"default {connections}")
    parser.add_argument("--duration", type=float, default=duration, help=f"{duration_help} (default {duration:g})")
    parser.add_argument("--workers", type=int, default=1, help="serve's worker processes (default 1)")
    parser.add_argument("--db", help=db_help)
    if more is not None:
        more(parser)
    parser.add_argument("--base-url", help="load a server already running on 127.0.0.1 instead of starting one")
    args = parser.parse_args(argv)
    if args.connections < 1 or args.duration <= 0:
        parser.error("--connections and --duration must be positive")
    if args.base_url and not args.base_url.startswith(("http://127.0.0.1", "http://localhost")):
        parser.error("--base-url must be a server on this machine (127.0.0.1 or localhost)")
    return args


def main(argv: list[str] | None = None) -> int:
    def cache_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--no-page-cache", action="store_true",
                            help="serve with TIMELINE_PAGE_CACHE=0: every page queried and rendered")

    args = parse_load_arguments(argv, __doc__.splitlines()[0], CONNECTIONS, DURATION_S, "seconds", more=cache_option)
    env = {"TIMELINE_PAGE_CACHE": "0"} if args.no_page_cache else {}

    with tempfile.TemporaryDirectory(prefix="timeline-load-") as tmp:
        folder = Path(tmp)
        if args.base_url:
            stats, elapsed = asyncio.run(run_load(args.base_url, args.connections, args.duration))
        else:
            database_url = args.db or f"sqlite:///{folder / 'timeline.db'}"
            with serve(database_url, args.workers, folder, env=env) as base:
                stats, elapsed = asyncio.run(run_load(base, args.connections, args.duration))
            if merged(stats).errors or merged(stats).resent:  # what the server said (its 200 lines left out)
                log = (folder / "server.log").read_text(errors="replace").splitlines()
                print("\n".join(line for line in log if '" 200' not in line)[-3000:], file=sys.stderr)
    print(report(stats, elapsed, args.connections))
    return 1 if merged(stats).errors else 0


if __name__ == "__main__":
    sys.exit(main())
