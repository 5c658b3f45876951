"""What a sentence reports: the milestones it names, the kind of event, whether it is hypothetical,
and who is speaking. Pure functions over one sentence (and the catalogue)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from app.extract.caseless import Caseless
from app.extract.catalog import Catalog, MilestoneSpec

# Words that make what follows them, in the same clause, a possibility or an aim rather than a fact ("hopes of
# reaching a deal", "efforts to restore the truce").
CONDITIONAL = Caseless(
    r"\b(if|unless|would have|could|might|whether|in case|threaten\w*|may|should|nearly|almost|close to|"
    r"(?:hopes?|hoping) (?:of|for|to)|(?:efforts?|attempts?|attempting|trying|tries|try|seeks?|seeking|bid|aims?|"
    r"aiming|wants?|wanted|plans?|proposals?) to)\b")
# Words that put it ahead of the text's day: not yet a fact, but a time set ("the truce will take effect at
# sundown on Monday", "the next meeting"). With its own date, a milestone so told is that milestone, scheduled.
FUTURE_MARKERS = Caseless(r"\b(will|would|next(?! to)|upcoming|forthcoming)\b")
HYPOTHETICAL_REACH = 45  # characters before a phrase in which a conditional word governs it
FUTURE = Caseless(r"\b(will|is due to|are due to|is expected to|are expected to|is scheduled|"
                  r"are scheduled|plans? to|next|upcoming|is set to|are set to)\b")
FUTURE_REACH = 60  # characters before an expression in which a future marker governs it
# Words that set a time rather than tell what happened at it: "a truce starting on Monday", "effective from
# sundown on Monday", "due to expire on Friday", "until 23:59 on Sunday", and the future of reported speech
# ("said it would expire on Sunday", said days before or after). Such a time may lie on either side of
# publication.
SCHEDULED = Caseless(r"\b(would(?! have)|starting|beginning|effective|due|set to|scheduled|slated|expir\w*|"
                     r"runs? out|running out|until|till|deadline|"
                     r"to (?:begin|start|end|take effect|come into (?:effect|force)))\b")
SCHEDULED_REACH = 40  # characters before an expression in which such a word sets it
# Verbs of saying, as they date a statement: "said on Thursday", "on Saturday Putin asked".
SPEECH_VERBS = (r"said|says|saying|told|tells|added|adds|noted|notes|stressed|asked|confirmed|explained|"
                r"warned|insisted|acknowledged|reiterated|pointed out|criticized|criticised|complained|"
                r"accused|cited|quoted|argued|claimed|announced|declared|denied|urged|wrote|broadcast|"
                r"reported|stated|remarked|emphasized|emphasised|commented|revealed|suggested|condemned|"
                r"blamed|blames|rejected|dismissed")
SPEECH = Caseless(r"\b(" + SPEECH_VERBS + r")\b")
# A statement dated by publication: the simple past of saying, not a habit ("has repeatedly complained").
REPORTED_SPEECH = Caseless(
    r"(?<!\bhas )(?<!\bhave )(?<!\bhad )\b(said|told|added|noted|stressed|asked|confirmed|explained|warned|"
    r"insisted|acknowledged|reiterated|pointed out|accused|cited|argued|claimed|denied|urged)\b")
SPEECH_REACH = 25  # characters between a time expression and the verb of saying it dates
ATTRIBUTIVE = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+$", re.IGNORECASE)  # a date before its noun
NON_DATING_SPEECH = re.compile(r"\b(announced|declared)\b", re.IGNORECASE)  # these are events themselves
CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|although|though)\b|\band\s+(?=yesterday|today|"
                          r"on\s+[A-Z]|last\s+week)")
DEFINITE_DEAL = Caseless(r"\bthe\s+(?:[\w-]+\s+){0,3}(deal|agreement|ceasefire|truce|arrangement)s?\b")

KIND_LEXICON: tuple[tuple[str, Caseless], ...] = (
    ("violation_claim", Caseless(
        r"\bviolat\w*|\bbreach\w*|\b(only|not)\b.{0,60}\b(observ|abid|adher|respect|implement|fulfil)\w*|"
        r"\bregime of silence\b|\bshelling\b|\bceasefire breaches\b")),
    ("aid_access", Caseless(
        r"\b(aid|humanitarian|relief)\b.{0,40}\b(access|deliver\w*|reach|enter|allowed|blocked|pass)\b")),
    ("un_security_council", Caseless(r"\bsecurity council\b")),
    ("talks", Caseless(r"\b(talks|negotiat\w*|phone call|telephone|met with|meeting|consultations|"
                       r"nearly reached|reviv\w*)\b")),
)

NAME_WORD = r"(?:(?:al|el|bin|ibn|de|van|von)-?\s?)?[A-Z][\w’'-]*\.?"
NAME_RUN = re.compile(r"(?:" + NAME_WORD + r"\s+){0,5}" + NAME_WORD)
PRONOUNS = frozenset({"he", "she"})
# Words that stand before a person's name; the name is what follows the last of them.
PERSON_TITLES = frozenset("""
president minister spokesman spokeswoman spokesperson general major-general lieutenant-general colonel
secretary ambassador envoy adviser advisor official commander sheikh king prince emir leader chief
premier chancellor mr mrs ms dr sen rep gen col maj lt capt state
""".split())
LEADING_NOISE = frozenset({"the", "a", "an", "but", "and", "meanwhile", "however", "also", "then", "in",
                           "on", "after", "according", "while", "as", "when", "monday", "tuesday", "wednesday",
                           "thursday", "friday", "saturday", "sunday", "earlier", "later", "last", "so"})
INSTITUTION_WORDS = frozenset({"ministry", "department", "office", "council", "army", "forces", "government",
                               "kremlin", "pentagon", "military", "command", "agency", "committee"})
NOT_NAMES = frozenset({"It", "This", "That", "There", "They", "We", "I", "You", "He", "She", "Such"})
# Between a name and its verb: "Peskov also said", "Lavrov later told".
ADVERBS = r"(?:\s+(?:also|later|earlier|again|then|has|had|have|reportedly|further|once more|previously))*"
# Verbs after which a name is the speaker ("said Konashenkov"); after "told" or "accused" it is not.
SPEAKER_AFTER = re.compile(r"^(said|says|added|asked|wrote|cited|quoted)$", re.IGNORECASE)


@dataclass(frozen=True)
class PhraseMatch:
    milestone: MilestoneSpec
    start: int
    end: int
    hypothetical: bool
    reference: bool = False  # names the milestone as a standing thing, not the event
    # Hypothetical only by a future marker ("will take effect on Monday"): a time set ahead, which dates the
    # milestone when its own date is the milestone's (reports.py); alone it names nothing yet.
    scheduled: bool = False


def milestone_matches(sentence: str, catalog: Catalog) -> list[PhraseMatch]:
    """Every milestone a phrase in the sentence signals, with where it was said: per milestone the leftmost
    phrase that no other milestone of its kind claims more fully."""
    lowered = sentence.lower()
    present = catalog.hints_in(lowered)
    found: list[_Span] = []
    for milestone in catalog.milestones_hinted(present):
        spans = phrase_spans(milestone.phrases, milestone.phrase_hints, sentence, lowered, present,
                             milestone.phrase_also)
        reference = not spans
        if reference and milestone.references:
            spans = phrase_spans(milestone.references, milestone.reference_hints, sentence, lowered, present,
                                 milestone.reference_also)
        found.extend(_Span(milestone, start, end, reference) for start, end in spans)
    kept: dict[str, list[_Span]] = {}
    for span in _unclaimed(found):
        kept.setdefault(span.milestone.slug, []).append(span)
    return sorted((_chosen(sentence, spans) for spans in kept.values()), key=lambda m: (m.start, m.end))


class _Span(NamedTuple):
    milestone: MilestoneSpec
    start: int
    end: int
    reference: bool


def _chosen(sentence: str, spans: list[_Span]) -> PhraseMatch:
    """Of one milestone's phrases, leftmost first, the first told as a fact, else the leftmost: in "the raid
    near Deir ez-Zor may have hit Syrian troops" the place names the strike though the longer phrase is
    only a possibility. (Whether a phrase is hypothetical is only worked out until one is not.)"""
    first = None
    for span in spans:
        match = _phrase_match(span.milestone, sentence, span.start, span.end, span.reference)
        if not match.hypothetical:
            return match
        first = first or match
    assert first is not None
    return first


def _phrase_match(milestone: MilestoneSpec, sentence: str, start: int, end: int, reference: bool) -> PhraseMatch:
    words = _governing(sentence, start, end)  # as governed() reads them, sliced once for both tests
    conditional = CONDITIONAL.search(words) is not None
    future = not conditional and FUTURE_MARKERS.search(words) is not None
    return PhraseMatch(milestone, start, end, conditional or future, reference, scheduled=future)


def _unclaimed(found: list[_Span]) -> list[_Span]:
    """The spans no other milestone's span outdoes (_outdone): only milestones of one kind compete."""
    kinds = [span.milestone.kind for span in found]
    if len(set(kinds)) == len(kinds):
        return found
    return [span for span in found if not any(_outdone(span, other) for other in found)]


