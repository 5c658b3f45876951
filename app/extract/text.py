"""Bytes to clean article text: decoding, HTML to text, page furniture removal, sentence spans."""

from __future__ import annotations

import codecs
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

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
    declared = _declared_charset(data)
    if declared and declared != "utf-8":  # UTF-8 keeps its own checks below
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - UTF8_LONGEST_CHAR:
            return data[:exc.start].decode("utf-8")  # a file cut off inside its last character
        if UTF8_MULTIBYTE.search(data):
            raise RejectedFile(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc
    if _looks_like_html_bytes(data):
        # Browsers read an undeclared page's bytes as Windows-1252, a superset of Latin-1's letters.
        return data.decode("cp1252", errors="replace")
    # Latin-1 decodes any byte, so only accept it when the bytes look like Western text.
    if any(0x80 <= b < 0xA0 for b in data):
        raise RejectedFile("not UTF-8 or Latin-1 text")
    return data.decode("latin-1")


CHARSET_SNIFF_BYTES = 4096  # browsers look for <meta charset> in the page's first kilobytes (1024 by the spec)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _looks_like_html_bytes(data: bytes) -> bool:
    return looks_like_html(data[:CHARSET_SNIFF_BYTES].decode("ascii", errors="replace"))


def _declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in <meta charset> or http-equiv, when Python knows it."""
    match = META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    if not match or not _looks_like_html_bytes(data):
        return None
    name = match[1].decode("ascii").lower()
    if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        name = "cp1252"  # what browsers do: the WHATWG encoding standard maps these labels to Windows-1252
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


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

# Trafilatura finds the story among the page's furniture with lxml, whose parser is linear even on
# unterminated markup (Python's html.parser is quadratic on a run of unclosed "<!--").
HTML_OPTIONS = {
    "with_metadata": True,  # title, site name, URL and the publication date
    "include_comments": False,  # readers' comments are not the story
    "include_tables": True,  # casualty and aid figures are often tabulated
    # htmldate: search the whole page when the metadata has no date; prefer "published" to "updated".
    "date_extraction_params": {"extensive_search": True, "original_date": True},
}


@dataclass
class PageMeta:
    title: str | None = None
    url: str | None = None
    site_name: str | None = None
    published: str | None = None  # as written, parsed later


def looks_like_html(raw: str, source: str = "") -> bool:
    if source.lower().endswith((".html", ".htm")):
        return True
    head = raw.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in raw[:5000].lower()


def html_to_text(raw: str) -> tuple[str, PageMeta]:
    """The page's story, one paragraph a line with a blank line between (clean_text's shape), and its
    metadata. A page trafilatura finds no story in gives empty text."""
    import trafilatura  # imported here: plain-text articles never pay for loading it

    document = trafilatura.bare_extraction(raw, **HTML_OPTIONS)
    if document is None:
        return "", PageMeta()
    lines = (" ".join(line.split()) for line in (document.text or "").split("\n"))
    text = "\n\n".join(line for line in lines if line)
    meta = PageMeta(title=document.title or None, url=document.url or None,
                    site_name=document.sitename or None, published=document.date or None)
    return text, meta


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
    wrapped: set[int] = set()  # kept lines that go on from the line before them, hard-wrapped copy
    adjacent = False  # whether the raw line follows the last kept one directly, no blank line between
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            adjacent = False
            continue
        if TRAILER_LINE.match(line):
            if line.lower().startswith("source:"):
                kept.append(line)  # the credit line is part of the story; what follows is not
            break
        if FURNITURE_LINE.match(line) or len(ICON_WORDS.findall(line)) >= ICON_LIST_MIN:
            adjacent = False
            continue
        if kept and kept[-1] == line:
            continue  # teaser cards repeat their headline
        if adjacent and kept and _runs_on(kept[-1], line):
            wrapped.add(len(kept))
        kept.append(line)
        adjacent = True
    # A wrapped line stays one newline from the line it goes on from, so the splitter reads them as one run.
    return "".join(("\n" if i in wrapped else "\n\n") + line if i else line for i, line in enumerate(kept))


def _runs_on(line: str, following: str) -> bool:
    """Whether a line runs on into the next, by the same test the splitter makes of a single line break."""
    joined = line + "\n" + following
    return _wraps_into(joined, len(line), len(line) + 1)


# --- sentences --------------------------------------------------------------------------------

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj sgt capt cmdr adm gov sen rep rev st jr sr inc ltd co corp no nos vs
etc al jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est fig
""".split())
CLOCK_WORDS = frozenset({"am", "pm", "gmt", "utc"})
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


