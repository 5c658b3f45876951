"""Sentences as extraction reads them: overlong ones cut into pieces no longer than the cap, hard-wrapped
lines read as one sentence, and the dates heading a sentence (datelines, list items) kept apart."""

from __future__ import annotations

import datetime as dt

from app.extract.article import extract_article
from app.extract.catalog import Catalog
from app.extract.sentences import MAX_SENTENCE_CHARS, analyse, capped, captions, heading_end
from app.extract.text import split_sentences
from app.extract.timex import find_expressions
from app.extract.types import KnownMeta

RUN_ON_CLAUSE = "the monitors logged shelling near the bakery on Friday and the convoy waited at the bridge on Sunday "


def test_a_sentence_under_the_cap_is_one_piece():
    text = "Aid trucks crossed into the eastern districts on Wednesday, officials said."
    assert capped(text, 0, len(text)) == [(0, len(text))]


def test_an_overlong_sentence_is_cut_after_a_semicolon_rather_than_anywhere():
    first = "Negotiators met again in the lobby of the hotel " * 8 + "; "
    text = first + "by nightfall the envoys had left without a statement " * 8
    pieces = capped(text, 0, len(text))
    assert len(pieces) == 2
    assert text[slice(*pieces[0])].endswith(";")
    assert text[slice(*pieces[1])].startswith("by nightfall")


def test_text_without_a_space_is_cut_at_the_cap():
    text = "x" * (2 * MAX_SENTENCE_CHARS + 5)
    assert capped(text, 0, len(text)) == [(0, MAX_SENTENCE_CHARS), (MAX_SENTENCE_CHARS, 2 * MAX_SENTENCE_CHARS),
                                          (2 * MAX_SENTENCE_CHARS, len(text))]


def test_every_piece_is_its_own_text_without_spaces_at_the_ends(catalog: Catalog):
    text = RUN_ON_CLAUSE * 40
    sentences = analyse(text, catalog)
    assert len(sentences) > 1
    for sentence in sentences:
        assert len(sentence.text) <= MAX_SENTENCE_CHARS
        assert sentence.text == text[sentence.start:sentence.end] == sentence.text.strip()


def test_a_run_on_article_quotes_no_more_than_the_cap_and_reports_no_more_than_its_dates(catalog: Catalog):
    text = "Monitors describe a week of shelling\n\n" + RUN_ON_CLAUSE * 300
    article = extract_article(text, source="run-on.txt", catalog=catalog)
    written = len(find_expressions(RUN_ON_CLAUSE)) * 300
    assert article.reports and len(article.reports) <= written
    for report in article.reports:
        assert len(report.quote) <= MAX_SENTENCE_CHARS
        assert article.text[report.start:report.end] == report.quote  # the span still points at the quote


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_a_hard_wrapped_paragraph_is_read_across_its_line_breaks():
    text = ("ANKARA, Sept 11 - Turkish officials welcomed the plan on\n"
            "Sunday, saying a truce starting at dusk on Monday would let\n"
            "aid reach the north.\n"
            "Fighting went on elsewhere.")
    assert [" ".join(s.split()) for s in _sentences(text)] == [
        "ANKARA, Sept 11 - Turkish officials welcomed the plan on Sunday, saying a truce starting at dusk on "
        "Monday would let aid reach the north.",
        "Fighting went on elsewhere.",
    ]


def test_lines_that_close_or_start_anew_are_not_joined():
    text = "World news\nMiddle East\nTruce holds for a second day\n\nThe guns were quiet, residents said."
    assert _sentences(text) == ["World news", "Middle East", "Truce holds for a second day",
                                "The guns were quiet, residents said."]


def test_a_wrapped_sentence_reads_as_one_line_with_its_offsets_kept(catalog: Catalog):
    text = "Relief agencies said the trucks were\nstill waiting at the border on Friday."
    [sentence] = analyse(text, catalog)
    assert "\n" not in sentence.text and len(sentence.text) == sentence.end - sentence.start
    assert [e.text for e in sentence.expressions] == ["on Friday"]


def _heading(sentence: str) -> tuple[str, str | None]:
    end, item = heading_end(sentence, find_expressions(sentence))
    return sentence[:end].strip(), item.text if item else None


def test_datelines_head_a_sentence_and_date_no_event():
    assert _heading("Moscow, Sep 18 (IANS) The coalition's planes struck the hills.") == (
        "Moscow, Sep 18 (IANS)", None)
    assert _heading("BEIRUT, Sept. 19 (Reuters) - Aid was delayed again.") == ("BEIRUT, Sept. 19 (Reuters) -", None)
    assert _heading("date 2016-09-09 GENEVA, Sept 10 The two ministers spoke late.") == (
        "date 2016-09-09 GENEVA, Sept 10", None)
    assert _heading("Published: 21/09/2016 The council will meet.") == ("Published: 21/09/2016", None)


