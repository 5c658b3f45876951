"""The publication date: the page's own date when the text bears it out (every dated line near the
top is a candidate, ranked; furniture and dates the text rules out are passed over), else the likeliest
day consistent with what the text says (its relative dates, the milestones it mentions, the weekdays it
names), with the range of days that fit."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress

from app.extract.catalog import Catalog
from app.extract.resolve import MONTH_ABBR, WEEKDAY_ABBR, fmt, resolve
from app.extract.timex import WEEKDAYS, TimeExpression, find_expressions

DATELINE_LINES = 8  # the dateline sits with the title, above the story
DATELINE_MAX_CHARS = 90  # a dateline is a short line, not a sentence mentioning a date
DATELINE_SHARE = 0.4  # the date must be most of its line ("18 Sep, 2016 21:09"), not a passing mention
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
    # The month-first reading of an ambiguous numeric date ("09/10/2016"), beside its day-first one.
    month_first: bool = False
    below: bool = False  # under the story, where a far date is a comment's or a related story's, never the page's

    def published(self, note: str = "") -> Published:
        return Published(self.date, self.basis + note, self.year_given)


# Which kind of candidate speaks for the article when several survive: its own labelled date, then the
# place dateline opening its story, then a bare date line, then a "date"/"updated" line of metadata.
SOURCE_RANK = {"published": 0, "place": 1, "line": 2, "metadata": 3, "updated": 4}
LABELLED_BELOW = frozenset({"published", "updated"})
LABEL = re.compile(r"\b(first published|published|posted|last updated|updated|date)\b", re.IGNORECASE)
LABEL_SOURCE = {"first published": "published", "published": "published", "posted": "published",
                "last updated": "updated", "updated": "updated", "date": "metadata"}
LABEL_REACH = 12  # "Published: Thursday | " - a label governs the date this close after it
# A time of day between a label and its date ("Updated 1932 GMT (0332 HKT) September 19, 2016") is not
# counted in the reach: it belongs to the date.
CLOCK = re.compile(r"\(?\b\d{1,2}[:.h]?\d\d\b(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5}\b)?\)?", re.IGNORECASE)
TAIL_LINES = 4  # a labelled date under the story ("Published: 19/09/2016") counts too, after those on top
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
    head = _head(lines)
    tail = [(line, True) for line in lines[max(len(head), len(lines) - TAIL_LINES):]]
    for line, below in [(line, False) for line in head] + tail:
        wire = WIRE_DATELINE.match(line)
        short = len(line) <= DATELINE_MAX_CHARS
        text = line if short else line[:wire.end()] if wire else line[:PLACE_REACH + 30]
        for expr in find_expressions(text):
            if expr.kind not in ABSOLUTE_KINDS:
                continue
            source = _source(text, expr)
            if source is None or (not short and source != "place"):
                continue
            if below and source not in LABELLED_BELOW:
                continue  # under the story only a labelled date is the page's own; others are the story's
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
            order = len(found)
            readings = [(res.date, False)]
            other = _month_first(expr, res.date)
            if other is not None:  # "09/10/2016": 9 October day-first, 10 September month-first
                readings.append((other, True))
            named = WEEKDAY_BEFORE.search(text[:expr.start])
            if named and len(readings) > 1:  # "Sunday 11/09/2016": only 11 September is a Sunday
                weekday = WEEKDAY_ABBR.index(named.group(1)[:3].title())
                readings = [r for r in readings if r[0].weekday() == weekday] or readings
            for day, month_first in readings:
                found.append(Candidate(day, basis + (" (read month first)" if month_first else ""), year_given,
                                       source, order, month_first, below))
    return found


WEEKDAY_BEFORE = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*(?:\|\s*)?$", re.IGNORECASE)


def _month_first(expr: TimeExpression, day_first: dt.date) -> dt.date | None:
    """The other reading of an all-numeric date both of whose first numbers could be the month."""
    if expr.kind != "numeric_date":
        return None
    a, b = int(expr.get("a") or 0), int(expr.get("b") or 0)
    if a == b or not (1 <= a <= 12 and 1 <= b <= 12) or (day_first.day, day_first.month) != (a, b):
        return None
    return dt.date(day_first.year, a, b)


def _source(line: str, expr: TimeExpression) -> str | None:
    before = line[:expr.start]
    place = PLACE.search(before)
    if place and expr.start <= PLACE_REACH and not NOT_PLACES.intersection(
            word.rstrip(".").lower() for word in re.split(r"[ /-]", place.group(1))):
        return "place"
    labels = [m for m in LABEL.finditer(before) if len(CLOCK.sub("", before[m.end():])) <= LABEL_REACH]
    if labels:
        return LABEL_SOURCE[labels[-1].group(1).lower()]
    return "line" if len(line) <= DATELINE_MAX_CHARS else None


def _rank(c: Candidate) -> tuple[int, int]:
    return SOURCE_RANK[c.source], c.order


# A date on the page this far from every date the text's own events carry is the site's furniture
# (a date widget, the crawl's clock, a related story), when another candidate is near them.
FURNITURE_DAYS = 183
# A candidate on which the text's clues weigh this much less than on the day they fit best is not the
# article's: its relative dates could not name the events they name, or it precedes what it reports.
REJECT_MARGIN = 2 * PINNED_WEIGHT


def choose_candidate(found: Sequence[Candidate], event_days: tuple[Sequence[dt.date], Sequence[dt.date]],
                     clues: Sequence[Clue], catalog: Catalog) -> tuple[Candidate | None, list[str]]:
    """The candidate the text bears out, with notes on those passed over: furniture dated far from
    everything the text reports, and dates its clues rule out. None when the text rules out them all.
    event_days: the text's explicit dates with a year, and the days of the milestones it names."""
    explicit, named = event_days
    # A milestone phrase may match by chance in a story of another year; with neither, the timeline's own
    # frame: of a site header's "today" (2024) and the story's date (2016), the one near the frame is the story's.
    reference = explicit or named or [catalog.window_start, catalog.window_end]
    notes: list[str] = []
    frame = [catalog.window_start, catalog.window_end]
    # Under the story a date stands only near the frame (or a milestone it names): one years away is a
    # comment's or a related story's, and the text's own dates would count it as their neighbour.
    found = [c for c in found if not c.below or _distance(c.date, named or frame) <= FURNITURE_DAYS]
    near = [c for c in found if not reference or _distance(c.date, reference) <= FURNITURE_DAYS]
    for c in found:
        if c not in near and near:
            notes.append(f"passed over {c.basis}: far from every date the text reports")
    kept = near or list(found)
    total = sum(clue.weight for clue in clues)
    best: int | None = None
    consistent = []
    for c in kept:
        score = sum(clue.weight for clue in clues if clue.holds(c.date))
        # The clues can overrule a page date only where no explicit date of the text stands near it.
        if score < total - REJECT_MARGIN + 1 and not (explicit and _distance(c.date, explicit) <= FURNITURE_DAYS):
            best = _best_score(clues, catalog) if best is None else best
            if score <= best - REJECT_MARGIN:
                notes.append(f"passed over {c.basis}: the text's clues weigh {score} on it, {best} at best")
                continue
        # The two readings of "09/10/2016" share a rank: the one nearer the text's dates wins, then the clues'.
        consistent.append(((*_rank(c), _distance(c.date, reference), -score, c.month_first), c))
    if not consistent:
        return None, notes
    return min(consistent, key=lambda item: item[0])[1], notes


