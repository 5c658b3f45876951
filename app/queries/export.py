"""The export contract: the database as plain dicts, JSON and CSV. Pure reads, deterministic order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from app.extract.published import inferred_range
from app.formats import csv_text
from app.store.models import Article, Claim, Figure, Report

EXPORT_FORMATS = ("json", "csv")
# Report fields in export order; CSV splits "span" into two columns so each cell is a plain value.
REPORT_FIELDS = (
    "source", "outlet", "date", "precision", "kind", "milestone", "basis", "reasoning", "quote",
    "span", "speaker", "article_id", "id",
)
CSV_FIELDS = tuple(f for f in REPORT_FIELDS if f != "span") + ("span_start", "span_end")
# The whole-database CSV also carries each report's article, so a row stands alone in a spreadsheet.
ARTICLE_COLUMNS = {"published": "published", "title": "title", "url": "url", "agency": "agency"}
EXPORT_CSV_FIELDS = CSV_FIELDS + tuple(ARTICLE_COLUMNS)


def article_dict(article: Article) -> dict[str, Any]:
    """One article as the export shows it (its outlet and agency must be loaded)."""
    outlet = article.outlet
    return {
        "source": article.source,
        "outlet": outlet.name if outlet else None,
        "outlet_slug": outlet.slug if outlet else None,
        "agency": article.agency.name if article.agency else None,  # the wire agency whose copy it runs
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_basis": article.published_basis,
        # An inferred date's range of days that fit, [first, last], read back from its basis; else null.
        "published_range": _published_range(article),
        "outlet_basis": article.outlet_basis,
        "outlet_catalogued": outlet.catalogued if outlet else None,
        "agency_basis": article.agency_basis,
        "text": article.text,  # the cleaned story text that report spans point into
        "id": article.id,
        "story": article.story_id,  # the wire story it is a copy of (app.store.stories), shared by its other copies
    }


def _published_range(article: Article) -> list[str] | None:
    found = inferred_range(article.published_basis, article.published)
    return [found[0].isoformat(), found[1].isoformat()] if found else None


def report_dict(report: Report) -> dict[str, Any]:
    """One report as the export and the JSON pages show it (load it with REPORT_OPTIONS)."""
    outlet = report.article.outlet
    return {
        "source": report.article.source,
        "outlet": outlet.name if outlet else None,
        "date": report.date.isoformat() if report.date else None,
        "precision": report.precision,
        "kind": report.kind,
        "milestone": report.milestone.slug if report.milestone else None,
        "basis": report.basis,
        "reasoning": report.reasoning,
        "quote": report.quote,
        "span": [report.span_start, report.span_end],
        "speaker": report.speaker,
        "article_id": report.article_id,
        "id": report.id,
    }


# Everything report_dict touches, loaded up front so no lazy load happens after the session closes.
REPORT_OPTIONS = (
    joinedload(Report.article).joinedload(Article.outlet),
    joinedload(Report.milestone),
)


def reports_select() -> Select[tuple[Report]]:
    """All reports, eager-loaded for report_dict, in export order (article source, then position)."""
    return (
        select(Report).join(Report.article).options(*REPORT_OPTIONS)
        .order_by(Article.source, Report.position, Report.id)
    )


def export_data(session: Session) -> dict[str, list[dict[str, Any]]]:
    articles = session.scalars(
        select(Article).options(joinedload(Article.outlet), joinedload(Article.agency)).order_by(Article.source)
    )
    return {
        "articles": [article_dict(a) for a in articles],
        "reports": [report_dict(r) for r in session.scalars(reports_select())],
        "figures": [figure_dict(f) for f in session.scalars(_in_article_order(Figure))],
        "claims": [claim_dict(c) for c in session.scalars(_in_article_order(Claim))],
    }


def _in_article_order(model: type[Figure] | type[Claim]) -> Select:
    return (select(model).join(model.article).options(joinedload(model.article))
            .order_by(Article.source, model.span_start, model.id))


def figure_dict(figure: Figure) -> dict[str, Any]:
    """A figure with the span of the sentence whose reports it belongs to."""
    return {
        "source": figure.article.source, "span": [figure.span_start, figure.span_end],
        "value": figure.value, "unit": figure.unit, "subject": figure.subject,
        "qualifier": figure.qualifier, "period": figure.period, "text": figure.text,
    }


def claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "source": claim.article.source, "span": [claim.span_start, claim.span_end],
        "accuser": claim.accuser, "accused": claim.accused, "speaker": claim.speaker, "text": claim.text,
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def reports_csv(reports: Iterable[dict[str, Any]], articles: Iterable[dict[str, Any]] | None = None) -> str:
    """Report dicts as CSV, one row each, with a header row; given the article dicts, each row also carries
    its article's publication date, title, URL and wire agency."""
    rows = ({**report, "span_start": report["span"][0], "span_end": report["span"][1]} for report in reports)
    if articles is None:
        return csv_text(CSV_FIELDS, rows)
    by_id = {article["id"]: article for article in articles}
    return csv_text(EXPORT_CSV_FIELDS, ({**row, **{column: by_id[row["article_id"]][field]
                                                   for column, field in ARTICLE_COLUMNS.items()}}
                                        for row in rows))


def export_text(session: Session, fmt: str) -> str:
    """The whole export in one of EXPORT_FORMATS."""
    data = export_data(session)
    if fmt == "json":
        return to_json(data)
    if fmt == "csv":
        return reports_csv(data["reports"], data["articles"])
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
