"""Case-insensitive patterns, run the fast way.

Python's `re` matches a long alternation of words (the verbs of saying, say) about three times slower
with re.IGNORECASE than without. A pattern written in lower case finds the same spans case-sensitively in
the lower-cased text, as long as lower-casing keeps the text's length (always for ASCII; not for a few
letters such as 'İ'), so it is run that way, with the IGNORECASE pattern as the fallback. A pattern with
capitals in it (an escape such as \\S, or a case-sensitive part) always runs as the IGNORECASE pattern.
The matches of the fast way are over the lower-cased text: use their spans, and slice the original for its
words as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


def written_in_lower_case(pattern: str) -> bool:
    r"""Whether the pattern matches only lower-case text case-sensitively as it matches any text caselessly:
    no capital letter in it but the P of named groups. (An upper-case escape such as \S, \W or \B would
    change its meaning if lowered, so such a pattern has no fast way.)"""
    return pattern.replace("(?P<", "(?<").replace("(?P=", "(?=") == pattern.lower().replace("(?p<", "(?<").replace(
        "(?p=", "(?=")


def fast_variant(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The case-sensitive twin of an IGNORECASE pattern written in lower case, to run over lower-cased text."""
    if pattern.flags & re.IGNORECASE and written_in_lower_case(pattern.pattern):
        return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    return None


class Caseless:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._fallback = re.compile(pattern, re.IGNORECASE)
        self._fast = fast_variant(self._fallback)

    def runs_fast(self, text: str, lowered: str) -> bool:
        """Whether search(text, lowered) runs the fast way: then it matches nothing whose words, as
        written in the pattern, are not in lowered (the IGNORECASE fallback also matches letters such
        as the long s 'ſ' that lower-casing leaves alone)."""
        return self._fast is not None and len(lowered) == len(text)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """lowered: text.lower(), when the caller has it already."""
        if self._fast is not None:
            lowered = text.lower() if lowered is None else lowered
            if len(lowered) == len(text):
                return self._fast.search(lowered)
        return self._fallback.search(text)

    def finditer_in(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        """finditer, given text.lower() as lowered."""
        if self._fast is not None and len(lowered) == len(text):
            return self._fast.finditer(lowered)
        return self._fallback.finditer(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._fast is not None:
            lowered = text.lower()
            if len(lowered) == len(text):
                return self._fast.finditer(lowered)
        return self._fallback.finditer(text)


# Letters that match an ASCII letter when case is ignored but lower-case to another ('ſ', the dotless and
# dotted i): in a text holding one, an ASCII word is not found by substring search where it matches.
CASE_FOLD_STRAYS = "ſıİ"
CASELESS_VIEWS = 8  # texts whose view is kept: one article's outlets are looked for one after another


@lru_cache(maxsize=CASELESS_VIEWS)
def caseless_view(text: str) -> str | None:
    """The text lower-cased, its offsets the text's, in which substring search finds every place that an
    ASCII word matches ignoring case (as re.IGNORECASE matches it); None where it may not."""
    lowered = text.lower()
    if len(lowered) != len(text) or any(stray in text for stray in CASE_FOLD_STRAYS):
        return None
    return lowered
