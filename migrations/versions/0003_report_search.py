"""Full-text search over report quotes: FTS5 on SQLite, a GIN to_tsvector index on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

On SQLite the index is an external-content FTS5 table (it stores no second copy of the quotes) kept in
step with `report` by triggers, so a replaced article (its reports deleted, new ones inserted) is
re-indexed in the same transaction. A later migration that rebuilds `report` in batch mode (copy and
rename) drops these triggers with the old table and must create them again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "report_fts"
INDEX = "ix_report_quote_fts"
TRIGGERS = ("report_fts_insert", "report_fts_delete", "report_fts_update")


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        # porter: "violations" finds "violation", as PostgreSQL's english dictionary does.
        op.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(quote, content='report', content_rowid='id', "
                   "tokenize='porter unicode61 remove_diacritics 2')")
        op.execute(f"CREATE TRIGGER report_fts_insert AFTER INSERT ON report BEGIN "
                   f"INSERT INTO {TABLE}(rowid, quote) VALUES (new.id, new.quote); END")
        op.execute(f"CREATE TRIGGER report_fts_delete AFTER DELETE ON report BEGIN "
                   f"INSERT INTO {TABLE}({TABLE}, rowid, quote) VALUES ('delete', old.id, old.quote); END")
        op.execute(f"CREATE TRIGGER report_fts_update AFTER UPDATE OF quote ON report BEGIN "
                   f"INSERT INTO {TABLE}({TABLE}, rowid, quote) VALUES ('delete', old.id, old.quote); "
                   f"INSERT INTO {TABLE}(rowid, quote) VALUES (new.id, new.quote); END")
        op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # index what is already loaded
    elif dialect == "postgresql":
        op.create_index(INDEX, "report", [sa.text("to_tsvector('english', quote)")], postgresql_using="gin")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    elif dialect == "postgresql":
        op.drop_index(INDEX, table_name="report")
