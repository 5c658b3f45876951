"""The dated reports a sentence carries, with the figures and claims of blame that go with them."""

from __future__ import annotations

import datetime as dt
import re

from app.extract import events
from app.extract.catalog import Catalog
from app.extract.events import PhraseMatch
from app.extract.figures import find_claims, find_figures
from app.extract.published import ABSOLUTE_KINDS
from app.extract.resolve import Resolution, day_resolution, fmt, resolve
from app.extract.sentences import Sentence, attached_match, captions, is_dateline, is_prose
from app.extract.timex import TimeExpression
from app.extract.types import ExtractedClaim, ExtractedFigure, ExtractedReport

PUBLICATION_BASIS = "publication date"  # the basis of a statement dated only by its article



def build_reports(sentences: list[Sentence], day: dt.date | None, catalog: Catalog
                  ) -> tuple[list[ExtractedReport], list[ExtractedFigure], list[ExtractedClaim]]:
    """The article's reports, and the figures and claims of blame in the sentences that carry them."""
    reports: list[ExtractedReport] = []
    figures: list[ExtractedFigure] = []
    claims: list[ExtractedClaim] = []
    last_named: str | None = None  # who "he" and "she" refer to
    named: list[str] = []  # speakers so far, so "Konashenkov" is known to be "Igor Konashenkov"
    last_reported: Sentence | None = None  # where figures of a sentence that reports nothing belong
    scene: list[ExtractedReport] = []  # that sentence's reports
    told: dt.date | None = None  # the last day the text told of, for "the same day"
    pictured = captions(sentences)
    for position, sentence in enumerate(sentences):
        if is_dateline(sentence.text, sentence.expressions) or position in pictured:
            continue
        speaker = _full_name(events.find_speaker(sentence.text, last_named), named)
        last_named = speaker or last_named
        if speaker:
            named.append(speaker)
        found = sentence_reports(sentence, _item_day(sentence, day, catalog) or day, catalog, speaker, told)
        told = next((r.date for r in reversed(found) if r.precision == "day"), told)
        if found:
            reports.extend(found)
            claims.extend(sentence_claims(sentence, speaker, catalog))
            last_reported, scene = sentence, found
            figures.extend(sentence_figures(sentence, sentence))
        elif last_reported is not None and _same_paragraph(last_reported, sentence):
            continued = continuation_report(sentence, scene, speaker)
            reports.extend(continued)
            # "...bombing on Saturday. Some 62 soldiers were killed": the figures go with the bombing.
            figures.extend(sentence_figures(sentence, sentence if continued else last_reported))
    return reports, figures, claims


def _item_day(sentence: Sentence, day: dt.date | None, catalog: Catalog) -> dt.date | None:
    """The date heading the sentence's list item, which its own relative dates count from."""
    if sentence.item_date is None:
        return None
    return resolve(sentence.item_date, day, truce_start=catalog.truce_start,
                   default_year=catalog.window_start.year).date


def _full_name(name: str | None, named: list[str]) -> str | None:
    """A surname alone as the full name the article gave earlier ("Konashenkov" -> "Igor Konashenkov")."""
    if name is None or " " in name:
        return name
    return next((full for full in reversed(named) if full.endswith(" " + name)), name)


# A past-tense event told as a fact: "Some 62 soldiers were killed", "Power walked out". Present,
# perfect and modal verbs, quotations and habits are commentary, not the same scene.
PAST_EVENT = re.compile(r"\b(was|were|\w{3,}ed)\b")
NOT_A_SCENE = re.compile(r"\b(has|have|is|are|am|will|would|can|could|may|might|must|should|does|do|since|"
                         r"usually|often|always|every)\b|[\"“”]", re.IGNORECASE)


def continuation_report(sentence: Sentence, scene: list[ExtractedReport], speaker: str | None
                        ) -> list[ExtractedReport]:
    """A sentence with no date of its own that goes on telling the previous sentence's dated event."""
    anchor = next((r for r in reversed(scene) if r.date and r.precision == "day"
                   and r.basis != PUBLICATION_BASIS and r.kind != "statement"), None)
    text = sentence.text
    if (anchor is None or not is_prose(text) or not PAST_EVENT.search(text) or NOT_A_SCENE.search(text)
            or events.has_reported_speech(text)):
        return []
    assert anchor.date is not None
    # It tells the same event, so it shares the event's milestone and kind when there is one.
    kind = anchor.kind if anchor.milestone else _kind(text, text, False)
    return [_report(sentence, anchor.date, "day", "the previous sentence",
                    f"the sentence has no date of its own and goes on from the previous one, dated {fmt(anchor.date)}",
                    kind, anchor.milestone, speaker)]


