"""Sentences as extraction reads them: overlong ones are cut into pieces no longer than the cap."""

from __future__ import annotations

from app.catalog import Catalog
from app.extract.article import extract_article
from app.extract.sentences import MAX_SENTENCE_CHARS, analyse, capped
from app.extract.timex import find_expressions

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
