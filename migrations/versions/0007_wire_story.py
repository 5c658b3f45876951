"""Wire stories: the story table (one agency's story, however many hosts printed it), article.story_id and
article.fingerprint (its text's word runs, packed, for comparing a later copy without reading this text).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

A new table and added columns only, so SQLite needs no batch copy of the article table (which would drop the
triggers of 0003 and 0004): SQLite adds the column with its foreign key in place, as in 0005. The upgrade groups
the articles already loaded, as the loader would have (app.store.stories).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.store.stories import rebuild_stories

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "story"
STORY_FK = "fk_article_story_id_story"
STORY_INDEX = "ix_article_story_id"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["outlet.id"], name=op.f("fk_story_agency_id_outlet")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
    )
    if op.get_context().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE article ADD COLUMN story_id INTEGER CONSTRAINT {STORY_FK} REFERENCES story (id)")
    else:
        op.add_column("article", sa.Column("story_id", sa.Integer(), nullable=True))
        op.create_foreign_key(STORY_FK, "article", TABLE, ["story_id"], ["id"])
    op.create_index(STORY_INDEX, "article", ["story_id"])
    op.add_column("article", sa.Column("fingerprint", sa.Text(), nullable=True))
    rebuild_stories(op.get_bind())


def downgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    _drop_column("fingerprint", sqlite)
    op.drop_index(STORY_INDEX, table_name="article")
    if not sqlite:
        op.drop_constraint(STORY_FK, "article", type_="foreignkey")
    _drop_column("story_id", sqlite)
    op.drop_table(TABLE)


def _drop_column(column: str, sqlite: bool) -> None:
    """SQLite (3.35 and later) drops a column in place; Alembic's batch mode would copy the table."""
    if sqlite:
        op.execute(f"ALTER TABLE article DROP COLUMN {column}")
    else:
        op.drop_column("article", column)
