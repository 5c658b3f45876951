"""Alembic environment: migrates the engine the caller hands over, else the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from app.config import settings_from_env
from app.queries.textsearch import include_object
from app.store.engine import make_engine
from app.store.models import Base

target_metadata = Base.metadata


def _engine() -> tuple[Engine, bool]:
    """The caller's engine (app.db.migrate) or one built from the environment; True when we own it."""
    given = context.config.attributes.get("engine")
    if given is not None:
        return given, False
    return make_engine(settings_from_env().database_url), True


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The search index (migration 0003) is dialect-specific DDL no model describes: not a difference.
        include_object=include_object,
    )


def run_migrations_offline() -> None:
    """Emit SQL for the configured URL without connecting (`alembic upgrade --sql`)."""
    url = settings_from_env().database_url
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True,
        render_as_batch=url.startswith("sqlite"), compare_type=True, include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine, owned = _engine()
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
