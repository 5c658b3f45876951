"""Comparing the outlets: figures and disagreements, coverage, blind spots, claims and search, over the seeds
and over short articles written here and loaded by the real loader."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from app.extract.catalog import Catalog
from app.queries import search
from app.queries.export import export_data
from app.queries.pagedata import FigureItem, OutletRef, group_figures
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.web.app import create_app
from app.web.render import VARY

HX = {"HX-Request": "true"}
NEW_PAGES = ["/search?q=truce", "/search", "/coverage", "/figures", "/claims", "/claims?accuser=russia"]

# Two short articles of our own, about the Deir ez-Zor airstrike: Al Jazeera gives a higher toll than RT,
# Alwaght repeats RT's; both carry a claim of blame, one with a word no seed has ("pomegranate").
MANIFEST = """
[file."wire.txt"]
outlet = "al-jazeera"
published = 2016-09-18
title = "Airstrike toll disputed"

[file."briefing.txt"]
outlet = "alwaght"
published = 2016-09-19
title = "Moscow blames Washington"
"""
WIRE = """Airstrike toll disputed

US-led coalition warplanes bombed Syrian army positions near Deir ez-Zor on Saturday. At least 80 soldiers were \
killed in the airstrike, the Syrian army said.

Russia's Defence Ministry blamed the United States for the collapse of the pomegranate talks on Sunday, spokesman \
Igor Konashenkov said.
"""
BRIEFING = """Moscow blames Washington

Some 62 soldiers were killed when coalition jets struck Syrian army positions near Deir ez-Zor on Saturday, \
Russian Defence Ministry spokesman Igor Konashenkov said on Monday.

