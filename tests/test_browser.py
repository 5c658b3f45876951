"""The dashboard in real Chromium (Playwright, sync API) against `timeline serve` on a free port."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
# Never let the browser phone home or update itself while under test.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 10_000  # generous for a loaded CI machine, short enough to fail fast


def chromium_path() -> str | None:
    """TIMELINE_CHROMIUM, else a chromium on PATH; the tests never download a browser."""
    return os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium found (set TIMELINE_CHROMIUM); CI runs the browser tests")
        pytest.skip("no chromium found: set TIMELINE_CHROMIUM to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    # A CSP violation or a script error shows up here: the site must run clean under its own policy.
    assert not errors, errors


@pytest.fixture
def no_js_page(browser, live_server: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def outlet_names(page) -> set[str]:
    """The outlets whose columns a day's event blocks show."""
    return {t.strip() for t in page.locator(".event-group .column > h4").all_inner_texts()}


def report_quotes(page) -> list[str]:
    return page.locator("article.report blockquote").all_inner_texts()


def test_timeline_opens_and_a_day_link_leads_to_the_day(page) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("The September 2016 Syria ceasefire")
    assert page.locator("ol.days > li").count() >= 20
    page.locator("a.day-date", has_text="Sat 17 Sep 2016").click()
    page.wait_for_url("**/days/2016-09-17")
    assert "17 September 2016" in page.locator("h1").inner_text()
    assert page.locator("article.report").count() > 0


def test_filter_by_outlet_swaps_the_list_pushes_the_url_and_back_restores(page) -> None:
    page.goto("/days/2016-09-17")
    everything = report_quotes(page)
    assert len(outlet_names(page)) > 1
    page.locator(".filter a[data-outlet='rt']").click()
    page.wait_for_url("**/days/2016-09-17?outlet=rt")
    page.locator(".filter a.chip-on[data-outlet='rt']").wait_for()
    assert outlet_names(page) == {"RT"}
    filtered = report_quotes(page)
    assert 0 < len(filtered) < len(everything)
    page.go_back()
    page.wait_for_url("**/days/2016-09-17")
    page.locator(".filter a.chip-on[data-outlet='rt']").wait_for(state="detached")
    assert report_quotes(page) == everything


def test_filter_swap_is_htmx_not_a_page_load(page) -> None:
    page.goto("/")
    page.evaluate("window.__marker = 'still here'")
    page.locator(".filter a[data-outlet='al-jazeera']").click()
    page.wait_for_url("**/?outlet=al-jazeera")
    page.locator(".legend li").first.wait_for()
    assert page.locator(".legend li").count() == 1
    assert page.evaluate("window.__marker") == "still here"  # the document was not reloaded


def test_deep_link_to_a_filtered_day(page) -> None:
    page.goto("/days/2016-09-17?outlet=rt&outlet=al-jazeera")
    assert outlet_names(page) == {"Al Jazeera", "RT"}
    assert page.locator(".filter a.chip-on[data-outlet]").count() == 2


