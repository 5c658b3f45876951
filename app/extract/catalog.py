"""The curated catalogues (milestones, outlets, parties) as the rules extraction reads: built from their TOML
tables, which app.store.seedfiles reads from seeds/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

from app.extract.caseless import Caseless
from app.extract.types import KINDS, UNKNOWN_OUTLET_SLUG
from app.extract.wordhints import required_words, second_required_words


@dataclass(frozen=True)
class MilestoneSpec:
    slug: str
    date: dt.date
    kind: str
    title: str
    summary: str
    sources: tuple[str, ...]
    phrases: tuple[Caseless, ...]  # any match in a sentence signals this milestone
    # Words that refer to the milestone as a standing thing ("the Geneva agreement"): they date it
    # only next to a date of their own; alone they are not a report of the event.
    references: tuple[Caseless, ...] = ()
    # Per pattern, words one of which any of its matches contains (empty: no such word, always run it);
    # a sentence holding none of a pattern's words is not searched with it.
    phrase_hints: tuple[frozenset[str], ...] = ()
    reference_hints: tuple[frozenset[str], ...] = ()
    # Per pattern, a second such set of words, from another part of it (empty: none): "(ceasefire|truce)
    # ... (began|started)" need not run on every sentence naming the truce. Tested only once the hint
    # words are there, so it costs nothing on the sentences passed over; more sets would filter little more.
    phrase_also: tuple[frozenset[str], ...] = ()
    reference_also: tuple[frozenset[str], ...] = ()
    # The same for the milestone as a whole: a sentence with none of these is passed over at once.
    hints: frozenset[str] = frozenset()
    # Other days a text may give it ("announced on September 10": late on the 9th in Geneva, the 10th in
    # Damascus): a date among these, or the date itself, is this milestone's.
    also_dated: tuple[dt.date, ...] = ()

    @property
    def named(self) -> str:
        """How a sentence of reasoning names it: as the catalogue writes its title, which is no quotation."""
        return f"the milestone {self.title}"

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day a text may date it on, its own date first."""
        return (self.date, *self.also_dated)

    def may_match(self, lowered: str) -> bool:
        return not self.hints or any(word in lowered for word in self.hints)



HINT_RUN = re.compile(r"[\w.'’-]+")  # what a milestone's hint words are made of
HINT_RUNS_KEPT = 50_000  # distinct runs of a corpus's sentences, their words; past this the memo starts again


@dataclass(frozen=True)
class OutletSpec:
    slug: str
    name: str
    homepage: str
    description: str
    aliases: tuple[str, ...]  # other names the outlet goes by ("Russia Today")
    marks: tuple[re.Pattern[str], ...]  # patterns only the outlet's own pages carry
    mark_hints: frozenset[str] = frozenset()  # words one of which any mark's match contains
    domains: tuple[str, ...] = ()  # hosts of its own pages, the homepage's among them
    country: str | None = None
    agency: bool = False  # a wire agency, whose copy other outlets run


