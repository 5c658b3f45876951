"""Turning a found time expression into a date, given the day it is counted from (the anchor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from app.extract.timex import (
    MONTHS,
    WEEKDAYS,
    TimeExpression,
    count_value,
    month_number,
    ordinal_value,
)

# dateparser guesses the language from the text; news in English must not be read as Catalan.
DATEPARSER_LANGUAGES = ["en"]
NEAR_FUTURE_DAYS = 7  # "September 20" in a piece published 17 Sept is this year, not last year

TOLD_KINDS = ("same_day", "told_offset")  # counted from the day the text has just told of


def told_offset(expr: TimeExpression) -> int:
    """Days from the day just told: "a day later" +1, "two days earlier" -2, "the previous day" -1."""
    if expr.kind != "told_offset":
        return 0
    words = " ".join(expr.text.lower().split())
    back = any(w in words for w in ("earlier", "before", "previous", "preceding"))
    count = expr.get("count")
    days = (1 if count.lower() in ("a", "one") else count_value(count)) if count else 1
    return -days if back else days


RELATIVE_DAY_OFFSETS = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "earlier today": 0, "later today": 0,
    "tomorrow": 1,
}


@dataclass(frozen=True)
class Resolution:
    date: dt.date | None
    precision: str  # day / week / month / unknown
    first: dt.date | None  # the range the words allow; equals date for a day
    last: dt.date | None
    # The explanation, or a function making it: publication-date inference resolves each
    # expression for every day of the window and reads none of those explanations.
    why: str | Callable[[], str]

    @property
    def reasoning(self) -> str:
        return self.why() if callable(self.why) else self.why

    def contains(self, day: dt.date) -> bool:
        return self.first is not None and self.last is not None and self.first <= day <= self.last


def day_resolution(day: dt.date, reasoning: str | Callable[[], str]) -> Resolution:
    return Resolution(day, "day", day, day, reasoning)


def unknown(reasoning: str) -> Resolution:
    return Resolution(None, "unknown", None, None, reasoning)


WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt(day: dt.date) -> str:
    """ "Sat 17 Sep 2016", without strftime: this runs for every candidate day of every clue."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def short(day: dt.date) -> str:
    return f"{day.day} {MONTH_ABBR[day.month - 1]}"


# Resolutions kept: inferring a publication date tries each expression against every day of the frame,
# and the same few expressions ("on Saturday", "yesterday") recur in article after article.
RESOLUTIONS_KEPT = 65_536


def resolve(expr: TimeExpression, anchor: dt.date | None, *, truce_start: dt.date,
            future: bool = False, default_year: int | None = None, scheduled: bool = False,
            truce_began_at: dt.time | None = None) -> Resolution:
    """The date the expression names, counted from anchor (normally the publication date).

    future: the clause looks forward ("will meet on Tuesday"). scheduled: the clause names a set time that
    may lie on either side of publication ("a truce starting on Monday", "effective from sundown on
    Monday"), so a weekday is the nearest one. truce_began_at: the hour the truce began on its first day, from
    which its mornings and nights are counted."""
    # Where the expression stands in its sentence does not change what it names: that is left out of the key.
    return _resolve(expr.kind, expr.text, expr.fields, anchor, truce_start, future, default_year, scheduled,
                    truce_began_at)


@lru_cache(maxsize=RESOLUTIONS_KEPT)
def _resolve(kind: str, text: str, fields: tuple[tuple[str, str], ...], anchor: dt.date | None,
             truce_start: dt.date, future: bool, default_year: int | None, scheduled: bool,
             truce_began_at: dt.time | None = None) -> Resolution:
    expr = TimeExpression(kind, text, 0, len(text), fields)
    if expr.kind in ("iso_date", "numeric_date", "month_day", "day_month"):
        return _absolute(expr, anchor, future, default_year)
    if expr.kind in ("truce_day", "truce_after"):
        return _truce_relative(expr, truce_start, truce_began_at)
    if expr.kind == "month":
        return _month(expr, anchor, future, default_year)
    if expr.kind in TOLD_KINDS:  # dated by the sentence before it (reports.py), never by publication
        return unknown(f"“{expr.text}” is the day told just before it")
    if anchor is None:
        return unknown(f"“{expr.text}” counts from the publication date, which is unknown")
    if expr.kind == "weekday":
        return _weekday(expr, anchor, future, scheduled)
    handler = {"relative_day": _relative_day, "relative_week": _relative_week, "relative_month": _relative_month,
               "days_ago": _days_ago, "last_hours": _last_hours}[expr.kind]
    return handler(expr, anchor, future)


