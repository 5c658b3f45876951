"""The timeline's chart: reports per day, stacked by outlet, as plain geometry for a server-drawn SVG.

Only layout here: the counts are the coverage strip's (app.queries.timeline), and the colours its classes
(app.web.colours.strip_colours), so a bar's segments match the strip's cells outlet for outlet. The SVG is drawn
in a unit box DAY_WIDTH wide per day and CHART_HEIGHT high, stretched by CSS to the page's width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from app.queries.pagedata import DayRow, OutletRef

DAY_WIDTH = 10  # units per day: the bar and the gap beside it
BAR_WIDTH = 8
CHART_HEIGHT = 100  # units for the tallest bar, with MARK_ROOM above it
MARK_ROOM = 8  # room over the bars for the milestone marks


@dataclass(frozen=True)
class Segment:
    """One outlet's part of a day's bar."""

    outlet: OutletRef
    count: int
    colour: str  # the strip's CSS class for the outlet's column
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    date: dt.date
    x: float
    total: int
    segments: list[Segment]
    label: str  # the bar's accessible name: the day, its total and each outlet's count
    milestone: bool  # the day has a milestone: marked over the bar
    truce: bool  # the truce was in force that day: a band behind the bar


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    tallest: int  # the most reports on one day: the bars' scale
    day_width: int = DAY_WIDTH
    bar_width: int = BAR_WIDTH

    @property
    def truce_spans(self) -> list[tuple[float, float]]:
        """The x and width of each run of days the truce was in force, for the bands behind the bars."""
        spans: list[tuple[float, float]] = []
        for bar in self.bars:
            if not bar.truce:
                continue
            if spans and abs(spans[-1][0] + spans[-1][1] - bar.x) < 1e-9:
                spans[-1] = (spans[-1][0], spans[-1][1] + DAY_WIDTH)
            else:
                spans.append((bar.x, DAY_WIDTH))
        return spans


def day_chart(days: list[DayRow], colours: list[str], day_label: Callable[[dt.date], str]) -> Chart:
    """The chart of the timeline's rows; colours are the strip's classes, one per coverage column in order."""
    tallest = max((d.reports for d in days), default=0)
    scale = (CHART_HEIGHT - MARK_ROOM) / tallest if tallest else 0.0
    bars = []
    for i, day in enumerate(days):
        top = float(CHART_HEIGHT)
        segments = []
        for cell, colour in zip(day.coverage, colours, strict=True):
            if cell.count:
                height = cell.count * scale
                top -= height
                segments.append(Segment(cell.outlet, cell.count, colour, round(top, 3), round(height, 3)))
        bars.append(Bar(day.date, i * DAY_WIDTH, day.reports, segments, _label(day, day_label),
                        bool(day.milestones), day.clock is not None and day.clock.phase == "during"))
    return Chart(max(len(days), 1) * DAY_WIDTH, CHART_HEIGHT, bars, tallest)


def _label(day: DayRow, day_label: Callable[[dt.date], str]) -> str:
    """'Sat 17 Sep 2016: 12 reports (RT 5, Al Jazeera 7)'; a quiet day says 'no reports'."""
    if not day.reports:
        return f"{day_label(day.date)}: no reports"
    parts = ", ".join(f"{c.outlet.name} {c.count}" for c in day.coverage if c.count)
    return f"{day_label(day.date)}: {day.reports} report{'s' if day.reports != 1 else ''} ({parts})"
