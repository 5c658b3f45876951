"""Writes articles into the database: walk the paths, extract the files (in worker processes for a big load),
write them in batches, each article whole or not at all."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, delete, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.extract.catalog import Catalog
from app.extract.text import MAX_ARTICLE_BYTES
from app.extract.types import ExtractedArticle, KnownMeta, RejectedFile
from app.store.counts import apply_counts, counted, counts_of_articles
from app.store.engine import WRITE_LOCK, begin_write, insert_rows
from app.store.limits import CLAIM_TEXT_CHARS, FIGURE_TEXT_CHARS, OUTLET_NAME_CHARS, SOURCE_CHARS, fit_title, fit_url
from app.store.models import Article, Claim, Figure, Milestone, Outlet, Report
from app.store.seedfiles import CATALOGUE_FILES, MANIFEST_FILE, Manifest, load_manifest
from app.store.stories import assign_stories, copy_of, drop_emptied, stories_of
from app.store.workers import MIN_FILES_FOR_WORKERS, ExtractionPool, Job, Ticket, worker_count

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})  # what a folder walk picks up
# Never read more than this into memory: a bigger file is rejected from its size alone, before it is opened.
MAX_READ_BYTES = MAX_ARTICLE_BYTES
# Another loader on the same database can store the same file between our look and our write (PostgreSQL
# reports it as a unique violation, a vanished row or a deadlock); looking again then finds its work.
CONCURRENT_WRITE_ERRORS = (IntegrityError, StaleDataError, OperationalError)
# Articles per write transaction in a big load: one commit (and one lock) for many small inserts.
WRITE_BATCH = 32
# No room left: on the disk or a quota (OSError), in SQLite's file (SQLITE_FULL), on PostgreSQL's (disk_full).
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
SQLITE_FULL_CODE = 13
SQLITE_FULL_MESSAGE = "database or disk is full"
POSTGRES_DISK_FULL_STATE = "53100"


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
    notes: tuple[str, ...] = ()  # what of a written file could not be stored as it was

    def describe(self) -> str:
        """One line for people: "loaded a.txt: 12 reports, 9 dated"; a newline in a name shows as \\n."""
        source, detail = shown(self.source), shown(self.detail)
        if self.status in ("loaded", "replaced"):
            notes = "".join(f"; {note}" for note in self.notes)
            return f"{self.status} {source}: {self.reports} reports, {self.dated} dated{notes}"
        if self.status == "duplicate":
            return f"duplicate {source}: same content as {detail}"
        if self.status == "rejected":
            return f"rejected {source}: {detail}"
        return f"{self.status} {source}"


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
    stopped: str | None = None  # why the load ended early (no room left); everything counted is committed

    @property
    def articles(self) -> int:
        """Articles written by this load, new or replaced."""
        return self.loaded + self.replaced


Progress = Callable[[FileResult], None]


def load_paths(
    engine: Engine, paths: Iterable[Path | str], *, catalog: Catalog, progress: Progress | None = None,
    jobs: int | None = None, follow_links: bool = False,
) -> LoadSummary:
    """Sync the catalogue, then load every article file under the paths; bad files are reported, not fatal.

    jobs: extraction processes (None: one per core for a load big enough to gain from them; 0: none).
    follow_links: also follow symbolic links that lead out of the folders given (never by default).

    When the disk fills, the load stops at once: the summary counts what was committed before, and its
    `stopped` says why (every other error on one file rejects that file only)."""
    summary = LoadSummary()
    try:
        _load(engine, [Path(p) for p in paths], catalog, summary, progress, jobs, follow_links)
    except (OperationalError, OSError) as exc:
        if not is_disk_full(exc):
            raise
        summary.stopped = _reason(getattr(exc, "orig", None) or exc)
    return summary


def _load(engine: Engine, paths: list[Path], catalog: Catalog, summary: LoadSummary, progress: Progress | None,
          jobs: int | None, follow_links: bool) -> None:
    sync_catalog(engine, catalog)
    # List everything first: a snapshot, so files written while loading are not chased.
    items = list(iter_article_files(paths, follow_links=follow_links))
    processes = worker_count(len(items), jobs)
    # A small load goes file by file: each one's line is printed as soon as it is written.
    batch = WRITE_BATCH if processes or len(items) >= MIN_FILES_FOR_WORKERS else 1
    with ExtractionPool(catalog, processes) as pool:
        for result in _results(engine, items, pool, batch):
            _count(summary, result)
            if progress is not None:
                progress(result)


def is_disk_full(exc: BaseException) -> bool:
    """Whether the error says there is no room left to write, whichever layer noticed."""
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's own error
    if isinstance(cause, OSError):
        return cause.errno in DISK_FULL_ERRNOS
    return (getattr(cause, "sqlite_errorcode", None) == SQLITE_FULL_CODE or SQLITE_FULL_MESSAGE in str(cause)
            or getattr(cause, "sqlstate", None) == POSTGRES_DISK_FULL_STATE)


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
            row.country, row.agency, row.catalogued, row.basis = spec.country, spec.agency, True, None
            session.add(row)
        milestones = {m.slug: m for m in session.scalars(select(Milestone))}
        for spec in catalog.milestones:
            row = milestones.get(spec.slug) or Milestone(slug=spec.slug)
            row.date, row.kind, row.title, row.summary = spec.date, spec.kind, spec.title, spec.summary
            row.sources = "\n".join(spec.sources)
            session.add(row)


# -- finding files -------------------------------------------------------------------------------


def iter_article_files(paths: Iterable[Path], *, follow_links: bool = False) -> Iterator[ArticleFile | FileResult]:
    """Article files under the paths in sorted order; a path that cannot be read yields a rejection.

    Names are relative to the closest folder holding every path given (a file counts as its folder): one
    folder's files keep their plain names, and d1/x.txt and d2/x.txt stay apart. The same file named twice (a
    file and a folder holding it, or the same path twice) is listed once.

    A link inside a folder that leads out of it is not followed (it could serve any file of the machine)
    unless follow_links is set; a path named on the command line is the user's choice and is followed."""
    paths = list(paths)
    base = _names_base(paths)
    listed: set[str] = set()
    for item in _list(paths, base, follow_links):
        # Names are lexical paths below one base, so one name is one file: a second sighting adds nothing.
        if item.source not in listed:
            listed.add(item.source)
            yield item


