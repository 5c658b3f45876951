"""Hostile articles in real Chromium: no injected script runs, and the CSP blocks nothing of our own.

The server is `timeline serve` (conftest.running_server, the machinery behind live_server) over the seeds
plus the hostile articles of test_security.py, loaded by the project's loader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS_DIR, running_server
from sqlalchemy.orm import Session
from test_browser import TIMEOUT_MS, browser  # noqa: F401  (the browser fixture, shared)
from test_security import HOSTILE_SOURCES, write_hostile_articles

from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.store.models import Article
from app.store.seedfiles import load_catalog

# Set by the page before any of its own scripts: records CSP violations, and the flag an injected script
# would set (the payloads assign window.__xss or call alert).
WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """(base URL, {source: article id}) of a server over the seeds and the hostile articles."""
    folder = tmp_path_factory.mktemp("hostile-live")
    url = f"sqlite:///{folder / 'timeline.db'}"
    engine = make_engine(url)
    migrate(engine)
    catalog = load_catalog(SEEDS_DIR)
    # One folder a load, so each keeps its plain file names (given together they are named below their
    # common folder: app.store.loader.iter_article_files).
    for articles in (SEEDS_DIR, write_hostile_articles(folder / "articles")):
        summary = load_paths(engine, [articles], catalog=catalog)
        assert not summary.rejected, summary.rejected
    with Session(engine) as session:
        ids = {a.source: a.id for a in session.query(Article).filter(Article.source.in_(HOSTILE_SOURCES))}
    engine.dispose()
    with running_server(folder, url) as base:
        yield base, ids


# What Chromium reports for a request the page was still making when the test went on to the next page: on a busy
# machine, the favicon it fetches after the load event. The site did not fail it, so it is no error.
NAVIGATED_AWAY = "net::ERR_ABORTED"


@pytest.fixture
def watched_page(browser, hostile_server) -> Iterator[tuple[object, list[str], list[str]]]:  # noqa: F811
    """A page with every dialog, console error, page error and failed request of our own recorded."""
    base, _ = hostile_server
    context = browser.new_context(base_url=base)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: request.failure != NAVIGATED_AWAY
            and errors.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.url.startswith(base) and response.status >= 400
            and errors.append(f"{response.status}: {response.url}"))
    yield page, dialogs, errors
    context.close()


def hostile_paths(base: str, ids: dict[str, int]) -> list[str]:
    paths = ["/", "/days/2016-09-16", "/days/2016-09-17", "/days/2016-09-18", "/days/2016-09-17?outlet=rt",
             "/milestones/deir-ezzor-airstrike", "/outlets/rt", *(f"/articles/{i}" for i in ids.values())]
    import urllib.error
    import urllib.request

    for optional in ("/search?q=script", "/search?q=onerror", "/claims", "/figures", "/coverage"):
        try:  # the pages that exist on this version of the app
            with urllib.request.urlopen(base + optional, timeout=5):
                paths.append(optional)
        except urllib.error.HTTPError:
            pass
    return paths


def assert_nothing_ran(page, dialogs: list[str], errors: list[str], where: str) -> None:
    assert dialogs == [], f"{where}: a dialog opened: {dialogs}"
    assert page.evaluate("typeof window.__xss") == "undefined", f"{where}: an injected script ran"
    assert page.evaluate("window.__cspViolations") == [], where  # nothing was even attempted, ours or theirs
    assert page.locator("img, iframe, object, embed").count() == 0, where
    # The one SVG a page may hold is the timeline's own chart, drawn by the template: nothing from an article.
    assert page.locator("svg").count() == page.locator("body > main figure.day-chart > svg.chart").count() <= 1, where
    assert page.locator("a[href^='javascript:' i], [onerror], [onload], [onclick]").count() == 0, where
    assert errors == [], f"{where}: {errors}"


def test_hostile_articles_run_no_script_in_the_browser(watched_page, hostile_server) -> None:
    page, dialogs, errors = watched_page
    base, ids = hostile_server
    for path in hostile_paths(base, ids):
        page.goto(path)
        page.wait_for_load_state("load")
        assert_nothing_ran(page, dialogs, errors, path)
    # The hostile words are on the page, as text a reader can see.
    page.goto(f"/articles/{ids['hostile.txt']}")
    assert "<script>window.__xss" in page.locator(".article-text").inner_text()
    assert page.locator(".article-facts a", has_text="original").count() == 0  # its javascript: URL


def test_htmx_swaps_of_hostile_reports_run_no_script(watched_page) -> None:
    page, dialogs, errors = watched_page
    page.goto("/days/2016-09-17")
    page.evaluate("window.__marker = 'same document'")
    page.locator(".filter a[data-outlet='rt']").click()
    page.wait_for_url("**/days/2016-09-17?outlet=rt")
    page.locator(".filter a.chip-on[data-outlet='rt']").wait_for()
    assert page.evaluate("window.__marker") == "same document"  # htmx swapped the hostile list in place
    assert "window.__xss" in page.locator(".day-reports").inner_text()
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/days/2016-09-18?outlet=rt")
    assert_nothing_ran(page, dialogs, errors, "after htmx swaps")


def test_screenshot_of_the_hostile_article(browser, hostile_server) -> None:  # noqa: F811
    """For people to look at: the hostile text shown as text (test-artifacts/screenshots/)."""
    from test_browser import SCREENSHOTS

    base, ids = hostile_server
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"/articles/{ids['hostile.txt']}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target: Path = SCREENSHOTS / "hostile-article-desktop.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
    finally:
        context.close()
