"""Writes articles into the database: walk the paths, extract each file, one transaction per article."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.catalog import CATALOGUE_FILES, MANIFEST_FILE, Catalog, load_manifest
from app.db import begin_write
from app.extract.article import extract_article
from app.extract.text import MAX_ARTICLE_BYTES, decode_bytes
from app.extract.types import ExtractedArticle, KnownMeta, RejectedFile
from app.models import Article, Claim, Figure, Milestone, Outlet, Report

FIGURE_TEXT_CHARS = 300  # the column's width; a figure's words are far shorter
CLAIM_TEXT_CHARS = 300
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})  # what a folder walk picks up
# Never read more than this into memory: a bigger file is rejected from its size alone, before it is opened.
MAX_READ_BYTES = MAX_ARTICLE_BYTES
# Another loader on the same database can store the same file between our look and our write (PostgreSQL
# reports it as a unique violation, a vanished row or a deadlock); looking again then finds its work.
CONCURRENT_WRITE_ERRORS = (IntegrityError, StaleDataError, OperationalError)


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    source: str  # the name the article is stored under
    known: KnownMeta | None  # the folder manifest's entry, if any


@dataclass(frozen=True)
class FileResult:
    """What happened to one file; the CLI prints one line per result."""

    source: str
    status: str  # loaded / replaced / unchanged / duplicate / rejected
    detail: str = ""  # the source already holding a duplicate, or the rejection reason
    reports: int = 0  # reports written for this file
    dated: int = 0  # of which carry a date

    def describe(self) -> str:
        """One line for people: "loaded a.txt: 12 reports, 9 dated"."""
        if self.status in ("loaded", "replaced"):
            return f"{self.status} {self.source}: {self.reports} reports, {self.dated} dated"
        if self.status == "duplicate":
            return f"duplicate {self.source}: same content as {self.detail}"
        if self.status == "rejected":
            return f"rejected {self.source}: {self.detail}"
        return f"{self.status} {self.source}"


@dataclass
class LoadSummary:
    loaded: int = 0  # new articles
    replaced: int = 0  # articles whose file changed since the last load
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name, source already holding it)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, one-line reason)
    reports: int = 0  # reports written by this load
    dated: int = 0
    undated: int = 0

    @property
    def articles(self) -> int:
        """Articles written by this load, new or replaced."""
        return self.loaded + self.replaced


Progress = Callable[[FileResult], None]


def load_paths(
    engine: Engine, paths: Iterable[Path | str], *, catalog: Catalog, progress: Progress | None = None
) -> LoadSummary:
    """Sync the catalogue, then load every article file under the paths; bad files are reported, not fatal."""
    sync_catalog(engine, catalog)
    summary = LoadSummary()
    # List everything first: a snapshot, so files written while loading are not chased.
    items = list(iter_article_files(Path(p) for p in paths))
    for item in items:
        result = load_file(engine, item, catalog=catalog, summary=summary)
        if progress is not None:
            progress(result)
    return summary


# -- the catalogue -------------------------------------------------------------------------------


def sync_catalog(engine: Engine, catalog: Catalog) -> None:
    """Upsert outlets and milestones by slug, so reports can link to them."""
    try:
        _sync_catalog(engine, catalog)
    except CONCURRENT_WRITE_ERRORS:  # a second loader inserted the same slugs first: now they are updates
        _sync_catalog(engine, catalog)


def _sync_catalog(engine: Engine, catalog: Catalog) -> None:
    with Session(engine) as session, session.begin():
        begin_write(session)
        outlets = {o.slug: o for o in session.scalars(select(Outlet))}
        for spec in catalog.outlets:
            row = outlets.get(spec.slug) or Outlet(slug=spec.slug)
            row.name, row.homepage, row.description = spec.name, spec.homepage, spec.description
            session.add(row)
        milestones = {m.slug: m for m in session.scalars(select(Milestone))}
        for spec in catalog.milestones:
            row = milestones.get(spec.slug) or Milestone(slug=spec.slug)
            row.date, row.kind, row.title, row.summary = spec.date, spec.kind, spec.title, spec.summary
            row.sources = "\n".join(spec.sources)
            session.add(row)


# -- finding files -------------------------------------------------------------------------------


def iter_article_files(paths: Iterable[Path]) -> Iterator[ArticleFile | FileResult]:
    """Article files under the paths in sorted order; a path that cannot be read yields a rejection."""
    seen_dirs: set[Path] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, path, seen_dirs)
        elif path.is_file():
            if path.name not in CATALOGUE_FILES:
                manifest = yield from _manifest(path.parent, path.parent)
                yield ArticleFile(path, path.name, manifest.get(path.name))
        else:
            yield FileResult(str(path), "rejected", _not_a_file(path) if path.exists() else "no such file or folder")


def _walk(folder: Path, root: Path, seen_dirs: set[Path]) -> Iterator[ArticleFile | FileResult]:
    resolved = folder.resolve()
    if resolved in seen_dirs:  # a symlink loop, or the same folder named twice
        return
    seen_dirs.add(resolved)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield FileResult(_relative(folder, root) or folder.name, "rejected", _reason(exc))
        return
    manifest = yield from _manifest(folder, root)
    for entry in entries:
        if entry.name.startswith("."):  # editor and VCS droppings (.git, .DS_Store), never articles
            continue
        if entry.is_dir():
            yield from _walk(entry, root, seen_dirs)
        elif entry.is_file() and _is_article_name(entry.name):
            yield ArticleFile(entry, _relative(entry, root), manifest.get(entry.name))
        elif _is_article_name(entry.name):  # a broken or looping link, a pipe, a socket: say why it is skipped
            yield FileResult(_relative(entry, root), "rejected", _not_a_file(entry))


def _not_a_file(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        return f"broken link: {_reason(exc)}" if path.is_symlink() else _reason(exc)
    return "not a regular file"


def _is_article_name(name: str) -> bool:
    return name not in CATALOGUE_FILES and Path(name).suffix.lower() in ARTICLE_SUFFIXES


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else ""


def _manifest(folder: Path, root: Path) -> Generator[FileResult, None, dict[str, KnownMeta]]:
    """The folder's manifest; a broken one is reported and its articles load without it."""
    try:
        return load_manifest(folder)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        yield FileResult(_relative(folder / MANIFEST_FILE, root), "rejected", f"bad manifest: {_reason(exc)}")
        return {}


