"""Each outlet's colour, the same on every page, under every filter and after every load.

A colour is chosen from the outlet's slug alone (a stable hash onto the palette), never from its position among
the columns shown, which moves whenever an outlet is filtered out or a load adds one. The palette itself is in
static/css/site.css (.oc-0 to .oc-11; the unknown outlet's .oc-unknown is grey); white digits on each colour stay
above 4.5:1 (tests/test_colours.py). Colour is never the only cue: every cell and swatch has its outlet's name.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from app.extract.types import UNKNOWN_OUTLET_SLUG

PALETTE_SIZE = 12
UNKNOWN_COLOUR = "oc-unknown"
REPEATED_COLOUR = "oc-repeat"  # a column coloured like the one before it gets a ring, so the two stay apart


COLOURS_KEPT = 4096  # slugs whose colour is kept once hashed: a page colours the same few outlets many times


@functools.lru_cache(maxsize=COLOURS_KEPT)
def outlet_colour(slug: str) -> str:
    """The CSS class of an outlet's colour."""
    if slug == UNKNOWN_OUTLET_SLUG:
        return UNKNOWN_COLOUR
    # hashlib, not hash(): Python salts str hashes per process, and each worker must agree with every other.
    digest = hashlib.blake2s(slug.encode("utf-8"), digest_size=4).digest()
    return f"oc-{int.from_bytes(digest, 'big') % PALETTE_SIZE}"


def strip_colours(slugs: Sequence[str]) -> list[str]:
    """The colour classes of a row of columns, in order; a column whose colour repeats its left neighbour's is
    also marked REPEATED_COLOUR."""
    classes: list[str] = []
    previous = None
    for slug in slugs:
        colour = outlet_colour(slug)
        classes.append(f"{colour} {REPEATED_COLOUR}" if colour == previous else colour)
        previous = colour
    return classes