def _outdone(match: _Span, other: _Span) -> bool:
    """Whether another milestone of the same kind claims some of the same words with more of them: "the truce
    was extended by 48 hours" is the 48-hour extension, though "the truce was extended" could be either."""
    return (other.milestone.kind == match.milestone.kind and other.milestone is not match.milestone
            and other.reference == match.reference and other.start < match.end and match.start < other.end
            and other.end - other.start > match.end - match.start)


def phrase_spans(patterns: tuple[Caseless, ...], hints: tuple[frozenset[str], ...], sentence: str,
                 lowered: str, present: set[str], also: tuple[frozenset[str], ...]) -> list[tuple[int, int]]:
    """Where any of the patterns match, leftmost first (the earlier pattern first at one place), running only
    the patterns whose hint words the sentence holds (and, when the pattern runs the fast way, one of its
    words in also: MilestoneSpec.phrase_also). present: Catalog.hints_in, which holds both kinds of words."""
    found: list[tuple[int, int, int]] = []
    for order, pattern in enumerate(patterns):
        words, second = hints[order], also[order]
        if (words and words.isdisjoint(present)) or (
                second and second.isdisjoint(present) and pattern.runs_fast(sentence, lowered)):
            continue
        for match in pattern.finditer_in(sentence, lowered):
            found.append((match.start(), order, match.end()))
    if not found:
        return []
    found.sort()
    return [(start, end) for start, _, end in found]


