"""The marks a page carries of its own publisher and of the wire agency whose copy it runs.

Pure text patterns, shared by outlet detection: a title suffix ("... | Name"), a copyright or "Sources:"
line, "Welcome to Name", "By Name Staff", a masthead with the date, a wire dateline ("BEIRUT (AP) -",
"/TASS/", "By AFP"). A photo credit ("AFP photo", "Photo: Reuters", "© AFP 2016/ Name") is none of these."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from app.extract.types import UNKNOWN_OUTLET_SLUG

OPENING_CHARS = 1500  # the story's first paragraph, after a title bar and a photo caption, lies within this
CLOSING_CHARS = 300  # a closing credit ("— AFP") sits in the story's last line
DATELINE_CHARS = 80  # "WASHINGTON, Sept. 14, 2016 (Reuters) -": the dateline before an agency's credit
MAX_NAME_WORDS = 6  # a publisher's name is short; longer capitalised runs are headlines
MIN_HEADLINE_WORDS = 3  # a title suffix follows a headline of at least this many words
PHOTO_CONTEXT = 25  # how far around a name a photo credit's words are looked for
SLUG_CHARS = 80  # the outlet table's slug column


# Patterns built around an outlet's name pattern: a few per outlet, over 240 outlets, more than the re
# module's own cache of 512 holds, so they are kept here and compiled once.
COMPILED_KEPT = 8192


@lru_cache(maxsize=COMPILED_KEPT)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class PageMarks:
    """What an HTML page says of its publisher beside the story: its <title>, og:site_name and JSON-LD
    publisher, its canonical address."""

    title: str | None = None
    site_names: tuple[str, ...] = ()
    canonical: str | None = None


@dataclass(frozen=True)
class Evidence:
    name: str
    why: str


@dataclass(frozen=True)
class Credit:
    start: int  # where in the opening it was found
    why: str


def page_marks(html: str) -> PageMarks:
    """The page's own statements of its publisher; empty where the markup has none or cannot be read."""
    import lxml.html  # imported here: plain-text articles never pay for loading it
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return PageMarks()
    title = " ".join(" ".join(root.xpath("//head/title//text()")).split()) or None
    names = [*root.xpath("//meta[@property='og:site_name']/@content"),
             *_json_ld_publishers(root.xpath("//script[@type='application/ld+json']/text()")),
             *root.xpath("//meta[@name='application-name']/@content")]
    canonical = root.xpath("//link[@rel='canonical']/@href") or root.xpath("//meta[@property='og:url']/@content")
    clean = tuple(dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()))
    return PageMarks(title=title, site_names=clean, canonical=canonical[0].strip() if canonical else None)


def _json_ld_publishers(blocks: list[str]) -> Iterator[str]:
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        yield from _publisher_names(data)


def _publisher_names(data: object) -> Iterator[str]:
    """The names of every `publisher` in a JSON-LD document, in document order."""
    if isinstance(data, list):
        for item in data:
            yield from _publisher_names(item)
    elif isinstance(data, dict):
        publisher = data.get("publisher")
        for item in publisher if isinstance(publisher, list) else [publisher]:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield item["name"]
            elif isinstance(item, str):
                yield item
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            yield from _publisher_names(data.get(key))


