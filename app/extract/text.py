"""Bytes to clean article text: decoding, HTML to text, page furniture removal, sentence spans."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser

from app.extract.types import RejectedFile

MAX_ARTICLE_BYTES = 5_000_000  # a news article is far smaller; bigger files are dumps, not articles
MIN_ARTICLE_CHARS = 40  # fewer letters than a headline cannot carry a dated event
MAX_CONTROL_RATIO = 0.01  # text files have almost no control characters; binaries have many
MAX_STRAY_CONTROLS = 8  # a few stray ones (a vertical tab pasted from Word) do not make a file binary


def decode_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """The file's text, or RejectedFile with a one-line reason."""
    if len(data) > max_bytes:
        raise RejectedFile(f"too large: {len(data):,} bytes (limit {max_bytes:,})")
    if not data.strip():
        raise RejectedFile("empty file")
    text = _decode(data)
    controls = len(CONTROL_CHARACTERS.findall(text))
    if "\x00" in text or controls > max(MAX_STRAY_CONTROLS, MAX_CONTROL_RATIO * len(text)):
        raise RejectedFile("binary data, not text")
    if not _has_letters(text, MIN_ARTICLE_CHARS):
        raise RejectedFile(f"too little text (under {MIN_ARTICLE_CHARS} letters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Below space, but for tab, line feed, form feed and carriage return: in text files only by accident.
# One regex pass instead of a Python loop over every character of the file.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _has_letters(text: str, wanted: int) -> bool:
    """Whether the text holds at least `wanted` letters; stops counting there, not at the end of the file."""
    found = 0
    for ch in text:
        if ch.isalpha():
            found += 1
            if found >= wanted:
                return True
    return found >= wanted


UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")  # what UTF-8's non-ASCII letters look like
UTF8_LONGEST_CHAR = 4  # a cut-off character leaves at most this many bytes short
UTF16_NUL_SHARE = 0.3  # text in UTF-16 has a NUL in every other byte; binaries rarely in such a pattern


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        return _decode_utf16_without_bom(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - UTF8_LONGEST_CHAR:
            return data[:exc.start].decode("utf-8")  # a file cut off inside its last character
        if UTF8_MULTIBYTE.search(data):
            raise RejectedFile(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc
    # Latin-1 decodes any byte, so only accept it when the bytes look like Western text.
    if any(0x80 <= b < 0xA0 for b in data):
        raise RejectedFile("not UTF-8 or Latin-1 text")
    return data.decode("latin-1")


def _decode_utf16_without_bom(data: bytes) -> str:
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    half = len(data) / 2
    for encoding, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if len(data) % 2 == 0 and nuls >= UTF16_NUL_SHARE * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    raise RejectedFile("binary data, not text")


# --- HTML -------------------------------------------------------------------------------------

# Elements whose text is never the article: code, navigation, forms, embedded media.
SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "figure", "menu",
})
BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr",
    "blockquote", "pre", "time", "dd", "dt", "ul", "ol", "table", "hr",
})
# <meta> names that carry the page's own metadata.
META_PUBLISHED = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                  "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date")
META_SITE = ("og:site_name", "application-name", "publisher")
META_URL = ("og:url",)
META_TITLE = ("og:title", "twitter:title")


@dataclass
class PageMeta:
    title: str | None = None
    url: str | None = None
    site_name: str | None = None
    published: str | None = None  # as written, parsed later


@dataclass
class _PageParser(HTMLParser):
    chunks: list[str] = field(default_factory=list)
    meta: PageMeta = field(default_factory=PageMeta)
    skip_depth: int = 0
    in_title: bool = False
    title_parts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "link" and values.get("rel", "").lower() == "canonical":
            self.meta.url = self.meta.url or values.get("href") or None
        elif tag == "time" and values.get("datetime") and not self.meta.published and self.skip_depth == 0:
            self.meta.published = values["datetime"]
        if tag in SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS:
            self.skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif self.skip_depth == 0:
            self.chunks.append(data)

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
        content = values.get("content", "").strip()
        if not content:
            return
        if key in META_PUBLISHED and not self.meta.published:
            self.meta.published = content
        elif key in META_SITE and not self.meta.site_name:
            self.meta.site_name = content
        elif key in META_URL and not self.meta.url:
            self.meta.url = content
        elif key in META_TITLE and not self.meta.title:
            self.meta.title = content


def looks_like_html(raw: str, source: str = "") -> bool:
    if source.lower().endswith((".html", ".htm")):
        return True
    head = raw.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in raw[:5000].lower()


