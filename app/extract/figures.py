"""Figures a sentence gives (killed, wounded, violations, trucks, hours and days of truce) and
claims of blame (who blamed whom). Pure functions over one sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.caseless import Caseless, fast_variant
from app.extract.catalog import Party
from app.extract.spans import TakenSpans

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50, "a hundred": 100}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
_QUALIFIER = r"\b(?:(?P<qualifier>about|around|almost|nearly|some|more than|over|at least|up to|roughly)\s+)?"
_SUBJECT = r"(?:(?P<subject>[a-z]+(?:\s+[a-z]+)?)\s+)?"
_PEOPLE = r"(?P<subject>[a-z]+(?:\s+(?:workers|soldiers|civilians|people|troops|fighters|members))?)"

# (unit, pattern): a number with its unit, in the forms news uses.
FIGURE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("violations", re.compile(_QUALIFIER + _NUMBER + r"\s+(?:(?:ceasefire|truce)\s+)?violations\b", re.I)),
    ("killed", re.compile(_QUALIFIER + _NUMBER + r"\s+(?:more\s+)?" + _SUBJECT
                          + r"(?:were\s+|have\s+been\s+|had\s+been\s+|being\s+)?(?:killed|dead)\b", re.I)),
    ("killed", re.compile(r"\b(?:killed|killing)\s+" + _QUALIFIER + _NUMBER + r"\s+" + _PEOPLE, re.I)),
    ("wounded", re.compile(_QUALIFIER + _NUMBER + r"\s+(?:more\s+)?" + _SUBJECT
                           + r"(?:were\s+|have\s+been\s+)?(?:wounded|injured)\b", re.I)),
    ("wounded", re.compile(r"\b(?:wounded|wounding|injured|injuring)\s+" + _QUALIFIER + _NUMBER
                           + r"\s+" + _PEOPLE, re.I)),
    ("trucks", re.compile(_QUALIFIER + _NUMBER + r"\s+(?:aid\s+|relief\s+)?(?:trucks|lorries)\b", re.I)),
    ("hours", re.compile(_QUALIFIER + _NUMBER + r"(?:\s+|-)hours?\b", re.I)),
    ("days", re.compile(_QUALIFIER + _NUMBER + r"(?:\s+|-)days?\b(?!\s+ago)", re.I)),
)
# Each with its case-sensitive twin for the lower-cased sentence (caseless.py): its groups are read lower-cased
# (numbers, qualifiers and subjects are compared so anyway), its words as written from the sentence.
_RUNNABLE = tuple((unit, pattern, fast_variant(pattern)) for unit, pattern in FIGURE_PATTERNS)
PERIOD = re.compile(r"\b(?:in|over|during|for)?\s*the\s+(?:last|past|previous)\s+(24|48|72)\s+hours\b", re.I)
NOT_A_SUBJECT = frozenset({"were", "have", "had", "been", "being", "and", "more", "of", "the", "who"})


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str  # killed / wounded / violations / trucks / hours / days
    subject: str | None  # "soldiers", "people"
    qualifier: str | None  # "almost", "more than"
    period: str | None  # "the last 24 hours" when the figure is counted over one
    text: str


NUMBER_HINT = Caseless(r"\d|\b(?:" + "|".join(NUMBER_WORDS) + r")\b")


# Words of the lower-cased sentence one of which each unit's patterns cannot match without.
UNIT_GATES = {
    "violations": ("violations",), "killed": ("kill", "dead"), "wounded": ("wound", "injur"),
    "trucks": ("trucks", "lorries"), "hours": ("hour",), "days": ("day",),
}
_UNIT_BY_WORD = tuple((word, unit) for unit, words in UNIT_GATES.items() for word in words)


def find_figures(sentence: str) -> list[Figure]:
    lowered = sentence.lower()
    units = {unit for word, unit in _UNIT_BY_WORD if word in lowered}
    if not units or not NUMBER_HINT.search(sentence, lowered):
        return []  # most sentences give no number, or no unit
    taken = TakenSpans()
    figures: list[Figure] = []
    period = PERIOD.search(sentence) if "hours" in lowered else None
    same_length = len(lowered) == len(sentence)  # spans in the lower-cased text are spans in the sentence
    for unit, pattern, fast in _RUNNABLE:
        if unit not in units:
            continue
        for match in (fast.finditer(lowered) if fast and same_length else pattern.finditer(sentence)):
            if taken.overlaps(match.start(), match.end()):
                continue
            value = _value(match["number"])
            if value is None or (unit in ("hours", "days") and value > 1000):
                continue
            if unit == "hours" and period and match.start() >= period.start() and match.end() <= period.end():
                continue  # "the last 24 hours" is the period a figure covers, not a figure
            taken.add(*match.span())
            qualifier = (match.groupdict().get("qualifier") or "").lower() or None
            figures.append(Figure(value, unit, _subject(match), qualifier,
                                  period.group(0).strip() if period and unit == "violations" else None,
                                  sentence[match.start():match.end()].strip()))
    return _share_subjects(figures)


def _share_subjects(figures: list[Figure]) -> list[Figure]:
    """ "62 soldiers were killed and 100 more wounded": the wounded are soldiers too."""
    casualties = [f for f in figures if f.unit in ("killed", "wounded")]
    known = next((f.subject for f in casualties if f.subject), None)
    return [Figure(f.value, f.unit, known, f.qualifier, f.period, f.text)
            if f.unit in ("killed", "wounded") and f.subject is None and known else f for f in figures]


def _value(number: str | None) -> float | None:
    if not number:
        return None
    number = number.lower()
    if number in NUMBER_WORDS:
        return float(NUMBER_WORDS[number])
    try:
        return float(number.replace(",", ""))
    except ValueError:
        return None


def _subject(match: re.Match[str]) -> str | None:
    subject = (match.groupdict().get("subject") or "").lower().strip()
    words = [w for w in subject.split() if w not in NOT_A_SUBJECT]
    return " ".join(words) or None


# --- claims of blame ------------------------------------------------------------------------------

# What follows a verb of blame, up to the end of its clause ("U.N. convoy" does not end it).
CLAUSE_END = re.compile(r"[,;]|\.\s+[A-Z“\"]|\.?$")
CLAIM_MAX_CHARS = 120  # a clause longer than this is cut at a word
BLAME_HINTS = ("blam", "accus", "responsib", "fault")  # no claim without one of these (lower-cased)
BLAME_VERBS = r"(?:blamed|blames|blaming|accused|accuses|accusing|held\s+\w+\s+responsible)"
BLAME_VERB = re.compile(BLAME_VERBS + r"\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    accuser: str  # party slug
    accused: str
    text: str


BLAMED_ON = re.compile(r"\bblamed\b[^,.;]{0,60}?\bon\s+(?P<object>[^,.;]{2,60})", re.IGNORECASE)
FAULT_OF = re.compile(r"\b(?:the\s+fault\s+of|(?:solely|entirely)?\s*responsible\s+for.{0,40}?\bis)\s+"
                      r"(?P<object>[^,.;]{2,40})", re.IGNORECASE)


def find_claims(sentence: str, speaker: str | None, parties: tuple[Party, ...]) -> list[Claim]:
    """Who blames whom: "X accused Y of ...", "X blamed Y for ...", "it would be the fault of Y"."""
    claims: list[Claim] = []
    lowered = sentence.lower()
    if not any(word in lowered for word in BLAME_HINTS):
        return claims
    for verb in BLAME_VERB.finditer(sentence):
        blamed = _to_clause_end(sentence, verb.end())
        accused = _party_at_start(blamed, parties)
        accuser = _party_near_end(sentence[:verb.start()], parties) or _party_of(speaker, parties)
        if accuser and accused and accuser != accused:
            claims.append(Claim(accuser, accused, verb.group(0) + blamed))
    for blamed in BLAMED_ON.finditer(sentence):
        accused = _party_at_start(blamed["object"], parties)
        accuser = _party_near_end(sentence[:blamed.start()], parties) or _party_of(speaker, parties)
        if accuser and accused and accuser != accused:
            claims.append(Claim(accuser, accused, blamed.group(0)))
    for fault in FAULT_OF.finditer(sentence):
        accused = _party_at_start(fault["object"], parties)
        accuser = _party_of(speaker, parties) or _party_near_end(sentence[:fault.start()], parties)
        if accuser and accused and accuser != accused:
            claims.append(Claim(accuser, accused, fault.group(0).strip()))
    unique = {(c.accuser, c.accused): c for c in reversed(claims)}  # one per pair, the first wording
    return [c for c in claims if unique[(c.accuser, c.accused)] is c]


def _to_clause_end(sentence: str, start: int) -> str:
    """From start to the end of its clause ("a U.N. convoy" does not end it), at most CLAIM_MAX_CHARS."""
    end = CLAUSE_END.search(sentence, start)
    text = sentence[start:end.start() if end else len(sentence)]
    if len(text) > CLAIM_MAX_CHARS:
        text = text[:CLAIM_MAX_CHARS].rsplit(" ", 1)[0]
    return text


def _party_at_start(text: str, parties: tuple[Party, ...]) -> str | None:
    hits = [(m.start(), p.slug) for p in parties for m in [p.pattern.search(text)] if m and m.start() < 25]
    return min(hits)[1] if hits else None


ACCUSER_REACH = 200  # characters before the verb of blame in which the accuser is named
OBJECT_OF = re.compile(r"\b(?:on|against|at|of|from|with|by|to|for)\s+(?:the\s+|their\s+|its\s+)?$", re.I)


def _party_near_end(text: str, parties: tuple[Party, ...]) -> str | None:
    """The last party named before the verb that is not itself an object ("strikes on the Syrian Army")."""
    hits = [(m.end(), p.slug) for p in parties for m in p.pattern.finditer(text)
            if m.end() > len(text) - ACCUSER_REACH and not OBJECT_OF.search(text[:m.start()])]
    return max(hits)[1] if hits else None


def _party_of(name: str | None, parties: tuple[Party, ...]) -> str | None:
    if not name:
        return None
    return next((p.slug for p in parties if p.pattern.search(name)), None)