DOMAIN = re.compile(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def is_domain(name: str) -> bool:
    """A bare lower-case host ("example.com", "https://www.example.com"): what metadata falls back to when
    the page names no site."""
    return DOMAIN.fullmatch(re.sub(r"^https?://", "", name.strip()).rstrip("/")) is not None


TAGLINE = re.compile(r"\s+[|–—-]\s+.*$")  # "Daily Planet | News you can use": the name comes first


def site_name(raw: str) -> str:
    """A metadata site name without the tagline or title bar some pages put in it."""
    return TAGLINE.sub("", " ".join(raw.split())).strip(" _") or raw.strip()


def slug_for(name: str) -> str:
    """The lower-case, hyphenated slug of a publisher's name ("The Daily Planet" -> "the-daily-planet")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_CHARS].strip("-")
    if slug == UNKNOWN_OUTLET_SLUG:  # a publisher called "Unknown" is a publisher, not the unknown outlet
        return "unknown-publisher"
    return slug or "unnamed-outlet"


# --- photo credits -------------------------------------------------------------------------------

PHOTO_BEFORE = re.compile(r"(?i)(?:photo|picture|image|pic|caption|credit|illustration|file)s?"
                          r"(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:/|]?\s*(?:©\s*)?$")
PHOTO_AFTER = re.compile(r"(?i)^\s*(?:(?:19|20)\d\d\s*)?(?:/|photos?\b|pictures?\b|images?\b|file\b|via getty\b|"
                         r"pool\b)")


def is_photo_credit(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] credits a photograph ("AFP photo", "Photo: Reuters",
    "REUTERS/Name", "© AFP 2016/ Name"): the agency took the picture, it did not publish the page. An
    address ("example.com/world/...") is never one."""
    if DOMAIN.fullmatch(text[start:end].lower()):
        return False
    return bool(PHOTO_BEFORE.search(text[max(0, start - PHOTO_CONTEXT):start])
                or PHOTO_AFTER.match(text[end:end + PHOTO_CONTEXT]))


# --- catalogued outlets: credit lines ---------------------------------------------------------------

YEAR = r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?"
STAFF = r"(?:staff|staff writers?|newsroom|news desk)"


def credit_lines(text: str, name: str) -> Iterator[str]:
    """Lines that credit the page to the outlet whose name pattern is given: a copyright or source line,
    "Welcome to ...", a staff byline. Photo credits are passed over."""
    patterns = (
        ("credit line", r"(?im)^[ \t]*(?:sources?|©|\(c\)|copyright)[ \t]*:?[ \t]*(?:©[ \t]*)?"
                        rf"(?:{YEAR}[ \t]*,?[ \t]*)?(?:by[ \t]+)?(?-i:{name})"),
        ("credit line", rf"(?im)^[ \t]*sources?[ \t]*:?[ \t]*\n(?:[ \t]*\n)*[ \t]*(?-i:{name})[ \t]*$"),
        ("copyright line", rf"(?i)(?:©|copyright)\s*(?:{YEAR}\s*,?\s*)?(?-i:{name})[^\n]{{0,40}}all rights reserved"),
        ("welcome line", rf"(?i)\bwelcome to (?:the (?:archives?|website|home|pages?) of\s+)?(?-i:{name})"),
        ("staff byline", rf"(?im)^[ \t]*(?:by[ \t]+)?(?-i:{name})[ \t]+{STAFF}[ \t]*$"),
    )
    for label, pattern in patterns:
        for found in compiled(pattern).finditer(text):
            if not is_photo_credit(text, found.start(), found.end()):
                yield f"{label} '{' '.join(found.group(0).split())[:80]}'"
                break


# --- wire credits ---------------------------------------------------------------------------------


def opening(text: str) -> str:
    return text[:OPENING_CHARS]


def closing(text: str) -> str:
    return text[-CLOSING_CHARS:] if len(text) > OPENING_CHARS else ""


PLACE = r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}"
NOT_PHOTO_LINE = r"(?![^\n]*(?i:photo|picture|image|getty|file))"


def wire_credit(text: str, name: str, *, agency: bool) -> Credit | None:
    """Where the story's opening (or closing line) credits the outlet whose name pattern is given as the
    author of its copy: "BEIRUT (AP) —", "Moscow, Sep 18 (IANS) The", "/TASS/", and for agencies also
    "By AFP", "Press Trust of India Washington" and a closing "— AFP"."""
    head, tail = opening(text), closing(text)
    found = _dateline(head, name)
    if found:
        return found
    credited = compiled(rf"(?m)^[ \t]*{PLACE},[ \t]+(?:{name})[ \t]*[-–—]").search(head)  # "Damascus, SANA –"
    if credited:
        return Credit(credited.start(), f"dateline credit '{' '.join(credited.group(0).split())}'")
    slashed = compiled(rf"(?<![\w/:])/\s*(?:{name})\s*/(?![\w/])").search(head)
    if slashed:
        return Credit(slashed.start(), f"agency credit '{slashed.group(0)}'")
    if not agency:
        return None
    patterns = (
        ("byline", rf"(?m)^[ \t]*By[ \t]+(?:{name})(?:[ \t]+(?:Staff|Reporters?|Wires?))?[ \t]*(?:$|[,|·•–—-]|\d)"),
        ("credit line", rf"(?m)^[ \t]*{NOT_PHOTO_LINE}(?:{name})[ \t]*(?:[,|–—-][ \t]*)?{PLACE}[ \t]*$"),
    )
    for label, pattern in patterns:
        match = compiled(pattern).search(head)
        if match and not is_photo_credit(head, match.start(), match.end()):
            return Credit(match.start(), f"{label} '{' '.join(match.group(0).split())[:80]}'")
    closing_credit = compiled(rf"(?m)^[ \t]*(?:[-–—]+|\()[ \t]*(?:{name})[ \t]*\)?\.?[ \t]*\Z").search(tail)
    if closing_credit:
        return Credit(OPENING_CHARS + closing_credit.start(), f"closing credit '{closing_credit.group(0).strip()}'")
    return None


# A sentence ending before "(Name)" means prose, not a dateline; "Sept. 19" and "Gen." do not end one.
SENTENCE_END = re.compile(r"\b(?!(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|gen|col|lt|st|mr|mrs|dr)[.])"
                          r"\w*[a-z][.!?]\s", re.IGNORECASE)


