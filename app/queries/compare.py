"""Queries that compare the outlets: figures and their disagreements, coverage, blind spots, claims of blame.

Figures and claims belong to the reports quoting the same sentence: they join on (article_id, span_start).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, joinedload

from app.queries import common, timeline
from app.queries.pagedata import (
    ClaimItem,
    ClaimPair,
    ClaimsPage,
    CoverageCell,
    CoveragePage,
    Facet,
    FigureGroup,
    FigureItem,
    FiguresPage,
    MilestoneCoverage,
    MilestoneDetail,
    MilestoneRef,
    OutletRef,
    PartyFacet,
    ReportItem,
    Window,
    figure_display,
    group_figures,
)
from app.queries.wirestories import TellingIds, carried_stories, named_tellings, outlet_refs, outlets_told
from app.store.models import Article, Claim, Figure, Milestone, Outlet, Report


class UnknownParty(LookupError):
    """A party slug in the claims filter that seeds/parties.toml does not name."""

    def __init__(self, slug: str, known: Sequence[str]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.known = list(known)


# -- figures -------------------------------------------------------------------------------------

_SENTENCE = and_(Report.article_id == Figure.article_id, Report.span_start == Figure.span_start)


def figure_items(session: Session, *conditions) -> list[FigureItem]:
    """Figures whose own report (figure_owner: the sentence's report nearest the figure) matches the conditions.

    A sentence may tell two events ("extended by 48 hours, and yesterday for another 72 hours"): each figure
    goes with the report whose words stand nearest it, so a milestone's figures are about that milestone."""
    matching = session.execute(
        select(Figure.id, Report.id).join(Report, _SENTENCE).join(Article, Article.id == Figure.article_id)
        .where(*conditions)
    ).all()
    wanted: dict[int, set[int]] = {}
    for figure_id, report_id in matching:
        wanted.setdefault(figure_id, set()).add(report_id)
    if not wanted:
        return []
    rows = session.execute(
        select(Figure, Report).join(Report, _SENTENCE).join(Article, Article.id == Figure.article_id)
        .options(joinedload(Figure.article).joinedload(Article.outlet), joinedload(Report.milestone),
                 joinedload(Figure.article).joinedload(Article.agency))
        .where(Figure.id.in_(wanted)).order_by(Article.source, Figure.span_start, Figure.id, Report.position)
    ).unique()
    sentences: dict[int, tuple[Figure, list[Report]]] = {}
    for figure, report in rows:
        sentences.setdefault(figure.id, (figure, []))[1].append(report)
    items = []
    for figure, reports in sentences.values():
        owner = reports[figure_owner(figure.text, reports[0].quote, [r.basis for r in reports])]
        if owner.id in wanted[figure.id]:
            items.append(_figure_item(figure, owner))
    return one_per_story(items)


def one_per_story(items: list[FigureItem]) -> list[FigureItem]:
    """A figure that several hosts of one wire story give is given once, by the story, with its hosts listed."""
    def key(item: FigureItem) -> tuple | None:
        return (None if item.story is None else
                (item.story, item.value, item.unit, item.subject, item.period, item.milestone or item.kind))
    hosts: dict[tuple, list[OutletRef | None]] = {}
    agencies: dict[tuple, OutletRef] = {}  # an agency's own page names no agency beside itself: take a host's
    for item in items:
        if (copy := key(item)) is None:
            continue
        if item.outlet not in hosts.setdefault(copy, []):
            hosts[copy].append(item.outlet)
        if item.agency is not None:
            agencies.setdefault(copy, item.agency)
    merged, seen = [], set()
    for item in items:
        copy = key(item)
        if copy is None or len(hosts[copy]) < 2:
            merged.append(item)
        elif copy not in seen:
            seen.add(copy)
            merged.append(dataclasses.replace(item, carried_by=hosts[copy], agency=agencies.get(copy, item.agency)))
    return merged


def figure_owner(figure_text: str, quote: str, bases: Sequence[str | None]) -> int:
    """Which of a sentence's reports a figure in it belongs to (an index into bases): the one whose dating words
    stand nearest the figure's words, an earlier one on a tie; the first when the words cannot be placed."""
    lowered = quote.lower()
    at = lowered.find(figure_text.lower())
    if at < 0:
        return 0
    end = at + len(figure_text)

    def distance(index: int) -> tuple[int, int]:
        basis = (bases[index] or "").lower()
        start = lowered.find(basis) if basis else -1
        if start < 0:
            return (len(quote) + 1, index)  # words not in the sentence ("publication date"): the farthest
        stop = start + len(basis)
        return (max(start - end, at - stop, 0), index)

    return min(range(len(bases)), key=distance) if bases else 0


def _figure_item(figure: Figure, report: Report) -> FigureItem:
    outlet = figure.article.outlet
    return FigureItem(
        value=figure.value, display=figure_display(figure.value, figure.qualifier), unit=figure.unit,
        subject=figure.subject, qualifier=figure.qualifier, period=figure.period, text=figure.text,
        outlet=OutletRef(outlet.slug, outlet.name) if outlet else None, source=figure.article.source,
        article_id=figure.article_id, report_id=report.id,
        date=report.date.isoformat() if report.date else None, quote=report.quote, speaker=report.speaker,
        milestone=report.milestone.slug if report.milestone else None,
        milestone_title=report.milestone.title if report.milestone else None, kind=report.kind,
        agency=common.wire_agency(figure.article), story=figure.article.story_id,
    )


def figures(session: Session, selected: Sequence[str] = ()) -> FiguresPage:
    """Every figure (of the chosen outlets), grouped by milestone (else the report's kind), unit and subject."""
    selected = common.check_outlets(session, selected)
    conditions = [c for c in (common.outlet_filter(selected),) if c is not None]
    by_topic: dict[str, list[FigureItem]] = {}
    for item in figure_items(session, *conditions):
        by_topic.setdefault(item.milestone or item.kind, []).append(item)
    order = {m.slug: (0, m.date.isoformat(), m.slug) for m in common.milestone_refs(session)}
    groups: list[FigureGroup] = []
    for topic in sorted(by_topic, key=lambda t: order.get(t, (1, "", t))):
        items = by_topic[topic]
        title = items[0].milestone_title or topic.replace("_", " ")
        groups += [dataclasses.replace(g, topic=topic, topic_title=title) for g in group_figures(items)]
    groups.sort(key=lambda g: not g.disagreement)  # disagreements first; otherwise in milestone order
    return FiguresPage(groups, sum(g.disagreement for g in groups), _figure_facets(session, selected), selected)


def _figure_facets(session: Session, selected: Sequence[str]) -> list[Facet]:
    """Outlet facets counting figures, not reports."""
    counts = {common.outlet_slug(slug): n for slug, n in session.execute(
        select(Outlet.slug, func.count(Figure.id)).select_from(Figure).join(Article, Figure.article_id == Article.id)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id).group_by(Outlet.slug)
    )}
    return [dataclasses.replace(f, count=counts.get(f.value, 0)) for f in common.outlet_facets(session, selected)]


