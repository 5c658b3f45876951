"""Extraction quality on the development set of real articles beside the project (shared/eval/dev).

The set is a measurement, never a source of rules: this test only guards against regressions. It skips
where the shared folder is absent (a bare clone on a laptop), never in CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT
from app.queries.export import export_data
from app.store.loader import load_paths

DEV_DIR = PROJECT_ROOT.parent / "shared" / "eval" / "dev"
SCORER = DEV_DIR.parent / "score.py"
# Floors just under the latest measured scores (README, "How well dates are found"): a drop is a regression.
FLOORS = {
    "published_acc": 0.93,
    "outlet_acc": 0.93,
    "date_recall": 0.91,
    "key_recall": 0.84,
    "date_precision": 0.90,
}

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def dev_dir() -> Path:
    if not DEV_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the development set is missing beside the project: {DEV_DIR}")
        pytest.skip("the shared development set is not beside this checkout")
    return DEV_DIR


def _score(gold: dict, export: dict) -> dict:
    spec = importlib.util.spec_from_file_location("timeline_dev_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score(gold, export)


def test_development_set_scores_hold(engine, catalog, dev_dir):
    summary = load_paths(engine, [dev_dir / "articles"], catalog=catalog)
    assert not summary.rejected
    with Session(engine) as session:
        export = json.loads(json.dumps(export_data(session)))
    result = _score(json.loads((dev_dir / "gold.json").read_text(encoding="utf-8")), export)
    assert result["negatives_hit"] == 0, result
    for name, floor in FLOORS.items():
        assert result[name] >= floor, (name, result)
