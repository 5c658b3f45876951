"""TakenSpans answers as a pass over every span taken would."""

from __future__ import annotations

import random

from app.extract.spans import TakenSpans


def test_overlaps_and_covers_agree_with_checking_every_span():
    rng = random.Random(12)
    for _ in range(200):
        taken, plain = TakenSpans(), []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 90)
            end = start + rng.randint(1, 9)
            if not any(start < e and s < end for s, e in plain):
                taken.add(start, end)
                plain.append((start, end))
        for start in range(100):
            assert taken.covers(start) == any(s <= start < e for s, e in plain)
            for end in range(start + 1, start + 12):
                assert taken.overlaps(start, end) == any(start < e and s < end for s, e in plain)
        assert bool(taken) == bool(plain)
