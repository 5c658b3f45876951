"""Page throughput against its ceiling: each page alone under N connections, between runs of a raw ASGI app.

    python -m benchmarks.page_throughput [--connections 32] [--duration 10] [--workers 1] [--db URL]
                                         [--client auto|wrk|python]

Starts `timeline serve` as benchmarks/load_pages.py does, over a fresh SQLite file, twice: with the page
cache (app/pagecache.py, the default) and without it (TIMELINE_PAGE_CACHE=0: every request queried and
rendered). With --db (e.g. a PostgreSQL database: migrated and seeded when empty) it does the same on that
database after SQLite. Each time it loads one URL at a time for --duration seconds with every connection
always waiting on a request: the day page, the filtered day page, the timeline, the day's JSON twin and
/healthz (no database, no template, but the app's routing and middleware). Beside it the whole time runs the
ceiling: benchmarks/ceiling.py, a raw ASGI hello-world with no framework, served by the same uvicorn with
the same workers and no access log, as serve runs, and loaded the same way before the first URL and after
each one; each URL's share is against the ceiling's runs either side of it, so that on a machine doing other
work a change in its load falls on both sides of the ratio.

Prints req/s, p50 and p99 per URL, its share of the ceiling's req/s and its goal, then every goal in one
list. With the page cache: every page at >= 80 % of the ceiling. Built afresh: the day page at >= 25 % of
it (a page built afresh is judged against its floor, the same SQL and markup without the framework, which
this script does not measure). The day page's p99 <= 50 ms either way. Exit status 1 on any error.

The load client is wrk (`apt-get install wrk`) when it is on PATH, else benchmarks/rawload.py: raw asyncio
keep-alive connections on uvloop, no HTTP library, so that on the same cores the server is the limit, not the
client; the report says which.
wrk counts as errors the responses that are not 2xx/3xx and socket errors (connect, read, write, timeout);
each URL is first fetched once and checked whole (a 200 ending with its page's closing mark). The Python
client checks every response that way. load_pages.py mixes the pages in one stream instead.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks import ceiling, rawload
from benchmarks.load_pages import REQUEST_TIMEOUT_S, free_port, parse_load_arguments, percentile, running, serve

CONNECTIONS = 32
DURATION_S = 10.0  # per URL
DAY = "/days/2016-09-17"
HEALTH = "/healthz"
# (path, the text a complete response ends with, its name in the goals): the pages, then /healthz.
URLS = [
    (DAY, "</html>", "day page"),
    (f"{DAY}?outlet=rt&outlet=al-jazeera", "</html>", "filtered day page"),
    ("/", "</html>", "timeline"),
    (f"{DAY}.json", "}", "JSON twin"),
    (HEALTH, "ok", "/healthz"),
]
PAGES = [path for path, _, _ in URLS if path != HEALTH]  # what the goals are about
NAMES = {path: name for path, _, name in URLS}
CEILING = "raw ASGI hello-world"  # its row in the results: benchmarks/ceiling.py on its own server
CEILING_URLS = [("/", ceiling.BODY.decode(), CEILING)]
CACHED_SHARE = 0.80  # with the page cache, every page's req/s as a share of the ceiling's
UNCACHED_DAY_SHARE = 0.25  # built afresh, the day page's share of the ceiling
GOAL_P99_MS = 50.0  # the day page's p99, either way
WARM_UP_REQUESTS = 3  # per URL before it is timed: templates compiled, counts memoised, the page cache filled
CACHE_OFF = {"TIMELINE_PAGE_CACHE": "0"}
CACHE_SETTINGS = [("page cache on", {}), ("page cache off", CACHE_OFF)]
WRK_THREADS = 1  # one C thread keeps 32 connections busy at tens of thousands of req/s: the server gets the rest


@dataclass(frozen=True)
class Result:
    """One URL's run: completed requests per second, latency percentiles, errors."""

    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    first_error: str = ""
    ceiling: float | None = None  # the ceiling's req/s measured just before and after this URL, when it was


def share(results: dict[str, Result], path: str) -> float:
    """A URL's req/s as a share of the ceiling's, measured beside it when it was."""
    return results[path].rate / (results[path].ceiling or results[CEILING].rate)


