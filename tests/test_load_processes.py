"""The loader as real processes: killed with SIGKILL mid-load, and two of them on one database at once.

Each test writes a folder of small generated articles, loads it once cleanly as the reference, and
compares: which articles exist and how many reports each has (SQL), and the export (`timeline export`).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.store.models import Article, Report

ARTICLES = 500  # enough that a load (batches of 32, with workers) lasts long enough to be killed six times midway
KILL_SEED = 20160912  # the kill points are random but the same on every run
KILL_POINTS = 6  # kills per database before the rerun that completes the load
# A kill waits for up to this many new files; a write batch and the files in flight commit on top of them,
# so six kills stay well short of the whole corpus.
KILL_STRIDE = ARTICLES // (3 * KILL_POINTS)
MAX_KILL_DELAY_S = 0.02  # after the chosen progress line: lands somewhere in the next few files
MID_WRITE_SHARE = 0.5  # the other kills wait until the loader is inside a write transaction
PROBE_PAUSE_S = 0.001  # between looks for a write transaction
PROBE_TIMEOUT_S = 20  # a loader that never writes again has finished: the kill is then "too late"
STARTUP_KILL_S = (0.3, 1.2)  # the first kill, on the fresh database: imports, migration or catalogue sync
ORPHAN_GRACE_S = 10  # a worker notices its loader died at its next read of the pipe
COMMAND_TIMEOUT_S = 120  # a load of the corpus takes seconds; this only stops a hung test

PEOPLE = ("Igor Konashenkov", "Staffan de Mistura", "Sergei Lavrov", "John Kerry", "Maria Zakharova",
          "Samantha Power", "Walid al-Muallem", "Jens Laerke", "Ahmed Ramadan", "Rami Abdulrahman")
PLACES = ("Aleppo", "Homs", "Hama", "Idlib", "Deir ez-Zor", "Daraa", "Latakia", "Douma", "Jobar",
          "Khan Touman", "Urum al-Kubra", "Castello Road")
SENTENCES = (
    "The truce took effect on Monday.",
    "{person} said on Wednesday that the truce was holding in {place}.",
    "Fighting resumed near {place} on Saturday, residents told reporters.",
    "On Friday, the truce was extended by a further 72 hours.",
    "Aid trucks waited at the border near {place} for a third day.",
    "{person} accused the other side of violating the ceasefire in {place} on Thursday.",
    "An airstrike hit army positions near {place} on Saturday, killing soldiers.",
    "The aid convoy was attacked near {place} on Monday evening.",
    "The Syrian army declared the truce over on Monday.",
    "{person} told the Security Council on Sunday that the deal had failed.",
    "Shops in {place} reopened on Tuesday for the first time in weeks.",
    "{person} said the agreement reached in Geneva on Friday would be respected.",
)


def write_corpus(folder: Path, count: int = ARTICLES, seed: int = 1) -> list[str]:
    """count small articles, each different (names, places, order), as folder/article_NNN.txt."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    names = []
    for number in range(count):
        place = rng.choice(PLACES)
        lines = [f"Truce watch {number}: {place}", f"{place}, {rng.randint(13, 26)} September 2016"]
        for template in rng.sample(SENTENCES, rng.randint(3, 8)):
            lines.append(template.format(person=rng.choice(PEOPLE), place=rng.choice(PLACES)))
        name = f"article_{number:03}.txt"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(name)
    return names


def timeline_command() -> list[str]:
    """The installed console script beside this Python, else the module."""
    script = Path(sys.executable).parent / "timeline"
    found = str(script) if script.exists() else shutil.which("timeline")
    return [found] if found else [sys.executable, "-m", "app.cli"]


def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}


