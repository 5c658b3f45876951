"""Wire copy: whether two texts are one agency story as two hosts printed it, from a compact fingerprint of each.

Hosts re-edit wire copy a little (a headline, a trimmed last paragraph, their own furniture), so two texts are
one story when most of their word runs are the same, not when they are equal. A fingerprint is the hashes of a
text's four-word runs, packed small, so a loader compares a new article with the stored ones without reading
their texts again. Pure functions: text in, fingerprint out; two fingerprints in, yes or no out.
"""

from __future__ import annotations

import base64
import re
import sys
import zlib
from array import array

SHINGLE_WORDS = 4  # runs of this many words are compared: long enough that shared phrasing is no accident
MIN_SHARED = 0.6  # the share of runs two texts have in common (of the shorter one's) to be one story
# Only a story's opening is fingerprinted: hosts keep an agency's lede and trim its end, and a long text's
# fingerprint stays a couple of kilobytes.
FINGERPRINT_WORDS = 400
WORD = re.compile(r"\w+")
# Unsigned 32-bit (4 bytes wherever CPython runs): among a few hundred runs a false match is vanishingly rare.
HASH_TYPE = "I"


def shingle_hashes(text: str) -> frozenset[int]:
    """The hashes of the text's runs of SHINGLE_WORDS words (of its opening), case and punctuation aside."""
    words = WORD.findall(text.lower())[:FINGERPRINT_WORDS]
    if len(words) < SHINGLE_WORDS:
        return frozenset([_hash(words)]) if words else frozenset()
    return frozenset(_hash(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


def _hash(words: list[str]) -> int:
    return zlib.crc32(" ".join(words).encode("utf-8"))  # stable across processes, unlike hash()


def fingerprint(text: str) -> str:
    """The text's run hashes, sorted and packed as base64: about 5 characters a word."""
    packed = array(HASH_TYPE, sorted(shingle_hashes(text)))
    if sys.byteorder == "little":  # stored big-endian, so a fingerprint reads the same on any machine
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def runs_of(stored: str) -> frozenset[int]:
    """The run hashes a fingerprint holds."""
    packed = array(HASH_TYPE)
    packed.frombytes(base64.b64decode(stored))
    if sys.byteorder == "little":
        packed.byteswap()
    return frozenset(packed)


def same_story(a: frozenset[int], b: frozenset[int]) -> bool:
    """Most of the shorter text's runs are in the other: a host that trims a paragraph still runs the story."""
    if not a or not b:
        return False
    return shared(a, b) >= MIN_SHARED


def shared(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the shorter text's runs that are in the other (0 when either has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