@dataclass(frozen=True)
class Party:
    """A side of the conflict and the names that stand for it, for claims of blame."""

    slug: str
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Catalog:
    milestones: tuple[MilestoneSpec, ...]
    outlets: tuple[OutletSpec, ...]
    agreement: dt.date  # the day the deal was struck
    truce_start: dt.date  # day 1 of the truce
    window_start: dt.date  # the timeline's frame
    window_end: dt.date
    in_force: tuple[Caseless, ...]  # wording that presumes the truce is in force
    parties: tuple[Party, ...] = ()
    truce_began_at: dt.time | None = None  # the hour on truce_start it began, from which its mornings count

    @cached_property
    def hint_words(self) -> tuple[str, ...]:
        """The milestones' hint words and their patterns' second words (MilestoneSpec.phrase_also)."""
        return tuple(sorted({word for m in self.milestones for word in m.hints}
                            | {word for m in self.milestones for words in m.phrase_also + m.reference_also
                               for word in words}))

    def hints_in(self, lowered: str) -> set[str]:
        """The hint words the lower-cased sentence holds: one pass for all the milestones. A hint
        word made of word characters, '.', "'" and '-' lies inside one run of such characters, and the few
        hundred runs that make up most sentences ("the", "truce") are each tested against the words once."""
        runs_in, others = self._hint_words_by_run
        found: set[str] = {word for word in others if word in lowered}
        memo = self._hints_by_run
        if len(memo) > HINT_RUNS_KEPT:
            memo.clear()
        for run in set(HINT_RUN.findall(lowered)):
            words = memo.get(run)
            if words is None:
                words = memo[run] = frozenset(word for word in runs_in if word in run)
            found |= words
        return found

    @cached_property
    def _hint_words_by_run(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the hint words that fit in a run, the others)."""
        fits = tuple(word for word in self.hint_words if HINT_RUN.fullmatch(word))
        return fits, tuple(word for word in self.hint_words if word not in fits)

    @cached_property
    def _hints_by_run(self) -> dict[str, frozenset[str]]:
        return {}  # filled by hints_in: the catalogue's words never change, so neither does a run's answer

    @cached_property
    def _milestones_by_hint(self) -> dict[str, frozenset[int]]:
        return {word: frozenset(i for i, m in enumerate(self.milestones) if word in m.hints)
                for word in self.hint_words}

    @cached_property
    def _unhinted_milestones(self) -> frozenset[int]:
        return frozenset(i for i, m in enumerate(self.milestones) if not m.hints)

    def milestones_hinted(self, present: set[str]) -> list[MilestoneSpec]:
        """The milestones that may match a sentence holding these hint words (Catalog.hints_in), in catalogue
        order: those with no hints, and those with one of the words; found from the few words present."""
        hinted = self._unhinted_milestones.union(*(self._milestones_by_hint[word] for word in present))
        return [self.milestones[i] for i in sorted(hinted)]

    def outlet(self, slug: str) -> OutletSpec | None:
        return self._outlets_by_slug.get(slug)

    @cached_property
    def _outlets_by_slug(self) -> dict[str, OutletSpec]:
        by_slug: dict[str, OutletSpec] = {}
        for outlet in self.outlets:
            by_slug.setdefault(outlet.slug, outlet)  # the first of a slug, as a search in order finds it
        return by_slug


def _patterns(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


def _matchers(items: list[str]) -> tuple[Caseless, ...]:
    """Case-insensitive patterns whose matches are only located, never quoted (see Caseless)."""
    return tuple(Caseless(p) for p in items)


WORD_CLASS = re.compile(r"\{([a-z_]+)\}")  # "{truce}" in a phrase; "{0,40}" stays a repeat


def expand_words(pattern: str, words: dict[str, str]) -> str:
    """The pattern with each "{name}" replaced by the [words] table's alternation of that name, so that
    every phrase spells "cease-fire", "ceasefire" and "cease fire" alike."""
    def replace(found: re.Match[str]) -> str:
        if found.group(1) not in words:
            raise ValueError(f"milestone phrase {pattern!r}: no word class {found.group(1)!r} in [words]")
        return f"(?:{words[found.group(1)]})"
    return WORD_CLASS.sub(replace, pattern)


def _milestone(entry: dict, words: dict[str, str]) -> MilestoneSpec:
    if entry["kind"] not in KINDS:
        raise ValueError(f"milestone {entry['slug']}: unknown kind {entry['kind']!r}")
    phrases = [expand_words(p, words) for p in entry.get("phrases", [])]
    references = [expand_words(p, words) for p in entry.get("references", [])]
    return MilestoneSpec(
        slug=entry["slug"], date=entry["date"], kind=entry["kind"], title=entry["title"],
        summary=entry["summary"], sources=tuple(entry.get("sources", ())),
        phrases=_matchers(phrases), references=_matchers(references),
        phrase_hints=tuple(required_words([p]) for p in phrases),
        reference_hints=tuple(required_words([p]) for p in references),
        phrase_also=tuple(second_required_words(p) for p in phrases),
        reference_also=tuple(second_required_words(p) for p in references),
        hints=required_words(phrases + references), also_dated=tuple(entry.get("also_dated", ())),
    )


def _outlet(entry: dict) -> OutletSpec:
    if entry["slug"] == UNKNOWN_OUTLET_SLUG:
        raise ValueError(f"outlet slug {UNKNOWN_OUTLET_SLUG!r} is reserved for reports whose outlet is unknown")
    homepage = entry.get("homepage", "")
    domains = [d.lower().removeprefix("www.") for d in entry.get("domains", [])]
    home_host = (urlparse(homepage).hostname or "").removeprefix("www.")
    if home_host and home_host not in domains:
        domains.insert(0, home_host)
    return OutletSpec(
        slug=entry["slug"], name=entry["name"], homepage=homepage,
        description=entry.get("description", ""), aliases=tuple(entry.get("aliases", ())),
        marks=_patterns(entry.get("marks", [])), mark_hints=required_words(entry.get("marks", [])),
        domains=tuple(domains), country=entry.get("country"), agency=bool(entry.get("agency", False)),
    )


def party(entry: dict) -> Party:
    # Look-arounds rather than \b: "U.S." ends in a full stop, where \b never matches.
    names = re.compile(r"(?<!\w)(?:" + "|".join(entry["names"]) + r")(?!\w)", re.IGNORECASE)
    return Party(entry["slug"], entry["name"], names)


def catalog_from_tables(milestones: dict, outlets: dict, parties: dict | None = None) -> Catalog:
    """The catalogue from its TOML tables, as parsed (app.store.seedfiles reads the files)."""
    window = milestones["window"]
    words = milestones.get("words", {})
    return Catalog(
        milestones=tuple(sorted((_milestone(m, words) for m in milestones["milestone"]), key=lambda m: m.date)),
        outlets=tuple(_outlet(o) for o in outlets["outlet"]),
        agreement=window["agreement"], truce_start=window["truce_start"],
        window_start=window["start"], window_end=window["end"],
        in_force=_matchers([expand_words(p, words) for p in window.get("in_force", [])]),
        parties=tuple(party(p) for p in (parties or {}).get("party", [])),
        truce_began_at=window.get("truce_began_at"),
    )