# -- one file ------------------------------------------------------------------------------------


def load_file(engine: Engine, item: ArticleFile | FileResult, *, catalog: Catalog,
              summary: LoadSummary) -> FileResult:
    """Load one file in its own transaction and count the outcome in the summary."""
    if isinstance(item, FileResult):
        result = item
    else:
        try:
            result = _load_article(engine, item, catalog)
        except (RejectedFile, OSError, UnicodeError, IntegrityError, DataError) as exc:
            result = FileResult(item.source, "rejected", _reason(exc))
    _count(summary, result)
    return result


def _load_article(engine: Engine, item: ArticleFile, catalog: Catalog) -> FileResult:
    if not _is_utf8(item.source):  # the databases store names as UTF-8; stray bytes would fail deep in a query
        raise RejectedFile("the file name is not valid UTF-8: rename the file")
    data = _read(item.path)
    digest = hashlib.sha256(data).hexdigest()
    with Session(engine) as session:  # a cheap look first: a reload extracts nothing
        stored = _stored_as(session, item.source, digest)
    if stored is not None:
        return stored
    extracted = _extract(data, item, catalog)  # outside any transaction: no lock is held while it runs
    try:
        return _write(engine, item.source, digest, extracted)
    except CONCURRENT_WRITE_ERRORS:
        return _write(engine, item.source, digest, extracted)


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a POSIX file name arrive as lone surrogates
        return False
    return True


def _stored_as(session: Session, source: str, digest: str) -> FileResult | None:
    """The outcome when the database already holds this content, else None."""
    # One query, so one snapshot: a loader committing in between cannot make a file a duplicate of itself.
    same = or_(Article.source == source, Article.content_hash == digest)
    rows = [tuple(row) for row in session.execute(select(Article.source, Article.content_hash).where(same))]
    if (source, digest) in rows:
        return FileResult(source, "unchanged")
    original = next((name for name, stored_hash in rows if stored_hash == digest), None)
    if original is not None:
        return FileResult(source, "duplicate", original)
    return None


