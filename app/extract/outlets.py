"""Which outlet published an article, from the page's own marks; never the outlet it quotes.

Three answers: the host (the site whose page it is: a catalogued outlet, else a publisher named by the
page's own marks), and the wire agency whose copy it runs ("(Reuters) -", "/TASS/", "By AFP")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlparse

from app.extract import publishers
from app.extract.catalog import Catalog, OutletSpec
from app.extract.publishers import Evidence, PageMarks, compiled

K = TypeVar("K")
T = TypeVar("T")
TOP_LINES = 6  # a site's title bar and the story's credit sit in the first lines
TOP_CHARS = 2000  # ... within the page's first characters
STRONG = 5  # a mark only the outlet's own page carries
WEAK = 1  # a hint, e.g. "told RT": an interview the outlet did itself, but copyable
QUOTED = -4  # "RT reports:", "according to RT": somebody else's story
THRESHOLD = 2  # less than this is not enough to name an outlet


@dataclass(frozen=True)
class OutletGuess:
    slug: str | None
    basis: str | None
    name: str | None = None  # set for a publisher outside the catalogue (its slug is made from it)
    agency: str | None = None  # slug of the catalogued wire agency whose copy the article runs
    agency_basis: str | None = None

    @property
    def catalogued(self) -> bool:
        return self.slug is None or self.name is None


def detect_outlet(text: str, catalog: Catalog, *, url: str | None = None, site_name: str | None = None,
                  marks: PageMarks | None = None) -> OutletGuess:
    """The host with the evidence for it and the agency whose copy it runs; None where nothing convinces.
    url and site_name are the page metadata's; marks what the HTML page itself says (title, publisher)."""
    marks = marks or PageMarks()
    url = url or marks.canonical
    site_names = tuple(publishers.site_name(n) for n in (*marks.site_names, site_name)
                       if n and n.strip() and not publishers.is_domain(n))
    top = _top_lines(text, marks.title)
    agency = _agency(text, catalog)
    host = _catalogued_host(text, top, catalog, url, site_names)
    found = host or _publisher(text, top, url, site_names, catalog)
    if found is None and agency is not None:
        found = OutletGuess(agency.slug, f"wire copy: {agency.agency_basis}")
    if found is None:
        return OutletGuess(None, "no mark of a known outlet or publisher in the page",
                           agency=agency and agency.slug, agency_basis=agency and agency.agency_basis)
    return OutletGuess(found.slug, found.basis, found.name,
                       agency=agency and agency.slug, agency_basis=agency and agency.agency_basis)


def _top_lines(text: str, title: str | None) -> list[str]:
    lines = [" ".join(line.split()) for line in text.lstrip()[:TOP_CHARS].split("\n") if line.strip()]
    return ([title] if title else []) + lines[:TOP_LINES]


# --- the catalogue ---------------------------------------------------------------------------------


def _catalogued_host(text: str, top: list[str], catalog: Catalog, url: str | None,
                     site_names: tuple[str, ...]) -> OutletGuess | None:
    """The best-supported catalogued outlet as host. A page whose address is known is only ever the
    outlet of that address: a namesake elsewhere (guardian.ng is not the UK Guardian) is not it."""
    host = _host(url)
    if host:
        owner = next((o for o in catalog.outlets if _owns(o, host)), None)
        return OutletGuess(owner.slug, f"URL {url}") if owner else None
    best: tuple[int, OutletSpec, list[str]] | None = None
    lowered = text.lower()
    for outlet in _index(catalog).candidates(text, lowered, site_names):
        named_site = any(_is_site_name(outlet, n) for n in site_names)
        if not (named_site or _mentioned(outlet, text, lowered)):
            continue  # a page that never names an outlet and has no mark of it is not that outlet
        score, evidence = _score(outlet, text, top, site_names)
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, outlet, evidence)
    return OutletGuess(best[1].slug, "; ".join(best[2])) if best else None