def html_to_text(raw: str) -> tuple[str, PageMeta]:
    """Visible text of the page's content (navigation, scripts and forms dropped) and its metadata."""
    parser = _PageParser()
    parser.feed(raw)
    parser.close()
    meta = parser.meta
    page_title = " ".join("".join(parser.title_parts).split())
    if page_title and not meta.title:
        meta.title = page_title
    return "".join(parser.chunks), meta


# --- page furniture -----------------------------------------------------------------------------

# A line that opens one of these is site furniture, not the story.
FURNITURE_LINE = re.compile(
    r"^(read more|related:|related stories|see also|share this|share on|follow us|subscribe|sign up"
    r"|advertisement|leave a reply|leave a comment|your email address will not be published"
    r"|this site uses akismet|select page|media id:|fact checked|photo credit|click here|comments?$"
    r"|you may also like|more from|most read|trending|tags?:|filed under|skip to)",
    re.IGNORECASE,
)
# Where these start, the story is over: what follows is teasers, comments and footers.
TRAILER_LINE = re.compile(
    r"^(source:|leave a reply|related stories|you may also like|more from|most read|comments$)",
    re.IGNORECASE,
)
ICON_WORDS = re.compile(r"icon", re.IGNORECASE)
ICON_LIST_MIN = 5  # a line naming this many icons is a scraped icon sprite, not prose


def clean_text(text: str) -> str:
    """The story's lines, furniture removed, one blank line between paragraphs."""
    kept: list[str] = []
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continue
        if TRAILER_LINE.match(line):
            if line.lower().startswith("source:"):
                kept.append(line)  # the credit line is part of the story; what follows is not
            break
        if FURNITURE_LINE.match(line) or len(ICON_WORDS.findall(line)) >= ICON_LIST_MIN:
            continue
        if kept and kept[-1] == line:
            continue  # teaser cards repeat their headline
        kept.append(line)
    return "\n\n".join(kept)


# --- sentences --------------------------------------------------------------------------------

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj sgt capt cmdr adm gov sen rep rev st jr sr inc ltd co corp no nos vs
etc al jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est fig
""".split())
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
OPENING_QUOTES = "“«"
CLOSING_QUOTES = "”»"
SIGNIFICANT = re.compile(r"[.!?…\"“”«»]")
MAX_QUOTED_SENTENCE = 800  # past this, an unclosed quotation mark is a typo, not a long quote


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text; a quotation is kept whole with its attribution."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text):
        spans.extend(_split_paragraph(text, para_start, para_end))
    return spans


def _paragraphs(text: str):
    for match in re.finditer(r"[^\n]+", text):
        yield match.start(), match.end()


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    begin = start
    depth = 0
    straight_open = False
    resume = start  # characters before this were read as part of a sentence end
    for found in SIGNIFICANT.finditer(text, start, end):  # only quotes and stops matter here
        i = found.start()
        if i < resume:
            continue
        ch = text[i]
        if ch in OPENING_QUOTES:
            depth += 1
        elif ch in CLOSING_QUOTES:
            depth = max(0, depth - 1)
        elif ch == '"':
            straight_open = not straight_open
        elif not ((depth > 0 or straight_open) and i - begin < MAX_QUOTED_SENTENCE):
            match = SENTENCE_END.match(text, i)
            stop = match.end() if match else i + 1
            if _ends_sentence(text, begin, i, stop, end):
                spans.append(_trimmed(text, begin, stop))
                begin = stop
                depth, straight_open = 0, False
            resume = stop
    if text[begin:end].strip():
        spans.append(_trimmed(text, begin, end))
    return spans


def _ends_sentence(text: str, begin: int, dot: int, stop: int, end: int) -> bool:
    # Only the characters either side of the stop are read, never the whole sentence or the rest of the
    # paragraph: a paragraph's every full stop is tried, so copying those would grow with its square.
    if stop >= end:
        return True
    if not text[stop].isspace():
        return False  # "U.S." or "3.5"
    after = _trimmed(text, stop, end)[0]  # the first character after the stop's white space
    if after == end or not (text[after].isupper() or text[after].isdigit() or text[after] in "\"'“‘(["):
        return False
    if text[dot] == ".":
        token = text[_word_start(text, begin, dot):dot]  # the letters just before the full stop
        if token and (token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())):
            return False
    return True


ASCII_LETTERS = frozenset(string.ascii_letters)  # what a word before a full stop is made of ([A-Za-z])


def _word_start(text: str, begin: int, end: int) -> int:
    """Where the run of ASCII letters that ends at end starts, going back no further than begin."""
    while end > begin and text[end - 1] in ASCII_LETTERS:
        end -= 1
    return end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
