"""The dashboard's HTML pages, fragments, errors and headers, over the seeds loaded by the real loader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest
from conftest import serving
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.config import Settings, settings_from_env
from app.extract.catalog import Catalog
from app.queries import timeline
from app.store.loader import load_paths
from app.store.models import Article, Report
from app.web.app import create_app
from app.web.render import VARY
from app.web.slots import SPARE_THREADS, PageSlots

HX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
PAGES = ["/", "/days/2016-09-17", "/milestones/deir-ezzor-airstrike", "/outlets/rt", "/articles/2"]


def count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text))


def day_rows(text: str) -> list[str]:
    return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', text)


# -- every page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_a_full_accessible_document(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == VARY
    text = response.text
    assert text.startswith("<!doctype html>")
    for landmark in ("<header", "<nav", '<main id="main"', "<h1"):
        assert landmark in text, landmark
    assert count("<h1", text) == 1


@pytest.mark.parametrize("path", PAGES)
def test_htmx_gets_the_fragment_and_a_history_restore_the_whole_page(client: TestClient, path: str) -> None:
    fragment = client.get(path, headers=HX)
    assert fragment.status_code == 200
    assert fragment.headers["vary"] == VARY
    assert "<!doctype" not in fragment.text and 'class="site-header"' not in fragment.text
    assert fragment.text.strip().startswith('<div class="results"')
    restored = client.get(path, headers=HISTORY_RESTORE)
    assert restored.text.startswith("<!doctype html>")
    # The fragment is exactly the part of the page htmx swaps.
    assert fragment.text.strip() in client.get(path).text


@pytest.mark.parametrize("path", [*PAGES, "/days/1999-01-01", "/static/css/site.css", "/healthz"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "http" not in csp  # no third-party origin at all
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"]


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_and_htmx_served_from_static(client: TestClient, path: str) -> None:
    text = client.get(path).text
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert scripts and all('src="/static/' in s for s in scripts), scripts
    assert re.search(r"<script[^>]*>\s*[^<\s]", text) is None  # every script element is empty
    assert re.search(r"<[^>]+\son(click|load|keydown)=", text) is None
    assert client.get("/static/vendor/htmx.min.js").status_code == 200


def test_htmx_url_setting_points_the_page_and_the_csp_at_a_cdn(seeded_settings: Settings) -> None:
    cdn = "https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js"
    import dataclasses

    with TestClient(create_app(dataclasses.replace(seeded_settings, htmx_url=cdn))) as cdn_client:
        response = cdn_client.get("/")
    assert f'<script src="{cdn}"' in response.text
    assert "script-src 'self' https://unpkg.com" in response.headers["content-security-policy"]


def test_healthz_is_plain_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["content-type"].startswith("text/plain")


def test_creating_the_app_reads_the_catalogue_once(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    from app.web import app as web_app

    reads: list[Path] = []

    def counted(folder: Path) -> Catalog:
        reads.append(folder)
        return catalog

    monkeypatch.setattr(web_app, "load_catalog", counted)
    app = create_app(settings_from_env({}, database_url="sqlite://"))
    assert len(reads) == 1
    assert (app.state.window.start, app.state.window.end) == (catalog.window_start, catalog.window_end)
    assert app.state.parties == {p.slug: p.name for p in catalog.parties}


# -- the timeline --------------------------------------------------------------------------------


def test_timeline_has_one_row_per_day_quiet_days_included(client: TestClient) -> None:
    text = client.get("/").text
    days = [dt.date.fromisoformat(d) for d in day_rows(text)]
    assert days[0] <= dt.date(2016, 9, 9) and days[-1] >= dt.date(2016, 10, 3)
    assert days == [days[0] + dt.timedelta(n) for n in range(len(days))]  # none skipped
    assert 'class="day quiet"' in text and "quiet: no reports" in text


def test_timeline_shows_milestones_clock_and_coverage(client: TestClient) -> None:
    text = client.get("/").text
    row = text[text.index('datetime="2016-09-17"'):text.index('datetime="2016-09-18"')]
    assert "day 6 of the truce" in row
    assert 'href="/milestones/deir-ezzor-airstrike"' in row
    assert 'href="/days/2016-09-17?outlet=rt"' in row  # the RT cell links to RT's reports that day
    first = text[text.index('datetime="2016-09-12"'):text.index('datetime="2016-09-13"')]
    assert "day 1 of the truce" in first and "The truce takes effect" in first


@pytest.mark.parametrize("path", ["/", "/days/2016-09-17?view=compact", "/outlets/rt"])
def test_kind_pills_name_kinds_as_a_reader_does(client: TestClient, path: str) -> None:
    pills = re.findall(r'<span class="kind kind-(\w+)">([^<]*)</span>', client.get(path).text)
    assert pills
    assert all("_" not in label and label[:1].isupper() for _, label in pills), pills


def test_timeline_filter_narrows_the_coverage_strip(client: TestClient) -> None:
    text = client.get("/?outlet=rt").text
    legend = text[text.index('class="legend"'):text.index('class="days"')]
    assert count("<li>", legend) == 1 and ">RT<" in legend
    assert 'href="/days/2016-09-18?outlet=rt"' in text  # day links keep the filter


# -- a day ---------------------------------------------------------------------------------------


def test_day_page_leads_with_its_events_each_outlet_side_by_side(client: TestClient) -> None:
    text = client.get("/days/2016-09-17").text
    assert "Saturday 17 September 2016" in text and "day 6 of the truce" in text
    assert 'href="/milestones/deir-ezzor-airstrike"' in text
    events = re.findall(r'<section class="event-group[^"]*" aria-labelledby="event-(\d+)">', text)
    assert len(events) > 3
    blocks = text.split('<section class="event-group')[1:]
    # The day's own milestone leads, told by both outlets, each in its own column.
    assert 'href="/milestones/deir-ezzor-airstrike">US-led coalition airstrike' in blocks[0]
    columns = re.findall(r'<h4 id="event-1-outlet-\d+" dir="auto"><a href="/outlets/([\w-]+)">', blocks[0])
    assert columns == sorted(columns) and len(columns) >= 2 and "rt" in columns
    assert "Igor Konashenkov" in text
    # The reasoning is one sentence; only the article's own words are quoted.
    assert "“on Saturday” is the last Saturday up to publication" in text
    assert "<q dir=\"auto\">on Saturday</q>" not in text
    # How the publication date was known: said once per article in a block, never on the cards.
    assert "The article was published" not in text
    for block in blocks:
        notes = re.findall(r'<p class="article-head"><a href="/articles/(\d+)"', block)
        assert len(notes) == len(set(notes))
    assert "by its dateline “18 Sep, 2016 21:09”" in text
    assert 'href="/articles/2#report-' in text
    assert '<a rel="prev" data-key-nav href="/days/2016-09-16">' in text
    assert '<a rel="next" data-key-nav href="/days/2016-09-18">' in text


def test_day_page_shows_a_sentence_dated_twice_as_one_card(client: TestClient, seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        twice = session.execute(
            select(Report.date, Report.article_id, Report.span_start).where(Report.date.is_not(None))
            .group_by(Report.date, Report.article_id, Report.span_start).having(func.count(Report.id) > 1)
        ).first()
        assert twice is not None  # the seeds have a sentence dated twice on one day
        ids = session.scalars(select(Report.id).where(Report.date == twice.date,
                                                      Report.article_id == twice.article_id,
                                                      Report.span_start == twice.span_start)).all()
    text = client.get(f"/days/{twice.date.isoformat()}").text
    cards = text.split('<article class="report"')[1:]
    holding = [c for c in cards if f"#report-{ids[0]}\"" in c.split("</article>")[0]]
    assert len(holding) == 1
    assert holding[0].split("</article>")[0].count('<p class="dating">') == len(ids)
    assert text.count('<article class="report"') < len(client.get(f"/days/{twice.date.isoformat()}.json")
                                                            .json()["reports"])


def test_day_filter_by_kind_and_speaker_keeps_the_other_filters(client: TestClient) -> None:
    data = client.get("/days/2016-09-17.json").json()
    kinds = {f["value"]: f["count"] for f in data["kinds"]}
    assert sum(kinds.values()) == len(data["reports"]) and kinds["statement"] > 1
    statements = client.get("/days/2016-09-17.json?kind=statement").json()
    assert {r["kind"] for r in statements["reports"]} == {"statement"}
    assert len(statements["reports"]) == kinds["statement"]
    speaker = next(f for f in data["speakers"] if f["count"] > 1)
    said = client.get("/days/2016-09-17.json", params={"speaker": speaker["value"]}).json()
    assert {r["speaker"] for r in said["reports"]} == {speaker["value"]}
    # Chips are real links: the kind chip keeps the outlet filter, the outlet chips keep the kind.
    page = client.get("/days/2016-09-17?outlet=rt&kind=statement").text
    assert 'href="/days/2016-09-17?outlet=rt" hx-get="/days/2016-09-17?outlet=rt" id="kind-statement"' in page
    assert 'href="/days/2016-09-17?kind=statement" hx-get="/days/2016-09-17?kind=statement" id="facet-rt"' in page
    assert '<a class="chip chip-on" href="/days/2016-09-17?outlet=rt" hx-get="/days/2016-09-17?outlet=rt"' \
           not in page  # the "All" kinds chip is not on while a kind is chosen
    rt_only = client.get("/days/2016-09-17.json?outlet=rt").json()
    rt_kinds = {f["value"]: f["count"] for f in rt_only["kinds"]}
    assert sum(rt_kinds.values()) == len(rt_only["reports"]) < len(data["reports"])


def test_day_compact_view_lists_one_line_per_report(client: TestClient) -> None:
    data = client.get("/days/2016-09-17.json").json()
    compact = client.get("/days/2016-09-17?view=compact").text
    lines = compact.split('<ol class="compact-list">')[1].split("</ol>")[0]
    assert lines.count("<li ") == len(data["reports"])
    assert '<section class="event-group' not in compact
    assert 'id="view-compact" href="/days/2016-09-17?view=compact"' in compact
    assert 'aria-current="true">One line per report' in compact
    # The filters keep the view, and the view keeps the filters.
    assert 'href="/days/2016-09-17?outlet=rt&amp;view=compact"' in compact
    filtered = client.get("/days/2016-09-17?outlet=rt&view=compact").text
    assert 'id="view-events" href="/days/2016-09-17?outlet=rt"' in filtered
    fragment = client.get("/days/2016-09-17?view=compact", headers=HX).text
    assert fragment.lstrip().startswith("<div class=\"results\"") and '<ol class="compact-list">' in fragment


def test_day_json_gains_the_event_groups_beside_its_reports(client: TestClient) -> None:
    data = client.get("/days/2016-09-17.json").json()
    assert data["reports"] and {"date", "quote", "kind", "reasoning", "basis"} <= set(data["reports"][0])
    grouped = [r["id"] for g in data["groups"] for o in g["outlets"] for a in o["articles"]
               for c in a["cards"] for r in c["reports"]]
    assert sorted(grouped) == sorted(r["id"] for r in data["reports"])
    assert data["groups"][0]["milestone"] == "deir-ezzor-airstrike"
    assert all(a["publication_note"].startswith(("Published", "Its publication"))
               for g in data["groups"] for o in g["outlets"] for a in o["articles"])


def test_day_filter_by_one_or_several_outlets(client: TestClient) -> None:
    everything = client.get("/days/2016-09-17").text
    rt = client.get("/days/2016-09-17?outlet=rt").text
    both = client.get("/days/2016-09-17?outlet=rt&outlet=al-jazeera").text
    assert 0 < count('<article class="report"', rt) < count('<article class="report"', both)
    assert count('<article class="report"', both) < count('<article class="report"', everything)
    assert set(re.findall(r'<a href="/outlets/([\w-]+)">', rt.split('class="day-reports"')[1])) == {"rt"}
    # Facets: selected ones toggle off, others toggle on; links work without JavaScript.
    assert 'href="/days/2016-09-17" hx-get="/days/2016-09-17" id="facet-rt"' in rt
    assert 'href="/days/2016-09-17?outlet=rt&amp;outlet=alwaght"' in rt
    assert '<a rel="next" data-key-nav href="/days/2016-09-18?outlet=rt&amp;outlet=al-jazeera">' in both


def test_every_hx_get_has_the_same_real_href(client: TestClient) -> None:
    for path in ("/", "/days/2016-09-17?outlet=rt"):
        links = re.findall(r'<a [^>]*href="([^"]*)" hx-get="([^"]*)"', client.get(path).text)
        assert links and all(href == hx for href, hx in links)


def test_quiet_day_in_the_frame_is_a_page_not_a_404(client: TestClient) -> None:
    response = client.get("/days/2016-09-28")
    assert response.status_code == 200
    assert "A quiet day" in response.text


# -- milestone, outlet, article ------------------------------------------------------------------


def test_milestone_page_puts_outlets_side_by_side_and_names_the_silent(client: TestClient) -> None:
    text = client.get("/milestones/deir-ezzor-airstrike").text
    assert "US-led coalition airstrike" in text and "62 soldiers" in text
    said = text[text.index("What each outlet said"):text.index("Did not report it")]
    silent = text[text.index("Did not report it"):]
    assert 'href="/outlets/rt"' in said
    assert 'href="/outlets/yournewswire"' in silent and 'href="/outlets/rt"' not in silent
    assert 'href="/days/2016-09-17"' in text


def test_outlet_page_lists_articles_and_reports_by_day(client: TestClient) -> None:
    text = client.get("/outlets/rt").text
    assert "<h1 dir=\"auto\">RT</h1>" in text
    assert 'href="/articles/2"' in text
    assert 'href="/days/2016-09-17?outlet=rt"' in text


def test_article_page_highlights_each_dated_sentence(client: TestClient) -> None:
    data = client.get("/articles/2.json").json()
    text = client.get("/articles/2").text
    for report in data["reports"]:
        assert f'id="report-{report["id"]}"' in text and f'id="note-{report["id"]}"' in text
    marked = "".join(html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", text, re.S))
    for report in data["reports"]:
        start, end = report["span"]
        assert data["text"][start:end] in marked


def test_article_text_is_escaped(engine: Engine, settings: Settings, catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    hostile = "On Saturday <script>alert(1)</script> the truce <b>held</b>, the army said on Monday."
    (folder / "hostile.txt").write_text("Hostile & odd\n\n" + hostile + "\n", encoding="utf-8")
    summary = load_paths(engine, [folder], catalog=catalog)
    assert summary.loaded == 1
    with TestClient(create_app(settings)) as client:
        text = client.get("/articles/1").text
    assert "<script>alert(1)</script>" not in text and "<b>held</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/days/2016-02-30", "not a date"),
        ("/days/17-09-2016", "not a date"),
        ("/days/20160917", "not a date"),
        ("/days/2031-01-01", "no reports or milestones for 2031-01-01"),
        ("/days/2016-09-17?outlet=nowhere", "no outlet called &#39;nowhere&#39;"),
        ("/?outlet=nowhere", "Known outlets: "),
        ("/milestones/no-such-thing", "no milestone called"),
        ("/outlets/no-such-outlet", "no outlet called"),
        ("/articles/abc", "no article with id"),
        ("/articles/0", "no article with id"),
        ("/articles/99999", "no article with id"),
        ("/articles/999999999999999999999999999", "no article with id"),
        ("/no/such/page", "There is no page at /no/such/page"),
    ],
)
def test_bad_addresses_get_a_helpful_404_page(client: TestClient, path: str, words: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert words in response.text
    assert 'href="/"' in response.text  # a way back


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/days/2016-09-17.xml", "There is no page at /days/2016-09-17.xml"),
        ("/.csv", "There is no page at /.csv"),
        ("/search.ics", "There is no page at /search.ics"),
        ("/coverage.atom", "There is no page at /coverage.atom"),
        ("/articles/2.csv", "no article with id &#39;2.csv&#39;"),  # an article has a JSON twin only
        ("/milestones/truce-begins.xml", "no milestone called &#39;truce-begins.xml&#39;"),
    ],
)
def test_a_suffix_the_page_has_no_format_for_is_a_404_page(client: TestClient, path: str, words: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert words in response.text
    assert client.head(path).status_code == 404


def test_a_name_with_dots_keeps_them_before_the_format_suffix(client: TestClient) -> None:
    response = client.get("/milestones/no.such.json")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no milestone called 'no.such'."
    assert "no milestone called &#39;no.such.csv.xml&#39;" in client.get("/milestones/no.such.csv.xml").text


def test_empty_outlet_value_means_no_filter(client: TestClient) -> None:
    assert client.get("/days/2016-09-17?outlet=").status_code == 200


def test_too_many_outlet_filters_is_a_400(client: TestClient) -> None:
    query = "&".join(f"outlet=o{n}" for n in range(60))
    response = client.get(f"/days/2016-09-17?{query}")
    assert response.status_code == 400
    assert "too many outlet filters" in response.text


def test_truce_clock_counts_days_after_the_end(client: TestClient) -> None:
    assert "truce over · 1 day after its end" in client.get("/days/2016-09-20").text
    assert "day 8 of the truce, its last" in client.get("/days/2016-09-19").text


def test_a_month_only_date_is_shown_as_a_month(client: TestClient) -> None:
    # "a similar attempt in February" names a month, not 1 February
    page = client.get("/").text
    assert "February 2016 (the month, no day given)" in page


def test_pages_are_built_by_as_many_threads_as_set(seeded_settings: Settings) -> None:
    import dataclasses

    import anyio.to_thread

    from app.web.app import page_threads

    def limit(client: TestClient) -> float:
        return client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)

    def slots(client: TestClient) -> int:
        layer = client.app.middleware_stack
        while not isinstance(layer, PageSlots):
            layer = layer.app
        return layer.slots

    with TestClient(create_app(dataclasses.replace(seeded_settings, page_threads=3))) as client:
        assert client.get("/days/2016-09-17").status_code == 200
        assert slots(client) == 3 and limit(client) == 3 + SPARE_THREADS  # the spare ones for static files
    with TestClient(create_app(seeded_settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert slots(client) == page_threads(seeded_settings) == len(os.sched_getaffinity(0))


def test_more_concurrent_requests_than_pooled_connections_and_threads_all_finish(seeded_settings: Settings) -> None:
    """A request holding a pooled connection never waits for a page thread, so none can wait on another."""
    import asyncio
    import dataclasses

    import anyio.to_thread
    import httpx2

    app = create_app(dataclasses.replace(seeded_settings, page_cache=False))
    pool = app.state.engine.pool
    concurrent = 3 * (pool.size() + pool._max_overflow)  # far more than the pool holds
    paths = ["/days/2016-09-17.json", "/search.json?q=convoy", "/days/2016-09-17", "/.json"]

    async def crowd() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1  # as few threads as can be
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
            requests = [client.get(paths[i % len(paths)]) for i in range(concurrent)]
            # Well under the pool's 30 s wait: a deadlock fails here, not on a timed-out connection.
            responses = await asyncio.wait_for(asyncio.gather(*requests), timeout=20)
        return [r.status_code for r in responses]

    try:
        assert asyncio.run(crowd()) == [200] * concurrent
    finally:
        app.state.engine.dispose()


# -- slow pages hold up nothing else ------------------------------------------------------------------

HUGE_REPORTS = 1000  # one article, one day: as many reports as the database can hold on a day from one
ANSWER_SECONDS = 30  # a request that takes this long is hung, not slow


def load_huge_day(engine: Engine, catalog: Catalog, folder: Path) -> str:
    """An article of HUGE_REPORTS sentences all dated to one day, loaded by the loader; returns that day."""
    folder.mkdir()
    sentences = " ".join(f"Monitor number {n} said on Saturday that shelling hit Aleppo." for n in range(HUGE_REPORTS))
    (folder / "huge.txt").write_text(f"BEIRUT, Sept 25 (Reuters) - {sentences}\n", encoding="utf-8")
    assert load_paths(engine, [folder], catalog=catalog).loaded == 1
    with Session(engine) as session:
        day, reports = session.execute(
            select(Report.date, func.count(Report.id)).join(Article).where(Article.source == "huge.txt")
            .group_by(Report.date)).one()
    assert reports == HUGE_REPORTS
    return day.isoformat()


def test_pages_slow_to_build_hold_up_no_other_request(seeded_engine: Engine, settings: Settings, catalog: Catalog,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While one huge day page is being built another day page is; while two take both page threads,
    /healthz, /static and a cached page still answer. Each build is held at a gate, so the order is certain."""
    huge = load_huge_day(seeded_engine, catalog, tmp_path / "huge")
    building, finish = threading.Semaphore(0), threading.Event()
    build_day = timeline.day

    def gated_day(session, window, date, *args, **kwargs):
        page = build_day(session, window, date, *args, **kwargs)
        if date.isoformat() == huge:
            building.release()
            finish.wait(2 * ANSWER_SECONDS)  # longer than a request may take: the finally below opens it
        return page

    monkeypatch.setattr(timeline, "day", gated_day)
    app = create_app(dataclasses.replace(settings, page_threads=2))
    with serving(app) as base, ThreadPoolExecutor(2) as pool:
        try:
            def get(path: str) -> httpx2.Response:
                return httpx2.get(base + path, timeout=ANSWER_SECONDS)

            cached = get("/days/2016-09-17")
            first = pool.submit(get, f"/days/{huge}")
            assert building.acquire(timeout=ANSWER_SECONDS)
            assert get("/days/2016-09-18").status_code == 200  # built beside the huge one
            second = pool.submit(get, f"/days/{huge}?page=2")
            assert building.acquire(timeout=ANSWER_SECONDS)
            assert get("/healthz").text == "ok"
            assert get("/static/css/site.css").status_code == 200
            assert get("/days/2016-09-17").headers["etag"] == cached.headers["etag"]
            assert not first.done() and not second.done()  # all of that while both were being built
        finally:
            finish.set()
        assert first.result().status_code == second.result().status_code == 200
        assert f"{HUGE_REPORTS} reports" in first.result().text


def test_a_day_and_the_page_for_no_day_do_not_depend_on_route_order(private_client: TestClient) -> None:
    private_client.app.router.routes.reverse()  # the "not a day" route now comes before the day's own
    assert private_client.get("/days/2016-09-17").status_code == 200
    assert "not a date" in private_client.get("/days/17-09-2016").text
