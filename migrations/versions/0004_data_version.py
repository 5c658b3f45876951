"""A database-wide data version: one row whose counter every write to the shown data moves.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Triggers bump `data_version.version` in the writer's own transaction, so a reader that sees the new number
also sees the commit that moved it, in every process and on every machine; the page cache
(app/pagecache.py) and the count memo (app/countcache.py) key on it. On SQLite they are FOR EACH ROW
triggers (SQLite has no other kind), each a one-row UPDATE; on PostgreSQL one plpgsql function fired
FOR EACH STATEMENT, so a loader's multi-row INSERT moves it once. On PostgreSQL concurrent writers queue
on the row until the first commits (each loader transaction is one article, written after extraction).
As with migration 0003, a later migration that rebuilds one of these tables in batch mode (SQLite: copy
and rename) drops its triggers with the old table and must create them again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "data_version"
FUNCTION = "bump_data_version"
TRACKED = ("article", "report", "figure", "claim", "outlet", "milestone")  # everything a page shows
SQLITE_EVENTS = ("insert", "update", "delete")
BUMP = f"UPDATE {TABLE} SET version = version + 1"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute(f"INSERT INTO {TABLE} (id, version) VALUES (1, 0)")
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for table in TRACKED:
            for event in SQLITE_EVENTS:
                op.execute(f"CREATE TRIGGER {_trigger(table, event)} AFTER {event.upper()} ON {table} "
                           f"BEGIN {BUMP}; END")
    elif dialect == "postgresql":
        op.execute(f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN {BUMP}; RETURN NULL; END $$")
        for table in TRACKED:
            op.execute(f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for table in TRACKED:
            for event in SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, event)}")
    elif dialect == "postgresql":
        for table in TRACKED:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    op.drop_table(TABLE)


def _trigger(table: str, event: str | None = None) -> str:
    return f"{TABLE}_{table}_{event}" if event else f"{TABLE}_{table}"
