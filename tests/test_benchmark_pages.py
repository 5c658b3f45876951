"""The page benchmarks in short runs: load_pages.py at 64 connections, page_throughput.py with the Python client.

The full runs are not tests (their figures are in docs/benchmarks.md), but this keeps the scripts working and the
server answering every one of 64 concurrent connections. CI needs no wrk: its output is parsed from a sample.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.config import PROJECT_ROOT
from benchmarks.page_throughput import parse_wrk
from benchmarks.scale import measured_settings

SHORT_RUN_S = 2  # long enough for every connection to make many requests, short enough for every CI run


def test_load_script_holds_64_connections_without_an_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_pages", "--connections", "64", "--duration", str(SHORT_RUN_S)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("64 connections for ")
    total = next(line for line in lines if line.startswith("all "))
    requests_per_s, _p50, _p99, errors, _resent = total.split()[1:]
    assert float(requests_per_s) > 0 and errors == "0", result.stdout
    for url in ("/days/{day}", "/days/2016-09-17?outlet=rt&outlet=al-jazeera", "/", "/days/2016-09-17.json",
                "/healthz"):
        assert any(line.startswith(url + " ") for line in lines), url


def test_page_throughput_runs_with_and_without_the_page_cache() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.page_throughput", "--client", "python", "--connections", "4",
         "--duration", "0.5"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "load client: python"
    goals = [line for line in lines if line.startswith("goal, ")]
    cached = [line for line in goals if line.startswith("goal, SQLite, 1 worker, page cache on, ")]
    assert [line.split(": ")[0].split(", ")[-1] for line in cached] == [
        "day page", "filtered day page", "timeline", "JSON twin"]  # every page, against the raw ASGI ceiling
    assert all(": >= 80% of the raw ASGI ceiling" in line for line in cached)
    uncached = [line for line in goals if line.startswith("goal, SQLite, 1 worker, page cache off, ")]
    assert len(uncached) == 1 and uncached[0].startswith("goal, SQLite, 1 worker, page cache off, day page: >= 25%")
    rows = [line.split() for line in lines if line.startswith("/days/2016-09-17 ")]
    assert len(rows) == 2 and all(float(row[1]) > 0 and row[4] == "0" for row in rows)
    # the ceiling is measured in each run, on its own server, and every page is given as a share of it
    ceilings = [line.split() for line in lines if line.startswith("raw ASGI hello-world ")]
    assert len(ceilings) == 2 and all(float(row[3]) > 0 and row[6] == "0" for row in ceilings)
    assert all(row[-1].endswith("%") or row[-1] in ("met", "MISSED") for row in rows)


WRK_OUTPUT = """Running 6s test @ http://127.0.0.1:8000/days/2016-09-17
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.36ms  812.40us  23.05ms   91.10%
    Req/Sec    13.61k     1.02k   14.80k    85.00%
  Latency Distribution
     50%    2.10ms
     75%    2.40ms
     90%    3.00ms
     99%  850.00us
  81283 requests in 6.00s, 4.93GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  13547.13
Transfer/sec:    841.52MB
"""


def test_wrk_latency_report_is_read() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert result.rate == 13547.13 and result.p50_ms == 2.1 and result.p99_ms == 0.85
    assert result.errors == 7 and "timeout 1" in result.first_error
    clean = parse_wrk(WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
                      .replace("  Non-2xx or 3xx responses: 4\n", "").replace("850.00us", "1.20s"))
    assert clean.errors == 0 and clean.p99_ms == 1200.0


def test_the_scale_benchmark_measures_with_the_page_cache_off() -> None:
    assert measured_settings("sqlite:///x.db").page_cache is False  # a copy from memory would measure nothing


@pytest.mark.sqlite_only  # about the script's order of requests, the same on either database
def test_the_scale_benchmark_times_the_two_databases_in_turn(seeded_settings, monkeypatch) -> None:
    from benchmarks import scale

    asked: list[tuple[str, str]] = []
    names = {}
    real_get = scale._get

    def recording_get(client, path: str) -> None:
        asked.append((names.setdefault(id(client), f"db{len(names)}"), path))
        real_get(client, path)

    monkeypatch.setattr(scale, "_get", recording_get)
    timings = scale.time_pages({"seed": seeded_settings.database_url, "big": seeded_settings.database_url}, 2)
    assert set(timings) == {"seed", "big"} and all(len(pages) == len(scale.PAGES) for pages in timings.values())
    for _label, path in scale.PAGES:
        order = [name for name, asked_path in asked if asked_path == path]
        # first request, warm-up, then two timed ones: each database in turn, never two in a row
        assert order == ["db0", "db1"] * 4, (path, order)


def test_the_scale_benchmark_keeps_its_sqlite_files_when_asked(capsys) -> None:
    import shutil
    from pathlib import Path

    from benchmarks.scale import databases

    with databases(None, keep=True) as urls:
        files = [Path(url.removeprefix("sqlite:///")) for url in urls]
        for file in files:
            file.write_bytes(b"")
    try:
        assert all(file.exists() for file in files)
        assert f"kept databases: {files[0]} {files[1]}" in capsys.readouterr().err
    finally:
        shutil.rmtree(files[0].parent)
    with databases(None, keep=False) as urls:
        files = [Path(url.removeprefix("sqlite:///")) for url in urls]
        files[0].write_bytes(b"")
    assert not files[0].parent.exists()
