"""Full-text search over the reports' quotes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, column, false, func, literal_column, select, table
from sqlalchemy.orm import Session

from app.queries.common import (
    check_outlets,
    outlet_facets,
    outlet_filter,
    report_items,
)
from app.queries.pagedata import (
    SearchHit,
    SearchPage,
    paging,
)
from app.queries.textsearch import SEARCH_TABLE, TEXT_SEARCH_CONFIG, fts5_match, match_spans, query_terms
from app.store.models import Article, Report

# -- full-text search ----------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 25  # hits per page (?page=N): each is ranked and highlighted, dearer to show than a day's report


def search(session: Session, query: str, selected: Sequence[str], page: int = 1) -> SearchPage:
    """A page of the reports whose quote matches every word of the query, best first; FTS5 on SQLite, tsvector
    elsewhere."""
    selected = check_outlets(session, selected)
    terms = query_terms(query)
    if not terms:
        return SearchPage(query, [], [], 0, outlet_facets(session, selected, false()), selected, False)
    matched = _matching_reports(session, terms).subquery()
    in_match = Report.id.in_(select(matched.c.id))
    conditions = [c for c in (in_match, outlet_filter(selected)) if c is not None]
    total = session.scalar(select(func.count(Report.id)).join(Article, Report.article_id == Article.id)
                           .where(*conditions)) or 0
    pages = paging(page, SEARCH_PAGE_SIZE, total)
    ids = [row[0] for row in session.execute(
        select(Report.id).join(matched, matched.c.id == Report.id).join(Article, Report.article_id == Article.id)
        .where(*conditions).order_by(matched.c.rank, Report.date.is_(None), Report.date, Report.id)
        .offset(pages.offset).limit(SEARCH_PAGE_SIZE)
    )]
    by_id = {r.id: r for r in report_items(session, Report.id.in_(ids))} if ids else {}
    hits = [SearchHit(by_id[i], match_spans(by_id[i].quote, terms)) for i in ids if i in by_id]
    return SearchPage(query, terms, hits, total, outlet_facets(session, selected, in_match), selected,
                      total > len(hits), paging=pages)


def _matching_reports(session: Session, terms: list[str]) -> Select:
    """(id, rank) of the reports matching every term; a lower rank is a better match."""
    if session.get_bind().dialect.name == "sqlite":
        fts = table(SEARCH_TABLE, column("rowid"))
        index = literal_column(SEARCH_TABLE)
        return (select(fts.c.rowid.label("id"), func.bm25(index).label("rank"))
                .where(index.op("MATCH")(fts5_match(terms))))
    # PostgreSQL: the very expression of migration 0003's GIN index, so the planner can use it.
    config = literal_column(f"'{TEXT_SEARCH_CONFIG}'")
    vector = func.to_tsvector(config, Report.quote)
    wanted = func.plainto_tsquery(config, " ".join(terms))
    return select(Report.id.label("id"), (-func.ts_rank(vector, wanted)).label("rank")).where(vector.op("@@")(wanted))