def _names(outlet: OutletSpec) -> list[str]:
    return [outlet.name, *outlet.aliases]


SHORT_NAME = 3  # "RT", "AP", "BBC": such names count only in capitals


def _name_is_cased(name: str) -> bool:
    """Acronyms ("TASS", "SANA"), short names and one-word names ("Dawn", "Time") are the outlet's only
    as written (or in capitals): in lower case they are ordinary words ("at dawn", "Syrians")."""
    return len(name) <= SHORT_NAME or name.isupper() or " " not in name


MEMO_LIMIT = 4096  # entries per table; a catalogue has a few hundred outlets, tests build a few catalogues


def _by_identity(table: dict[int, tuple[K, T]], key: K, make: Callable[[K], T]) -> T:
    """make(key), kept per key object (an outlet, a catalogue's outlets): an lru_cache would hash the whole
    spec, marks and all, on each call."""
    entry = table.get(id(key))
    if entry is None or entry[0] is not key:
        if len(table) >= MEMO_LIMIT:
            table.clear()
        entry = table[id(key)] = (key, make(key))
    return entry[1]


_PATTERNS: dict[int, tuple[OutletSpec, str]] = {}
_REGEXES: dict[int, tuple[OutletSpec, re.Pattern[str]]] = {}
_SEARCHABLE: dict[int, tuple[OutletSpec, tuple[tuple[str, bool], ...]]] = {}


def _name_pattern(outlet: OutletSpec) -> str:
    return _by_identity(_PATTERNS, outlet, _make_name_pattern)


def _make_name_pattern(outlet: OutletSpec) -> str:
    names = []
    for name in sorted(_names(outlet), key=len, reverse=True):  # the longest alias first: "BBC World News"
        if _name_is_cased(name):
            names.append(re.escape(name) if name.isupper() else f"(?:{re.escape(name)}|{re.escape(name.upper())})")
        else:
            names.append(f"(?i:{re.escape(name)})")
    # Look-arounds rather than \b: names may end in "!" or ".", where \b never matches.
    return r"(?<![\w@.-])(?:" + "|".join(names) + r")(?!\w)"


def _name_regex(outlet: OutletSpec) -> re.Pattern[str]:
    return _by_identity(_REGEXES, outlet, lambda o: re.compile(_name_pattern(o)))


def _searchable_names(outlet: OutletSpec) -> tuple[tuple[str, bool], ...]:
    """(name, cased): a cased name as written, to find in the text; another lower-cased."""
    return _by_identity(_SEARCHABLE, outlet, lambda o: tuple(
        (name, True) if _name_is_cased(name) else (name.lower(), False) for name in _names(o)))


class _Index:
    """Which outlets a text may name, found from its words: the first two words of each of their names (as
    written for a cased name, and in capitals; lower-cased for another) and the hint words of their marks.
    One pass over a text's words costs a fraction of testing every name of every catalogued outlet."""

    def __init__(self, outlets: tuple[OutletSpec, ...]) -> None:
        self.outlets = outlets
        # A name's first word -> (its second word, or None for a one-word name; the outlet's position).
        self.cased: dict[str, list[tuple[str | None, int]]] = {}
        self.caseless: dict[str, list[tuple[str | None, int]]] = {}
        self.hints: dict[str, set[int]] = {}
        self.unhinted = {i for i, o in enumerate(outlets) if o.marks and not o.mark_hints}
        for i, outlet in enumerate(outlets):
            for name, cased in _searchable_names(outlet):
                for variant in ((name, name.upper()) if cased else (name,)):
                    words = WORD.findall(variant)
                    if words:
                        second = words[1] if len(words) > 1 else None
                        (self.cased if cased else self.caseless).setdefault(words[0], []).append((second, i))
            for word in outlet.mark_hints:
                self.hints.setdefault(word, set()).add(i)

    def named(self, text: str) -> list[OutletSpec]:
        """The outlets one of whose names' first two words the text holds, in catalogue order."""
        return self._in_order(self._named(text))

    def candidates(self, text: str, lowered: str, site_names: tuple[str, ...]) -> list[OutletSpec]:
        """The outlets the text names, those whose marks it may carry (a hint word of theirs is in it) and
        those the page's metadata names, in catalogue order."""
        found = self._named(text) | self.unhinted
        for name in site_names:
            found |= self._named(name)
        for word, owners in self.hints.items():
            if word in lowered:
                found |= owners
        return self._in_order(found)

    def _named(self, text: str) -> set[int]:
        words = WORD.findall(text)
        found: set[int] = set()
        for table, seen in ((self.cased, words), (self.caseless, [word.lower() for word in words])):
            for position, word in enumerate(seen):
                entries = table.get(word)
                if entries:
                    following = seen[position + 1] if position + 1 < len(seen) else None
                    found.update(i for second, i in entries if second is None or second == following)
        return found

    def _in_order(self, indices: set[int]) -> list[OutletSpec]:
        return [self.outlets[i] for i in sorted(indices)]


