"""The timeline and one day's page."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, Date, Integer, Row, Select, bindparam, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.queries.common import (
    COUNTS,
    ONE_DAY,
    REPORT_ITEMS,
    REPORTS,
    TRUCE_END,
    TRUCE_START,
    Chosen,
    Shape,
    agency_chips,
    agency_counts,
    check_agencies,
    check_outlets,
    outlet_chips,
    outlet_columns,
    outlet_count_rows,
    outlet_counts,
    outlet_slug,
    report_item,
    run,
    run_scalar,
    shape_conditions,
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
    MilestoneRef,
    TimelinePage,
    Window,
    paging,
)
from app.queries.wirestories import day_tellings, outlets_told
from app.store.models import Article, Milestone, Outlet, Report, ReportCount

DAY_PAGE_SIZE = 50  # reports per day page: a busy day of a big corpus has thousands

# -- the timeline --------------------------------------------------------------------------------

_WINDOW_START, _WINDOW_END = bindparam("window_start", type_=Date), bindparam("window_end", type_=Date)
_IN_WINDOW = ReportCount.date.between(_WINDOW_START, _WINDOW_END)
_MILESTONES_IN_WINDOW = Milestone.date.between(_WINDOW_START, _WINDOW_END)
# The frame: dated reports and milestones inside the window, each min() and max() a single step along its index.
_FRAME = (
    select(func.min(ReportCount.date)).where(_IN_WINDOW).scalar_subquery(),
    select(func.max(ReportCount.date)).where(_IN_WINDOW).scalar_subquery(),
    select(func.min(Milestone.date)).where(_MILESTONES_IN_WINDOW).scalar_subquery(),
    select(func.max(Milestone.date)).where(_MILESTONES_IN_WINDOW).scalar_subquery(),
)
_FRAME_ONLY = select(*_FRAME)
_TIMELINE_SPAN = select(*_FRAME, TRUCE_START, TRUCE_END)  # the frame and the truce clock, one round trip
_FIRST, _LAST = bindparam("first", type_=Date), bindparam("last", type_=Date)
_MILESTONES_BETWEEN = (select(Milestone.slug, Milestone.date, Milestone.kind, Milestone.title)
                       .where(Milestone.date.between(_FIRST, _LAST)).order_by(Milestone.date, Milestone.id))


def _frame_of(span: Sequence[dt.date | None]) -> tuple[dt.date, dt.date] | None:
    days = [d for d in span if d is not None]
    return (min(days), max(days)) if days else None


def _window_params(window: Window) -> dict[str, dt.date]:
    return {"window_start": window.start, "window_end": window.end}


def timeline_frame(session: Session, window: Window) -> tuple[dt.date, dt.date] | None:
    """First and last day shown: dated reports and milestones inside the window, whatever the filter."""
    return _frame_of(run(session, _FRAME_ONLY, _window_params(window))[0])


@functools.cache
def _timeline_statements(shape: Shape, framed: bool) -> dict[str, Select]:
    """The timeline's counting statements for one filter shape (outlets, agencies), over the frame or not."""
    by_outlet = shape_conditions(Shape(shape.outlets, shape.unknown_outlet), COUNTS)
    by_agency = shape_conditions(Shape(agencies=shape.agencies), COUNTS)
    scope = [ReportCount.date.between(_FIRST, _LAST)] if framed else []
    everything = [*by_outlet, *by_agency]
    return {
        "outlets": outlet_count_rows(COUNTS, *scope, *by_agency),
        "agencies": agency_counts(COUNTS, *scope, *by_outlet),
        "coverage": (select(ReportCount.date, Outlet.slug, COUNTS.total)
                     .outerjoin(Outlet, ReportCount.outlet_id == Outlet.id)
                     .where(*scope, *everything).group_by(ReportCount.date, Outlet.slug)),
        "outside": (select(ReportCount.date, ReportCount.precision, COUNTS.total)
                    .where(ReportCount.date.is_not(None), ~_IN_WINDOW, *everything)
                    .group_by(ReportCount.date, ReportCount.precision)
                    .order_by(ReportCount.date, ReportCount.precision)),
        "undated": select(COUNTS.total).where(ReportCount.date.is_(None), *everything),
    }


