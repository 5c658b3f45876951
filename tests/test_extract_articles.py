"""Extraction on articles it has never seen (tests/articles/, written for these tests in many outlet
styles), against what a careful human reader says about each (tests/articles/expected.toml)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.extract.article import extract_article
from app.extract.catalog import Catalog
from app.extract.text import decode_bytes
from app.extract.types import ExtractedArticle, ExtractedReport
from app.store.seedfiles import load_catalog

ARTICLES = Path(__file__).parent / "articles"
EXPECTED = tomllib.loads((ARTICLES / "expected.toml").read_text(encoding="utf-8"))["article"]
# Kinds whose value is checked; for the others (talks, statement, ...) a careful reader may differ.
CHECKED_KINDS = frozenset({
    "agreement", "truce_start", "extension", "airstrike_deir_ezzor", "convoy_attack", "collapse",
    "truce_end", "un_security_council",
})


@cache
def _catalog() -> Catalog:
    return load_catalog(PROJECT_ROOT / "seeds")


@cache
def extracted(name: str) -> ExtractedArticle:
    raw = decode_bytes((ARTICLES / name).read_bytes())
    return extract_article(raw, source=name, catalog=_catalog())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def quoting(article: ExtractedArticle, evidence: str) -> list[ExtractedReport]:
    """The reports whose quote contains the evidence (whitespace-insensitive)."""
    return [r for r in article.reports if _squash(evidence) in _squash(r.quote)]


def _describe(reports: list[ExtractedReport]) -> str:
    if not reports:
        return "no report quotes it"
    return "; ".join(f"[{r.date} {r.kind} {r.milestone} basis={r.basis!r} speaker={r.speaker!r}]" for r in reports)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:limit]


def _stem(entry: dict) -> str:
    return entry["file"].split("_")[0]


def _raw_text(entry: dict) -> str:
    return _squash(decode_bytes((ARTICLES / entry["file"]).read_bytes()))


# --- the expectations file itself ----------------------------------------------------------------

def test_expected_covers_every_article():
    files = {p.name for p in ARTICLES.iterdir() if p.suffix in (".txt", ".html")}
    assert files == {entry["file"] for entry in EXPECTED}


@pytest.mark.parametrize("entry", EXPECTED, ids=_stem)
def test_evidence_is_in_the_article(entry: dict):
    """Every evidence string really is in the file (a typo here would make a test meaningless)."""
    text = _raw_text(entry)
    missing = [item["evidence"] for item in entry["events"] + entry["negatives"]
               if _squash(item["evidence"]) not in text]
    assert not missing


# --- outlet and publication date -----------------------------------------------------------------

@pytest.mark.parametrize("entry", EXPECTED, ids=_stem)
def test_outlet(entry: dict):
    article = extracted(entry["file"])
    assert (article.outlet or "") == entry["outlet"], article.outlet_basis


@pytest.mark.parametrize("entry", EXPECTED, ids=_stem)
def test_published(entry: dict):
    article = extracted(entry["file"])
    assert article.published == _date(entry["published"]), article.published_basis


# --- key events ----------------------------------------------------------------------------------

EVENTS = [pytest.param(entry["file"], event, id=f"{_stem(entry)}-{event['date']}-{_slug(event['evidence'])}")
          for entry in EXPECTED for event in entry["events"]]
SPEAKERS = [pytest.param(entry["file"], event,
                         id=f"{_stem(entry)}-{_slug(event['speaker'])}-{_slug(event['evidence'])}")
            for entry in EXPECTED for event in entry["events"] if event.get("speaker")]


def _matches(report: ExtractedReport, event: dict) -> bool:
    if report.date != _date(event["date"]):
        return False
    return event["kind"] not in CHECKED_KINDS or report.kind == event["kind"]


@pytest.mark.parametrize("name, event", EVENTS)
def test_key_event(name: str, event: dict):
    found = quoting(extracted(name), event["evidence"])
    assert any(_matches(r, event) for r in found), (
        f"want {event['date']} {event['kind']}; got {_describe(found)}")


@pytest.mark.parametrize("name, event", SPEAKERS)
def test_key_event_speaker(name: str, event: dict):
    found = [r for r in quoting(extracted(name), event["evidence"]) if _matches(r, event)]
    surname = event["speaker"].split()[-1]
    assert any(r.speaker and surname in r.speaker for r in found), (
        f"want speaker {event['speaker']}; got {_describe(found)}")


# --- negatives -----------------------------------------------------------------------------------

def _negative_rule(negative: dict) -> str:
    for key in ("not_dated", "not_date", "not_kind", "absent"):
        if key in negative:
            value = negative[key]
            return key if value is True else f"{key}_{_slug(str(value))}"
    raise ValueError(f"a negative needs a rule: {negative}")


NEGATIVES = [pytest.param(entry["file"], negative,
                          id=f"{_stem(entry)}-{_negative_rule(negative)}-{_slug(negative['evidence'])}")
             for entry in EXPECTED for negative in entry["negatives"]]


@pytest.mark.parametrize("name, negative", NEGATIVES)
def test_negative(name: str, negative: dict):
    found = quoting(extracted(name), negative["evidence"])
    if negative.get("absent"):
        bad = found
    elif negative.get("not_dated"):
        bad = [r for r in found if r.date is not None]
    elif "not_date" in negative:
        bad = [r for r in found if r.date == _date(negative["not_date"])]
    else:
        bad = [r for r in found if r.kind == negative["not_kind"]]
    assert not bad, _describe(bad)
