"""The reader's view of outlets: the unknown outlet as a chip and a column, colours that follow the outlet, and
wire copy shown beside its host. Over the seeds plus three short articles loaded by the real loader."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SharedClients, SharedDatabases, shared_settings
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.extract.catalog import Catalog, _outlet
from app.extract.publishers import slug_for
from app.formats import bidi_isolated
from app.store.loader import load_paths
from app.web.app import create_app

DAY = "/days/2016-09-17"
# Published the day after, so "on Saturday" is the 17th. The first names no outlet at all; the second is a
# publisher outside the catalogue running AFP copy; the third a catalogued host of AFP copy; the last TASS's own.
EXTRA_MANIFEST = """\
[file."nameless.txt"]
published = 2016-09-18

[file."gazette.txt"]
published = 2016-09-18

[file."straits.txt"]
outlet = "straits-times"
published = 2016-09-18

[file."straits-talks.txt"]
outlet = "straits-times"
published = 2016-09-20

[file."gazette-talks.txt"]
published = 2016-09-20
"""
EXTRA_ARTICLES = {
    "nameless.txt": "Aid waits at the border\n\nAid trucks waited at the Turkish border on Saturday, officials said.\n",
    "gazette.txt": ("Aid convoy waits at the border | The Harbour Gazette\n\nBEIRUT (AFP) — Aid trucks waited at the "
                    "Turkish border on Saturday as the truce held, officials said.\n"),
    "straits.txt": ("Convoy held up\n\nBEIRUT (AFP) — The convoy was held up on Saturday as the truce frayed, "
                    "officials said.\n\nOn Friday, Russia blamed the United States after 12 aid workers were "
                    "killed, officials said.\n"),
    # One AFP story about Monday printed by two hosts, each with its own headline and a word changed.
    "straits-talks.txt": ("Talks stall\n\nGENEVA (AFP) — Russian and American diplomats failed to agree on Monday on "
                          "how to revive the truce, and aid convoys stayed at the border as the fighting resumed "
                          "around Aleppo, officials said.\n"),
    "gazette-talks.txt": ("Diplomats fail to agree | The Harbour Gazette\n\nGENEVA (AFP) — Russian and American "
                          "diplomats failed to agree on Monday on how to revive the truce, and aid convoys stayed "
                          "at the border as fighting resumed around Aleppo, officials said.\n"),
    # An agency's own copy on its own site: TASS is its host, and no other's wire copy.
    "tass.txt": ("MOSCOW, September 20. /TASS/. The truce can still be saved, the Kremlin said on Tuesday.\n\n"
                 "Talks were to resume in Geneva.\n"),
}


def load_extra(engine: Engine, catalog: Catalog, folder: Path) -> None:
    folder.mkdir()
    (folder / "manifest.toml").write_text(EXTRA_MANIFEST, encoding="utf-8")
    for name, text in EXTRA_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    summary = load_paths(engine, [folder], catalog=catalog)
    assert summary.loaded == len(EXTRA_ARTICLES) and not summary.rejected


def add_extra(engine: Engine, catalog: Catalog, folder: Path) -> None:
    load_extra(engine, catalog, folder / "extra")


@pytest.fixture
def wider(backend: str, shared_databases: SharedDatabases, shared_clients: SharedClients) -> Iterator[TestClient]:
    """The dashboard over the seeds and the extra articles: a database and app shared by this module's tests."""
    with shared_settings(shared_databases, backend, "wider", add_extra) as settings:
        yield shared_clients.get(settings)


def chips(text: str) -> dict[str, int]:
    """The outlet filter's chips on an HTML page: slug -> count."""
    found = re.findall(r'id="facet-(?!all")([\w-]+)".*?<span class="count">(\d+)</span>', text, re.S)
    return {slug: int(n) for slug, n in found}


def heading_count(text: str) -> int:
    return int(re.search(r'<h2 id="reports-title">(\d+) report', text).group(1))


