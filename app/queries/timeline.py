"""The timeline and one day's page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.queries.common import (
    COUNTS,
    ONE_DAY,
    REPORT_ITEMS,
    agency_facet_counts,
    agency_filter,
    check_agencies,
    check_outlets,
    milestone_refs,
    outlet_columns,
    outlet_facets,
    outlet_filter,
    outlet_slug,
    report_item,
    truce_bounds,
    truce_clock,
)
from app.queries.daygroups import group_events, kind_label
from app.queries.headlines import day_headlines
from app.queries.pagedata import (
    Coverage,
    DayCount,
    DayPage,
    DayRow,
    Facet,
    Paging,
    ReportItem,
    TimelinePage,
    Window,
    paging,
)
from app.queries.wirestories import day_tellings, outlets_told
from app.store.models import Article, Milestone, Outlet, Report, ReportCount

DAY_PAGE_SIZE = 50  # reports per day page: a busy day of a big corpus has thousands

# -- the timeline --------------------------------------------------------------------------------


def timeline_frame(session: Session, window: Window) -> tuple[dt.date, dt.date] | None:
    """First and last day shown: dated reports and milestones inside the window, whatever the filter."""
    in_window = ReportCount.date.between(window.start, window.end)
    in_milestones = Milestone.date.between(window.start, window.end)
    # One round trip; each min() and max() alone is a single step along its date index.
    span = session.execute(select(
        select(func.min(ReportCount.date)).where(in_window).scalar_subquery(),
        select(func.max(ReportCount.date)).where(in_window).scalar_subquery(),
        select(func.min(Milestone.date)).where(in_milestones).scalar_subquery(),
        select(func.max(Milestone.date)).where(in_milestones).scalar_subquery(),
    )).one()
    days = [d for d in span if d is not None]
    return (min(days), max(days)) if days else None


def timeline(session: Session, window: Window, selected: Sequence[str],
             agencies: Sequence[str] = ()) -> TimelinePage:
    """Every day of the frame, quiet ones included, with milestones and per-outlet coverage."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    frame = timeline_frame(session, window)
    by_outlet = [c for c in (outlet_filter(selected, COUNTS),) if c is not None]
    by_agency = [c for c in (agency_filter(agencies, COUNTS),) if c is not None]
    conditions = by_outlet + by_agency
    all_outlets = outlet_columns(session)
    columns = [o for o in all_outlets if o.slug in selected] if selected else all_outlets
    facet_scope = [ReportCount.date.between(*frame)] if frame else []
    # Each filter's chips count under the other filter, so the chips of either add up to the reports shown.
    facets = outlet_facets(session, selected, *facet_scope, *by_agency, tally=COUNTS)
    agency_facets = agency_facet_counts(session, agencies, *facet_scope, *by_outlet, tally=COUNTS)
    outside, undated = _outside_window(session, window, conditions)
    if frame is None:
        return TimelinePage(None, None, [], columns, facets, selected, outside, undated, agency_facets, agencies)
    counts = _coverage_counts(session, frame, conditions)
    milestones = milestone_refs(session, Milestone.date.between(*frame))
    start, end = truce_bounds(session)
    totals: Counter[dt.date] = Counter()
    for (day, _), n in counts.items():
        totals[day] += n
    # The headlines read the reports themselves (their quotes and speakers), so they filter the report rows.
    on_reports = [c for c in (outlet_filter(selected), agency_filter(agencies)) if c is not None]
    headlines = day_headlines(session, frame, on_reports, milestones)
    days = []
    day = frame[0]
    while day <= frame[1]:
        coverage = [Coverage(o, counts.get((day, o.slug), 0)) for o in columns]
        total = totals[day]
        marks = [m for m in milestones if m.date == day]
        days.append(DayRow(day, truce_clock(day, start, end), marks, coverage, total,
                           quiet=total == 0 and not marks, headline=headlines.get(day)))
        day += ONE_DAY
    return TimelinePage(frame[0], frame[1], days, columns, facets, selected, outside, undated, agency_facets,
                        agencies)


def _coverage_counts(
    session: Session, frame: tuple[dt.date, dt.date], conditions: list[ColumnElement[bool]]
) -> Counter[tuple[dt.date, str]]:
    rows = session.execute(
        select(ReportCount.date, Outlet.slug, COUNTS.total).outerjoin(Outlet, ReportCount.outlet_id == Outlet.id)
        .where(ReportCount.date.between(*frame), *conditions).group_by(ReportCount.date, Outlet.slug)
    )
    return Counter({(day, outlet_slug(slug)): n for day, slug, n in rows})


