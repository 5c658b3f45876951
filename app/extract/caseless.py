"""Case-insensitive patterns, run the fast way.

Python's `re` matches a long alternation of words (the verbs of saying, say) about three times slower
with re.IGNORECASE than without. A pattern written in lower case finds the same spans case-sensitively in
the lower-cased text, as long as lower-casing keeps the text's length (always for ASCII; not for a few
letters such as 'İ'), so it is run that way, with the IGNORECASE pattern as the fallback. The matches are
over the lower-cased text: use their spans, and slice the original for its words as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Caseless:
    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower():  # an upper-case escape (\S, \W, \B) would change meaning when lowered
            raise ValueError(f"a Caseless pattern must be written in lower case: {pattern!r}")
        self.pattern = pattern
        self._fast = re.compile(pattern)
        self._fallback = re.compile(pattern, re.IGNORECASE)

    def search(self, text: str) -> re.Match[str] | None:
        lowered = text.lower()
        if len(lowered) == len(text):
            return self._fast.search(lowered)
        return self._fallback.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        lowered = text.lower()
        if len(lowered) == len(text):
            return self._fast.finditer(lowered)
        return self._fallback.finditer(text)
