"""The clues a text gives to its own publication date, for published.infer_published."""

from __future__ import annotations

import re

from app.catalog import Catalog
from app.extract import events, published
from app.extract.events import PhraseMatch
from app.extract.resolve import fmt
from app.extract.sentences import Sentence, attached_match
from app.extract.timex import TimeExpression


def clues(sentences: list[Sentence], catalog: Catalog) -> list[published.Clue]:
    """What the text says that bounds its publication date."""
    found: list[published.Clue] = []
    mentioned: dict[str, published.Clue] = {}
    for sentence in sentences:
        # A date heading the sentence (a dateline, a list item's date) is no event, but it is not after publication.
        found.extend(published.absolute_after_clue(expr, catalog) for expr in sentence.heading)
        for expr in sentence.dated_expressions:
            found.extend(_expression_clues(sentence, expr, catalog))
        for match in sentence.real_matches:
            m = match.milestone
            if sentence.expression_for(match) is None:
                mentioned.setdefault(m.slug, published.after_clue(
                    m.date, f"it reports the {m.title.lower()} ({fmt(m.date)}) as past"))
            if FOLLOWS.search(sentence.text[max(0, match.start - FOLLOWS_REACH):match.start]):
                found.extend(_follows_clues(sentence, match, catalog))
    return found + list(mentioned.values())


def _expression_clues(sentence: Sentence, expr: TimeExpression, catalog: Catalog) -> list[published.Clue]:
    future = sentence.is_future(expr)
    if expr.kind == "same_day":
        return []  # the day told before it: no clue to publication of its own
    if expr.kind in ("month", "truce_day", "truce_after") or expr.kind in published.ABSOLUTE_KINDS:
        # A time set ahead ("a truce starting on September 12") sets no lower bound on publication.
        past_event = expr.kind != "month" and not future and not sentence.is_scheduled(expr)
        return [published.absolute_after_clue(expr, catalog)] if past_event else []
    found = []
    if not events.dates_a_statement(sentence.text, expr.start, expr.end):
        match = attached_match(sentence, expr)
        if match:
            found.append(published.pinned_clue(expr, match.milestone.date, match.milestone.title.lower(),
                                               catalog, future=future))
    if future:
        return found
    if events.presumes_truce_in_force(sentence.text, catalog):
        found.append(published.context_clue(expr, catalog.truce_start, "is in a sentence presuming the truce "
                                            "in force", catalog))
    elif events.mentions_definite_deal(sentence.text):
        found.append(published.context_clue(expr, catalog.agreement, "is in a sentence about the deal as made",
                                            catalog))
    return found


# "hours after the army announced a new offensive": what the sentence dates came after the milestone.
FOLLOWS = re.compile(r"\b(after|since|following)\b", re.IGNORECASE)
FOLLOWS_REACH = 40  # characters before a milestone phrase in which "after" governs it


def _follows_clues(sentence: Sentence, match: PhraseMatch, catalog: Catalog) -> list[published.Clue]:
    m = match.milestone
    return [published.context_clue(expr, m.date, f"comes after the {m.title.lower()}", catalog)
            for expr in sentence.dated_expressions
            if expr.kind in published.RELATIVE_KINDS and expr.end <= match.start and not sentence.is_future(expr)]
