"""Finding time expressions in a sentence: "on Saturday", "last week", "September 9",
"the sixth day of the ceasefire", "the last 24 hours". Finding only; resolve.py gives them dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.caseless import fast_variant
from app.extract.spans import TakenSpans

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                       "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH = r"(?P<month>" + "|".join(MONTHS) + r"|(?:" + "|".join(MONTH_ABBREVIATIONS) + r")\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d\d(?:\s*(?:GMT|UTC|[AP]M))?)?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_TRUCE = r"(?:ceasefire|cease-fire|truce|cessation of hostilities|regime of (?:calm|silence))"
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(NUMBERS) + r")"

# Order matters: earlier patterns claim their characters first.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("background", re.compile(
        r"\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:" + "|".join(MONTHS) + r")?\s*(?:19|20)\d\d\b")),
    # "2016-09-19", "2016/09/19", and the date of a timestamp ("2016-09-19T14:05:00Z"), one separator throughout.
    ("iso_date", re.compile(r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[-/])(?P<mm>[01]\d)(?P=sep)(?P<dd>[0-3]\d)"
                            r"(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?\b|\b" + _TIME + ")")),
    ("numeric_date", re.compile(
        r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)?\d\d)\b" + _TIME)),
    ("month_day", re.compile(
        r"\b(?:" + _WEEKDAY.replace("?P<weekday>", "?:") + r",?\s+)?" + _MONTH + r"\s+" + _DAY
        + r"(?:,?\s+" + _YEAR + r")?\b" + _TIME)),
    ("day_month", re.compile(
        r"\b(?:" + _WEEKDAY.replace("?P<weekday>", "?:") + r",?\s+)?(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?"
        + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b" + _TIME)),
    ("truce_day", re.compile(
        r"\b(?:the\s+)?(?P<ordinal>" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+day\s*\(?\s*(?:of|into)\s+"
        r"(?:the\s+)?" + _TRUCE + r"\s*\)?", re.IGNORECASE)),
    ("truce_day", re.compile(r"\bday\s+(?P<ordinal>\d{1,2}|" + "|".join(NUMBERS) + r")\s+of\s+(?:the\s+)?"
                             + _TRUCE, re.IGNORECASE)),
    ("truce_after", re.compile(
        r"\bafter\s+" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+(?:of|into)\s+(?:the\s+)?" + _TRUCE,
        re.IGNORECASE)),
    ("truce_after", re.compile(
        r"\b" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+into\s+(?:the\s+)?" + _TRUCE, re.IGNORECASE)),
    ("last_hours", re.compile(r"\b(?:the\s+)?(?:last|past|previous)\s+(?P<hours>24|48|72)\s+hours\b",
                              re.IGNORECASE)),
    ("days_ago", re.compile(r"\b" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+ago\b", re.IGNORECASE)),
    ("relative_week", re.compile(
        r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this|the\s+previous|the\s+following)\s+week(?:end)?\b",
        re.IGNORECASE)),
    ("relative_week", re.compile(r"\b(?P<rel>the)\s+weekend\b", re.IGNORECASE)),
    ("relative_month", re.compile(
        r"\b(?P<rel>last|this|next|earlier\s+this|the\s+previous|the\s+following)\s+month\b", re.IGNORECASE)),
    # "The same day Moscow announced ...": the day the text has just told of.
    ("same_day", re.compile(r"\b(?:the|that)\s+(?:very\s+)?same\s+(?:day|evening|night)\b|\bthat\s+same\s+day\b",
                            re.IGNORECASE)),
    ("relative_day", re.compile(
        r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night"
        r"|this\s+(?:morning|afternoon|evening)|earlier\s+today|later\s+today)\b", re.IGNORECASE)),
    ("weekday", re.compile(
        r"\b(?:(?P<rel>(?i:last|this|next|on|late|early|since|by|until|from))\s+)?" + _WEEKDAY
        + r"(?:['’]s)?(?:\s+(?:morning|afternoon|evening|night))?\b")),
    ("month", re.compile(
        r"\b(?P<rel>in|during|since|of|early|late|mid-?|last|next|this|until|by|from)\s+(?:early\s+|late\s+)?"
        r"(?P<month>" + "|".join(MONTHS) + r")(?:\s+" + _YEAR + r")?\b")),
    ("month", re.compile(r"\b(?P<month>" + "|".join(MONTHS) + r")\s+" + _YEAR + r"\b")),
    # "the February truce": a month naming which of several like events is meant.
    ("month", re.compile(r"\b(?P<rel>[Tt]he|[Aa])\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?=[a-z])")),
    # A bare year dates nothing on the timeline, but it tells which event a phrase is about
    # ("the support group, formed in 2015"), so it is found and kept apart.
    ("year", re.compile(r"\b(?:in|during|by|until|of|from|early|late)\s+" + _YEAR + r"\b")),
)
UNDATED_KINDS = frozenset({"year"})  # found, but never a report
# Each pattern with, when it is case-insensitive and written in lower case, the same pattern without the flag,
# to run over the lower-cased sentence: several times faster in Python's re (see caseless.py).
_RUNNABLE = tuple((kind, pattern, fast_variant(pattern)) for kind, pattern in PATTERNS)
# What each kind of pattern cannot match without: a digit, and one of some words (as written when the word
# has a capital, as the month patterns do; else in the lower-cased sentence). Plain substring tests cost a
# fraction of running a pattern, and most sentences open few gates.
_MONTH_STEMS = tuple(name[:3] for name in MONTHS)  # every month name and abbreviation starts so
NEEDS_DIGIT = frozenset({"iso_date", "numeric_date", "last_hours", "year"})
GATES: dict[str, tuple[str, ...]] = {
    "background": ("since",),
    "iso_date": ("-", "/"),
    "numeric_date": ("/", "."),
    "month_day": _MONTH_STEMS,
    "day_month": _MONTH_STEMS,
    "truce_day": ("day",),
    "truce_after": ("day", "week"),
    "last_hours": ("hours",),
    "days_ago": ("ago",),
    "relative_week": ("week",),
    "relative_month": ("month",),
    "same_day": ("same",),
    "relative_day": ("day", "night", "tomorrow", "morning", "afternoon", "evening"),  # yesterday, today: "day"
    "weekday": ("day",),  # every weekday's name ends so
    "month": _MONTH_STEMS,
    "year": ("19", "20"),
}
_DIGIT = re.compile(r"\d")
# A numeric date's first separator stands between digits ("17/09/2016"); its gate, "." alone, is in every
# sentence, and a sentence with a digit and no such pair (most) cannot hold one.
_DIGIT_SEPARATOR_DIGIT = re.compile(r"\d[/.]\d")
_KINDS_BY_WORD = tuple((word, frozenset(k for k, words in GATES.items() if word in words), word.islower())
                       for word in dict.fromkeys(w for words in GATES.values() for w in words))
# The same words by kind, with whether each is looked for in the lower-cased sentence.
_GATE_WORDS = {kind: tuple((word, word.islower()) for word in words) for kind, words in GATES.items()}
# Kinds that also need a word for the truce: "the sixth day of the ceasefire", "day five of the truce".
TRUCE_KINDS = frozenset({"truce_day", "truce_after"})
TRUCE_WORDS = ("ceasefire", "cease-fire", "truce", "cessation", "regime")
FUTURE_WORDS = re.compile(r"^(tomorrow|next|later|the following)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimeExpression:
    kind: str  # one of the PATTERNS names
    text: str
    start: int  # offsets within the sentence
    end: int
    fields: tuple[tuple[str, str], ...]  # the named groups that matched

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)

    @property
    def points_forward(self) -> bool:
        """ "tomorrow", "next week", "later this week": future whatever the verb's tense."""
        return bool(FUTURE_WORDS.match(self.get("rel") or ""))


