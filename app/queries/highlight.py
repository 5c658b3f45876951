"""Cut an article's text into plain and highlighted runs, so templates escape every piece themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """A run of article text and the reports whose sentence covers it (ids)."""

    text: str
    start: int
    reports: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # reports whose sentence begins here
    ends: list[int] = field(default_factory=list)  # reports whose sentence ends with this run


def segments(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Segment]:
    """Runs covering the text exactly once, from (report id, start, end) spans.

    Spans may overlap or repeat (one sentence can carry several reports); out-of-range spans are clipped.
    """
    clipped = [(rid, max(0, start), min(len(text), end)) for rid, start, end in spans]
    clipped = [(rid, start, end) for rid, start, end in clipped if start < end]
    cuts = sorted({0, len(text), *(s for _, s, _ in clipped), *(e for _, _, e in clipped)})
    runs: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        runs.append(Segment(
            text=text[start:end], start=start,
            reports=[rid for rid, s, e in clipped if s <= start and end <= e],
            starts=[rid for rid, s, _ in clipped if s == start],
            ends=[rid for rid, _, e in clipped if e == end],
        ))
    return runs
