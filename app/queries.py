"""Every query the pages need: one function per page, returning plain data from app.pagedata."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, column, false, func, literal_column, or_, select, table
from sqlalchemy.orm import Session, aliased, joinedload

from app.countcache import cached_rows, cached_scalar
from app.export import report_dict, reports_select
from app.extract.types import UNKNOWN_OUTLET_SLUG
from app.models import Article, Milestone, Outlet, Report
from app.pagedata import (
    ArticlePage,
    ArticleSummary,
    Coverage,
    DayCount,
    DayPage,
    DayReports,
    DayRow,
    Facet,
    MilestoneDetail,
    MilestonePage,
    MilestoneRef,
    OutletPage,
    OutletRef,
    Paging,
    ReportItem,
    SearchHit,
    SearchPage,
    TimelinePage,
    TruceClock,
    Window,
    group_by_outlet,
    paging,
)
from app.textsearch import SEARCH_TABLE, TEXT_SEARCH_CONFIG, fts5_match, match_spans, query_terms
from app.wirestories import WireCopy, wire_stories

ONE_DAY = dt.timedelta(days=1)
TRUCE_START_KIND = "truce_start"
TRUCE_END_KINDS = ("truce_end", "collapse")  # the first of these ends the truce clock
DAY_PAGE_SIZE = 50  # reports per day page: a busy day of a big corpus has thousands
OUTLET_ARTICLES_PAGE_SIZE = 25  # articles per outlet page...
OUTLET_REPORTS_PAGE_SIZE = 50  # ...and reports: page N shows the Nth slice of both lists


# The filter value and coverage column of reports whose article names no outlet. No outlet may take this slug:
# the catalogue refuses it (app.catalog) and a publisher's slug avoids it (app.extract.publishers.slug_for).
UNKNOWN_OUTLET = OutletRef(UNKNOWN_OUTLET_SLUG, "Unknown outlet")


class UnknownOutlet(LookupError):
    """An outlet slug in a filter that no outlet has."""

    def __init__(self, slug: str, known: Sequence[str]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.known = list(known)


class UnknownAgency(LookupError):
    """An agency slug in a filter that no wire agency has."""

    def __init__(self, slug: str, known: Sequence[str]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.known = list(known)


# -- shared pieces -------------------------------------------------------------------------------


def check_outlets(session: Session, slugs: Sequence[str]) -> list[str]:
    """The filter's slugs, de-duplicated in order; raises UnknownOutlet for one no outlet has."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    # A NUL cannot be in any slug, and PostgreSQL refuses it in a query parameter: such a slug is just unknown.
    known = set(session.scalars(select(Outlet.slug).where(Outlet.slug.in_([s for s in wanted if "\x00" not in s]))))
    known.add(UNKNOWN_OUTLET.slug)
    for slug in wanted:
        if slug not in known:
            slugs = session.scalars(select(Outlet.slug).order_by(Outlet.slug)).all()
            raise UnknownOutlet(slug, [*slugs, UNKNOWN_OUTLET.slug])
    return wanted


def outlet_filter(selected: Sequence[str]) -> ColumnElement[bool] | None:
    """Articles of the chosen outlets; the unknown outlet's slug chooses the articles that name none."""
    if not selected:
        return None
    named = Article.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(selected)))
    return or_(named, Article.outlet_id.is_(None)) if UNKNOWN_OUTLET.slug in selected else named


def _agency_rows() -> Select:
    """Outlets an agency filter may name: the catalogue's agencies and any outlet whose copy an article runs."""
    return select(Outlet.slug, Outlet.name).where(
        or_(Outlet.agency.is_(True), Outlet.id.in_(select(Article.agency_id).where(Article.agency_id.is_not(None))))
    )


