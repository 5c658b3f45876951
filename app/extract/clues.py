"""The clues a text gives to its own publication date, for published.infer_published."""

from __future__ import annotations

import datetime as dt
import re

from app.extract import events, published
from app.extract.catalog import Catalog
from app.extract.events import PhraseMatch
from app.extract.resolve import fmt, resolve
from app.extract.sentences import Sentence, attached_match, is_dateline
from app.extract.timex import TimeExpression


def clues(sentences: list[Sentence], catalog: Catalog) -> list[published.Clue]:
    """What the text says that bounds its publication date."""
    found: list[published.Clue] = []
    mentioned: dict[str, published.Clue] = {}
    for sentence in sentences:
        if sentence.site_voice:
            continue  # "While we paused publication on May 15, 2018, ...": the site's history, not the story's
        # A date heading the sentence (a dateline, a list item's date) is no event, but it is not after publication.
        found.extend(published.absolute_after_clue(expr, catalog) for expr in sentence.heading)
        for expr in sentence.dated_expressions:
            found.extend(_expression_clues(sentence, expr, catalog))
        for match in sentence.real_matches:
            m = match.milestone
            if sentence.expression_for(match) is None:
                mentioned.setdefault(m.slug, published.after_clue(
                    m.date, f"it reports {m.named} ({fmt(m.date)}) as past"))
            if FOLLOWS.search(sentence.text[max(0, match.start - FOLLOWS_REACH):match.start]):
                found.extend(_follows_clues(sentence, match, catalog))
    return found + list(mentioned.values())


def mentions(sentences: list[Sentence]) -> list[published.Mention]:
    """The weekdays the text names, past or present, that place its day within the range its clues
    allow (published.infer_published)."""
    found = []
    for sentence in sentences:
        if is_dateline(sentence.text, sentence.expressions):
            continue  # "Sunday 11/09/2016" names the page's day, which is what is being sought
        for expr in sentence.dated_expressions:
            if expr.kind != "weekday" or (expr.get("rel") or "").lower() in ("next", "last"):
                continue
            present = sentence.is_present(expr)
            if present or not sentence.is_future(expr):
                found.append(published.Mention(expr, present))
    return found


# "until 23:59 on September 18": the end of a period the text states, which may be still to come.
PERIOD_END = re.compile(r"\b(until|till|through|up to|ending|expires?|expiring)\b(\W+\S+){0,3}\W*$", re.IGNORECASE)
PERIOD_END_REACH = 30
def _expression_clues(sentence: Sentence, expr: TimeExpression, catalog: Catalog) -> list[published.Clue]:
    future = sentence.is_future(expr)
    if expr.kind in ("same_day", "told_offset"):
        return []  # the day told before it: no clue to publication of its own
    if expr.kind in ("month", "truce_day", "truce_after") or expr.kind in published.ABSOLUTE_KINDS:
        # The end of a stated period ("until September 18") sets no lower bound on publication; a time set
        # ahead ("a truce starting on September 12") still does: news of it comes out by then, or soon after.
        period_end = PERIOD_END.search(sentence.text[max(0, expr.start - PERIOD_END_REACH):expr.start])
        past_event = expr.kind != "month" and not future and not period_end
        return [published.absolute_after_clue(expr, catalog)] if past_event else []
    found = []
    present = not future and sentence.is_present(expr)
    if not sentence.dates_a_statement(expr):
        match = attached_match(sentence, expr)
        if match:
            found.append(published.pinned_clue(expr, match.milestone.date, match.milestone.named,
                                               catalog, future=future, present=present,
                                               scheduled=present or events.is_scheduled(sentence.text, expr.start)))
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
    return [published.context_clue(expr, m.date, f"comes after {m.named}", catalog)
            for expr in sentence.dated_expressions
            if expr.kind in published.RELATIVE_KINDS and expr.end <= match.start and not sentence.is_future(expr)]


def event_days(sentences: list[Sentence], catalog: Catalog) -> tuple[list[dt.date], list[dt.date]]:
    """The days the text's events carry on their face: its explicit dates with a year, and the days of
    the milestones it names (a phrase can match by chance in a story of another year: the explicit
    dates speak first). A page date far from them is not the article's (published.choose_candidate)."""
    explicit: set[dt.date] = set()
    named: set[dt.date] = set()
    for sentence in sentences:
        if is_dateline(sentence.text, sentence.expressions):
            continue  # the page's dates are what is weighed against these, not among them
        for expr in sentence.dated_expressions:
            if expr.kind in published.ABSOLUTE_KINDS and expr.get("year") is not None:
                res = resolve(expr, None, truce_start=catalog.truce_start, truce_began_at=catalog.truce_began_at,
                              default_year=catalog.window_start.year)
                if res.date is not None:
                    explicit.add(res.date)
        named.update(m.milestone.date for m in sentence.real_matches)
    return sorted(explicit), sorted(named)
