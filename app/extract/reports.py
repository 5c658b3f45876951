"""The dated reports a sentence carries, with the figures and claims of blame that go with them."""

from __future__ import annotations

import datetime as dt
import re

from app.extract import events
from app.extract.catalog import Catalog
from app.extract.events import PhraseMatch
from app.extract.figures import find_claims, find_figures
from app.extract.published import ABSOLUTE_KINDS
from app.extract.resolve import Resolution, day_resolution, fmt, resolve, told_offset
from app.extract.sentences import Sentence, attached_match, captions, is_dateline, is_prose, is_site_furniture
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
        if is_dateline(sentence.text, sentence.expressions) or position in pictured or is_site_furniture(sentence):
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
            continued = continuation_report(sentence, scene, speaker,
                                            frozenset(e.text for e in last_reported.dated_expressions))
            reports.extend(continued)
            # "...bombing on Saturday. Some 62 soldiers were killed": the figures go with the bombing.
            figures.extend(sentence_figures(sentence, sentence if continued else last_reported))
    return reports, figures, claims


def _item_day(sentence: Sentence, day: dt.date | None, catalog: Catalog) -> dt.date | None:
    """The date heading the sentence's list item, which its own relative dates count from."""
    if sentence.item_date is None:
        return None
    return resolve(sentence.item_date, day, truce_start=catalog.truce_start, truce_began_at=catalog.truce_began_at,
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


def continuation_report(sentence: Sentence, scene: list[ExtractedReport], speaker: str | None,
                        told_by: frozenset[str] = frozenset()) -> list[ExtractedReport]:
    """A sentence with no date of its own that goes on telling the previous sentence's dated event."""
    candidates = [r for r in scene if r.date and r.precision == "day" and r.basis != PUBLICATION_BASIS
                  and r.kind != "statement"]
    # The day the sentence itself gives first; a milestone it only mentions ("... under the deal agreed in
    # Geneva") is background, not the scene the next sentence goes on with.
    dated = [r for r in candidates if r.basis in told_by]
    anchor = (dated or candidates or [None])[-1]
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
    sayings: set[int] = set()  # the reports whose date is only an act of saying's ("said on Monday")
    for expr in sentence.dated_expressions:
        report, match = _expression_report(sentence, expr, day, catalog, speaker, told)
        if match is None and _since(sentence, expr) and len(sentence.dated_expressions) > 1:
            continue  # "blocked since early last week, a UN spokesman said Monday": a state's start, not the news
        reports.append(report)
        if match:
            consumed[expr] = match
        elif sentence.dates_a_statement(expr):
            sayings.add(len(reports) - 1)
    reports = _without_plans_beside_news(reports, sayings, day)
    if is_prose(sentence.text):  # a headline or teaser is not where an undated event is reported
        reports.extend(_mention_reports(sentence, day, consumed, speaker))
        if not sentence.dated_expressions:
            reports.extend(_relative_to_milestone(sentence, day, speaker))
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


def _without_plans_beside_news(reports: list[ExtractedReport], sayings: set[int],
                               day: dt.date | None) -> list[ExtractedReport]:
    """A plan that names no milestone ("the group would reconvene on Friday"), told beside a past event the
    sentence dates ("On Tuesday, after the ISSG met, the envoy said ..."), is the event's aftermath, not news
    of its own: it is left a mention. Beside a bare saying ("confirmed on Wednesday that the next meeting
    would be on Thursday") the plan is what the sentence tells, and stays."""
    if day is None:
        return reports
    news = [r for i, r in enumerate(reports)
            if r.date is not None and r.date <= day and r.kind != "statement" and i not in sayings]
    if not news:
        return reports
    return [r for r in reports if r.milestone is not None or r.date is None or r.date <= day]


SINCE = re.compile(r"\bsince\s+(?:(?:early|late|mid-?)\s*)?$", re.IGNORECASE)
SINCE_REACH = 16


def _since(sentence: Sentence, expr: TimeExpression) -> bool:
    """Whether the expression tells when a state began ("stuck since Monday"): "since" heads it."""
    if (expr.get("rel") or "").lower() == "since":
        return True
    return SINCE.search(sentence.text[max(0, expr.start - SINCE_REACH):expr.start]) is not None


def _expression_report(sentence: Sentence, expr: TimeExpression, day: dt.date | None, catalog: Catalog,
                       speaker: str | None, told: dt.date | None) -> tuple[ExtractedReport, PhraseMatch | None]:
    future, scheduled = sentence.is_future(expr), sentence.is_scheduled(expr)
    if expr.kind == "told_offset" and told is not None:
        offset = told_offset(expr)
        res = day_resolution(told + dt.timedelta(days=offset),
                             f"“{expr.text}” is {abs(offset)} day{'s' if abs(offset) > 1 else ''} "
                             f"{'after' if offset > 0 else 'before'} the day the text has just told of ({fmt(told)})")
    elif expr.kind == "same_day" and told is not None:
        res = day_resolution(told, f"“{expr.text}” is the day the text has just told of ({fmt(told)})")
    elif expr.kind == "same_day" and day is not None:  # a summary at the top, before any day is told: the news's
        res = day_resolution(day, f"“{expr.text}”, with no day told before it, is the day of publication ({fmt(day)})")
    else:
        res = resolve(expr, day, truce_start=catalog.truce_start, truce_began_at=catalog.truce_began_at, future=future,
                      default_year=catalog.window_start.year, scheduled=scheduled)
    speech = sentence.dates_a_statement(expr)
    match = _milestone_for(sentence, expr, res, day)
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
        elif expr.kind in ABSOLUTE_KINDS and res.date is not None and res.precision == "day":
            date = res.date  # the text's own explicit date, a day from the catalogue's: kept as the text says
            reasoning = (f"{res.reasoning}; the sentence names {m.named}, which sources date {fmt(m.date)}: "
                         "the text's own day is kept")
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


def _milestone_for(sentence: Sentence, expr: TimeExpression, res: Resolution,
                   published: dt.date | None) -> PhraseMatch | None:
    if res.date is None:
        return attached_match(sentence, expr)
    consistent = [m for m in sentence.real_matches if any(res.contains(day) for day in m.milestone.days)]
    # A milestone told ahead ("the truce will take effect at sundown on Monday") on its own day is scheduled.
    consistent += [m for m in sentence.matches
                   if m.scheduled and res.precision == "day" and res.date in m.milestone.days]
    strictly = attached_match(sentence, expr, among=consistent)
    if strictly is not None:
        return strictly
    loosely = [m for m in sentence.real_matches if any(
        _loosely_last_week(expr, day, published) or _a_day_off(expr, res, day, m) for day in m.milestone.days)]
    return attached_match(sentence, expr, among=loosely) if loosely else None


def _a_day_off(expr: TimeExpression, res: Resolution, day: dt.date, match: PhraseMatch) -> bool:
    """An explicit date a day from the milestone's, on words that tell the event itself ("the September 16
    attacks on Syrian army positions"): sources disagree by a day, a time zone or a slip, and the words
    still name it; the text's date is kept (_expression_report)."""
    return (expr.kind in ABSOLUTE_KINDS and not match.reference and res.precision == "day" and res.date is not None
            and abs((res.date - day).days) == 1)


# "collapsed last week", written on a Friday about the Monday just gone: "last week" loosely said is the past
# seven days, though never the last few, which are "on Monday". Only a milestone's own day is read so loosely.
LAST_WEEK_LOOSELY = (3, 7)  # days before publication


def _loosely_last_week(expr: TimeExpression, day: dt.date, published: dt.date | None) -> bool:
    if published is None or expr.kind != "relative_week" or expr.text.lower() != "last week":
        return False
    return LAST_WEEK_LOOSELY[0] <= (published - day).days <= LAST_WEEK_LOOSELY[1]


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


# "hours after the army declared the truce over", "a day before the truce took effect": an event dated by a
# milestone told right after these words, a few words at most between ("hours after the cessation of hostilities
# took effect").
# Within hours is the same day; days are counted.
RELATIVE_TO = re.compile(
    r"\b(?:(?P<count>a|an|one|two|three|four|five|\d)\s+(?P<unit>days?)|(?:just\s+|only\s+|mere\s+|"
    r"(?:less|more)\s+than\s+(?:an?\s+|\w+\s+)?|a\s+few\s+|several\s+|within\s+)?(?:hours?|minutes?|moments?)"
    r"|shortly|soon|just|(?P<the>the\s+day))\s+(?P<dir>after|before)\s+(?:[\w'’-]+\s+){0,5}$", re.IGNORECASE)
RELATIVE_TO_REACH = 80  # characters before the phrase searched for those words
DAY_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _relative_to_milestone(sentence: Sentence, day: dt.date | None, speaker: str | None) -> list[ExtractedReport]:
    """The event of a sentence with no date of its own, told as hours or days after (or before) a milestone it
    names: "Bombs rained down on Aleppo hours after the army declared the truce over" is the declaration's day.
    Not when the sentence names another milestone before those words: that one is its event, with its own day."""
    matches = [m for m in sentence.real_matches if not m.reference]
    for match in matches:
        clause_start = events.clause_bounds(sentence.text, match.start)[0]
        found = RELATIVE_TO.search(sentence.text, max(clause_start, match.start - RELATIVE_TO_REACH), match.start)
        if found is None or any(o is not match and o.start < found.start() for o in matches):
            continue
        m = match.milestone
        offset = _offset(found)
        date = m.date + dt.timedelta(days=offset)
        if day is not None and date > day:
            continue  # told as past, it cannot be after publication
        words = sentence.text[found.start():found.end("dir")]
        reasoning = (f"no date of its own; '{words}' {m.named}, on {fmt(m.date)}"
                     + (": the same day" if offset == 0 else f": {fmt(date)}"))
        clause = sentence.text[:found.start()]
        return [_report(sentence, date, "day", words, reasoning, _kind(clause, clause, False), None, speaker)]
    return []


def _offset(found: re.Match[str]) -> int:
    sign = 1 if found["dir"].lower() == "after" else -1
    if found["the"]:
        return sign
    if found["unit"]:
        count = found["count"].lower()
        return sign * (int(count) if count.isdigit() else DAY_COUNTS[count])
    return 0


def _told_by(sentence: Sentence, expr: TimeExpression, match: PhraseMatch) -> bool:
    """Whether the phrase stands in what a saying dated by expr says: "said on Saturday that jets bombed"."""
    if not (expr.end <= match.start and sentence.dates_a_statement(expr)):
        return False
    between = sentence.text[expr.end:match.start]
    # "said on Saturday that jets had bombed", or with the "that" left out: "said on Wednesday it had agreed".
    return THAT.search(between) is not None or not BREAK.search(between)


THAT = re.compile(r"\bthat\b")
BREAK = re.compile(r"[,;:()]|\b(?:and|but|while|after|before|when|as)\b")


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
