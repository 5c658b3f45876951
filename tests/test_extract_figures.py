"""Figures (numbers with their unit and subject) and claims of blame, on sentences written for these tests."""

from pathlib import Path

import pytest

from app.extract.figures import find_claims, find_figures
from app.store.seedfiles import load_catalog

PARTIES = load_catalog(Path(__file__).resolve().parent.parent / "seeds").parties


def figures(sentence: str):
    return [(f.value, f.unit, f.subject, f.qualifier) for f in find_figures(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("At least 20 aid workers were killed in the raid.", [(20, "killed", "aid workers", "at least")]),
    ("The strike killed 18 civilians and wounded 40 others.",
     [(18, "killed", "civilians", None), (40, "wounded", "others", None)]),
    ("Nearly 1,200 people have been killed since the offensive began.", [(1200, "killed", "people", "nearly")]),
    ("Monitors logged 37 ceasefire violations.", [(37, "violations", None, None)]),
    ("Only 31 lorries reached the town.", [(31, "trucks", None, None)]),
    ("The pause was extended for another 72 hours.", [(72, "hours", None, None)]),
    ("The truce should last seven days.", [(7, "days", None, None)]),
    ("Three soldiers died and dozens of homes burned.", []),  # "dozens" is not a number to compare
])
def test_figures(sentence, expected):
    assert figures(sentence) == expected


def test_casualties_share_their_subject():
    assert figures("Forty soldiers were killed and 90 more wounded.") == [
        (40, "killed", "soldiers", None), (90, "wounded", "soldiers", None)]


def test_a_count_over_a_period_says_so():
    [figure] = find_figures("Twelve violations were recorded over the past 24 hours, the ministry said.")
    assert (figure.value, figure.unit, figure.period) == (12, "violations", "over the past 24 hours")


@pytest.mark.parametrize("sentence, speaker, expected", [
    ("Moscow accused Washington of shielding the militants.", None, [("russia", "united-states")]),
    ("The State Department blamed Russian jets for the attack.", None, [("united-states", "russia")]),
    ("Damascus blamed the rebels for every breach.", None, [("syrian-government", "opposition")]),
    ("Any failure would be the fault of the United States, the general said.", "Igor Konashenkov",
     [("russia", "united-states")]),
    ("The ministry blamed all of the breaches on opposition fighters.", "Maria Zakharova",
     [("russia", "opposition")]),
    ("Both sides traded accusations.", None, []),
])
def test_claims(sentence, speaker, expected):
    assert [(c.accuser, c.accused) for c in find_claims(sentence, speaker, PARTIES)] == expected


def test_a_claim_keeps_its_whole_clause():
    [claim] = find_claims("The envoy was accused of lying, and Moscow accused Washington of hitting a U.N. convoy "
                          "near Aleppo.", None, PARTIES)
    assert claim.text == "accused Washington of hitting a U.N. convoy near Aleppo"
