"""Sentences as extraction sees them: their time expressions and the milestone phrases they hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.extract import events, published
from app.extract.caseless import Caseless
from app.extract.catalog import Catalog
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
    expressions: tuple[TimeExpression, ...]  # the sentence's own, after any heading (see heading_end)
    matches: tuple[PhraseMatch, ...]
    # "• 13 September 2016: On Monday, Kerry said ...": the date heading a list item, which the item's own
    # relative dates count from. A dateline or a "date 2016-09-09" label heads nothing and is left out.
    item_date: TimeExpression | None = None
    heading: tuple[TimeExpression, ...] = ()  # the heading's dates: no events, but clues to publication

    # Asked for by every step after analyse (clues, mentions, reports): worked out once, as the sentence is made.
    real_matches: tuple[PhraseMatch, ...] = field(init=False, repr=False, compare=False)
    dated_expressions: tuple[TimeExpression, ...] = field(init=False, repr=False, compare=False)
    # The site speaking of itself: its dates are the site's history, no clue to the story's day.
    site_voice: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "real_matches", tuple(m for m in self.matches if not m.hypothetical))
        object.__setattr__(self, "dated_expressions", tuple(e for e in self.expressions
                                                            if e.kind not in UNDATED_KINDS))
        object.__setattr__(self, "site_voice", speaks_as_site(self.text))

    def expression_for(self, match: PhraseMatch) -> TimeExpression | None:
        """The time expression in the same clause as a milestone phrase: when present, the phrase is
        about that time ("the February truce ... collapsed in April" is not the September collapse)."""
        clause = events.clause_bounds(self.text, match.start)
        near = [e for e in self.expressions
                if clause[0] <= e.start < clause[1] and distance(match, e) <= ATTACH_REACH]
        return min(near, key=lambda e: distance(match, e), default=None)

    # How each expression reads, as clues, mentions and reports ask in turn: keyed by the expression's start
    # (a sentence's expressions never overlap).
    _readings: dict[tuple[str, int], bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _reading(self, question: str, expr: TimeExpression, answer: Callable[[], bool]) -> bool:
        key = (question, expr.start)
        if key not in self._readings:
            self._readings[key] = answer()
        return self._readings[key]

    def is_future(self, expr: TimeExpression) -> bool:
        return self._reading("future", expr, lambda: expr.points_forward or events.is_future(self.text, expr.start))

    def is_present(self, expr: TimeExpression) -> bool:
        """Whether the expression's clause is told in the present (is_present)."""
        return self._reading("present", expr, lambda: is_present(self.text, expr.start))

    def is_scheduled(self, expr: TimeExpression) -> bool:
        """Whether the expression sets a time ("starting on Monday", "the truce takes effect on Monday"),
        which may be after publication: a set time, or a clause told in the present."""
        return self._reading("scheduled", expr,
                             lambda: events.is_scheduled(self.text, expr.start) or self.is_present(expr))

    def dates_a_statement(self, expr: TimeExpression) -> bool:
        """Whether the expression dates an act of saying (events.dates_a_statement)."""
        return self._reading("statement", expr, lambda: events.dates_a_statement(self.text, expr.start, expr.end))


def analyse(text: str, catalog: Catalog) -> list[Sentence]:
    sentences = []
    for start, end in (piece for span in split_sentences(text) for piece in capped(text, *span)):
        body = text[start:end].replace("\n", " ")  # a hard-wrapped sentence reads as one line; offsets kept
        found = find_expressions(body)
        end_of_heading, item = heading_end(body, found)
        expressions = tuple(e for e in found if e.start >= end_of_heading)
        sentences.append(Sentence(start, end, body, expressions, tuple(events.milestone_matches(body, catalog)),
                                  item_date=item, heading=tuple(e for e in found if e.start < end_of_heading)))
    return sentences


# What may stand before a date that heads a sentence: a bullet, a label, a place ("GENEVA, ").
HEADING_GAP = re.compile(r"\s*(?P<bullet>[•*·▪–—-]\s*)?(?P<label>(?:date|dated|published|posted|updated|filed)\b"
                         r"\s*:?\s*)?(?P<place>[A-Z][A-Za-z'’.-]*(?:[ -][A-Z][A-Za-z'’.-]*){0,3},\s*)?",
                         re.IGNORECASE)
