"""Outlets outside the catalogue and wire agencies: outlet.country, .agency, .catalogued, .basis;
article.agency_id (the agency whose copy an article runs) and .agency_basis.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Every change is an added column, so SQLite needs no batch copy of a table (which would drop the data
version triggers of migration 0004 with the old table): SQLite adds a column with its foreign key in
place, written as raw DDL because Alembic adds a foreign key as a separate ALTER, which SQLite lacks.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGENCY_FK = "fk_article_agency_id_outlet"
AGENCY_INDEX = "ix_article_agency_id"


def upgrade() -> None:
    op.add_column("outlet", sa.Column("country", sa.String(length=80), nullable=True))
    op.add_column("outlet", sa.Column("agency", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("outlet", sa.Column("catalogued", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("outlet", sa.Column("basis", sa.Text(), nullable=True))
    if op.get_context().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE article ADD COLUMN agency_id INTEGER CONSTRAINT {AGENCY_FK} REFERENCES outlet (id)")
    else:
        op.add_column("article", sa.Column("agency_id", sa.Integer(), nullable=True))
        op.create_foreign_key(AGENCY_FK, "article", "outlet", ["agency_id"], ["id"])
    op.create_index(AGENCY_INDEX, "article", ["agency_id"])
    op.add_column("article", sa.Column("agency_basis", sa.Text(), nullable=True))


def downgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    _drop_column("article", "agency_basis", sqlite)
    op.drop_index(AGENCY_INDEX, table_name="article")
    if not sqlite:
        op.drop_constraint(AGENCY_FK, "article", type_="foreignkey")
    _drop_column("article", "agency_id", sqlite)
    for column in ("basis", "catalogued", "agency", "country"):
        _drop_column("outlet", column, sqlite)


def _drop_column(table: str, column: str, sqlite: bool) -> None:
    """SQLite (3.35 and later) drops a column in place; Alembic's batch mode would copy the table."""
    if sqlite:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)