WORD = re.compile(r"[\w'’]+")


_INDEXES: dict[int, tuple[tuple[OutletSpec, ...], _Index]] = {}


def _index(catalog: Catalog) -> _Index:
    return _by_identity(_INDEXES, catalog.outlets, _Index)


def _mentioned(outlet: OutletSpec, text: str, lowered: str) -> bool:
    """Whether the page names the outlet or may carry one of its marks: plain substring tests first."""
    named = any(name in (text if cased else lowered) or (cased and name.upper() in text)
                for name, cased in _searchable_names(outlet))
    if named and _name_regex(outlet).search(text):
        return True
    hinted = not outlet.mark_hints or any(word in lowered for word in outlet.mark_hints)
    return hinted and any(mark.search(text) for mark in outlet.marks)


def _is_site_name(outlet: OutletSpec, site_name: str) -> bool:
    return _name_regex(outlet).fullmatch(site_name.strip()) is not None


def _score(outlet: OutletSpec, text: str, top: list[str], site_names: tuple[str, ...]) -> tuple[int, list[str]]:
    score, evidence = 0, []
    name = _name_pattern(outlet)

    def add(points: int, why: str) -> None:
        nonlocal score
        score += points
        evidence.append(why)

    named = next((n for n in site_names if _is_site_name(outlet, n)), None)
    if named:
        add(STRONG * 2, f"page metadata names the site '{named}'")
    for mark in outlet.marks:
        found = mark.search(text)
        if found and not publishers.is_photo_credit(text, found.start(), found.end()):
            add(STRONG, f"page carries '{found.group(0)}'")
            break
    for line in top:
        why = _top_line_mark(name, line)
        if why:
            add(STRONG, f"{why} '{line[:80]}'")
            break
    for credit in publishers.credit_lines(text, name):
        add(STRONG, credit)
        break
    _interviews_and_quotes(name, text, add)
    return score, evidence


# Around a mention of an outlet: the outlet's own interview or reporter, or somebody quoting it.
OWN_BEFORE = re.compile(r"\b(?:told|confirmed to|in an interview with|speaking to|said to)\s+$")
OWN_AFTER = re.compile(r"^'s\s+[A-Z]\w+\s+[A-Z]\w+,\s+reporting\b")
QUOTED_BEFORE = re.compile(r"\b(?:according to|as cited by|cited by|quoted by|reported by|via|citing|"
                           r"quoting)\s+(?:the\s+)?$", re.IGNORECASE)
QUOTED_AFTER = re.compile(r"^\s+(?:reports?|reported|cited|quoted|says|said|news agency reported|"
                          r"agency (?:said|reported))\b\s*:?")
CONTEXT_CHARS = 40  # how far around a mention its markers are looked for


