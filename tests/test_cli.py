"""The installed `timeline` script, run as a real subprocess the way a user runs it.

Where a test is about what the command says to a bad command line or setting (an exit status and one line),
it calls the same main() in this process instead (`main_here`): a new interpreter per command would only add
its start-up time."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import Settings

SEEDS_DIR = Settings().seeds_dir
COMMAND_TIMEOUT_S = 120  # a load of the seeds takes seconds; this only stops a hung test
SERVER_START_TIMEOUT_S = 60  # migrate + load seeds + start uvicorn
ARTICLE = "A plain article about the ceasefire in Syria, long enough to be taken for one.\n"


def timeline_script() -> str:
    """The console script installed next to this Python (pip install -e .)."""
    beside = Path(sys.executable).parent / "timeline"
    found = str(beside) if beside.exists() else shutil.which("timeline")
    if not found:
        pytest.fail("the `timeline` script is not installed: run pip install -e .")
    return found


def run(*args: str, cwd: Path, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    if db:
        env["TIMELINE_DATABASE_URL"] = db
    return subprocess.run([timeline_script(), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT_S)


@pytest.fixture
def main_here(monkeypatch, capsys) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run`, but through app.cli.main in this process: the same environment, folder, exit status and output."""
    from app.cli import main

    def run_main(*args: str, cwd: Path, db: str | None = None,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        for name in [name for name in os.environ if name.startswith("TIMELINE_")]:
            monkeypatch.delenv(name)
        if db:
            monkeypatch.setenv("TIMELINE_DATABASE_URL", db)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors, --version
            status = exit_.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["timeline", *args], status, out, err)

    return run_main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_load_then_export_round_trip(tmp_path, db):
    loaded = run("load", str(SEEDS_DIR), cwd=tmp_path, db=db)
    assert loaded.returncode == 0, loaded.stderr
    assert "5 articles" in loaded.stdout and "0 rejected" in loaded.stdout
    assert loaded.stderr.count("loaded ") == 5  # one progress line per file
    exported = run("export", "--format", "json", cwd=tmp_path, db=db)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert sorted(a["source"] for a in data["articles"]) == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    again = run("load", str(SEEDS_DIR), cwd=tmp_path, db=db)
    assert "5 unchanged" in again.stdout
    assert run("export", cwd=tmp_path, db=db).stdout == exported.stdout


def test_load_with_extraction_processes_exports_the_same(tmp_path):
    alone, pooled = f"sqlite:///{tmp_path / 'alone.db'}", f"sqlite:///{tmp_path / 'pooled.db'}"
    assert run("load", "--jobs", "0", str(SEEDS_DIR), cwd=tmp_path, db=alone).returncode == 0
    loaded = run("load", "--jobs", "2", str(SEEDS_DIR), cwd=tmp_path, db=pooled)
    assert loaded.returncode == 0, loaded.stderr
    assert run("export", cwd=tmp_path, db=pooled).stdout == run("export", cwd=tmp_path, db=alone).stdout


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_jobs_count_is_a_usage_error(tmp_path, db, value, main_here):
    result = main_here("load", "--jobs", value, str(SEEDS_DIR), cwd=tmp_path, db=db)
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_export_to_a_file_and_as_csv(tmp_path, db):
    run("load", str(SEEDS_DIR), cwd=tmp_path, db=db)
    out = tmp_path / "export.json"
    assert run("export", "--output", str(out), cwd=tmp_path, db=db).returncode == 0
    assert out.read_text(encoding="utf-8") == run("export", cwd=tmp_path, db=db).stdout
    csv_text = run("export", "--format", "csv", cwd=tmp_path, db=db).stdout
    assert csv_text.startswith("source,outlet,date,precision,kind,milestone,")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs the /dev/full device (Linux)")
