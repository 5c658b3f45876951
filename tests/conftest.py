"""Shared fixtures: settings -> engine -> session, each test on a fresh migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.catalog import Catalog, load_catalog
from app.config import PROJECT_ROOT, Settings, settings_from_env
from app.db import make_engine, migrate
from app.load import load_paths

SEEDS_DIR = PROJECT_ROOT / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh SQLite file; an empty environment so a developer's TIMELINE_* never leaks in."""
    return settings_from_env({}, database_url=f"sqlite:///{tmp_path / 'timeline.db'}")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
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