def check_agencies(session: Session, slugs: Sequence[str]) -> list[str]:
    """The agency filter's slugs, de-duplicated in order; raises UnknownAgency for one no agency has."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    known = {slug for slug, _ in cached_rows(session, _agency_rows())}
    for slug in wanted:
        if slug not in known:
            raise UnknownAgency(slug, sorted(known))
    return wanted


def agency_filter(selected: Sequence[str]) -> ColumnElement[bool] | None:
    """Articles running the copy of one of the chosen agencies."""
    if not selected:
        return None
    return Article.agency_id.in_(select(Outlet.id).where(Outlet.slug.in_(selected)))


def _agency_facets(session: Session, selected: Sequence[str], *conditions: ColumnElement[bool]) -> list[Facet]:
    """One facet per agency whose copy some article runs under its own host (plus any selected one), counting
    the reports under the conditions; an agency's own pages (TASS on tass.com) are not wire copy."""
    rows = cached_rows(session,
        select(Outlet.slug, Outlet.name, func.count(Report.id))
        .select_from(Report).join(Article, Report.article_id == Article.id)
        .join(Outlet, Article.agency_id == Outlet.id)
        .where(*conditions).group_by(Outlet.slug, Outlet.name)
    )
    counts = {slug: n for slug, _, n in rows}
    carried = cached_rows(session,
        select(Outlet.slug, Outlet.name).join(Article, Article.agency_id == Outlet.id)
        .where(or_(Article.outlet_id.is_(None), Article.outlet_id != Article.agency_id))
        .group_by(Outlet.slug, Outlet.name).order_by(func.lower(Outlet.name))
    )
    agencies = [OutletRef(slug, name) for slug, name in carried]
    shown = {a.slug for a in agencies}
    missing = [s for s in selected if s not in shown]
    if missing:
        agencies += [OutletRef(slug, name) for slug, name in cached_rows(session, _agency_rows())
                     if slug in missing]
    return [Facet(a.slug, a.name, counts.get(a.slug, 0), a.slug in selected) for a in agencies]


def outlet_slug(slug: str | None) -> str:
    """A report's outlet slug as filters and columns name it: the unknown outlet's for none."""
    return slug if slug is not None else UNKNOWN_OUTLET.slug


def reporting_outlets(session: Session) -> list[OutletRef]:
    """Outlets with at least one article, by name (the unknown outlet is not one: see outlet_columns)."""
    rows = cached_rows(session,
        select(Outlet.slug, Outlet.name).where(Outlet.articles.any()).order_by(func.lower(Outlet.name))
    )
    return [OutletRef(slug, name) for slug, name in rows]


def outlet_columns(session: Session) -> list[OutletRef]:
    """The columns of every coverage view and the choices of every outlet filter: the reporting outlets, then
    the unknown outlet when some article names none, so every report is counted under one of them."""
    unnamed = cached_scalar(session, select(Article.id).where(Article.outlet_id.is_(None)).limit(1))
    return reporting_outlets(session) + ([UNKNOWN_OUTLET] if unnamed is not None else [])


def report_items(session: Session, *conditions: ColumnElement[bool]) -> list[ReportItem]:
    """Reports matching the conditions, as the export shows them plus the names pages link with."""
    stmt = reports_select().options(joinedload(Report.article).joinedload(Article.agency)).where(*conditions)
    return [_report_item(r) for r in session.scalars(stmt).unique()]


def _report_item(report: Report) -> ReportItem:
    article, milestone = report.article, report.milestone
    return ReportItem(
        **report_dict(report),
        outlet_slug=article.outlet.slug if article.outlet else None,
        milestone_title=milestone.title if milestone else None,
        article_title=article.title,
        published=article.published.isoformat() if article.published else None,
        agency=article.agency.name if article.agency else None,
        agency_slug=article.agency.slug if article.agency else None,
    )


def _facets(session: Session, selected: Sequence[str], *conditions: ColumnElement[bool]) -> list[Facet]:
    """One facet per outlet column (plus any selected one), counting its reports under the conditions: the
    counts of every report, the unknown outlet's included, add up to the reports under the conditions."""
    counts = {outlet_slug(slug): n for slug, n in cached_rows(session,
        select(Outlet.slug, func.count(Report.id))
        .select_from(Report).join(Article, Report.article_id == Article.id)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(*conditions).group_by(Outlet.slug)
    )}
    outlets = outlet_columns(session)
    shown = {o.slug for o in outlets}
    missing = [s for s in selected if s not in shown]
    extra = session.execute(select(Outlet.slug, Outlet.name).where(Outlet.slug.in_(missing)))
    outlets += [OutletRef(slug, name) for slug, name in extra]
    if UNKNOWN_OUTLET.slug in missing:
        outlets.append(UNKNOWN_OUTLET)
    return [Facet(o.slug, o.name, counts.get(o.slug, 0), o.slug in selected) for o in outlets]


def _milestone_refs(session: Session, *conditions: ColumnElement[bool]) -> list[MilestoneRef]:
    rows = session.scalars(select(Milestone).where(*conditions).order_by(Milestone.date, Milestone.id))
    return [MilestoneRef(m.slug, m.date, m.kind, m.title) for m in rows]


# -- the truce clock -----------------------------------------------------------------------------


