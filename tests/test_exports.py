"""Exports of the pages: CSV twins, the milestones as iCalendar, the reports as Atom, TimelineJS JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.extract.catalog import Catalog
from app.formats import ICS_LINE_OCTETS, FeedEntry, atom, csv_text, ics_escape, ics_fold
from app.queries.export import CSV_FIELDS
from app.store.loader import load_paths
from app.web.app import create_app
from app.web.render import VARY

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "Odd\n\nOn 17 September 2016 the <b>truce</b> & \"calm\", held; the army said. ☪ Ünïcode — ok\n"


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def hostile_client(engine: Engine, settings: Settings, catalog: Catalog, tmp_path: Path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "x.txt").write_text(HOSTILE, encoding="utf-8")
    load_paths(engine, [folder], catalog=catalog)
    with TestClient(create_app(settings)) as client:
        yield client


# -- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?outlet=rt", "?outlet=rt&outlet=al-jazeera"])
def test_day_csv_has_a_header_and_the_days_filtered_rows(client: TestClient, query: str) -> None:
    response = client.get(f"/days/2016-09-17.csv{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["vary"] == VARY
    assert 'filename="day-2016-09-17.csv"' in response.headers["content-disposition"]
    assert response.text.splitlines()[0] == ",".join(CSV_FIELDS)
    rows = read_csv(response.text)
    reports = client.get(f"/days/2016-09-17.json{query}").json()["reports"]
    assert rows and [int(r["id"]) for r in rows] == [r["id"] for r in reports]
    for row, report in zip(rows, reports, strict=True):
        assert row["quote"] == report["quote"] and row["outlet"] == report["outlet"]
        assert [int(row["span_start"]), int(row["span_end"])] == report["span"]
        assert row["date"] == "2016-09-17"
    if query:
        assert {r["outlet"] for r in rows} <= {"RT", "Al Jazeera"}


@pytest.mark.parametrize(
    ("path", "first_column"),
    [("/milestones/deir-ezzor-airstrike.csv", "source"), ("/outlets/rt.csv", "source"),
     ("/search.csv?q=convoy", "source"), ("/claims.csv?accuser=russia", "date"), ("/figures.csv", "topic"),
     ("/coverage.csv", "milestone")],
)
def test_every_list_page_has_a_csv_twin(client: TestClient, path: str, first_column: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = read_csv(response.text)
    assert rows and next(iter(rows[0])) == first_column


def test_csv_twins_match_their_json(client: TestClient) -> None:
    claims = client.get("/claims.json?accuser=russia").json()["claims"]
    assert [r["quote"] for r in read_csv(client.get("/claims.csv?accuser=russia").text)] == [c["quote"] for c in claims]
    hits = [h["report"]["id"] for h in client.get("/search.json?q=convoy").json()["hits"]]
    assert [int(r["id"]) for r in read_csv(client.get("/search.csv?q=convoy").text)] == hits
    coverage = read_csv(client.get("/coverage.csv").text)
    deir = next(r for r in coverage if r["milestone"] == "deir-ezzor-airstrike")
    assert (deir["rt"], deir["asharq-al-awsat"], deir["yournewswire"]) == ("4", "1", "0")


@pytest.mark.parametrize("path", ["/days/2016-09-17.csv?outlet=nowhere", "/days/2016-02-30.csv",
                                  "/milestones/nothing.csv", "/outlets/nothing.csv"])
def test_csv_of_a_bad_address_is_a_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_day_page_links_its_csv_and_json(client: TestClient) -> None:
    text = client.get("/days/2016-09-17?outlet=rt").text
    assert 'href="/days/2016-09-17.csv?outlet=rt"' in text and 'href="/days/2016-09-17.json?outlet=rt"' in text


# -- iCalendar -----------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_milestones_ics_is_crlf_folded_and_lists_every_milestone(client: TestClient) -> None:
    response = client.get("/milestones.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # every line ends CRLF, none bare
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= ICS_LINE_OCTETS, line
    lines = unfold(response.text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    milestones = client.get("/coverage.json").json()["milestones"]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(milestones)
    events = "\n".join(lines).split("BEGIN:VEVENT")[1:]
    deir = next(e for e in events if "UID:milestone-deir-ezzor-airstrike@" in e)
    assert "DTSTART;VALUE=DATE:20160917" in deir and "DTEND;VALUE=DATE:20160918" in deir
    assert "SUMMARY:US-led coalition airstrike on Syrian army positions near Deir ez-Zor" in deir
    assert "URL:http://testserver/milestones/deir-ezzor-airstrike" in deir
    assert "soldiers were killed and about 100 wounded. The coalition" in deir  # the summary, unfolded whole
    for event in events:
        assert "DTSTAMP:" in event and "UID:" in event


def test_ics_folding_never_splits_a_character_and_escapes_text() -> None:
    line = "DESCRIPTION:" + "Дейр-эз-Зор; 62, killed — " * 10
    folded = ics_fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= ICS_LINE_OCTETS for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    assert ics_escape("a; b, c\\d\ne") == "a\\; b\\, c\\\\d\\ne"


def test_the_footer_links_the_calendar_feed_and_timelinejs(client: TestClient) -> None:
    footer = client.get("/").text.split('<footer class="site-footer">')[1]
    assert 'href="/milestones.ics"' in footer and 'href="/feed.atom"' in footer
    assert 'href="/timeline.js.json"' in footer


# -- Atom ----------------------------------------------------------------------------------------


def test_atom_feed_is_well_formed_and_lists_dated_reports(client: TestClient) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = feed.findall(f"{ATOM}entry")
    timeline = client.get("/.json").json()
    dated = sum(d["reports"] for d in timeline["days"]) + sum(o["reports"] for o in timeline["outside"])
    assert len(entries) == dated
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("http://testserver/articles/") for i in ids)
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/days/")
        assert entry.find(f"{ATOM}content").text
        dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text.replace("Z", "+00:00"))


def test_atom_feed_filtered_by_outlet(client: TestClient) -> None:
    feed = ET.fromstring(client.get("/feed.atom?outlet=rt").content)
    authors = {e.find(f"{ATOM}author/{ATOM}name").text for e in feed.findall(f"{ATOM}entry")}
    assert authors == {"RT"}
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed.atom?outlet=rt"
    assert client.get("/feed.atom?outlet=nowhere").status_code == 404


def test_atom_and_timelinejs_survive_hostile_text(hostile_client: TestClient) -> None:
    feed = ET.fromstring(hostile_client.get("/feed.atom").content)
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    assert "<b>truce</b> &" in content
    data = hostile_client.get("/timeline.js.json").json()
    report = next(e for e in data["events"] if e["unique_id"].startswith("report-"))
    assert "<b>" not in report["text"]["text"] and "&lt;b&gt;truce&lt;/b&gt; &amp;" in report["text"]["text"]


def test_atom_replaces_characters_xml_cannot_carry() -> None:
    entry = FeedEntry(id="http://x/1", title="a\x0bb", updated=dt.date(2016, 9, 17), link="http://x/",
                      author="RT", content="<tag> & \x00\x1f end", category="other")
    feed = ET.fromstring(atom("t", "http://x/f", "http://x/f", "http://x/", [entry]).encode("utf-8"))
    assert feed.find(f"{ATOM}entry/{ATOM}content").text == "<tag> & \ufffd\ufffd end"


# -- TimelineJS ----------------------------------------------------------------------------------


def test_timelinejs_json_has_timelinejs_3s_shape(client: TestClient) -> None:
    response = client.get("/timeline.js.json")
    assert response.status_code == 200 and response.headers["vary"] == VARY
    data = response.json()
    assert set(data) == {"title", "events"} and data["title"]["text"]["headline"]
    milestones = [e for e in data["events"] if e["group"] == "Milestones"]
    assert len(milestones) == len(client.get("/coverage.json").json()["milestones"])
    ids = [e["unique_id"] for e in data["events"]]
    assert len(ids) == len(set(ids))
    for event in data["events"]:
        assert set(event) == {"start_date", "text", "group", "unique_id"}
        date = event["start_date"]
        assert set(date) == {"year", "month", "day"} and all(isinstance(v, int) for v in date.values())
        dt.date(date["year"], date["month"], date["day"])
        assert event["text"]["headline"] and event["text"]["text"]
    deir = next(e for e in milestones if e["unique_id"] == "milestone-deir-ezzor-airstrike")
    assert deir["start_date"] == {"year": 2016, "month": 9, "day": 17}
    groups = {e["group"] for e in data["events"]} - {"Milestones"}
    assert groups == {"RT", "Al Jazeera", "Alwaght", "Asharq Al-Awsat", "YourNewsWire"}
    only_rt = client.get("/timeline.js.json?outlet=rt").json()
    assert {e["group"] for e in only_rt["events"]} == {"Milestones", "RT"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_made_inert(start: str) -> None:
    text = csv_text(["quote", "count"], [{"quote": f'{start}HYPERLINK("http://x.example","click")', "count": -3}])
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["quote"] == f"'{start}HYPERLINK(\"http://x.example\",\"click\")"
    assert row["count"] == "-3"  # a number we write stays a number


def test_csv_quotes_a_lone_carriage_return_so_rows_never_split() -> None:
    text = csv_text(["source", "n"], [{"source": "a\rb.txt", "n": 1}, {"source": "c.txt", "n": 2}])
    assert [r["source"] for r in csv.DictReader(io.StringIO(text, newline=""))] == ["a\rb.txt", "c.txt"]
