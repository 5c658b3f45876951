"""The export contract: field names, values, order, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy.orm import Session

from app.queries.export import CSV_FIELDS, EXPORT_CSV_FIELDS, export_data, export_text, reports_csv, to_json
from app.store.models import Article, Milestone, Outlet, Report

ARTICLE_KEYS = {"source", "outlet", "outlet_slug", "agency", "title", "url", "published", "published_basis",
                "published_range", "outlet_basis", "outlet_catalogued", "agency_basis", "text", "id",
                "story"}  # added after the first contract: the wire story (app.store.stories), else null
REPORT_KEYS = {"source", "outlet", "date", "precision", "kind", "milestone", "basis", "reasoning",
               "quote", "span", "speaker", "article_id", "id"}


def _report(position: int, **values) -> Report:
    defaults = dict(quote=f"quote {position}", span_start=position * 10, span_end=position * 10 + 7,
                    date=None, precision="unknown", basis=None, reasoning=None, kind="other")
    return Report(position=position, **{**defaults, **values})


@pytest.fixture
def filled(session: Session) -> Session:
    """Two articles added out of order, their reports out of position order."""
    rt = Outlet(slug="rt", name="RT")
    strike = Milestone(slug="deir-ezzor-airstrike", date=dt.date(2016, 9, 17), kind="airstrike_deir_ezzor",
                       title="Airstrike", summary="...", sources="")
    later = Article(source="b.txt", content_hash="b" * 64, text="...", title="B", url=None)
    later.reports = [_report(1, quote="second «quote»"), _report(0, quote="first")]
    earlier = Article(
        source="a.txt", content_hash="a" * 64, text="...", title="A", url="https://example.org/a",
        outlet=rt, published=dt.date(2016, 9, 18), published_basis="dateline '18 Sep, 2016 21:09'",
        outlet_basis="manifest",
    )
    earlier.reports = [_report(0, date=dt.date(2016, 9, 17), precision="day", basis="on Saturday",
                               reasoning="Saturday before 2016-09-18", kind="airstrike_deir_ezzor",
                               milestone=strike, speaker="Igor Konashenkov")]
    session.add_all([rt, strike, later, earlier])
    session.commit()
    return session


def test_articles_carry_exactly_the_contract_fields(filled):
    articles = export_data(filled)["articles"]
    assert [a["source"] for a in articles] == ["a.txt", "b.txt"]
    assert all(set(a) == ARTICLE_KEYS for a in articles)
    first, second = articles
    assert first["outlet"] == "RT" and first["outlet_slug"] == "rt"
    assert first["published"] == "2016-09-18"
    assert first["published_basis"] == "dateline '18 Sep, 2016 21:09'"
    assert (second["outlet"], second["outlet_slug"], second["published"]) == (None, None, None)
    assert first["text"] == "..."  # the cleaned story text, as stored
    assert first["published_range"] is None  # a dateline's day is one day, not a range


def test_an_inferred_publication_date_exports_its_range(session):
    session.add(Article(source="i.txt", content_hash="i" * 64, text="...", published=dt.date(2016, 9, 20),
                        published_basis="inferred: Tue 20 Sep 2016; published Mon 19 – Wed 21 Sep "
                                        "(inferred from 4 of 5 clues); it is pinned by ..."))
    session.commit()
    [article] = export_data(session)["articles"]
    assert article["published_range"] == ["2016-09-19", "2016-09-21"]


def test_an_article_names_its_host_and_the_wire_agency_whose_copy_it_runs(session):
    host = Outlet(slug="the-daily-planet", name="The Daily Planet", catalogued=False, basis="title suffix")
    agency = Outlet(slug="afp", name="AFP", agency=True)
    session.add(Article(source="w.txt", content_hash="w" * 64, text="...", outlet=host, agency=agency,
                        agency_basis="wire dateline 'BEIRUT (AFP) -'"))
    session.commit()
    [article] = export_data(session)["articles"]
    assert (article["outlet"], article["outlet_catalogued"], article["agency"]) == ("The Daily Planet", False, "AFP")
    assert article["agency_basis"] == "wire dateline 'BEIRUT (AFP) -'"


def test_reports_carry_exactly_the_contract_fields_in_source_then_position_order(filled):
    reports = export_data(filled)["reports"]
    assert all(set(r) == REPORT_KEYS for r in reports)
    assert [(r["source"], r["quote"]) for r in reports] == [
        ("a.txt", "quote 0"), ("b.txt", "first"), ("b.txt", "second «quote»"),
    ]
    strike = reports[0]
    assert strike["date"] == "2016-09-17" and strike["precision"] == "day"
    assert strike["milestone"] == "deir-ezzor-airstrike" and strike["outlet"] == "RT"
    assert strike["span"] == [0, 7] and strike["speaker"] == "Igor Konashenkov"
    assert strike["article_id"] == export_data(filled)["articles"][0]["id"]
    assert (reports[1]["date"], reports[1]["milestone"], reports[1]["outlet"]) == (None, None, None)


def test_json_is_stable_and_keeps_unicode(filled):
    text = export_text(filled, "json")
    assert text == to_json(export_data(filled))
    assert "«quote»" in text  # readable, not \u escapes
    assert json.loads(text) == export_data(filled)


def test_csv_has_one_row_per_report_with_the_span_split(filled):
    rows = list(csv.DictReader(io.StringIO(export_text(filled, "csv"))))
    assert len(rows) == 3
    assert tuple(rows[0]) == EXPORT_CSV_FIELDS and EXPORT_CSV_FIELDS[:len(CSV_FIELDS)] == CSV_FIELDS
    assert rows[0]["span_start"] == "0" and rows[0]["span_end"] == "7"
    assert rows[0]["milestone"] == "deir-ezzor-airstrike"
    assert rows[1]["date"] == ""  # null becomes an empty cell


def test_each_csv_row_carries_its_articles_publication_title_url_and_agency(filled):
    rows = list(csv.DictReader(io.StringIO(export_text(filled, "csv"))))
    by_source = {row["source"]: row for row in rows}
    assert {k: by_source["a.txt"][k] for k in ("published", "title", "url", "agency")} == {
        "published": "2016-09-18", "title": "A", "url": "https://example.org/a", "agency": ""}
    assert (by_source["b.txt"]["published"], by_source["b.txt"]["url"]) == ("", "")


def test_csv_quotes_commas_and_newlines():
    report = {k: "" for k in CSV_FIELDS if not k.startswith("span_")}
    report.update(quote='He said, "no"\nthen left', span=[1, 2])
    rows = list(csv.DictReader(io.StringIO(reports_csv([report]))))
    assert rows[0]["quote"] == 'He said, "no"\nthen left'


def test_an_empty_database_exports_empty_lists(session):
    assert export_data(session) == {"articles": [], "reports": [], "figures": [], "claims": []}


def test_an_unknown_format_is_refused(session):
    with pytest.raises(ValueError, match="unknown export format"):
        export_text(session, "xml")


def test_seed_export_carries_figures_and_claims(seeded_reader):
    from sqlalchemy.orm import Session

    with Session(seeded_reader) as session:
        data = export_data(session)
    killed = [f for f in data["figures"] if f["unit"] == "killed" and f["subject"] == "soldiers"]
    assert [f["value"] for f in killed] == [62.0]
    # "Some 62 soldiers were killed" goes on from the sentence dating the strike, and is reported with it
    assert any(r["span"] == killed[0]["span"] and r["kind"] == "airstrike_deir_ezzor" for r in data["reports"])
    assert {"accuser": "united-states", "accused": "russia"}.items() <= next(
        c for c in data["claims"] if "barbarism" in c["text"]).items()