def start_load(url: str, *folders: Path, cwd: Path) -> subprocess.Popen[str]:
    # A process group of its own, so what it starts (extraction workers) can be found after it dies.
    return subprocess.Popen([*timeline_command(), "--db", url, "load", *map(str, folders)], cwd=cwd,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def group_outlives(group: int, within_s: float = ORPHAN_GRACE_S) -> bool:
    """Whether any process of the group is still running after within_s seconds."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    return True


def load(url: str, *folders: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*timeline_command(), "--db", url, "load", *map(str, folders)], cwd=cwd,
                          env=child_env(), capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)


def export(url: str, cwd: Path) -> bytes:
    done = subprocess.run([*timeline_command(), "--db", url, "export"], cwd=cwd, env=child_env(),
                          capture_output=True, timeout=COMMAND_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    return done.stdout


def without_ids(exported: bytes) -> object:
    """The export with its row ids dropped: they depend on who inserted first (and on sequences)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id" and not k.endswith("_id")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(exported))


def stored(url: str) -> dict[str, tuple[str, int]]:
    """source -> (content hash, number of reports), straight from the tables."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(Article.source, Article.content_hash, func.count(Report.id))
                .outerjoin(Report, Report.article_id == Article.id).group_by(Article.id)
            ).all()
            orphans = session.scalar(select(func.count()).select_from(Report).where(
                Report.article_id.not_in(select(Article.id))))
    finally:
        engine.dispose()
    assert orphans == 0
    return {source: (digest, count) for source, digest, count in rows}


def has_tables(url: str) -> bool:
    from sqlalchemy import inspect

    engine = create_engine(url)
    try:
        return inspect(engine).has_table("article")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'timeline.db'}"
    return request.getfixturevalue("postgres_url")


@dataclass(frozen=True)
class Reference:
    folder: Path  # the generated articles
    names: list[str]
    export: bytes  # `timeline export` after one clean load
    stored: dict[str, tuple[str, int]]  # source -> (content hash, reports) after that load


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    """The corpus, loaded once cleanly into its own SQLite file by one process."""
    root = tmp_path_factory.mktemp("reference")
    names = write_corpus(root / "corpus")
    url = f"sqlite:///{root / 'reference.db'}"
    done = load(url, root / "corpus", cwd=root)
    assert done.returncode == 0, done.stderr
    return Reference(root / "corpus", names, export(url, root), stored(url))


# -- SIGKILL ------------------------------------------------------------------------------------


def writer_inside(url: str) -> Callable[[], bool]:
    """A probe: is some process inside a write transaction on the database right now?"""
    if url.startswith("sqlite"):
        path = make_url(url).database

        def sqlite_probe() -> bool:
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")  # only fails while another connection holds the write lock
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()

        return sqlite_probe
    engine = create_engine(url, poolclass=NullPool)
    # Inserting or deleting articles holds this lock until the transaction ends.
    query = text("SELECT count(*) FROM pg_locks WHERE relation = 'article'::regclass AND mode = 'RowExclusiveLock'")

    def postgres_probe() -> bool:
        with engine.connect() as connection:
            return connection.scalar(query) > 0

    return postgres_probe


def kill_somewhere(url: str, folder: Path, rng: random.Random, stored_before: int | None, cwd: Path) -> str:
    """Start a load and SIGKILL it at a point chosen by rng (stored_before None: timed from the start)."""
    child = start_load(url, folder, cwd=cwd)
    try:
        if stored_before is None:
            time.sleep(rng.uniform(*STARTUP_KILL_S))
            where = "startup"
        else:
            # One progress line per file, printed after its commit; the stored files come first (sorted order).
            for _ in range(stored_before + rng.randrange(KILL_STRIDE)):
                if not child.stderr.readline():
                    break
            if rng.random() < MID_WRITE_SHARE:
                inside, deadline = writer_inside(url), time.monotonic() + PROBE_TIMEOUT_S
                while not inside() and child.poll() is None and time.monotonic() < deadline:
                    time.sleep(PROBE_PAUSE_S)
                where = "mid-write"
            else:
                time.sleep(rng.uniform(0, MAX_KILL_DELAY_S))
                where = "after a line"
        child.send_signal(signal.SIGKILL)
    finally:
        child.communicate(timeout=COMMAND_TIMEOUT_S)
    assert not group_outlives(child.pid), f"a process of the load killed at {where} is still running"
    return where if child.returncode == -signal.SIGKILL else "too late"


def test_sigkill_at_random_points_leaves_whole_articles_and_a_rerun_completes(db_url, reference, tmp_path):
    rng = random.Random(KILL_SEED)
    kills, found = [], {}
    for number in range(KILL_POINTS):
        kills.append(kill_somewhere(db_url, reference.folder, rng, len(found) if number else None, tmp_path))
        found = stored(db_url) if has_tables(db_url) else {}
        # Every article present is the reference's article, with all of its reports; the rest are absent.
        assert set(found) <= set(reference.stored), kills
        assert {source: reference.stored[source] for source in found} == found, kills
    assert "too late" not in kills and "mid-write" in kills, kills
    assert 0 < len(found) < len(reference.stored), kills
    rerun = load(db_url, reference.folder, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert stored(db_url) == reference.stored
    if db_url.startswith("sqlite"):
        assert export(db_url, tmp_path) == reference.export  # byte for byte: even the row ids match
    else:  # sequences skip the ids of killed transactions
        assert without_ids(export(db_url, tmp_path)) == without_ids(reference.export)


# -- two loaders at once ------------------------------------------------------------------------


def test_two_loaders_at_once_on_overlapping_folders(db_url, reference, tmp_path):
    names = reference.names
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, chosen in ((first, names[:110]), (second, names[40:])):  # 70 files in both
        folder.mkdir()
        for name in chosen:
            shutil.copyfile(reference.folder / name, folder / name)
    loaders = [start_load(db_url, folder, cwd=tmp_path) for folder in (first, second)]  # a fresh database
    outputs = [loader.communicate(timeout=COMMAND_TIMEOUT_S) for loader in loaders]
    for loader, (_, err) in zip(loaders, outputs, strict=True):
        assert loader.returncode == 0, err
        assert all(line.startswith(("loaded ", "unchanged ")) for line in err.splitlines()), err
    new = [int(re.search(r"\((\d+) new", out)[1]) for out, _ in outputs]
    assert sum(new) == len(names), outputs  # each article inserted exactly once
    found = stored(db_url)
    assert found == reference.stored  # the same files are stored under the same names as by one loader
    assert len({digest for digest, _ in found.values()}) == len(found)  # no content stored twice
    assert without_ids(export(db_url, tmp_path)) == without_ids(reference.export)
