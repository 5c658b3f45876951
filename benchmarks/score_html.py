"""Score HTML extraction on the shared HTML sets: story text (text_f1) and publication date (published_acc).

Runs extraction on every page in memory (no database) and hands the same article fields that
`timeline export --format json` carries to the shared scorer.

    .venv/bin/python -m benchmarks.score_html [--verbose]
"""

from __future__ import annotations

import gzip
import importlib.util
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from app.extract.article import extract_article
from app.extract.text import decode_bytes
from app.extract.types import RejectedFile
from app.store.seedfiles import load_catalog
from benchmarks import corpus

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SETS = ("article-text", "pub-dates")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_html", EVAL / "score_html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _extract(page: Path) -> dict:
    name = page.name[:-3]  # "x.html.gz" is loaded as "x.html"
    try:
        article = extract_article(decode_bytes(gzip.decompress(page.read_bytes())), source=name,
                                  catalog=load_catalog(corpus.SEEDS))
    except RejectedFile:
        return {"source": name, "text": "", "published": None}
    return {"source": name, "text": article.text,
            "published": article.published.isoformat() if article.published else None}


def main(argv: list[str]) -> None:
    scorer = _scorer()
    for name in SETS:
        folder = EVAL / "html" / name
        with ProcessPoolExecutor() as pool:
            articles = list(pool.map(_extract, sorted(folder.glob("*.html.gz")), chunksize=8))
        print(name, scorer.score(folder, {"articles": articles}, verbose="--verbose" in argv))


if __name__ == "__main__":
    main(sys.argv[1:])
