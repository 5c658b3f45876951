"""Where extraction spends its time: cProfile of extract_article over the synthetic corpus.

    python -m benchmarks.profile_extract [--count 400] [--top 25]

Prints the functions with the most time of their own, then the most time including callees.
Iterating a regex's finditer() is charged to the function that loops over it, not to the regex.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

from app.extract.article import extract_article
from app.store.seedfiles import load_catalog
from benchmarks import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="articles to profile (default 400)")
    parser.add_argument("--top", type=int, default=25, help="rows per listing (default 25)")
    args = parser.parse_args()
    catalog = load_catalog(corpus.SEEDS)
    texts = list(corpus.generate(args.count))
    extract_article(texts[0][1], source=texts[0][0], catalog=catalog)  # warm-up: lazy imports, caches
    profile = cProfile.Profile()
    profile.enable()
    for name, raw in texts:
        extract_article(raw, source=name, catalog=catalog)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"extract_article over {len(texts)} synthetic articles")
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(r"app/extract", args.top)


if __name__ == "__main__":
    main()
