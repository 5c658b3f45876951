"""The timeline and one day's page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.queries.common import (
    ONE_DAY,
    agency_facet_counts,
    agency_filter,
    check_agencies,
    check_outlets,
    milestone_refs,
    outlet_columns,
    outlet_facets,
    outlet_filter,
    outlet_slug,
    report_items,
    truce_bounds,
    truce_clock,
)
from app.queries.counts import cached_rows, cached_scalar
from app.queries.daygroups import group_events, kind_label
from app.queries.pagedata import (
    Coverage,
    DayCount,
    DayPage,
    DayRow,
    Facet,
    OutletRef,
    Paging,
    ReportItem,
    TimelinePage,
    Window,
    paging,
)
from app.queries.wirestories import WireCopy, wire_stories
from app.store.models import Article, Milestone, Outlet, Report

DAY_PAGE_SIZE = 50  # reports per day page: a busy day of a big corpus has thousands

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
    facets = outlet_facets(session, selected, *facet_scope, *by_agency)
    agency_facets = agency_facet_counts(session, agencies, *facet_scope, *by_outlet)
    outside, undated = _outside_window(session, window, conditions)
    if frame is None:
        return TimelinePage(None, None, [], columns, facets, selected, outside, undated, agency_facets, agencies)
    counts = _coverage_counts(session, frame, conditions)
    milestones = milestone_refs(session, Milestone.date.between(*frame))
    start, end = truce_bounds(session)
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
        agencies: Sequence[str] = (), *, kinds: Sequence[str] = (), speakers: Sequence[str] = ()) -> DayPage | None:
    """One day's milestones and a page of its reports, as events; None when the day is neither in the frame
    nor in any report. kinds and speakers filter the reports as the outlets do."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    kinds, speakers = list(dict.fromkeys(kinds)), list(dict.fromkeys(speakers))
    frame = timeline_frame(session, window)
    in_frame = frame is not None and frame[0] <= date <= frame[1]
    if not in_frame and session.scalar(select(Report.id).where(Report.date == date).limit(1)) is None:
        return None
    filters = {
        "outlet": outlet_filter(selected), "agency": agency_filter(agencies),
        "kind": Report.kind.in_(kinds) if kinds else None,
        "speaker": Report.speaker.in_(speakers) if speakers else None,
    }

    def others(name: str) -> list[ColumnElement[bool]]:
        """Every filter but one: each filter's chips count under the others, so they add up to the reports shown."""
        return [c for key, c in filters.items() if key != name and c is not None]

    conditions = [c for c in filters.values() if c is not None]
    on_day = Report.date == date
    start, end = truce_bounds(session)
    previous, following = _neighbours(session, frame, date)
    reports, pages = report_page(session, page, DAY_PAGE_SIZE, on_day, *conditions)
    milestones = milestone_refs(session, Milestone.date == date)
    return DayPage(
        date=date,
        clock=truce_clock(date, start, end),
        milestones=milestones,
        reports=reports,
        facets=outlet_facets(session, selected, on_day, *others("outlet")),
        selected=selected,
        previous=previous,
        next=following,
        in_window=date in window,
        paging=pages,
        agencies=agency_facet_counts(session, agencies, on_day, *others("agency")),
        selected_agencies=agencies,
        wire_stories=wire_stories(_wire_copies(session, on_day, *conditions)),
        groups=group_events(reports, [m.slug for m in milestones]),
        kinds=_value_facets(session, Report.kind, kinds, on_day, *others("kind")),
        selected_kinds=kinds,
        speakers=_value_facets(session, Report.speaker, speakers, on_day, *others("speaker"),
                               limit=SPEAKER_CHIPS),
        selected_speakers=speakers,
    )


SPEAKER_CHIPS = 12  # speakers offered as chips on a day, the most quoted first: a busy day quotes hundreds


def _value_facets(session: Session, column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
                  selected: Sequence[str], *conditions: ColumnElement[bool], limit: int | None = None) -> list[Facet]:
    """One chip per value of a report column under the conditions, the commonest first, chosen ones always shown."""
    rows = cached_rows(session,
        select(column, func.count(Report.id)).join(Article, Report.article_id == Article.id)
        .where(column.is_not(None), *conditions).group_by(column)
    )
    counts = {value: n for value, n in rows}
    ranked = sorted(counts, key=lambda v: (-counts[v], v.lower()))
    shown = ranked[:limit] if limit is not None else ranked
    shown += [v for v in selected if v not in shown]
    label = kind_label if column is Report.kind else str
    return [Facet(v, label(v), counts.get(v, 0), v in selected) for v in shown]


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


