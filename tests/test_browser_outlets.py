"""Outlets as a reader sees them in Chromium: the unknown outlet's chip, the wire agency filter, and colours that
stay with their outlet when a load adds columns. Each server here is `timeline serve` over its own fresh SQLite
file; more articles are loaded into it while it runs, as `timeline load` would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SEEDS_DIR, running_server

# The browser fixture (Chromium via Playwright) is shared with test_browser.py.
from test_browser import OVERLAPS_JS, SCREENSHOTS, TIMEOUT_MS, WIDTHS, browser  # noqa: F401
from test_outlets_view import load_extra

from app.store.engine import make_engine
from app.store.loader import load_paths
from app.store.seedfiles import load_catalog

DAY = "/days/2016-09-17"
GREY = "rgb(95, 103, 112)"  # --oc-unknown in site.css
AFP_MANIFEST = '[file."afp.txt"]\noutlet = "afp"\npublished = 2016-09-18\n'
AFP_ARTICLE = "Talks go on\n\nDiplomats met in Geneva on Saturday, officials said.\n"


def load_more(url: str, folder: Path) -> None:
    """test_outlets_view's extra articles, and one from AFP's own site: its name sorts before every seed outlet's,
    so every column after it moves one place."""
    catalog = load_catalog(SEEDS_DIR)
    engine = make_engine(url)
    try:
        load_extra(engine, catalog, folder / "extra")
        (folder / "afp").mkdir()
        (folder / "afp" / "manifest.toml").write_text(AFP_MANIFEST, encoding="utf-8")
        (folder / "afp" / "afp.txt").write_text(AFP_ARTICLE, encoding="utf-8")
        assert load_paths(engine, [folder / "afp"], catalog=catalog).loaded == 1
    finally:
        engine.dispose()


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, str]]:
    """`timeline serve` over a fresh SQLite file (it loads the seeds); yields its base URL and database URL."""
    url = f"sqlite:///{folder / 'timeline.db'}"
    with running_server(folder, url) as base:
        yield base, url


@pytest.fixture(scope="module")
def wider_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the seeds and the extra articles."""
    folder = tmp_path_factory.mktemp("outlets")
    with served(folder) as (base, url):
        load_more(url, folder)
        yield base


