"""The timeline chart's geometry (app.web.chart): stacked in column order, scaled to the busiest day."""

from __future__ import annotations

import datetime as dt

from app.queries.pagedata import Coverage, DayRow, MilestoneRef, OutletRef, TruceClock
from app.web.chart import CHART_HEIGHT, DAY_WIDTH, MARK_ROOM, day_chart
from app.web.render import day_label

A, B = OutletRef("a-news", "A News"), OutletRef("b-post", "B Post")
DURING = TruceClock("during", 1, "day 1 of the truce")


def row(day: int, a: int, b: int, clock: TruceClock | None = None, milestone: bool = False) -> DayRow:
    date = dt.date(2016, 9, day)
    marks = [MilestoneRef("m", date, "talks", "Talks")] if milestone else []
    return DayRow(date, clock, marks, [Coverage(A, a), Coverage(B, b)], a + b, quiet=a + b == 0 and not marks)


def test_bars_stack_in_column_order_scaled_to_the_busiest_day() -> None:
    chart = day_chart([row(10, 2, 2), row(11, 0, 0), row(12, 1, 0)], ["oc-1", "oc-2"], day_label)
    busiest, quiet, small = chart.bars
    assert chart.tallest == 4 and chart.width == 3 * DAY_WIDTH
    assert [s.outlet.slug for s in busiest.segments] == ["a-news", "b-post"]
    assert [s.colour for s in busiest.segments] == ["oc-1", "oc-2"]
    assert busiest.segments[-1].y == MARK_ROOM  # the busiest bar reaches the room left for the marks
    assert busiest.segments[0].y + busiest.segments[0].height == CHART_HEIGHT  # and stands on the axis
    assert quiet.segments == [] and quiet.label == "Sun 11 Sep 2016: no reports"
    assert small.segments[0].height * 4 == busiest.segments[0].height * 2
    assert busiest.label == "Sat 10 Sep 2016: 4 reports (A News 2, B Post 2)"


def test_truce_days_make_one_band_and_milestone_days_are_marked() -> None:
    days = [row(10, 1, 0), row(11, 1, 0, DURING), row(12, 0, 1, DURING, milestone=True), row(13, 1, 1)]
    chart = day_chart(days, ["oc-1", "oc-2"], day_label)
    assert chart.truce_spans == [(DAY_WIDTH, 2 * DAY_WIDTH)]
    assert [b.milestone for b in chart.bars] == [False, False, True, False]


def test_nothing_to_draw() -> None:
    chart = day_chart([row(10, 0, 0)], ["oc-1", "oc-2"], day_label)
    assert chart.tallest == 0 and chart.bars[0].segments == []
