"""Counting outlets with wire stories: a story several hosts carried is one account, the unknown outlet none; and
the pages that count so (the day, the timeline, coverage, figures), over the seeds plus one made-up AFP story."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SharedClients, SharedDatabases, shared_settings
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.extract.catalog import Catalog
from app.queries.pagedata import OutletRef
from app.queries.wirestories import Telling, carried_stories, outlets_told
from app.store.loader import load_paths

AFP, REUTERS = OutletRef("afp", "AFP"), OutletRef("reuters", "Reuters")
GAZETTE, TIMES, POST = OutletRef("gazette", "The Gazette"), OutletRef("times", "The Times"), OutletRef("post", "Post")


def test_a_story_carried_by_three_hosts_counts_once_with_its_hosts_listed() -> None:
    tellings = [Telling(TIMES, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(None, 1, AFP), Telling(POST)]
    [story] = carried_stories(tellings)
    assert (story.agency, story.hosts, story.story) == (AFP, [GAZETTE, TIMES, None], 1)
    assert outlets_told(tellings) == 2  # the AFP story and the Post


def test_a_host_telling_it_in_its_own_words_too_counts_apart_from_the_story() -> None:
    assert outlets_told([Telling(TIMES, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(GAZETTE)]) == 2


def test_a_story_one_host_printed_is_that_host() -> None:
    tellings = [Telling(GAZETTE, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(GAZETTE), Telling(TIMES, 2, REUTERS)]
    assert carried_stories(tellings) == []
    assert outlets_told(tellings) == 2


def test_the_unknown_outlet_is_no_outlet() -> None:
    assert outlets_told([Telling(None), Telling(None), Telling(POST)]) == 1
    assert outlets_told([Telling(None)]) == 0


# -- the pages, over the seeds plus one AFP story printed by three hosts ---------------------------------------

AIRSTRIKE = ("BEIRUT (AFP) — US-led coalition aircraft struck Syrian army positions near Deir ez-Zor on Saturday, "
             "killing 62 soldiers, the Russian defence ministry said. Washington said the raid was a mistake and "
             "that it had meant to hit the Islamic State group.")
STORY_ARTICLES = {  # name: (manifest outlet or None, text); all published 2016-09-18
    "straits.txt": ("straits-times", f"Strike on army positions\n\n{AIRSTRIKE}\n"),
    "national.txt": ("the-national", f"Coalition raid hits Syrian troops\n\n{AIRSTRIKE.replace('the raid', 'it')}\n"),
    "gulf.txt": ("gulf-news", f"Deadly raid near Deir ez-Zor\n\n{AIRSTRIKE.split(' Washington')[0]}\n"),
    # AFP's own site, with no credit line: AFP's copy all the same, another story.
    "afp-own.txt": ("afp", "Talks go on\n\nDiplomats met in Geneva on Saturday to discuss the truce, aides said.\n"),
    # No outlet at all: counted under the unknown outlet, never as an outlet.
    "nameless.txt": (None, "Convoy waits\n\nAid trucks waited at the Turkish border on Saturday, officials said.\n"),
}
STORY_DAY = "/days/2016-09-17"
HOSTS = ["Gulf News", "The National", "The Straits Times"]


def words(page: str) -> str:
    """The page's text as a reader reads it: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" ,", ",").replace(" )", ")")


def add_story(engine: Engine, catalog: Catalog, folder: Path) -> None:
    folder = folder / "story"
    folder.mkdir()
    (folder / "manifest.toml").write_text("".join(
        f'[file."{name}"]\n' + (f'outlet = "{outlet}"\n' if outlet else "") + "published = 2016-09-18\n\n"
        for name, (outlet, _) in STORY_ARTICLES.items()), encoding="utf-8")
    for name, (_, text) in STORY_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    summary = load_paths(engine, [folder], catalog=catalog)
    assert summary.loaded == len(STORY_ARTICLES) and not summary.rejected


@pytest.fixture
def carried(backend: str, shared_databases: SharedDatabases, shared_clients: SharedClients) -> Iterator[TestClient]:
    with shared_settings(shared_databases, backend, "story", add_story) as settings:
        yield shared_clients.get(settings)


def test_the_day_names_the_story_with_its_hosts_and_counts_it_once(carried: TestClient, client: TestClient) -> None:
    data = carried.get(f"{STORY_DAY}.json").json()
    [story] = data["wire_stories"]
    assert story["agency"]["slug"] == "afp" and [h["name"] for h in story["hosts"]] == HOSTS
    assert isinstance(story["story"], int) and len(story["article_ids"]) == 3
    # Three hosts are one account; AFP's own page is another; the nameless article is no outlet.
    before = client.get(f"{STORY_DAY}.json").json()["outlet_count"]
    assert data["outlet_count"] == before + 2
    page = carried.get(STORY_DAY).text
    assert f"One AFP story, carried by 3 outlets: {', '.join(HOSTS)}" in words(page)
    assert re.search(rf'<h2 id="reports-title">\d+ reports from {before + 2} outlets'
                     r'<span class="muted">, a wire story counted once', page)
    # The reports still stand under each host: the chips count every copy's.
    chips = {f["value"]: f["count"] for f in data["facets"]}
    assert chips["straits-times"] == chips["the-national"] == chips["gulf-news"] > 0


