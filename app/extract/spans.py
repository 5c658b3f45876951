"""The spans of a sentence already claimed by a match, kept sorted so that each check is a binary search."""

from __future__ import annotations

from bisect import bisect_right


class TakenSpans:
    """Non-overlapping (start, end) spans; adding and asking cost a search, not a pass over all of them."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether start:end shares a character with a span taken (the spans never overlap each other)."""
        at = bisect_right(self._starts, start)
        if at and self._ends[at - 1] > start:
            return True
        return at < len(self._starts) and self._starts[at] < end

    def covers(self, position: int) -> bool:
        at = bisect_right(self._starts, position)
        return bool(at) and self._ends[at - 1] > position

    def add(self, start: int, end: int) -> None:
        at = bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)
