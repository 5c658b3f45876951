"""Which outlet a page is, from its own marks, never from the outlet it quotes."""

from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.extract.outlets import detect_outlet

CATALOG = load_catalog(Path(__file__).resolve().parent.parent / "seeds")
BODY = "\n\nThe truce was shaky on its fourth day, with shelling reported near Aleppo.\n"


@pytest.mark.parametrize("text, slug", [
    ("BEIRUT (Reuters) - Shelling resumed near Aleppo." + BODY, "reuters"),
    ("Truce under strain | Middle East Eye" + BODY, "middle-east-eye"),
    ("Sputnik - The truce held." + BODY, "sputnik"),
    (BODY + "SOURCE: Al Jazeera and agencies", "al-jazeera"),
    ("Home | World" + BODY + "Copyright: TASS", "tass"),
])
def test_own_marks_name_the_outlet(text, slug):
    assert detect_outlet(text, CATALOG).slug == slug


@pytest.mark.parametrize("text", [
    "A blog post." + BODY + "RT reports: the army was observing the truce.",
    "According to TASS, the ministry counted 30 violations." + BODY,
    "Some sites said so, as cited by Reuters." + BODY,
])
def test_quoting_an_outlet_does_not_make_the_page_that_outlet(text):
    assert detect_outlet(text, CATALOG).slug is None


def test_url_and_metadata_win():
    guess = detect_outlet(BODY, CATALOG, url="https://www.theguardian.com/world/2016/sep/19/x")
    assert guess.slug == "the-guardian" and "URL" in guess.basis
    assert detect_outlet(BODY, CATALOG, site_name="BBC News").slug == "bbc"


def test_unknown_is_an_honest_answer():
    guess = detect_outlet("Just a story." + BODY, CATALOG)
    assert guess.slug is None and guess.basis