def _absolute(expr: TimeExpression, anchor: dt.date | None, future: bool,
              default_year: int | None) -> Resolution:
    has_year = expr.get("year") is not None
    # Only the year of the base matters to dateparser here; the mid-year base keeps the cache small.
    year = anchor.year if anchor else default_year
    parsed = _parse(_canonical(expr), dt.date(year, 7, 1) if year else None, _date_order(expr))
    if parsed is None:
        return unknown(f"“{expr.text}” could not be read as a date")
    if not has_year and anchor is not None:
        if not future and parsed > anchor + dt.timedelta(days=NEAR_FUTURE_DAYS):
            parsed = parsed.replace(year=parsed.year - 1)
        elif future and parsed < anchor:
            parsed = parsed.replace(year=parsed.year + 1)
    if has_year:
        why = f"the article gives the date in full, “{expr.text}”"
    elif anchor is not None:
        why = f"“{expr.text}” gives no year, so the year is that of publication ({fmt(anchor)})"
    else:
        why = (f"“{expr.text}” gives no year and the publication date is unknown, so the year is the "
               f"timeline's, {parsed.year}")
    return day_resolution(parsed, why)


def _canonical(expr: TimeExpression) -> str:
    """The date part alone, in one spelling per date ("18 Sep, 2016 21:09" -> "18 September 2016"),
    so dateparser is asked once per distinct date, not once per way of writing it."""
    if expr.kind in ("month_day", "day_month") and expr.get("month") and expr.get("day"):
        month = MONTHS[month_number(expr.get("month") or "") - 1]
        return " ".join(p for p in (expr.get("day"), month, expr.get("year")) if p)
    if expr.kind == "numeric_date":
        return f"{expr.get('a')}/{expr.get('b')}/{expr.get('year')}"
    if expr.kind == "iso_date":
        return f"{expr.get('year')}-{expr.get('mm')}-{expr.get('dd')}"
    return expr.text


def _date_order(expr: TimeExpression) -> str | None:
    if expr.kind != "numeric_date":
        return None
    # Day-first unless the first number cannot be a day-of-month-first reading.
    return "MDY" if int(expr.get("b") or 0) > 12 else "DMY"


@lru_cache(maxsize=4096)
def _parse(text: str, base: dt.date | None, order: str | None) -> dt.date | None:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "current_period", "PREFER_DAY_OF_MONTH": "first",
                                   "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    if order:
        settings["DATE_ORDER"] = order
    parsed = dateparser.parse(text, languages=DATEPARSER_LANGUAGES, settings=settings)
    return parsed.date() if parsed else None


# When each part of a day is over: a truce that began after it has its first such part the next day.
PART_ENDS = {"morning": dt.time(12), "afternoon": dt.time(17), "evening": dt.time(21)}


def _truce_relative(expr: TimeExpression, truce_start: dt.date, began_at: dt.time | None) -> Resolution:
    if expr.kind == "truce_day":
        number = ordinal_value(expr.get("ordinal") or "1")
        part = (expr.get("part") or "day").lower()
        # Its first full day is the first it held from midnight: the day after, for a truce begun at sundown.
        full_day = bool(expr.get("full")) and part == "day"
        ends = PART_ENDS.get(part)
        if began_at is not None and ((full_day and began_at > dt.time(0)) or (ends is not None and began_at >= ends)):
            first = truce_start + dt.timedelta(days=1)  # begun at sundown: its first morning is the next day's
            day = first + dt.timedelta(days=number - 1)
            return day_resolution(day, f"{part} {number} of the truce, which began at {began_at:%H:%M} on "
                                       f"{fmt(truce_start)}: its first {part} was {fmt(first)}")
        day = truce_start + dt.timedelta(days=number - 1)
        return day_resolution(day, f"“{expr.text}” is {part} {number} of the truce, counting {fmt(truce_start)} "
                                   f"as {part} 1")
    count = count_value(expr.get("count") or "1")
    days = count * (7 if (expr.get("unit") or "").startswith("week") else 1)
    day = truce_start + dt.timedelta(days=days)
    return day_resolution(day, f"“{expr.text}” is {days} days after the truce began on {fmt(truce_start)}")


def _month(expr: TimeExpression, anchor: dt.date | None, future: bool,
           default_year: int | None) -> Resolution:
    month = month_number(expr.get("month") or "")
    if expr.get("year"):
        year, why = int(expr.get("year") or 0), f"“{expr.text}” names the month and the year"
    elif anchor is not None:
        year = anchor.year
        if not future and month > anchor.month:
            year -= 1
        elif future and month < anchor.month:
            year += 1
        why = (f"“{expr.text}” names a month without a year: the {'next' if future else 'latest'} such month "
               f"from publication ({fmt(anchor)})")
    elif default_year:
        year, why = default_year, f"“{expr.text}” gives no year, so the year is the timeline's, {default_year}"
    else:
        return unknown(f"“{expr.text}” gives no year and the publication date is unknown")
    first = dt.date(year, month, 1)
    last = _month_end(first)
    return Resolution(first, "month", first, last, why)


