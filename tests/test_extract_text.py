"""Decoding bytes, HTML to text, page furniture and sentence splitting."""

import pytest

from app.extract.text import clean_text, decode_bytes, html_to_text, looks_like_html, split_sentences
from app.extract.types import RejectedFile

STORY = "The truce held in most of the country on its second day, monitors said on Wednesday."


def test_utf8_latin1_and_utf16_decode():
    assert decode_bytes(STORY.encode("utf-8")) == STORY
    assert decode_bytes(("Café " + STORY).encode("latin-1")).startswith("Café")
    assert decode_bytes(STORY.encode("utf-16")) == STORY
    assert decode_bytes(b"\xef\xbb\xbf" + STORY.encode()) == STORY


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (bytes(range(256)) * 4, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary"),
    (b"Too short.", "too little text"),
])
def test_non_articles_are_rejected_with_a_reason(data, reason):
    with pytest.raises(RejectedFile, match=reason):
        decode_bytes(data)


def test_oversize_is_rejected():
    with pytest.raises(RejectedFile, match="too large"):
        decode_bytes(STORY.encode() * 10, max_bytes=100)


def test_html_keeps_the_story_and_drops_scripts_navigation_and_forms():
    page = """<!doctype html><html><head><title>Truce strained | Example News</title>
    <meta property="article:published_time" content="2016-09-19T08:00:00Z">
    <meta property="og:site_name" content="Example News"><link rel="canonical" href="https://example.org/a">
    <script>var published = "2015-01-01";</script></head><body>
    <nav>Home World Sport</nav><article><h1>Truce strained</h1><p>Aid trucks waited on Monday.</p>
    <p>Fighting resumed near Aleppo.</p></article><aside>Related: 3 March 2017</aside>
    <form>Leave a comment</form><footer>2005-2017 Example</footer></body></html>"""
    assert looks_like_html(page)
    text, meta = html_to_text(page)
    assert "Aid trucks waited on Monday." in text and "Fighting resumed" in text
    for furniture in ("var published", "Home World", "Related", "Leave a comment", "2005-2017"):
        assert furniture not in text
    assert meta.published.startswith("2016-09-19")
    assert meta.site_name == "Example News" and meta.url == "https://example.org/a"
    assert meta.title == "Truce strained | Example News"


def test_furniture_lines_and_trailers_are_removed():
    text = clean_text(
        "icon home icon search icon menu icon close icon share icon mail\n"
        "Headline about the truce\n\n    " + STORY + "\nREAD MORE: another story\n"
        "SOURCE: Example Agency\nTeaser one\nTeaser one\nTeaser body\nLeave a Reply\n"
    )
    assert text.split("\n\n") == ["Headline about the truce", STORY, "SOURCE: Example Agency"]


def test_sentences_respect_abbreviations_and_quotes():
    text = ('The U.S. envoy met Mr. Lavrov at 3.30 p.m. in Geneva. '
            '“We agreed. It holds,” Gen. Smith said. Then talks ended.')
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "The U.S. envoy met Mr. Lavrov at 3.30 p.m. in Geneva.",
        "“We agreed. It holds,” Gen. Smith said.",
        "Then talks ended.",
    ]


def test_sentences_never_cross_paragraphs():
    text = "First paragraph without a stop\n\nSecond one."
    assert [text[s:e] for s, e in split_sentences(text)] == ["First paragraph without a stop", "Second one."]


def test_an_unclosed_quote_does_not_swallow_the_paragraph():
    text = "“An opening quote never closed. " + "Another sentence follows here. " * 40
    assert len(split_sentences(text)) > 2


def test_a_file_cut_inside_its_last_character_loses_only_that_character():
    assert decode_bytes((STORY + " é").encode()[:-1]) == STORY + " "


def test_broken_utf8_in_the_middle_is_rejected_not_read_as_latin1():
    data = ("Café " + STORY).encode() + b"\xff" + b" and more text after it."
    with pytest.raises(RejectedFile, match="not valid UTF-8: byte 0xff"):
        decode_bytes(data)


def test_utf16_without_a_bom():
    assert decode_bytes(STORY.encode("utf-16-le")) == STORY
    assert decode_bytes(STORY.encode("utf-16-be")) == STORY


def test_a_stray_control_character_does_not_make_a_file_binary():
    assert "\v" in decode_bytes(("Before the break\vafter it. " + STORY).encode())
