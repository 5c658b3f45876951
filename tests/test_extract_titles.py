"""The headline of a plain-text article, among the lines a page puts at its top (written for these tests)."""

import pytest

from app.extract.titles import guess_title, headline


def test_the_headline_among_a_sites_furniture():
    text = ("The Harbour Gazette\nHome | World | Middle East | Subscribe\n4 min read\n\n"
            "Aid trucks cross into Aleppo as truce holds\n\n"
            "Relief agencies said on Tuesday that the first convoy had crossed.")
    assert guess_title(text) == "Aid trucks cross into Aleppo as truce holds"


@pytest.mark.parametrize("line", [
    "A damaged street in the old city is pictured on Sunday",
    "Displaced families wait at the crossing. REUTERS/Jane Doe",
    "Smoke rises over the district (AFP Photo)",
    "Foreign ministers Jane Roe (L) and John Doe meet in Geneva",
    "Rescue workers search the rubble [Getty]",
    '<iframe src="" width="100%" title="embedded audio player"></iframe>',
    "• Thirteen trucks were hit on the road",
    "BEIRUT (Reuters) - Aid trucks waited on Tuesday",
    "Damascus, SANA – The army announced a pause",
    "date 2016-09-17 Rebels said the truce would not hold",
    "Dear Readers,",
    "Updated 04:44 GMT on the day",
    "the convoy had been waiting since dawn on the",
    "Relief agencies said on Tuesday that the first convoy had crossed.",
])
def test_what_is_not_a_headline(line):
    assert headline(line) is None


def test_a_markdown_heading_and_a_site_suffix_are_cut():
    assert headline("# Truce extended by two days | The Harbour Gazette") == "Truce extended by two days"


def test_with_no_headline_the_opening_words_stand_in_without_a_date_label():
    text = "date 2016-09-21 The United Nations suspended all aid shipments after the convoy was hit, " * 3
    title = guess_title(text)
    assert title.startswith("The United Nations suspended") and title.endswith("…") and len(title) <= 121