def legend(text: str) -> list[tuple[str, str]]:
    """The timeline legend: (slug, colour class) per column, in order."""
    block = text[text.index('class="legend"'):text.index('class="days"')]
    found = re.findall(r'<span class="swatch (oc-[\w-]+)[^"]*" aria-hidden="true" data-outlet="([\w-]+)"', block)
    return [(slug, colour) for colour, slug in found]


# -- the unknown outlet --------------------------------------------------------------------------


def test_reports_with_no_outlet_get_a_chip_and_a_column(wider: TestClient) -> None:
    day = wider.get(DAY).text
    assert chips(day)["unknown"] == 1
    assert "Unknown outlet" in day
    timeline = wider.get("/").text
    assert ("unknown", "oc-unknown") in legend(timeline)
    row = timeline[timeline.index('datetime="2016-09-17"'):timeline.index('datetime="2016-09-18"')]
    assert 'href="/days/2016-09-17?outlet=unknown"' in row  # its coverage cell links to its reports
    # Its name leads to its reports on the timeline: it has no outlet page.
    assert '<a href="/?outlet=unknown" dir="auto">Unknown outlet</a>' in timeline


def test_without_such_reports_there_is_no_unknown_chip(client: TestClient) -> None:
    assert "unknown" not in chips(client.get(DAY).text)
    assert "unknown" not in [slug for slug, _ in legend(client.get("/").text)]


def test_the_chips_add_up_to_the_heading(wider: TestClient) -> None:
    day = wider.get(DAY).text
    assert sum(chips(day).values()) == heading_count(day) == len(wider.get(f"{DAY}.json").json()["reports"])
    timeline = wider.get("/").text
    total = int(re.search(r"\d+ days, (\d+) reports", timeline).group(1))
    assert sum(chips(timeline).values()) == total
    # Each chip's count is what choosing it shows.
    for slug, n in chips(day).items():
        assert heading_count(wider.get(f"{DAY}?outlet={slug}").text) == n, slug


