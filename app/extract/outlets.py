"""Which outlet published an article, from the page's own marks; never the outlet it quotes.

Three answers: the host (the site whose page it is: a catalogued outlet, else a publisher named by the
page's own marks), and the wire agency whose copy it runs ("(Reuters) -", "/TASS/", "By AFP")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlparse

from app.extract import publishers
from app.extract.caseless import caseless_view
from app.extract.catalog import Catalog, OutletSpec
from app.extract.publishers import Evidence, PageMarks
from app.extract.wordhints import required_words

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
        score, evidence = _score(outlet, text, top, site_names, lowered)
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
_OPEN_REGEXES: dict[int, tuple[OutletSpec, re.Pattern[str]]] = {}
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
    return NOT_AFTER_NAME_CHARACTER + "(?:" + "|".join(names) + r")(?!\w)"


NOT_AFTER_NAME_CHARACTER = r"(?<![\w@.-])"
NAME_CHARACTER = re.compile(r"[\w@.-]")


def _name_regex(outlet: OutletSpec) -> re.Pattern[str]:
    return _by_identity(_REGEXES, outlet, lambda o: re.compile(_name_pattern(o)))


def _open_name_regex(outlet: OutletSpec) -> re.Pattern[str]:
    """The name pattern without its opening look-behind: a look-behind in front keeps the regex engine from
    skipping ahead to where a name may start, which makes a search over an article several times slower."""
    return _by_identity(_OPEN_REGEXES, outlet, lambda o: re.compile(
        _name_pattern(o).removeprefix(NOT_AFTER_NAME_CHARACTER)))


def _name_starts(outlet: OutletSpec, text: str, *, overlapping: bool = False) -> Iterator[re.Match[str]]:
    """The matches of the outlet's name pattern in the text, as its finditer() gives them (or at every
    place it matches, overlapping ones too): the look-behind is tested on what the open pattern finds, and
    the pattern is only tried where one of the names is written, found by plain substring search."""
    regex, position = _open_name_regex(outlet), 0
    literals = _literal_names(outlet)
    lowered = caseless_view(text) if literals else None
    while True:
        if lowered is not None:
            start = _next_literal(literals, text, lowered, position)
            if start < 0:
                return
            found = regex.match(text, start)
            if found is None:
                position = start + 1
                continue
        else:
            found = regex.search(text, position)
            if found is None:
                return
            start = found.start()
        if start and NAME_CHARACTER.match(text, start - 1):
            position = start + 1
            continue
        yield found
        position = start + 1 if overlapping or found.end() == start else found.end()


_LITERALS: dict[int, tuple[OutletSpec, tuple[tuple[str, bool], ...]]] = {}


def _literal_names(outlet: OutletSpec) -> tuple[tuple[str, bool], ...]:
    """(name, cased) for every way the name pattern spells the outlet's names: a cased name as written and in
    capitals, another lower-cased, to find in the lower-cased text. Empty when a name ignoring case is not
    plain ASCII: letters beyond it may match it in ways lower-casing does not show."""
    def make(o: OutletSpec) -> tuple[tuple[str, bool], ...]:
        found: list[tuple[str, bool]] = []
        for name, cased in _searchable_names(o):
            if not cased and not name.isascii():
                return ()
            found.extend([(name, True), (name.upper(), True)] if cased else [(name, False)])
        return tuple(dict.fromkeys(found))
    return _by_identity(_LITERALS, outlet, make)


def _next_literal(literals: tuple[tuple[str, bool], ...], text: str, lowered: str, position: int) -> int:
    """The first place from position at which one of the names is written; -1 for none."""
    places = [(text if cased else lowered).find(name, position) for name, cased in literals]
    return min((place for place in places if place >= 0), default=-1)


def _searchable_names(outlet: OutletSpec) -> tuple[tuple[str, bool], ...]:
    """(name, cased): a cased name as written, to find in the text; another lower-cased."""
    return _by_identity(_SEARCHABLE, outlet, lambda o: tuple(
        (name, True) if _name_is_cased(name) else (name.lower(), False) for name in _names(o)))


def _hint_key(word: str) -> str:
    """A part of the hint word that is in every text holding it: an address's ending, else the word."""
    ending = word[word.rfind("."):] if "." in word else ""
    return ending if len(ending) >= MIN_HINT_KEY else word