def _same_paragraph(earlier: Sentence, later: Sentence) -> bool:
    return later.start - earlier.end == 1  # one space between them; paragraphs are a blank line apart


def sentence_figures(sentence: Sentence, owner: Sentence) -> list[ExtractedFigure]:
    """The sentence's figures, filed under the span of the sentence whose reports they belong to."""
    return [ExtractedFigure(owner.start, owner.end, f.value, f.unit, f.subject, f.qualifier, f.period, f.text)
            for f in find_figures(sentence.text)]


def sentence_claims(sentence: Sentence, speaker: str | None, catalog: Catalog) -> list[ExtractedClaim]:
    return [ExtractedClaim(sentence.start, sentence.end, c.accuser, c.accused, c.text, speaker)
            for c in find_claims(sentence.text, speaker, catalog.parties)]


def sentence_reports(sentence: Sentence, day: dt.date | None, catalog: Catalog,
                     speaker: str | None, told: dt.date | None = None) -> list[ExtractedReport]:
    """The dated events one sentence carries: one per time expression, one per milestone it names
    without a date, and otherwise the statement itself when it is reported speech."""
    reports: list[ExtractedReport] = []
    consumed: dict[TimeExpression, PhraseMatch] = {}  # each expression and the milestone phrase it dates
    for expr in sentence.dated_expressions:
        report, match = _expression_report(sentence, expr, day, catalog, speaker, told)
        reports.append(report)
        if match:
            consumed[expr] = match
    if is_prose(sentence.text):  # a headline or teaser is not where an undated event is reported
        reports.extend(_mention_reports(sentence, day, consumed, speaker))
    # Publication only dates the saying when the sentence dates nothing else: beside a dated event
    # it is a guess the sentence does not support.
    if not reports and sentence.item_date is not None and day is not None:  # day: the item's (build_reports)
        reports.append(_report(sentence, day, "day", sentence.item_date.text,
                               "the sentence has no date of its own and takes the date heading its list item, "
                               f"“{sentence.item_date.text}”",
                               _kind(sentence.text, sentence.text, False), None, speaker))
    if (not reports and not sentence.dated_expressions and events.has_reported_speech(sentence.text)
            and is_prose(sentence.text)):
        reports.append(_statement_report(sentence, day, speaker))
    return reports


def _expression_report(sentence: Sentence, expr: TimeExpression, day: dt.date | None, catalog: Catalog,
                       speaker: str | None, told: dt.date | None) -> tuple[ExtractedReport, PhraseMatch | None]:
    future, scheduled = sentence.is_future(expr), sentence.is_scheduled(expr)
    if expr.kind == "same_day" and told is not None:
        res = day_resolution(told, f"“{expr.text}” is the day the text has just told of ({fmt(told)})")
    else:
        res = resolve(expr, day, truce_start=catalog.truce_start, future=future,
                      default_year=catalog.window_start.year, scheduled=scheduled)
    speech = events.dates_a_statement(sentence.text, expr.start, expr.end)
    match = _milestone_for(sentence, expr, res)
    if speech and match and not match.start <= expr.start < match.end:
        match = None  # "said on Monday that ...": the date is the saying's, unless the saying is the event
    clause = sentence.text[slice(*events.clause_bounds(sentence.text, expr.start))]
    if match:
        m = match.milestone
        kind, date, precision = m.kind, m.date, "day"
        if res.date == m.date:
            reasoning = (f"{res.reasoning}, the day of {m.named}" if res.precision == "day"
                         else f"{res.reasoning}, which holds {m.named}, of {fmt(m.date)}")
        elif res.date in m.also_dated:  # the text's own day, which sources give it too: kept as the text says
            date = res.date
            reasoning = f"{res.reasoning}, the day of {m.named}, which sources date {fmt(m.date)} or this day"
        else:
            reasoning = f"{res.reasoning}, and the sentence names {m.named}, of {fmt(m.date)}"
    else:
        # With several dates in the sentence each takes its own clause's words; alone, the sentence's.
        kind = _kind(clause, sentence.text if len(sentence.dated_expressions) == 1 else clause, speech)
        date, precision, reasoning = res.date, res.precision, res.reasoning
        if day and date and date > day and not (future or scheduled or expr.kind in ABSOLUTE_KINDS):
            date, reasoning = day, (f"{reasoning}, which is after publication, so the day is held at "
                                    f"publication ({fmt(day)})")
        elif day and date and date > day:
            reasoning = f"{reasoning}, a time set ahead of publication ({fmt(day)})"
    report = _report(sentence, date, precision, expr.text, reasoning, kind,
                     match.milestone.slug if match else None, speaker)
    return report, match


