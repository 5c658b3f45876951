"""Shared fixtures: settings -> engine -> session, each test on a fresh migrated database.

Every test built on `engine` (so also `session`, `seeded_engine`, `client`) runs twice, as test_x[sqlite]
and test_x[postgresql]: on a fresh SQLite file and on a throwaway PostgreSQL database (`postgres_url`,
skipped without TIMELINE_TEST_POSTGRES_URL unless CI is set). A test about SQLite itself (its file, WAL,
PRAGMAs, FTS5) carries `@pytest.mark.sqlite_only` and runs as test_x[sqlite] alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings, settings_from_env
from app.extract.catalog import Catalog
from app.store.engine import make_engine, migrate
from app.store.loader import load_paths
from app.store.seedfiles import load_catalog

SEEDS_DIR = PROJECT_ROOT / "seeds"


BACKENDS = ("sqlite", "postgresql")  # the databases every engine-based test runs on
SQLITE_ONLY = "sqlite_only"  # marker: the test is about SQLite itself (file, WAL, PRAGMA, FTS5)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SQLITE_ONLY}: run only as test_x[sqlite] (the test is about SQLite)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize every test that uses `engine` (directly or through seeded_engine, client...) by backend."""
    if "engine" in metafunc.fixturenames:
        backends = ["sqlite"] if metafunc.definition.get_closest_marker(SQLITE_ONLY) else list(BACKENDS)
        metafunc.parametrize("backend", backends, indirect=True, ids=backends)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database kind of this test: the engine's parameter; SQLite for tests without an engine."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for a fresh database; an empty environment so a developer's TIMELINE_* never leaks in."""
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'timeline.db'}"
    return settings_from_env({}, database_url=url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A migrated engine on settings.database_url: parametrized, so test_x[sqlite] and test_x[postgresql]."""
    engine = make_engine(settings.database_url)
    migrate(engine)
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
def seeded_engine(engine: Engine, settings: Settings, catalog: Catalog) -> Engine:
    """The engine with the project's seeds/ loaded by the same loader the CLI uses."""
    summary = load_paths(engine, [settings.seeds_dir], catalog=catalog)
    assert not summary.rejected, summary.rejected
    return engine


# PostgreSQL: optional on a laptop, required in CI (.ci/run starts a server and sets this variable).
POSTGRES_URL_VARIABLE = "TIMELINE_TEST_POSTGRES_URL"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a throwaway PostgreSQL database, created for this test and dropped after it."""
    import os

    from benchmarks.postgres import throwaway_postgres

    server = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set; CI runs the PostgreSQL tests")
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests")
    with throwaway_postgres(server, "timeline_test") as url:
        yield url


# -- the dashboard: an in-process client and a real server ---------------------------------------

LIVE_SERVER_START_SECONDS = 60  # `timeline serve` migrates and loads the seeds before it listens


@pytest.fixture
def client(seeded_engine: Engine, settings: Settings) -> Iterator[object]:
    """A TestClient on the dashboard over this test's seeded database."""
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