def _write(engine: Engine, source: str, digest: str, extracted: ExtractedArticle) -> FileResult:
    """Write one article and its reports in one transaction, looking again under the write lock."""
    with Session(engine) as session, session.begin():
        begin_write(session)
        # In this order: whatever another loader committed before the first look is seen by the second.
        existing = session.scalar(select(Article).where(Article.source == source))
        stored = _stored_as(session, source, digest)
        if stored is not None:  # another loader got here first
            return stored
        if existing is not None:
            session.delete(existing)
            session.flush()  # free the unique source before the new row claims it
        session.add(_article_row(session, source, digest, extracted))
    status = "loaded" if existing is None else "replaced"
    dated = sum(1 for r in extracted.reports if r.date is not None)
    return FileResult(source, status, reports=len(extracted.reports), dated=dated)


def _read(path: Path) -> bytes:
    size = path.stat().st_size  # before opening: a huge file is never read
    if size > MAX_READ_BYTES:
        raise RejectedFile(f"too large: {size:,} bytes (limit {MAX_READ_BYTES:,})")
    with path.open("rb") as handle:
        data = handle.read(MAX_READ_BYTES + 1)  # bounded, in case the file grew since stat
    if len(data) > MAX_READ_BYTES:
        raise RejectedFile(f"too large: over {MAX_READ_BYTES:,} bytes")
    return data


def _extract(data: bytes, item: ArticleFile, catalog: Catalog) -> ExtractedArticle:
    raw = decode_bytes(data)
    try:
        return extract_article(raw, source=item.source, catalog=catalog, known=item.known)
    except RejectedFile:
        raise
    except Exception as exc:  # one article that trips extraction must not stop the others loading
        raise RejectedFile(f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _article_row(session: Session, source: str, digest: str, extracted: ExtractedArticle) -> Article:
    outlets = _ids_by_slug(session, Outlet)
    milestones = _ids_by_slug(session, Milestone)
    article = Article(
        source=source, content_hash=digest, outlet_id=outlets.get(extracted.outlet or ""),
        title=extracted.title, url=extracted.url, published=extracted.published,
        published_basis=extracted.published_basis, outlet_basis=extracted.outlet_basis,
        text=extracted.text,
    )
    article.reports = [
        Report(
            position=position, quote=r.quote, span_start=r.start, span_end=r.end, date=r.date,
            precision=r.precision, basis=r.basis, reasoning=r.reasoning, kind=r.kind,
            milestone_id=milestones.get(r.milestone or ""), speaker=r.speaker,
        )
        for position, r in enumerate(extracted.reports)
    ]
    article.figures = [
        Figure(span_start=f.start, span_end=f.end, value=f.value, unit=f.unit, subject=f.subject,
               qualifier=f.qualifier, period=f.period, text=f.text[:FIGURE_TEXT_CHARS])
        for f in extracted.figures
    ]
    article.claims = [
        Claim(span_start=c.start, span_end=c.end, accuser=c.accuser, accused=c.accused,
              text=c.text[:CLAIM_TEXT_CHARS], speaker=c.speaker)
        for c in extracted.claims
    ]
    return article


def _ids_by_slug(session: Session, model: type[Outlet] | type[Milestone]) -> dict[str, int]:
    return {slug: id_ for slug, id_ in session.execute(select(model.slug, model.id))}


def _count(summary: LoadSummary, result: FileResult) -> None:
    if result.status == "rejected":
        summary.rejected.append((result.source, result.detail))
    elif result.status == "duplicate":
        summary.duplicates.append((result.source, result.detail))
    elif result.status == "unchanged":
        summary.unchanged += 1
    else:
        summary.loaded += result.status == "loaded"
        summary.replaced += result.status == "replaced"
        summary.reports += result.reports
        summary.dated += result.dated
        summary.undated += result.reports - result.dated


def _reason(exc: BaseException) -> str:
    """A one-line reason for the user: the message itself, not a traceback."""
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc)
    elif isinstance(exc, IntegrityError | DataError):
        text = f"database refused it: {exc.orig}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def has_articles(engine: Engine) -> bool:
    """Whether any article is loaded (serve loads the seeds into an empty database)."""
    with Session(engine) as session:
        return session.scalar(select(Article.id).limit(1)) is not None