MIN_HINT_KEY = 3  # ".ru": shorter endings (".") are in every text
WORD = re.compile(r"[\w'’]+")
# Outlets by one-word name, outlets by the first two words of a longer name, and those first words.
WordTables = tuple[dict[str, set[int]], dict[tuple[str, str], set[int]], set[str]]


class _Index:
    """Which outlets a text may name, found from its words: the first two words of each of their names (as
    written for a cased name, and in capitals; lower-cased for another) and the hint words of their marks.
    One pass over a text's words costs a fraction of testing every name of every catalogued outlet."""

    def __init__(self, outlets: tuple[OutletSpec, ...]) -> None:
        self.outlets = outlets
        # Outlets by their one-word names, by the first two words of their longer names, and those first
        # words: cased names as written and in capitals, others lower-cased.
        self.cased: WordTables = ({}, {}, set())
        self.caseless: WordTables = ({}, {}, set())
        self.hints: dict[str, set[int]] = {}
        self.unhinted = {i for i, o in enumerate(outlets) if o.marks and not o.mark_hints}
        self.not_ascii = {i for i, o in enumerate(outlets) if not _literal_names(o)}  # a caseless name not ASCII
        for i, outlet in enumerate(outlets):
            for name, cased in _searchable_names(outlet):
                single, double, firsts = self.cased if cased else self.caseless
                for variant in ((name, name.upper()) if cased else (name,)):
                    words = WORD.findall(variant)
                    if len(words) == 1:
                        single.setdefault(words[0], set()).add(i)
                    elif words:
                        double.setdefault((words[0], words[1]), set()).add(i)
                        firsts.add(words[0])
            for word in outlet.mark_hints:
                self.hints.setdefault(word, set()).add(i)
        # The hint words by a part of theirs, most of them addresses by their ending (".com", ".ru"): a
        # text without ".ru" holds none of the dozen addresses ending so, and is not searched for each.
        self.hint_groups: dict[str, list[tuple[str, set[int]]]] = {}
        for word, owners in self.hints.items():
            self.hint_groups.setdefault(_hint_key(word), []).append((word, owners))
        # Most keys are an address's ending, one dot and letters: one scan for them all (the longest first)
        # finds which endings the text holds. A key matched is there, and so is any key it begins with (".in"
        # in ".int"); the few other keys are plain substring tests.
        endings = sorted((key for key in self.hint_groups if key.startswith(".") and key.count(".") == 1),
                         key=len, reverse=True)
        self.endings = re.compile("|".join(map(re.escape, endings))) if endings else None
        self.ending_prefixes = {key: [e for e in endings if key.startswith(e)] for key in endings}
        self.other_keys = [key for key in self.hint_groups if key not in self.ending_prefixes]

    def named(self, text: str) -> list[OutletSpec]:
        """The outlets one of whose names' first two words the text holds, in catalogue order."""
        return self._in_order(self._named(text))

    def site_name_candidates(self, name: str) -> list[OutletSpec]:
        """The outlets a plain-ASCII name may be the whole name of: those the index finds in it, and those
        with a name that is not plain ASCII (ignoring case, "Ajansı" is also "AJANSI", which lower-casing
        does not show), in catalogue order."""
        return self._in_order(self._named(name) | self.not_ascii)

    def candidates(self, text: str, lowered: str, site_names: tuple[str, ...]) -> list[OutletSpec]:
        """The outlets the text names, those whose marks it may carry (a hint word of theirs is in it) and
        those the page's metadata names, in catalogue order."""
        found = self._named(text) | self.unhinted
        for name in site_names:
            found |= self._named(name)
        for key in self._keys_in(lowered):
            for word, owners in self.hint_groups[key]:
                if word is key or word in lowered:
                    found |= owners
        return self._in_order(found)

    def _keys_in(self, lowered: str) -> set[str]:
        """The hint groups' keys the lower-cased text holds."""
        keys = {key for key in self.other_keys if key in lowered}
        if self.endings is not None:
            keys.update(prefix for match in self.endings.finditer(lowered)
                        for prefix in self.ending_prefixes[match.group(0)])
        return keys

    def _named(self, text: str) -> set[int]:
        words = WORD.findall(text)
        # Lower-cased at once: words hold no space, so the split gives back one lower-cased word each.
        lowered = " ".join(words).lower().split(" ") if words else []
        found: set[int] = set()
        for (single, double, firsts), seen in ((self.cased, words), (self.caseless, lowered)):
            present = set(seen)
            for word in single.keys() & present:
                found |= single[word]
            starting = firsts & present  # no two-word name is there without its first word
            if starting:
                pairs = {pair for pair in zip(seen, seen[1:], strict=False) if pair[0] in starting}
                for pair in double.keys() & pairs:
                    found |= double[pair]
        return found

    def _in_order(self, indices: set[int]) -> list[OutletSpec]:
        return [self.outlets[i] for i in sorted(indices)]