def test_a_day_leads_with_its_events_the_outlets_side_by_side(page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/days/2016-09-17")
    first = page.locator(".event-group").first
    assert first.locator("h3 a").inner_text().startswith("US-led coalition airstrike")
    columns = first.locator(".column").all()
    assert len(columns) >= 2
    tops = {round(c.bounding_box()["y"]) for c in columns[:2]}
    assert len(tops) == 1  # side by side at 1280 px, not one under the other
    assert first.locator(".publication-note").first.inner_text().startswith("Published")


def test_kind_and_speaker_chips_swap_the_list_and_back_restores(page) -> None:
    page.goto("/days/2016-09-17")
    page.evaluate("window.__marker = 'still here'")
    everything = report_quotes(page)
    chip = page.locator(".filter a[data-kind='statement']")
    count = int(chip.locator(".count").inner_text())
    chip.click()
    page.wait_for_url("**/days/2016-09-17?kind=statement")
    page.locator(".filter a.chip-on[data-kind='statement']").wait_for()
    assert page.locator(".event-group h3").first.inner_text().startswith("Statement")
    assert 0 < len(report_quotes(page)) <= count < len(everything)
    page.locator(".speaker-filter > summary").click()  # folded until a speaker is chosen
    speaker = page.locator(".filter a[data-speaker]").first
    name = speaker.get_attribute("data-speaker")
    speaker.click()
    page.locator(".filter a.chip-on[data-speaker]").wait_for()
    assert "kind=statement" in page.url and "speaker=" in page.url
    assert all(name in t for t in page.locator(".event-group h3").all_inner_texts())
    assert page.evaluate("window.__marker") == "still here"  # swapped by htmx, no page load
    page.go_back()
    page.wait_for_url("**/days/2016-09-17?kind=statement")
    page.locator(".filter a.chip-on[data-speaker]").wait_for(state="detached")
    page.go_back()
    page.wait_for_url("**/days/2016-09-17")
    page.locator(".filter a.chip-on[data-kind='statement']").wait_for(state="detached")
    assert report_quotes(page) == everything


def test_the_compact_view_lists_one_line_per_report_and_back_restores_the_blocks(page) -> None:
    page.goto("/days/2016-09-17")
    cards = page.locator(".event-group").count()
    reports = int(page.locator("#reports-title").inner_text().split()[0])
    page.locator("#view-compact").click()
    page.wait_for_url("**/days/2016-09-17?view=compact")
    page.locator(".compact-list").wait_for()
    assert page.locator(".compact-list li").count() == reports
    assert page.locator(".event-group").count() == 0
    page.locator(".filter a[data-outlet='rt']").click()
    page.wait_for_url("**/days/2016-09-17?outlet=rt&view=compact")  # the filters keep the view
    page.locator(".filter a.chip-on[data-outlet='rt']").wait_for()
    assert 0 < page.locator(".compact-list li").count() < reports
    page.go_back()
    page.go_back()
    page.wait_for_url("**/days/2016-09-17")
    page.locator(".event-group").first.wait_for()
    assert page.locator(".event-group").count() == cards


def test_without_javascript_the_kind_chips_and_the_compact_view_still_work(no_js_page) -> None:
    page = no_js_page
    page.goto("/days/2016-09-17")
    page.locator(".filter a[data-kind='statement']").click()
    page.wait_for_url("**/days/2016-09-17?kind=statement")
    assert page.locator(".filter a.chip-on[data-kind='statement']").count() == 1
    page.locator("#view-compact").click()
    page.wait_for_url("**/days/2016-09-17?kind=statement&view=compact")
    assert page.locator(".compact-list li").count() > 0


def test_keyboard_shortcuts_move_between_days(page) -> None:
    page.goto("/days/2016-09-17")
    page.keyboard.press("j")
    page.wait_for_url("**/days/2016-09-18")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/days/2016-09-17")
    page.keyboard.press("k")
    page.wait_for_url("**/days/2016-09-16")


def test_without_javascript_the_filter_links_still_work(no_js_page) -> None:
    page = no_js_page
    page.goto("/days/2016-09-17")
    total = page.locator("article.report").count()
    page.locator(".filter a[data-outlet='rt']").click()
    page.wait_for_url("**/days/2016-09-17?outlet=rt")
    assert 0 < page.locator("article.report").count() < total
    assert outlet_names(page) == {"RT"}
    page.goto("/days/2016-09-17?outlet=rt&outlet=al-jazeera")
    assert outlet_names(page) == {"Al Jazeera", "RT"}
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/days/2016-09-18?outlet=rt&outlet=al-jazeera")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(
    ("name", "path"),
    [("timeline", "/"), ("day-2016-09-17", "/days/2016-09-17"),
     ("day-2016-09-17-compact", "/days/2016-09-17?view=compact"),
     ("milestone-deir-ezzor-airstrike", "/milestones/deir-ezzor-airstrike"), ("article-2", "/articles/2")],
)
def test_screenshots(browser, live_server: str, name: str, path: str, width: str) -> None:
    """Screenshots for people to look at (and for the README); the page must not scroll sideways."""
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900})
    try:
        page = context.new_page()
        page.goto(path)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target: Path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        # The first screen alone too: what a reader sees on arrival (the README shows these).
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-first-screen.png"))
        assert target.stat().st_size > 0
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {WIDTHS[width]}px"
    finally:
        context.close()


# Pairs of sibling items in a grid or flex container whose rendered content (overflow included) intersect,
# and text cut off at the viewport's edge: what a reader sees as one label written over another.
OVERLAPS_JS = """
() => {
  const hidden = (el) => {
    for (; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.clipPath !== "none" || style.clip !== "auto" || style.visibility === "hidden") return true;
    }
    return false;
  };
  // The union of the element's visible text, as drawn: text that overflows its box counts where it is drawn.
  const box = (el) => {
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || hidden(node.parentElement)) continue;
      const range = document.createRange(); range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        left = Math.min(left, r.left); top = Math.min(top, r.top);
        right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
      }
    }
    if (left === Infinity) return {width: 0, height: 0};
    return {left, top, right, bottom, width: right - left, height: bottom - top};
  };
  const shown = (r) => r.width > 0 && r.height > 0;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "");
  const found = [];
  for (const parent of document.body.querySelectorAll("*")) {
    const display = getComputedStyle(parent).display;
    if (!/grid|flex/.test(display)) continue;
    const items = [...parent.children].map((el) => [el, box(el)]).filter(([, r]) => shown(r));
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++)
        if (meet(items[i][1], items[j][1]))
          found.push(`${name(items[i][0])} "${items[i][0].textContent.trim().slice(0, 30)}" over ` +
                     `${name(items[j][0])} "${items[j][0].textContent.trim().slice(0, 30)}"`);
  }
  const width = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll("a, span, time, h1, h2, h3, p, li")) {
    const r = box(el);
    if (shown(r) && r.right > width + 1) found.push(`${name(el)} "${el.textContent.trim().slice(0, 30)}" cut off`);
  }
  return found.slice(0, 10);
}
"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path", ["/", "/days/2016-09-19", "/days/2016-09-17", "/days/2016-09-17?view=compact"])
def test_no_text_overlaps_or_is_cut_off(browser, live_server: str, path: str, width: str) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900})
    try:
        page = context.new_page()
        page.goto(path)
        assert page.evaluate(OVERLAPS_JS) == [], f"{path} at {WIDTHS[width]}px"
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path", ["/days/2016-09-17", "/days/2016-09-17?view=compact",
                                  "/days/2016-09-17?kind=statement&speaker=Putin"])
def test_a_day_page_has_no_accessibility_violation(browser, live_server: str, path: str, width: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900})
    try:
        page = context.new_page()
        page.goto(path)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
