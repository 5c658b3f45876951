"""The one entry point of extraction: raw article text in, an ExtractedArticle out.

Steps: HTML to text, furniture removed -> outlet -> sentences, their time expressions and the
milestones they name -> publication date (dateline, else inferred from those clues) -> reports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.catalog import Catalog
from app.extract import events, published
from app.extract.events import PhraseMatch
from app.extract.figures import find_claims, find_figures
from app.extract.outlets import detect_outlet
from app.extract.published import Published
from app.extract.resolve import Resolution, fmt, resolve
from app.extract.text import PageMeta, clean_text, html_to_text, looks_like_html, split_sentences
from app.extract.timex import UNDATED_KINDS, TimeExpression, find_expressions
from app.extract.types import (
    ExtractedArticle,
    ExtractedClaim,
    ExtractedFigure,
    ExtractedReport,
    KnownMeta,
)

PUBLICATION_BASIS = "publication date"  # the basis of a statement dated only by its article
ATTACH_REACH = 60  # a time expression dates a milestone phrase this close, even across a comma
TITLE_MAX_CHARS = 200


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
                if clause[0] <= e.start < clause[1] and _distance(match, e) <= ATTACH_REACH]
        return min(near, key=lambda e: _distance(match, e), default=None)

    def is_future(self, expr: TimeExpression) -> bool:
        return expr.points_forward or events.is_future(self.text, expr.start)


def extract_article(
    raw: str, *, source: str, catalog: Catalog, known: KnownMeta | None = None
) -> ExtractedArticle:
    """Everything the loader stores about one article. Pure: no files, no database."""
    known = known or KnownMeta()
    page, meta = html_to_text(raw) if looks_like_html(raw, source) else (raw, PageMeta())
    text = clean_text(page)
    sentences = analyse(text, catalog)
    outlet = (known.outlet, "manifest") if known.outlet else _outlet(page, catalog, known.url or meta.url,
                                                                     meta.site_name)
    when = publication(known, meta, text, sentences, catalog)
    reports, figures, claims = build_reports(sentences, when.date, catalog)
    return ExtractedArticle(
        text=text, title=known.title or meta.title or guess_title(text), url=known.url or meta.url,
        outlet=outlet[0], outlet_basis=outlet[1], published=when.date, published_basis=when.basis,
        reports=tuple(reports), figures=tuple(figures), claims=tuple(claims),
    )


def _outlet(page: str, catalog: Catalog, url: str | None, site_name: str | None) -> tuple[str | None, str | None]:
    guess = detect_outlet(page, catalog, url=url, site_name=site_name)
    return guess.slug, guess.basis


def analyse(text: str, catalog: Catalog) -> list[Sentence]:
    sentences = []
    for start, end in split_sentences(text):
        body = text[start:end]
        wire = published.WIRE_DATELINE.match(body)  # "BEIRUT, Sept 19 (Reuters) -" dates the story, not an event
        expressions = tuple(e for e in find_expressions(body) if not wire or e.start >= wire.end())
        sentences.append(Sentence(start, end, body, expressions, tuple(events.milestone_matches(body, catalog))))
    return sentences


# --- publication date ---------------------------------------------------------------------------

def publication(known: KnownMeta, meta: PageMeta, text: str, sentences: list[Sentence],
                catalog: Catalog) -> Published:
    if known.published:
        return Published(known.published, "manifest")
    lines = text.split("\n\n")
    dateline = published.find_dateline(lines, catalog.window_start.year)
    meta_day = published.parse_meta_date(meta.published)
    if dateline and meta_day and meta_day != dateline.date:
        return Published(dateline.date, f"{dateline.basis} (page metadata says {meta_day}; the visible dateline wins)")
    if dateline:
        return dateline
    if meta_day:
        return Published(meta_day, f"page metadata '{meta.published}'")
    return published.infer_published(clues(sentences, catalog), catalog)


def clues(sentences: list[Sentence], catalog: Catalog) -> list[published.Clue]:
    """What the text says that bounds its publication date."""
    found: list[published.Clue] = []
    mentioned: dict[str, published.Clue] = {}
    for sentence in sentences:
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
    if expr.kind in ("month", "truce_day", "truce_after") or expr.kind in published.ABSOLUTE_KINDS:
        past_event = expr.kind != "month" and not future
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


def attached_match(sentence: Sentence, expr: TimeExpression,
                   among: list[PhraseMatch] | None = None) -> PhraseMatch | None:
    """The milestone phrase the expression dates: the nearest one in its clause (or right beside it)."""
    candidates = sentence.real_matches if among is None else among
    clause = events.clause_bounds(sentence.text, expr.start)
    def in_clause(m: PhraseMatch) -> bool:
        return clause[0] <= m.start < clause[1] or clause[0] < m.end <= clause[1]

    near = [m for m in candidates if in_clause(m) or _distance(m, expr) <= ATTACH_REACH]
    return min(near, key=lambda m: (not in_clause(m), _distance(m, expr)), default=None)


def _distance(match: PhraseMatch, expr: TimeExpression) -> int:
    if match.start <= expr.start < match.end or expr.start <= match.start < expr.end:
        return 0
    return min(abs(expr.start - match.end), abs(match.start - expr.end))


# --- reports ------------------------------------------------------------------------------------

def build_reports(sentences: list[Sentence], day: dt.date | None, catalog: Catalog
                  ) -> tuple[list[ExtractedReport], list[ExtractedFigure], list[ExtractedClaim]]:
    """The article's reports, and the figures and claims of blame in the sentences that carry them."""
    reports: list[ExtractedReport] = []
    figures: list[ExtractedFigure] = []
    claims: list[ExtractedClaim] = []
    last_named: str | None = None  # who "he" and "she" refer to
    last_reported: Sentence | None = None  # where figures of a sentence that reports nothing belong
    scene: list[ExtractedReport] = []  # that sentence's reports
    for sentence in sentences:
        if is_dateline(sentence.text):
            continue
        speaker = events.find_speaker(sentence.text, last_named)
        last_named = speaker or last_named
        found = sentence_reports(sentence, day, catalog, speaker)
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
    if (anchor is None or not _is_prose(text) or not PAST_EVENT.search(text) or NOT_A_SCENE.search(text)
            or events.has_reported_speech(text)):
        return []
    assert anchor.date is not None
    # It tells the same event, so it shares the event's milestone and kind when there is one.
    kind = anchor.kind if anchor.milestone else _kind(text, text, False)
    return [_report(sentence, anchor.date, "day", "the previous sentence",
                    f"no date of its own; it goes on from the previous sentence, dated {fmt(anchor.date)}",
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
                     speaker: str | None) -> list[ExtractedReport]:
    """The dated events one sentence carries: one per time expression, one per milestone it names
    without a date, and otherwise the statement itself when it is reported speech."""
    reports: list[ExtractedReport] = []
    consumed: list[PhraseMatch] = []
    for expr in sentence.dated_expressions:
        report, match = _expression_report(sentence, expr, day, catalog, speaker)
        reports.append(report)
        if match:
            consumed.append(match)
    if _is_prose(sentence.text):  # a headline or teaser is not where an undated event is reported
        reports.extend(_mention_reports(sentence, day, consumed, speaker))
    # Publication only dates the saying when the sentence dates nothing else: beside a dated event
    # it is a guess the sentence does not support.
    if (not reports and not sentence.dated_expressions and events.has_reported_speech(sentence.text)
            and _is_prose(sentence.text)):
        reports.append(_statement_report(sentence, day, speaker))
    return reports


def _is_prose(text: str) -> bool:
    """A full sentence, not a headline or teaser ("Syria ceasefire deal explained")."""
    return text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'"))


def _expression_report(sentence: Sentence, expr: TimeExpression, day: dt.date | None, catalog: Catalog,
                       speaker: str | None) -> tuple[ExtractedReport, PhraseMatch | None]:
    future = sentence.is_future(expr)
    res = resolve(expr, day, truce_start=catalog.truce_start, future=future,
                  default_year=catalog.window_start.year)
    speech = events.dates_a_statement(sentence.text, expr.start, expr.end)
    match = _milestone_for(sentence, expr, res)
    if speech and match and not match.start <= expr.start < match.end:
        match = None  # "said on Monday that ...": the date is the saying's, unless the saying is the event
    clause = sentence.text[slice(*events.clause_bounds(sentence.text, expr.start))]
    if match:
        m = match.milestone
        kind, date, precision = m.kind, m.date, "day"
        reasoning = (f"{res.reasoning}; that is the day of the {m.title.lower()}" if res.date == m.date
                     else f"{res.reasoning}; it names the {m.title.lower()}, on {fmt(m.date)}")
    else:
        kind = _kind(clause, sentence.text, speech)
        date, precision, reasoning = res.date, res.precision, res.reasoning
        if day and date and date > day and not future:
            date, reasoning = day, f"{reasoning}, after publication; so no later than publication ({fmt(day)})"
    report = _report(sentence, date, precision, expr.text, reasoning, kind,
                     match.milestone.slug if match else None, speaker)
    return report, match


def _milestone_for(sentence: Sentence, expr: TimeExpression, res: Resolution) -> PhraseMatch | None:
    if res.date is None:
        return attached_match(sentence, expr)
    consistent = [m for m in sentence.real_matches if res.contains(m.milestone.date)]
    return attached_match(sentence, expr, among=consistent)


def _kind(clause: str, sentence: str, speech: bool) -> str:
    said = speech or events.has_reported_speech(sentence)
    kind = events.kind_from_words(clause, said)
    if kind in ("statement", "other"):
        kind = events.kind_from_words(sentence, said)
    return kind


def _mention_reports(sentence: Sentence, day: dt.date | None, consumed: list[PhraseMatch],
                     speaker: str | None) -> list[ExtractedReport]:
    reports = []
    seen = {m.milestone.slug for m in consumed}
    for match in sentence.real_matches:
        m = match.milestone
        if match.reference or m.slug in seen or any(_overlaps(match, c) for c in consumed):
            continue
        if sentence.expression_for(match) is not None:  # the phrase is about the time its clause names
            continue
        if day is not None and m.date > day:
            continue  # an article cannot report as past what had not happened yet
        seen.add(m.slug)
        words = sentence.text[match.start:match.end]
        reports.append(_report(sentence, m.date, "day", words,
                               f"no date in the sentence; '{words}' names the {m.title.lower()}, "
                               f"on {fmt(m.date)}", m.kind, m.slug, speaker))
    return reports


def _overlaps(a: PhraseMatch, b: PhraseMatch) -> bool:
    return a.start < b.end and b.start < a.end


def _statement_report(sentence: Sentence, day: dt.date | None, speaker: str | None) -> ExtractedReport:
    kind = events.kind_from_words(sentence.text, True)
    if day is None:
        return _report(sentence, None, "unknown", None,
                       "a statement with no date, in an article whose publication date is unknown",
                       kind, None, speaker)
    return _report(sentence, day, "day", PUBLICATION_BASIS,
                   f"no date in the sentence: a statement reported without one is dated by the "
                   f"article's publication ({fmt(day)})", kind, None, speaker)


def _report(sentence: Sentence, date: dt.date | None, precision: str, basis: str | None, reasoning: str,
            kind: str, milestone: str | None, speaker: str | None) -> ExtractedReport:
    return ExtractedReport(
        quote=sentence.text, start=sentence.start, end=sentence.end, date=date, precision=precision,
        basis=basis, reasoning=reasoning, kind=kind, milestone=milestone, speaker=speaker,
    )


# --- title --------------------------------------------------------------------------------------

SITE_SUFFIX = re.compile(r"\s*\|\s*[^|]+$")
TITLE_LINES = 5  # the headline is among the first lines
FALLBACK_TITLE_CHARS = 120  # with no headline, the opening words stand in for one


def guess_title(text: str) -> str | None:
    """The headline: among the first short lines, the longest once a '| Site name' suffix is cut."""
    paragraphs = text.split("\n\n")
    candidates = [SITE_SUFFIX.sub("", line).strip() for line in paragraphs[:TITLE_LINES]
                  if len(line) <= TITLE_MAX_CHARS and not is_dateline(line) and not _is_prose(line)]
    candidates = [c for c in candidates if len(c.split()) >= 3]
    if candidates:
        return max(candidates, key=len)
    first = paragraphs[0] if paragraphs and paragraphs[0] else None
    if first and len(first) > FALLBACK_TITLE_CHARS:
        return first[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def is_dateline(line: str) -> bool:
    """A line that is mostly a date: "18 Sep, 2016 21:09"."""
    if len(line) > published.DATELINE_MAX_CHARS:
        return False
    return any(e.kind in published.ABSOLUTE_KINDS and len(e.text) > published.DATELINE_SHARE * len(line)
               for e in find_expressions(line))
