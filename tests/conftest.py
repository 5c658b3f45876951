"""Shared fixtures: settings -> engine -> session, and one read-only seeded database per backend.

Every test built on `engine` (so also `session`, `seeded_engine`, `fresh_client`) or on the shared seeded database
(`seeded_settings`, `seeded_reader`, `client`) runs twice, as test_x[sqlite] and test_x[postgresql]: on SQLite and
on PostgreSQL (skipped without TIMELINE_TEST_POSTGRES_URL unless CI is set). A test about SQLite itself (its file,
WAL, PRAGMAs, FTS5) carries `@pytest.mark.sqlite_only` and runs as test_x[sqlite] alone.

Two kinds of database:
- `engine`/`seeded_engine`: a fresh migrated database for this test alone, writable. A test that loads, changes
  or checks how the app guards its own database uses these (and `fresh_client` for a dashboard over it). Each
  starts as a copy of a database migrated (or seeded) once per session: `DatabaseTemplates`.
- `seeded_settings`/`seeded_reader`/`client`: the seeds loaded once per session and backend, then shared by every
  test that only reads. It is opened read-only (SQLite: a `mode=ro` URI; PostgreSQL: the database itself defaults
  every transaction to read-only), and each test's teardown fails if its data version or file moved anyway.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings, settings_from_env
from app.extract.catalog import Catalog
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.store.seedfiles import load_catalog

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SEEDS_DIR = PROJECT_ROOT / "seeds"


BACKENDS = ("sqlite", "postgresql")  # the databases every engine-based test runs on
SQLITE_ONLY = "sqlite_only"  # marker: the test is about SQLite itself (file, WAL, PRAGMA, FTS5)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SQLITE_ONLY}: run only as test_x[sqlite] (the test is about SQLite)")


# The fixtures that open a database: a test using any of them (directly or through another) runs per backend.
DATABASE_FIXTURES = ("engine", "shared_databases")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize every test that opens a database (engine, seeded_engine, client...) by backend."""
    if any(name in metafunc.fixturenames for name in DATABASE_FIXTURES):
        backends = ["sqlite"] if metafunc.definition.get_closest_marker(SQLITE_ONLY) else list(BACKENDS)
        metafunc.parametrize("backend", backends, indirect=True, ids=backends)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database kind of this test: the engine's parameter; SQLite for tests without an engine."""
    return getattr(request, "param", "sqlite")


def template_of(request: pytest.FixtureRequest) -> str | None:
    """The session template a test's fresh database starts as: seeded for `seeded_engine`, migrated for `engine`
    (also through `session`, `fresh_client`...), none (an empty database) for a test that migrates it itself."""
    if "seeded_engine" in request.fixturenames:
        return SEEDED
    return MIGRATED if "engine" in request.fixturenames else None


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for a fresh database; an empty environment so a developer's TIMELINE_* never leaks in.

    The database starts as a copy of the session's template (template_of): a file copy on SQLite, a CREATE
    DATABASE ... TEMPLATE on PostgreSQL, instead of a run of Alembic and a load of the seeds per test."""
    template = template_of(request)
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        file = tmp_path / "timeline.db"
        if template is not None:
            shutil.copyfile(request.getfixturevalue("database_templates").sqlite(template), file)
        url = f"sqlite:///{file}"
    return settings_from_env({}, database_url=url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A migrated engine on settings.database_url: parametrized, so test_x[sqlite] and test_x[postgresql]."""
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(SEEDS_DIR)


@pytest.fixture
def seeded_engine(engine: Engine) -> Engine:
    """The engine with the project's seeds/ loaded by the same loader the CLI uses (into the template it copies)."""
    return engine


# PostgreSQL: optional on a laptop, required in CI (.ci/run starts a server and sets this variable).
POSTGRES_URL_VARIABLE = "TIMELINE_TEST_POSTGRES_URL"


def postgres_server() -> str:
    """The PostgreSQL server's URL from the environment; skips the test without one, fails it in CI."""
    import os

    server = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set; CI runs the PostgreSQL tests")
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests")
    return server


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a throwaway PostgreSQL database, created for this test and dropped after it.

    Empty, or a copy of the session's template when the test takes `engine` or `seeded_engine` (template_of)."""
    from benchmarks.postgres import throwaway_postgres

    template = template_of(request)
    if template is not None:
        template = request.getfixturevalue("database_templates").postgres(template)
    with throwaway_postgres(postgres_server(), "timeline_test", template=template) as url:
        yield url


MIGRATED, SEEDED = "migrated", "seeded"  # the templates: the newest schema; and the seeds loaded into it