def _month_end(first: dt.date) -> dt.date:
    """The last day of the month that starts on first."""
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _weekday(expr: TimeExpression, anchor: dt.date, future: bool, scheduled: bool) -> Resolution:
    target = WEEKDAYS.index(expr.get("weekday") or "Monday")
    rel = (expr.get("rel") or "").lower()
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if rel == "next" or (future and rel != "last"):
        # "will meet on Tuesday", said on a Tuesday, is that day; "next Tuesday" is a week on.
        ahead = 7 if rel == "next" and ahead == 0 else ahead
        day = anchor + dt.timedelta(days=ahead)
        same = ", that same day" if ahead == 0 else ""

        def why() -> str:
            return (f"“{expr.text}” looks ahead: the first {WEEKDAYS[target]} on or after publication "
                    f"({fmt(anchor)}){same}")
    elif scheduled and rel not in ("last", "since"):
        offset = ahead if ahead < back else -back
        day = anchor + dt.timedelta(days=offset)

        def why() -> str:
            return (f"“{expr.text}” names a set time: the {WEEKDAYS[target]} nearest publication "
                    f"({fmt(anchor)}), {_days_from(offset)}")
    else:
        if rel == "last" and back == 0:
            back = 7
        day = anchor - dt.timedelta(days=back)
        same = ", that same day" if back == 0 else ""

        def why() -> str:
            return f"“{expr.text}” is the last {WEEKDAYS[target]} up to publication ({fmt(anchor)}){same}"
    return day_resolution(day, why)


def _days_from(offset: int) -> str:
    if offset == 0:
        return "the same day"
    count = f"{abs(offset)} day{'s' if abs(offset) > 1 else ''}"
    return f"{count} {'after' if offset > 0 else 'before'} it"


def _days_from_publication(offset: int) -> str:
    if offset == 0:
        return "the day of publication"
    count = {1: "the day", 2: "two days"}.get(abs(offset), f"{abs(offset)} days")
    return f"{count} {'after' if offset > 0 else 'before'} publication"


def _relative_day(expr: TimeExpression, anchor: dt.date, future: bool) -> Resolution:
    words = " ".join((expr.get("rel") or "").lower().split())
    offset = RELATIVE_DAY_OFFSETS.get(words, 0)
    day = anchor + dt.timedelta(days=offset)
    return day_resolution(day, lambda: f"“{expr.text}” is {_days_from_publication(offset)} ({fmt(anchor)})")


def _relative_week(expr: TimeExpression, anchor: dt.date, future: bool) -> Resolution:
    rel = " ".join((expr.get("rel") or "").lower().split())
    monday = anchor - dt.timedelta(days=anchor.weekday())
    shift = {"last": -7, "the previous": -7, "next": 7, "the following": 7}.get(rel, 0)
    first = monday + dt.timedelta(days=shift)
    last = first + dt.timedelta(days=6)
    if rel == "earlier this":
        last = max(first, anchor - dt.timedelta(days=1))
    elif rel == "later this":
        first = min(last, anchor + dt.timedelta(days=1))
    if expr.text.lower().endswith("weekend"):
        # "the weekend strike", "this past weekend", told on a weekday: the one just gone
        if rel in ("the", "past") and anchor.weekday() < 5 and not future:
            shift = -7
        first = monday + dt.timedelta(days=shift + 5)
        last = first + dt.timedelta(days=1)

    def why() -> str:
        return (f"“{expr.text}” is {short(first)}–{short(last)} {last.year}, counted from publication "
                f"({fmt(anchor)})")

    return Resolution(first, "week", first, last, why)


def _days_ago(expr: TimeExpression, anchor: dt.date, future: bool) -> Resolution:
    count = count_value(expr.get("count") or "1")
    days = count * (7 if (expr.get("unit") or "").startswith("week") else 1)
    day = anchor - dt.timedelta(days=days)
    if (expr.get("unit") or "").startswith("day"):  # "ten days ago" names a day, however far back
        return day_resolution(day, lambda: f"“{expr.text}” is {days} days before publication ({fmt(anchor)})")
    first, last = day - dt.timedelta(days=3), min(anchor, day + dt.timedelta(days=3))  # "two weeks ago": about then
    return Resolution(day, "week", first, last,
                      lambda: f"“{expr.text}” is about {days} days before publication ({fmt(anchor)}), give or "
                              "take a few days")


def _relative_month(expr: TimeExpression, anchor: dt.date, future: bool) -> Resolution:
    rel = " ".join((expr.get("rel") or "").lower().split())
    shift = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(rel, 0)
    index = anchor.year * 12 + anchor.month - 1 + shift
    first = dt.date(index // 12, index % 12 + 1, 1)
    last = _month_end(first)
    if rel == "earlier this":
        last = max(first, anchor - dt.timedelta(days=1))

    def why() -> str:
        return f"“{expr.text}” is {MONTHS[first.month - 1]} {first.year}, counted from publication ({fmt(anchor)})"

    return Resolution(first, "month", first, last, why)


def _last_hours(expr: TimeExpression, anchor: dt.date, future: bool) -> Resolution:
    hours = int(expr.get("hours") or 24)
    first = anchor - dt.timedelta(days=hours // 24)
    return Resolution(anchor, "day", first, anchor,
                      lambda: f"“{expr.text}” are the {hours} hours up to publication ({fmt(anchor)})")
