"""A throwaway PostgreSQL database for the benchmarks and the tests: never part of the program itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


@contextmanager
def throwaway_postgres(server: str, prefix: str = "timeline_tmp", template: str | None = None) -> Iterator[str]:
    """A fresh database on a PostgreSQL server (tests, benchmarks), dropped afterwards; yields its URL.

    With a template (a database's name), the new database starts as a copy of it."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