def test_the_export_gives_the_three_copies_one_story_and_the_others_none(carried: TestClient) -> None:
    data = carried.get(f"{STORY_DAY}.json").json()
    [story] = data["wire_stories"]
    ids = {r["source"]: r["article_id"] for r in data["reports"]}
    assert sorted(ids[name] for name in ("straits.txt", "national.txt", "gulf.txt")) == sorted(story["article_ids"])
    assert ids["afp-own.txt"] not in story["article_ids"]


def test_the_unknown_outlet_is_never_counted_as_an_outlet(carried: TestClient) -> None:
    data = carried.get(f"{STORY_DAY}.json?outlet=unknown").json()
    assert data["outlet_count"] == 0 and data["reports"]
    page = carried.get(f"{STORY_DAY}?outlet=unknown").text
    assert "none naming its outlet" in page and "from 1 outlet" not in page and "outlet unknown" in page


def test_the_timeline_tells_the_story_once_with_its_hosts(carried: TestClient, client: TestClient) -> None:
    def headline(c: TestClient) -> dict:
        return next(d["headline"] for d in c.get("/.json").json()["days"] if d["date"] == "2016-09-17")
    told = headline(carried)
    assert told["outlets"] == headline(client)["outlets"] + 1  # the airstrike: the AFP story, once
    assert [h["name"] for h in told["stories"][0]["hosts"]] == HOSTS
    page = carried.get("/").text
    assert f"told by {told['outlets']} outlets (one AFP story, carried by 3 outlets: {', '.join(HOSTS)})" in words(page)


def test_coverage_counts_the_story_once_and_lists_its_hosts(carried: TestClient, client: TestClient) -> None:
    def row(c: TestClient) -> dict:
        return next(m for m in c.get("/coverage.json").json()["milestones"]
                    if m["milestone"]["slug"] == "deir-ezzor-airstrike")
    airstrike = row(carried)
    assert airstrike["outlets"] == row(client)["outlets"] + 1
    assert [h["name"] for h in airstrike["stories"][0]["hosts"]] == HOSTS
    cells = {c["outlet"]["slug"]: c["count"] for c in airstrike["cells"]}
    assert cells["straits-times"] == cells["the-national"] == cells["gulf-news"] == 1  # each host's column
    coverage = words(carried.get("/coverage").text)
    assert f"One AFP story, carried by 3 outlets: {', '.join(HOSTS)} (counted once)" in coverage


def test_figures_give_the_storys_figure_once_carried_by_its_hosts(carried: TestClient, client: TestClient) -> None:
    def killed(c: TestClient) -> dict:
        return next(g for g in c.get("/figures.json").json()["groups"]
                    if g["topic"] == "deir-ezzor-airstrike" and g["label"] == "killed · soldiers")
    group = killed(carried)
    [copy] = [f for f in group["figures"] if f["carried_by"]]
    assert (copy["value"], [h["name"] for h in copy["carried_by"]]) == (62, HOSTS)
    assert not any(f["source"] in ("national.txt", "gulf.txt", "straits.txt") and not f["carried_by"]
                   for f in group["figures"])
    assert group["outlets"] == killed(client)["outlets"] + 1
    assert f"One AFP story, carried by 3 outlets: {', '.join(HOSTS)}" in words(carried.get("/figures").text)
    assert "carried_by" in carried.get("/figures.csv").text.splitlines()[0]


def test_the_agency_filter_selects_its_copy_wherever_it_ran(carried: TestClient) -> None:
    data = carried.get(f"{STORY_DAY}.json?agency=afp").json()
    assert {r["source"] for r in data["reports"]} == {"straits.txt", "national.txt", "gulf.txt", "afp-own.txt"}
    chip = next(f for f in data["agencies"] if f["value"] == "afp")
    assert chip["count"] == len(data["reports"])  # the chip counts what the filter selects


def test_the_event_block_counts_the_story_once_as_the_day_heading_does(carried: TestClient, client: TestClient) -> None:
    def airstrike(c: TestClient) -> dict:
        return next(g for g in c.get(f"{STORY_DAY}.json").json()["groups"] if g["milestone"] == "deir-ezzor-airstrike")

    before, after = airstrike(client), airstrike(carried)
    assert (after["told_by"], after["carried"]) == (before["told_by"] + 1, 1)
    assert len(after["outlets"]) == len(before["outlets"]) + 3  # each host keeps its column
    heading = re.search(r'<a href="/milestones/deir-ezzor-airstrike">[^<]*</a>\s*<span class="event-count">(.*?)</h3>',
                        carried.get(STORY_DAY).text, re.S)
    assert heading and f"from {after['told_by']} outlets" in words(heading.group(1))
    assert "a wire story counted once" in heading.group(1)
