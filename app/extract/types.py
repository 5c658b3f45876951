"""The values extraction hands to the loader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = (
    "agreement", "truce_start", "extension", "violation_claim", "airstrike_deir_ezzor",
    "convoy_attack", "truce_end", "collapse", "un_security_council", "talks", "aid_access",
    "statement", "other",
)
PRECISIONS = ("day", "week", "month", "unknown")
# The dashboard's filter value for reports whose article names no outlet (?outlet=unknown): no outlet's slug.
UNKNOWN_OUTLET_SLUG = "unknown"


class RejectedFile(ValueError):
    """A file that is not an article; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class KnownMeta:
    """What a user's manifest says about a file; any field may be missing."""

    outlet: str | None = None  # outlet slug
    url: str | None = None
    published: dt.date | None = None
    title: str | None = None


@dataclass(frozen=True)
class ExtractedReport:
    quote: str
    start: int  # character span of the quote in ExtractedArticle.text
    end: int
    date: dt.date | None
    precision: str  # one of PRECISIONS
    basis: str | None  # the words the date came from, e.g. "on Saturday"
    reasoning: str | None  # e.g. "Saturday on or before publication (Sun 18 Sep 2016)"
    kind: str  # one of KINDS
    milestone: str | None = None  # milestone slug
    speaker: str | None = None


@dataclass(frozen=True)
class ExtractedFigure:
    """A number a sentence gives: "62 soldiers were killed", "almost 200 ceasefire violations"."""

    start: int  # the sentence's span, the same as its reports'
    end: int
    value: float
    unit: str  # killed / wounded / violations / trucks / hours / days
    subject: str | None
    qualifier: str | None  # "almost", "more than"
    period: str | None  # "the last 24 hours" when counted over one
    text: str


@dataclass(frozen=True)
class ExtractedClaim:
    """Who blamed whom, by party slug: Russia's Defence Ministry blaming the United States."""

    start: int
    end: int
    accuser: str
    accused: str
    text: str
    speaker: str | None


@dataclass(frozen=True)
class ExtractedArticle:
    text: str  # cleaned text; report spans index into it
    title: str | None
    url: str | None
    outlet: str | None  # outlet slug, None when unknown
    outlet_basis: str | None
    published: dt.date | None
    published_basis: str | None
    reports: tuple[ExtractedReport, ...] = field(default_factory=tuple)
    figures: tuple[ExtractedFigure, ...] = field(default_factory=tuple)
    claims: tuple[ExtractedClaim, ...] = field(default_factory=tuple)
    # A publisher outside the catalogue: its display name (the slug above is made from it); None when the
    # outlet is catalogued or unknown.
    outlet_name: str | None = None
    agency: str | None = None  # slug of the wire agency whose copy the article runs
    agency_basis: str | None = None