def _outside_window(
    session: Session, window: Window, conditions: list[ColumnElement[bool]]
) -> tuple[list[DayCount], int]:
    rows = session.execute(
        select(ReportCount.date, ReportCount.precision, COUNTS.total)
        .where(ReportCount.date.is_not(None), ~ReportCount.date.between(window.start, window.end), *conditions)
        .group_by(ReportCount.date, ReportCount.precision).order_by(ReportCount.date, ReportCount.precision)
    )
    undated = session.scalar(select(COUNTS.total).where(ReportCount.date.is_(None), *conditions))
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
    if not in_frame and session.scalar(select(ReportCount.id).where(ReportCount.date == date).limit(1)) is None:
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
    milestones = milestone_refs(session, Milestone.date == date)
    if kinds or speakers:  # the loader's counts have no speaker: count the day's reports themselves
        total = None
        outlet_chips = outlet_facets(session, selected, on_day, *others("outlet"))
        agency_chips = agency_facet_counts(session, agencies, on_day, *others("agency"))
    else:
        counted_outlet = [c for c in (outlet_filter(selected, COUNTS),) if c is not None]
        counted_agency = [c for c in (agency_filter(agencies, COUNTS),) if c is not None]
        counted_day = ReportCount.date == date
        total = session.scalar(select(COUNTS.total).where(counted_day, *counted_outlet, *counted_agency))
        outlet_chips = outlet_facets(session, selected, counted_day, *counted_agency, tally=COUNTS)
        agency_chips = agency_facet_counts(session, agencies, counted_day, *counted_outlet, tally=COUNTS)
    reports, pages = report_page(session, page, DAY_PAGE_SIZE, on_day, *conditions, total=total)
    tellings, stories = day_tellings(session, on_day, *conditions)
    return DayPage(
        date=date,
        clock=truce_clock(date, start, end),
        milestones=milestones,
        reports=reports,
        facets=outlet_chips,
        selected=selected,
        previous=previous,
        next=following,
        in_window=date in window,
        paging=pages,
        agencies=agency_chips,
        selected_agencies=agencies,
        wire_stories=stories,
        groups=group_events(reports, [m.slug for m in milestones]),
        kinds=_value_facets(session, Report.kind, kinds, on_day, *others("kind")),
        selected_kinds=kinds,
        speakers=_value_facets(session, Report.speaker, speakers, on_day, *others("speaker"),
                               limit=SPEAKER_CHIPS),
        selected_speakers=speakers,
        outlet_count=outlets_told(tellings),
    )


SPEAKER_CHIPS = 12  # speakers offered as chips on a day, the most quoted first: a busy day quotes hundreds


def _value_facets(session: Session, column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
                  selected: Sequence[str], *conditions: ColumnElement[bool], limit: int | None = None) -> list[Facet]:
    """One chip per value of a report column under the conditions, the commonest first, chosen ones always shown."""
    rows = session.execute(
        select(column, func.count(Report.id)).join(Article, Report.article_id == Article.id)
        .where(column.is_not(None), *conditions).group_by(column)
    )
    counts = {value: n for value, n in rows}
    ranked = sorted(counts, key=lambda v: (-counts[v], v.lower()))
    shown = ranked[:limit] if limit is not None else ranked
    shown += [v for v in selected if v not in shown]
    label = kind_label if column is Report.kind else str
    return [Facet(v, label(v), counts.get(v, 0), v in selected) for v in shown]


def report_page(session: Session, page: int, size: int, *conditions: ColumnElement[bool], total: int | None = None
                ) -> tuple[list[ReportItem], Paging]:
    """One page of the reports matching the conditions, in export order, and where it sits in the list;
    `total`, when the caller has it from the counts, saves counting the matching reports."""
    if total is None:
        total = session.scalar(
            select(func.count(Report.id)).join(Article, Report.article_id == Article.id).where(*conditions))
    pages = paging(page, size, total or 0)
    # The page's ids first: a busy day's sort then carries ids, not every quote, basis and title.
    ids = session.scalars(
        select(Report.id).join(Article, Report.article_id == Article.id).where(*conditions)
        .order_by(Article.source, Report.position, Report.id).limit(size).offset(pages.offset)
    ).all()
    rows = session.execute(REPORT_ITEMS.where(Report.id.in_(ids))) if ids else []
    return [report_item(row) for row in rows], pages


def _neighbours(
    session: Session, frame: tuple[dt.date, dt.date] | None, date: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The days before and after: the frame's days, and outside it the nearest days with reports."""
    nearest = session.execute(select(
        select(func.max(ReportCount.date)).where(ReportCount.date < date).scalar_subquery(),
        select(func.min(ReportCount.date)).where(ReportCount.date > date).scalar_subquery(),
    )).one()
    earlier, later = [nearest[0]], [nearest[1]]
    if frame is not None:
        earlier.append(min(date - ONE_DAY, frame[1]) if date > frame[0] else None)
        later.append(max(date + ONE_DAY, frame[0]) if date < frame[1] else None)
    earlier_days = [d for d in earlier if d is not None]
    later_days = [d for d in later if d is not None]
    return (max(earlier_days) if earlier_days else None, min(later_days) if later_days else None)