def line_runs(text: str) -> Iterator[tuple[int, int]]:
    """The text's lines, a hard-wrapped paragraph's lines as one run: (start, end) spans, one at a time, so
    a caller that needs the first few (a title) reads no further."""
    return _paragraphs(text)


LINE = re.compile(r"[^\n]+")


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Line runs: a line, joined with the next when the text is hard-wrapped there (see _wraps_into)."""
    start = end = None
    for match in LINE.finditer(text):
        if start is not None and not _wraps_into(text, end, match.start()):
            yield start, end
            start = None
        if start is None:
            start = match.start()
        end = match.end()
    if start is not None:
        yield start, end


WRAP_ENDS = frozenset(".!?:;\"”’)]|")  # a line ending so closes what it says; any other may wrap
# A line ending in one of these cannot end there: "... welcomed the plan on / Sunday".
RUN_ON_WORDS = frozenset("a an the of on in at to for from by with and or but that than as into".split())


def _wraps_into(text: str, line_end: int, next_start: int) -> bool:
    """Whether the line ending at line_end runs on into the next line, as wire copy wrapped at a fixed width
    does: one newline between them, no closing punctuation, and the next line going on in lower case (or the
    line ending in a comma). A headline over a story and a list of links both stop at such a break."""
    if next_start != line_end + 1:
        return False  # a blank line: a new paragraph
    last = text[line_end - 1]
    following = text[next_start]
    if last in WRAP_ENDS:
        return False
    return following.islower() or last == "," or _last_word(text, line_end) in RUN_ON_WORDS


def _last_word(text: str, end: int) -> str:
    """The line's last word, lower-cased, read from its last few characters only (RUN_ON_WORDS are short)."""
    tail = text[max(0, end - 6):end]
    words = tail.split()
    return words[-1].lower() if words and (len(words) > 1 or end - 6 <= 0 or tail[0].isspace()) else ""


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
                spans.append(trimmed_span(text, begin, stop))
                begin = stop
                depth, straight_open = 0, False
            resume = stop
    if text[begin:end].strip():
        spans.append(trimmed_span(text, begin, end))
    return spans


def _ends_sentence(text: str, begin: int, dot: int, stop: int, end: int) -> bool:
    # Only the characters either side of the stop are read, never the whole sentence or the rest of the
    # paragraph: a paragraph's every full stop is tried, so copying those would grow with its square.
    if stop >= end:
        return True
    if not text[stop].isspace():
        return False  # "U.S." or "3.5"
    after = trimmed_span(text, stop, end)[0]  # the first character after the stop's white space
    if after == end or not (text[after].isupper() or text[after].isdigit() or text[after] in "\"'“‘(["):
        return False
    if text[dot] == ".":
        token = text[_word_start(text, begin, dot):dot]  # the letters just before the full stop
        if token and (token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())):
            return False
        if token.lower() in CLOCK_WORDS and text[after] == "(":
            return False  # "at 11.59 pm. (2059 GMT) on Sunday": the time goes on in another zone
    return True


ASCII_LETTERS = frozenset(string.ascii_letters)  # what a word before a full stop is made of ([A-Za-z])


def _word_start(text: str, begin: int, end: int) -> int:
    """Where the run of ASCII letters that ends at end starts, going back no further than begin."""
    while end > begin and text[end - 1] in ASCII_LETTERS:
        end -= 1
    return end


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """start:end without white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