def governed(words: Caseless, sentence: str, position: int, end: int | None = None) -> bool:
    """Whether one of the words stands before position in its clause, close by, or inside position:end."""
    return bool(words.search(_governing(sentence, position, end)))


def _governing(sentence: str, position: int, end: int | None = None) -> str:
    """The words that govern position: before it in its clause, close by, and position:end."""
    clause_start = clause_bounds(sentence, position)[0]
    return sentence[max(clause_start, position - HYPOTHETICAL_REACH):end or position]


def clause_bounds(sentence: str, position: int) -> tuple[int, int]:
    start, end = 0, len(sentence)
    for brk_start, brk_end in _clause_breaks(sentence):
        if brk_end <= position:
            start = brk_end
        elif brk_start >= position:
            end = brk_start
            break
    return start, end


@lru_cache(maxsize=256)  # one sentence's clauses are asked for again for each of its expressions and phrases
def _clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    return tuple(brk.span() for brk in CLAUSE_BREAK.finditer(sentence))


def is_future(sentence: str, start: int) -> bool:
    clause_start = clause_bounds(sentence, start)[0]
    return bool(FUTURE.search(sentence[max(clause_start, start - FUTURE_REACH):start]))


def is_scheduled(sentence: str, start: int) -> bool:
    clause_start = clause_bounds(sentence, start)[0]
    return bool(SCHEDULED.search(sentence[max(clause_start, start - SCHEDULED_REACH):start]))


CLAUSE_PUNCTUATION = re.compile(r"[,;:.]")


def dates_a_statement(sentence: str, start: int, end: int) -> bool:
    """True when the expression dates an act of saying: "said on Thursday", "on Saturday Putin asked".

    The verb must sit close by with no comma between: in "brokered on September 9, the spokesman
    said" the date belongs to the brokering, not to the saying."""
    if sentence[start:end].endswith(("'s", "’s")):
        return False  # "acknowledged Saturday's strike": the day is the strike's
    before = sentence[max(0, start - SPEECH_REACH):start]
    if ATTRIBUTIVE.search(before):
        return False  # "said the September 16 attacks were a crime": the date is the attacks'

    after = sentence[end:end + SPEECH_REACH]
    before_clause = CLAUSE_PUNCTUATION.split(before)[-1]
    after_clause = CLAUSE_PUNCTUATION.split(after)[0]
    before_verbs = SPEECH.finditer(before_clause)
    after_verbs = (m for m in SPEECH.finditer(after_clause) if not _passive(after_clause, m))
    return any(not NON_DATING_SPEECH.fullmatch(m.group(0)) for verbs in (before_verbs, after_verbs) for m in verbs)


PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _passive(text: str, verb: re.Match[str]) -> bool:
    """ "The bombing on Monday was condemned": a passive verb of saying after the date is about its subject."""
    return PASSIVE_BEFORE.search(text, 0, verb.start()) is not None


def kind_from_words(text: str, speech: bool) -> str:
    for kind, pattern in KIND_LEXICON:
        if pattern.search(text):
            return kind
    return "statement" if speech else "other"


def mentions_definite_deal(sentence: str) -> bool:
    return bool(DEFINITE_DEAL.search(sentence))


def presumes_truce_in_force(sentence: str, catalog: Catalog) -> bool:
    return any(p.search(sentence) for p in catalog.in_force)


def has_reported_speech(sentence: str) -> bool:
    return bool(REPORTED_SPEECH.search(sentence))


def find_speaker(sentence: str, previous: str | None) -> str | None:
    """Who says the sentence: a name next to a verb of saying; "he"/"she" is the previous speaker."""
    verbs = sorted(SPEECH.finditer(sentence), key=lambda v: v.group(0).lower() not in PLAIN_SAYING)
    for verb in verbs:  # "Russia accused X, Konashenkov said": the one who said it, not the one accused
        word = verb.group(0)
        if word.lower() in ("cited", "quoted"):  # "RT cited Putin as saying": Putin speaks
            name = _name_after(sentence[verb.end():])
        else:
            name = _name_before(sentence[:verb.start()])
            if name is None and SPEAKER_AFTER.match(word):
                name = _name_after(sentence[verb.end():])
        if name is None:
            continue
        return previous if name.lower() in PRONOUNS else name
    according = ACCORDING_TO.search(sentence) if "according to" in sentence else None
    return _clean_name(according.group(1)) if according else None


PLAIN_SAYING = frozenset({"said", "says", "told", "added", "saying"})  # attribution proper, tried first
NAME_CONTEXT = 160  # characters before a verb of saying in which its speaker is named
ACCORDING_TO = re.compile(r"\baccording to (" + NAME_RUN.pattern + r")")
TRAILING_ADVERBS = re.compile(ADVERBS + r"\s*$")
TRAILING_PRONOUN = re.compile(r"\b(he|she)\s*$", re.IGNORECASE)
TRAILING_ASIDE = re.compile(r",\s+(?!(?:al|el)-)[a-z][^,]*,\s*$")
TRAILING_COMMA = re.compile(r",\s*$")
TRAILING_NAME = re.compile(r"(" + NAME_RUN.pattern + r")\s*$")
LEADING_NAME = re.compile(r"\s+(" + NAME_RUN.pattern + r")\b")


def _name_before(text: str) -> str | None:
    text = TRAILING_ADVERBS.sub("", text[-NAME_CONTEXT:].rstrip())
    pronoun = TRAILING_PRONOUN.search(text)
    if pronoun:
        return pronoun.group(1).lower()
    # "Mohammed Jamjoom, reporting from Moscow, said": skip the lower-case aside.
    text = TRAILING_COMMA.sub("", TRAILING_ASIDE.sub("", text))
    run = TRAILING_NAME.search(text)
    return _clean_name(run.group(1)) if run else None


def _name_after(text: str) -> str | None:
    run = LEADING_NAME.match(text)
    return _clean_name(run.group(1)) if run else None


def _clean_name(run: str) -> str | None:
    words = [w.rstrip(".,") for w in run.split()]
    words = [w for w in words if not w.endswith(("-", "–"))] if words and words[0].endswith("-") else words
    while words and words[0].lower() in LEADING_NOISE:
        words.pop(0)
    titled = [i for i, w in enumerate(words) if w.lower() in PERSON_TITLES]
    if titled and titled[-1] < len(words) - 1:
        words = words[titled[-1] + 1:]
    possessive = [i for i, w in enumerate(words) if w.endswith(("'s", "’s"))]
    if possessive:
        rest = words[possessive[-1] + 1:]
        if len(rest) >= 2 and not any(w.lower() in INSTITUTION_WORDS for w in rest):
            words = rest
    if not words or words[0] in NOT_NAMES or words[-1] in NOT_NAMES:
        return None
    name = " ".join(words)
    return name if name[0].isupper() or name.startswith(("al-", "el-")) else None
