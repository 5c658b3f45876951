"""Wire stories: one agency's story printed by several hosts, found by how much of their text they share.

Hosts re-edit wire copy a little (a headline, a trimmed last paragraph, their own furniture), so two articles are
one story when most of their word sequences are the same, not when their texts are equal. Pure functions: texts
in, groups out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.queries.pagedata import OutletRef, WireStory

SHINGLE_WORDS = 4  # runs of this many words are compared: long enough that shared phrasing is no accident
MIN_SHARED = 0.6  # the share of runs two texts have in common (of the shorter one's) to be one story
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WireCopy:
    """One article running an agency's copy under a host of its own."""

    article_id: int
    agency: OutletRef
    host: OutletRef | None
    text: str


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


def same_story(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Most of the shorter text's runs are in the other: a host that trims a paragraph still runs the story."""
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= MIN_SHARED


def wire_stories(copies: list[WireCopy]) -> list[WireStory]:
    """The stories that more than one host printed, each once with its hosts; in the order first met."""
    groups: list[list[int]] = []  # indexes into copies
    runs = [shingles(c.text) for c in copies]
    for i, copy in enumerate(copies):
        home = next((g for g in groups if copies[g[0]].agency == copy.agency
                     and any(same_story(runs[i], runs[j]) for j in g)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    stories = []
    for group in groups:
        hosts = list(dict.fromkeys(copies[i].host for i in group))
        if len(hosts) > 1:
            stories.append(WireStory(copies[group[0]].agency, hosts, [copies[i].article_id for i in group]))
    return stories
