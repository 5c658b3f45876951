"""The headline of an article that names none in its metadata: the first line at its top that reads as one.

A page's top lines hold more than the headline: the site's name and menus, a date, a photo caption, embed
markup, the story's dateline. Each is told by its own marks and passed over; the first line left with a
headline's length is the title. With none, the story's opening words stand in for one."""

from __future__ import annotations

import re
from itertools import islice

from app.extract.sentences import is_dateline, is_prose
from app.extract.text import RUN_ON_WORDS, line_runs

TITLE_LINES = 8  # the headline is among the first lines
TITLE_MAX_CHARS = 200
MIN_WORDS = 3
FALLBACK_TITLE_CHARS = 120  # with no headline, the opening words stand in for one
SITE_SUFFIX = re.compile(r"\s*\|\s*[^|]+$")  # "Truce holds | The Daily Planet"
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|\]\(|!\[|\{\{")  # tags, markdown links and images, templates
PHOTO_WORDS = re.compile(r"(?i)\b(?:photos?|pictured|picture|image|file photo|getty(?: images)?|illustration|"
                         r"screenshot)\b|\((?:l|r|c|left|right|centre|center|top|bottom)\)|\[[^\]]{1,40}\]\s*$")
PHOTO_CREDIT = re.compile(r"\b[A-Z]{2,}\)?(?: Photo)? ?/ ?[A-Z][a-z]+")  # "REUTERS/Omar Sanadiki", "AP Photo/Name"
# "Damascus, SANA –", "WASHINGTON (Reuters) -", "date 2016-09-17": where the story starts, not its headline.
STORY_START = re.compile(r"^(?:(?i:date|dated|published|posted|updated|by)\b|[A-Z][\w .'’-]{1,40}"
                         r"(?:,\s*[A-Z]{2,}\s*[-–—]|\s*\([A-Z][\w .-]{1,25}\)\s*[-–—]))")
LABEL = re.compile(r"^(?i:date|dated|published|posted|updated)\s*:?\s*\S*\d\S*\s+")  # "date 2016-09-17 "
FURNITURE = re.compile(r"(?i)\b\d+\s*min(?:ute)?s?\s+read\b|\b\d{1,2}:\d\d\b|,$|^(?:dear|hello|hi)\b")
BULLET = re.compile(r"^\s*[•*·▪]")
NAV_WORDS = frozenset("""
home about us contact advertise advertisement subscribe subscription login log sign in up register menu search
newsletter newsletters privacy terms cookies policy help faq sections section more follow share print email
donate support skip to content main navigation
""".split())


def guess_title(text: str) -> str | None:
    """The longest line near the top that reads as a headline (a standfirst or a caption is longer, but
    neither reads as one), its site suffix cut; else the story's opening words."""
    top = islice(line_runs(text), TITLE_LINES)
    candidates = [c for c in (headline(text[start:end]) for start, end in top) if c]
    if candidates:
        return max(candidates, key=len)
    return _opening_words(text)


def _opening_words(text: str) -> str | None:
    first = " ".join(text.strip().split("\n", 1)[0].split()) if text.strip() else ""
    label = LABEL.match(first)
    first = first[label.end():] if label else first
    if len(first) > FALLBACK_TITLE_CHARS:
        return first[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return first or None


def headline(line: str) -> str | None:
    """The line as a headline, or None when it is something else at the top of a page."""
    line = SITE_SUFFIX.sub("", MARKDOWN_HEADING.sub("", " ".join(line.split())))
    if not line or len(line) > TITLE_MAX_CHARS or len(line.split()) < MIN_WORDS:
        return None
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'"):
        return None  # a wrapped line's continuation, or a lower-case menu entry
    # The cheap tests first: a dateline is found by reading the line's dates.
    if is_prose(line) or line.split()[-1].lower() in RUN_ON_WORDS or _is_menu(line) or is_dateline(line):
        return None  # ... or a fragment of wrapped text ("on behalf of our president and")
    if (MARKUP.search(line) or PHOTO_WORDS.search(line) or PHOTO_CREDIT.search(line) or STORY_START.match(line)
            or BULLET.match(line) or FURNITURE.search(line)):
        return None
    return line


def _is_menu(line: str) -> bool:
    words = re.findall(r"[a-z]+", line.lower())
    return bool(words) and sum(word in NAV_WORDS for word in words) * 2 >= len(words)
