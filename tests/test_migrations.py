"""Alembic is the only way the schema changes: migrations and models must agree, both ways."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, delete, inspect, text, update
from sqlalchemy.orm import Session

from app.queries.textsearch import SEARCH_INDEX, SEARCH_TABLE, include_object
from app.store.engine import alembic_config, data_version, make_engine, migrate
from app.store.models import Article, Base, Milestone, Outlet, Report

MODEL_TABLES = {"outlet", "article", "milestone", "report", "data_version", "story"}
DATA_VERSION_TRIGGERS = {"sqlite": 18, "postgresql": 6}  # insert/update/delete of 6 tables; one per table


def _differences(engine: Engine) -> list:
    # The search index of migration 0003 (an FTS5 table on SQLite, a GIN expression index on PostgreSQL)
    # is dialect-specific DDL that no model describes; include_object leaves exactly those objects out.
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object})
        return compare_metadata(context, Base.metadata)


def _check_round_trip(engine: Engine) -> None:
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= MODEL_TABLES
    assert _differences(engine) == []
    _check_search_index(engine)
    assert len(_data_version_triggers(engine)) == DATA_VERSION_TRIGGERS[engine.dialect.name]
    migrate(engine)  # a second upgrade is a no-op, not an error
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert _data_version_triggers(engine) == []
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM pg_proc WHERE proname = 'bump_data_version'")) == 0


def _data_version_triggers(engine: Engine) -> list[str]:
    sql = ("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version%'"
           if engine.dialect.name == "sqlite" else
           "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'data_version%'")
    with engine.connect() as connection:
        return list(connection.scalars(text(sql)))


def _check_search_index(engine: Engine) -> None:
    """The objects include_object hides are really there (the hook hides nothing else)."""
    inspector = inspect(engine)
    if engine.dialect.name == "sqlite":
        assert SEARCH_TABLE in inspector.get_table_names()
    else:
        assert SEARCH_INDEX in {i["name"] for i in inspector.get_indexes("report")}


def test_sqlite_migrations_match_the_models_and_downgrade(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    _check_round_trip(engine)
    engine.dispose()


def test_postgres_migrations_match_the_models_and_downgrade(postgres_url):
    engine = make_engine(postgres_url)
    _check_round_trip(engine)
    engine.dispose()


def test_named_constraints_come_from_the_naming_convention(engine):
    inspector = inspect(engine)
    assert {u["name"] for u in inspector.get_unique_constraints("article")} == {
        "uq_article_source", "uq_article_content_hash",
    }
    assert {f["name"] for f in inspector.get_foreign_keys("report")} == {
        "fk_report_article_id_article", "fk_report_milestone_id_milestone",
    }


def test_a_model_change_without_a_migration_is_detected(engine):
    """Guards the guard: compare_metadata does see a difference when there is one."""
    from sqlalchemy import Column, MetaData, String, Table

    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("outlet", metadata, Column("motto", String(50)), extend_existing=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, metadata)
    assert any(d[0] == "add_column" and d[3].name == "motto" for d in diffs)


def test_migrate_creates_a_missing_parent_folder(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'folder' / 'timeline.db'}")
    migrate(engine)
    assert (tmp_path / "new" / "folder" / "timeline.db").is_file()
    engine.dispose()


def test_every_write_moves_the_data_version_and_a_read_does_not(engine):
    """Migration 0004's triggers: insert, update and delete on the shown tables, in the writer's transaction."""

    def version() -> int:
        with engine.connect() as connection:
            return data_version(connection)

    seen = [version()]

    def moved() -> bool:
        seen.append(version())
        return seen[-1] > seen[-2]

    with Session(engine) as session, session.begin():
        session.add(Outlet(slug="wire", name="The Wire"))
    assert moved()
    with Session(engine) as session, session.begin():
        outlet = session.scalar(Outlet.__table__.select().with_only_columns(Outlet.id))
        article = Article(outlet_id=outlet, source="a.txt", content_hash="0" * 64, text="Truce held on Monday.")
        article.reports.append(Report(position=0, quote="Truce held on Monday.", span_start=0, span_end=21,
                                      precision="day", kind="other"))
        session.add(article)
    assert moved()
    with Session(engine) as session:
        session.scalar(Article.__table__.select().with_only_columns(Article.id))  # reading moves nothing
    assert not moved()
    with Session(engine) as session, session.begin():
        session.execute(update(Report).values(kind="statement"))
    assert moved()
    with Session(engine) as session, session.begin():
        session.add(Milestone(slug="m", date=dt.date(2016, 9, 12), kind="truce_start", title="T", summary="S"))
    assert moved()
    with Session(engine) as session, session.begin():
        session.execute(delete(Article))  # its reports go by the cascade
    assert moved()
    with Session(engine) as session:  # rolled back: no commit, no new version
        session.execute(delete(Outlet))
        session.rollback()
    assert not moved()


WIRE_LEDE = ("Russian and American diplomats failed to agree on Monday on how to revive the truce, and aid convoys "
             "stayed at the border as the fighting resumed around Aleppo, officials said.")


def _check_stories_of_loaded_articles(engine: Engine) -> None:
    """Migration 0007 groups the wire copy already loaded: two hosts of one AFP story share one story."""
    config = alembic_config(engine)
    command.upgrade(config, "0006")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO outlet (id, slug, name, agency, catalogued) VALUES "
                                "(1, 'afp', 'AFP', true, true), (2, 'gazette', 'Gazette', false, true), "
                                "(3, 'times', 'Times', false, true)"))
        for id_, host, agency, body in ((1, 2, 1, WIRE_LEDE), (2, 3, 1, WIRE_LEDE.upper()),
                                        (3, 3, None, WIRE_LEDE), (4, 2, 1, "Another story altogether, told by AFP.")):
            connection.execute(text(
                "INSERT INTO article (id, source, content_hash, outlet_id, agency_id, published, text) "
                "VALUES (:id, :source, :hash, :host, :agency, :published, :body)"),
                # As text: Python 3.12 deprecates sqlite3's own adapter for date objects in raw SQL.
                {"id": id_, "source": f"{id_}.txt", "hash": str(id_) * 64, "host": host, "agency": agency,
                 "published": "2016-09-20", "body": body})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stories = dict(connection.execute(text("SELECT id, story_id FROM article")).all())
        assert connection.scalar(text("SELECT count(*) FROM story")) == 2
    assert stories[1] == stories[2] != stories[4] and stories[3] is None
    command.downgrade(config, "0006")
    assert "story" not in inspect(engine).get_table_names()
    assert "story_id" not in {c["name"] for c in inspect(engine).get_columns("article")}


def test_sqlite_upgrade_groups_the_wire_copy_already_loaded(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _check_stories_of_loaded_articles(engine)
    engine.dispose()


def test_postgres_upgrade_groups_the_wire_copy_already_loaded(postgres_url):
    engine = make_engine(postgres_url)
    _check_stories_of_loaded_articles(engine)
    engine.dispose()
