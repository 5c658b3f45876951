"""The one entry point of extraction: raw article text in, an ExtractedArticle out.

Steps: HTML to text, furniture removed -> outlet -> sentences, their time expressions and the
milestones they name -> publication date (dateline, else inferred from the text's clues) -> reports."""

from __future__ import annotations

import datetime as dt

from app.catalog import Catalog
from app.extract import published
from app.extract.clues import clues
from app.extract.outlets import OutletGuess, detect_outlet
from app.extract.published import Published
from app.extract.publishers import page_marks
from app.extract.reports import build_reports
from app.extract.sentences import Sentence, analyse
from app.extract.text import PageMeta, clean_text, html_to_text, looks_like_html
from app.extract.titles import guess_title
from app.extract.types import ExtractedArticle, KnownMeta


def extract_article(
    raw: str, *, source: str, catalog: Catalog, known: KnownMeta | None = None
) -> ExtractedArticle:
    """Everything the loader stores about one article. Pure: no files, no database."""
    known = known or KnownMeta()
    is_html = looks_like_html(raw, source)
    page, meta = html_to_text(raw) if is_html else (raw, PageMeta())
    text = page if is_html else clean_text(page)  # trafilatura has already dropped the page's furniture
    sentences = analyse(text, catalog)
    outlet = detect_outlet(page, catalog, url=known.url or meta.url, site_name=meta.site_name,
                           marks=page_marks(raw) if is_html else None)
    if known.outlet:  # the user's word for the host; the wire credit still comes from the page
        outlet = OutletGuess(known.outlet, "manifest", agency=outlet.agency, agency_basis=outlet.agency_basis)
    when = publication(known, meta, text, sentences, catalog)
    reports, figures, claims = build_reports(sentences, when.date, catalog)
    return ExtractedArticle(
        text=text, title=known.title or meta.title or guess_title(text), url=known.url or meta.url,
        outlet=outlet.slug, outlet_basis=outlet.basis, published=when.date, published_basis=when.basis,
        reports=tuple(reports), figures=tuple(figures), claims=tuple(claims),
        outlet_name=outlet.name, agency=outlet.agency, agency_basis=outlet.agency_basis,
    )


def publication(known: KnownMeta, meta: PageMeta, text: str, sentences: list[Sentence],
                catalog: Catalog) -> Published:
    if known.published:
        return Published(known.published, "manifest")
    lines = text.split("\n\n")
    dateline = published.find_dateline(lines, catalog.window_start.year)
    meta_day = published.parse_meta_date(meta.published)
    if dateline and meta_day and meta_day != dateline.date:
        return _dateline_or_metadata(dateline, meta_day, meta.published or "")
    if dateline:
        return dateline
    if meta_day:
        return Published(meta_day, f"page metadata '{meta.published}'")
    return published.infer_published(clues(sentences, catalog), catalog)


def _dateline_or_metadata(dateline: Published, meta_day: dt.date, written: str) -> Published:
    """A visible dateline with its year wins over the page's metadata; one without a year guessed its
    year from the timeline's frame, so the metadata's full date wins unless they name the same day."""
    assert dateline.date is not None
    same_day = (dateline.date.month, dateline.date.day) == (meta_day.month, meta_day.day)
    if dateline.year_given or same_day:
        return Published(dateline.date, f"{dateline.basis} (page metadata says {meta_day}; the visible dateline wins)")
    return Published(meta_day, f"page metadata '{written}' (over the dateline without a year: {dateline.basis})")