# -- the Python client ---------------------------------------------------------------------------


def run_python(base_url: str, urls: list[tuple[str, str, str]], connections: int,
               duration: float) -> dict[str, Result]:
    """Each URL loaded by benchmarks/rawload.py: raw keep-alive connections, every response checked whole."""
    results = {}
    for path, mark, _ in urls:
        warm_up(base_url, [(path, mark, "")])
        tally, elapsed = rawload.run(base_url + path, mark, connections, duration)
        results[path] = Result(len(tally.latencies) / elapsed, 1000 * percentile(tally.latencies, 0.5),
                               1000 * percentile(tally.latencies, 0.99), tally.errors, tally.first_error)
    return results


# -- wrk -----------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


def parse_wrk(output: str) -> Result:
    """req/s, p50, p99 and errors from `wrk --latency`'s report."""

    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+{_DURATION}\s*$", output, re.MULTILINE)
        if not found:
            raise ValueError(f"no {percent}% latency in wrk's output:\n{output}")
        return float(found.group(1)) * _UNIT_MS[found.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not rate:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = (sum(int(n) for n in socket.groups()) if socket else 0) + (int(non_2xx_3xx.group(1)) if non_2xx_3xx else 0)
    first = "; ".join(m.group(0) for m in (socket, non_2xx_3xx) if m)
    return Result(float(rate.group(1)), latency("50"), latency("99"), errors, first)


def run_wrk(base_url: str, urls: list[tuple[str, str, str]], connections: int, duration: float) -> dict[str, Result]:
    results = {}
    for path, _, _ in urls:
        command = ["wrk", "--threads", str(min(WRK_THREADS, connections)), "--connections", str(connections),
                   "--duration", f"{max(1, round(duration))}s", "--timeout", f"{REQUEST_TIMEOUT_S:.0f}s", "--latency",
                   base_url + path]
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + REQUEST_TIMEOUT_S + 30)
        if done.returncode != 0:
            raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        results[path] = parse_wrk(done.stdout)
    return results


# -- a run ---------------------------------------------------------------------------------------


def warm_up(base_url: str, urls: list[tuple[str, str, str]]) -> None:
    """Each URL fetched whole a few times and checked: wrk itself only sees status codes."""
    for path, mark, _ in urls:
        for _ in range(WARM_UP_REQUESTS):
            with urllib.request.urlopen(base_url + path, timeout=REQUEST_TIMEOUT_S) as response:
                text = response.read().decode()
            if response.status != 200 or not text.rstrip().endswith(mark):
                raise SystemExit(f"{path}: {response.status}, not a whole page: {text[-80:]!r}")


def load(base_url: str, urls: list[tuple[str, str, str]], client: str, connections: int,
         duration: float) -> dict[str, Result]:
    if client == "wrk":
        warm_up(base_url, urls)
        return run_wrk(base_url, urls, connections, duration)
    return run_python(base_url, urls, connections, duration)


@contextmanager
def serve_ceiling(workers: int, folder: Path) -> Iterator[str]:
    """benchmarks/ceiling.py under uvicorn on a free port, with `workers` as the app gets; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.ceiling", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    with running(command, port, dict(os.environ), folder / "ceiling.log", "the raw ASGI ceiling") as base:
        yield base


def load_beside_ceiling(base_url: str, ceiling_url: str, client: str, connections: int,
                        duration: float) -> dict[str, Result]:
    """Each URL in turn with the ceiling loaded before the first and after each, both servers up all along:
    a URL's share is against the mean of the ceiling's runs on either side of it, so a change in what else the
    machine is doing falls on both sides of the ratio. The ceiling's row merges its runs."""
    ceilings = [load(ceiling_url, CEILING_URLS, client, connections, duration)["/"]]
    results = {}
    for url in URLS:
        page = load(base_url, [url], client, connections, duration)[url[0]]
        ceilings.append(load(ceiling_url, CEILING_URLS, client, connections, duration)["/"])
        results[url[0]] = dataclasses.replace(page, ceiling=(ceilings[-2].rate + ceilings[-1].rate) / 2)
    results[CEILING] = Result(sum(c.rate for c in ceilings) / len(ceilings), max(c.p50_ms for c in ceilings),
                              max(c.p99_ms for c in ceilings), sum(c.errors for c in ceilings),
                              next((c.first_error for c in ceilings if c.first_error), ""))
    return results


