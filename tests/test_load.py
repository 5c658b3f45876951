"""The loader: file walking, idempotence, replacement, duplicates, rejections, batched writes with workers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import os
import re
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.config import Settings
from app.extract.types import ExtractedArticle, ExtractedReport, KnownMeta
from app.queries.export import export_data, to_json
from app.store import loader, workers
from app.store.counts import rebuild_counts
from app.store.loader import MAX_READ_BYTES, Extracted, FileResult, _write_batch, load_paths, shown
from app.store.models import Article, Milestone, Outlet, Report, ReportCount
from app.store.seedfiles import MANIFEST_FILE
from app.store.workers import Job, extract_file

SEEDS_DIR = Settings().seeds_dir
FILLER = "Filler prose so the decoder sees an article and not a stray scrap of text.\n"
EVENT = re.compile(r"EVENT (\S+) (\S+) (\S+)")  # EVENT <date|undated> <kind> <milestone slug|->


def fake_extract(raw: str, *, source: str, catalog, known: KnownMeta | None = None) -> ExtractedArticle:
    """A predictable extractor: one report per EVENT marker, so the tests control what is written."""
    if "EXPLODE" in raw:
        raise RuntimeError("extractor tripped")
    known = known or KnownMeta()
    reports = tuple(
        ExtractedReport(
            quote=m[0], start=m.start(), end=m.end(),
            date=None if m[1] == "undated" else dt.date.fromisoformat(m[1]),
            precision="unknown" if m[1] == "undated" else "day", basis=m[1], reasoning="stated",
            kind=None if m[2] == "NULL" else m[2], milestone=None if m[3] == "-" else m[3],
        )
        for m in EVENT.finditer(raw)
    )
    return ExtractedArticle(
        text=raw, title=known.title or raw.split("\n", 1)[0], url=known.url, outlet=known.outlet,
        outlet_basis="manifest" if known.outlet else None, published=known.published,
        published_basis="manifest" if known.published else None, reports=reports,
    )


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(workers, "extract_article", fake_extract)


def article(*events: str) -> str:
    return FILLER + "".join(f"EVENT {e}\n" for e in events) + FILLER


def write(folder, name: str, text: str | bytes):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def sources(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(Article.source).order_by(Article.source)))


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


# -- the seeds, with the real extractor ---------------------------------------------------------


def test_seeds_load_with_their_manifest_outlets(seeded_reader):
    with Session(seeded_reader) as session:
        rows = session.execute(select(Article.source, Outlet.slug).join(Article.outlet)).all()
    assert dict(rows)["001_e2191137fde1a18b.txt"] == "rt"
    assert len(rows) == 5


def test_reload_is_idempotent_and_the_export_identical(engine, catalog):
    first = load_paths(engine, [SEEDS_DIR], catalog=catalog)
    with Session(engine) as session:
        before = to_json(export_data(session))
    again = load_paths(engine, [SEEDS_DIR], catalog=catalog)
    with Session(engine) as session:
        after = to_json(export_data(session))
    assert (first.loaded, first.unchanged) == (5, 0)
    assert (again.loaded, again.replaced, again.unchanged) == (0, 0, 5)
    assert after == before


def test_content_hash_is_the_sha256_of_the_bytes(seeded_reader):
    path = SEEDS_DIR / "002_770dfa957c3ef321.txt"
    with Session(seeded_reader) as session:
        stored = session.scalar(select(Article.content_hash).where(Article.source == path.name))
    assert stored == hashlib.sha256(path.read_bytes()).hexdigest()


# -- reports, replacement, duplicates (predictable extractor) -----------------------------------


def test_reports_are_written_in_order_with_their_links(engine, catalog, tmp_path, fake):
    folder = tmp_path / "in"
    write(folder, "a.txt", article("2016-09-17 airstrike_deir_ezzor deir-ezzor-airstrike",
                                   "undated statement -", "2016-09-19 convoy_attack no-such-milestone"))
    write(folder, MANIFEST_FILE, '[file."a.txt"]\noutlet = "rt"\npublished = 2016-09-18\n')
    summary = load_paths(engine, [folder], catalog=catalog)
    assert (summary.reports, summary.dated, summary.undated) == (3, 2, 1)
    with Session(engine) as session:
        reports = session.scalars(select(Report).order_by(Report.position)).all()
        stored = session.scalar(select(Article))
        assert stored.outlet.slug == "rt" and stored.published == dt.date(2016, 9, 18)
        assert [r.position for r in reports] == [0, 1, 2]
        assert [r.kind for r in reports] == ["airstrike_deir_ezzor", "statement", "convoy_attack"]
        assert reports[0].milestone.slug == "deir-ezzor-airstrike"
        assert reports[2].milestone is None  # an unknown slug links to nothing rather than failing
        assert stored.text[reports[0].span_start:reports[0].span_end] == reports[0].quote


def test_unknown_outlet_slug_leaves_the_outlet_empty(engine, catalog, tmp_path, fake):
    write(tmp_path, "a.txt", article())
    write(tmp_path, MANIFEST_FILE, '[file."a.txt"]\noutlet = "nobody-knows"\n')
    load_paths(engine, [tmp_path], catalog=catalog)
    with Session(engine) as session:
        assert session.scalar(select(Article.outlet_id)) is None


def test_a_changed_file_replaces_its_article_and_reports(engine, catalog, tmp_path, fake):
    path = write(tmp_path, "a.txt", article("2016-09-12 truce_start truce-begins", "undated other -"))
    load_paths(engine, [tmp_path], catalog=catalog)
    write(tmp_path, "a.txt", article("2016-09-19 truce_end -"))
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert (summary.loaded, summary.replaced, summary.reports) == (0, 1, 1)
    with Session(engine) as session:
        assert session.scalars(select(Report.kind)).all() == ["truce_end"]
        assert session.scalar(select(Article.content_hash)) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert count(engine, Article) == 1


def test_same_content_under_a_second_name_is_a_reported_duplicate(engine, catalog, tmp_path, fake):
    write(tmp_path, "a.txt", article("2016-09-17 other -"))
    write(tmp_path, "b.txt", article("2016-09-17 other -"))
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert summary.loaded == 1
    assert summary.duplicates == [("b.txt", "a.txt")]
    assert sources(engine) == ["a.txt"]
    assert count(engine, Report) == 1


# -- rejections ---------------------------------------------------------------------------------


def test_bad_files_are_rejected_by_name_and_the_rest_load(engine, catalog, tmp_path, fake):
    write(tmp_path, "good.txt", article("2016-09-17 other -"))
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "binary.txt", bytes(range(256)) * 40)
    write(tmp_path, "cp1252.txt", ("\u201cQuoted\u201d " + FILLER).encode("cp1252") + b"\x81\x8d\x9d")
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.truncate(MAX_READ_BYTES + 1)  # sparse: costs no disk
    seen = []
    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    rejected = dict(summary.rejected)
    assert set(rejected) == {"binary.txt", "cp1252.txt", "empty.txt", "huge.txt"}
    assert all(reason and "\n" not in reason for reason in rejected.values())
    assert sources(engine) == ["good.txt"]
    assert [r.source for r in seen] == ["binary.txt", "cp1252.txt", "empty.txt", "good.txt", "huge.txt"]


def test_a_file_vanishing_mid_load_is_rejected_not_fatal(engine, catalog, tmp_path, fake):
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, article(f"2016-09-1{len(name)} other -") + name)

    def delete_b(result):
        if result.source == "a.txt":
            (tmp_path / "b.txt").unlink()

    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=delete_b)
    assert [name for name, _ in summary.rejected] == ["b.txt"]
    assert "No such file" in summary.rejected[0][1]
    assert sources(engine) == ["a.txt", "c.txt"]


def test_a_path_that_does_not_exist_is_rejected(engine, catalog, tmp_path):
    summary = load_paths(engine, [tmp_path / "missing"], catalog=catalog)
    assert summary.rejected == [(str(tmp_path / "missing"), "no such file or folder")]


def test_a_broken_manifest_is_reported_and_its_articles_still_load(engine, catalog, tmp_path, fake):
    write(tmp_path, "a.txt", article())
    write(tmp_path, MANIFEST_FILE, "this is = = not toml")
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert [name for name, _ in summary.rejected] == [MANIFEST_FILE]
    assert sources(engine) == ["a.txt"]


def test_a_wrong_manifest_entry_rejects_its_file_by_name_and_the_rest_load(engine, catalog, tmp_path, fake):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        write(tmp_path, name, article("2016-09-17 other -") + name)
    write(tmp_path, MANIFEST_FILE, '[file."a.txt"]\ntitle = ["a"]\n[file."b.txt"]\noutlet = "rt"\n'
                                   '[file."c.txt"]\noutlet = "rt"\npublisehd = 2016-09-18\n')
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert summary.rejected == [
        ("a.txt", "bad entry in manifest.toml: title must be a string, not an array"),
        ("c.txt", "bad entry in manifest.toml: unknown key 'publisehd' (an entry may have outlet, url, "
                  "published, title)"),
    ]
    assert sources(engine) == ["b.txt", "d.txt"]
    with Session(engine) as session:
        assert session.scalar(select(Outlet.slug).join(Article.outlet).where(Article.source == "b.txt")) == "rt"
    # Put right, the entry applies: the file was not stored without it, so it is not "unchanged" now.
    write(tmp_path, MANIFEST_FILE, '[file."a.txt"]\ntitle = "The title"\n')
    assert load_paths(engine, [tmp_path], catalog=catalog).loaded == 2
    with Session(engine) as session:
        assert session.scalar(select(Article.title).where(Article.source == "a.txt")) == "The title"


# -- column widths: both databases store the same ------------------------------------------------


def test_a_long_title_is_cut_at_a_word_and_a_long_url_dropped_on_either_database(engine, catalog, tmp_path, fake):
    words = [f"word{i:03d}" for i in range(80)]  # a 639-character first line: the fake extractor's title
    write(tmp_path, "long.txt", " ".join(words) + "\n" + article("2016-09-17 other -"))
    long_url = "https://example.org/" + "a" * 1_200
    write(tmp_path, MANIFEST_FILE, f'[file."long.txt"]\nurl = "{long_url}"\n')
    seen = []
    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    assert (summary.loaded, summary.rejected) == (1, [])
    with Session(engine) as session:
        title, url = session.execute(select(Article.title, Article.url)).one()
    assert title == " ".join(words[:62]) + "…"
    assert url is None
    assert seen[0].describe() == ("loaded long.txt: 1 reports, 1 dated; "
                                  "url not stored: 1,220 characters, over the limit of 1,000")


def test_a_page_with_a_long_title_and_og_url_loads_the_same_on_either_database(engine, catalog, tmp_path):
    words = " ".join(f"word{i:03d}" for i in range(80))
    page = (f'<!doctype html><html><head><title>{words}</title>'
            f'<meta property="og:url" content="https://example.org/{"a" * 1_200}"></head><body><article>'
            "<p>The truce took effect on Monday at sundown, officials in Damascus said on Tuesday.</p>"
            "<p>On Wednesday, Russia and the United States agreed to extend it by 48 hours.</p>"
            "</article></body></html>")
    write(tmp_path, "page.html", page)
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert (summary.loaded, summary.rejected) == (1, [])
    with Session(engine) as session:
        title, url = session.execute(select(Article.title, Article.url)).one()
    assert (title, url) == (words[:495] + "…", None)


def test_a_name_too_long_to_store_is_rejected_on_either_database(engine, catalog, tmp_path, fake):
    deep = "/".join("f" * 200 for _ in range(3)) + "/x.txt"  # 608 characters below the folder
    write(tmp_path, deep, article("2016-09-17 other -"))
    write(tmp_path, "short.txt", article("2016-09-18 other -"))
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert summary.rejected == [(deep, "the name is 608 characters, over the limit of 500: "
                                       "rename the file or load a folder nearer to it")]
    assert sources(engine) == ["short.txt"]


# -- one transaction per article ----------------------------------------------------------------


def test_an_extraction_error_rejects_that_file_only(engine, catalog, tmp_path, fake):
    write(tmp_path, "a.txt", article("2016-09-17 other -"))
    write(tmp_path, "b.txt", article("2016-09-17 other -") + "EXPLODE")
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert summary.rejected == [("b.txt", "extraction failed: RuntimeError: extractor tripped")]
    assert sources(engine) == ["a.txt"]


def test_a_failed_write_leaves_no_half_article_and_keeps_the_old_version(engine, catalog, tmp_path, fake):
    old = article("2016-09-12 truce_start truce-begins")
    write(tmp_path, "a.txt", old)
    load_paths(engine, [tmp_path], catalog=catalog)
    # The article row goes in first; the second report breaks a NOT NULL, after the old version is deleted.
    write(tmp_path, "a.txt", article("2016-09-19 truce_end -", "2016-09-20 NULL -"))
    write(tmp_path, "new.txt", article("2016-09-20 NULL -"))
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    assert [name for name, _ in summary.rejected] == ["a.txt", "new.txt"]
    assert sources(engine) == ["a.txt"]
    with Session(engine) as session:
        assert session.scalars(select(Report.kind)).all() == ["truce_start"]
        kept = session.scalar(select(Article.content_hash))
    assert kept == hashlib.sha256(old.encode()).hexdigest()


# -- walking ------------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order(engine, catalog, tmp_path, fake):
    for name in ("b.md", "a.txt", "sub/c.html", "sub/deeper/d.HTM", "notes.csv", ".hidden.txt",
                 "sub/" + MANIFEST_FILE, "milestones.toml"):
        write(tmp_path, name, article() + name)
    write(tmp_path, "sub/" + MANIFEST_FILE, '[file."c.html"]\noutlet = "al-jazeera"\n')
    seen = []
    load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    assert [r.source for r in seen] == ["a.txt", "b.md", "sub/c.html", "sub/deeper/d.HTM"]
    with Session(engine) as session:
        query = select(Outlet.slug).join(Article.outlet).where(Article.source == "sub/c.html")
        outlet = session.scalar(query)
    assert outlet == "al-jazeera"  # each folder's own manifest applies to its files


def test_a_file_argument_is_stored_under_its_bare_name_with_its_folder_manifest(
    engine, catalog, tmp_path, fake
):
    path = write(tmp_path, "deep/x.txt", article())
    write(tmp_path, "deep/" + MANIFEST_FILE, '[file."x.txt"]\noutlet = "bbc"\n')
    load_paths(engine, [path], catalog=catalog)
    with Session(engine) as session:
        row = session.execute(select(Article.source, Outlet.slug).join(Article.outlet)).one()
    assert tuple(row) == ("x.txt", "bbc")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_loop_does_not_hang(engine, catalog, tmp_path, fake):
    write(tmp_path, "sub/a.txt", article())
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    seen = []
    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    assert [r.source for r in seen] == ["sub/a.txt"]
    assert summary.loaded == 1


# -- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_is_synced_and_updated_by_slug(engine, catalog, tmp_path):
    load_paths(engine, [], catalog=catalog)
    renamed = dataclasses.replace(catalog.outlets[0], name="Renamed")
    load_paths(engine, [], catalog=dataclasses.replace(catalog, outlets=(renamed, *catalog.outlets[1:])))
    with Session(engine) as session:
        outlets = dict(session.execute(select(Outlet.slug, Outlet.name)).all())
        milestone = session.scalar(select(Milestone).where(Milestone.slug == catalog.milestones[0].slug))
    assert len(outlets) == len(catalog.outlets)
    assert outlets[renamed.slug] == "Renamed"
    assert count(engine, Milestone) == len(catalog.milestones)
    assert milestone.sources == "\n".join(catalog.milestones[0].sources)
    assert milestone.date == catalog.milestones[0].date


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # seeded_reader is the SQLite side of the comparison
def test_postgres_loads_the_seeds_to_the_same_export_as_sqlite(postgres_url, seeded_reader, catalog):
    from app.store.engine import make_engine, migrate

    pg = make_engine(postgres_url)
    migrate(pg)
    load_paths(pg, [SEEDS_DIR], catalog=catalog)
    again = load_paths(pg, [SEEDS_DIR], catalog=catalog)
    with Session(pg) as session:
        on_postgres = export_data(session)
    with Session(seeded_reader) as session:
        on_sqlite = export_data(session)
    pg.dispose()
    assert again.unchanged == 5
    assert on_postgres == on_sqlite


# -- workers and batched writes -------------------------------------------------------------------


def stored_reports(engine) -> dict[str, list[tuple]]:
    with Session(engine) as session:
        rows = session.execute(select(Article.source, Report.position, Report.date, Report.kind, Report.quote)
                               .join(Report.article).order_by(Article.source, Report.position)).all()
    found: dict[str, list[tuple]] = {}
    for source, *report in rows:
        found.setdefault(source, []).append(tuple(report))
    return found


def test_a_load_with_workers_stores_what_extraction_in_process_gives(engine, catalog, tmp_path):
    from tests.test_load_processes import write_corpus

    names = write_corpus(tmp_path / "corpus", count=45)
    seen = []
    summary = load_paths(engine, [tmp_path / "corpus"], catalog=catalog, progress=seen.append, jobs=2)
    assert summary.loaded == 45 and not summary.rejected
    assert [r.source for r in seen] == names  # in the files' order, whichever worker extracted them
    expected = {}
    for name in names:
        article = extract_file(Job((tmp_path / "corpus" / name).read_bytes(), name, None), catalog)
        expected[name] = [(i, r.date, r.kind, r.quote) for i, r in enumerate(article.reports)]
    assert stored_reports(engine) == {name: reports for name, reports in expected.items() if reports}


def test_a_batch_the_database_refuses_is_written_one_article_at_a_time(engine, catalog):
    load_paths(engine, [], catalog=catalog)  # the catalogue only

    def extracted(name: str, kind: str | None) -> Extracted:
        raw = f"{name}\nEVENT 2016-09-17 {kind or 'NULL'} -\n{FILLER}"
        return Extracted(name, hashlib.sha256(raw.encode()).hexdigest(),
                         fake_extract(raw, source=name, catalog=catalog))

    entries = [extracted("a.txt", "other"), FileResult("b.txt", "unchanged"), extracted("c.txt", None),
               extracted("d.txt", "statement")]
    results = list(_write_batch(engine, entries))
    assert [(r.source, r.status) for r in results] == [
        ("a.txt", "loaded"), ("b.txt", "unchanged"), ("c.txt", "rejected"), ("d.txt", "loaded")]
    assert "database refused it" in results[2].detail
    assert sources(engine) == ["a.txt", "d.txt"]


def test_reports_go_in_a_few_multi_row_statements_and_the_data_version_moves(engine, catalog, tmp_path, fake):
    from sqlalchemy import event

    from app.store.engine import data_version

    load_paths(engine, [], catalog=catalog)  # the catalogue only
    reports = 1_200  # more than SQLAlchemy puts in one statement (insertmanyvalues_page_size, 1,000)
    write(tmp_path, "busy.txt", article(*[f"2016-09-{12 + i % 7} other -" for i in range(reports)]))
    with engine.connect() as connection:
        before = data_version(connection)
    report_inserts: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, _context, _executemany):
        if re.match(r"\s*INSERT INTO report\b", statement, re.IGNORECASE):  # not report_count
            report_inserts.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        summary = load_paths(engine, [tmp_path], catalog=catalog)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert summary.reports == reports and count(engine, Report) == reports
    assert len(report_inserts) == 2  # two multi-row statements, not one executemany sent row by row
    with engine.connect() as connection:
        moved = data_version(connection) - before
    if engine.dialect.name == "postgresql":  # statement triggers: a handful for the whole article
        assert 0 < moved < 10
    else:  # SQLite has row triggers only: one per row written
        assert moved >= reports


# Many dated clauses: linear to extract, yet this many (just under the 5 MB article limit) take several times
# the limit the test sets, which in turn is several times what a fresh worker's first article takes on a busy
# machine (dateparser's first call costs about a second): neither side of the limit is close.
SLOW_CLAUSE = "Mortars hit the old market on Thursday and the council met again about it on Saturday "
SLOW_CLAUSES = 55_000
TEST_TIMEOUT_S = 5


@pytest.mark.parametrize("jobs", [0, 2])
def test_an_article_over_the_time_limit_is_rejected_by_name_and_the_rest_load_in_order(
        engine, catalog, tmp_path, monkeypatch, jobs):
    from tests.test_load_processes import write_corpus

    monkeypatch.setenv("TIMELINE_EXTRACT_TIMEOUT", str(TEST_TIMEOUT_S))
    names = write_corpus(tmp_path / "corpus", count=41)
    write(tmp_path / "corpus", "article_020_slow.txt", "Shelling log\n\n" + SLOW_CLAUSE * SLOW_CLAUSES)
    seen = []
    summary = load_paths(engine, [tmp_path / "corpus"], catalog=catalog, progress=seen.append, jobs=jobs)
    assert [r.source for r in seen] == sorted([*names, "article_020_slow.txt"])
    slow = next(r for r in seen if r.source == "article_020_slow.txt")
    assert slow.status == "rejected" and slow.detail == f"took longer than {TEST_TIMEOUT_S} s to extract"
    assert summary.loaded == len(names) and summary.rejected == [("article_020_slow.txt", slow.detail)]
    assert sources(engine) == names


def test_a_link_out_of_the_folder_is_not_followed_unless_asked(engine, catalog, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A private file about the ceasefire in Syria, never to be served.\n")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "story.txt").write_text("An article about the ceasefire in Syria, long enough to be one.\n")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "sub" / "alias.txt").symlink_to(folder / "story.txt")  # inside the tree: followed
    summary = load_paths(engine, [folder], catalog=catalog)
    rejected = dict(summary.rejected)
    assert set(rejected) == {"secret.txt", "elsewhere"}
    assert all("not followed" in reason for reason in rejected.values())
    followed = load_paths(engine, [folder], catalog=catalog, follow_links=True)
    assert not followed.rejected


# -- outlets outside the catalogue, wire agencies (real extractor) -------------------------------

WIRE_STORY = ("Aid convoy waits at the border | The Harbour Gazette\n\n"
              "BEIRUT (AP) — Aid trucks waited at the Turkish border on Tuesday as the truce held for a second "
              "day, officials said.\n\nThe convoy had been due to cross on Monday.\n")


def test_a_publisher_outside_the_catalogue_is_stored_flagged_with_its_basis(engine, catalog, tmp_path):
    write(tmp_path, "a.txt", WIRE_STORY)
    write(tmp_path, "b.txt", WIRE_STORY.replace("Tuesday", "Wednesday"))  # the same publisher again: one row
    load_paths(engine, [tmp_path], catalog=catalog)
    with Session(engine) as session:
        gazette = session.scalar(select(Outlet).where(Outlet.slug == "the-harbour-gazette"))
        assert gazette.name == "The Harbour Gazette" and gazette.catalogued is False
        assert "title suffix" in gazette.basis
        stored = session.scalars(select(Article).order_by(Article.source)).all()
        assert [a.outlet.slug for a in stored] == ["the-harbour-gazette"] * 2
        assert [a.agency.slug for a in stored] == ["associated-press"] * 2
        assert "BEIRUT (AP)" in stored[0].agency_basis
        assert session.scalar(select(Outlet.catalogued).where(Outlet.slug == "reuters")) is True
    exported = export_data(Session(engine))["articles"][0]
    assert (exported["outlet"], exported["agency"]) == ("The Harbour Gazette", "Associated Press")


def test_a_publisher_later_added_to_the_catalogue_becomes_catalogued(engine, catalog, tmp_path):
    write(tmp_path, "a.txt", WIRE_STORY)
    load_paths(engine, [tmp_path], catalog=catalog)
    added = dataclasses.replace(catalog.outlets[0], slug="the-harbour-gazette", name="The Harbour Gazette",
                                country="Lebanon")
    load_paths(engine, [], catalog=dataclasses.replace(catalog, outlets=(*catalog.outlets, added)))
    with Session(engine) as session:
        gazette = session.scalar(select(Outlet).where(Outlet.slug == "the-harbour-gazette"))
        assert (gazette.catalogued, gazette.basis, gazette.country) == (True, None, "Lebanon")
        assert session.scalar(select(func.count()).select_from(Article).where(Article.outlet_id == gazette.id)) == 1


def test_plain_wire_copy_is_credited_to_the_agency(engine, catalog, tmp_path):
    write(tmp_path, "a.txt", "MOSCOW, September 20. /TASS/. The truce can still be saved, the Kremlin said on "
                             "Tuesday.\n\nTalks were to resume in Geneva.\n")
    load_paths(engine, [tmp_path], catalog=catalog)
    with Session(engine) as session:
        stored = session.scalar(select(Article))
        assert (stored.outlet.slug, stored.agency.slug) == ("tass", "tass")
        assert stored.outlet_basis.startswith("wire copy")


# -- names ----------------------------------------------------------------------------------------


def test_two_folders_keep_their_files_apart_and_a_rerun_changes_nothing(engine, catalog, tmp_path, fake):
    write(tmp_path, "d1/x.txt", article("2016-09-17 other -") + "first")
    write(tmp_path, "d2/x.txt", article("2016-09-18 other -") + "second")
    write(tmp_path, "d2/sub/y.txt", article("2016-09-19 other -"))
    first = load_paths(engine, [tmp_path / "d1", tmp_path / "d2"], catalog=catalog)
    again = load_paths(engine, [tmp_path / "d1", tmp_path / "d2"], catalog=catalog)
    assert sources(engine) == ["d1/x.txt", "d2/sub/y.txt", "d2/x.txt"]
    assert (first.loaded, first.replaced) == (3, 0)
    assert (again.loaded, again.replaced, again.unchanged) == (0, 0, 3)


def test_names_are_the_same_whichever_way_the_paths_are_written(engine, catalog, tmp_path, fake, monkeypatch):
    write(tmp_path, "d1/x.txt", article("2016-09-17 other -"))
    write(tmp_path, "d2/x.txt", article("2016-09-18 other -"))
    load_paths(engine, [tmp_path / "d1", tmp_path / "d2"], catalog=catalog)
    monkeypatch.chdir(tmp_path / "d1")
    again = load_paths(engine, [".", "../d2/"], catalog=catalog)
    assert (again.loaded, again.unchanged) == (0, 2)
    assert sources(engine) == ["d1/x.txt", "d2/x.txt"]


def test_the_same_file_named_twice_loads_once(engine, catalog, tmp_path, fake):
    path = write(tmp_path, "d1/x.txt", article("2016-09-17 other -"))
    seen = []
    summary = load_paths(engine, [tmp_path / "d1", path, path, tmp_path / "d1"], catalog=catalog,
                         progress=seen.append)
    assert [(r.source, r.status) for r in seen] == [("x.txt", "loaded")]
    assert (summary.loaded, summary.unchanged, summary.rejected) == (1, 0, [])


def test_files_of_two_folders_are_named_below_their_common_folder(engine, catalog, tmp_path, fake):
    one = write(tmp_path, "d1/x.txt", article("2016-09-17 other -"))
    two = write(tmp_path, "d2/x.txt", article("2016-09-18 other -"))
    load_paths(engine, [one, two], catalog=catalog)
    assert sources(engine) == ["d1/x.txt", "d2/x.txt"]


# -- a full disk ------------------------------------------------------------------------------------

FULL_DISK_ERRORS = {
    "sqlite_full": OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
    "postgres_disk_full": OperationalError("INSERT", {}, psycopg.errors.DiskFull(
        'could not extend file "base/16384/16385": No space left on device')),
    "enospc": OSError(errno.ENOSPC, "No space left on device"),
}


def fill_the_disk_after(monkeypatch, writes: int, error: BaseException) -> None:
    """Every write transaction after the first `writes` fails as a full disk does, before it commits."""
    real, tried = loader._insert_articles, []

    def insert_or_fail(connection, articles):
        tried.append(articles)
        if len(tried) > writes:
            raise error
        real(connection, articles)

    monkeypatch.setattr(loader, "_insert_articles", insert_or_fail)


@pytest.mark.parametrize("error", FULL_DISK_ERRORS.values(), ids=FULL_DISK_ERRORS.keys())
def test_a_full_disk_stops_the_load_reporting_what_was_committed(engine, catalog, tmp_path, fake, monkeypatch,
                                                                 error):
    for i in range(5):
        write(tmp_path, f"{i}.txt", article(f"2016-09-1{i} other -") + str(i))
    fill_the_disk_after(monkeypatch, 3, error)
    seen = []
    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    assert [(r.source, r.status) for r in seen] == [("0.txt", "loaded"), ("1.txt", "loaded"), ("2.txt", "loaded")]
    assert (summary.loaded, summary.reports, summary.rejected) == (3, 3, [])
    assert summary.stopped and "\n" not in summary.stopped
    assert ("disk is full" in summary.stopped) or ("No space left on device" in summary.stopped)
    assert sources(engine) == ["0.txt", "1.txt", "2.txt"]


def test_a_full_disk_in_a_big_load_reports_the_batches_committed(engine, catalog, tmp_path, fake, monkeypatch):
    for i in range(45):  # over the workers' threshold: 32 articles a transaction
        write(tmp_path, f"{i:02d}.txt", article("2016-09-17 other -") + str(i))
    fill_the_disk_after(monkeypatch, 1, FULL_DISK_ERRORS["sqlite_full"])
    seen = []
    summary = load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append, jobs=0)
    assert [r.source for r in seen] == [f"{i:02d}.txt" for i in range(32)]
    assert summary.loaded == 32 and summary.stopped == "database or disk is full"
    assert count(engine, Article) == 32


def test_an_article_committed_alone_before_the_disk_fills_is_reported(engine, catalog, monkeypatch):
    load_paths(engine, [], catalog=catalog)  # the catalogue only

    def extracted(name: str, kind: str | None) -> Extracted:
        raw = f"{name}\nEVENT 2016-09-17 {kind or 'NULL'} -\n{FILLER}"
        return Extracted(name, hashlib.sha256(raw.encode()).hexdigest(),
                         fake_extract(raw, source=name, catalog=catalog))

    # The batch fails on c's NULL kind; written one at a time, a goes in, c is refused, d finds the disk full.
    fill_the_disk_after(monkeypatch, 4, FULL_DISK_ERRORS["sqlite_full"])  # the batch, a, c and its second look
    entries = [extracted("a.txt", "other"), FileResult("b.txt", "unchanged"), extracted("c.txt", None),
               extracted("d.txt", "statement")]
    results = []
    with pytest.raises(OperationalError):
        results.extend(_write_batch(engine, entries))
    assert [(r.source, r.status) for r in results] == [("a.txt", "loaded"), ("b.txt", "unchanged"),
                                                       ("c.txt", "rejected")]
    assert sources(engine) == ["a.txt"]


# -- names on the terminal ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "line"), [
    ("a\nb.txt", r"loaded a\nb.txt: 2 reports, 1 dated"),
    ("tab\there\r.txt", r"loaded tab\there\r.txt: 2 reports, 1 dated"),
    ("\x1b[31mred\x1b[0m.txt", r"loaded \x1b[31mred\x1b[0m.txt: 2 reports, 1 dated"),
    ("txt.\u202eexe.txt", r"loaded txt.\u202eexe.txt: 2 reports, 1 dated"),  # a right-to-left override
    ("back\\n.txt", r"loaded back\\n.txt: 2 reports, 1 dated"),  # a real backslash: not a newline
    ("Bericht über Homs — تقرير 2.txt", "loaded Bericht über Homs — تقرير 2.txt: 2 reports, 1 dated"),
])
def test_a_name_is_shown_on_one_line_with_its_control_characters_escaped(name, line):
    assert FileResult(name, "loaded", reports=2, dated=1).describe() == line


def test_every_name_in_a_line_is_escaped():
    assert FileResult("b\n.txt", "duplicate", "a\n.txt").describe() == r"duplicate b\n.txt: same content as a\n.txt"
    assert FileResult("x\x00.txt", "rejected", "why").describe() == r"rejected x\x00.txt: why"
    assert shown("bad\udcff name.txt") == r"bad\udcff name.txt"  # a name that is not UTF-8


def test_a_name_with_a_newline_is_stored_as_it_is_and_shown_escaped(engine, catalog, tmp_path, fake):
    write(tmp_path, "a\nb.txt", article("2016-09-17 other -"))
    seen = []
    load_paths(engine, [tmp_path], catalog=catalog, progress=seen.append)
    assert sources(engine) == ["a\nb.txt"]
    assert [r.describe() for r in seen] == [r"loaded a\nb.txt: 1 reports, 1 dated"]


# -- the report counts the pages sum -------------------------------------------------------------


def counts_table(engine) -> dict[tuple, int]:
    """report_count summed by key, rows of nought left out (so two rows of one key compare as their sum)."""
    key = (ReportCount.date, ReportCount.precision, ReportCount.outlet_id, ReportCount.agency_id, ReportCount.kind)
    with Session(engine) as session:
        rows = session.execute(select(*key, func.sum(ReportCount.reports)).group_by(*key))
        return {tuple(row[:5]): row[5] for row in rows if row[5]}


def counts_afresh(engine) -> dict[tuple, int]:
    key = (Report.date, Report.precision, Article.outlet_id, Article.agency_id, Report.kind)
    with Session(engine) as session:
        rows = session.execute(select(*key, func.count(Report.id)).join(Article).group_by(*key))
        return {tuple(row[:5]): row[5] for row in rows}


def test_the_seeds_counts_are_those_of_a_fresh_group_by(seeded_engine):
    assert counts_table(seeded_engine) == counts_afresh(seeded_engine)
    assert len(counts_afresh(seeded_engine)) > 5  # several outlets, dates and kinds: a real check


def test_counts_follow_a_load_a_changed_file_and_a_removal(engine, catalog, tmp_path, fake):
    write(tmp_path, "a.txt", article("2016-09-12 truce_start truce-begins", "2016-09-12 other -", "undated other -"))
    write(tmp_path, "b.txt", article("2016-09-12 other -", "2016-09-19 truce_end -"))
    load_paths(engine, [tmp_path], catalog=catalog)
    assert counts_table(engine) == counts_afresh(engine)
    assert sum(counts_table(engine).values()) == 5
    write(tmp_path, "a.txt", article("2016-09-13 other -", "2016-09-19 truce_end -"))
    assert load_paths(engine, [tmp_path], catalog=catalog).replaced == 1
    assert counts_table(engine) == counts_afresh(engine)
    assert loader.remove_articles(engine, ["b.txt", "never-loaded.txt"]) == 1
    assert counts_table(engine) == counts_afresh(engine)
    assert sorted(counts_table(engine).values()) == [1, 1]
    loader.remove_articles(engine, ["a.txt"])
    with Session(engine) as session:  # the last report of a key takes its row with it
        assert session.scalar(select(func.count(ReportCount.id))) == 0


def test_rebuilt_counts_are_those_of_a_fresh_group_by(seeded_engine):
    with seeded_engine.begin() as connection:
        connection.execute(ReportCount.__table__.delete())
        rebuild_counts(connection)
    assert counts_table(seeded_engine) == counts_afresh(seeded_engine)
