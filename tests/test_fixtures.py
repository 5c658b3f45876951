"""The shared seeded database (conftest.py) cannot be changed by a test that only meant to read it."""

from __future__ import annotations

import pytest
from conftest import SharedDatabases, shared_settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import InternalError, OperationalError

from app.config import Settings


def test_the_shared_database_refuses_a_write_through_its_url(seeded_settings: Settings) -> None:
    # A plain engine, not the dashboard's read-only one: the database itself must refuse.
    engine = create_engine(seeded_settings.database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM article")).scalar_one() > 0
            for statement in ["UPDATE article SET title = 'changed'", "DELETE FROM report",
                              "CREATE TABLE scratch (x INTEGER)"]:
                with pytest.raises((OperationalError, InternalError), match="readonly|read-only"):
                    connection.execute(text(statement))
                connection.rollback()
    finally:
        engine.dispose()


def writable_url(url: str) -> str:
    """The shared database's URL without its read-only opening (on PostgreSQL the guard is in the database)."""
    return url.replace("mode=ro", "mode=rw")


def test_a_write_that_gets_through_fails_the_test_that_made_it(backend: str,
                                                              shared_databases: SharedDatabases) -> None:
    """A write made on purpose past the read-only opening: leaving the shared database must fail the test."""
    guard = shared_settings(shared_databases, backend, "guard-check", lambda *_: None)
    settings = guard.__enter__()
    engine = create_engine(writable_url(settings.database_url))
    try:
        with engine.begin() as connection:
            if backend == "postgresql":
                connection.execute(text("SET TRANSACTION READ WRITE"))
            connection.execute(text("UPDATE article SET title = title || ' (changed)'"))
    finally:
        engine.dispose()
    with pytest.raises(AssertionError, match="changed the shared read-only database"):
        guard.__exit__(None, None, None)