class DatabaseTemplates:
    """The template databases of each backend, each built on first use, for tests to start as a copy of."""

    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self._folder = folder
        self._catalog = catalog
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, str] = {}
        self._cleanup = ExitStack()

    def sqlite(self, template: str) -> Path:
        if template not in self._sqlite:
            file = self._folder / f"{template}.db"
            self._fill(f"sqlite:///{file}", template)  # closing checkpoints the WAL: the file alone is the database
            self._sqlite[template] = file
        return self._sqlite[template]

    def postgres(self, template: str) -> str:
        """The template database's name (nobody may stay connected to it, or CREATE DATABASE ... TEMPLATE fails)."""
        if template not in self._postgres:
            from sqlalchemy import make_url

            from benchmarks.postgres import throwaway_postgres

            url = self._cleanup.enter_context(throwaway_postgres(postgres_server(), f"timeline_{template}"))
            self._fill(url, template)
            self._postgres[template] = make_url(url).database
        return self._postgres[template]

    def _fill(self, url: str, template: str) -> None:
        engine = make_engine(url)
        try:
            migrate(engine)
            if template == SEEDED:
                summary = load_paths(engine, [SEEDS_DIR], catalog=self._catalog)
                assert not summary.rejected, summary.rejected
        finally:
            engine.dispose()

    def close(self) -> None:
        self._cleanup.close()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("templates"), catalog)
    yield templates
    templates.close()


# -- one seeded database per backend, shared read-only by the tests that only read ---------------------


@dataclass(frozen=True)
class SharedDatabase:
    """A seeded database built once: the read-only URL tests get, and a private engine that watches it."""

    url: str
    watcher: Engine
    file: Path | None  # the SQLite file, None on PostgreSQL

    def state(self) -> tuple[object, ...]:
        """What a write would move: the data version (triggers move it), and on SQLite the file's size and time."""
        from app.store.engine import data_version

        with self.watcher.connect() as connection:
            version = data_version(connection)
        if self.file is None:
            return (version,)
        stat = self.file.stat()
        return version, stat.st_size, stat.st_mtime_ns


# Loads more articles on top of the seeds into a shared database: (engine, catalog, an empty folder of its own).
AddArticles = Callable[[Engine, Catalog, Path], None]


class SharedDatabases:
    """Builds each shared database (the seeds, plus what `add` loads) on first use; drops them all at the end."""

    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self._folder = folder
        self._catalog = catalog
        self._built: dict[tuple[str, str], SharedDatabase] = {}
        self._cleanup = ExitStack()

    def get(self, backend: str, name: str = "seeds", add: AddArticles | None = None) -> SharedDatabase:
        """The database called `name` on this backend: one name, one content (`add` is used when it is built)."""
        key = (backend, name)
        if key not in self._built:
            folder = self._folder / f"{backend}-{name}"
            folder.mkdir(exist_ok=True)  # a build that skipped (no PostgreSQL server) may have made it
            build = self._build_postgres if backend == "postgresql" else self._build_sqlite
            self._built[key] = build(folder, add)
        return self._built[key]

    def close(self) -> None:
        for shared in self._built.values():
            shared.watcher.dispose()
        self._cleanup.close()

    def _fill(self, url: str, folder: Path, add: AddArticles | None) -> None:
        engine = make_engine(url)
        try:
            migrate(engine)
            summary = load_paths(engine, [SEEDS_DIR], catalog=self._catalog)
            assert not summary.rejected, summary.rejected
            if add is not None:
                add(engine, self._catalog, folder)
        finally:
            engine.dispose()  # on SQLite the last connection closing checkpoints the WAL into the file

    def _build_sqlite(self, folder: Path, add: AddArticles | None) -> SharedDatabase:
        file = folder / "timeline.db"
        self._fill(f"sqlite:///{file}", folder, add)
        # mode=ro: SQLite itself refuses every write through this URL, whatever engine a test makes from it.
        url = f"sqlite:///file:{file}?mode=ro&uri=true"
        return SharedDatabase(url=url, watcher=make_engine(url, read_only=True), file=file)

    def _build_postgres(self, folder: Path, add: AddArticles | None) -> SharedDatabase:
        from sqlalchemy import create_engine, make_url, text

        from benchmarks.postgres import throwaway_postgres

        server = postgres_server()
        url = self._cleanup.enter_context(throwaway_postgres(server, "timeline_shared"))
        self._fill(url, folder, add)
        # From now on every transaction in this database starts read-only, whoever connects and however.
        name = make_url(url).database
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        finally:
            admin.dispose()
        return SharedDatabase(url=url, watcher=make_engine(url, read_only=True), file=None)