def test_the_chips_add_up_on_a_busy_day_of_a_big_corpus(big_settings: Settings, big_reader: Engine) -> None:
    """benchmarks/scale.py's synthetic articles (conftest's big database): one in ten has no known outlet, and a
    busy day runs to pages."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from app.store.models import Article, Report

    with Session(big_reader) as session:
        unnamed = session.scalar(select(func.count(Report.id)).join(Article).where(Article.outlet_id.is_(None)))
    assert unnamed > 0
    with TestClient(create_app(big_settings)) as client:
        day = client.get(DAY).text
        assert chips(day)["unknown"] > 0
        assert sum(chips(day).values()) == heading_count(day) > 50  # more than one page of them
        timeline = client.get("/").text
        total = int(re.search(r"\d+ days, (\d+) reports", timeline).group(1))
        assert sum(chips(timeline).values()) == total


def test_the_unknown_filter_shows_only_reports_with_no_outlet(wider: TestClient) -> None:
    data = wider.get(f"{DAY}.json?outlet=unknown").json()
    assert [(r["source"], r["outlet"]) for r in data["reports"]] == [("nameless.txt", None)]
    both = wider.get(f"{DAY}.json?outlet=unknown&outlet=rt").json()
    assert {r["outlet"] for r in both["reports"]} == {None, "RT"}
    timeline = wider.get("/.json?outlet=unknown").json()
    assert [o["slug"] for o in timeline["outlets"]] == ["unknown"]
    assert sum(d["reports"] for d in timeline["days"]) == 1


def test_coverage_counts_the_unknown_outlet_too(wider: TestClient) -> None:
    data = wider.get("/coverage.json").json()
    assert data["outlets"][-1] == {"slug": "unknown", "name": "Unknown outlet"}
    day = next(d for d in data["days"] if d["date"] == "2016-09-17")
    assert {c["outlet"]["slug"]: c["count"] for c in day["coverage"]}["unknown"] == 1
    assert "oc-unknown" in wider.get("/coverage").text


@pytest.mark.parametrize("path", ["/figures?outlet=unknown", "/claims?outlet=unknown",
                                  "/search?q=trucks&outlet=unknown", "/feed.atom?outlet=unknown",
                                  "/coverage?outlet=unknown"])
def test_every_outlet_filter_takes_the_unknown_outlet(wider: TestClient, path: str) -> None:
    assert wider.get(path).status_code == 200


def test_the_unknown_outlet_slug_is_reserved(catalog: Catalog) -> None:
    assert "unknown" not in {o.slug for o in catalog.outlets}
    with pytest.raises(ValueError, match="reserved"):
        _outlet({"slug": "unknown", "name": "Unknown"})
    assert slug_for("Unknown") != "unknown" and slug_for("The Unknown") == "the-unknown"


# -- colours -------------------------------------------------------------------------------------


def test_an_outlets_colour_does_not_depend_on_the_columns_shown(wider: TestClient) -> None:
    everything = dict(legend(wider.get("/").text))
    alone = dict(legend(wider.get("/?outlet=rt").text))
    assert alone["rt"] == everything["rt"]
    with_others = dict(legend(wider.get("/?outlet=yournewswire&outlet=rt").text))
    assert with_others["rt"] == everything["rt"]
    # The same class wherever the outlet is shown: its chip, its day-page heading, its coverage column.
    day = wider.get(DAY).text
    assert f'<span class="swatch {everything["rt"]}" aria-hidden="true"></span>RT</a>' in day
    assert re.search(r'id="facet-rt".*?<span class="swatch ([\w-]+)"', day, re.S).group(1) == everything["rt"]


def test_an_outlets_colour_survives_a_load(engine: Engine, settings: Settings, catalog: Catalog,
                                           tmp_path: Path) -> None:
    load_paths(engine, [settings.seeds_dir / "001_e2191137fde1a18b.txt"], catalog=catalog)  # RT alone
    with TestClient(create_app(settings)) as client:
        before = dict(legend(client.get("/").text))
        load_paths(engine, [settings.seeds_dir], catalog=catalog)
        load_extra(engine, catalog, tmp_path / "extra")
        after = dict(legend(client.get("/").text))
    assert list(before) == ["rt"] and len(after) > 5  # RT went from the first column to one of many...
    assert list(after).index("rt") > 0
    assert after["rt"] == before["rt"]  # ...and kept its colour


# -- wire copy -----------------------------------------------------------------------------------


def agency_chips(text: str) -> dict[str, int]:
    found = re.findall(r'id="agency-(?!any")([\w-]+)".*?<span class="count">(\d+)</span>', text, re.S)
    return {slug: int(n) for slug, n in found}


def test_wire_copy_is_shown_with_its_host(wider: TestClient) -> None:
    day = wider.get(DAY).text
    assert 'The Straits Times<span class="wire">, from AFP</span>' in day
    assert 'The Harbour Gazette<span class="wire">, from AFP</span>' in day
    by_source = {r["source"]: r for r in wider.get(f"{DAY}.json").json()["reports"]}
    assert (by_source["straits.txt"]["outlet"], by_source["straits.txt"]["agency"]) == ("The Straits Times", "AFP")
    assert by_source["nameless.txt"]["agency"] is None
    article_id = by_source["straits.txt"]["article_id"]
    article = wider.get(f"/articles/{article_id}").text
    assert 'The Straits Times<span class="wire">, from AFP</span>' in article
    assert wider.get(f"/articles/{article_id}.json").json()["agency"] == {"slug": "afp", "name": "AFP"}
    assert '<span class="wire">from AFP</span>' in wider.get("/outlets/straits-times").text
    assert '<span class="wire">, from AFP</span>' in wider.get("/search?q=convoy+frayed").text


def test_figures_claims_and_feeds_name_the_agency_beside_the_host(wider: TestClient) -> None:
    wire = '<span class="wire">, from AFP</span>'
    figures = wider.get("/figures?outlet=straits-times").text
    assert f'<a href="/outlets/straits-times">The Straits Times</a>{wire}' in figures and "12" in figures
    claims = wider.get("/claims?outlet=straits-times").text
    assert f'dir="auto">The Straits Times</a>{wire}' in claims
    assert wider.get("/claims.json?outlet=straits-times").json()["claims"][0]["agency"]["slug"] == "afp"
    # Plain text has no markup to isolate a name in: the feed wraps each in FSI…PDI (app.formats.bidi_isolated).
    feed = wider.get("/feed.atom?outlet=straits-times").text
    assert f"{bidi_isolated('The Straits Times')}, from {bidi_isolated('AFP')}" in feed
    slides = wider.get("/timeline.js.json?outlet=straits-times").json()["events"]
    assert any(e["text"]["text"].startswith(f"{bidi_isolated('The Straits Times')}, from {bidi_isolated('AFP')}: ")
               for e in slides)


def test_an_agencys_own_pages_are_not_wire_copy(wider: TestClient) -> None:
    day = wider.get("/days/2016-09-20").text
    tass = next(r for r in wider.get("/days/2016-09-20.json").json()["reports"] if r["source"] == "tass.txt")
    assert (tass["outlet"], tass["agency"]) == ("TASS", "TASS")  # the data says so...
    assert "from TASS" not in day  # ...but TASS on its own site is not "TASS, from TASS"
    assert "tass" not in agency_chips(day) and agency_chips(day) == {"afp": 0}  # AFP's chip: carried elsewhere


def test_the_agency_filter_shows_the_articles_running_its_copy(wider: TestClient) -> None:
    assert agency_chips(wider.get(DAY).text) == {"afp": 2}
    data = wider.get(f"{DAY}.json?agency=afp").json()
    assert sorted(r["source"] for r in data["reports"]) == ["gazette.txt", "straits.txt"]
    assert data["selected_agencies"] == ["afp"] and data["agencies"][0]["selected"]
    page = wider.get(f"{DAY}?agency=afp").text
    # The outlet chips count under the agency filter, so they still add up to the heading.
    assert sum(chips(page).values()) == heading_count(page) == 2
    # Every link keeps the other filter: outlet chips, the agency chip, the pager.
    assert 'href="/days/2016-09-17?outlet=straits-times&amp;agency=afp"' in page
    assert 'href="/days/2016-09-17" hx-get="/days/2016-09-17" id="agency-afp"' in page
    assert '<a rel="next" data-key-nav href="/days/2016-09-18?agency=afp">' in page
    both = wider.get(f"{DAY}.json?agency=afp&outlet=straits-times").json()
    assert [r["source"] for r in both["reports"]] == ["straits.txt"]
    timeline = wider.get("/?agency=afp").text
    assert "5 reports" in timeline and "running the copy of AFP" in timeline
    assert 'href="/days/2016-09-17?outlet=straits-times&amp;agency=afp"' in timeline  # a coverage cell


@pytest.mark.parametrize("path", [f"{DAY}?agency=nowhere", "/?agency=nowhere", f"{DAY}.json?agency=nowhere",
                                  f"{DAY}?agency=rt"])
def test_an_unknown_agency_is_a_404(wider: TestClient, path: str) -> None:
    response = wider.get(path)
    assert response.status_code == 404
    assert "no wire agency called" in response.text and "afp" in response.text


def test_one_wire_story_printed_by_two_hosts_is_named_once(wider: TestClient) -> None:
    data = wider.get("/days/2016-09-19.json").json()
    [story] = data["wire_stories"]
    assert story["agency"] == {"slug": "afp", "name": "AFP"}
    assert sorted(h["slug"] for h in story["hosts"]) == ["straits-times", "the-harbour-gazette"]
    page = wider.get("/days/2016-09-19").text
    assert "One AFP story, carried by 2 outlets:" in page
    # Two AFP articles of the 17th tell different stories: no story is named there.
    assert wider.get(f"{DAY}.json").json()["wire_stories"] == []
    assert "carried by" not in wider.get(DAY).text