def _names_base(paths: list[Path]) -> Path:
    folders = [_lexical(path) if path.is_dir() else _lexical(path).parent for path in paths]
    return Path(os.path.commonpath(folders)) if folders else Path.cwd()


def _lexical(path: Path) -> Path:
    """The path as written, made absolute, '.' and '..' folded without following links: what the user named."""
    return Path(os.path.normpath(path.absolute()))


def _list(paths: list[Path], base: Path, follow_links: bool) -> Iterator[ArticleFile | FileResult]:
    seen_dirs: set[Path] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, _names(path, base), seen_dirs, None if follow_links else path.resolve())
        elif path.is_file():
            if path.name not in CATALOGUE_FILES:
                names = _names(path.parent, base)
                manifest = yield from _manifest(path.parent, names)
                yield _article_file(path, names.of(path), manifest)
        else:
            yield FileResult(str(path), "rejected", _not_a_file(path) if path.exists() else "no such file or folder")


def _names(folder: Path, base: Path) -> Names:
    below = _lexical(folder).relative_to(base)
    return Names(folder, "" if below == Path(".") else below.as_posix())


@dataclass(frozen=True)
class Names:
    """How the files under one path given are named: their path below it, after its own name below the base."""

    root: Path  # the path given
    prefix: str  # its name below the base; "" when it is the base

    def of(self, path: Path) -> str:
        below = path.relative_to(self.root).as_posix() if path != self.root else ""
        return "/".join(part for part in (self.prefix, below) if part)


