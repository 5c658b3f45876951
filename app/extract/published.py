"""The publication date: a dateline when the page has one, else the earliest date consistent
with what the text says (its relative dates and the milestones it mentions)."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress

from app.catalog import Catalog
from app.extract.resolve import fmt, resolve
from app.extract.timex import TimeExpression, find_expressions

DATELINE_LINES = 8  # the dateline sits with the title, above the story
DATELINE_MAX_CHARS = 90  # a dateline is a short line, not a sentence mentioning a date
DATELINE_SHARE = 0.4  # the date must be most of its line ("18 Sep, 2016 21:09"), not a passing mention
PUBLISHED_LABEL = re.compile(r"^\s*(published|posted|first published|date|updated|last updated)\b",
                             re.IGNORECASE)
UPDATED_LABEL = re.compile(r"^\s*(updated|last updated)\b", re.IGNORECASE)
# "BEIRUT, Sept 19 (Reuters) -": place, date and agency opening the first paragraph.
WIRE_DATELINE = re.compile(r"^[A-Z][A-Za-z .'-]{1,40},\s+[^()\n]{3,40}?\s*\([^)\n]{2,40}\)\s*[-–—]")
PROSE_MIN_WORDS = 8  # a line this long ending in a full stop is the story, not the page's header
ABSOLUTE_KINDS = ("iso_date", "numeric_date", "month_day", "day_month")
RELATIVE_KINDS = ("weekday", "relative_day", "relative_week", "days_ago", "last_hours")

# How much each kind of clue counts when clues disagree.
PINNED_WEIGHT = 3  # a relative date that names a milestone: "came into effect on Monday"
AFTER_WEIGHT = 2  # an event the article reports as past cannot be after it
CONTEXT_WEIGHT = 1  # "on Saturday" in a sentence presuming the truce in force is not before the truce


@dataclass(frozen=True)
class Published:
    date: dt.date | None
    basis: str
    year_given: bool = True  # False: a dateline without a year, which took the timeline's


@dataclass(frozen=True)
class Clue:
    """One thing the text says that constrains the publication date."""

    weight: int
    holds: Callable[[dt.date], bool]
    description: str
    # Set when the clue holds on exactly the days from this one on (dt.date.max: on none), as most clues
    # do ("reported as past"): the days it holds on are then counted off at once, not asked one by one.
    holds_from: dt.date | None = None


@dataclass(frozen=True)
class Candidate:
    """A date the page shows near its top that may be its publication date."""

    date: dt.date
    basis: str
    year_given: bool
    source: str  # a key of SOURCE_RANK
    order: int  # place among the candidates, top of the page first

    def published(self, note: str = "") -> Published:
        return Published(self.date, self.basis + note, self.year_given)


# Which kind of candidate speaks for the article when several survive: its own labelled date, then the
# place dateline opening its story, then a bare date line, then a "date"/"updated" line of metadata.
SOURCE_RANK = {"published": 0, "place": 1, "line": 2, "metadata": 3, "updated": 4}
LABEL = re.compile(r"\b(first published|published|posted|last updated|updated|date)\b", re.IGNORECASE)
LABEL_SOURCE = {"first published": "published", "published": "published", "posted": "published",
                "last updated": "updated", "updated": "updated", "date": "metadata"}
LABEL_REACH = 12  # "Published: Thursday | " - a label governs the date this close after it
# "GENEVA, Sept 10", "Geneva/Beirut, September 20", "NEW YORK, Sep 21 (AP) -": a place and a comma.
PLACE = re.compile(r"(?:^|(?<=[\s|]))([A-Z][A-Za-z.'\u2019-]+(?:[ /-][A-Z][A-Za-z.'\u2019-]+){0,3}),\s*$")
PLACE_REACH = 45  # a place dateline opens its line: the date starts this close to the line's start
NOT_PLACES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "today updated published posted date on by".split())


def find_candidates(lines: Sequence[str], default_year: int) -> list[Candidate]:
    """Every date near the top of the page that may be its own: a date standing as its own line
    ("18 Sep, 2016 21:09", "Published: 18/09/2016"), a labelled one, or a place dateline opening
    the story ("BEIRUT, Sept 19 (Reuters) -", "Moscow, Sep 18 (IANS) The ...")."""
    found: list[Candidate] = []
    for line in _head(lines):
        wire = WIRE_DATELINE.match(line)
        short = len(line) <= DATELINE_MAX_CHARS
        text = line if short else line[:wire.end()] if wire else line[:PLACE_REACH + 30]
        for expr in find_expressions(text):
            if expr.kind not in ABSOLUTE_KINDS:
                continue
            source = _source(text, expr)
            if source is None or (not short and source != "place"):
                continue
            if source == "line" and len(expr.text) < DATELINE_SHARE * len(text.strip()):
                continue  # a passing mention in a line about something else
            res = resolve(expr, None, truce_start=dt.date(default_year, 1, 1), default_year=default_year)
            if res.date is None:
                continue
            shown = text.strip() if short or wire else text[:expr.end].strip()
            basis = f"dateline '{shown}'"
            year_given = expr.get("year") is not None
            if not year_given:
                basis += f" (year {res.date.year} from the timeline's frame)"
            found.append(Candidate(res.date, basis, year_given, source, len(found)))
    return found


def _source(line: str, expr: TimeExpression) -> str | None:
    before = line[:expr.start]
    place = PLACE.search(before)
    if place and expr.start <= PLACE_REACH and place.group(1).lower().rstrip(".") not in NOT_PLACES:
        return "place"
    labels = [m for m in LABEL.finditer(before) if expr.start - m.end() <= LABEL_REACH]
    if labels:
        return LABEL_SOURCE[labels[-1].group(1).lower()]
    return "line" if len(line) <= DATELINE_MAX_CHARS else None


def find_dateline(lines: Sequence[str], default_year: int) -> Published | None:
    """The best of the candidates on their form alone (see choose_candidate for the text's word)."""
    found = find_candidates(lines, default_year)
    return min(found, key=_rank).published() if found else None


def _rank(c: Candidate) -> tuple[int, int]:
    return SOURCE_RANK[c.source], c.order


# A date on the page this far from every date the text's own events carry is the site's furniture
# (a date widget, the crawl's clock, a related story), when another candidate is near them.
FURNITURE_DAYS = 183
# A candidate on which the text's clues weigh this much less than on the day they fit best is not the
# article's: its relative dates could not name the events they name, or it precedes what it reports.
REJECT_MARGIN = 2 * PINNED_WEIGHT


def choose_candidate(found: Sequence[Candidate], event_days: Sequence[dt.date], clues: Sequence[Clue],
                     catalog: Catalog) -> tuple[Candidate | None, list[str]]:
    """The candidate the text bears out, with notes on those passed over: furniture dated far from
    everything the text reports, and dates its clues rule out. None when the text rules out them all."""
    notes: list[str] = []
    near = [c for c in found if not event_days or min(abs((c.date - d).days) for d in event_days) <= FURNITURE_DAYS]
    for c in found:
        if c not in near and near:
            notes.append(f"passed over {c.basis}: far from every date the text reports")
    kept = near or list(found)
    total = sum(clue.weight for clue in clues)
    best: int | None = None
    consistent = []
    for c in kept:
        score = sum(clue.weight for clue in clues if clue.holds(c.date))
        if score < total - REJECT_MARGIN + 1:
            best = _best_score(clues, catalog) if best is None else best
            if score <= best - REJECT_MARGIN:
                notes.append(f"passed over {c.basis}: the text's clues weigh {score} on it, {best} at best")
                continue
        consistent.append(c)
    if not consistent:
        return None, notes
    return min(consistent, key=_rank), notes


def _best_score(clues: Sequence[Clue], catalog: Catalog) -> int:
    days = _window(catalog)
    holds = [_days_held(clue, days) for clue in clues]
    weights = [clue.weight for clue in clues]
    return max(sum(compress(weights, held)) for held in zip(*holds, strict=True))


def _window(catalog: Catalog) -> list[dt.date]:
    return [catalog.window_start + dt.timedelta(days=i)
            for i in range((catalog.window_end - catalog.window_start).days + 1)]


def _head(lines: Sequence[str]) -> list[str]:
    """The lines above the story, and the story's first line (which may open with a wire dateline)."""
    head = []
    for line in lines[:DATELINE_LINES]:
        head.append(line)
        if len(line.split()) >= PROSE_MIN_WORDS and line.rstrip().endswith((".", "”", '"')):
            break
    return head


def parse_meta_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    match = re.match(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def infer_published(clues: Sequence[Clue], catalog: Catalog) -> Published:
    """The earliest date in the timeline's frame that satisfies the most (weighted) clues."""
    if not clues:
        return Published(None, "no dateline, and nothing in the text pins the date")
    days = [catalog.window_start + dt.timedelta(days=i)
            for i in range((catalog.window_end - catalog.window_start).days + 1)]
    holds = [_days_held(clue, days) for clue in clues]  # evaluated once, reused to explain
    weights = [clue.weight for clue in clues]
    scores = [sum(compress(weights, held)) for held in zip(*holds, strict=True)]  # per day: what holds weighs
    best = scores.index(max(scores))  # index() gives the earliest of equal scores
    return Published(days[best], _explain(days[best], best, clues, holds))


def _days_held(clue: Clue, days: list[dt.date]) -> list[bool]:
    """Whether the clue holds on each of the days (in order)."""
    if clue.holds_from is None:
        return [clue.holds(day) for day in days]
    before = bisect_left(days, clue.holds_from)
    return [False] * before + [True] * (len(days) - before)


def _explain(day: dt.date, index: int, clues: Sequence[Clue], holds: list[list[bool]]) -> str:
    binding = [c.description for c, row in zip(clues, holds, strict=True)
               if row[index] and (index == 0 or not row[index - 1])]
    failing = [c.description for c, row in zip(clues, holds, strict=True) if not row[index]]
    held = len(clues) - len(failing)
    text = f"inferred: {fmt(day)} is the earliest date consistent with {held} of {len(clues)} clues"
    if binding:
        text += "; it is pinned by " + "; ".join(dict.fromkeys(binding))
    if failing:
        text += "; not consistent: " + "; ".join(dict.fromkeys(failing))
    return text


def pinned_clue(expr: TimeExpression, milestone_day: dt.date, title: str, catalog: Catalog,
                future: bool) -> Clue:
    """A relative date that names a milestone: 'came into effect on Monday' is 12 Sept."""

    def holds(day: dt.date) -> bool:
        return resolve(expr, day, truce_start=catalog.truce_start, future=future).contains(milestone_day)

    return Clue(PINNED_WEIGHT, holds, f"'{expr.text}' is the {title} ({fmt(milestone_day)})")


def after_clue(event_day: dt.date, description: str) -> Clue:
    return Clue(AFTER_WEIGHT, lambda day: day >= event_day, description, holds_from=event_day)


def absolute_after_clue(expr: TimeExpression, catalog: Catalog) -> Clue:
    # Resolved once: within the window an explicit date's year does not depend on the day tried.
    first = resolve(expr, None, truce_start=catalog.truce_start, default_year=catalog.window_start.year).first
    return Clue(AFTER_WEIGHT, lambda day: first is not None and first <= day, f"'{expr.text}' is reported as past",
                holds_from=dt.date.max if first is None else first)


def context_clue(expr: TimeExpression, not_before: dt.date, why: str, catalog: Catalog) -> Clue:
    def holds(day: dt.date) -> bool:
        res = resolve(expr, day, truce_start=catalog.truce_start)
        return res.last is not None and res.last >= not_before

    return Clue(CONTEXT_WEIGHT, holds, f"'{expr.text}' {why} ({fmt(not_before)} or later)")
