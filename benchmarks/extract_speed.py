"""Extraction time per plain-text article: this checkout beside another (a worktree of an older commit).

    python -m benchmarks.extract_speed --against ../timeline-old [--rounds 3]

Each checkout extracts in a process of its own, with its own catalogue, the two taking turns round by round
so that a burst of load elsewhere hits both alike; an article's time is its best CPU time over the rounds,
each round reading it for the first time (after a warm-up on the other corpora), as a load does.
Three corpora: the synthetic one (its plain-text articles, written by this checkout's generator), the seed
articles, and the development set's articles where ../shared is present. Prints milliseconds per article
and the ratio of this checkout's time to the other's, against the goal. Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import corpus  # standard library only: the child must import app from the tree it times

ROOT = Path(__file__).resolve().parent.parent
DEV_ARTICLES = ROOT.parent / "shared" / "eval" / "dev" / "articles"
GOAL_RATIO = 1.5  # this checkout's time per article at most this many times the other's
SYNTHETIC_COUNT = 300


def child(tree: Path, folder: Path, *warm_up: Path) -> None:
    """In a process of its own: extract the .txt articles of the warm_up folders with tree's code and catalogue (lazily
    compiled patterns: a loader's worker pays for them once for thousands of articles), then time each
    article of folder once, read for the first time as a load reads it; print their CPU seconds as JSON."""
    import time

    sys.path.insert(0, str(tree))
    from app.extract.article import extract_article
    try:
        from app.store.seedfiles import load_catalog
    except ImportError:  # the layout before app/ was split by layer
        from app.catalog import load_catalog  # type: ignore[no-redef]
    catalog = load_catalog(tree / "seeds")
    for path in sorted(path for other in warm_up for path in other.glob("*.txt")):
        extract_article(path.read_text(encoding="utf-8"), source=path.name, catalog=catalog)
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    times = []
    for name, raw in texts:
        start = time.process_time()
        extract_article(raw, source=name, catalog=catalog)
        times.append(time.process_time() - start)
    print(json.dumps(times))


def best_times(tree: Path, folder: Path, warm_up: list[Path], best: list[float] | None) -> list[float]:
    found = subprocess.run([sys.executable, "-m", "benchmarks.extract_speed", "--child", str(tree), str(folder),
                            *map(str, warm_up)],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout
    times = json.loads(found)
    return times if best is None else [min(a, b) for a, b in zip(best, times, strict=True)]


def corpora(scratch: Path) -> list[tuple[str, Path]]:
    synthetic = scratch / "synthetic"
    synthetic.mkdir()
    corpus.write(synthetic, SYNTHETIC_COUNT)
    found = [("synthetic corpus, plain-text articles", synthetic), ("seed articles", ROOT / "seeds")]
    if DEV_ARTICLES.is_dir():
        found.append(("development set", DEV_ARTICLES))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="the other checkout (a worktree of an older commit)")
    parser.add_argument("--rounds", type=int, default=3, help="turns each checkout takes (default 3)")
    parser.add_argument("--child", nargs="+", type=Path, help=argparse.SUPPRESS)  # tree, folder, warm-up folders
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.against is None:
        parser.error("--against is required")
    other = args.against.resolve()
    print(f"this checkout: {ROOT}\nagainst:       {other}\n")
    print(f"{'corpus':40} {'articles':>8} {'against':>9} {'this':>9} {'ratio':>6}  goal")
    with tempfile.TemporaryDirectory() as scratch:
        found = corpora(Path(scratch))
        for label, folder in found:
            warm_up = [other for _, other in found if other != folder]  # no article is timed after its own warm-up
            ours: list[float] | None = None
            theirs: list[float] | None = None
            for _ in range(args.rounds):
                theirs = best_times(other, folder, warm_up, theirs)
                ours = best_times(ROOT, folder, warm_up, ours)
            assert ours is not None and theirs is not None
            mine, old = statistics.mean(ours) * 1000, statistics.mean(theirs) * 1000
            ratio = mine / old
            verdict = "met" if ratio <= GOAL_RATIO else "NOT MET"
            print(f"{label:40} {len(ours):>8} {old:>7.2f}ms {mine:>7.2f}ms {ratio:>5.2f}×  ≤{GOAL_RATIO}× {verdict}")


if __name__ == "__main__":
    main()