def _walk(folder: Path, names: Names, seen_dirs: set[Path], fence: Path | None) -> Iterator[ArticleFile | FileResult]:
    resolved = folder.resolve()
    if resolved in seen_dirs:  # a symlink loop, or the same folder named twice
        return
    seen_dirs.add(resolved)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield FileResult(names.of(folder) or folder.name, "rejected", _reason(exc))
        return
    manifest = yield from _manifest(folder, names)
    for entry in entries:
        if entry.name.startswith("."):  # editor and VCS droppings (.git, .DS_Store), never articles
            continue
        if fence is not None and entry.is_symlink() and not _inside(entry, fence):
            if entry.is_dir() or _is_article_name(entry.name):
                yield FileResult(names.of(entry), "rejected",
                                 "a link out of the folder given: not followed (--follow-links follows it)")
            continue
        if entry.is_dir():
            yield from _walk(entry, names, seen_dirs, fence)
        elif entry.is_file() and _is_article_name(entry.name):
            yield _article_file(entry, names.of(entry), manifest)
        elif _is_article_name(entry.name):  # a broken or looping link, a pipe, a socket: say why it is skipped
            yield FileResult(names.of(entry), "rejected", _not_a_file(entry))


def _article_file(path: Path, name: str, manifest: Manifest) -> ArticleFile | FileResult:
    """The file with its manifest entry. A file whose entry is wrong is rejected rather than loaded without it:
    its content would then be stored, and a rerun after the entry is put right would find it unchanged."""
    if path.name in manifest.bad:
        return FileResult(name, "rejected", f"bad entry in {MANIFEST_FILE}: {manifest.bad[path.name]}")
    return ArticleFile(path, name, manifest.entries.get(path.name))


def _inside(link: Path, fence: Path) -> bool:
    try:
        return link.resolve().is_relative_to(fence)
    except (OSError, RuntimeError):  # a loop: the walk reports it as a broken link
        return True