# And after it: an agency's credit, a dash or a colon ("Sept 18 (IANS)", "13 September 2016:").
HEADING_TAIL = re.compile(r"\s*(?P<agency>\([^()]{2,40}\))?\s*(?P<stop>[-–—:|]\s*)?")
SENTENCE_PROPER = re.compile(r"[\"“‘'A-Z]")  # what follows a heading: the sentence, starting anew
MIN_WORDS_AFTER_HEADING = 3


def heading_end(body: str, found: list[TimeExpression]) -> tuple[int, TimeExpression | None]:
    """Where the dates heading the sentence end (0: none) and, for a list item, its date. A heading is one or
    more explicit dates at the very start, each after no more than a bullet, a label or a place, followed by
    the sentence proper: "Moscow, Sep 18 (IANS) The ...", "• 13 September 2016: On Monday ...", "date
    2016-09-09 GENEVA, Sept 10 The ...". A place, a label or an agency makes it a dateline; a bullet or a
    bare date with a colon, a list item."""
    position, dateline, last = 0, False, None
    for expr in found:
        gap = HEADING_GAP.fullmatch(body, position, expr.start)
        if expr.kind not in published.ABSOLUTE_KINDS or gap is None:
            break
        tail = HEADING_TAIL.match(body, expr.end)
        dateline = dateline or bool(gap["label"] or gap["place"] or tail["agency"])
        position, last = tail.end(), expr
        if not (tail["stop"] or tail["agency"] or SENTENCE_PROPER.match(body, position)):
            return 0, None  # "September 9 was the day ...": the date is the sentence's subject
    if last is None or not SENTENCE_PROPER.match(body, position):
        return 0, None
    if len(body[position:].split()) < MIN_WORDS_AFTER_HEADING:
        return 0, None  # a date line with a word or two after it is a dateline (is_dateline), not a heading
    return position, (None if dateline else last)


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


# A clause told in the present: "is holding talks", "are meeting", "takes effect", "goes into force".
PRESENT = re.compile(r"\b(is|are)\s+(?!being\b|going to\b)\w+ing\b|\b(takes|goes|comes|enters|begins|starts|"
                     r"ends|expires|opens|resumes|meets|holds|kicks)\b(?!\s+\w+ed\b)", re.IGNORECASE)
PRESENT_REACH = 50


def is_present(text: str, start: int) -> bool:
    """A clause told in the present, in a full sentence: a headline's present ("Aid convoy enters
    Aleppo on Tuesday") tells the past."""
    if not is_prose(text):
        return False
    clause_start = events.clause_bounds(text, start)[0]
    return bool(PRESENT.search(text[max(clause_start, start - PRESENT_REACH):start]))


def is_dateline(line: str, expressions: list[TimeExpression] | tuple[TimeExpression, ...] | None = None) -> bool:
    """A line that is mostly a date: "18 Sep, 2016 21:09"."""
    if len(line) > published.DATELINE_MAX_CHARS:
        return False
    found = find_expressions(line) if expressions is None else expressions
    dates = [e for e in found
             if e.kind in published.ABSOLUTE_KINDS and len(e.text) > published.DATELINE_SHARE * len(line)]
    if not dates:
        return False
    # A short full sentence ("The convoy was hit on Monday 19 September.") tells of the date; a dateline has a
    # label or a place beside it at most ("Published: Monday 19 September 2016.").
    rest = line[:dates[0].start] + line[dates[0].end:]
    return not is_prose(line) or len(rest.split()) <= DATELINE_OTHER_WORDS


DATELINE_OTHER_WORDS = 3  # words beside the date in a dateline that ends in a full stop


# A photograph's caption tells what a picture shows, in the present ("Smoke is seen over the city"), or is
# followed by its credit ("REUTERS/Jane Doe", "AP Photo/Jane Doe", "Photo: AFP"): not the story's events.
CAPTION_WORDS = re.compile(r"\b(?:is|are) (?:pictured|photographed|seen|shown)\b|\((?:L|R|C|left|right|centre|center)\)"
                           r"|\b(?:[Ff]ile )?[Pp]hoto(?:graph)?\s*[:/]"
                           r"|\b[A-Z]{2,}(?: [Pp]hoto)?\s?/\s?[A-Z][a-z]+(?: [A-Z][a-z]+)+\s*$")  # ends in its credit
