"""Fitting values to the models' column widths: titles cut at a word, over-long URLs dropped."""

from __future__ import annotations

from app.store.limits import TITLE_CHARS, URL_CHARS, fit_title, fit_url, width
from app.store.models import Article


def test_the_widths_are_the_models_own():
    assert (TITLE_CHARS, URL_CHARS) == (width(Article.title), width(Article.url)) == (500, 1000)


def test_a_title_that_fits_is_kept_whole():
    title = "w" * TITLE_CHARS
    assert fit_title(title) == title
    assert fit_title(None) is None


def test_a_long_title_is_cut_after_the_last_whole_word_that_fits():
    words = [f"word{i:03d}" for i in range(80)]  # 7 letters and a space each: 639 characters
    fitted = fit_title(" ".join(words))
    assert fitted == " ".join(words[:62]) + "…"  # 62 words are 495 characters; 63 would not leave room for "…"
    assert len(fitted) <= TITLE_CHARS


def test_a_cut_that_falls_just_before_a_space_keeps_the_last_word():
    title = "a" * (TITLE_CHARS - 1) + " more words"
    assert fit_title(title) == "a" * (TITLE_CHARS - 1) + "…"


def test_one_endless_word_is_cut_where_it_must():
    fitted = fit_title("x" * 600)
    assert fitted == "x" * (TITLE_CHARS - 1) + "…"


def test_a_url_over_the_limit_is_dropped_with_a_reason():
    assert fit_url("https://example.org/a") == ("https://example.org/a", None)
    url, note = fit_url("https://example.org/" + "a" * URL_CHARS)
    assert url is None
    assert note == "url not stored: 1,020 characters, over the limit of 1,000"
