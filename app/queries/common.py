"""What every page's query shares: the outlet and agency filters and facets, report items, the truce clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Executable, Row, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.extract.types import UNKNOWN_OUTLET_SLUG
from app.queries.pagedata import (
    Facet,
    MilestoneRef,
    OutletRef,
    ReportItem,
    TruceClock,
)
from app.store.models import Article, Milestone, Outlet, Report, ReportCount

ONE_DAY = dt.timedelta(days=1)
TRUCE_START_KIND = "truce_start"
TRUCE_END_KINDS = ("truce_end", "collapse")  # the first of these ends the truce clock


# The filter value and coverage column of reports whose article names no outlet. No outlet may take this slug:
# the catalogue refuses it (app.extract.catalog) and a publisher's slug avoids it (app.extract.publishers.slug_for).
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



@dataclass(frozen=True)
class Tally:
    """Where a page counts reports: the reports themselves (any condition on Report or Article), or the
    loader's report_count rows (conditions on ReportCount: date, precision, outlet, agency, kind), which a
    page sums in a fraction of the time on a big database."""

    source: Any  # what the counting SELECT reads from
    total: ColumnElement[int]  # the count of the rows under the conditions
    outlet_id: Any
    agency_id: Any
    date: Any


REPORTS = Tally(Report.__table__.join(Article.__table__, Report.article_id == Article.id), func.count(Report.id),
                Article.outlet_id, Article.agency_id, Report.date)
COUNTS = Tally(ReportCount.__table__, func.coalesce(func.sum(ReportCount.reports), 0), ReportCount.outlet_id,
               ReportCount.agency_id, ReportCount.date)


# -- statements built once ------------------------------------------------------------------------
# A page's statements are built at import (or once per filter shape, below), their values bound when they run:
# SQLAlchemy memoises a statement object's cache key, so each finds its compiled form in the engine's cache at
# once, where a select() built per request is built, then cache-keyed by walking it, every time.


def run(session: Session, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Row]:
    """The rows of a statement built once, its parameters bound: on the session's connection, as plain rows."""
    return session.connection().execute(statement, params or {}).all()


def run_scalar(session: Session, statement: Executable, params: Mapping[str, Any] | None = None) -> Any:
    return session.connection().execute(statement, params or {}).scalar()


@dataclass(frozen=True)
class Shape:
    """Which filters a request has, and so which statement it runs: one is built per shape, its values bound."""

    outlets: bool = False
    unknown_outlet: bool = False  # the outlet filter also chooses the articles that name no outlet
    agencies: bool = False
    kinds: bool = False
    speakers: bool = False

    def without(self, name: str) -> Shape:
        """The shape with one filter left out (a filter's own chips count under the others)."""
        return dataclasses.replace(self, **{name: False}, **({"unknown_outlet": False} if name == "outlets" else {}))


@dataclass(frozen=True)
class Chosen:
    """A request's filters: outlet and agency slugs, report kinds and speakers, each de-duplicated in order."""

    outlets: Sequence[str] = ()
    agencies: Sequence[str] = ()
    kinds: Sequence[str] = ()
    speakers: Sequence[str] = ()

    @property
    def shape(self) -> Shape:
        return Shape(bool(self.outlets), UNKNOWN_OUTLET.slug in self.outlets, bool(self.agencies), bool(self.kinds),
                     bool(self.speakers))

    def params(self) -> dict[str, Any]:
        """The values of the filters' bind parameters (shape_conditions names them)."""
        return {"outlets": list(self.outlets), "agencies": list(self.agencies), "kinds": list(self.kinds),
                "speakers": list(self.speakers)}


