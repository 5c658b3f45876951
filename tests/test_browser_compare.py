"""The comparison pages in real Chromium: search as you type (htmx), filters, and screenshots to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

# The browser fixtures (Chromium via Playwright, a live `timeline serve`) are shared with test_browser.py.
from test_browser import SCREENSHOTS, WIDTHS, browser, no_js_page, page  # noqa: F401


def test_typing_a_search_updates_the_results_and_the_url_in_place(page) -> None:  # noqa: F811
    page.goto("/search")
    page.evaluate("window.__marker = 'still here'")
    page.locator("#search-q").press_sequentially("convoy", delay=40)
    page.wait_for_url("**/search?q=convoy")
    page.locator("li.hit mark").first.wait_for()
    hits = page.locator("li.hit").count()
    assert hits > 0
    assert page.locator("li.hit mark").first.inner_text().lower().startswith("convoy")
    assert page.evaluate("window.__marker") == "still here"  # htmx swapped the results; no page load
    # An outlet chip narrows the results and keeps the query; typing again keeps the outlet.
    chip = page.locator(".filter a[data-outlet]:not(.chip-empty)").first
    slug = chip.get_attribute("data-outlet")
    chip.click()
    page.wait_for_url(f"**/search?q=convoy&outlet={slug}")
    page.locator(f".filter a.chip-on[data-outlet='{slug}']").wait_for()
    page.locator("#search-q").press("End")
    page.locator("#search-q").press_sequentially("s", delay=40)
    page.wait_for_url(f"**/search?q=convoys&outlet={slug}")
    assert page.evaluate("window.__marker") == "still here"
    assert page.locator("#search-q").input_value() == "convoys"  # the box kept its text and focus
    page.go_back()  # typing replaced the entry the chip pushed; Back leaves the filtered search
    page.wait_for_url("**/search?q=convoy")
    assert page.locator("#search-q").input_value() == "convoy"


def test_typing_replaces_the_history_entry_and_submitting_pushes_one(page) -> None:  # noqa: F811
    page.goto("/")
    page.goto("/search")
    entries = page.evaluate("history.length")
    page.locator("#search-q").press_sequentially("con", delay=40)
    page.wait_for_url("**/search?q=con")
    page.wait_for_timeout(400)  # past the typing delay: a second pause
    page.locator("#search-q").press_sequentially("voy", delay=40)
    page.wait_for_url("**/search?q=convoy")
    assert page.evaluate("history.length") == entries  # pauses while typing add no entries
    page.locator("#search-q").fill("Lavrov")
    page.locator(".search-form button").click()
    page.wait_for_url("**/search?q=Lavrov")
    assert page.evaluate("history.length") == entries + 1


def test_the_search_box_shows_the_query_of_the_url_after_back(page) -> None:  # noqa: F811
    page.goto("/search?q=convoy")
    page.locator("#search-q").fill("Lavrov")
    page.locator(".search-form button").click()
    page.wait_for_url("**/search?q=Lavrov")
    page.locator("li.hit").first.wait_for()
    page.locator("li.hit a").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_url("**/search?q=Lavrov")
    assert page.locator("#search-q").input_value() == "Lavrov"
    page.go_back()
    page.wait_for_url("**/search?q=convoy")
    assert page.locator("#search-q").input_value() == "convoy"


def test_search_works_without_javascript(no_js_page) -> None:  # noqa: F811
    no_js_page.goto("/search")
    no_js_page.locator("#search-q").fill("Lavrov")
    no_js_page.locator(".search-form button").click()
    no_js_page.wait_for_url("**/search?q=Lavrov")
    assert no_js_page.locator("li.hit").count() > 0


def test_claims_filter_swaps_and_pushes_the_url(page) -> None:  # noqa: F811
    page.goto("/claims")
    everything = page.locator("li.claim").count()
    page.locator(".filter a[data-accuser='russia']").click()
    page.wait_for_url("**/claims?accuser=russia")
    page.locator(".filter a.chip-on[data-accuser='russia']").wait_for()
    assert 0 < page.locator("li.claim").count() < everything


def test_milestone_and_coverage_link_each_other(page) -> None:  # noqa: F811
    page.goto("/milestones/deir-ezzor-airstrike")
    page.locator("a", has_text="Coverage of every milestone").click()
    page.wait_for_url("**/coverage")
    page.locator("table.coverage a[href='/milestones/deir-ezzor-airstrike']").first.click()
    page.wait_for_url("**/milestones/deir-ezzor-airstrike")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(
    ("name", "path"),
    [("coverage", "/coverage"), ("claims", "/claims"), ("figures", "/figures"),
     ("milestone-figures-deir-ezzor-airstrike", "/milestones/deir-ezzor-airstrike"),
     ("search-convoy", "/search?q=convoy"), ("outlet-rt", "/outlets/rt")],
)
def test_compare_screenshots(browser, live_server: str, name: str, path: str, width: str) -> None:  # noqa: F811
    """Screenshots for people to look at; the page must not scroll sideways."""
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900})
    try:
        shot = context.new_page()
        shot.goto(path)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target: Path = SCREENSHOTS / f"{name}-{width}.png"
        shot.screenshot(path=str(target), full_page=True)
        shot.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-first-screen.png"))
        assert target.stat().st_size > 0
        overflow = shot.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {WIDTHS[width]}px"
    finally:
        context.close()