def _distance(day: dt.date, days: Sequence[dt.date]) -> int:
    return min((abs((day - d).days) for d in days), default=0)


def is_furniture(day: dt.date, explicit: Sequence[dt.date], catalog: Catalog) -> bool:
    """Page metadata far from every explicit date the text gives, in a text whose dates fall in the
    timeline's own frame (so the frame's days, weighed against its clues, are the ones to look among)."""
    if not any(catalog.window_start <= d <= catalog.window_end for d in explicit):
        return False
    return _distance(day, explicit) > FURNITURE_DAYS


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


PRESENT_GAP_WEIGHT = 3  # a day of distance from a weekday told in the present counts this much
MENTIONS_SHOWN = 4  # weekdays named in the basis, at most
LIKELY_DAYS = 2  # the range shown: the days that fit, within this many of the likeliest


@dataclass(frozen=True)
class Mention:
    """A weekday the text names without it bounding the date: told as past ("on Tuesday, rebels
    shelled") it is most likely a day or two before publication; told in the present ("is holding
    talks on Wednesday", "takes effect on Monday") it is most likely the day itself or soon after."""

    expr: TimeExpression
    present: bool

    def gap(self, day: dt.date) -> int:
        """Days between publication on day and the weekday the words name from it."""
        target = WEEKDAYS.index(self.expr.get("weekday") or "Monday")
        if self.present:  # "are holding talks on Thursday": most likely said that very day
            return PRESENT_GAP_WEIGHT * ((target - day.weekday()) % 7)
        return (day.weekday() - target) % 7


def infer_published(clues: Sequence[Clue], catalog: Catalog, mentions: Sequence[Mention] = ()) -> Published:
    """The most probable day in the timeline's frame: among the days that satisfy the most (weighted)
    clues, the one nearest both the first of them (the day of the latest event the text reports as past:
    news appears soon after what it tells) and the weekdays the text names, the earliest on a tie."""
    if not clues:
        return Published(None, "no dateline, and nothing in the text pins the date")
    days = _window(catalog)
    holds = [_days_held(clue, days) for clue in clues]  # evaluated once, reused to explain
    weights = [clue.weight for clue in clues]
    scores = [sum(compress(weights, held)) for held in zip(*holds, strict=True)]  # per day: what holds weighs
    top = max(scores)
    fitting = [i for i, score in enumerate(scores) if score == top]
    # Each day past the first that fits counts as a day of distance too: news follows what it tells.
    best = min(fitting, key=lambda i: (i - fitting[0] + sum(m.gap(days[i]) for m in mentions), i))
    first, last = best, best
    while first - 1 in fitting:
        first -= 1
    while last + 1 in fitting:
        last += 1
    likely = (max(first, best - LIKELY_DAYS), min(last, best + LIKELY_DAYS))
    text = _explain(days, best, likely, clues, holds, mentions)
    if likely != (first, last):
        text += f"; the clues alone allow {span(days[first], days[last])}"
    return Published(days[best], text)