def test_a_list_item_is_headed_by_its_date():
    assert _heading("• 14 September 2016: On Tuesday the monitors counted few breaches.") == (
        "• 14 September 2016:", "14 September 2016")
    assert _heading("September 20, 2016 - Ministers met in New York.") == ("September 20, 2016 -", "September 20, 2016")


def test_a_date_that_is_part_of_the_sentence_heads_nothing():
    for sentence in ("September 9 was the day the deal was struck.",
                     "On 12 September the truce took effect.",
                     "12 September 2016",
                     "Sept 12: truce begins"):
        assert _heading(sentence) == ("", None), sentence


def test_a_list_items_relative_dates_count_from_its_heading(catalog: Catalog):
    text = "• 21 September 2016: On Monday, the envoy said the convoy had been hit."
    article = extract_article(text, source="chronology.txt", catalog=catalog)
    dates = {r.basis: r.date for r in article.reports}
    assert dates.get("On Monday") == dt.date(2016, 9, 19), article.reports
    assert "21 September 2016" not in dates  # the heading itself is no event


def test_a_time_given_in_two_zones_is_one_sentence():
    text = "The army said the pause would end at 11.59 pm. (2059 GMT) on Sunday. Few expected it to hold."
    assert _sentences(text) == ["The army said the pause would end at 11.59 pm. (2059 GMT) on Sunday.",
                                "Few expected it to hold."]
    assert _sentences("They left at 5 pm. The next day was quiet.") == ["They left at 5 pm.", "The next day was quiet."]


def test_photo_captions_are_found_by_their_words_or_their_credit(catalog: Catalog):
    text = ("A damaged street is pictured in the old city, September 15, 2016.\n\n"
            "Children wait for bread in the eastern districts on Friday. REUTERS/Jane Doe\n\n"
            "Smoke rises over the suburbs on Thursday.\nPhoto: The Harbour Gazette\n\n"
            "Relief agencies said a joint UN/Red Crescent convoy was hit on Monday.")
    sentences = analyse(text, catalog)
    pictured = captions(sentences)
    assert [sentences[i].text for i in sorted(pictured)] == [
        "A damaged street is pictured in the old city, September 15, 2016.",
        "Children wait for bread in the eastern districts on Friday.", "REUTERS/Jane Doe",
        "Smoke rises over the suburbs on Thursday.", "Photo: The Harbour Gazette"]


def test_a_caption_reports_nothing(catalog: Catalog):
    text = ("Smoke is seen over the city on Saturday.\n\nRebels shelled the district on Thursday, "
            "the monitor said.")
    article = extract_article(text, source="captioned.txt", catalog=catalog)
    assert [r.basis for r in article.reports] == ["on Thursday"]


def test_a_photo_line_that_tells_what_it_shows_is_a_caption_not_the_credit_of_the_story_before_it(
        catalog: Catalog):
    text = ("The truce took effect at sundown on Monday.\n\n"
            "Photo: Children play in a street in Aleppo on Tuesday.\n\n"
            "Monitors reported calm on Wednesday.\n\nPicture by Jane Doe/Harbour Agency")
    sentences = analyse(text, catalog)
    assert sorted(captions(sentences)) == [1, 2, 3]  # not the story's first sentence


def test_the_site_speaking_of_itself_reports_nothing(catalog: Catalog):
    text = ("While we paused regular publication on May 15, 2018, our archive remains online.\n\n"
            "Sign up for our Monday briefing to get the week's Syria news in your inbox.\n\n"
            "Subscribe to the newsletter and get analysis delivered every Friday.\n\n"
            "Thank you to our readers, whose donations since September keep our reporting free.\n\n"
            "Most popular this week\n\nTrending today\n\n"
            "Popular anger grew on Wednesday as rebels shelled the district on Thursday, the monitor said.")
    article = extract_article(text, source="site.txt", catalog=catalog)
    assert [r.basis for r in article.reports] == ["on Wednesday", "on Thursday"]


def test_a_heading_that_names_the_page_s_day_reports_nothing(catalog: Catalog):
    text = ("Executive Summary for September 19th\n\nSyria Daily Brief: 20 Sept 2016\n\n"
            "Weekly round-up – September 23, 2016\n\n"
            "Syrian Truce Due To Take Hold Monday\n\n"
            "The convoy was hit on September 19, the agency said.")
    article = extract_article(text, source="briefs.txt", catalog=catalog)
    assert [r.basis for r in article.reports if r.date] == ["Monday", "September 19"]


def test_a_habit_is_no_date(catalog: Catalog):
    text = "Join our live chat every Friday at noon.\n\nNegotiators meet each Monday morning in Geneva, he said."
    known = KnownMeta(published=dt.date(2016, 9, 20))
    article = extract_article(text, source="habits.txt", catalog=catalog, known=known)
    assert [r.basis for r in article.reports] == ["publication date"]  # the saying, on the day it was written
