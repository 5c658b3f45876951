"""Typed SQLAlchemy models: outlets, articles, milestones and the dated reports that tie them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Float, ForeignKey, Index, MetaData, String, Text, false, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints keep Alembic's batch mode (SQLite) and PostgreSQL migrations predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Outlet(Base):
    __tablename__ = "outlet"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    homepage: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(80))
    agency: Mapped[bool] = mapped_column(default=False, server_default=false())  # a wire agency
    # False for a publisher outside seeds/outlets.toml, known only from its pages' own marks.
    catalogued: Mapped[bool] = mapped_column(default=True, server_default=true())
    basis: Mapped[str | None] = mapped_column(Text)  # for one outside the catalogue: the marks that named it

    articles: Mapped[list[Article]] = relationship(back_populates="outlet", foreign_keys="Article.outlet_id")

    def __repr__(self) -> str:
        return f"Outlet({self.slug!r})"


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlet.id"), index=True)
    source: Mapped[str] = mapped_column(String(500), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[dt.date | None]
    # How the publication date was known: "dateline '18 Sep, 2016 21:09'", "manifest", "inferred ...".
    published_basis: Mapped[str | None] = mapped_column(Text)
    outlet_basis: Mapped[str | None] = mapped_column(Text)
    # The wire agency whose copy the article runs ("(Reuters) -"); the host stays the outlet.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("outlet.id"), index=True)
    agency_basis: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # The wire story the article is a copy of (app.store.stories), set when it runs an agency's copy.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id"), index=True)
    # Its text's word runs, packed (app.extract.wirecopy.fingerprint): what a later copy is compared with.
    fingerprint: Mapped[str | None] = mapped_column(Text)

    outlet: Mapped[Outlet | None] = relationship(back_populates="articles", foreign_keys=[outlet_id])
    agency: Mapped[Outlet | None] = relationship(foreign_keys=[agency_id])
    story: Mapped[Story | None] = relationship(back_populates="articles")
    reports: Mapped[list[Report]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Report.position"
    )
    figures: Mapped[list[Figure]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Figure.id"
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Claim.id"
    )

    def __repr__(self) -> str:
        return f"Article({self.source!r}, published={self.published})"


class Story(Base):
    """One agency's story, however many hosts printed it: the articles that are its copies point to it. The
    loader keeps it (app.store.stories): a story goes with its last article."""

    __tablename__ = "story"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("outlet.id"))

    articles: Mapped[list[Article]] = relationship(back_populates="story")
    agency: Mapped[Outlet] = relationship()

    def __repr__(self) -> str:
        return f"Story({self.id}, agency={self.agency_id})"


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    # Newline-separated public sources for the milestone's facts.
    sources: Mapped[str] = mapped_column(Text, default="")

    reports: Mapped[list[Report]] = relationship(back_populates="milestone")

    def __repr__(self) -> str:
        return f"Milestone({self.slug!r}, {self.date})"


class Report(Base):
    """One dated event as one article tells it."""

    __tablename__ = "report"
    __table_args__ = (Index("ix_report_date_article", "date", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id"), index=True)
    position: Mapped[int]  # order within the article
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int]
    span_end: Mapped[int]
    date: Mapped[dt.date | None]
    precision: Mapped[str] = mapped_column(String(10))  # day / week / month / unknown
    basis: Mapped[str | None] = mapped_column(Text)  # the words the date came from
    reasoning: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    speaker: Mapped[str | None] = mapped_column(String(200))

    article: Mapped[Article] = relationship(back_populates="reports")
    milestone: Mapped[Milestone | None] = relationship(back_populates="reports")

    def __repr__(self) -> str:
        return f"Report({self.kind!r}, {self.date}, {self.quote[:30]!r})"


class Figure(Base):
    """A number one sentence gives; it belongs to the reports quoting the same span."""

    __tablename__ = "figure"
    __table_args__ = (Index("ix_figure_article_span", "article_id", "span_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    span_start: Mapped[int]
    span_end: Mapped[int]
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), index=True)  # killed / wounded / violations / ...
    subject: Mapped[str | None] = mapped_column(String(100))
    qualifier: Mapped[str | None] = mapped_column(String(30))
    period: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(String(300))

    article: Mapped[Article] = relationship(back_populates="figures")

    def __repr__(self) -> str:
        return f"Figure({self.value:g} {self.unit})"


class Claim(Base):
    """Who blamed whom in one sentence, by party slug (seeds/parties.toml)."""

    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_article_span", "article_id", "span_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    span_start: Mapped[int]
    span_end: Mapped[int]
    accuser: Mapped[str] = mapped_column(String(40), index=True)
    accused: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(String(300))
    speaker: Mapped[str | None] = mapped_column(String(200))

    article: Mapped[Article] = relationship(back_populates="claims")

    def __repr__(self) -> str:
        return f"Claim({self.accuser} -> {self.accused})"


class ReportCount(Base):
    """How many reports share a date, precision, host outlet, wire agency and kind: the aggregates every page
    shows (coverage strip, facets, totals), kept by the loader in the article's own transaction
    (app.store.counts), so a page sums a few hundred rows instead of counting the report table."""

    __tablename__ = "report_count"
    __table_args__ = (Index("ix_report_count_date_outlet", "date", "outlet_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date | None]  # None: the undated reports
    precision: Mapped[str] = mapped_column(String(10))
    # No foreign keys: a row names the ids its reports' article had; the loader drops it with its last report.
    outlet_id: Mapped[int | None]
    agency_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(40))
    reports: Mapped[int]

    def __repr__(self) -> str:
        return f"ReportCount({self.date}, outlet={self.outlet_id}, {self.kind!r}: {self.reports})"


class DataVersion(Base):
    """One row whose counter moves on every write to the data the pages show (migration 0004's triggers).

    Nothing in Python writes it: the database's own triggers bump it in the writer's transaction, so a reader
    that sees the new counter also sees the commit that moved it. The page cache (app/web/pagecache.py) keys
    on it.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: the one row
    version: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"DataVersion({self.version})"