Russia accused the United States of shielding militants who committed 30 violations in the last 24 hours, \
Konashenkov said on Monday.
"""


def write_articles(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "ours", wire=WIRE, briefing=BRIEFING)


@pytest.fixture
def more_client(seeded_engine: Engine, settings: Settings, catalog: Catalog, articles: Path) -> Iterator[TestClient]:
    """The seeds plus our two articles."""
    summary = load_paths(seeded_engine, [articles], catalog=catalog)
    assert summary.loaded == 2 and not summary.rejected
    with TestClient(create_app(settings)) as client:
        yield client


def quotes(text: str) -> list[str]:
    found = re.findall(r'<blockquote dir="auto"><p>(.*?)</p></blockquote>', text, re.S)
    return [html.unescape(re.sub(r"</?mark>", "", q)) for q in found]


# -- every new page ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_are_documents_fragments_and_json_twins(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["vary"] == VARY
    assert page.text.startswith("<!doctype html>") and page.text.count("<h1") == 1
    assert re.search(r"<script[^>]*>\s*[^<\s]", page.text) is None  # no inline script
    assert " style=" not in page.text and "<style" not in page.text  # no inline style either (CSP)
    fragment = client.get(path, headers=HX)
    assert fragment.headers["vary"] == VARY
    assert fragment.text.strip().startswith('<div class="results"') and "<!doctype" not in fragment.text
    assert fragment.text.strip() in page.text
    base, _, query = path.partition("?")
    twin = client.get(f"{base}.json" + (f"?{query}" if query else ""))
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    assert twin.headers["vary"] == VARY


def test_the_header_links_the_new_pages(client: TestClient) -> None:
    header = client.get("/").text.split("</header>")[0]
    for path in ("/coverage", "/figures", "/claims", "/search"):
        assert f'href="{path}"' in header


@pytest.mark.parametrize(
    ("path", "words"),
    [("/claims?accuser=nobody", "no party called"), ("/claims.json?accused=nobody", "no party called"),
     ("/claims?outlet=nowhere", "no outlet called"), ("/coverage?outlet=nowhere", "no outlet called"),
     ("/figures.json?outlet=nowhere", "no outlet called"), ("/search?q=truce&outlet=nowhere", "no outlet called"),
     ("/search.json?outlet=nowhere", "no outlet called")],
)
def test_unknown_filters_are_404s(client: TestClient, path: str, words: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert words in (response.json()["detail"] if ".json" in path else response.text)


# -- milestones: side by side, speakers, figures, who did not report it ---------------------------


def test_milestone_on_the_seeds_shows_speakers_figures_and_the_silent(client: TestClient) -> None:
    data = client.get("/milestones/deir-ezzor-airstrike.json").json()
    speakers = {s["outlet"]["slug"]: s["speakers"] for s in data["speakers"]}
    assert speakers["rt"] == ["Bouthaina Shaaban"] and speakers["asharq-al-awsat"] == ["Sergei Lavrov"]
    groups = {g["label"]: g for g in data["figures"]}
    assert set(groups) == {"killed · soldiers", "wounded · soldiers"}
    killed = groups["killed · soldiers"]
    assert [(f["outlet"]["slug"], f["value"], f["qualifier"]) for f in killed["figures"]] == [("rt", 62, "some")]
    assert not killed["disagreement"]
    assert {o["slug"] for o in data["silent"]} == {"al-jazeera", "alwaght", "yournewswire"}
    text = client.get("/milestones/deir-ezzor-airstrike").text
    assert "Speaking: " in text and "Shaaban" in text
    assert "some 62" in text and "outlets disagree" not in text
    assert 'href="/coverage"' in text and 'href="/milestones/deir-ezzor-airstrike.csv"' in text


def test_milestone_flags_a_disagreement_and_keeps_every_figure(more_client: TestClient) -> None:
    data = more_client.get("/milestones/deir-ezzor-airstrike.json").json()
    killed = next(g for g in data["figures"] if g["unit"] == "killed")
    by_outlet = {f["outlet"]["slug"]: (f["value"], f["display"]) for f in killed["figures"]}
    assert by_outlet == {"al-jazeera": (80, "at least 80"), "alwaght": (62, "some 62"), "rt": (62, "some 62")}
    assert killed["disagreement"] and killed["outlets"] == 3
    assert "Al Jazeera: at least 80" in killed["note"] and "RT: some 62" in killed["note"]
    assert "Igor Konashenkov" in next(s["speakers"] for s in data["speakers"] if s["outlet"]["slug"] == "alwaght")
    assert {o["slug"] for o in data["silent"]} == {"yournewswire"}
    text = more_client.get("/milestones/deir-ezzor-airstrike").text
    figures = text[text.index('id="figures-title"'):text.index('id="words-title"')]
    assert "outlets disagree" in figures and "at least 80" in figures and "some 62" in figures


EXTENSIONS = """Truce holds after two extensions

The truce was prolonged by 48 hours on Wednesday, and on Friday it was extended for another 72 hours, a \
spokesman for the defence ministry said.

