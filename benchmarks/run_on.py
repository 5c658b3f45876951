"""Extraction time of one run-on sentence of dated clauses as it grows: each doubling should about double it.

    python -m benchmarks.run_on [--repeats 250] [--steps 4]

Before sentences were capped (MAX_SENTENCE_CHARS) each doubling tripled the time; 500 repetitions took
over 30 s. The limit per article (TIMELINE_EXTRACT_TIMEOUT) is the backstop, this is the goal.
"""

from __future__ import annotations

import argparse
import time

from app.extract.article import extract_article
from app.store.seedfiles import load_catalog
from benchmarks import corpus

CLAUSE = "Fighting flared near the grain silos on Monday and the envoy said talks would resume on Thursday "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=250, help="clauses in the smallest text (default 250)")
    parser.add_argument("--steps", type=int, default=4, help="doublings to time (default 4)")
    args = parser.parse_args()
    catalog = load_catalog(corpus.SEEDS)
    extract_article(CLAUSE, source="warm-up.txt", catalog=catalog)  # lazy imports, caches
    previous = None
    for step in range(args.steps):
        repeats = args.repeats * 2 ** step
        started = time.perf_counter()
        article = extract_article(CLAUSE * repeats, source="run-on.txt", catalog=catalog)
        seconds = time.perf_counter() - started
        growth = f"  x{seconds / previous:.2f}" if previous else ""
        print(f"{repeats:>6} clauses, {len(CLAUSE) * repeats:>8} chars: {seconds:6.2f} s, "
              f"{len(article.reports)} reports{growth}")
        previous = seconds


if __name__ == "__main__":
    main()
