"""Outlet colours: chosen from the slug, readable under white digits, unlike each other, and never alone."""

from __future__ import annotations

import itertools
import math
import re

from app.config import PROJECT_ROOT
from app.web.colours import PALETTE_SIZE, REPEATED_COLOUR, UNKNOWN_COLOUR, outlet_colour, strip_colours

CSS = (PROJECT_ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
MIN_CONTRAST = 4.5  # WCAG AA for the white digits in a coverage cell
MIN_DISTANCE = 20.0  # CIE76 ΔE between any two outlet colours (the grey included): clearly different hues


def palette() -> dict[str, str]:
    """The CSS custom properties of the outlet colours: --oc0... and --oc-unknown -> #rrggbb."""
    return dict(re.findall(r"--(oc[\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def channels(colour: str) -> list[float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return [linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5)]


def luminance(colour: str) -> float:
    r, g, b = channels(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lab(colour: str) -> tuple[float, float, float]:
    r, g, b = channels(colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_css_defines_every_colour_the_code_can_choose() -> None:
    colours = palette()
    assert set(colours) == {f"oc{i}" for i in range(PALETTE_SIZE)} | {"oc-unknown"}
    assert PALETTE_SIZE >= 12
    for i in range(PALETTE_SIZE):
        assert f".oc-{i} {{ --swatch: var(--oc{i}); }}" in CSS
    assert ".oc-unknown { --swatch: var(--oc-unknown); }" in CSS


def test_white_digits_are_readable_on_every_colour() -> None:
    for name, colour in palette().items():
        contrast = 1.05 / (luminance(colour) + 0.05)
        assert contrast >= MIN_CONTRAST, (name, colour, round(contrast, 2))


def test_no_two_colours_look_alike() -> None:
    for (a, ca), (b, cb) in itertools.combinations(palette().items(), 2):
        assert math.dist(lab(ca), lab(cb)) >= MIN_DISTANCE, (a, b)


def test_the_colour_comes_from_the_slug_alone() -> None:
    assert outlet_colour("rt") == outlet_colour("rt")
    assert outlet_colour("unknown") == UNKNOWN_COLOUR
    # Spread over the palette: a hundred slugs use every colour.
    assert {outlet_colour(f"outlet-{n}") for n in range(100)} == {f"oc-{i}" for i in range(PALETTE_SIZE)}
    # Fixed across processes and releases (hashlib, not the per-process str hash): RT stays as it was.
    assert outlet_colour("rt") == "oc-3"


def test_neighbours_sharing_a_colour_are_told_apart() -> None:
    same = next(s for s in (f"outlet-{n}" for n in range(1000)) if outlet_colour(s) == outlet_colour("rt"))
    classes = strip_colours(["rt", same, "unknown"])
    assert classes[0] == outlet_colour("rt") and classes[2] == UNKNOWN_COLOUR
    assert classes[1] == f"{outlet_colour('rt')} {REPEATED_COLOUR}"
    assert REPEATED_COLOUR not in " ".join(strip_colours(["rt", "unknown", same]))