def shape_conditions(shape: Shape, tally: Tally | None = None) -> list[ColumnElement[bool]]:
    """The filters of a shape as conditions with bind parameters ("outlets", "agencies", "kinds", "speakers"),
    on the report rows (REPORTS) or the loader's counts (COUNTS: outlets and agencies only)."""
    tally = tally or REPORTS
    conditions = []
    if shape.outlets:
        named = tally.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(bindparam("outlets", expanding=True))))
        conditions.append(or_(named, tally.outlet_id.is_(None)) if shape.unknown_outlet else named)
    if shape.agencies:  # the agencies' copy wherever it ran, their own pages included (as agency_filter)
        chosen = select(Outlet.id).where(Outlet.slug.in_(bindparam("agencies", expanding=True)))
        conditions.append(or_(tally.agency_id.in_(chosen), tally.outlet_id.in_(chosen)))
    if shape.kinds:
        conditions.append(Report.kind.in_(bindparam("kinds", expanding=True)))
    if shape.speakers:
        conditions.append(Report.speaker.in_(bindparam("speakers", expanding=True)))
    return conditions


# -- shared pieces -------------------------------------------------------------------------------

_KNOWN_SLUGS = select(Outlet.slug).where(Outlet.slug.in_(bindparam("slugs", expanding=True)))
_ALL_SLUGS = select(Outlet.slug).order_by(Outlet.slug)


def check_outlets(session: Session, slugs: Sequence[str]) -> list[str]:
    """The filter's slugs, de-duplicated in order; raises UnknownOutlet for one no outlet has."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    # A NUL cannot be in any slug, and PostgreSQL refuses it in a query parameter: such a slug is just unknown.
    known = {slug for slug, in run(session, _KNOWN_SLUGS, {"slugs": [s for s in wanted if "\x00" not in s]})}
    known.add(UNKNOWN_OUTLET.slug)
    for slug in wanted:
        if slug not in known:
            slugs = [slug for slug, in run(session, _ALL_SLUGS)]
            raise UnknownOutlet(slug, [*slugs, UNKNOWN_OUTLET.slug])
    return wanted


def outlet_filter(selected: Sequence[str], tally: Tally = REPORTS) -> ColumnElement[bool] | None:
    """Articles of the chosen outlets; the unknown outlet's slug chooses the articles that name none."""
    if not selected:
        return None
    named = tally.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(selected)))
    return or_(named, tally.outlet_id.is_(None)) if UNKNOWN_OUTLET.slug in selected else named


def _agency_rows() -> Select:
    """Outlets an agency filter may name: the catalogue's agencies and any outlet whose copy an article runs."""
    return select(Outlet.slug, Outlet.name).where(
        or_(Outlet.agency.is_(True), Outlet.id.in_(select(Article.agency_id).where(Article.agency_id.is_not(None))))
    )


_AGENCY_ROWS = _agency_rows()


def check_agencies(session: Session, slugs: Sequence[str]) -> list[str]:
    """The agency filter's slugs, de-duplicated in order; raises UnknownAgency for one no agency has."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    known = {slug for slug, _ in run(session, _AGENCY_ROWS)}
    for slug in wanted:
        if slug not in known:
            raise UnknownAgency(slug, sorted(known))
    return wanted


def agency_filter(selected: Sequence[str], tally: Tally = REPORTS) -> ColumnElement[bool] | None:
    """The chosen agencies' copy wherever it ran: articles running it under another host, and the agencies' own
    pages, with or without a credit line (on its own site an agency need not name itself)."""
    if not selected:
        return None
    chosen = select(Outlet.id).where(Outlet.slug.in_(selected))
    return or_(tally.agency_id.in_(chosen), tally.outlet_id.in_(chosen))


def agency_facet_counts(session: Session, selected: Sequence[str], *conditions: ColumnElement[bool],
                        tally: Tally = REPORTS) -> list[Facet]:
    """One facet per agency whose copy some article runs under its own host (plus any selected one), counting
    the reports under the conditions that its filter selects (its own pages included, as agency_filter does); an
    agency carried only on its own pages (TASS on tass.com) gets no chip, since there it is no wire copy."""
    counts = {slug: n for slug, n in session.execute(agency_counts(tally, *conditions))}
    return agency_chips(session, selected, counts, tally)


def agency_counts(tally: Tally, *conditions: ColumnElement[bool]) -> Select:
    """(agency slug, reports) under the conditions, the agency's own pages counted with its copy elsewhere."""
    return (select(Outlet.slug, tally.total).select_from(tally.source)
            .join(Outlet, or_(tally.agency_id == Outlet.id, tally.outlet_id == Outlet.id))
            .where(*conditions).group_by(Outlet.slug))


