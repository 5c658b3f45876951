"""benchmarks/extract_speed in small: a child times each article of a folder with the given checkout's code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from app.config import PROJECT_ROOT
from tests.conftest import SEEDS_DIR


def test_a_child_times_each_article_once_with_the_checkout_it_is_given(tmp_path: Path) -> None:
    timed, warm_up = tmp_path / "timed", tmp_path / "warm"
    timed.mkdir()
    warm_up.mkdir()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    for path in seeds[:3]:
        shutil.copy(path, timed)
    shutil.copy(seeds[3], warm_up)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.extract_speed", "--child", str(PROJECT_ROOT), str(timed), str(warm_up)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True)
    times = json.loads(result.stdout)
    assert len(times) == 3 and all(0 < t < 10 for t in times)