@pytest.fixture(scope="session")
def shared_databases(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[SharedDatabases]:
    databases = SharedDatabases(tmp_path_factory.mktemp("shared"), catalog)
    yield databases
    databases.close()


@contextmanager
def shared_settings(databases: SharedDatabases, backend: str, name: str = "seeds",
                    add: AddArticles | None = None) -> Iterator[Settings]:
    """Settings on a shared database (read-only); on leaving, fails the test if the database changed anyway."""
    shared = databases.get(backend, name, add)
    before = shared.state()
    yield settings_from_env({}, database_url=shared.url)
    assert shared.state() == before, f"a test changed the shared read-only database {name!r}: use seeded_engine"


@pytest.fixture
def seeded_settings(backend: str, shared_databases: SharedDatabases) -> Iterator[Settings]:
    """Settings on the shared seeded database of this backend (read-only); fails the test if it wrote anyway."""
    with shared_settings(shared_databases, backend) as settings:
        yield settings


@contextmanager
def read_only_engine(settings: Settings) -> Iterator[Engine]:
    """An engine that only reads, on settings.database_url, disposed on leaving."""
    engine = make_engine(settings.database_url, read_only=True)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def seeded_reader(seeded_settings: Settings) -> Iterator[Engine]:
    """A read-only engine on the shared seeded database, to look at what the pages show."""
    with read_only_engine(seeded_settings) as engine:
        yield engine


# The big database: the seeds and benchmarks/scale.py's synthetic articles (small here), enough for busy days
# that run to several pages and reports with no known outlet.
BIG_EXTRA_ARTICLES = 400
BIG_EXTRA_REPORTS = 2_000


def add_synthetic_corpus(engine: Engine, _catalog: Catalog, _folder: Path) -> None:
    from sqlalchemy import func, select

    from app.store.models import Article, Report
    from benchmarks.scale import add_synthetic

    with Session(engine) as session:
        articles = session.scalar(select(func.count(Article.id)))
        reports = session.scalar(select(func.count(Report.id)))
    add_synthetic(engine, articles + BIG_EXTRA_ARTICLES, reports + BIG_EXTRA_REPORTS)


@pytest.fixture
def big_settings(backend: str, shared_databases: SharedDatabases) -> Iterator[Settings]:
    """Settings on the shared big database of this backend (read-only)."""
    with shared_settings(shared_databases, backend, "big", add_synthetic_corpus) as settings:
        yield settings


@pytest.fixture
def big_reader(big_settings: Settings) -> Iterator[Engine]:
    """A read-only engine on the shared big database."""
    with read_only_engine(big_settings) as engine:
        yield engine


# -- the dashboard: an in-process client and a real server ---------------------------------------

LIVE_SERVER_START_SECONDS = 60  # `timeline serve` migrates and loads the seeds before it listens


class SharedClients:
    """One dashboard app per shared database, started on first use and stopped at the end of the session."""

    def __init__(self) -> None:
        self._clients: dict[str, TestClient] = {}
        self._running = ExitStack()

    def get(self, settings: Settings, **options: object) -> TestClient:
        """The shared app over settings.database_url, its cookies cleared; `options` go to TestClient."""
        if settings.database_url not in self._clients:
            from fastapi.testclient import TestClient

            from app.web.app import create_app

            test_client = TestClient(create_app(settings), **options)
            self._clients[settings.database_url] = self._running.enter_context(test_client)
        test_client = self._clients[settings.database_url]
        test_client.cookies.clear()
        return test_client

    def close(self) -> None:
        self._running.close()


@pytest.fixture(scope="session")
def shared_clients() -> Iterator[SharedClients]:
    clients = SharedClients()
    yield clients
    clients.close()


@pytest.fixture
def client(seeded_settings: Settings, shared_clients: SharedClients) -> Iterator[TestClient]:
    """A TestClient on the app shared by the tests that only read, over the shared seeded database.

    Shared as Datasette's app_client is: its page cache may already hold what a test asks for, which changes
    nothing a test can see since the database never changes. A test about the app's own state (its page cache,
    its templates, dependency overrides) takes `private_client`."""
    test_client = shared_clients.get(seeded_settings)
    yield test_client
    assert not test_client.app.dependency_overrides, "a test left a dependency override on the shared app"


@pytest.fixture
def private_client(seeded_settings: Settings) -> Iterator[TestClient]:
    """A TestClient on a dashboard app of this test's own over the shared seeded database."""
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    with TestClient(create_app(seeded_settings)) as test_client:
        yield test_client


@pytest.fixture
def fresh_client(seeded_engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A TestClient on the dashboard over this test's own seeded database, which the test may change."""
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(folder: Path, database_url: str) -> Iterator[str]:
    """`timeline serve` in a subprocess on a free port over database_url; yields its base URL."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    command = [sys.executable, "-m", "app.cli", "--db", database_url,
               "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LIVE_SERVER_START_SECONDS
    try:
        while True:
            if server.poll() is not None:
                pytest.fail(f"timeline serve exited with {server.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"timeline serve did not answer within {LIVE_SERVER_START_SECONDS}s")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


SERVER_THREAD_START_SECONDS = 30


@contextmanager
def serving(app) -> Iterator[str]:
    """The app under a real uvicorn server, in a thread of this process, on a free port; yields its base URL.

    For tests that need a real server (its sockets, its event loop) over an app they set up themselves."""
    import threading
    import time

    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_THREAD_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server thread did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(SERVER_THREAD_START_SECONDS)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`timeline serve` in a subprocess on a free port over a fresh database; yields its base URL."""
    folder = tmp_path_factory.mktemp("live")
    with running_server(folder, f"sqlite:///{folder / 'timeline.db'}") as base:
        yield base