def agency_chips(session: Session, selected: Sequence[str], counts: Mapping[str, int],
                 tally: Tally = REPORTS) -> list[Facet]:
    """The agency facets of agency_facet_counts, from counts already made."""
    carried = run(session, _CARRIED_BY_ARTICLES if tally is REPORTS else _CARRIED_BY_COUNTS)
    agencies = [OutletRef(slug, name) for slug, name in carried]
    shown = {a.slug for a in agencies}
    missing = [s for s in selected if s not in shown]
    if missing:
        agencies += [OutletRef(slug, name) for slug, name in run(session, _AGENCY_ROWS) if slug in missing]
    return [Facet(a.slug, a.name, counts.get(a.slug, 0), a.slug in selected) for a in agencies]


def _carried_agencies(tally: Tally) -> Select:
    """Agencies whose copy an article runs under another host: from the articles, or (COUNTS) from the
    counts of their reports, the same agencies but for one carried only by articles without a report."""
    if tally is REPORTS:
        outlet_id, agency_id, source = Article.outlet_id, Article.agency_id, Article.__table__
    else:
        outlet_id, agency_id, source = tally.outlet_id, tally.agency_id, tally.source
    return (select(Outlet.slug, Outlet.name).select_from(source).join(Outlet, agency_id == Outlet.id)
            .where(or_(outlet_id.is_(None), outlet_id != agency_id))
            .group_by(Outlet.slug, Outlet.name).order_by(func.lower(Outlet.name)))


_CARRIED_BY_ARTICLES, _CARRIED_BY_COUNTS = _carried_agencies(REPORTS), _carried_agencies(COUNTS)


def outlet_slug(slug: str | None) -> str:
    """A report's outlet slug as filters and columns name it: the unknown outlet's for none."""
    return slug if slug is not None else UNKNOWN_OUTLET.slug


_REPORTING_OUTLETS = select(Outlet.slug, Outlet.name).where(Outlet.articles.any()).order_by(func.lower(Outlet.name))
_UNNAMED_OUTLET = select(Article.id).where(Article.outlet_id.is_(None)).limit(1)
_NAMED_OUTLETS = select(Outlet.slug, Outlet.name).where(Outlet.slug.in_(bindparam("slugs", expanding=True)))


def reporting_outlets(session: Session) -> list[OutletRef]:
    """Outlets with at least one article, by name (the unknown outlet is not one: see outlet_columns)."""
    return [OutletRef(slug, name) for slug, name in run(session, _REPORTING_OUTLETS)]


def outlet_columns(session: Session) -> list[OutletRef]:
    """The columns of every coverage view and the choices of every outlet filter: the reporting outlets, then
    the unknown outlet when some article names none, so every report is counted under one of them."""
    unnamed = run_scalar(session, _UNNAMED_OUTLET)
    return reporting_outlets(session) + ([UNKNOWN_OUTLET] if unnamed is not None else [])


_HOST, _AGENCY = aliased(Outlet, name="host"), aliased(Outlet, name="agency")
# Only what a report's item shows, as plain rows: no ORM entities, no article text. The conditions may name
# Report, Article and Outlet (a filter's subquery); the joined outlets are aliases, so nothing correlates.
REPORT_ITEMS = (
    select(Article.source, _HOST.name, Report.date, Report.precision, Report.kind, Milestone.slug, Report.basis,
           Report.reasoning, Report.quote, Report.span_start, Report.span_end, Report.speaker, Report.article_id,
           Report.id, _HOST.slug, Milestone.title, Article.title, Article.published, _AGENCY.name, _AGENCY.slug,
           Article.published_basis)
    .join(Article, Report.article_id == Article.id)
    .outerjoin(_HOST, Article.outlet_id == _HOST.id)
    .outerjoin(_AGENCY, Article.agency_id == _AGENCY.id)
    .outerjoin(Milestone, Report.milestone_id == Milestone.id)
    .order_by(Article.source, Report.position, Report.id)
)