def timeline(session: Session, window: Window, selected: Sequence[str],
             agencies: Sequence[str] = ()) -> TimelinePage:
    """Every day of the frame, quiet ones included, with milestones and per-outlet coverage."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    chosen = Chosen(selected, agencies)
    span = run(session, _TIMELINE_SPAN, _window_params(window))[0]
    frame, (start, end) = _frame_of(span[:4]), span[4:]
    statements = _timeline_statements(chosen.shape, frame is not None)
    params = {**chosen.params(), **_window_params(window)}
    if frame is not None:
        params.update(first=frame[0], last=frame[1])
    all_outlets = outlet_columns(session)
    columns = [o for o in all_outlets if o.slug in selected] if selected else all_outlets
    # Each filter's chips count under the other filter, so the chips of either add up to the reports shown.
    facets = outlet_chips(session, selected, outlet_counts(run(session, statements["outlets"], params)))
    agency_facets = agency_chips(session, agencies, dict(run(session, statements["agencies"], params)), COUNTS)
    outside = [DayCount(day, n, precision) for day, precision, n in run(session, statements["outside"], params)]
    undated = run_scalar(session, statements["undated"], params) or 0
    if frame is None:
        return TimelinePage(None, None, [], columns, facets, selected, outside, undated, agency_facets, agencies)
    counts = Counter({(day, outlet_slug(slug)): n for day, slug, n in run(session, statements["coverage"], params)})
    milestones = [MilestoneRef(*row) for row in run(session, _MILESTONES_BETWEEN, params)]
    totals: Counter[dt.date] = Counter()
    for (day, _), n in counts.items():
        totals[day] += n
    # The headlines read the reports themselves (their quotes and speakers), so they filter the report rows.
    headlines = day_headlines(session, frame, chosen, milestones)
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


# -- one day -------------------------------------------------------------------------------------

_DATE = bindparam("date", type_=Date)
_ON_DAY = Report.date == _DATE
# Everything about a day that is one value: the frame, the truce clock, its neighbours, whether it has reports.
_DAY_SPAN = select(
    *_FRAME, TRUCE_START, TRUCE_END,
    select(func.max(ReportCount.date)).where(ReportCount.date < _DATE).scalar_subquery(),
    select(func.min(ReportCount.date)).where(ReportCount.date > _DATE).scalar_subquery(),
    select(ReportCount.id).where(ReportCount.date == _DATE).limit(1).scalar_subquery(),
)
_MILESTONES_ON_DAY = (select(Milestone.slug, Milestone.date, Milestone.kind, Milestone.title)
                      .where(Milestone.date == _DATE).order_by(Milestone.date, Milestone.id))
_PAGE_SIZE, _OFFSET = bindparam("size", type_=Integer), bindparam("offset", type_=Integer)


@functools.cache
def _day_statements(shape: Shape) -> dict[str, Select | None]:
    """A day page's statements for one filter shape: its chips, its total (None: the outlet chips add up to
    it), a page of its reports."""
    chosen_here = shape_conditions(shape)
    if shape.kinds or shape.speakers:  # the loader's counts have no speaker: count the day's reports themselves
        outlets = outlet_count_rows(REPORTS, _ON_DAY, *shape_conditions(shape.without("outlets")))
        agencies = agency_counts(REPORTS, _ON_DAY, *shape_conditions(shape.without("agencies")))
    else:
        counted = ReportCount.date == _DATE
        counted_outlet = shape_conditions(Shape(shape.outlets, shape.unknown_outlet), COUNTS)
        counted_agency = shape_conditions(Shape(agencies=shape.agencies), COUNTS)
        outlets = outlet_count_rows(COUNTS, counted, *counted_agency)
        agencies = agency_counts(COUNTS, counted, *counted_outlet)
    # The page's ids first, in a subquery: a busy day's sort then carries ids, not every quote, basis and title.
    page_ids = (select(Report.id).join(Article, Report.article_id == Article.id).where(_ON_DAY, *chosen_here)
                .order_by(Article.source, Report.position, Report.id).limit(_PAGE_SIZE).offset(_OFFSET)
                .correlate(None))
    return {
        "total": _count_reports(_ON_DAY, *chosen_here) if shape.kinds or shape.speakers else None,
        "outlets": outlets,
        "agencies": agencies,
        "reports": REPORT_ITEMS.where(Report.id.in_(page_ids)),
        "kinds": _value_counts(Report.kind, _ON_DAY, *shape_conditions(shape.without("kinds"))),
        "speakers": _value_counts(Report.speaker, _ON_DAY, *shape_conditions(shape.without("speakers"))),
    }


def day(session: Session, window: Window, date: dt.date, selected: Sequence[str], page: int = 1,
        agencies: Sequence[str] = (), *, kinds: Sequence[str] = (), speakers: Sequence[str] = ()) -> DayPage | None:
    """One day's milestones and a page of its reports, as events; None when the day is neither in the frame
    nor in any report. kinds and speakers filter the reports as the outlets do."""
    selected = check_outlets(session, selected)
    agencies = check_agencies(session, agencies)
    chosen = Chosen(selected, agencies, list(dict.fromkeys(kinds)), list(dict.fromkeys(speakers)))
    params = {**chosen.params(), **_window_params(window), "date": date}
    span = run(session, _DAY_SPAN, params)[0]
    frame, (start, end), nearest, has_reports = _frame_of(span[:4]), span[4:6], span[6:8], span[8] is not None
    in_frame = frame is not None and frame[0] <= date <= frame[1]
    if not in_frame and not has_reports:
        return None
    statements = _day_statements(chosen.shape)
    previous, following = _neighbours(frame, date, nearest)
    milestones = [MilestoneRef(*row) for row in run(session, _MILESTONES_ON_DAY, params)]
    outlet_tally = outlet_counts(run(session, statements["outlets"], params))
    if statements["total"] is not None:
        total = run_scalar(session, statements["total"], params) or 0
    else:  # counted by the loader: the chosen outlets' chips (every outlet's, unfiltered) under the same agencies
        total = sum(n for slug, n in outlet_tally.items() if not selected or slug in selected)
    pages = paging(page, DAY_PAGE_SIZE, total)
    reports = [report_item(row) for row in
               run(session, statements["reports"], {**params, "size": pages.size, "offset": pages.offset})]
    tellings, stories = day_tellings(session, params, _ON_DAY, *shape_conditions(chosen.shape))
    return DayPage(
        date=date,
        clock=truce_clock(date, start, end),
        milestones=milestones,
        reports=reports,
        facets=outlet_chips(session, selected, outlet_tally),
        selected=selected,
        previous=previous,
        next=following,
        in_window=date in window,
        paging=pages,
        agencies=agency_chips(session, agencies, dict(run(session, statements["agencies"], params)),
                              REPORTS if chosen.kinds or chosen.speakers else COUNTS),
        selected_agencies=agencies,
        wire_stories=stories,
        groups=group_events(reports, [m.slug for m in milestones], stories),
        kinds=_value_facets(run(session, statements["kinds"], params), chosen.kinds, label=kind_label),
        selected_kinds=chosen.kinds,
        speakers=_value_facets(run(session, statements["speakers"], params), chosen.speakers, limit=SPEAKER_CHIPS),
        selected_speakers=chosen.speakers,
        outlet_count=outlets_told(tellings),
    )


def _count_reports(*conditions: ColumnElement[bool]) -> Select:
    return select(func.count(Report.id)).join(Article, Report.article_id == Article.id).where(*conditions)


SPEAKER_CHIPS = 12  # speakers offered as chips on a day, the most quoted first: a busy day quotes hundreds


def _value_counts(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
                  *conditions: ColumnElement[bool]) -> Select:
    """(value, reports) of a report column under the conditions."""
    return (select(column, func.count(Report.id)).join(Article, Report.article_id == Article.id)
            .where(column.is_not(None), *conditions).group_by(column))


def _value_facets(rows: Sequence[Row], selected: Sequence[str], *, label: Callable[[str], str] = str,
                  limit: int | None = None) -> list[Facet]:
    """One chip per counted value, the commonest first, chosen ones always shown."""
    counts = {value: n for value, n in rows}
    ranked = sorted(counts, key=lambda v: (-counts[v], v.lower()))
    shown = ranked[:limit] if limit is not None else ranked
    shown += [v for v in selected if v not in shown]
    return [Facet(v, label(v), counts.get(v, 0), v in selected) for v in shown]


def _neighbours(frame: tuple[dt.date, dt.date] | None, date: dt.date,
                nearest: Sequence[dt.date | None]) -> tuple[dt.date | None, dt.date | None]:
    """The days before and after: the frame's days, and outside it the nearest days with reports."""
    earlier, later = [nearest[0]], [nearest[1]]
    if frame is not None:
        earlier.append(min(date - ONE_DAY, frame[1]) if date > frame[0] else None)
        later.append(max(date + ONE_DAY, frame[0]) if date < frame[1] else None)
    earlier_days = [d for d in earlier if d is not None]
    later_days = [d for d in later if d is not None]
    return (max(earlier_days) if earlier_days else None, min(later_days) if later_days else None)
