"""The timeline in real Chromium: each row's headline, the chart of reports per day; and axe-core's rules on
every kind of page."""

from __future__ import annotations

import pytest

# The browser fixtures (Chromium via Playwright, a live `timeline serve`) are shared with test_browser.py.
from test_browser import WIDTHS, browser, no_js_page, page  # noqa: F401

# The rules axe-core runs by default (WCAG 2 A and AA, best practices); results are the violations only.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_violations(page) -> list[str]:  # noqa: F811
    """axe-core's violations on the page as it stands, one line each (rule, impact, first offending node)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in results["violations"]]


def test_every_row_with_news_says_what_happened_in_one_line(page) -> None:  # noqa: F811
    page.goto("/")
    rows = page.locator("ol.days > li.day:not(.quiet)")
    assert rows.count() > 5
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.locator("p.headline").count() == 1, row.inner_text()
        assert "told" in row.locator(".told").inner_text()
    # A milestone's day is headed by the catalogue's title, linked to its page.
    airstrike = page.locator("li.day", has=page.locator("time[datetime='2016-09-17']")).locator("p.headline a")
    assert airstrike.inner_text() == "US-led coalition airstrike on Syrian army positions near Deir ez-Zor"
    # A day without one is headed by its reports' own words, in quotation marks, with a kind.
    told = page.locator("li.day:not(.has-milestone):not(.quiet) p.headline").first
    assert told.locator(".kind").count() == 1
    assert told.locator(".headline-words").inner_text().endswith("”")
    quiet = page.locator("ol.days > li.day.quiet").first
    assert quiet.locator("p.headline").count() == 0


def test_chart_columns_link_to_their_days(page) -> None:  # noqa: F811
    page.goto("/")
    days = page.locator("ol.days > li time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    columns = page.locator("svg.chart a.chart-day")
    assert columns.evaluate_all("els => els.map(e => e.dataset.date)") == days
    label = columns.nth(days.index("2016-09-17")).get_attribute("aria-label")
    assert label.startswith("Sat 17 Sep 2016: ") and "reports (" in label
    page.locator("svg.chart a.chart-day[data-date='2016-09-17']").click()
    page.wait_for_url("**/days/2016-09-17")


def test_chart_segments_have_the_strips_colours_and_add_up_to_the_row(page) -> None:  # noqa: F811
    page.goto("/")
    pairs = page.evaluate("""() => [...document.querySelectorAll("svg.chart a.chart-day")].flatMap((a) => {
        const row = document.querySelector(`time[datetime='${a.dataset.date}']`).closest("li.day");
        return [...a.querySelectorAll("rect.seg")].map((seg) => {
          const cell = row.querySelector(`.cell.on[data-outlet='${seg.dataset.outlet}']`);
          return [getComputedStyle(seg).fill, cell && getComputedStyle(cell).backgroundColor,
                  seg.getBBox().height, parseInt(cell && cell.textContent, 10)];
        });
      })""")
    assert len(pairs) > 10
    assert all(fill == background for fill, background, _, _ in pairs), pairs
    # Heights are proportional to the counts the strip shows.
    ratios = {round(height / count, 3) for _, _, height, count in pairs}
    assert max(ratios) - min(ratios) < 0.01, ratios


def test_chart_follows_the_outlet_filter(page) -> None:  # noqa: F811
    page.goto("/")
    outlets = set(page.locator("svg.chart rect.seg").evaluate_all("els => els.map(e => e.dataset.outlet)"))
    assert len(outlets) > 1
    page.locator(".filter a[data-outlet='rt']").click()
    page.wait_for_url("**/?outlet=rt")
    page.locator(".filter a.chip-on[data-outlet='rt']").wait_for()
    assert set(page.locator("svg.chart rect.seg").evaluate_all("els => els.map(e => e.dataset.outlet)")) == {"rt"}
    assert page.locator("svg.chart a.chart-day").first.get_attribute("href").endswith("?outlet=rt")


def test_chart_is_drawn_without_javascript(no_js_page) -> None:  # noqa: F811
    no_js_page.goto("/?outlet=al-jazeera")
    assert no_js_page.locator("svg.chart rect.seg").count() > 0
    no_js_page.locator("svg.chart a.chart-day[data-date='2016-09-17']").click()
    no_js_page.wait_for_url("**/days/2016-09-17?outlet=al-jazeera")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path", [
    "/", "/?outlet=rt", "/days/2016-09-17", "/milestones/deir-ezzor-airstrike", "/outlets/rt", "/articles/2",
    "/search?q=convoy", "/coverage", "/figures", "/claims", "/days/2015-01-01",
])
def test_axe_core_finds_no_violation(browser, live_server: str, path: str, width: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900})
    try:
        page = context.new_page()
        page.goto(path)
        assert axe_violations(page) == [], f"{path} at {WIDTHS[width]}px"
    finally:
        context.close()