def _not_a_file(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        return f"broken link: {_reason(exc)}" if path.is_symlink() else _reason(exc)
    return "not a regular file"


def _is_article_name(name: str) -> bool:
    return name not in CATALOGUE_FILES and Path(name).suffix.lower() in ARTICLE_SUFFIXES


def _manifest(folder: Path, names: Names) -> Generator[FileResult, None, Manifest]:
    """The folder's manifest; a broken one is reported and its articles load without it."""
    try:
        return load_manifest(folder)
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        yield FileResult(names.of(folder / MANIFEST_FILE), "rejected", f"bad manifest: {_reason(exc)}")
        return Manifest()


# -- the pipeline: read and look, extract (in workers), write in batches ----------------------------


@dataclass(frozen=True)
class Extracted:
    """An article ready to write."""

    source: str
    digest: str
    article: ExtractedArticle
    notes: tuple[str, ...] = ()  # what was changed to fit the columns


@dataclass(frozen=True)
class Pending:
    """An article submitted for extraction."""

    source: str
    digest: str
    ticket: Ticket


Entry = FileResult | Extracted  # in a batch: settled already, or still to write


def _results(engine: Engine, items: list[ArticleFile | FileResult], pool: ExtractionPool,
             batch: int) -> Iterator[FileResult]:
    """Every item's outcome, in the items' order. While workers extract the next files, this process reads
    files ahead, `batch` at a time, and writes the extracted ones, `batch` articles to a transaction."""
    submitted: deque[Pending | FileResult] = deque()
    ready: list[Entry] = []
    for start in range(0, len(items), batch):
        submitted.extend(_submit(engine, items[start:start + batch], pool))
        while len(submitted) > pool.window or (not pool.window and submitted):
            ready.append(_collect(submitted.popleft(), pool))
            if len(ready) >= batch:
                yield from _write_batch(engine, ready)
                ready = []
    while submitted:
        ready.append(_collect(submitted.popleft(), pool))
        if len(ready) >= batch:
            yield from _write_batch(engine, ready)
            ready = []
    yield from _write_batch(engine, ready)


def _submit(engine: Engine, items: list[ArticleFile | FileResult], pool: ExtractionPool
            ) -> list[Pending | FileResult]:
    """Read the files and look them up: one already stored (or unreadable) is settled without extracting."""
    read: list[tuple[ArticleFile, bytes, str] | FileResult] = [_read_file(item) for item in items]
    files = [entry for entry in read if not isinstance(entry, FileResult)]
    if not files:
        return read  # type: ignore[return-value]
    with engine.connect() as connection:  # a cheap look first: a reload extracts nothing
        stored = Stored.look_up(connection, [(item.source, digest) for item, _, digest in files])
    submitted: list[Pending | FileResult] = []
    for entry in read:
        if isinstance(entry, FileResult):
            submitted.append(entry)
            continue
        item, data, digest = entry
        settled = stored.outcome(item.source, digest)
        submitted.append(settled or Pending(item.source, digest, pool.submit(Job(data, item.source, item.known))))
    return submitted


def _read_file(item: ArticleFile | FileResult) -> tuple[ArticleFile, bytes, str] | FileResult:
    if isinstance(item, FileResult):
        return item
    try:
        if not _is_utf8(item.source):  # the databases store names as UTF-8; stray bytes would fail in a query
            raise RejectedFile("the file name is not valid UTF-8: rename the file")
        if len(item.source) > SOURCE_CHARS:  # a cut name would no longer find its file
            raise RejectedFile(f"the name is {len(item.source):,} characters, over the limit of {SOURCE_CHARS}: "
                               "rename the file or load a folder nearer to it")
        data = _read(item.path)
    except (RejectedFile, OSError) as exc:
        return FileResult(item.source, "rejected", _reason(exc))
    return item, data, hashlib.sha256(data).hexdigest()


def _collect(entry: Pending | FileResult, pool: ExtractionPool) -> Entry:
    if isinstance(entry, FileResult):
        return entry
    outcome = pool.result(entry.ticket)
    if isinstance(outcome, RejectedFile):
        return FileResult(entry.source, "rejected", _reason(outcome))
    return _fitted(Extracted(entry.source, entry.digest, outcome))


def _fitted(extracted: Extracted) -> Extracted:
    """The article with its title and URL fitted to their columns, so both databases store the same."""
    url, note = fit_url(extracted.article.url)
    article = dataclasses.replace(extracted.article, title=fit_title(extracted.article.title), url=url)
    return dataclasses.replace(extracted, article=article, notes=(note,) if note else ())


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a POSIX file name arrive as lone surrogates
        return False
    return True


def _read(path: Path) -> bytes:
    size = path.stat().st_size  # before opening: a huge file is never read
    if size > MAX_READ_BYTES:
        raise RejectedFile(f"too large: {size:,} bytes (limit {MAX_READ_BYTES:,})")
    with path.open("rb") as handle:
        data = handle.read(MAX_READ_BYTES + 1)  # bounded, in case the file grew since stat
    if len(data) > MAX_READ_BYTES:
        raise RejectedFile(f"too large: over {MAX_READ_BYTES:,} bytes")
    return data


# -- writing ---------------------------------------------------------------------------------------


def _write_batch(engine: Engine, entries: list[Entry]) -> Iterator[FileResult]:
    """The entries' outcomes in order, the extracted ones written in one transaction. When that transaction
    fails (another loader's write in between, or a value one database refuses), each is written alone, so
    one bad article is rejected by name and the others still load."""
    articles = [e for e in entries if isinstance(e, Extracted)]
    written: Iterator[FileResult] = iter(())
    if articles:
        try:
            written = iter(_write(engine, articles))
        except (*CONCURRENT_WRITE_ERRORS, DataError) as exc:
            if is_disk_full(exc):  # one at a time would not fit either
                raise
            # Lazily: each is reported once it is committed, so an error that stops the load loses no report.
            written = (_write_alone(engine, article) for article in articles)
    for entry in entries:
        yield next(written) if isinstance(entry, Extracted) else entry


def _write_alone(engine: Engine, article: Extracted) -> FileResult:
    try:
        try:
            return _write(engine, [article])[0]
        except CONCURRENT_WRITE_ERRORS as exc:  # another loader stored it meanwhile: looking again finds its work
            if is_disk_full(exc):
                raise
            return _write(engine, [article])[0]
    except (IntegrityError, DataError) as exc:
        return FileResult(article.source, "rejected", _reason(exc))


def _write(engine: Engine, articles: list[Extracted]) -> list[FileResult]:
    """Write the articles and their reports in one transaction, looking again under the write lock: whatever
    another loader committed since the first look is seen now."""
    with engine.connect() as connection, connection.execution_options(**{WRITE_LOCK: True}).begin():
        stored = Stored.look_up(connection, [(a.source, a.digest) for a in articles])
        results: list[FileResult] = []
        new: list[Extracted] = []
        replaced: list[int] = []
        for article in articles:
            settled = stored.outcome(article.source, article.digest)  # another loader got here first
            if settled is None:
                status = "loaded"
                if article.source in stored.ids:
                    replaced.append(stored.ids[article.source])
                    status = "replaced"
                stored.record(article.source, article.digest)
                new.append(article)
                dated = sum(1 for r in article.article.reports if r.date is not None)
                settled = FileResult(article.source, status, reports=len(article.article.reports), dated=dated,
                                     notes=article.notes)
            results.append(settled)
        if replaced:  # the files changed: their reports, figures and claims go too (ON DELETE CASCADE)
            _delete_articles(connection, replaced)
        if new:
            _insert_articles(connection, new)
    return results


def remove_articles(engine: Engine, sources: Sequence[str]) -> int:
    """Delete the articles stored under these names, with their reports, figures, claims and counts; how many
    there were (a name nothing is stored under is no error)."""
    with engine.connect() as connection, connection.execution_options(**{WRITE_LOCK: True}).begin():
        ids = connection.scalars(select(Article.id).where(Article.source.in_(list(sources)))).all()
        _delete_articles(connection, ids)
    return len(ids)


def _delete_articles(connection: Connection, article_ids: Sequence[int]) -> None:
    """The articles go (their reports, figures and claims by ON DELETE CASCADE), their counts with them, and
    any wire story left without a copy."""
    if not article_ids:
        return
    gone = counts_of_articles(connection, article_ids)
    stories = stories_of(connection, article_ids)
    connection.execute(delete(Article).where(Article.id.in_(article_ids)))
    drop_emptied(connection, stories)
    apply_counts(connection, Counter({key: -n for key, n in gone.items()}))


def _insert_articles(connection: Connection, articles: list[Extracted]) -> None:
    """All the articles in one statement, then all their reports, figures and claims in one each."""
    outlets = _add_publishers(connection, articles, _ids_by_slug(connection, Outlet))
    milestones = _ids_by_slug(connection, Milestone)
    stories = _wire_stories(connection, articles, outlets)
    ids = connection.execute(insert(Article).returning(Article.id, sort_by_parameter_order=True), [
        {"source": a.source, "content_hash": a.digest, "outlet_id": outlets.get(a.article.outlet or ""),
         "title": a.article.title, "url": a.article.url, "published": a.article.published,
         "published_basis": a.article.published_basis, "outlet_basis": a.article.outlet_basis,
         "agency_id": outlets.get(a.article.agency or ""), "agency_basis": a.article.agency_basis,
         "text": a.article.text, "story_id": story, "fingerprint": packed}
        for a, (story, packed) in zip(articles, stories, strict=True)
    ]).scalars().all()
    written = [(article_id, a.article) for article_id, a in zip(ids, articles, strict=True)]
    apply_counts(connection, counted(
        (r.date, r.precision, outlets.get(a.article.outlet or ""), outlets.get(a.article.agency or ""), r.kind)
        for a in articles for r in a.article.reports
    ))
    insert_rows(connection, Report, [
        {"article_id": article_id, "position": position, "quote": r.quote, "span_start": r.start,
         "span_end": r.end, "date": r.date, "precision": r.precision, "basis": r.basis, "reasoning": r.reasoning,
         "kind": r.kind, "milestone_id": milestones.get(r.milestone or ""), "speaker": r.speaker}
        for article_id, extracted in written for position, r in enumerate(extracted.reports)
    ])
    insert_rows(connection, Figure, [
        {"article_id": article_id, "span_start": f.start, "span_end": f.end, "value": f.value, "unit": f.unit,
         "subject": f.subject, "qualifier": f.qualifier, "period": f.period, "text": f.text[:FIGURE_TEXT_CHARS]}
        for article_id, extracted in written for f in extracted.figures
    ])
    insert_rows(connection, Claim, [
        {"article_id": article_id, "span_start": c.start, "span_end": c.end, "accuser": c.accuser,
         "accused": c.accused, "text": c.text[:CLAIM_TEXT_CHARS], "speaker": c.speaker}
        for article_id, extracted in written for c in extracted.claims
    ])


def _wire_stories(connection: Connection, articles: list[Extracted], outlets: dict[str, int]
                  ) -> list[tuple[int | None, str | None]]:
    """Each article's wire story and fingerprint; (None, None) for one running no agency's copy."""
    found: list[tuple[int, tuple]] = []
    for index, a in enumerate(articles):
        agency = outlets.get(a.article.agency or "")
        if agency is not None:
            found.append((index, copy_of(agency, a.article.published, a.article.text)))
    stories: list[tuple[int | None, str | None]] = [(None, None)] * len(articles)
    assigned = assign_stories(connection, [copy for _, (copy, _) in found])
    for (index, (_, packed)), story in zip(found, assigned, strict=True):
        stories[index] = (story, packed)
    return stories


def _add_publishers(connection: Connection, articles: list[Extracted], outlets: dict[str, int]) -> dict[str, int]:
    """Publishers outside the catalogue that these articles' own marks name: one row each, flagged as not
    catalogued, with the marks that named it. A slug another loader has just added is left as it is."""
    new = {a.article.outlet: a.article for a in articles
           if a.article.outlet and a.article.outlet_name and a.article.outlet not in outlets}
    if not new:
        return outlets
    rows = [{"slug": slug, "name": article.outlet_name[:OUTLET_NAME_CHARS], "homepage": _homepage(article.url),
             "catalogued": False, "basis": article.outlet_basis} for slug, article in new.items()]
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(dialect_insert(Outlet).on_conflict_do_nothing(index_elements=["slug"]), rows)
    return _ids_by_slug(connection, Outlet)


def _homepage(url: str | None) -> str | None:
    parts = urlsplit(url) if url else None
    return f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme in ("http", "https") and parts.netloc else None


@dataclass
class Stored:
    """What the database holds under some file names and contents: enough to settle those files."""

    ids: dict[str, int]  # source -> article id
    digests: dict[str, str]  # source -> content hash
    sources: dict[str, str]  # content hash -> source

    @classmethod
    def look_up(cls, connection: Connection, files: list[tuple[str, str]]) -> Stored:
        """The stored articles with any of these (source, content hash) pairs' names or contents."""
        # One query, so one snapshot: a loader committing in between cannot make a file a duplicate of itself.
        sources, digests = [s for s, _ in files], [d for _, d in files]
        rows = connection.execute(select(Article.id, Article.source, Article.content_hash).where(
            or_(Article.source.in_(sources), Article.content_hash.in_(digests)))).all()
        return cls({s: i for i, s, _ in rows}, {s: d for _, s, d in rows}, {d: s for _, s, d in rows})

    def outcome(self, source: str, digest: str) -> FileResult | None:
        """unchanged or duplicate when the content is stored already; None when the file is to be written."""
        if self.digests.get(source) == digest:
            return FileResult(source, "unchanged")
        if digest in self.sources:
            return FileResult(source, "duplicate", self.sources[digest])
        return None

    def record(self, source: str, digest: str) -> None:
        """The file is being written (replacing what its name held): later files in the batch see it."""
        old = self.digests.pop(source, None)
        if old is not None:
            self.sources.pop(old, None)
        self.ids.pop(source, None)
        self.digests[source], self.sources[digest] = digest, source


def _ids_by_slug(connection: Connection, model: type[Outlet] | type[Milestone]) -> dict[str, int]:
    return {slug: id_ for slug, id_ in connection.execute(select(model.slug, model.id))}


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


def shown(text: str) -> str:
    """The text fit for one line of a terminal, for names that may hold anything a file name can: characters
    that would break the line, move the cursor or hide (controls, format marks, separators, the stray bytes of
    a name that is not UTF-8) are written as Python escapes, and a backslash doubled so that a name holding a
    real backslash and an 'n' never looks like one holding a newline. Only the display changes: the name
    stored is the real one."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(char if char.isprintable() and char != "\\" else repr(char)[1:-1] for char in text)


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