Aid workers said five days of calm had let some convoys through.
"""


def test_a_figure_joins_only_the_milestone_it_is_about(engine: Engine, settings: Settings, catalog: Catalog,
                                                       tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "two", briefing=EXTENSIONS)
    assert load_paths(engine, [folder], catalog=catalog).loaded == 1
    with TestClient(create_app(settings)) as client:
        first = client.get("/milestones/first-extension.json").json()
        second = client.get("/milestones/second-extension.json").json()
        figures = client.get("/figures.json").json()
    assert [f["display"] for g in first["figures"] for f in g["figures"]] == ["48"]
    assert [f["display"] for g in second["figures"] for f in g["figures"]] == ["72"]
    by_topic = {(g["topic"], f["display"]) for g in figures["groups"] for f in g["figures"]}
    assert ("first-extension", "48") in by_topic and ("second-extension", "72") in by_topic
    assert ("first-extension", "72") not in by_topic and ("second-extension", "48") not in by_topic


def test_figures_over_different_periods_are_not_comparable_not_a_disagreement(client: TestClient) -> None:
    data = client.get("/figures.json").json()
    violations = next(g for g in data["groups"] if g["unit"] == "violations")
    assert not violations["disagreement"] and violations["not_comparable"]
    values = {f["outlet"]["slug"]: (f["display"], f["period"]) for f in violations["figures"]}
    assert values == {"rt": ("50", "the last 24 hours"), "al-jazeera": ("almost 200", None)}
    assert "RT: 50 (the last 24 hours)" in violations["note"]
    assert "Al Jazeera: almost 200 (period not given)" in violations["note"]
    # Durations under different milestones are different things, never a disagreement.
    days = [g for g in data["groups"] if g["unit"] == "days"]
    assert days and not any(g["disagreement"] for g in days)
    text = client.get("/figures").text
    assert "not comparable: different periods" in text and "almost 200" in text
    only_rt = client.get("/figures.json?outlet=rt").json()
    assert only_rt["disagreements"] == 0 and all(
        f["outlet"]["slug"] == "rt" for g in only_rt["groups"] for f in g["figures"])


def test_outlet_page_shows_its_figures_and_blind_spots(client: TestClient) -> None:
    data = client.get("/outlets/rt.json").json()
    blind = {b["milestone"]["slug"]: [o["slug"] for o in b["reported_by"]] for b in data["blind_spots"]}
    assert blind["truce-begins"] == ["al-jazeera"]
    assert "deir-ezzor-airstrike" not in blind and "geneva-agreement" not in blind
    assert all(blind.values())  # a milestone nobody reported is nobody's blind spot
    assert all(b["milestone"]["date"] <= "2016-09-18" for b in data["blind_spots"])  # RT's article: 18 Sept


def test_blind_spots_stop_at_the_outlets_last_article(client: TestClient) -> None:
    """An outlet whose last loaded article came out before a milestone could not have reported it."""
    page = client.get("/outlets/al-jazeera.json").json()
    last = max(a["published"] for a in page["articles"])
    assert all(b["milestone"]["date"] <= last for b in page["blind_spots"]), (last, page["blind_spots"])


# -- coverage ------------------------------------------------------------------------------------


def test_coverage_matrix_agrees_with_the_milestone_pages(client: TestClient) -> None:
    data = client.get("/coverage.json").json()
    assert [o["slug"] for o in data["outlets"]] == ["al-jazeera", "alwaght", "asharq-al-awsat", "rt", "yournewswire"]
    for row in data["milestones"]:
        page = client.get(f"/milestones/{row['milestone']['slug']}.json").json()
        reporting = {g["outlet"]["slug"]: len(g["reports"]) for g in page["reporting"] if g["outlet"]}
        cells = {c["outlet"]["slug"]: c["count"] for c in row["cells"] if c["count"]}
        assert cells == reporting, row["milestone"]["slug"]
        assert row["outlets"] == len(reporting)
    deir = next(r for r in data["milestones"] if r["milestone"]["slug"] == "deir-ezzor-airstrike")
    rt = next(c for c in deir["cells"] if c["outlet"]["slug"] == "rt")
    assert rt["first_published"] == "2016-09-18"  # when RT reported it: its article's publication day
    timeline = client.get("/.json").json()
    assert [d["date"] for d in data["days"]] == [d["date"] for d in timeline["days"]]
    text = client.get("/coverage").text
    assert 'href="/days/2016-09-17?outlet=rt"' in text and 'href="/milestones/deir-ezzor-airstrike"' in text


def test_coverage_filtered_by_outlet(client: TestClient) -> None:
    data = client.get("/coverage.json?outlet=rt&outlet=alwaght").json()
    assert [o["slug"] for o in data["outlets"]] == ["alwaght", "rt"]
    assert all(len(r["cells"]) == 2 for r in data["milestones"])
    assert all(len(d["coverage"]) == 2 for d in data["days"])


# -- claims --------------------------------------------------------------------------------------


def test_claims_list_every_claim_with_its_sentence(client: TestClient, seeded_reader: Engine) -> None:
    data = client.get("/claims.json").json()
    with Session(seeded_reader) as session:
        exported = export_data(session)["claims"]
    assert data["total"] == len(data["claims"]) == len(exported) > 0
    for claim in data["claims"]:
        assert claim["text"][:40] in claim["quote"] or claim["quote"] == claim["text"]
    names = {c["accuser_name"] for c in data["claims"]}
    assert names <= {"Russia", "United States", "Syrian government", "Armed opposition"}
    text = client.get("/claims").text
    assert sorted(quotes(text)) == sorted(c["quote"] for c in data["claims"])


def test_claims_filter_by_accuser_accused_and_outlet(client: TestClient) -> None:
    russia = client.get("/claims.json?accuser=russia").json()
    assert russia["claims"] and all(c["accuser"] == "russia" for c in russia["claims"])
    assert russia["pairs"] == [{"accuser": "russia", "accuser_name": "Russia", "accused": "united-states",
                                "accused_name": "United States", "count": len(russia["claims"])}]
    # Each facet counts under the other filters and toggles itself.
    accusers = {f["value"]: f for f in russia["accusers"]}
    assert accusers["russia"]["selected"] and accusers["russia"]["toggle_url"] == "/claims"
    assert accusers["united-states"]["toggle_url"] == "/claims?accuser=united-states"
    both = client.get("/claims.json?accuser=russia&outlet=al-jazeera").json()
    assert both["claims"] and all(c["outlet"]["slug"] == "al-jazeera" for c in both["claims"])
    assert len(both["claims"]) < len(russia["claims"])
    us = client.get("/claims.json?accused=russia").json()
    assert us["claims"] and all(c["accused"] == "russia" for c in us["claims"])
    assert client.get("/claims.json?accuser=opposition").json()["claims"] == []
    page = client.get("/claims?accuser=russia&outlet=al-jazeera", headers=HX).text
    assert 'href="/claims?outlet=al-jazeera" hx-get="/claims?outlet=al-jazeera"' in page  # accuser off, outlet kept
    assert sorted(quotes(page)) == sorted(c["quote"] for c in both["claims"])


def test_claims_from_our_articles_carry_their_speaker(more_client: TestClient) -> None:
    data = more_client.get("/claims.json?accuser=russia&outlet=al-jazeera").json()
    pomegranate = [c for c in data["claims"] if "pomegranate" in c["quote"]]
    assert len(pomegranate) == 1 and pomegranate[0]["accused"] == "united-states"
    assert pomegranate[0]["date"] == "2016-09-18"


# -- search --------------------------------------------------------------------------------------


def test_search_finds_stems_highlights_and_links_the_day(client: TestClient) -> None:
    data = client.get("/search.json?q=violation").json()
    assert data["total"] == len(data["hits"]) > 2
    for hit in data["hits"]:
        assert "violat" in hit["report"]["quote"].lower()
        assert hit["matches"]
        for start, end in hit["matches"]:
            assert hit["report"]["quote"][start:end].lower().startswith("violat")
    text = client.get("/search?q=violation").text
    assert "<mark>violations</mark>" in text
    first = data["hits"][0]["report"]
    assert f'href="/days/{first["date"]}"' in text
    assert sorted(quotes(text)) == sorted(h["report"]["quote"] for h in data["hits"])


def test_search_needs_every_word_and_filters_by_outlet(client: TestClient) -> None:
    convoy = client.get("/search.json?q=convoy").json()
    narrower = client.get("/search.json?q=convoy+Lavrov").json()
    assert 0 < narrower["total"] < convoy["total"]
    facets = {f["value"]: f for f in convoy["facets"]}
    assert sum(f["count"] for f in facets.values()) == convoy["total"]
    chosen = [slug for slug, f in facets.items() if f["count"]][:1]
    filtered = client.get(f"/search.json?q=convoy&outlet={chosen[0]}").json()
    assert filtered["total"] == facets[chosen[0]]["count"]
    assert {h["report"]["outlet_slug"] for h in filtered["hits"]} == set(chosen)
    assert facets[chosen[0]]["toggle_url"] == f"/search?q=convoy&outlet={chosen[0]}"


def test_search_input_is_never_syntax_or_markup(client: TestClient) -> None:
    for q in ['"unbalanced', "truce OR NOT", "NEAR(a b)", "*", "-", "'; drop table report; --", "ü ß"]:
        assert client.get("/search.json", params={"q": q}).status_code == 200, q
    empty = client.get("/search.json?q=").json()
    assert empty["hits"] == [] and empty["total"] == 0
    text = client.get("/search", params={"q": "<script>alert(1)</script> truce"}).text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; truce" in text


def test_highlighting_escapes_the_quote_before_marking(engine: Engine, settings: Settings, catalog: Catalog,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "x.txt").write_text("Odd\n\nOn Saturday the <b>truce</b> & <i>calm</i> held, the army said.\n",
                                  encoding="utf-8")
    load_paths(engine, [folder], catalog=catalog)
    with TestClient(create_app(settings)) as client:
        text = client.get("/search?q=truce").text
    assert "&lt;b&gt;<mark>truce</mark>&lt;/b&gt; &amp; &lt;i&gt;calm&lt;/i&gt;" in text
    assert "<b>" not in text and "<i>" not in text


def test_search_follows_a_replaced_article(seeded_engine: Engine, settings: Settings, catalog: Catalog,
                                           articles: Path) -> None:
    """The index is kept by triggers: a changed file's old words go, its new ones are found."""
    load_paths(seeded_engine, [articles], catalog=catalog)
    with TestClient(create_app(settings)) as client:
        assert client.get("/search.json?q=pomegranate").json()["total"] == 1
    write_articles(articles, wire=WIRE.replace("pomegranate", "tangerine"))
    summary = load_paths(seeded_engine, [articles], catalog=catalog)
    assert summary.replaced == 1
    with TestClient(create_app(settings)) as client:
        assert client.get("/search.json?q=pomegranate").json()["total"] == 0
        hits = client.get("/search.json?q=tangerine").json()["hits"]
    assert len(hits) == 1 and hits[0]["report"]["outlet"] == "Al Jazeera"
    assert hits[0]["report"]["date"] == "2016-09-18"