@dataclass(frozen=True)
class Goal:
    """One page's goal in one run: what it asks, what was measured, and whether that meets it."""

    run: str
    page: str
    wanted: str
    measured: str
    met: bool

    def line(self) -> str:
        return f"goal, {self.run}, {self.page}: {self.wanted}: {self.measured}: {'met' if self.met else 'MISSED'}"


def page_goal(results: dict[str, Result], path: str, cached: bool, run: str) -> Goal | None:
    """The goal of one page in a run, None when the run sets it none against the ceiling."""
    measured_share = share(results, path)
    wanted = CACHED_SHARE if cached else UNCACHED_DAY_SHARE if path == DAY else None
    if wanted is None:
        return None
    text, met = f">= {wanted:.0%} of the raw ASGI ceiling", measured_share >= wanted
    measured = f"{measured_share:.0%}"
    if path == DAY:
        text += f" and p99 <= {GOAL_P99_MS:.0f} ms"
        measured += f", {results[path].p99_ms:.1f} ms"
        met = met and results[path].p99_ms <= GOAL_P99_MS
    return Goal(run, NAMES[path], text, measured, met and not results[path].errors)


def goals(results: dict[str, Result], cached: bool, run: str) -> list[Goal]:
    return [goal for path in PAGES if (goal := page_goal(results, path, cached, run))]


def report(results: dict[str, Result], connections: int, cached: bool, label: str) -> str:
    lines = [f"{label}: {connections} connections, each URL alone; the ceiling is a raw ASGI app on the same uvicorn",
             "", f"{'URL':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'of ceiling':>11}  goal"]
    for path, result in results.items():
        goal = page_goal(results, path, cached, label) if path in PAGES else None
        verdict = f"{goal.wanted}: {'met' if goal.met else 'MISSED'}" if goal else ""
        lines.append(f"{path:<44} {result.rate:>8.1f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} "
                     f"{result.errors:>7} {share(results, path):>10.0%}  {verdict}".rstrip())
        if result.first_error:
            lines.append(f"    errors: {result.first_error}")
    return "\n".join(lines)


def choose_client(wanted: str) -> str:
    if wanted == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if wanted == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --client python")
    return wanted


def kind(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def main(argv: list[str] | None = None) -> int:
    def client_option(parser) -> None:
        parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                            help="the load client: wrk when installed (auto, the default), or the Python one")

    args = parse_load_arguments(argv, __doc__.splitlines()[0], CONNECTIONS, DURATION_S, "seconds per URL",
                                db_help="also run on this database (e.g. postgresql+psycopg://...) after SQLite",
                                more=client_option)
    client = choose_client(args.client)
    print(f"load client: {client}" + (" (wrk is not installed: apt-get install wrk)"
                                      if args.client == "auto" and client == "python" else ""))
    workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
    all_goals: list[Goal] = []
    errors = False
    with tempfile.TemporaryDirectory(prefix="timeline-throughput-") as tmp:
        folder = Path(tmp)
        if args.base_url:  # someone else's server, its settings unknown: judged as serve's default, cache on
            runs = [(f"the server at {args.base_url} (the ceiling served here)", None, {})]
        else:
            databases = [f"sqlite:///{folder / 'timeline.db'}", *([args.db] if args.db else [])]
            runs = [(f"{kind(url)}, {workers}, {cache}", url, env)
                    for url in databases for cache, env in CACHE_SETTINGS]
        for label, url, env in runs:
            with serve_ceiling(args.workers, folder) as ceiling_base:
                if url is None:
                    results = load_beside_ceiling(args.base_url, ceiling_base, client, args.connections,
                                                  args.duration)
                else:
                    with serve(url, args.workers, folder, env=env) as base:
                        results = load_beside_ceiling(base, ceiling_base, client, args.connections, args.duration)
            cached = env != CACHE_OFF
            print(report(results, args.connections, cached, label) + "\n", flush=True)
            all_goals += goals(results, cached, label)
            errors |= any(r.errors for r in results.values())
    print("\n".join(goal.line() for goal in all_goals))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
