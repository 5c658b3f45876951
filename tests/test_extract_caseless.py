"""Caseless patterns: the spans re.IGNORECASE would find, found over the lower-cased text."""

import re

import pytest

from app.extract.caseless import Caseless, fast_variant, written_in_lower_case

PATTERN = r"\b(said|pointed out|violat\w*)\b"


@pytest.mark.parametrize("text", [
    "Lavrov SAID the truce was Violated, and Kerry Pointed Out the convoy.",
    "No verb here at all.",
    "İstanbul officials said it was violated",  # 'İ' lower-cases to two characters: the fallback runs
])
def test_the_same_spans_as_ignorecase(text):
    expected = [m.span() for m in re.finditer(PATTERN, text, re.IGNORECASE)]
    assert [m.span() for m in Caseless(PATTERN).finditer(text)] == expected
    found = Caseless(PATTERN).search(text)
    assert (found.span() if found else None) == (expected[0] if expected else None)


def test_the_fallback_keeps_offsets_of_the_text_as_written():
    text = "İİİ said"
    found = Caseless(r"\bsaid\b").search(text)
    assert text[found.start():found.end()] == "said"


@pytest.mark.parametrize("pattern", [r"\S+ SAID", r"(?-i:[A-Z]\w+) said"])
def test_a_pattern_with_capitals_runs_as_ignorecase(pattern):
    text = "Lavrov said, and then KERRY said"
    expected = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert expected and [m.span() for m in Caseless(pattern).finditer(text)] == expected


@pytest.mark.parametrize("pattern, fast", [
    (r"(?P<rel>last|next)\s+week", True),  # the P of a named group is syntax, not a letter to match
    (r"(?P<word>said)\s+(?P=word)", True),
    (r"\S+ said", False),
    (r"(?-i:[A-Z])\w+", False),
])
def test_which_patterns_have_a_fast_way(pattern, fast):
    assert written_in_lower_case(pattern) is fast
    assert (fast_variant(re.compile(pattern, re.IGNORECASE)) is not None) is fast
