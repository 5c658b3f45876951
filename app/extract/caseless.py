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


class Caseless:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        # Lower-casing an upper-case escape (\S, \W, \B) would change its meaning: no fast way for those.
        self._fast = re.compile(pattern) if pattern == pattern.lower() else None
        self._fallback = re.compile(pattern, re.IGNORECASE)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """lowered: text.lower(), when the caller has it already."""
        if self._fast is not None:
            lowered = text.lower() if lowered is None else lowered
            if len(lowered) == len(text):
                return self._fast.search(lowered)
        return self._fallback.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._fast is not None:
            lowered = text.lower()
            if len(lowered) == len(text):
                return self._fast.finditer(lowered)
        return self._fallback.finditer(text)
