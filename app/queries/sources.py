"""The pages of one source of reports: a milestone, an outlet, an article."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from app.queries.common import (
    COUNTS,
    REPORT_ITEMS,
    milestone_refs,
    report_item,
    report_items,
    reporting_outlets,
    truce_bounds,
    truce_clock,
    wire_agency,
)
from app.queries.compare import figure_items
from app.queries.pagedata import (
    ArticlePage,
    ArticleSummary,
    BlindSpot,
    DayReports,
    MilestoneDetail,
    MilestonePage,
    OutletPage,
    OutletRef,
    OutletSpeakers,
    Paging,
    ReportItem,
    group_by_outlet,
    group_figures,
    paging,
)
from app.store.models import Article, Milestone, Outlet, Report, ReportCount

OUTLET_ARTICLES_PAGE_SIZE = 25  # articles per outlet page...
OUTLET_REPORTS_PAGE_SIZE = 50  # ...and reports: page N shows the Nth slice of both lists

# -- one milestone -------------------------------------------------------------------------------


def _milestone_reports(session: Session, slug: str) -> MilestonePage | None:
    """A milestone, every outlet's words about it, and the outlets that say nothing of it."""
    row = session.scalar(select(Milestone).where(Milestone.slug == slug))
    if row is None:
        return None
    reports = report_items(session, Report.milestone_id == row.id)
    reporting = group_by_outlet(reports)
    said = {group.outlet.slug for group in reporting if group.outlet}
    silent = [o for o in reporting_outlets(session) if o.slug not in said]
    ordered = milestone_refs(session)
    index = next(i for i, m in enumerate(ordered) if m.slug == slug)
    start, end = truce_bounds(session)
    detail = MilestoneDetail(row.slug, row.date, row.kind, row.title, row.summary,
                             [s for s in row.sources.splitlines() if s.strip()])
    return MilestonePage(
        milestone=detail, clock=truce_clock(row.date, start, end), reports=reports,
        reporting=reporting, silent=silent,
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
    )


# -- one outlet ----------------------------------------------------------------------------------


