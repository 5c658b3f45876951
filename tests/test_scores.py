"""Extraction quality on the five seeds, scored against the hand-checked gold (tests/eval/)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.config import Settings
from app.queries.export import export_data
from app.store.loader import load_paths

EVAL_DIR = Path(__file__).parent / "eval"
SEEDS_DIR = Settings().seeds_dir
# The floor the extraction must clear; the gold is a floor too, not the target.
MIN_DATE_RECALL = 0.95
MIN_KEY_RECALL = 0.95
MIN_DATE_PRECISION = 0.95


def _scorer():
    spec = importlib.util.spec_from_file_location("timeline_eval_score", EVAL_DIR / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def _score(engine) -> dict:
    gold = json.loads((EVAL_DIR / "seeds_gold.json").read_text(encoding="utf-8"))
    with Session(engine) as session:
        export = json.loads(json.dumps(export_data(session)))  # exactly what the CLI would print
    return _scorer()(gold, export)


def _assert_floor(result: dict) -> None:
    assert result["articles"] == 5
    assert result["published_acc"] == 1.0, result
    assert result["outlet_acc"] == 1.0, result
    assert result["date_recall"] >= MIN_DATE_RECALL, result
    assert result["key_recall"] >= MIN_KEY_RECALL, result
    assert result["date_precision"] >= MIN_DATE_PRECISION, result
    assert result["negatives_hit"] == 0, result


def test_seeds_with_their_manifest_score(seeded_reader):
    _assert_floor(_score(seeded_reader))


@pytest.fixture
def bare_texts(tmp_path: Path) -> Path:
    """The five seed texts alone: outlets and publication dates must come from the text."""
    folder = tmp_path / "bare"
    folder.mkdir()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, folder / path.name)
    return folder


def test_bare_seed_texts_score(engine, catalog, bare_texts):
    summary = load_paths(engine, [bare_texts], catalog=catalog)
    assert summary.loaded == 5 and not summary.rejected
    _assert_floor(_score(engine))