def report_items(session: Session, *conditions: ColumnElement[bool]) -> list[ReportItem]:
    """Reports matching the conditions, as the export shows them plus the names pages link with."""
    return [report_item(row) for row in session.execute(REPORT_ITEMS.where(*conditions))]


def report_item(row: Row) -> ReportItem:
    """One row of REPORT_ITEMS as the item the pages and JSON twins show."""
    (source, outlet, date, precision, kind, milestone, basis, reasoning, quote, start, end, speaker, article_id,
     report_id, outlet_slug_, milestone_title, title, published, agency, agency_slug, published_basis) = row
    return ReportItem(source, outlet, date.isoformat() if date else None, precision, kind, milestone, basis,
                      reasoning, quote, [start, end], speaker, article_id, report_id, outlet_slug_, milestone_title,
                      title, published.isoformat() if published else None, agency, agency_slug,
                      published_basis=published_basis)


def outlet_facets(session: Session, selected: Sequence[str], *conditions: ColumnElement[bool],
                  tally: Tally = REPORTS) -> list[Facet]:
    """One facet per outlet column (plus any selected one), counting its reports under the conditions: the
    counts of every report, the unknown outlet's included, add up to the reports under the conditions."""
    return outlet_chips(session, selected, outlet_counts(session.execute(outlet_count_rows(tally, *conditions))))


def outlet_count_rows(tally: Tally, *conditions: ColumnElement[bool]) -> Select:
    """(outlet slug or None, reports) under the conditions."""
    return (select(Outlet.slug, tally.total).select_from(tally.source)
            .outerjoin(Outlet, tally.outlet_id == Outlet.id).where(*conditions).group_by(Outlet.slug))


def outlet_counts(rows: Any) -> dict[str, int]:
    return {outlet_slug(slug): n for slug, n in rows}


def outlet_chips(session: Session, selected: Sequence[str], counts: Mapping[str, int]) -> list[Facet]:
    """The outlet facets of outlet_facets, from counts already made."""
    outlets = outlet_columns(session)
    shown = {o.slug for o in outlets}
    missing = [s for s in selected if s not in shown]
    named_missing = [s for s in missing if s != UNKNOWN_OUTLET.slug]
    if named_missing:  # a chosen outlet with no article yet keeps its chip
        extra = run(session, _NAMED_OUTLETS, {"slugs": named_missing})
        outlets += [OutletRef(slug, name) for slug, name in extra]
    if UNKNOWN_OUTLET.slug in missing:
        outlets.append(UNKNOWN_OUTLET)
    return [Facet(o.slug, o.name, counts.get(o.slug, 0), o.slug in selected) for o in outlets]


def milestone_refs(session: Session, *conditions: ColumnElement[bool]) -> list[MilestoneRef]:
    rows = session.execute(select(Milestone.slug, Milestone.date, Milestone.kind, Milestone.title)
                           .where(*conditions).order_by(Milestone.date, Milestone.id))
    return [MilestoneRef(*row) for row in rows]


def wire_agency(article: Article) -> OutletRef | None:
    """The agency whose copy the article runs, unless it is the host itself (an agency's own pages)."""
    agency = article.agency
    if agency is None or agency.id == article.outlet_id:
        return None
    return OutletRef(agency.slug, agency.name)


# -- the truce clock -----------------------------------------------------------------------------


# The truce clock's two days, as scalar subqueries a page's other one-row lookups may carry.
TRUCE_START = select(func.min(Milestone.date)).where(Milestone.kind == TRUCE_START_KIND).scalar_subquery()
TRUCE_END = select(func.min(Milestone.date)).where(Milestone.kind.in_(TRUCE_END_KINDS)).scalar_subquery()
_TRUCE_BOUNDS = select(TRUCE_START, TRUCE_END)


def truce_bounds(session: Session) -> tuple[dt.date | None, dt.date | None]:
    start, end = run(session, _TRUCE_BOUNDS)[0]
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


