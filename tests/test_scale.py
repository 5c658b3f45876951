"""Long lists come in pages (?page=N), and the counts the pages show follow every load.

A busy synthetic day (benchmarks/scale.py's bulk insert, small here) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re

import pytest
from conftest import SharedClients
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.queries import search, sources, timeline
from app.store.loader import load_paths
from app.store.models import Article, Outlet, Report
from app.web.app import create_app


@pytest.fixture
def big_client(big_settings: Settings, shared_clients: SharedClients) -> TestClient:
    """The shared app over the seeds and the synthetic articles (conftest's big database)."""
    return shared_clients.get(big_settings)


def busiest_day(engine: Engine) -> str:
    with Session(engine) as session:
        return session.execute(select(Report.date).where(Report.date.is_not(None)).group_by(Report.date)
                               .order_by(func.count(Report.id).desc(), Report.date).limit(1)).scalar_one().isoformat()


def test_a_busy_day_is_paged_and_the_pages_cover_it_once(big_client: TestClient, big_reader: Engine) -> None:
    day = busiest_day(big_reader)
    first = big_client.get(f"/days/{day}.json").json()
    paging = first["paging"]
    assert paging["total"] > timeline.DAY_PAGE_SIZE and paging["page"] == 1
    assert len(first["reports"]) == timeline.DAY_PAGE_SIZE and paging["previous_url"] is None
    seen, url = [], f"/days/{day}.json"
    while url:
        page = big_client.get(url).json()
        seen += [r["id"] for r in page["reports"]]
        url = page["paging"]["next_url"]
    assert len(seen) == len(set(seen)) == paging["total"]
    with Session(big_reader) as session:
        assert paging["total"] == session.scalar(
            select(func.count(Report.id)).where(Report.date == dt.date.fromisoformat(day)))


def test_day_page_links_keep_the_filter_and_html_agrees_with_json(big_client: TestClient,
                                                                  big_reader: Engine) -> None:
    day = busiest_day(big_reader)
    slugs = [f["value"] for f in big_client.get(f"/days/{day}.json").json()["facets"] if f["count"]][:-1]
    query = "&".join(f"outlet={s}" for s in slugs)
    data = big_client.get(f"/days/{day}.json?{query}&page=2").json()
    assert data["paging"]["page"] == 2 and data["paging"]["previous_url"] == f"/days/{day}.json?{query}"
    assert {r["outlet"] for r in data["reports"]} <= {f["label"] for f in data["facets"] if f["value"] in slugs}
    page = big_client.get(f"/days/{day}?{query}&page=2").text
    assert f'href="/days/{day}?{query.replace("&", "&amp;")}"' in page  # back to page 1
    assert "page 2 of" in page
    shown = re.findall(r'<article class="report" id="r(\d+)"', page)  # grouped by outlet: same reports, own order
    assert sorted(shown) == sorted(str(r["id"]) for r in data["reports"])


def test_a_page_past_the_end_shows_the_last_and_a_bad_page_is_a_400(big_client: TestClient,
                                                                    big_reader: Engine) -> None:
    day = busiest_day(big_reader)
    last = big_client.get(f"/days/{day}.json?page=99999").json()["paging"]
    assert last["page"] == last["pages"] and last["next_url"] is None
    for bad in ("0", "-1", "x", "100001"):
        assert big_client.get(f"/days/{day}?page={bad}").status_code == 400


def test_an_outlet_with_many_articles_is_paged(big_client: TestClient, big_reader: Engine) -> None:
    with Session(big_reader) as session:
        slug, articles, reports = session.execute(
            select(Outlet.slug, func.count(func.distinct(Article.id)), func.count(Report.id))
            .join(Article, Article.outlet_id == Outlet.id).join(Report, Report.article_id == Article.id)
            .group_by(Outlet.slug).order_by(func.count(Report.id).desc(), Outlet.slug).limit(1)).one()
    assert reports > sources.OUTLET_REPORTS_PAGE_SIZE
    first = big_client.get(f"/outlets/{slug}.json").json()
    assert first["reports"] == reports and len(first["articles"]) == sources.OUTLET_ARTICLES_PAGE_SIZE
    ids, article_ids, url = [], [], f"/outlets/{slug}.json"
    while url:
        page = big_client.get(url).json()
        ids += [r["id"] for d in page["days"] for r in d["reports"]]
        article_ids += [a["id"] for a in page["articles"]]
        url = page["paging"]["next_url"]
    assert len(ids) == len(set(ids)) == reports
    assert len(article_ids) == len(set(article_ids)) == articles
    html_page = big_client.get(f"/outlets/{slug}?page=2").text
    assert f'href="/outlets/{slug}"' in html_page and f'href="/outlets/{slug}?page=3"' in html_page


def test_the_frame_columns_and_neighbours_follow_a_load(seeded_engine: Engine, settings: Settings,
                                                                 catalog, tmp_path) -> None:
    uncached = dataclasses.replace(settings, page_cache=False)  # pages built afresh: only the counts could be stale
    with TestClient(create_app(uncached)) as client:
        before = client.get("/.json").json()
        last = before["end"]
        assert client.get(f"/days/{last}.json").json()["next"] is None
        folder = tmp_path / "later"
        folder.mkdir()
        (folder / "a.txt").write_text("BEIRUT, Oct 12 (Reuters) - Russian jets bombed eastern Aleppo on Monday, "
                                      "rebels said.\n")
        load_paths(seeded_engine, [folder], catalog=catalog)
        after = client.get("/.json").json()
        assert before["end"] < after["end"] == "2016-10-10"
        assert "reuters" not in {o["slug"] for o in before["outlets"]}
        assert "reuters" in {o["slug"] for o in after["outlets"]}
        day_after = dt.date.fromisoformat(last) + dt.timedelta(days=1)
        assert client.get(f"/days/{last}.json").json()["next"] == day_after.isoformat()


def test_search_results_are_paged_and_the_pages_cover_them_once(big_client: TestClient) -> None:
    first = big_client.get("/search.json?q=truce").json()
    paging, size = first["paging"], search.SEARCH_PAGE_SIZE
    assert paging["total"] == first["total"] > 2 * size and paging["page"] == 1 and paging["previous_url"] is None
    assert len(first["hits"]) == size and first["limited"]
    seen, url = [], "/search.json?q=truce"
    while url:
        page = big_client.get(url).json()
        seen += [h["report"]["id"] for h in page["hits"]]
        url = page["paging"]["next_url"]
    assert len(seen) == len(set(seen)) == first["total"]
    second = big_client.get("/search?q=truce&page=2").text
    assert 'href="/search?q=truce"' in second and 'href="/search?q=truce&amp;page=3"' in second
    assert f'<ol class="hits" start="{size + 1}">' in second and "page 2 of" in second
    assert second.count('<li class="hit">') == size
    rows = list(csv.DictReader(io.StringIO(big_client.get("/search.csv?q=truce&page=2").text)))
    assert [int(row["id"]) for row in rows] == seen[size:2 * size]  # the CSV twin is the same page
