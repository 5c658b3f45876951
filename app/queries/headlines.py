"""Each timeline row's headline: what happened that day, in one line, taken from the catalogue or the reports.

A day with a milestone is headed by the milestone as the catalogue names it (the one most outlets told, when
there are several). Any other day is headed by its most-told event: its reports grouped by milestone, else by
kind and speaker, the group told by the most outlets (then the most reports) winning; its words are a clause of
that group's most-repeated quote, never text of our own. Two queries for the whole timeline, whatever its length:
one grouped count of every day's events, then the quotes of the winning groups alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Date, Row, Select, and_, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import Session

from app.queries.common import Chosen, Shape, run, shape_conditions
from app.queries.pagedata import Headline, MilestoneRef, WireStory
from app.queries.wirestories import Telling, carried_stories, outlets_told, tellings_of
from app.store.models import Article, Milestone, Report

MIN_CLAUSE_WORDS = 4  # a shorter clause ('he added', 'Meanwhile') says too little to stand for an event
MAX_HEADLINE_WORDS = 14  # a longer clause is cut after this many words, so the headline stays one line
ATTRIBUTION_MAX_WORDS = 8  # '..., French Foreign Minister Jean Dupont said on Friday' is who spoke, not what
LEAST_TOLD_KIND = "other"  # among equally told events, a named kind says more than "other"

# Where a quote's clauses meet: semicolons, colons, dashes between words, brackets, commas, and a sentence's end
# (a full stop after a lower-case word, so 'U.N.' and 'Mr.' stay whole).
CLAUSE_BREAK = re.compile(r"\s*(?:[;:!?()\[\]]|,\s|\s[-–—]\s|—|…|(?<=[a-z]{2})\.(?=[\s\"”’']|$))\s*")
QUOTE_MARKS = re.compile(r"[\"“”«»„]|(?<!\w)['‘’]|['‘’](?!\w)")  # double marks, and single ones off a word
SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|tells|added|adds|noted|stressed|insisted|stated|according to)\b",
                         re.IGNORECASE)
LEADING_LINK = re.compile(r"^(?:and|but|so|also|meanwhile|however|earlier|later|still|yet)\b,?\s*", re.IGNORECASE)
TRAILING_LINK = re.compile(r"\s+(?:and|but|or|of|to|the|a|an|in|on|at|by|for|with|that|which|who|where|while)$",
                           re.IGNORECASE)


# -- words from a quote (pure) -------------------------------------------------------------------


def event_words(quote: str) -> str:
    """A few of the quote's own words that tell its event: its first clause that says more than who spoke, cut
    to MAX_HEADLINE_WORDS, with '…' where words of the quote are left out before or after."""
    text = " ".join(QUOTE_MARKS.sub(" ", quote).split())
    clauses = [c for c in CLAUSE_BREAK.split(text) if c.strip()]
    if not clauses:
        return ""
    chosen = next((i for i, c in enumerate(clauses) if _tells_event(c)), None)
    if chosen is None:  # every clause is short or an attribution: the longest says the most
        chosen = max(range(len(clauses)), key=lambda i: len(clauses[i].split()))
    clause = clauses[chosen].strip()
    unlinked = LEADING_LINK.sub("", clause)
    words = unlinked.split()
    before = chosen > 0 or unlinked != clause
    after = chosen < len(clauses) - 1 or len(words) > MAX_HEADLINE_WORDS
    kept = " ".join(words[:MAX_HEADLINE_WORDS])
    if after:
        kept = TRAILING_LINK.sub("", kept)
    kept = kept[:1].upper() + kept[1:] if not before else kept
    return f"{'…' if before else ''}{kept}{'…' if after else ''}"


def _tells_event(clause: str) -> bool:
    words = clause.split()
    if len(words) < MIN_CLAUSE_WORDS:
        return False
    return not (len(words) <= ATTRIBUTION_MAX_WORDS and SPEECH_VERB.search(clause))


def quoted_line(speaker: str | None, words: str) -> str:
    """'Speaker: “their words”', or the words alone when they name no speaker or name the speaker themselves."""
    named = speaker and speaker.casefold() not in words.casefold()
    return f"{speaker}: “{words}”" if named else f"“{words}”"


# -- a day's events (the grouped query) ---------------------------------------------------------


@dataclass
class _Event:
    """Reports of one day telling one event: one milestone, or one kind from one speaker."""

    milestone: str | None
    kind: str
    speaker: str | None
    tellings: set[Telling] = field(default_factory=set)  # the hosts and wire stories that told it
    reports: int = 0

    @property
    def outlets(self) -> int:
        """How many outlets told it, a wire story several hosts carried counted once."""
        return outlets_told(self.tellings)

    def stories(self) -> list[WireStory]:
        """The wire stories several hosts carried among its tellings, in a fixed order."""
        return sorted(carried_stories(self.tellings), key=lambda s: s.story or 0)

    def rank(self) -> tuple:
        """Most outlets first, then most reports, a named kind before 'other', then a fixed order."""
        return (-self.outlets, -self.reports, self.kind == LEAST_TOLD_KIND, self.speaker is None,
                self.milestone or "", self.kind, self.speaker or "")


_MILESTONES_NAMED = (select(Milestone.slug, Milestone.date, Milestone.kind, Milestone.title)
                     .where(Milestone.slug.in_(bindparam("slugs", expanding=True)))
                     .order_by(Milestone.date, Milestone.id))


@functools.cache
def _statements(shape: Shape) -> tuple[Select, Select]:
    """The two queries for one filter shape (outlets, agencies): every day's events, then the winners' quotes."""
    conditions = shape_conditions(shape)
    told_by = (Article.outlet_id, Article.story_id, Article.agency_id)  # ids: named once, at the end
    events = (
        select(Report.date, Milestone.slug, Report.kind, Report.speaker, *told_by, func.count(Report.id))
        .join(Article, Report.article_id == Article.id)
        .outerjoin(Milestone, Report.milestone_id == Milestone.id)
        .where(Report.date.between(bindparam("first", type_=Date), bindparam("last", type_=Date)), *conditions)
        .group_by(Report.date, Milestone.slug, Report.kind, Report.speaker, *told_by)
    )
    # The winning (day, kind, speaker) groups as bound lists, those without a speaker apart (NULL matches no IN);
    # the days alone first, so each day's reports come by the date index.
    in_groups = or_(tuple_(Report.date, Report.kind, Report.speaker).in_(bindparam("spoken", expanding=True)),
                    and_(Report.speaker.is_(None),
                         tuple_(Report.date, Report.kind).in_(bindparam("unspoken", expanding=True))))
    quotes = (
        select(Report.date, Report.kind, Report.speaker, Report.quote, func.count(Report.id))
        .join(Article, Report.article_id == Article.id)
        .where(Report.milestone_id.is_(None), Report.date.in_(bindparam("days", expanding=True)), in_groups,
               *conditions)
        .group_by(Report.date, Report.kind, Report.speaker, Report.quote)
    )
    return events, quotes


def day_headlines(session: Session, frame: tuple[dt.date, dt.date], chosen: Chosen,
                  milestones: list[MilestoneRef]) -> dict[dt.date, Headline]:
    """The headline of every day of the frame that has a milestone or a report under the chosen outlets and
    agencies."""
    events_statement, quotes_statement = _statements(Chosen(chosen.outlets, chosen.agencies).shape)
    params = {**chosen.params(), "first": frame[0], "last": frame[1]}
    events = _day_events(session, run(session, events_statement, params))
    marks: dict[dt.date, list[MilestoneRef]] = defaultdict(list)
    for m in milestones:
        marks[m.date].append(m)
    headlines: dict[dt.date, Headline] = {}
    told: dict[dt.date, _Event] = {}
    for day in sorted(set(events) | set(marks)):
        if marks.get(day):
            headlines[day] = _milestone_headline(marks[day], events.get(day, {}))
        elif events.get(day):
            told[day] = min(events[day].values(), key=_Event.rank)
    others = sorted({e.milestone for e in told.values() if e.milestone})
    refs = {m.slug: m for m in (MilestoneRef(*row) for row in run(session, _MILESTONES_NAMED, {"slugs": others}))
            } if others else {}
    said = {day: e for day, e in told.items() if e.milestone is None}
    quotes = _top_quotes(run(session, quotes_statement, {**params, **_groups(said)})) if said else {}
    for day, event in told.items():
        if event.milestone in refs:
            headlines[day] = _headline_of(refs[event.milestone], event)
        else:
            words = event_words(quotes.get(day, ""))
            text = quoted_line(event.speaker, words) if words else (event.speaker or event.kind.replace("_", " "))
            headlines[day] = Headline(text, event.outlets, event.reports, kind=event.kind,
                                      speaker=event.speaker, words=words or None, stories=event.stories())
    return headlines


def _day_events(session: Session, rows: Sequence[Row]) -> dict[dt.date, dict[tuple, _Event]]:
    """Every day's events with the outlets and wire stories that told each, from the grouped query over the
    frame."""
    told = list({(host, story, agency) for *_, host, story, agency, _ in rows})
    tellings = dict(zip(told, tellings_of(session, told), strict=True))
    days: dict[dt.date, dict[tuple, _Event]] = defaultdict(dict)
    for day, milestone, kind, speaker, host, story, agency, n in rows:
        # A milestone is one event whoever tells it; anything else is one kind from one speaker.
        key = (milestone,) if milestone else (None, kind, speaker)
        event = days[day].setdefault(key, _Event(milestone, kind, None if milestone else speaker))
        event.tellings.add(tellings[host, story, agency])
        event.reports += n
    return days


def _milestone_headline(marks: list[MilestoneRef], events: dict[tuple, _Event]) -> Headline:
    """The day's milestone most outlets told (the catalogue's first among equals)."""
    def told(m: MilestoneRef) -> _Event:
        return events.get((m.slug,)) or _Event(m.slug, m.kind, None)
    lead = min(marks, key=lambda m: (-told(m).outlets, -told(m).reports))
    return _headline_of(lead, told(lead))


def _headline_of(milestone: MilestoneRef, event: _Event) -> Headline:
    return Headline(milestone.title, event.outlets, event.reports, milestone=milestone, kind=milestone.kind,
                    stories=event.stories())


def _groups(said: dict[dt.date, _Event]) -> dict[str, list]:
    """The bound lists of the quotes query: the days, and each day's winning (kind, speaker)."""
    return {"days": list(said),
            "spoken": [(day, e.kind, e.speaker) for day, e in said.items() if e.speaker is not None],
            "unspoken": [(day, e.kind) for day, e in said.items() if e.speaker is None]}


def _top_quotes(rows) -> dict[dt.date, str]:
    """Each day's most-repeated quote of its winning event (the shortest among equals), from the quotes query."""
    best: dict[dt.date, tuple[int, int, str]] = {}
    for day, _, _, quote, n in rows:
        ranked = (-n, len(quote), quote)
        if day not in best or ranked < best[day]:
            best[day] = ranked
    return {day: quote for day, (_, _, quote) in best.items()}
