"""Which outlet published an article, from the page's own marks; never the outlet it quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

from app.catalog import Catalog, OutletSpec

TOP_LINES = 6  # a site's title bar and the story's credit sit in the first lines
STRONG = 5  # a mark only the outlet's own page carries
WEAK = 1  # a hint, e.g. "told RT": an interview the outlet did itself, but copyable
QUOTED = -4  # "RT reports:", "according to RT": somebody else's story
THRESHOLD = 2  # less than this is not enough to name an outlet


@dataclass(frozen=True)
class OutletGuess:
    slug: str | None
    basis: str | None


def detect_outlet(text: str, catalog: Catalog, *, url: str | None = None,
                  site_name: str | None = None) -> OutletGuess:
    """The best-supported outlet with the evidence for it, or None when nothing is convincing."""
    best: tuple[int, OutletSpec, list[str]] | None = None
    lowered = text.lower()
    top = text.lstrip()[:2000].split("\n")
    top = [" ".join(line.split()) for line in top if line.strip()][:TOP_LINES]
    for outlet in catalog.outlets:
        if not (_names_the_site(outlet, url, site_name) or _mentioned(outlet, text, lowered)):
            continue  # a page that never names an outlet and has no mark of it is not that outlet
        score, evidence = _score(outlet, text, top, url, site_name)
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, outlet, evidence)
    if best is None:
        return OutletGuess(None, "no mark of a known outlet in the page")
    return OutletGuess(best[1].slug, "; ".join(best[2]))


def _names(outlet: OutletSpec) -> list[str]:
    return [outlet.name, *outlet.aliases]


SHORT_NAME = 3  # "RT", "AP", "BBC": such names count only in capitals; longer ones in any case


@lru_cache(maxsize=256)
def _name_regex(outlet: OutletSpec) -> re.Pattern[str]:
    return re.compile(_name_pattern(outlet))


@lru_cache(maxsize=256)
def _searchable_names(outlet: OutletSpec) -> tuple[tuple[str, bool], ...]:
    """(name, short): a short name as written, to find in the text; a longer one lower-cased."""
    return tuple((name, True) if len(name) <= SHORT_NAME else (name.lower(), False) for name in _names(outlet))


def _mentioned(outlet: OutletSpec, text: str, lowered: str) -> bool:
    """Whether the page names the outlet or may carry one of its marks: plain substring tests first."""
    named = any(name in (text if short else lowered) for name, short in _searchable_names(outlet))
    if named and _name_regex(outlet).search(text):
        return True
    hinted = not outlet.mark_hints or any(word in lowered for word in outlet.mark_hints)
    return hinted and any(mark.search(text) for mark in outlet.marks)


def _name_pattern(outlet: OutletSpec) -> str:
    names = [re.escape(n) if len(n) <= SHORT_NAME else f"(?i:{re.escape(n)})" for n in _names(outlet)]
    return r"(?:" + "|".join(names) + r")"


def _names_the_site(outlet: OutletSpec, url: str | None, site_name: str | None) -> bool:
    """Whether the page's address or its metadata's site name is the outlet's."""
    return bool((url and _same_site(url, outlet.homepage)) or (site_name and _is_site_name(outlet, site_name)))


def _is_site_name(outlet: OutletSpec, site_name: str) -> bool:
    return re.fullmatch(_name_pattern(outlet), site_name.strip(), re.IGNORECASE) is not None


def _score(outlet: OutletSpec, text: str, top: list[str], url: str | None,
           site_name: str | None) -> tuple[int, list[str]]:
    score, evidence = 0, []
    name = _name_pattern(outlet)

    def add(points: int, why: str) -> None:
        nonlocal score
        score += points
        evidence.append(why)

    if url and _same_site(url, outlet.homepage):
        add(STRONG * 2, f"URL {url}")
    if site_name and _is_site_name(outlet, site_name):
        add(STRONG * 2, f"page metadata names the site '{site_name}'")
    for mark in outlet.marks:
        found = mark.search(text)
        if found:
            add(STRONG, f"page carries '{found.group(0)}'")
            break
    for line in top:
        why = _top_line_mark(name, line)
        if why:
            add(STRONG, f"{why} '{line[:80]}'")
            break
    found = re.search(r"^\s*(?i:source|©|copyright)\s*:?\s*(?:©\s*)?(?:(?:19|20)\d\d\s+)?" + name + r"\b",
                      text, re.MULTILINE)
    if found:
        add(STRONG, f"credit line '{found.group(0).strip()}'")
    _interviews_and_quotes(name, text, add)
    return score, evidence


# Around a mention of an outlet: the outlet's own interview or reporter, or somebody quoting it.
OWN_BEFORE = re.compile(r"\b(?:told|confirmed to|in an interview with|speaking to|said to)\s+$")
OWN_AFTER = re.compile(r"^'s\s+[A-Z]\w+\s+[A-Z]\w+,\s+reporting\b")
QUOTED_BEFORE = re.compile(r"\b(?:according to|as cited by|cited by|quoted by|reported by|via)\s+$", re.IGNORECASE)
QUOTED_AFTER = re.compile(r"^\s+(?:reports?|reported|cited|quoted|says|said)\b\s*:?")
CONTEXT_CHARS = 40  # how far around a mention its markers are looked for


def _top_line_mark(name: str, line: str) -> str | None:
    """How a line at the top of the page names its own outlet, if it does."""
    if re.fullmatch(name + r"(?:\s+(?i:news|online|english))?", line):
        return "masthead"
    if re.match(name + r"\s*[-–—:|]\s*\S", line) or re.search(r"[|–—-]\s*" + name + r"\b[^|]*$", line):
        return "title or credit line"
    if re.match(r"[A-Z][\w ,.'-]{1,40}\(" + name + r"\)\s*[-–—]", line):
        return "wire dateline"
    if re.match(r"[A-Z][\w .'-]{1,30},\s+" + name + r"\s*[-–—]", line):
        return "dateline credit"
    return None


def _interviews_and_quotes(name: str, text: str, add) -> None:
    own, quoted = [], []
    for mention in re.finditer(r"\b" + name + r"\b", text):
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


def _same_site(url: str, homepage: str) -> bool:
    host = (urlparse(url).hostname or "").removeprefix("www.")
    home = (urlparse(homepage).hostname or "").removeprefix("www.")
    return bool(host and home) and (host == home or host.endswith("." + home) or home.endswith("." + host))
