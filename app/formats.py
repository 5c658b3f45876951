"""Export formats of the pages' data: CSV, iCalendar (RFC 5545), Atom (RFC 4287), TimelineJS 3 JSON.

Pure functions: plain data in, text (or a dict) out. Links arrive absolute, built by the web layer.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ICS_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded (CRLF + one space)
CRLF = "\r\n"
ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TIMELINE_HEADLINE_CHARS = 90  # a TimelineJS slide headline: the quote's opening words
# Embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they hold until the end of the line, so
# one in an article's words can turn the rest of a line around ("gnp.exe" shown as "exe.png"). The marks
# (U+200E, U+200F) hold for no span and stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


# -- plain text ----------------------------------------------------------------------------------


def bidi_isolated(text: str) -> str:
    """Untrusted words for a plain-text line they share (a tab title, a feed entry's title), where no
    element can isolate them: their own bidi controls removed, so they show in the order they were written,
    and the rest wrapped in an isolate, so right-to-left words cannot reorder what stands around them."""
    return FIRST_STRONG_ISOLATE + BIDI_CONTROLS.sub("", text) + POP_DIRECTIONAL_ISOLATE


# -- CSV -----------------------------------------------------------------------------------------


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header row and one row per mapping (missing keys empty, extra keys ignored), no cell a formula.

    Rows end in CRLF (RFC 4180), so the writer also quotes a cell holding a lone carriage return."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row.get(k)) for k in fields})
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: empty for None, and text a spreadsheet would run as a formula made inert by a
    leading apostrophe (numbers we write stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# -- iCalendar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: dt.date
    summary: str
    description: str
    url: str
    category: str


def ics_escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma escaped; newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def ics_fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = ICS_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size = " ", 1  # a continuation line starts with one space, which counts
        current += char
        size += octets
    pieces.append(current)
    return CRLF.join(pieces)


def icalendar(name: str, events: Iterable[CalendarEvent], stamp: dt.datetime) -> str:
    """A VCALENDAR of all-day events, CRLF line ends, folded lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Ceasefire Timeline//Milestones//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_escape(name)}"]
    for e in events:
        lines += [
            "BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}", f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(e.summary)}", f"DESCRIPTION:{ics_escape(e.description)}",
            f"URL:{e.url}", f"CATEGORIES:{ics_escape(e.category)}", "TRANSP:TRANSPARENT", "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + CRLF for line in lines)


# -- Atom ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    id: str  # an absolute URL, stable for the report
    title: str
    updated: dt.date
    link: str
    author: str
    content: str
    category: str


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def atom(title: str, feed_id: str, self_url: str, home_url: str, entries: Sequence[FeedEntry]) -> str:
    """An Atom 1.0 feed; ElementTree escapes every text, so any quote makes well-formed XML."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "title", title)
    sub(feed, "id", feed_id)
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=home_url, type="text/html")
    latest = max((e.updated for e in entries), default=dt.date(2016, 9, 9))
    sub(feed, "updated", _rfc3339(latest))
    sub(sub(feed, "author"), "name", "Ceasefire Timeline")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "updated", _rfc3339(e.updated))
        sub(entry, "link", rel="alternate", href=e.link, type="text/html")
        sub(sub(entry, "author"), "name", e.author)
        sub(entry, "category", term=e.category)
        sub(entry, "content", e.content, type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# -- TimelineJS 3 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    day: dt.date
    headline: str
    text: str  # plain text: escaped here, because TimelineJS renders slide text as HTML
    group: str
    unique_id: str
    url: str


def timelinejs(title: str, intro: str, events: Iterable[TimelineEvent]) -> dict[str, Any]:
    """TimelineJS 3's JSON format: {"title": slide, "events": [slide, ...]}."""
    return {
        "title": {"text": {"headline": html.escape(title), "text": html.escape(intro)}},
        "events": [
            {
                "start_date": {"year": e.day.year, "month": e.day.month, "day": e.day.day},
                "text": {"headline": html.escape(e.headline),
                         "text": f'{html.escape(e.text)} <a href="{html.escape(e.url)}">Read more</a>'},
                "group": e.group,
                "unique_id": e.unique_id,
            }
            for e in events
        ],
    }


def headline(quote: str, limit: int = TIMELINE_HEADLINE_CHARS) -> str:
    """The quote's opening words, cut at a word boundary."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    return quote[:limit].rsplit(" ", 1)[0] + "…"