_INDEXES: dict[int, tuple[tuple[OutletSpec, ...], _Index]] = {}


def _index(catalog: Catalog) -> _Index:
    return _by_identity(_INDEXES, catalog.outlets, _Index)


def _mentioned(outlet: OutletSpec, text: str, lowered: str) -> bool:
    """Whether the page names the outlet or may carry one of its marks: plain substring tests first."""
    named = any(name in (text if cased else lowered) or (cased and name.upper() in text)
                for name, cased in _searchable_names(outlet))
    if named and next(_name_starts(outlet, text), None):
        return True
    hinted = not outlet.mark_hints or any(word in lowered for word in outlet.mark_hints)
    return hinted and any(mark.search(text) for mark in outlet.marks)


_MARK_HINTS: dict[int, tuple[OutletSpec, tuple[tuple[re.Pattern[str], frozenset[str]], ...]]] = {}


def _marks_hinted(outlet: OutletSpec, lowered: str) -> list[re.Pattern[str]]:
    """The outlet's marks that may match the text: those one of whose own hint words (as mark_hints, per
    mark) the lower-cased text holds, or that have none."""
    marks = _by_identity(_MARK_HINTS, outlet, lambda o: tuple((m, required_words([m.pattern])) for m in o.marks))
    return [mark for mark, words in marks if not words or any(word in lowered for word in words)]


def _is_site_name(outlet: OutletSpec, site_name: str) -> bool:
    return _name_regex(outlet).fullmatch(site_name.strip()) is not None


def _score(outlet: OutletSpec, text: str, top: list[str], site_names: tuple[str, ...],
           lowered: str | None = None) -> tuple[int, list[str]]:
    score, evidence = 0, []
    name = _name_pattern(outlet)

    def add(points: int, why: str) -> None:
        nonlocal score
        score += points
        evidence.append(why)

    named = next((n for n in site_names if _is_site_name(outlet, n)), None)
    if named:
        add(STRONG * 2, f"page metadata names the site '{named}'")
    for mark in _marks_hinted(outlet, text.lower() if lowered is None else lowered):
        found = mark.search(text)
        if found and not publishers.is_photo_credit(text, found.start(), found.end()):
            add(STRONG, f"page carries '{found.group(0)}'")
            break
    for line in top:
        why = _top_line_mark(outlet, name, line)
        if why:
            add(STRONG, f"{why} '{line[:80]}'")
            break
    for credit in publishers.credit_lines(text, name):
        add(STRONG, credit)
        break
    _interviews_and_quotes(_name_starts(outlet, text), text, add)
    return score, evidence


# Around a mention of an outlet: the outlet's own interview or reporter, or somebody quoting it.
OWN_BEFORE = re.compile(r"\b(?:told|confirmed to|in an interview with|speaking to|said to)\s+$")
OWN_AFTER = re.compile(r"^'s\s+[A-Z]\w+\s+[A-Z]\w+,\s+reporting\b")
QUOTED_BEFORE = re.compile(r"\b(?:according to|as cited by|cited by|quoted by|reported by|via|citing|"
                           r"quoting)\s+(?:the\s+)?$", re.IGNORECASE)