# -- coverage ------------------------------------------------------------------------------------


def coverage(session: Session, window: Window, selected: Sequence[str] = ()) -> CoveragePage:
    """Outlets x milestones (reports, and the first article reporting it) and outlets x days."""
    selected = common.check_outlets(session, selected)
    outlets = [o for o in common.outlet_columns(session) if not selected or o.slug in selected]
    told_by = (Article.outlet_id, Article.story_id, Article.agency_id)
    rows = session.execute(
        select(Report.milestone_id, Outlet.slug, *told_by, func.count(Report.id), func.min(Article.published))
        .join(Article, Report.article_id == Article.id).outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Report.milestone_id.is_not(None)).group_by(Report.milestone_id, Outlet.slug, *told_by)
    ).all()
    shown = {o.slug for o in outlets}
    cells: dict[tuple[int, str], tuple[int, dt.date | None]] = {}
    told: dict[int, list[TellingIds]] = {}
    for m, slug, host, story, agency, n, published in rows:
        key = (m, common.outlet_slug(slug))
        count, first = cells.get(key, (0, None))
        dates = [d for d in (first, published) if d is not None]
        cells[key] = (count + n, min(dates) if dates else None)
        if key[1] in shown:
            told.setdefault(m, []).append((host, story, agency))
    refs = outlet_refs(session, [id_ for m, _, host, _, agency, *_ in rows for id_ in (host, agency)])
    milestones = []
    for m in session.scalars(select(Milestone).order_by(Milestone.date, Milestone.id)):
        row = [CoverageCell(o, *cells.get((m.id, o.slug), (0, None))) for o in outlets]
        tellings = named_tellings(told.get(m.id, []), refs)
        milestones.append(MilestoneCoverage(MilestoneRef(m.slug, m.date, m.kind, m.title), row,
                                            outlets_told(tellings), carried_stories(tellings)))
    days = timeline.timeline(session, window, selected)
    return CoveragePage(outlets, milestones, days.days, days.facets, selected)