def find_expressions(sentence: str) -> list[TimeExpression]:
    """Every time expression in the sentence, in order, none overlapping."""
    lowered = sentence.lower()
    open_gates = _open_gates(sentence, lowered)
    if not open_gates:
        return []
    same_length = len(lowered) == len(sentence)  # spans in the lower-cased text are spans in the sentence
    taken = TakenSpans()
    found: list[TimeExpression] = []
    for kind, pattern, fast in _RUNNABLE:
        if kind not in open_gates:
            continue
        if taken and same_length and _gate_words_taken(kind, sentence, lowered, taken):
            continue  # "September 17" was taken whole by month_day: no "month" match could be kept
        for match in (fast.finditer(lowered) if fast and same_length else pattern.finditer(sentence)):
            start, end = match.span()
            if taken.overlaps(start, end):
                continue
            if kind == "numeric_date" and not _plausible_numeric(match):
                continue
            taken.add(start, end)
            # The words as written, from the spans: the match may be over the lower-cased text.
            fields = tuple((name, sentence[match.start(name):match.end(name)])
                           for name, value in match.groupdict().items() if value is not None)
            found.append(TimeExpression(kind, sentence[start:end].strip(), start, end, fields))
    return sorted((e for e in found if e.kind != "background"), key=lambda e: e.start)


def _open_gates(sentence: str, lowered: str) -> set[str]:
    kinds: set[str] = set()
    for word, gated, lower_case in _KINDS_BY_WORD:
        if word in (lowered if lower_case else sentence):
            kinds |= gated
    if not kinds.isdisjoint(TRUCE_KINDS) and not any(word in lowered for word in TRUCE_WORDS):
        kinds -= TRUCE_KINDS
    if not _DIGIT.search(sentence):
        return kinds - NEEDS_DIGIT
    if "numeric_date" in kinds and not _DIGIT_SEPARATOR_DIGIT.search(sentence):
        kinds.discard("numeric_date")
    return kinds


def _gate_words_taken(kind: str, sentence: str, lowered: str, taken: TakenSpans) -> bool:
    """Whether every place the sentence has one of the kind's gate words is inside a span earlier patterns
    took. A match of the kind holds such a word, so it would overlap that span and be dropped: running the
    pattern could find nothing. (Spans in the lower-cased sentence are the sentence's: same length.)"""
    for word, lower_case in _GATE_WORDS[kind]:
        text = lowered if lower_case else sentence
        at = text.find(word)
        while at != -1:
            if not taken.covers(at):
                return False
            at = text.find(word, at + 1)
    return True


def _plausible_numeric(match: re.Match[str]) -> bool:
    a, b = int(match["a"]), int(match["b"])
    return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)


def month_number(name: str) -> int:
    name = name.rstrip(".")
    if name in MONTHS:
        return MONTHS.index(name) + 1
    return MONTH_ABBREVIATIONS[name]


def count_value(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS[word]


def ordinal_value(word: str) -> int:
    word = word.lower()
    if word in ORDINALS:
        return ORDINALS[word]
    if word in NUMBERS:
        return NUMBERS[word]
    return int(re.match(r"\d+", word).group(0))  # type: ignore[union-attr]
