"""Decoding bytes, HTML to text, page furniture and sentence splitting."""

import pytest

from app.config import PROJECT_ROOT
from app.extract.article import extract_article
from app.extract.text import clean_text, decode_bytes, html_to_text, looks_like_html, split_sentences
from app.extract.types import RejectedFile
from app.store.seedfiles import load_catalog

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


# A story long enough to look like one (on a page of a few words, any text is the story).
PARAGRAPHS = (
    "Aid trucks waited on Monday at the crossing while officials argued over the paperwork for the convoy.",
    "Fighting resumed near Aleppo late in the evening, according to residents reached by telephone there.",
    "A spokesman for the monitoring group said both sides had accused each other of breaking the deal.",
    "Diplomats meeting in Geneva promised to review the arrangement again before the end of the week.",
)
STORY_HTML = "".join(f"<p>{para}</p>" for para in PARAGRAPHS)


def test_html_keeps_the_story_and_drops_scripts_navigation_and_forms():
    page = f"""<!doctype html><html><head><title>Truce strained | Example News</title>
    <meta property="article:published_time" content="2016-09-19T08:00:00Z">
    <meta property="og:site_name" content="Example News"><link rel="canonical" href="https://example.org/a">
    <script>var published = "2015-01-01";</script></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li><li><a href="/s">Sport</a></li></ul></nav>
    <article><h1>Truce strained</h1>{STORY_HTML}</article><aside>Related: 3 March 2017</aside>
    <footer>2005-2017 Example</footer></body></html>"""
    assert looks_like_html(page)
    text, meta = html_to_text(page)
    assert text.split("\n\n")[-len(PARAGRAPHS):] == list(PARAGRAPHS)  # clean_text's shape: offsets hold
    for furniture in ("var published", "Sport", "Related", "2005-2017"):
        assert furniture not in text
    assert meta.published.startswith("2016-09-19")
    assert meta.site_name == "Example News" and meta.url == "https://example.org/a"
    assert meta.title == "Truce strained"


def test_html_parsing_is_linear_on_unterminated_comments():
    # Python's html.parser rescans the rest of the page at every unclosed "<!--": quadratic time.
    page = f"<html><body><article>{STORY_HTML}</article>" + "<!--" * 40_000 + "</body></html>"
    text, _ = html_to_text(page)
    assert PARAGRAPHS[0] in text


def test_a_form_wrapping_the_page_keeps_its_story():
    page = f"<html><body><form action='/postback' method='post'><div><h1>Truce strained</h1>{STORY_HTML}"\
        "</div></form></body></html>"
    text, _ = html_to_text(page)
    assert all(para in text for para in PARAGRAPHS)


@pytest.mark.parametrize("heading", ["More from Example News", "Comments", "comments"])
def test_a_teaser_or_comments_heading_does_not_cut_the_story(heading):
    page = (f"<html><body><article><h1>Truce strained</h1>{STORY_HTML[:len(STORY_HTML) // 2]}"
            f"<h3>{heading}</h3>{STORY_HTML}</article></body></html>")
    # Through the whole extraction: plain text's trailer rules must not cut what trafilatura kept.
    text = extract_article(page, source="page.html", catalog=load_catalog(PROJECT_ROOT / "seeds")).text
    assert all(para in text for para in PARAGRAPHS)


def test_html_bytes_honour_meta_charset_and_default_to_windows_1252():
    body = f"<body><p>Caf\u00e9 talks \u2013 \u201ctruce\u201d</p>{STORY_HTML}</body></html>"
    undeclared = ("<html>" + body).encode("cp1252")
    assert "Caf\u00e9 talks \u2013 \u201ctruce\u201d" in decode_bytes(undeclared)
    declared = ('<html><head><meta charset="iso-8859-7"></head><body><p>\u0391\u03b8\u03ae\u03bd\u03b1</p>'
                + body).encode("iso-8859-7", errors="replace")
    assert "\u0391\u03b8\u03ae\u03bd\u03b1" in decode_bytes(declared)
    http_equiv = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
                  '</head>' + body).encode("cp1252")
    assert "\u201ctruce\u201d" in decode_bytes(http_equiv)


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
