"""The one entry point of extraction: raw article text in, an ExtractedArticle out."""

from __future__ import annotations

from app.catalog import Catalog
from app.extract.types import ExtractedArticle, KnownMeta


def extract_article(
    raw: str, *, source: str, catalog: Catalog, known: KnownMeta | None = None
) -> ExtractedArticle:
    """Everything the loader stores about one article. Pure: no files, no database."""
    known = known or KnownMeta()
    text = raw.strip()
    return ExtractedArticle(
        text=text, title=known.title or text.split("\n", 1)[0][:200], url=known.url,
        outlet=known.outlet, outlet_basis="manifest" if known.outlet else None,
        published=known.published, published_basis="manifest" if known.published else None,
        reports=(),
    )