def _truce_bounds(session: Session) -> tuple[dt.date | None, dt.date | None]:
    start = cached_scalar(session, select(func.min(Milestone.date)).where(Milestone.kind == TRUCE_START_KIND))
    end = cached_scalar(session, select(func.min(Milestone.date)).where(Milestone.kind.in_(TRUCE_END_KINDS)))
    return start, end


def truce_clock(day: dt.date, start: dt.date | None, end: dt.date | None) -> TruceClock | None:
    """Where a day sits on the truce clock: day 1 is the truce_start milestone's date."""
    if start is None:
        return None
    number = (day - start).days + 1
    if number < 1:
        before = 1 - number
        return TruceClock("before", number, f"{before} day{'s' if before != 1 else ''} before the truce")
    if end is None or day < end:
        return TruceClock("during", number, f"day {number} of the truce")
    if day == end:
        return TruceClock("during", number, f"day {number} of the truce, its last")
    after = (day - end).days
    return TruceClock("after", number, f"truce over · {after} day{'s' if after != 1 else ''} after its end")


# -- the timeline --------------------------------------------------------------------------------


def timeline_frame(session: Session, window: Window) -> tuple[dt.date, dt.date] | None:
    """First and last day shown: dated reports and milestones inside the window, whatever the filter."""
    in_window = Report.date.between(window.start, window.end)
    # Two queries, not min() and max() in one: each alone is a single step along the date index.
    report_span = (cached_scalar(session, select(func.min(Report.date)).where(in_window)),
                   cached_scalar(session, select(func.max(Report.date)).where(in_window)))
    milestone_span = cached_rows(session,
        select(func.min(Milestone.date), func.max(Milestone.date))
        .where(Milestone.date.between(window.start, window.end))
    )[0]
    days = [d for d in (*report_span, *milestone_span) if d is not None]
    return (min(days), max(days)) if days else None


def timeline(session: Session, window: Window, selected: Sequence[str],
             agencies: Sequence[str] = ()) -> TimelinePage:
    """Every day of the frame, quiet ones included, with milestones and per-outlet coverage."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    frame = timeline_frame(session, window)
    by_outlet = [c for c in (outlet_filter(selected),) if c is not None]
    by_agency = [c for c in (agency_filter(agencies),) if c is not None]
    conditions = by_outlet + by_agency
    all_outlets = outlet_columns(session)
    columns = [o for o in all_outlets if o.slug in selected] if selected else all_outlets
    facet_scope = [Report.date.between(*frame)] if frame else []
    # Each filter's chips count under the other filter, so the chips of either add up to the reports shown.
    facets = _facets(session, selected, *facet_scope, *by_agency)
    agency_facets = _agency_facets(session, agencies, *facet_scope, *by_outlet)
    outside, undated = _outside_window(session, window, conditions)
    if frame is None:
        return TimelinePage(None, None, [], columns, facets, selected, outside, undated, agency_facets, agencies)
    counts = _coverage_counts(session, frame, conditions)
    milestones = _milestone_refs(session, Milestone.date.between(*frame))
    start, end = _truce_bounds(session)
    totals: Counter[dt.date] = Counter()
    for (day, _), n in counts.items():
        totals[day] += n
    days = []
    day = frame[0]
    while day <= frame[1]:
        coverage = [Coverage(o, counts.get((day, o.slug), 0)) for o in columns]
        total = totals[day]
        marks = [m for m in milestones if m.date == day]
        days.append(DayRow(day, truce_clock(day, start, end), marks, coverage, total,
                           quiet=total == 0 and not marks))
        day += ONE_DAY
    return TimelinePage(frame[0], frame[1], days, columns, facets, selected, outside, undated, agency_facets,
                        agencies)


def _coverage_counts(
    session: Session, frame: tuple[dt.date, dt.date], conditions: list[ColumnElement[bool]]
) -> Counter[tuple[dt.date, str]]:
    rows = cached_rows(session,
        select(Report.date, Outlet.slug, func.count(Report.id))
        .join(Article, Report.article_id == Article.id).outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Report.date.between(*frame), *conditions).group_by(Report.date, Outlet.slug)
    )
    return Counter({(day, outlet_slug(slug)): n for day, slug, n in rows})


def _outside_window(
    session: Session, window: Window, conditions: list[ColumnElement[bool]]
) -> tuple[list[DayCount], int]:
    base = select(Report.date, Report.precision, func.count(Report.id)).join(Article, Report.article_id == Article.id)
    rows = cached_rows(session,
        base.where(Report.date.is_not(None), ~Report.date.between(window.start, window.end), *conditions)
        .group_by(Report.date, Report.precision).order_by(Report.date, Report.precision)
    )
    undated = cached_rows(session,
        select(func.count(Report.id)).join(Article, Report.article_id == Article.id)
        .where(Report.date.is_(None), *conditions)
    )[0][0]
    return [DayCount(day, n, precision) for day, precision, n in rows], undated or 0


# -- one day -------------------------------------------------------------------------------------


def day(session: Session, window: Window, date: dt.date, selected: Sequence[str], page: int = 1,
        agencies: Sequence[str] = ()) -> DayPage | None:
    """One day's milestones and a page of its reports; None when the day is neither in the frame nor in any report."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    frame = timeline_frame(session, window)
    in_frame = frame is not None and frame[0] <= date <= frame[1]
    if not in_frame and session.scalar(select(Report.id).where(Report.date == date).limit(1)) is None:
        return None
    by_outlet = [c for c in (outlet_filter(selected),) if c is not None]
    by_agency = [c for c in (agency_filter(agencies),) if c is not None]
    conditions = by_outlet + by_agency
    start, end = _truce_bounds(session)
    previous, following = _neighbours(session, frame, date)
    reports, pages = report_page(session, page, DAY_PAGE_SIZE, Report.date == date, *conditions)
    return DayPage(
        date=date,
        clock=truce_clock(date, start, end),
        milestones=_milestone_refs(session, Milestone.date == date),
        reports=reports,
        facets=_facets(session, selected, Report.date == date, *by_agency),
        selected=selected,
        previous=previous,
        next=following,
        in_window=date in window,
        paging=pages,
        agencies=_agency_facets(session, agencies, Report.date == date, *by_outlet),
        selected_agencies=agencies,
        wire_stories=wire_stories(_wire_copies(session, Report.date == date, *conditions)),
    )


