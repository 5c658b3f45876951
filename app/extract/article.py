"""The one entry point of extraction: raw article text in, an ExtractedArticle out.

Steps: HTML to text, furniture removed -> outlet -> sentences, their time expressions and the
milestones they name -> publication date (dateline, else inferred from the text's clues) -> reports."""

from __future__ import annotations

import datetime as dt

from app.extract import published
from app.extract.catalog import Catalog
from app.extract.clues import clues, event_days, mentions
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
    """The manifest's date, else the page's own (its dateline or metadata) as far as the text bears it
    out, else the day the text's clues point to."""
    if known.published:
        return Published(known.published, "manifest")
    found = published.find_candidates(text.split("\n\n"), catalog.window_start.year)
    meta_day = published.parse_meta_date(meta.published)
    text_clues = clues(sentences, catalog)
    days = event_days(sentences, catalog)
    note = ""
    if found:
        best, notes = published.choose_candidate(found, days, text_clues, catalog)
        note = "".join(f" ({n})" for n in notes)
        if best and meta_day and meta_day != best.date:
            return _dateline_or_metadata(best.published(note), meta_day, meta.published or "")
        if best:
            return best.published(note)
    if meta_day and text_clues and published.is_furniture(meta_day, days[0], catalog):
        note += f" (passed over page metadata '{meta.published}': far from every date the text gives)"
    elif meta_day:
        return Published(meta_day, f"page metadata '{meta.published}'")
    inferred = published.infer_published(text_clues, catalog, mentions(sentences))
    return Published(inferred.date, inferred.basis + note, inferred.year_given) if note else inferred


TIME_ZONE_DAYS = 1  # a dateline's local day and an index's UTC or US day may differ by one


def _dateline_or_metadata(dateline: Published, meta_day: dt.date, written: str) -> Published:
    """A visible dateline with its year wins over the page's metadata. One without a year guessed its year
    from the timeline's frame: it takes the metadata's year instead, and wins when it then names the same
    day or the next or previous one (the place's local day); further off, the metadata's full date wins."""
    assert dateline.date is not None
    if dateline.year_given:
        return Published(dateline.date, f"{dateline.basis} (page metadata says {meta_day}; the visible dateline wins)")
    # The metadata's year, or the one beside it across New Year ("Dec 31" in a page indexed 1 Jan).
    years = [d for d in (_with_year(dateline.date, meta_day.year + k) for k in (0, -1, 1)) if d is not None]
    local = min(years, key=lambda d: abs((d - meta_day).days), default=None)
    if local is not None and abs((local - meta_day).days) <= TIME_ZONE_DAYS:
        basis = dateline.basis.replace(f"(year {dateline.date.year} from the timeline's frame)",
                                       f"(year {local.year} from the page metadata, {meta_day})")
        return Published(local, basis)
    return Published(meta_day, f"page metadata '{written}' (over the dateline without a year: {dateline.basis})")


def _with_year(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None
