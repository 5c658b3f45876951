"""Plain, fully evaluated data the pages render: what app.queries.timeline returns, no ORM objects inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.queries.highlight import Segment, segments
from app.queries.textsearch import Run, runs


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
    agency: str | None = None  # the wire agency whose copy the article runs (its name), beside the host outlet
    agency_slug: str | None = None
    published_basis: str | None = None  # how the article's publication date was known (dateline, metadata, inferred)

    @property
    def wire(self) -> bool:
        """The article runs another's copy: an agency that is not its host (TASS on tass.com is no wire copy)."""
        return self.agency is not None and self.agency_slug != self.outlet_slug


@dataclass(frozen=True)
class OutletReports:
    """The reports of one outlet (None: outlet unknown), in article order."""

    outlet: OutletRef | None
    reports: list[ReportItem]


@dataclass(frozen=True)
class Facet:
    """One outlet choice in a filter; toggle_url is added by the web layer (app.web.urls)."""

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
class Headline:
    """What happened on a day, in one line: a milestone as the catalogue names it, else the day's most-told event
    in its reports' own words; with how many outlets (and reports) told it that day, under the filter."""

    text: str  # the whole line as plain text: the milestone's title, or 'Speaker: “their words”'
    outlets: int
    reports: int
    milestone: MilestoneRef | None = None  # the milestone it is, when it is one
    kind: str | None = None  # else the event's kind...
    speaker: str | None = None  # ...its speaker, when the reports name one...
    words: str | None = None  # ...and a clause of its most-told quote, as the article wrote it ('…' where cut)
    # The wire stories several hosts carried among its tellings: each counted once in `outlets`.
    stories: list[WireStory] = field(default_factory=list)


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    clock: TruceClock | None
    milestones: list[MilestoneRef]
    coverage: list[Coverage]
    reports: int  # reports that day, under the current filter
    quiet: bool  # no report and no milestone: shown as quiet, not skipped
    headline: Headline | None = None  # None only on a quiet day


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
    agencies: list[Facet] = field(default_factory=list)  # the wire agencies whose copy the reports run
    selected_agencies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Paging:
    """One page of a long list: page numbers count from 1; total is the whole list's length."""

    page: int
    pages: int
    size: int
    total: int
    previous_url: str | None = None  # filled in by the web layer, which knows the request's URL
    next_url: str | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def paging(page: int, size: int, *totals: int) -> Paging:
    """Paging for the longest of the lists; a page past the end is clamped to the last page."""
    total = max(totals, default=0)
    pages = max(1, -(-total // size))
    return Paging(min(max(page, 1), pages), pages, size, total)


@dataclass(frozen=True)
class WireStory:
    """One agency's story as several hosts printed it (near-identical text): one story, its hosts listed."""

    agency: OutletRef
    hosts: list[OutletRef | None]  # None: a host the articles do not name
    article_ids: list[int]
    story: int | None = None  # the stored story's id (app.store.stories), as the export's articles carry it


# -- a day's events (app.queries.daygroups builds them) ----------------------------------------------


@dataclass(frozen=True)
class ReportCard:
    """One sentence of one article and the reports it carries on the day (the same sentence dated twice)."""

    reports: list[ReportItem]


@dataclass(frozen=True)
class ArticleCards:
    """One article's cards in a block, with how its publication date was known, said once for all of them."""

    article_id: int
    title: str  # the article's title, else the file it came from
    published: str | None  # ISO
    publication_note: str  # "Published Sun 18 Sep 2016, by its dateline “18 Sep, 2016 21:09”."
    cards: list[ReportCard]


@dataclass(frozen=True)
class OutletAccount:
    """One outlet's words in a block (outlet None: the outlet unknown)."""

    outlet: OutletRef | None
    articles: list[ArticleCards]
    reports: int


@dataclass(frozen=True)
class EventGroup:
    """The reports of one event on one day, from every outlet that told it."""

    key: str  # "milestone:first-extension", "kind:violation_claim:Sergei Lavrov", "kind:other:"
    title: str  # the milestone's title as the catalogue writes it, else the kind and the speaker
    kind: str
    milestone: str | None
    speaker: str | None
    outlets: list[OutletAccount]
    reports: int
    cards: int
    # How many outlets tell it, as the day's heading counts them: a wire story several hosts carried counts
    # once (carried: how many such stories the block holds), and the unknown outlet is no outlet.
    told_by: int = 0
    carried: int = 0


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
    paging: Paging | None = None  # the reports are a page of the day's, when it has many
    agencies: list[Facet] = field(default_factory=list)  # the wire agencies whose copy the day's reports run
    selected_agencies: list[str] = field(default_factory=list)
    wire_stories: list[WireStory] = field(default_factory=list)  # printed by more than one host that day
    groups: list[EventGroup] = field(default_factory=list)  # the page's reports as the events they tell
    kinds: list[Facet] = field(default_factory=list)  # the kinds of the day's reports, counted
    selected_kinds: list[str] = field(default_factory=list)
    speakers: list[Facet] = field(default_factory=list)  # who speaks in the day's reports, counted
    selected_speakers: list[str] = field(default_factory=list)
    # The outlets whose reports the day holds under the filters, a wire story several hosts carried counted
    # once and the unknown outlet not counted (app.queries.wirestories.outlets_told).
    outlet_count: int = 0

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
    figures: list[FigureGroup] = field(default_factory=list)  # each outlet's numbers, disagreements flagged
    speakers: list[OutletSpeakers] = field(default_factory=list)


@dataclass(frozen=True)
class OutletSpeakers:
    """Who speaks in one outlet's account (None: the outlet unknown)."""

    outlet: OutletRef | None
    speakers: list[str]


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    source: str
    title: str | None
    url: str | None
    published: dt.date | None
    published_basis: str | None
    reports: int
    agency: OutletRef | None = None  # the wire agency whose copy it runs, when that is not its host


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
    paging: Paging | None = None  # articles and reports are this page of the outlet's (reports: the total)
    figures: list[FigureGroup] = field(default_factory=list)
    blind_spots: list[BlindSpot] = field(default_factory=list)  # milestones it did not report


@dataclass(frozen=True)
class ArticlePage:
    article: ArticleSummary
    outlet: OutletRef | None
    outlet_basis: str | None
    text: str
    reports: list[ReportItem]
    agency: OutletRef | None = None  # the wire agency whose copy it runs, when that is not its host
    agency_basis: str | None = None

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


# -- comparing outlets: figures, coverage, claims, search --------------------------------------------


@dataclass(frozen=True)
class FigureItem:
    """A number one outlet gives, with the report of its sentence (for the date and the link)."""

    value: float
    display: str  # "almost 200", "62"
    unit: str  # killed / wounded / violations / trucks / hours / days
    subject: str | None  # "soldiers"
    qualifier: str | None  # "almost", "some"
    period: str | None  # "the last 24 hours"
    text: str  # the figure's own words
    outlet: OutletRef | None
    source: str
    article_id: int
    report_id: int  # the first report of its sentence: the link goes there
    date: str | None  # that report's date, ISO
    quote: str  # that report's sentence
    speaker: str | None
    milestone: str | None = None
    milestone_title: str | None = None
    kind: str = "other"
    agency: OutletRef | None = None  # the wire agency whose copy the article runs, when that is not its host
    story: int | None = None  # the wire story its article is a copy of
    # When several hosts of that story give this same figure: all of them, the figure shown (and counted) once.
    carried_by: list[OutletRef | None] = field(default_factory=list)

    def teller(self) -> object:
        """Who gives the figure, for counting outlets: its story when several hosts carried it, else its outlet."""
        if self.carried_by:
            return ("story", self.story)
        return self.outlet.slug if self.outlet else None

    def teller_name(self) -> str:
        """'The Times' or 'One AFP story, carried by 2 outlets: The Gazette, The Times' (the note's words)."""
        if self.carried_by:
            hosts = ", ".join(h.name if h else "Unknown outlet" for h in self.carried_by)
            agency = self.agency.name if self.agency else "wire"
            return f"One {agency} story, carried by {len(self.carried_by)} outlets: {hosts}"
        return self.outlet.name if self.outlet else "Unknown outlet"


@dataclass(frozen=True)
class FigureGroup:
    """Every outlet's figure for one thing (unit and subject); a disagreement is shown, never resolved."""

    unit: str
    subject: str | None
    label: str  # "killed · soldiers"
    figures: list[FigureItem]
    outlets: int  # how many outlets give a figure here
    disagreement: bool  # at least two outlets give different values for the same period
    note: str  # "RT: 50 (the last 24 hours) · Al Jazeera: almost 200 (period not given)"
    topic: str | None = None  # on /figures: the milestone slug, or the report kind when there is none
    topic_title: str | None = None
    # outlets give different values over different periods (or one gives none): no disagreement, and said so
    not_comparable: bool = False


@dataclass(frozen=True)
class BlindSpot:
    """A milestone one outlet did not report, and who did."""

    milestone: MilestoneRef
    reported_by: list[OutletRef]


def figure_display(value: float, qualifier: str | None) -> str:
    number = f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    return f"{qualifier} {number}" if qualifier else number


def group_figures(items: list[FigureItem]) -> list[FigureGroup]:
    """Figures grouped by unit and subject, in unit order of first appearance.

    A figure with no subject joins its unit's group when that unit has exactly one named subject
    ("62 soldiers were killed" and "62 were killed" count the same dead).
    """
    subjects: dict[str, set[str]] = {}
    for f in items:
        if f.subject:
            subjects.setdefault(f.unit, set()).add(f.subject)
    groups: dict[tuple[str, str | None], list[FigureItem]] = {}
    for f in items:
        named = subjects.get(f.unit, set())
        subject = f.subject or (next(iter(named)) if len(named) == 1 else None)
        groups.setdefault((f.unit, subject), []).append(f)
    return [_figure_group(unit, subject, figures) for (unit, subject), figures in groups.items()]


def _figure_group(unit: str, subject: str | None, figures: list[FigureItem]) -> FigureGroup:
    figures = sorted(figures, key=lambda f: (f.outlet is None, f.outlet.name.lower() if f.outlet else "",
                                             f.source, f.value))
    outlets = {f.teller() for f in figures}
    disagreement = any(_outlets_differ(same) for same in _by_period(figures).values())
    not_comparable = not disagreement and _outlets_differ(figures)
    note = ""
    if disagreement or not_comparable:
        note = " · ".join(
            f"{f.teller_name()}: {f.display}"
            + (f" ({f.period})" if f.period else (" (period not given)" if _periods_differ(figures) else ""))
            for f in figures)
    return FigureGroup(unit, subject, f"{unit} · {subject}" if subject else unit, figures, len(outlets),
                       disagreement, note, not_comparable=not_comparable)


def _periods_differ(figures: list[FigureItem]) -> bool:
    return len(_by_period(figures)) > 1


def _by_period(figures: list[FigureItem]) -> dict[str | None, list[FigureItem]]:
    """Figures by the period they count over: only figures over the same period can disagree."""
    periods: dict[str | None, list[FigureItem]] = {}
    for f in figures:
        periods.setdefault(" ".join(f.period.lower().split()) if f.period else None, []).append(f)
    return periods


def _outlets_differ(figures: list[FigureItem]) -> bool:
    """At least two outlets, and their values differ."""
    return len({f.teller() for f in figures}) > 1 and len({f.value for f in figures}) > 1


@dataclass(frozen=True)
class FiguresPage:
    """/figures: every figure, grouped by what it counts (milestone or kind, unit, subject)."""

    groups: list[FigureGroup]
    disagreements: int
    facets: list[Facet]  # outlets, counting their figures
    selected: list[str]


@dataclass(frozen=True)
class CoverageCell:
    outlet: OutletRef
    count: int  # reports
    first_published: dt.date | None = None  # the earliest article of the outlet that reports it: "when"


@dataclass(frozen=True)
class MilestoneCoverage:
    milestone: MilestoneRef
    cells: list[CoverageCell]
    outlets: int  # how many outlets report it (a wire story several hosts carried counted once)
    stories: list[WireStory] = field(default_factory=list)  # the wire stories several hosts carried about it


@dataclass(frozen=True)
class CoveragePage:
    """Who reported what, and when: outlets x milestones and outlets x days."""

    outlets: list[OutletRef]  # the columns: the chosen outlets, or every outlet with an article
    milestones: list[MilestoneCoverage]
    days: list[DayRow]
    facets: list[Facet]
    selected: list[str]


@dataclass(frozen=True)
class PartyFacet:
    """One side in the claims filter (accuser or accused); toggle_url is added by the web layer."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str = ""


@dataclass(frozen=True)
class ClaimItem:
    id: int
    accuser: str  # party slug (seeds/parties.toml)
    accuser_name: str
    accused: str
    accused_name: str
    text: str  # the words of blame
    quote: str  # the whole sentence
    speaker: str | None
    outlet: OutletRef | None
    source: str
    article_id: int
    report_id: int | None  # the report of its sentence, when there is one
    date: str | None
    span: list[int]
    agency: OutletRef | None = None  # the wire agency whose copy the article runs, when that is not its host

    def runs(self) -> list[Run]:
        """The sentence with the words of blame marked (to the end of the word they were cut in)."""
        at = self.quote.find(self.text)
        if at < 0 or not self.text:
            return runs(self.quote, [])
        end = at + len(self.text)
        while end < len(self.quote) and (self.quote[end].isalnum() or self.quote[end] == "."):
            end += 1
        return runs(self.quote, [[at, end]])


@dataclass(frozen=True)
class ClaimPair:
    """How often one side blamed another, under the current filter."""

    accuser: str
    accuser_name: str
    accused: str
    accused_name: str
    count: int


@dataclass(frozen=True)
class ClaimsPage:
    claims: list[ClaimItem]
    pairs: list[ClaimPair]
    accusers: list[PartyFacet]
    accused: list[PartyFacet]
    facets: list[Facet]  # outlets
    accuser: str | None
    accused_selected: str | None
    selected: list[str]  # outlet slugs
    total: int  # claims before any filter


@dataclass(frozen=True)
class SearchHit:
    """A report that matched, with the [start, end] spans of the matching words in its quote."""

    report: ReportItem
    matches: list[list[int]]

    def runs(self) -> list[Run]:
        return runs(self.report.quote, self.matches)


@dataclass(frozen=True)
class SearchPage:
    q: str
    terms: list[str]
    hits: list[SearchHit]
    total: int  # matches under the outlet filter; hits holds one page of them
    facets: list[Facet]
    selected: list[str]
    limited: bool  # more matched than are shown on this page
    paging: Paging | None = None  # which page of the hits this is (none without a query)