def _milestone_for(sentence: Sentence, expr: TimeExpression, res: Resolution) -> PhraseMatch | None:
    if res.date is None:
        return attached_match(sentence, expr)
    consistent = [m for m in sentence.real_matches if any(res.contains(day) for day in m.milestone.days)]
    return attached_match(sentence, expr, among=consistent)


def _kind(clause: str, sentence: str, speech: bool) -> str:
    said = speech or events.has_reported_speech(sentence)
    kind = events.kind_from_words(clause, said)
    if kind in ("statement", "other"):
        kind = events.kind_from_words(sentence, said)
    return kind


def _mention_reports(sentence: Sentence, day: dt.date | None, consumed: dict[TimeExpression, PhraseMatch],
                     speaker: str | None) -> list[ExtractedReport]:
    reports = []
    seen = {m.milestone.slug for m in consumed.values()}
    for match in _likeliest(sentence.real_matches, day):
        m = match.milestone
        if match.reference or m.slug in seen or any(_overlaps(match, c) for c in consumed.values()):
            continue
        near = sentence.expression_for(match)
        # The phrase is about the time its clause names, unless that time dates another phrase (in "brokered
        # last month, began to unravel when aircraft bombed ...", "last month" is the brokering's) or the
        # saying whose words tell it ("Russia said on Saturday that jets had bombed ...": its day is not told).
        if near is not None and consumed.get(near, match) is match and not _told_by(sentence, near, match):
            continue
        if day is not None and m.date > day:
            continue  # an article cannot report as past what had not happened yet
        seen.add(m.slug)
        words = sentence.text[match.start:match.end]
        reports.append(_report(sentence, m.date, "day", words,
                               f"the sentence gives no date, but “{words}” names {m.named}, of {fmt(m.date)}",
                               m.kind, m.slug, speaker))
    return reports


def _told_by(sentence: Sentence, expr: TimeExpression, match: PhraseMatch) -> bool:
    """Whether the phrase stands in what a saying dated by expr says: "said on Saturday that jets bombed"."""
    return (expr.end <= match.start and events.dates_a_statement(sentence.text, expr.start, expr.end)
            and THAT.search(sentence.text, expr.end, match.start) is not None)


THAT = re.compile(r"\bthat\b")


def _likeliest(matches: list[PhraseMatch], day: dt.date | None) -> list[PhraseMatch]:
    """Where the same words name several milestones of one kind (the truce was extended twice, the Security
    Council met twice), the latest one by publication: an article tells the news of its day."""
    def beaten(match: PhraseMatch) -> bool:
        m = match.milestone
        return day is not None and any(
            o.milestone.kind == m.kind and (o.start, o.end) == (match.start, match.end)
            and m.date < o.milestone.date <= day for o in matches)
    return [match for match in matches if not beaten(match)]


def _overlaps(a: PhraseMatch, b: PhraseMatch) -> bool:
    return a.start < b.end and b.start < a.end


def _statement_report(sentence: Sentence, day: dt.date | None, speaker: str | None) -> ExtractedReport:
    kind = events.kind_from_words(sentence.text, True)
    if day is None:
        return _report(sentence, None, "unknown", None,
                       "the statement gives no date, and the article's publication date is unknown",
                       kind, None, speaker)
    return _report(sentence, day, "day", PUBLICATION_BASIS,
                   f"the sentence gives no date, so the statement is dated by the article's publication "
                   f"({fmt(day)})", kind, None, speaker)


def _report(sentence: Sentence, date: dt.date | None, precision: str, basis: str | None, reasoning: str,
            kind: str, milestone: str | None, speaker: str | None) -> ExtractedReport:
    return ExtractedReport(
        quote=sentence.text, start=sentence.start, end=sentence.end, date=date, precision=precision,
        basis=basis, reasoning=as_sentence(reasoning), kind=kind, milestone=milestone, speaker=speaker,
    )


def as_sentence(reasoning: str) -> str:
    """The reasoning as a sentence: a capital first letter (unless it opens on the article's quoted words,
    which keep their own case) and a full stop."""
    text = reasoning[:1].upper() + reasoning[1:] if reasoning[:1].isalpha() else reasoning
    return text if text.endswith((".", "?", "!")) else text + "."
