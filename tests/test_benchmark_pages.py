"""The load script (benchmarks/load_pages.py) in a short run: 64 connections, a few seconds, zero errors.

The full 60 s run is not a test (its figures are in the README), but this keeps the script working and
the server answering every one of 64 concurrent connections.
"""

from __future__ import annotations

import subprocess
import sys

from app.config import PROJECT_ROOT

SHORT_RUN_S = 5  # long enough for every connection to make many requests, short enough for every CI run


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
