"""The JSON twins: the export's report fields, agreement with the HTML, OpenAPI, JSON errors."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.queries.export import REPORT_FIELDS, export_data
from app.web.render import VARY

TWINS = ["/.json", "/days/2016-09-17.json", "/milestones/deir-ezzor-airstrike.json", "/outlets/rt.json",
         "/articles/2.json"]
FACET_FIELDS = {"value", "label", "count", "selected", "toggle_url"}


def html_quotes(text: str) -> list[str]:
    """The quotes of the report cards on an HTML page, unescaped."""
    return [html.unescape(q) for q in re.findall(r'<blockquote dir="auto"><p>(.*?)</p></blockquote>', text, re.S)]


@pytest.mark.parametrize("path", TWINS)
def test_every_page_has_a_json_twin(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == VARY
    assert response.json()


def test_day_json_lists_the_reports_with_the_exports_fields(client: TestClient, seeded_reader: Engine) -> None:
    day = client.get("/days/2016-09-17.json").json()
    assert day["date"] == "2016-09-17"
    with Session(seeded_reader) as session:
        exported = [r for r in export_data(session)["reports"] if r["date"] == "2016-09-17"]
    assert day["reports"]
    assert sorted(r["id"] for r in day["reports"]) == sorted(r["id"] for r in exported)
    by_id = {r["id"]: r for r in exported}
    for report in day["reports"]:
        assert set(REPORT_FIELDS) <= set(report)
        assert {f: report[f] for f in REPORT_FIELDS} == by_id[report["id"]]


def test_day_json_and_html_agree(client: TestClient) -> None:
    for query in ("", "?outlet=rt", "?outlet=rt&outlet=al-jazeera"):
        data = client.get(f"/days/2016-09-17.json{query}").json()
        page = client.get(f"/days/2016-09-17{query}").text
        quotes = html_quotes(page)
        # One card per sentence: a sentence dated twice is shown once, and every report is in a card.
        sentences = {(r["source"], *r["span"]): r["quote"] for r in data["reports"]}
        assert sorted(quotes) == sorted(sentences.values())
        cards = [c for g in data["groups"] for o in g["outlets"] for a in o["articles"] for c in a["cards"]]
        assert len(cards) == len(quotes)
        assert f"{len(data['reports'])} report" in page


def test_day_json_carries_clock_milestones_neighbours_and_facets(client: TestClient) -> None:
    data = client.get("/days/2016-09-17.json?outlet=rt").json()
    assert data["clock"] == {"phase": "during", "day": 6, "label": "day 6 of the truce"}
    assert "deir-ezzor-airstrike" in [m["slug"] for m in data["milestones"]]
    assert (data["previous"], data["next"]) == ("2016-09-16", "2016-09-18")
    assert {r["outlet"] for r in data["reports"]} == {"RT"}
    assert data["selected"] == ["rt"]
    facets = {f["value"]: f for f in data["facets"]}
    assert all(set(f) == FACET_FIELDS for f in data["facets"])
    assert facets["rt"]["selected"] and facets["rt"]["toggle_url"] == "/days/2016-09-17"
    assert facets["al-jazeera"]["toggle_url"] == "/days/2016-09-17?outlet=rt&outlet=al-jazeera"
    unfiltered = client.get("/days/2016-09-17.json").json()
    assert facets["rt"]["count"] == len([r for r in unfiltered["reports"] if r["outlet"] == "RT"])


def test_timeline_json_has_every_day_and_agrees_with_the_html(client: TestClient) -> None:
    data = client.get("/.json").json()
    days = [dt.date.fromisoformat(d["date"]) for d in data["days"]]
    assert days == [days[0] + dt.timedelta(n) for n in range(len(days))]
    assert (data["start"], data["end"]) == (days[0].isoformat(), days[-1].isoformat())
    truce_day_one = next(d for d in data["days"] if d["date"] == "2016-09-12")
    assert truce_day_one["clock"]["day"] == 1
    assert any(d["quiet"] for d in data["days"])
    page = client.get("/").text
    assert re.findall(r'<time datetime="([\d-]+)">', page) == [d["date"] for d in data["days"]]
    for day in data["days"]:
        for cell in day["coverage"]:
            if cell["count"]:
                assert f'href="/days/{day["date"]}?outlet={cell["outlet"]["slug"]}"' in page


def test_timeline_json_filtered(client: TestClient) -> None:
    data = client.get("/.json?outlet=al-jazeera").json()
    assert [o["slug"] for o in data["outlets"]] == ["al-jazeera"]
    assert all(len(d["coverage"]) == 1 for d in data["days"])


def test_milestone_json_and_html_agree(client: TestClient) -> None:
    data = client.get("/milestones/deir-ezzor-airstrike.json").json()
    assert data["milestone"]["date"] == "2016-09-17"
    assert all(r["milestone"] == "deir-ezzor-airstrike" for r in data["reports"])
    assert sorted(html_quotes(client.get("/milestones/deir-ezzor-airstrike").text)) == sorted(
        r["quote"] for r in data["reports"])
    reporting = {g["outlet"]["slug"] for g in data["reporting"]}
    assert reporting.isdisjoint(o["slug"] for o in data["silent"])


def test_outlet_json(client: TestClient) -> None:
    data = client.get("/outlets/rt.json").json()
    assert data["outlet"] == {"slug": "rt", "name": "RT"}
    assert data["reports"] == sum(len(d["reports"]) for d in data["days"])
    assert all(r["outlet"] == "RT" for d in data["days"] for r in d["reports"])
    assert sorted(html_quotes(client.get("/outlets/rt").text)) == sorted(
        r["quote"] for d in data["days"] for r in d["reports"])


def test_article_json_spans_index_into_its_text(client: TestClient) -> None:
    data = client.get("/articles/2.json").json()
    assert data["reports"]
    for report in data["reports"]:
        start, end = report["span"]
        assert data["text"][start:end] == report["quote"]


@pytest.mark.parametrize(
    "path",
    ["/days/2016-13-01.json", "/days/1999-01-01.json", "/days/2016-09-17.json?outlet=nowhere",
     "/milestones/nothing.json", "/outlets/nothing.json", "/articles/abc.json", "/articles/424242.json",
     "/.json?outlet=nowhere"],
)
def test_json_404s(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_openapi_documents_the_json_endpoints_only(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/.json", "/days/{day}.json", "/milestones/{slug}.json", "/outlets/{slug}.json",
            "/articles/{article_id}.json", "/search.json", "/coverage.json", "/figures.json", "/claims.json",
            "/timeline.js.json"} == paths
    report = schema["components"]["schemas"]["ReportItem"]["properties"]
    assert set(REPORT_FIELDS) <= set(report)
    params = {p["name"] for p in schema["paths"]["/days/{day}.json"]["get"]["parameters"]}
    assert params == {"day", "outlet", "agency", "page", "kind", "speaker"}
    # One route answers a page and its twins; the schema keeps the ids the twins had as routes of their own.
    assert schema["paths"]["/days/{day}.json"]["get"]["operationId"] == "day_json_days__day__json_get"
    assert schema["paths"]["/.json"]["get"]["operationId"] == "timeline_json__json_get"


def test_the_window_is_a_dependency_tests_can_override(private_client: TestClient) -> None:
    from app.queries.pagedata import Window
    from app.web.deps import get_window

    client = private_client  # its own app: the overridden page must not reach the shared app's cache

    client.app.dependency_overrides[get_window] = lambda: Window(dt.date(2016, 9, 1), dt.date(2016, 9, 30))
    try:
        data = client.get("/.json").json()
    finally:
        client.app.dependency_overrides.clear()
    assert "2016-09-25" <= data["end"] <= "2016-09-30"  # the 3 October milestone now lies outside it
    assert "2016-10-03" not in [d["date"] for d in data["days"]]
