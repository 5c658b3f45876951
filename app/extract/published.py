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


def find_dateline(lines: Sequence[str], default_year: int) -> Published | None:
    """A date standing as its own line above the story ("18 Sep, 2016 21:09", "Published: 18/09/2016"),
    or opening the first paragraph wire-style ("BEIRUT, Sept 19 (Reuters) -")."""
    found: list[tuple[bool, Published]] = []
    for line in _head(lines):
        wire = WIRE_DATELINE.match(line)
        labelled = bool(PUBLISHED_LABEL.match(line)) or wire is not None
        if len(line) > DATELINE_MAX_CHARS and not wire:
            continue
        text = wire.group(0) if wire else line
        for expr in find_expressions(text):
            if expr.kind not in ABSOLUTE_KINDS:
                continue
            if not labelled and len(expr.text) < DATELINE_SHARE * len(text.strip()):
                continue
            res = resolve(expr, None, truce_start=dt.date(default_year, 1, 1), default_year=default_year)
            if res.date is not None:
                basis = f"dateline '{text.strip()}'"
                year_given = expr.get("year") is not None
                if not year_given:
                    basis += f" (year {res.date.year} from the timeline's frame)"
                found.append((bool(UPDATED_LABEL.match(line)), Published(res.date, basis, year_given)))
    if not found:
        return None
    return sorted(found, key=lambda item: item[0])[0][1]  # "published" before "updated"


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
