"""The curated catalogues (milestones, outlets) and the optional manifest, read from TOML in seeds/."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

from app.extract.caseless import Caseless
from app.extract.types import KINDS, UNKNOWN_OUTLET_SLUG, KnownMeta
from app.wordhints import required_words, second_required_words

MILESTONES_FILE = "milestones.toml"
OUTLETS_FILE = "outlets.toml"
MANIFEST_FILE = "manifest.toml"
PARTIES_FILE = "parties.toml"
# Files in seeds/ that are catalogues, not articles.
CATALOGUE_FILES = frozenset({MILESTONES_FILE, OUTLETS_FILE, MANIFEST_FILE, PARTIES_FILE})


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

    def may_match(self, lowered: str) -> bool:
        return not self.hints or any(word in lowered for word in self.hints)



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

    @cached_property
    def hint_words(self) -> tuple[str, ...]:
        return tuple(sorted({word for m in self.milestones for word in m.hints}))

    def hints_in(self, lowered: str) -> set[str]:
        """The milestones' hint words the lower-cased sentence holds: one pass for all the milestones."""
        return {word for word in self.hint_words if word in lowered}

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

    def milestone(self, slug: str) -> MilestoneSpec | None:
        return next((m for m in self.milestones if m.slug == slug), None)

    def outlet(self, slug: str) -> OutletSpec | None:
        return next((o for o in self.outlets if o.slug == slug), None)


def _patterns(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


def _matchers(items: list[str]) -> tuple[Caseless, ...]:
    """Case-insensitive patterns whose matches are only located, never quoted (see Caseless)."""
    return tuple(Caseless(p) for p in items)


def _milestone(entry: dict) -> MilestoneSpec:
    if entry["kind"] not in KINDS:
        raise ValueError(f"milestone {entry['slug']}: unknown kind {entry['kind']!r}")
    phrases, references = entry.get("phrases", []), entry.get("references", [])
    return MilestoneSpec(
        slug=entry["slug"], date=entry["date"], kind=entry["kind"], title=entry["title"],
        summary=entry["summary"], sources=tuple(entry.get("sources", ())),
        phrases=_matchers(phrases), references=_matchers(references),
        phrase_hints=tuple(required_words([p]) for p in phrases),
        reference_hints=tuple(required_words([p]) for p in references),
        phrase_also=tuple(second_required_words(p) for p in phrases),
        reference_also=tuple(second_required_words(p) for p in references),
        hints=required_words(phrases + references),
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


def _parties(folder: Path) -> tuple[Party, ...]:
    path = folder / PARTIES_FILE
    if not path.is_file():
        return ()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        # Look-arounds rather than \b: "U.S." ends in a full stop, where \b never matches.
        Party(p["slug"], p["name"], re.compile(r"(?<!\w)(?:" + "|".join(p["names"]) + r")(?!\w)", re.IGNORECASE))
        for p in data["party"]
    )


def load_catalog(folder: Path) -> Catalog:
    milestones = tomllib.loads((folder / MILESTONES_FILE).read_text(encoding="utf-8"))
    outlets = tomllib.loads((folder / OUTLETS_FILE).read_text(encoding="utf-8"))
    window = milestones["window"]
    return Catalog(
        milestones=tuple(sorted((_milestone(m) for m in milestones["milestone"]), key=lambda m: m.date)),
        outlets=tuple(_outlet(o) for o in outlets["outlet"]),
        agreement=window["agreement"], truce_start=window["truce_start"],
        window_start=window["start"], window_end=window["end"],
        in_force=_matchers(window.get("in_force", [])), parties=_parties(folder),
    )


def load_manifest(folder: Path) -> dict[str, KnownMeta]:
    """File name -> what the user knows about it; empty when the folder has no manifest."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: KnownMeta(outlet=entry.get("outlet"), url=entry.get("url"),
                        published=_manifest_date(name, entry.get("published")), title=entry.get("title"))
        for name, entry in data.get("file", {}).items()
    }


def _manifest_date(name: str, value: object) -> dt.date | None:
    """TOML's bare date, or the same written as a string ("2016-09-18")."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"manifest entry {name!r}: published must be a date like 2016-09-18, "
                         f"not {value!r}") from None