def _top_line_mark(name: str, line: str) -> str | None:
    """How a line at the top of the page names its own outlet, if it does."""
    if compiled(name + r"(?:\s+(?i:news|online|english))?").fullmatch(line):
        return "masthead"
    if compiled(name + r"\s*[-–—|]\s*\S").match(line):  # not ":", which opens a quoted headline ("Kremlin: ...")
        return "title or credit line"
    suffix = compiled(r"\s[|–—-]\s*" + name + r"[^|]{0,20}$").search(line)
    if suffix and not publishers.is_photo_credit(line, suffix.start(), suffix.end()):
        return "title suffix"
    return None


def _interviews_and_quotes(name: str, text: str, add) -> None:
    own, quoted = [], []
    for mention in compiled(name).finditer(text):
        before = text[max(0, mention.start() - CONTEXT_CHARS):mention.start()]
        after = text[mention.end():mention.end() + CONTEXT_CHARS]
        own_before, own_after = OWN_BEFORE.search(before), OWN_AFTER.match(after)
        if own_before:
            own.append(" ".join((own_before.group(0) + mention.group(0)).split()))
        elif own_after:
            own.append(mention.group(0) + own_after.group(0))
        if QUOTED_BEFORE.search(before) or QUOTED_AFTER.match(after):
            quoted.append(mention.group(0))
    if own:
        add(WEAK * min(len(own), 2), f"its own interview or reporter ('{own[0]}')")
    if quoted:
        add(QUOTED, f"quotes it ('{quoted[0]}' cited as a source)")


def _host(url: str | None) -> str:
    return (urlparse(url).hostname or "").lower().removeprefix("www.") if url else ""


def _owns(outlet: OutletSpec, host: str) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in outlet.domains)


# --- wire agencies ---------------------------------------------------------------------------------


def _agency(text: str, catalog: Catalog) -> OutletGuess | None:
    """The outlet whose wire credit opens the story, with the credit: the first one found."""
    searched = publishers.opening(text) + "\n" + publishers.closing(text)
    lowered = searched.lower()
    best: tuple[int, OutletSpec, str] | None = None
    for outlet in _index(catalog).named(searched):
        if not _any_name_in(outlet, searched, lowered):
            continue
        found = publishers.wire_credit(text, _name_pattern(outlet), agency=outlet.agency)
        if found and (best is None or found.start < best[0]):
            best = (found.start, outlet, found.why)
    return OutletGuess(best[1].slug, None, agency=best[1].slug, agency_basis=best[2]) if best else None


def _any_name_in(outlet: OutletSpec, text: str, lowered: str) -> bool:
    """A plain substring test in front of the outlet's credit patterns."""
    return any((name in text or name.upper() in text) if cased else name in lowered
               for name, cased in _searchable_names(outlet))


# --- publishers outside the catalogue ---------------------------------------------------------------


def _publisher(text: str, top: list[str], url: str | None, site_names: tuple[str, ...],
               catalog: Catalog) -> OutletGuess | None:
    """A publisher the catalogue does not know, named by the page's own marks; its domain, failing all."""
    found: Evidence | None = None
    if site_names:
        found = Evidence(site_names[0], f"page metadata names the site '{site_names[0]}'")
    found = found or publishers.named_by_marks(text, top)
    host = _host(url)
    if found is None and host:
        found = Evidence(host, f"URL {url}")
    if found is None:
        return None
    known = _catalogued_name(found.name, catalog)
    if known and not host:
        return OutletGuess(known.slug, found.why)
    name = found.name
    if known or catalog.outlet(publishers.slug_for(name)) is not None:
        # A namesake of a catalogued outlet at another address: named apart, so neither is taken for the other.
        name = f"{name} ({host or 'not in the catalogue'})"
    return OutletGuess(publishers.slug_for(name), found.why, name=name)


def _catalogued_name(name: str, catalog: Catalog) -> OutletSpec | None:
    return next((o for o in catalog.outlets if _is_site_name(o, name)), None)