def _wire_copies(session: Session, *conditions: ColumnElement[bool]) -> list[WireCopy]:
    """The articles with a report matching the conditions that run an agency's copy under a host of their own."""
    host, agency = aliased(Outlet), aliased(Outlet)
    # Not correlated: the conditions name Article, and here they must mean the reports' own articles.
    matching = select(Report.article_id).join(Article, Report.article_id == Article.id).where(*conditions)
    rows = session.execute(
        select(Article.id, Article.text, agency.slug, agency.name, host.slug, host.name)
        .join(agency, Article.agency_id == agency.id).outerjoin(host, Article.outlet_id == host.id)
        .where(Article.id.in_(matching.correlate(None)),
               or_(Article.outlet_id.is_(None), Article.outlet_id != Article.agency_id))
        .order_by(Article.source)
    )
    return [WireCopy(article_id, OutletRef(agency_slug, agency_name),
                     OutletRef(host_slug, host_name) if host_slug else None, text)
            for article_id, text, agency_slug, agency_name, host_slug, host_name in rows]


def report_page(session: Session, page: int, size: int, *conditions: ColumnElement[bool]
                ) -> tuple[list[ReportItem], Paging]:
    """One page of the reports matching the conditions, in export order, and where it sits in the list."""
    matching = select(func.count(Report.id)).join(Article, Report.article_id == Article.id).where(*conditions)
    pages = paging(page, size, cached_rows(session, matching)[0][0])
    # The ordered ids of the whole list (memoised: a busy day's sort is not redone per page), then the page's rows.
    ordered = cached_rows(session, select(Report.id).join(Article, Report.article_id == Article.id)
                          .where(*conditions).order_by(Article.source, Report.position, Report.id))
    ids = [row[0] for row in ordered[pages.offset:pages.offset + size]]
    return (report_items(session, Report.id.in_(ids)) if ids else []), pages