# Each way CAPTION_WORDS matches holds one of these: plain substring tests spare most sentences the pattern,
# whose leading \b the regex engine tries at every word.
CAPTION_NEEDS = ("/", "(", ":", "pictured", "photographed", "seen", "shown")


def _has_caption_words(text: str) -> bool:
    return any(part in text for part in CAPTION_NEEDS) and CAPTION_WORDS.search(text) is not None


# A credit names its photographers or agencies only: "Photo: AFP / Getty", "Picture by Jane Doe/Reuters"; a
# "Photo: Children play in a street" line is a caption itself, not the credit of the sentence before it.
CREDIT_LINE = re.compile(r"^\(?(?:[A-Z]{2,}(?: [Pp]hoto)?\s?/\s?[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}"
                         r"|(?:[Pp]hoto|[Ii]mage|[Pp]icture)s?\s*(?:by|:)\s*[A-Z©][\w.'&-]*"
                         r"(?:(?:\s*[/,|]\s*|\s+|\s+(?:for|via|and)\s+)[A-Z©][\w.'&-]*){0,6}|©.{1,60})\)?$")


# The site speaking of itself, not of the news: newsletter prompts, notes to readers, subscription pleas
# ("While we paused regular publication on May 15, 2018, ...", "Sign up for our Monday briefing").
SITE_VOICE = Caseless(
    r"\b(?:we|our|us)\b[^.;!?]{0,80}\b(?:newsletters?|inbox|subscri(?:be|bers?|ptions?)|sign(?:ing)? up|website|"
    r"readers|journalism|reporting|archives?|podcasts?|(?:regular |print )?publication|donat(?:e|ions?)|"
    r"membership|paywall|cookies)\b")
# Every match of SITE_VOICE holds one of these: a plain substring test spares most sentences the pattern.
SITE_NOUNS = ("newsletter", "inbox", "subscri", "sign up", "signing up", "website", "readers", "journalism",
              "reporting", "archive", "podcast", "publication", "donat", "membership", "paywall", "cookies")
# A line opening as a prompt or a widget. One "^" in front of the alternation, so only the start is tried.
SITE_PROMPT = Caseless(
    r"^(?:(?:sign up|subscribe|join|follow|download|register|get)\b[^.;!?]{0,80}\b(?:newsletters?|inbox|e-?mails?|"
    r"briefings?|app|podcasts?)\b"
    r"|(?:most (?:popular|read|viewed|shared|watched)|trending|top stories|editor['’]?s picks)\b)")
# A heading that names the page's own day: "Executive Summary for September 19th", "Daily Brief: 20 Sept".
PAGE_NOUN_BEFORE = re.compile(
    r"\b(?:summary|summaries|updates?|briefing|brief|digest|round-?up|newsletter|edition|bulletin|sitrep|"
    r"situation report|recap|wrap|live blog|podcast|episode)\s*(?:for|of|on|from)?\s*[:|,–—-]?\s*$", re.IGNORECASE)
PAGE_HEADING_TAIL_WORDS = 3  # a word or two after the date ("Executive Summary for September 19th, 2016")


def speaks_as_site(text: str) -> bool:
    """The site speaking of itself: its dates are the site's history, no clue to the story's day."""
    lowered = text.lower()
    if SITE_PROMPT.search(text, lowered) is not None:
        return True
    if SITE_VOICE.runs_fast(text, lowered) and not any(noun in lowered for noun in SITE_NOUNS):
        return False
    return SITE_VOICE.search(text, lowered) is not None


def is_site_furniture(sentence: Sentence) -> bool:
    """A sentence of the site's own voice, or a heading naming the page's day: it reports no event."""
    if sentence.site_voice:
        return True
    if is_prose(sentence.text):
        return False
    dated = [e for e in sentence.expressions if e.kind in published.ABSOLUTE_KINDS]
    return bool(dated) and (PAGE_NOUN_BEFORE.search(sentence.text, 0, dated[0].start) is not None
                            and len(sentence.text[dated[-1].end:].split()) <= PAGE_HEADING_TAIL_WORDS)


def captions(sentences: list[Sentence]) -> set[int]:
    """The positions of the sentences that caption a photograph: by their words, or by the credit after them."""
    found = {i for i, s in enumerate(sentences) if _has_caption_words(s.text)}
    for i in range(1, len(sentences)):
        if CREDIT_LINE.match(sentences[i].text):
            found |= {i - 1, i}
    return found