def _dateline(head: str, name: str) -> Credit | None:
    """"(Name)" after a dateline at a paragraph's start, and before the story's first word."""
    for found in compiled(rf"\(\s*(?:{name})\s*\)[ \t]*(?:[-–—:]+[ \t]*)?(?=[\"“‘'A-Z0-9])").finditer(head):
        line_start = head.rfind("\n", 0, found.start()) + 1
        before = head[line_start:found.start()]
        if len(before) <= DATELINE_CHARS and not SENTENCE_END.search(before):
            return Credit(found.start(), f"wire dateline '{' '.join((before + found.group(0)).split())[:80]}'")
    return None


# --- publishers outside the catalogue ------------------------------------------------------------

CONNECTOR = r"(?:of|the|and|for|on|de|du|des|al|el|la|le|&)"
NAME_WORD = r"[A-Z0-9][\w'’&.!-]*"
NAME = rf"(?P<name>{NAME_WORD}(?:[ \t]+(?:{CONNECTOR}[ \t]+)?{NAME_WORD}){{0,{MAX_NAME_WORDS - 1}}})"
COMPANY_SUFFIX = re.compile(r"[\s,]+(?:LLC|L\.L\.C\.|Ltd\.?|Limited|Inc\.?|Corp\.?|Co\.|PLC|plc|S\.A\.|GmbH)$")
NOT_NAMES = frozenset("""
all rights reserved updated published photo photos picture pictures image images gallery video videos live
file getty home news world
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())
# Words a publication's name ends with, so a masthead ("Daily Planet News 01 Oct 2016") is told from a
# headline that happens to precede a date.
PUBLICATION_WORDS = frozenset("""
news times post herald daily weekly journal today online gazette tribune monitor observer express star mail
telegraph agency network media tv radio magazine wire press chronicle standard bulletin digest brief insider
updates update report review dispatch courier voice world
""".split())
DATE = (r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
        r"\s+\d{4}|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{4})")

GENERIC_MARKS = (
    ("copyright line", re.compile(rf"(?:©|\(c\)|\bCopyright\b)[ \t]*(?:©[ \t]*)?(?:{YEAR}[ \t]*,?[ \t]*)?"
                                  rf"(?:by[ \t]+)?{NAME}")),
    ("source line", re.compile(rf"(?m)^[ \t]*Sources?[ \t]*(?::[ \t]*|[ \t]*\n(?:[ \t]*\n)*[ \t]*){NAME}[ \t]*$")),
    ("welcome line", re.compile(rf"\b[Ww]elcome to (?:the (?:archives?|website|home|pages?) of[ \t]+)?{NAME}")),
    ("staff byline", re.compile(rf"(?m)^[ \t]*(?:By[ \t]+)?{NAME}[ \t]+Staff(?:[ \t]+(?:Writers?|Reporters?))?"
                                rf"[ \t]*$")),
)
TITLE_SUFFIX = re.compile(rf"\s[|–—-]\s*{NAME}\s*$")
MASTHEAD = re.compile(rf"{NAME}(?::[ \t]*|[ \t]+){DATE}")


def named_by_marks(text: str, top: list[str]) -> Evidence | None:
    """A publisher named by the page's own marks, strongest first: a title suffix, a copyright line, a
    "Sources:" line, "Welcome to ...", a staff byline, a masthead with the date."""
    for line in top:
        found = TITLE_SUFFIX.search(line)
        if (found and len(line[:found.start()].split()) >= MIN_HEADLINE_WORDS
                and not is_photo_credit(line, found.start("name"), found.end("name"))):
            name = _clean_name(found.group("name"))
            if name:
                return Evidence(name, f"title suffix '{line[:80]}'")
    for label, pattern in GENERIC_MARKS:
        for found in pattern.finditer(text):
            name = _clean_name(found.group("name"))
            if name and not is_photo_credit(text, found.start("name"), found.end("name")):
                return Evidence(name, f"{label} '{' '.join(found.group(0).split())[:80]}'")
    return _masthead(top)


def _masthead(top: list[str]) -> Evidence | None:
    for line in top[:2]:
        found = MASTHEAD.match(line)
        if found:
            name = _clean_name(found.group("name"))
            if name and name.split()[-1].lower() in PUBLICATION_WORDS and len(name.split()) >= 2:
                return Evidence(name, f"masthead '{line[:80]}'")
    return None


def _clean_name(raw: str) -> str | None:
    """The name without a company suffix or trailing stop; None for what is no name (a date, "Photo")."""
    name = COMPANY_SUFFIX.sub("", re.sub(r"\s+All$", "", raw.strip())).rstrip(".,;:")
    name = re.sub(rf"\s+{CONNECTOR}$", "", name)
    words = name.split()
    content = [w for w in words if not re.fullmatch(CONNECTOR, w, re.IGNORECASE)]
    if not content or all(w.lower().strip(".") in NOT_NAMES for w in content) or words[0].isdigit():
        return None
    if words[-1].lower() in ("all", "rights"):
        return None
    return name
