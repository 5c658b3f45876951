"""Plain, fully evaluated data the pages render: what app.queries returns, no ORM objects inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.highlight import Segment, segments


@dataclass(frozen=True)
class Window:
    """The stretch of time the timeline covers (the catalogue's ceasefire window)."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@dataclass(frozen=True)
class OutletRef:
    slug: str
    name: str


@dataclass(frozen=True)
class MilestoneRef:
    slug: str
    date: dt.date
    kind: str
    title: str


@dataclass(frozen=True)
class ReportItem:
    """One report: the export's fields (app.export.report_dict) first, then what pages add."""

    source: str
    outlet: str | None
    date: str | None
    precision: str
    kind: str
    milestone: str | None
    basis: str | None
    reasoning: str | None
    quote: str
    span: list[int]
    speaker: str | None
    article_id: int
    id: int
    outlet_slug: str | None = None
    milestone_title: str | None = None
    article_title: str | None = None
    published: str | None = None  # the article's publication date, ISO


@dataclass(frozen=True)
class OutletReports:
    """The reports of one outlet (None: outlet unknown), in article order."""

    outlet: OutletRef | None
    reports: list[ReportItem]


@dataclass(frozen=True)
class Facet:
    """One outlet choice in a filter; toggle_url is added by the web layer (app.urls)."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str = ""


@dataclass(frozen=True)
class TruceClock:
    phase: str  # before / during / after
    day: int  # day 1 is the truce_start milestone's date; negative or zero before it
    label: str  # "day 6 of the truce"


@dataclass(frozen=True)
class Coverage:
    """Whether (and how much) one outlet reported on one day."""

    outlet: OutletRef
    count: int


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    clock: TruceClock | None
    milestones: list[MilestoneRef]
    coverage: list[Coverage]
    reports: int  # reports that day, under the current filter
    quiet: bool  # no report and no milestone: shown as quiet, not skipped


@dataclass(frozen=True)
class DayCount:
    date: dt.date
    reports: int
    precision: str = "day"  # "month": the reports name a month, shown as such, not as its first day


@dataclass(frozen=True)
class TimelinePage:
    start: dt.date | None  # first and last day shown; None when there is nothing at all
    end: dt.date | None
    days: list[DayRow]
    outlets: list[OutletRef]  # the coverage strip's columns, in order
    facets: list[Facet]
    selected: list[str]
    outside: list[DayCount]  # report dates outside the window, for completeness
    undated: int  # reports with no date at all


@dataclass(frozen=True)
class DayPage:
    date: dt.date
    clock: TruceClock | None
    milestones: list[MilestoneRef]
    reports: list[ReportItem]
    facets: list[Facet]
    selected: list[str]
    previous: dt.date | None
    next: dt.date | None
    in_window: bool

    def by_outlet(self) -> list[OutletReports]:
        return group_by_outlet(self.reports)


@dataclass(frozen=True)
class MilestoneDetail:
    slug: str
    date: dt.date
    kind: str
    title: str
    summary: str
    sources: list[str]


@dataclass(frozen=True)
class MilestonePage:
    milestone: MilestoneDetail
    clock: TruceClock | None
    reports: list[ReportItem]
    reporting: list[OutletReports]  # each outlet's words about it
    silent: list[OutletRef]  # outlets with articles that do not report it
    previous: MilestoneRef | None
    next: MilestoneRef | None


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    source: str
    title: str | None
    url: str | None
    published: dt.date | None
    published_basis: str | None
    reports: int


@dataclass(frozen=True)
class DayReports:
    date: dt.date | None  # None: the undated reports
    reports: list[ReportItem]


@dataclass(frozen=True)
class OutletPage:
    outlet: OutletRef
    homepage: str | None
    description: str | None
    articles: list[ArticleSummary]
    days: list[DayReports]
    reports: int


@dataclass(frozen=True)
class ArticlePage:
    article: ArticleSummary
    outlet: OutletRef | None
    outlet_basis: str | None
    text: str
    reports: list[ReportItem]

    def highlighted(self) -> list[Segment]:
        """The text in runs, each dated sentence marked by the reports it carries."""
        return segments(self.text, [(r.id, r.span[0], r.span[1]) for r in self.reports])

    def number(self, report_id: int) -> int:
        """A report's footnote number on the article page, from 1."""
        return next(i for i, r in enumerate(self.reports, 1) if r.id == report_id)


def group_by_outlet(reports: list[ReportItem]) -> list[OutletReports]:
    """Reports grouped by outlet, outlets by name, the unknown outlet last; order kept within a group."""
    groups: dict[str | None, list[ReportItem]] = {}
    names: dict[str | None, OutletRef | None] = {}
    for report in reports:
        groups.setdefault(report.outlet_slug, []).append(report)
        names[report.outlet_slug] = (
            OutletRef(report.outlet_slug, report.outlet or report.outlet_slug) if report.outlet_slug else None
        )
    order = sorted(groups, key=lambda slug: (slug is None, (names[slug].name.lower() if names[slug] else "")))
    return [OutletReports(names[slug], groups[slug]) for slug in order]
