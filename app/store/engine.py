"""Engine, sessions and migrations: the only place that knows how to open the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.config import data_dir

MIGRATIONS_DIR = data_dir("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a second loader waits this long for the write lock instead of failing
# Execution option marking a transaction as a writer: on SQLite it starts with BEGIN IMMEDIATE, taking the write
# lock up front, because a read transaction that later upgrades to write fails at once ("database is locked")
# when another process wrote in between, whatever the busy timeout.
WRITE_LOCK = "timeline_write_lock"
# The database-wide data version (migration 0004): moved by triggers in every transaction that writes what a page
# shows, read by the page cache to know whether anything changed since it last looked.
DATA_VERSION_SQL = "SELECT version FROM data_version"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(read_only))
        if not read_only:
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    if read_only and url.startswith("postgresql"):
        # Every transaction of the dashboard's connections is read-only: PostgreSQL refuses any write in it.
        return create_engine(url, pool_pre_ping=True,
                             connect_args={"options": "-c default_transaction_read_only=on"})
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(read_only: bool):
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL's recommended setting: one sync per checkpoint, not per commit. A killed process loses nothing
            # committed; a power cut may undo the last commits, never corrupt, and a rerun loads them again.
            cursor.execute("PRAGMA synchronous=NORMAL")
            # The driver's own implicit BEGIN is off; _sqlite_begin starts every transaction instead.
            dbapi_connection.isolation_level = None
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE_LOCK)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (call it first): on SQLite this takes the write lock now."""
    session.connection(execution_options={WRITE_LOCK: True})


def data_version(connection: Connection) -> int:
    """The database's data version: a new number after every commit that changed articles, reports or catalogue."""
    return connection.exec_driver_sql(DATA_VERSION_SQL).scalar_one()


def insert_rows(connection: Connection, model: type[Any], rows: list[dict]) -> None:
    """Insert the rows (all with the same keys) in a few multi-row INSERT statements.

    Asking for the new ids (RETURNING) is what makes SQLAlchemy batch the rows into multi-row statements
    ("insertmanyvalues", compiled once); a plain executemany is sent by psycopg as one statement per row,
    and every statement fires PostgreSQL's statement-level triggers (migration 0004 moves the data version
    in them): 60,000 reports would update that one row 60,000 times, leaving as many dead row versions."""
    if rows:
        connection.execute(insert(model).returning(model.id), rows).all()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates the database file if needed)."""
    if engine.url.get_backend_name() == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    # Every migration transaction is a writer, so two processes migrating one SQLite file queue for the lock.
    config = alembic_config(engine.execution_options(**{WRITE_LOCK: True}))
    try:
        command.upgrade(config, "head")
    except DBAPIError:
        # Two loaders started on a new database at once: the other one created the schema first. Look again;
        # a real failure fails the same way twice.
        command.upgrade(config, "head")