def _outlet_reports(session: Session, slug: str, page: int = 1) -> OutletPage | None:
    """A page of an outlet's articles and of its reports day by day (undated ones last)."""
    row = session.scalar(select(Outlet).where(Outlet.slug == slug))
    if row is None:
        return None
    mine = Article.outlet_id == row.id
    article_total = session.scalar(select(func.count(Article.id)).where(mine)) or 0
    report_total = session.scalar(select(COUNTS.total).where(ReportCount.outlet_id == row.id)) or 0
    # Page N is the Nth slice of both lists: as many pages as the longer one needs.
    pages = paging(page, 1, -(-article_total // OUTLET_ARTICLES_PAGE_SIZE),
                   -(-report_total // OUTLET_REPORTS_PAGE_SIZE))
    number = pages.page
    articles = _article_summaries(session, mine, offset=(number - 1) * OUTLET_ARTICLES_PAGE_SIZE,
                                  limit=OUTLET_ARTICLES_PAGE_SIZE)
    in_day_order = REPORT_ITEMS.where(mine).order_by(None).order_by(
        Report.date.is_(None), Report.date, Article.source, Report.position, Report.id)
    reports = [report_item(r) for r in session.execute(
        in_day_order.offset((number - 1) * OUTLET_REPORTS_PAGE_SIZE).limit(OUTLET_REPORTS_PAGE_SIZE))]
    by_day: dict[dt.date | None, list[ReportItem]] = {}
    for report in sorted(reports, key=lambda r: (r.date is None, r.date or "")):
        by_day.setdefault(dt.date.fromisoformat(report.date) if report.date else None, []).append(report)
    return OutletPage(
        outlet=OutletRef(row.slug, row.name), homepage=row.homepage, description=row.description,
        articles=articles, days=[DayReports(d, items) for d, items in by_day.items()], reports=report_total,
        paging=Paging(number, pages.pages, OUTLET_REPORTS_PAGE_SIZE, report_total),
    )


def _article_summaries(session: Session, *conditions: ColumnElement[bool], offset: int = 0,
                        limit: int | None = None) -> list[ArticleSummary]:
    # A correlated count per article shown, not a count of every article's reports joined in.
    reports = select(func.count(Report.id)).where(Report.article_id == Article.id).scalar_subquery()
    rows = session.execute(
        select(Article, reports).options(joinedload(Article.agency)).where(*conditions)
        # Unknown publication dates last on both databases (SQLite sorts NULL first, PostgreSQL last).
        .order_by(Article.published.is_(None), Article.published, Article.source).offset(offset).limit(limit)
    )
    return [_summary(a, n) for a, n in rows]


def _summary(article: Article, reports: int) -> ArticleSummary:
    return ArticleSummary(article.id, article.source, article.title, article.url, article.published,
                          article.published_basis, reports, agency=wire_agency(article))


# -- one article ---------------------------------------------------------------------------------


def article(session: Session, article_id: int) -> ArticlePage | None:
    """An article, its text and its reports (ArticlePage.highlighted() cuts the text into runs)."""
    row = session.get(Article, article_id)
    if row is None:
        return None
    reports = report_items(session, Report.article_id == row.id)
    outlet_row = session.get(Outlet, row.outlet_id) if row.outlet_id is not None else None
    return ArticlePage(
        article=_summary(row, len(reports)),
        outlet=OutletRef(outlet_row.slug, outlet_row.name) if outlet_row else None,
        outlet_basis=row.outlet_basis,
        text=row.text,
        reports=reports,
        agency=wire_agency(row),
        agency_basis=row.agency_basis,
    )


# -- a milestone and an outlet, with what compares them ------------------------------------------


def milestone(session: Session, slug: str) -> MilestonePage | None:
    """_milestone_reports plus the outlets' figures about it and who speaks in each account."""
    page = _milestone_reports(session, slug)
    if page is None:
        return None
    items = figure_items(session, Report.milestone.has(Milestone.slug == slug))
    speakers = [OutletSpeakers(g.outlet, list(dict.fromkeys(r.speaker for r in g.reports if r.speaker)))
                for g in page.reporting]
    return dataclasses.replace(page, figures=group_figures(items), speakers=speakers)


def outlet(session: Session, slug: str, page: int = 1) -> OutletPage | None:
    """_outlet_reports plus its figures and its blind spots (milestones others reported and it did not)."""
    page = _outlet_reports(session, slug, page)
    if page is None:
        return None
    items = figure_items(session, Article.outlet.has(Outlet.slug == slug))
    return dataclasses.replace(page, figures=group_figures(items), blind_spots=blind_spots(session, slug))


def blind_spots(session: Session, slug: str) -> list[BlindSpot]:
    reporters: dict[str, list[OutletRef]] = {}
    for milestone_slug, outlet_slug, name in session.execute(
        # GROUP BY, not DISTINCT: PostgreSQL will not ORDER BY lower(name) over a DISTINCT list without it.
        select(Milestone.slug, Outlet.slug, Outlet.name)
        .join(Report, Report.milestone_id == Milestone.id).join(Article, Report.article_id == Article.id)
        .join(Outlet, Article.outlet_id == Outlet.id)
        .group_by(Milestone.slug, Outlet.slug, Outlet.name).order_by(func.lower(Outlet.name))
    ):
        reporters.setdefault(milestone_slug, []).append(OutletRef(outlet_slug, name))
    # A milestone no outlet reported is nobody's blind spot in particular: only what others saw counts; nor
    # is one dated after the outlet's last loaded article, which could not have told it.
    last_seen = _last_day_covered(session, slug)
    return [BlindSpot(m, reporters[m.slug]) for m in milestone_refs(session)
            if m.slug in reporters and slug not in {o.slug for o in reporters[m.slug]}
            and last_seen is not None and m.date <= last_seen]


def _last_day_covered(session: Session, slug: str) -> dt.date | None:
    """The last day an outlet's loaded articles can speak of: its latest publication, or latest dated report."""
    published, reported = session.execute(
        select(func.max(Article.published), func.max(Report.date))
        .select_from(Article).join(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(Report, Report.article_id == Article.id).where(Outlet.slug == slug)
    ).one()
    return max((day for day in (published, reported) if day is not None), default=None)