# -- claims of blame -----------------------------------------------------------------------------


def claims(session: Session, parties: Mapping[str, str], accuser: str | None, accused: str | None,
           selected: Sequence[str]) -> ClaimsPage:
    """Who blamed whom, with the sentence, filtered by accuser, accused and outlets; facets count the rest."""
    selected = common.check_outlets(session, selected)
    found = session.execute(select(Claim.accuser, Claim.accused).distinct()).all()
    parties = {**parties, **{slug: slug for pair in found for slug in pair if slug not in parties}}
    for slug in (accuser, accused):
        if slug is not None and slug not in parties:
            raise UnknownParty(slug, sorted(parties))
    everything = _claim_items(session, parties)

    def keep(c: ClaimItem, *, skip: str = "") -> bool:
        return ((skip == "accuser" or accuser is None or c.accuser == accuser)
                and (skip == "accused" or accused is None or c.accused == accused)
                and (skip == "outlet" or not selected or _claim_outlet(c) in selected))

    shown = [c for c in everything if keep(c)]
    outlet_counts = Counter(_claim_outlet(c) for c in everything if keep(c, skip="outlet"))
    facets = [dataclasses.replace(f, count=outlet_counts.get(f.value, 0))
              for f in common.outlet_facets(session, selected)]
    pairs = Counter((c.accuser, c.accused) for c in shown)
    return ClaimsPage(
        claims=shown,
        pairs=[ClaimPair(a, parties.get(a, a), b, parties.get(b, b), n) for (a, b), n in pairs.most_common()],
        accusers=_party_facets(parties, accuser, Counter(c.accuser for c in everything if keep(c, skip="accuser"))),
        accused=_party_facets(parties, accused, Counter(c.accused for c in everything if keep(c, skip="accused"))),
        facets=facets, accuser=accuser, accused_selected=accused, selected=selected, total=len(everything),
    )


def _claim_outlet(claim: ClaimItem) -> str:
    return common.outlet_slug(claim.outlet.slug if claim.outlet else None)


def _party_facets(parties: Mapping[str, str], chosen: str | None, counts: Counter[str]) -> list[PartyFacet]:
    return [PartyFacet(slug, name, counts.get(slug, 0), slug == chosen) for slug, name in parties.items()]


def _claim_items(session: Session, parties: Mapping[str, str]) -> list[ClaimItem]:
    sentence = and_(Report.article_id == Claim.article_id, Report.span_start == Claim.span_start)
    rows = session.execute(
        select(Claim, Report.id, Report.date, Report.quote).outerjoin(Report, sentence)
        .join(Article, Article.id == Claim.article_id)
        .options(joinedload(Claim.article).joinedload(Article.outlet),
                 joinedload(Claim.article).joinedload(Article.agency))
        .order_by(Report.date.is_(None), Report.date, Article.source, Claim.span_start, Claim.id, Report.position)
    ).unique()
    items: dict[int, ClaimItem] = {}
    for claim, report_id, date, quote in rows:
        if claim.id in items:
            continue
        outlet = claim.article.outlet
        items[claim.id] = ClaimItem(
            id=claim.id, accuser=claim.accuser, accuser_name=parties.get(claim.accuser, claim.accuser),
            accused=claim.accused, accused_name=parties.get(claim.accused, claim.accused), text=claim.text,
            quote=quote or claim.text, speaker=claim.speaker,
            outlet=OutletRef(outlet.slug, outlet.name) if outlet else None, source=claim.article.source,
            article_id=claim.article_id, report_id=report_id, date=date.isoformat() if date else None,
            span=[claim.span_start, claim.span_end], agency=common.wire_agency(claim.article),
        )
    return list(items.values())


# -- what the exports list -----------------------------------------------------------------------


def milestone_details(session: Session) -> list[MilestoneDetail]:
    return [MilestoneDetail(m.slug, m.date, m.kind, m.title, m.summary,
                            [s for s in m.sources.splitlines() if s.strip()])
            for m in session.scalars(select(Milestone).order_by(Milestone.date, Milestone.id))]


def dated_reports(session: Session, selected: Sequence[str], *, newest_first: bool = False) -> list[ReportItem]:
    """Every dated report (of the chosen outlets), by date, then by article and position."""
    selected = common.check_outlets(session, selected)
    conditions = [Report.date.is_not(None)]
    if selected:
        conditions.append(common.outlet_filter(selected))
    reports = sorted(common.report_items(session, *conditions), key=lambda r: r.date or "")
    return reports[::-1] if newest_first else reports