def _neighbours(
    session: Session, frame: tuple[dt.date, dt.date] | None, date: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The days before and after: the frame's days, and outside it the nearest days with reports."""
    earlier = [cached_scalar(session, select(func.max(Report.date)).where(Report.date < date))]
    later = [cached_scalar(session, select(func.min(Report.date)).where(Report.date > date))]
    if frame is not None:
        earlier.append(min(date - ONE_DAY, frame[1]) if date > frame[0] else None)
        later.append(max(date + ONE_DAY, frame[0]) if date < frame[1] else None)
    earlier_days = [d for d in earlier if d is not None]
    later_days = [d for d in later if d is not None]
    return (max(earlier_days) if earlier_days else None, min(later_days) if later_days else None)


# -- one milestone -------------------------------------------------------------------------------


def milestone(session: Session, slug: str) -> MilestonePage | None:
    """A milestone, every outlet's words about it, and the outlets that say nothing of it."""
    row = session.scalar(select(Milestone).where(Milestone.slug == slug))
    if row is None:
        return None
    reports = report_items(session, Report.milestone_id == row.id)
    reporting = group_by_outlet(reports)
    said = {group.outlet.slug for group in reporting if group.outlet}
    silent = [o for o in reporting_outlets(session) if o.slug not in said]
    ordered = _milestone_refs(session)
    index = next(i for i, m in enumerate(ordered) if m.slug == slug)
    start, end = _truce_bounds(session)
    detail = MilestoneDetail(row.slug, row.date, row.kind, row.title, row.summary,
                             [s for s in row.sources.splitlines() if s.strip()])
    return MilestonePage(
        milestone=detail, clock=truce_clock(row.date, start, end), reports=reports,
        reporting=reporting, silent=silent,
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
    )


# -- one outlet ----------------------------------------------------------------------------------


def outlet(session: Session, slug: str, page: int = 1) -> OutletPage | None:
    """A page of an outlet's articles and of its reports day by day (undated ones last)."""
    row = session.scalar(select(Outlet).where(Outlet.slug == slug))
    if row is None:
        return None
    mine = Article.outlet_id == row.id
    article_total = cached_rows(session, select(func.count(Article.id)).where(mine))[0][0]
    report_total = cached_rows(session, select(func.count(Report.id)).join(Article).where(mine))[0][0]
    # Page N is the Nth slice of both lists: as many pages as the longer one needs.
    pages = paging(page, 1, -(-article_total // OUTLET_ARTICLES_PAGE_SIZE),
                   -(-report_total // OUTLET_REPORTS_PAGE_SIZE))
    number = pages.page
    articles = _article_summaries(session, mine, offset=(number - 1) * OUTLET_ARTICLES_PAGE_SIZE,
                                  limit=OUTLET_ARTICLES_PAGE_SIZE)
    ordered = cached_rows(session, select(Report.id).join(Article).where(mine).order_by(
        Report.date.is_(None), Report.date, Article.source, Report.position, Report.id))
    start = (number - 1) * OUTLET_REPORTS_PAGE_SIZE
    ids = [row[0] for row in ordered[start:start + OUTLET_REPORTS_PAGE_SIZE]]
    reports = report_items(session, Report.id.in_(ids)) if ids else []
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


def wire_agency(article: Article) -> OutletRef | None:
    """The agency whose copy the article runs, unless it is the host itself (an agency's own pages)."""
    agency = article.agency
    if agency is None or agency.id == article.outlet_id:
        return None
    return OutletRef(agency.slug, agency.name)


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


# -- full-text search ----------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 25  # hits per page (?page=N): each is ranked and highlighted, dearer to show than a day's report


def search(session: Session, query: str, selected: Sequence[str], page: int = 1) -> SearchPage:
    """A page of the reports whose quote matches every word of the query, best first; FTS5 on SQLite, tsvector
    elsewhere."""
    selected = check_outlets(session, selected)
    terms = query_terms(query)
    if not terms:
        return SearchPage(query, [], [], 0, _facets(session, selected, false()), selected, False)
    matched = _matching_reports(session, terms).subquery()
    in_match = Report.id.in_(select(matched.c.id))
    conditions = [c for c in (in_match, outlet_filter(selected)) if c is not None]
    # Memoised until the data changes: a common word matches thousands of reports, all ranked and counted.
    total = cached_rows(session, select(func.count(Report.id)).join(Article, Report.article_id == Article.id)
                        .where(*conditions))[0][0] or 0
    pages = paging(page, SEARCH_PAGE_SIZE, total)
    ids = [row[0] for row in cached_rows(session,
        select(Report.id).join(matched, matched.c.id == Report.id).join(Article, Report.article_id == Article.id)
        .where(*conditions).order_by(matched.c.rank, Report.date.is_(None), Report.date, Report.id)
        .offset(pages.offset).limit(SEARCH_PAGE_SIZE)
    )]
    by_id = {r.id: r for r in report_items(session, Report.id.in_(ids))} if ids else {}
    hits = [SearchHit(by_id[i], match_spans(by_id[i].quote, terms)) for i in ids if i in by_id]
    return SearchPage(query, terms, hits, total, _facets(session, selected, in_match), selected,
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
