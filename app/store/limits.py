"""How long a stored value may be: the widths of the models' String(n) columns, and how the loader fits to them.

SQLite stores a string of any length whatever a column's declared width; PostgreSQL refuses one over it. The
loader fits every value that can run long to the model's width first, so both databases store the same."""

from __future__ import annotations

import re

from sqlalchemy.orm import InstrumentedAttribute

from app.store.models import Article, Claim, Figure, Outlet

ELLIPSIS = "…"
LAST_SPACE = re.compile(r"\s+\S*$")  # the whitespace before the last word, or the trailing whitespace


def width(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> int:
    """The n of a String(n) column: the models are the one place a width is written."""
    length = getattr(column.type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{column} has no declared width")
    return length


SOURCE_CHARS = width(Article.source)
TITLE_CHARS = width(Article.title)
URL_CHARS = width(Article.url)
FIGURE_TEXT_CHARS = width(Figure.text)  # a figure's words are far shorter; cut rather than lose the figure
CLAIM_TEXT_CHARS = width(Claim.text)
OUTLET_NAME_CHARS = width(Outlet.name)  # a publisher named by its pages, outside the catalogue


def fit_title(title: str | None) -> str | None:
    """A title too long for its column, cut after the last whole word that fits, the ellipsis showing the cut;
    one unbroken word is cut where it must."""
    if title is None or len(title) <= TITLE_CHARS:
        return title
    room = TITLE_CHARS - len(ELLIPSIS)
    head = title[:room + 1]  # one more: a space just past the room means the room ends on a whole word
    space = LAST_SPACE.search(head)
    words = head[:space.start()] if space and space.start() > 0 else title[:room]
    return words + ELLIPSIS


def fit_url(url: str | None) -> tuple[str | None, str | None]:
    """The URL, or None and why when it is too long to store: a cut URL would lead somewhere else."""
    if url is None or len(url) <= URL_CHARS:
        return url, None
    return None, f"url not stored: {len(url):,} characters, over the limit of {URL_CHARS:,}"
