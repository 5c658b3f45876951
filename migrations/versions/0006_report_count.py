"""report_count: the reports per date, precision, outlet, agency and kind, kept by the loader.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

The pages' aggregates (coverage strip, facets, totals) sum these rows instead of counting the report table;
the loader changes them in the article's own transaction (app.store.counts). The upgrade counts what is
already loaded. A new table only: no batch copy of an existing one, so the triggers of 0003 and 0004 stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "report_count"
INDEX = "ix_report_count_date_outlet"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("precision", sa.String(length=10), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_count")),
    )
    op.create_index(INDEX, TABLE, ["date", "outlet_id"])
    op.execute(
        f"INSERT INTO {TABLE} (date, precision, outlet_id, agency_id, kind, reports) "
        "SELECT report.date, report.precision, article.outlet_id, article.agency_id, report.kind, count(report.id) "
        "FROM report JOIN article ON report.article_id = article.id "
        "GROUP BY report.date, report.precision, article.outlet_id, article.agency_id, report.kind"
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.drop_table(TABLE)