QUOTED_AFTER = re.compile(r"^\s+(?:reports?|reported|cited|quoted|says|said|news agency reported|"
                          r"agency (?:said|reported))\b\s*:?")
CONTEXT_CHARS = 40  # how far around a mention its markers are looked for


def _top_line_mark(outlet: OutletSpec, name: str, line: str) -> str | None:
    """How a line at the top of the page names its own outlet, if it does: the line is the name alone (or
    with "News"), opens with it before a dash or bar (not ":", which opens a quoted headline, "Kremlin:
    ..."), or ends with it after one. Each is found with the outlet's name pattern and fixed patterns for
    the rest, as a pattern built around the name would find it, without compiling one per outlet."""
    if next(_name_starts(outlet, line), None) is None:
        return None
    regex = _name_regex(outlet)
    if _is_masthead(regex, line):
        return "masthead"
    if _opens_before_separator(regex, line):
        return "title or credit line"
    suffix = _title_suffix(regex, line)
    if suffix is not None and not publishers.is_photo_credit(line, suffix, len(line)):
        return "title suffix"
    return None


# Names neither begin nor end with white space, so where a name meets the fixed parts below is known.
MASTHEAD_WORD = re.compile(r"\s+(?i:news|online|english)\Z")
SEPARATOR = re.compile(r"[-–—|](?=\s*\S)")
SUFFIX_OPENING = re.compile(r"(?=\s[|–—-])")
SUFFIX_TAIL = 20  # a title suffix's name may be followed by a few characters, none of them a bar
WORD_CHARACTER = re.compile(r"\w")


def _is_masthead(regex: re.Pattern[str], line: str) -> bool:
    r"""name(?:\s+(?i:news|online|english))? is the whole line."""
    word = MASTHEAD_WORD.search(line)
    return bool(regex.fullmatch(line) or (word and regex.fullmatch(line, 0, word.start())))


def _opens_before_separator(regex: re.Pattern[str], line: str) -> bool:
    r"""name\s*[-–—|]\s*\S at the line's start: the name ends where only white space is left before a
    separator that something follows."""
    for separator in SEPARATOR.finditer(line):
        end = separator.start()
        while True:
            if regex.fullmatch(line, 0, end):  # the slice's end passes the name's (?!\w)
                return True
            if end == 0 or not line[end - 1].isspace():
                break
            end -= 1
    return False


def _title_suffix(regex: re.Pattern[str], line: str) -> int | None:
    r"""Where \s[|–—-]\s*name[^|]{0,20}$ first matches in the line (it ends at the line's end)."""
    for opening in SUFFIX_OPENING.finditer(line):
        start = opening.start() + 2
        while start < len(line) and line[start].isspace():
            start += 1
        for end in range(max(start + 1, len(line) - SUFFIX_TAIL), len(line) + 1):
            if ("|" not in line[end:] and (end == len(line) or not WORD_CHARACTER.match(line, end))
                    and regex.fullmatch(line, start, end)):
                return opening.start()
    return None


def _interviews_and_quotes(mentions: Iterator[re.Match[str]], text: str, add) -> None:
    own, quoted = [], []
    for mention in mentions:
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
        found = publishers.wire_credit(text, _name_pattern(outlet), agency=outlet.agency,
                                       starts=lambda s, o=outlet: _every_start(o, s))
        if found and (best is None or found.start < best[0]):
            best = (found.start, outlet, found.why)
    return OutletGuess(best[1].slug, None, agency=best[1].slug, agency_basis=best[2]) if best else None


def _every_start(outlet: OutletSpec, text: str) -> list[int]:
    return [found.start() for found in _name_starts(outlet, text, overlapping=True)]


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
    """The first catalogued outlet the name is a name of; only those the index finds in it can be."""
    outlets = _index(catalog).site_name_candidates(name) if name.isascii() else catalog.outlets
    return next((o for o in outlets if _is_site_name(o, name)), None)
