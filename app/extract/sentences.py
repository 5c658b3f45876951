"""Sentences as extraction sees them: their time expressions and the milestone phrases they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.catalog import Catalog
from app.extract import events, published
from app.extract.events import PhraseMatch
from app.extract.text import split_sentences, trimmed_span
from app.extract.timex import UNDATED_KINDS, TimeExpression, find_expressions

ATTACH_REACH = 60  # a time expression dates a milestone phrase this close, even across a comma
# The longest stretch read as one sentence, and so the longest quote a report stores. News sentences run to
# a few hundred characters; past this the text is a run-on list or a dump, where every expression's
# whole-sentence reading would make extraction quadratic and every report would copy the whole of it.
MAX_SENTENCE_CHARS = 600
# Where an overlong sentence is cut, best first: a clause break, a comma, any space.
CUT_POINTS = (events.CLAUSE_BREAK, re.compile(r",\s"), re.compile(r"\s"))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    expressions: tuple[TimeExpression, ...]
    matches: tuple[PhraseMatch, ...]

    @property
    def real_matches(self) -> list[PhraseMatch]:
        return [m for m in self.matches if not m.hypothetical]

    @property
    def dated_expressions(self) -> list[TimeExpression]:
        return [e for e in self.expressions if e.kind not in UNDATED_KINDS]

    def expression_for(self, match: PhraseMatch) -> TimeExpression | None:
        """The time expression in the same clause as a milestone phrase: when present, the phrase is
        about that time ("the February truce ... collapsed in April" is not the September collapse)."""
        clause = events.clause_bounds(self.text, match.start)
        near = [e for e in self.expressions
                if clause[0] <= e.start < clause[1] and distance(match, e) <= ATTACH_REACH]
        return min(near, key=lambda e: distance(match, e), default=None)

    def is_future(self, expr: TimeExpression) -> bool:
        return expr.points_forward or events.is_future(self.text, expr.start)

    def is_scheduled(self, expr: TimeExpression) -> bool:
        """Whether the expression sets a time ("starting on Monday"), which may be after publication."""
        return events.is_scheduled(self.text, expr.start)


def analyse(text: str, catalog: Catalog) -> list[Sentence]:
    sentences = []
    for start, end in (piece for span in split_sentences(text) for piece in capped(text, *span)):
        body = text[start:end]
        wire = published.WIRE_DATELINE.match(body)  # "BEIRUT, Sept 19 (Reuters) -" dates the story, not an event
        expressions = tuple(e for e in find_expressions(body) if not wire or e.start >= wire.end())
        sentences.append(Sentence(start, end, body, expressions, tuple(events.milestone_matches(body, catalog))))
    return sentences


def capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence at start:end, cut into pieces of at most MAX_SENTENCE_CHARS at its latest clause break
    (else comma, else space) that fits; each piece's span is its text's, with no space at either end."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut, resume = _cut(text, start, start + MAX_SENTENCE_CHARS)
        if text[start:cut].strip():
            pieces.append(trimmed_span(text, start, cut))
        start = resume
        while start < end and text[start].isspace():
            start += 1
    if text[start:end].strip():
        pieces.append(trimmed_span(text, start, end))
    return pieces


def _cut(text: str, start: int, limit: int) -> tuple[int, int]:
    """Where a piece starting at start ends (at most limit) and where the next begins: at the last cut point
    in the piece's second half, a comma or semicolon kept with the clause it closes."""
    for pattern in CUT_POINTS:
        last = None
        for last in pattern.finditer(text, start + MAX_SENTENCE_CHARS // 2, limit):  # noqa: B007 (the last one)
            pass
        if last is None:
            continue
        at = last.start()
        if text[at] in ",;":
            return at + 1, at + 1
        return at, at
    return limit, limit  # not one space in the stretch: cut it where the limit falls


def attached_match(sentence: Sentence, expr: TimeExpression,
                   among: list[PhraseMatch] | None = None) -> PhraseMatch | None:
    """The milestone phrase the expression dates: the nearest one in its clause (or right beside it)."""
    candidates = sentence.real_matches if among is None else among
    clause = events.clause_bounds(sentence.text, expr.start)

    def in_clause(m: PhraseMatch) -> bool:
        return clause[0] <= m.start < clause[1] or clause[0] < m.end <= clause[1]

    near = [m for m in candidates if in_clause(m) or distance(m, expr) <= ATTACH_REACH]
    return min(near, key=lambda m: (not in_clause(m), distance(m, expr)), default=None)


def distance(match: PhraseMatch, expr: TimeExpression) -> int:
    if match.start <= expr.start < match.end or expr.start <= match.start < expr.end:
        return 0
    return min(abs(expr.start - match.end), abs(match.start - expr.end))


def is_prose(text: str) -> bool:
    """A full sentence, not a headline or teaser ("Syria ceasefire deal explained")."""
    return text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'"))


def is_dateline(line: str, expressions: list[TimeExpression] | tuple[TimeExpression, ...] | None = None) -> bool:
    """A line that is mostly a date: "18 Sep, 2016 21:09"."""
    if len(line) > published.DATELINE_MAX_CHARS:
        return False
    found = find_expressions(line) if expressions is None else expressions
    return any(e.kind in published.ABSOLUTE_KINDS and len(e.text) > published.DATELINE_SHARE * len(line)
               for e in found)