def test_search_on_postgres_uses_its_text_search(postgres_url: str, settings: Settings, catalog: Catalog,
                                                 articles: Path) -> None:
    engine = make_engine(postgres_url)
    try:
        migrate(engine)
        load_paths(engine, [settings.seeds_dir, articles], catalog=catalog)
        with Session(engine) as session:
            page = search.search(session, "violation", [])
            assert page.total > 2 and all("violat" in h.report.quote.lower() for h in page.hits)
            assert search.search(session, "pomegranate", ["al-jazeera"]).total == 1
            assert search.search(session, "pomegranate", ["rt"]).total == 0
            assert search.search(session, "'; drop table report; --", []).total == 0
    finally:
        engine.dispose()


def _figure(slug: str, value: float, period: str | None) -> FigureItem:
    return FigureItem(value=value, display=str(value), unit="violations", subject=None, qualifier=None, period=period,
                      text=f"{value} violations", outlet=OutletRef(slug, slug.upper()), source=f"{slug}.txt",
                      article_id=1, report_id=1, date="2016-09-14", quote="", speaker=None)


@pytest.mark.parametrize(
    ("figures", "disagree", "not_comparable"),
    [([("a", 50, "the last 24 hours"), ("b", 70, "The last  24 hours")], True, False),
     ([("a", 50, "the last 24 hours"), ("b", 200, None)], False, True),
     ([("a", 50, "the last 24 hours"), ("b", 90, "the first week")], False, True),
     ([("a", 50, None), ("b", 50, "the first week")], False, False),
     ([("a", 50, None), ("a", 80, None)], False, False)],  # one outlet's two figures: no comparison
)
def test_only_figures_over_the_same_period_can_disagree(figures, disagree: bool, not_comparable: bool) -> None:
    (group,) = group_figures([_figure(*f) for f in figures])
    assert (group.disagreement, group.not_comparable) == (disagree, not_comparable)