def test_export_to_a_full_disk_is_one_line_and_exit_1(tmp_path, db):
    run("load", str(SEEDS_DIR), cwd=tmp_path, db=db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")} | {"TIMELINE_DATABASE_URL": db}
    with open("/dev/full", "w") as full:
        result = subprocess.run([timeline_script(), "export"], cwd=tmp_path, env=env, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=COMMAND_TIMEOUT_S)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["timeline: error: cannot write the export: No space left on device"]


def test_export_into_a_closed_pipe_is_one_line(tmp_path, db):
    run("load", str(SEEDS_DIR), cwd=tmp_path, db=db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")} | {"TIMELINE_DATABASE_URL": db}
    reader, writer = os.pipe()
    os.close(reader)
    with os.fdopen(writer, "w") as closed:
        result = subprocess.run([timeline_script(), "export"], cwd=tmp_path, env=env, stdout=closed,
                                stderr=subprocess.PIPE, text=True, timeout=COMMAND_TIMEOUT_S)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_db_option_wins_over_the_environment(tmp_path, main_here):
    chosen = tmp_path / "chosen.db"
    result = main_here("--db", f"sqlite:///{chosen}", "migrate", cwd=tmp_path, db=f"sqlite:///{tmp_path / 'env.db'}")
    assert result.returncode == 0, result.stderr
    assert chosen.exists() and not (tmp_path / "env.db").exists()


def test_a_bad_file_is_reported_and_exits_1(tmp_path, db):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run("load", str(folder), cwd=tmp_path, db=db)
    assert result.returncode == 1
    assert any(line.startswith("rejected bad.txt: ") for line in result.stderr.splitlines())
    assert "1 articles" in result.stdout and "1 rejected" in result.stdout
    exported = json.loads(run("export", cwd=tmp_path, db=db).stdout)
    assert [a["source"] for a in exported["articles"]] == ["good.txt"]


def test_two_folders_with_the_same_file_name_load_both_and_a_rerun_is_unchanged(tmp_path, db, capsys):
    from app.cli import main

    for folder, words in (("d1", "first"), ("d2", "second")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"{ARTICLE}The {words} one.\n", encoding="utf-8")
    command = ["--db", db, "load", str(tmp_path / "d1"), str(tmp_path / "d2")]
    assert main(command) == 0
    assert capsys.readouterr().err.splitlines() == ["loaded d1/x.txt: 0 reports, 0 dated",
                                                    "loaded d2/x.txt: 0 reports, 0 dated"]
    assert main(command) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["unchanged d1/x.txt", "unchanged d2/x.txt"]
    assert "0 replaced, 2 unchanged" in out


def test_a_full_disk_prints_the_summary_then_one_line_and_exits_1(tmp_path, db, monkeypatch, capsys):
    from app.cli import main
    from app.store import workers
    from tests.test_load import FULL_DISK_ERRORS, article, fake_extract, fill_the_disk_after

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(article("2016-09-17 other -") + name, encoding="utf-8")
    monkeypatch.setattr(workers, "extract_article", fake_extract)
    fill_the_disk_after(monkeypatch, 2, FULL_DISK_ERRORS["sqlite_full"])
    status = main(["--db", db, "load", str(folder)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.splitlines() == ["2 articles (2 new, 0 replaced, 0 unchanged, 0 duplicate), 2 reports, 2 dated, "
                                "0 undated, 0 rejected"]
    assert err.splitlines() == [
        "loaded a.txt: 1 reports, 1 dated", "loaded b.txt: 1 reports, 1 dated",
        "timeline: error: out of space, the load stopped: database or disk is full; what is reported above is "
        "stored, run the same command again once there is room"]


def test_a_name_with_a_newline_keeps_its_progress_line_whole(tmp_path, db, monkeypatch, capsys):
    from app.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["--db", db, "load", str(folder)]) == 0
    assert capsys.readouterr().err.splitlines() == [r"loaded a\nb.txt: 0 reports, 0 dated"]
    assert main(["--db", db, "load", str(tmp_path / "no\nsuch")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "timeline: error: no such file or folder: " + str(tmp_path) + r"/no\nsuch"]


def test_a_missing_path_is_one_clear_line(tmp_path, db, main_here):
    result = main_here("load", str(tmp_path / "nowhere"), cwd=tmp_path, db=db)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"timeline: error: no such file or folder: {tmp_path / 'nowhere'}"
    ]


@pytest.mark.parametrize("url", ["nonsense", "nosuchdriver://x/y"])
def test_a_bad_database_url_is_one_clear_line(tmp_path, url, main_here):
    result = main_here("--db", url, "migrate", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("timeline: error: bad database URL")


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_a_bad_thread_count_in_the_environment_is_one_clear_line(tmp_path, db, value, main_here):
    result = main_here("export", cwd=tmp_path, db=db, env={"TIMELINE_PAGE_THREADS": value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"timeline: error: TIMELINE_PAGE_THREADS must be a whole number from 1 up, not {value!r}"]


def test_export_without_a_database_does_not_create_one(tmp_path, db, main_here):
    result = main_here("export", cwd=tmp_path, db=db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "timeline: error: no database" in result.stderr
    assert not (tmp_path / "cli.db").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run(cwd=tmp_path).returncode == 2
    assert run("export", "--format", "xml", cwd=tmp_path).returncode == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_migrates_loads_the_seeds_and_answers(tmp_path, db):
    status, output = _serve_and_get("/", cwd=tmp_path, db=db)
    assert status == 200, output
    exported = json.loads(run("export", cwd=tmp_path, db=db).stdout)
    assert len(exported["articles"]) == 5
    assert '"GET / HTTP/1.1" 200' not in output  # no access log unless asked for


def test_serve_with_access_log_logs_each_request(tmp_path, db):
    status, output = _serve_and_get("/healthz", "--access-log", cwd=tmp_path, db=db)
    assert status == 200, output
    assert '"GET /healthz HTTP/1.1" 200' in output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--port", "99999", "must be a port from 1 to 65535, not 99999"),
    ("--port", "65536", "must be a port from 1 to 65535, not 65536"),
    ("--port", "0", "must be a port from 1 to 65535, not 0"),
    ("--port", "-1", "must be a port from 1 to 65535, not -1"),
    ("--port", "eighty", "not a whole number: 'eighty'"),
    ("--workers", "0", "must be 1 or more, not 0"),
])
def test_a_bad_port_or_worker_count_is_a_usage_error_before_anything_starts(tmp_path, db, option, value, message,
                                                                         main_here):
    result = main_here("serve", option, value, cwd=tmp_path, db=db)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"timeline serve: error: argument {option}: {message}"
    assert not (tmp_path / "cli.db").exists()  # refused before migrating, let alone serving


def test_version_is_the_installed_distributions(tmp_path):
    with (Path(__file__).parent.parent / "pyproject.toml").open("rb") as project:
        version = tomllib.load(project)["project"]["version"]
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"timeline {version}\n"


def _serve_and_get(path: str, *options: str, cwd: Path, db: str) -> tuple[int | None, str]:
    """Start `timeline serve` with the options, GET path once it answers, stop it: (status, its output)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    server = subprocess.Popen(
        [timeline_script(), "--db", db, "serve", "--port", str(port), *options], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        status = _wait_for(f"http://127.0.0.1:{port}{path}", server)
    finally:
        server.terminate()
        output = server.communicate(timeout=COMMAND_TIMEOUT_S)[0]
    return status, output


def _wait_for(url: str, server: subprocess.Popen) -> int | None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    return None