@contextmanager
def browsing(browser, base: str, width: int = 1280) -> Iterator[object]:  # noqa: F811
    context = browser.new_context(base_url=base, viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors  # a CSP violation or a script error


@pytest.fixture
def page(browser, wider_server: str) -> Iterator[object]:  # noqa: F811
    with browsing(browser, wider_server) as page:
        yield page


def colours(page) -> dict[str, str]:
    """Each legend swatch's computed colour by outlet slug, as drawn."""
    return page.eval_on_selector_all(
        ".legend .swatch[data-outlet]",
        "els => Object.fromEntries(els.map(e => [e.dataset.outlet, getComputedStyle(e).backgroundColor]))")


def cell_colour(page, day: str, slug: str) -> str:
    row = page.locator("ol.days > li", has=page.locator(f"time[datetime='{day}']"))
    return row.locator(f".cell.on[data-outlet='{slug}']").evaluate("e => getComputedStyle(e).backgroundColor")


def test_the_unknown_outlets_chip_filters_to_its_reports(page) -> None:
    page.goto(DAY)
    chip = page.locator(".filter a[data-outlet='unknown']")
    assert "Unknown outlet" in chip.inner_text() and chip.locator(".count").inner_text() == "1"
    chip.click()
    page.wait_for_url(f"**{DAY}?outlet=unknown")
    page.locator(".filter a.chip-on[data-outlet='unknown']").wait_for()
    assert [t.strip() for t in page.locator(".event-group .column > h4").all_inner_texts()] == ["Unknown outlet"]
    assert page.locator("#reports-title").inner_text().startswith("1 report")
    page.goto("/")
    legend = page.locator(".legend li").all_inner_texts()
    assert legend[-1] == "Unknown outlet"
    assert cell_colour(page, "2016-09-17", "unknown") == GREY


def test_the_agency_filter_shows_wire_copy_and_keeps_the_outlet_filter(page) -> None:
    page.goto(DAY)
    page.evaluate("window.__marker = 'still here'")
    page.locator(".filter a[data-agency='afp']").click()
    page.wait_for_url(f"**{DAY}?agency=afp")
    page.locator(".filter a.chip-on[data-agency='afp']").wait_for()
    outlets = page.locator("article.report .report-outlet").all_inner_texts()
    assert sorted(outlets) == ["The Harbour Gazette, from AFP", "The Straits Times, from AFP"]
    # AFP's copy wherever it ran: under those two hosts, and on AFP's own site (no credit line needed there).
    assert page.locator("article.report").count() == 3
    assert "AFP" in [h.strip() for h in page.locator(".event-group .column > h4").all_inner_texts()]
    page.locator(".filter a[data-outlet='straits-times']").click()
    page.wait_for_url(f"**{DAY}?outlet=straits-times&agency=afp")
    page.locator(".filter a.chip-on[data-outlet='straits-times']").wait_for()
    assert page.locator("article.report").count() == 1
    assert page.evaluate("window.__marker") == "still here"  # htmx swapped the results in place
    page.go_back()
    page.wait_for_url(f"**{DAY}?agency=afp")
    page.locator("article.report").nth(2).wait_for()
    assert page.locator("article.report").count() == 3


def test_a_day_names_one_wire_story_carried_by_two_hosts_and_counts_it_once(page) -> None:
    page.goto("/days/2016-09-19")
    story = page.locator(".wire-stories li")
    assert story.count() == 1
    assert " ".join(story.inner_text().split()).startswith(
        "One AFP story, carried by 2 outlets: The Harbour Gazette, The Straits Times")
    heading = page.locator("#reports-title").inner_text()
    assert "a wire story counted once" in heading
    # Both hosts still show their copy, each under its own name.
    hosts = page.locator(".event-group .column > h4").all_inner_texts()
    assert {"The Harbour Gazette", "The Straits Times"} <= {h.strip() for h in hosts}


def test_an_outlets_colour_is_the_same_before_and_after_a_load(browser, tmp_path: Path) -> None:  # noqa: F811
    with served(tmp_path) as (base, url), browsing(browser, base) as page:
        page.goto("/")
        before = colours(page)
        rt_cell = cell_colour(page, "2016-09-17", "rt")
        first_column = page.locator(".legend .swatch").first.get_attribute("data-outlet")
        load_more(url, tmp_path)
        page.goto("/")
        after = colours(page)
        assert page.locator(".legend .swatch").first.get_attribute("data-outlet") == "afp" != first_column
        assert {slug: after[slug] for slug in before} == before  # every column moved; no colour did
        assert cell_colour(page, "2016-09-17", "rt") == rt_cell == before["rt"]
        assert after["unknown"] == GREY
        # The chip shows the same colour as the column, under a filter too.
        page.goto("/?outlet=rt")
        assert colours(page) == {"rt": before["rt"]}
        chip = page.locator(".filter a[data-outlet='rt'] .swatch")
        assert chip.evaluate("e => getComputedStyle(e).backgroundColor") == before["rt"]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("name", "path"), [("outlets-timeline", "/"), ("outlets-day", DAY),
                                            ("outlets-day-afp", f"{DAY}?agency=afp"),
                                            ("outlets-day-wire-story", "/days/2016-09-19"),
                                            ("outlets-coverage", "/coverage")])
def test_screenshots_with_unknown_and_wire_copy(browser, wider_server: str, name: str, path: str,  # noqa: F811
                                                width: str) -> None:
    with browsing(browser, wider_server, WIDTHS[width]) as page:
        page.goto(path)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        if path != "/coverage":  # its tables scroll sideways inside their own box by design
            assert page.evaluate(OVERLAPS_JS) == [], f"{path} at {WIDTHS[width]}px"