def _days_held(clue: Clue, days: list[dt.date]) -> list[bool]:
    """Whether the clue holds on each of the days (in order)."""
    if clue.holds_from is None:
        return [clue.holds(day) for day in days]
    before = bisect_left(days, clue.holds_from)
    return [False] * before + [True] * (len(days) - before)


def _explain(days: list[dt.date], index: int, fit: tuple[int, int], clues: Sequence[Clue],
             holds: list[list[bool]], mentions: Sequence[Mention]) -> str:
    binding = [c.description for c, row in zip(clues, holds, strict=True)
               if row[index] and (index == 0 or not row[index - 1])]
    failing = [c.description for c, row in zip(clues, holds, strict=True) if not row[index]]
    held = len(clues) - len(failing)
    text = f"inferred: {fmt(days[index])}; published {span(days[fit[0]], days[fit[1]])} " \
           f"(inferred from {held} of {len(clues)} clues)"
    if fit[0] != fit[1] and mentions:
        named = list(dict.fromkeys(f"'{m.expr.text}'" for m in mentions))
        more = f" and {len(named) - MENTIONS_SHOWN} more" if len(named) > MENTIONS_SHOWN else ""
        text += ("; likeliest: nearest both the first day that fits and the weekdays it names ("
                 + ", ".join(named[:MENTIONS_SHOWN]) + more + ")")
    elif fit[0] != fit[1]:
        text += "; likeliest: the first day that fits, as news follows the latest event it reports"
    if binding:
        text += "; it is pinned by " + "; ".join(dict.fromkeys(binding))
    if failing:
        text += "; not consistent: " + "; ".join(dict.fromkeys(failing))
    return text


def span(first: dt.date, last: dt.date) -> str:
    """ "Mon 19 – Wed 21 Sep", "Fri 30 Sep – Sun 2 Oct", or one day: "Mon 19 Sep"."""
    def wd(d: dt.date) -> str:
        return f"{WEEKDAY_ABBR[d.weekday()]} {d.day}"
    if first == last:
        return f"{wd(first)} {MONTH_ABBR[first.month - 1]}"
    if first.month == last.month:
        return f"{wd(first)} – {wd(last)} {MONTH_ABBR[last.month - 1]}"
    return f"{wd(first)} {MONTH_ABBR[first.month - 1]} – {wd(last)} {MONTH_ABBR[last.month - 1]}"


INFERRED_RANGE = re.compile(r"^inferred: .*?; published (?P<span>[^(;]+?) \(inferred from")


def inferred_range(basis: str | None, day: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The range of days an inferred publication date's basis states, as dates around day (for export)."""
    match = INFERRED_RANGE.match(basis or "")
    if not match or day is None:
        return None
    try:
        found = []
        for part in (p.split() for p in match["span"].split(" – ")):
            found.append((int(part[1]), MONTH_ABBR.index(part[2]) + 1 if len(part) > 2 else None))
        last_month = found[-1][1] or day.month
        ends = []
        for number, month in found:
            month = month or last_month
            year = day.year + (1 if month < day.month - 6 else -1 if month > day.month + 6 else 0)
            ends.append(dt.date(year, month, number))
    except (IndexError, ValueError):  # a basis written some other way
        return None
    return ends[0], ends[-1]


def pinned_clue(expr: TimeExpression, milestone_day: dt.date, title: str, catalog: Catalog,
                future: bool, present: bool = False, scheduled: bool = False) -> Clue:
    """A relative date that names a milestone: 'came into effect on Monday' is 12 Sept. Told in the
    present ('takes effect on Monday'), the milestone is the day of publication or in the week after; set
    ahead ('a truce starting on Monday'), it is the nearest such day on either side of publication."""

    def holds(day: dt.date) -> bool:
        if present and expr.kind == "weekday":  # the next such weekday counted from the day before
            return resolve(expr, day - dt.timedelta(days=1), truce_start=catalog.truce_start,
                           future=True).contains(milestone_day)
        return resolve(expr, day, truce_start=catalog.truce_start, future=future,
                       scheduled=scheduled).contains(milestone_day)

    return Clue(PINNED_WEIGHT, holds, f"'{expr.text}' is the day of {title} ({fmt(milestone_day)})")


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
