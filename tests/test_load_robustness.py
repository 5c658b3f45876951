"""A folder of the files scraped pages really produce: each loads correctly or is rejected in one line.

The same zoo goes through load_paths and through the real `timeline load` command; in both, the good
files load whatever the bad ones do.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.queries.export import export_data, to_json
from app.store.loader import MAX_READ_BYTES, load_paths
from app.store.models import Article, Report

COMMAND_TIMEOUT_S = 120  # a load of a dozen files takes seconds; this only stops a hung test
PAUSE_TIMEOUT_S = 30  # how long to wait for the loader to reach its first file
HUGE_BYTES = 50 * 1024 * 1024  # "a 50 MB file": written sparse, so it costs no disk

STORY = (
    "Aleppo, 14 September 2016\n"
    "The truce took effect on Monday at sundown, officials in Damascus said. "
    "On Wednesday, the truce was extended by 48 hours. Café owners reopened — cautiously.\n"
)
HTML_PAGE = """<!doctype html><html><head><title>Truce holds in Aleppo | Example News</title>
<meta property="article:published_time" content="2016-09-14T10:00:00Z">
<script>var teaser = "The truce collapsed on Friday."; document.write("<p>advert</p>");</script>
<style>p { color: red }</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li>World</li><li>The ceasefire ended on Sunday.</li></ul></nav>
<header>Menu Search Subscribe</header>
<article><h1>Truce holds in Aleppo</h1>
<p>The truce took effect on Monday at sundown, officials in Damascus said.</p>
<script>trackPageView("The convoy was attacked on Tuesday");</script>
<p>On Wednesday, Russia and the United States agreed to extend it by 48 hours.</p>
</article>
<aside>READ MORE: Related story about Yemen on Saturday</aside>
<footer>Copyright 2016. The airstrike happened on Saturday.</footer>
<script src="/app.js"></script></body></html>
"""
PAGE_JUNK = ("document.write", "advert", "collapsed on Friday", "ended on Sunday", "Subscribe", "trackPageView",
             "convoy was attacked", "Copyright", "Yemen")
NON_ASCII_NAME = "Bericht über Homs — تقرير 2.txt"
BAD_NAME = b"bad\xff name.txt"  # not UTF-8: POSIX allows any bytes in a name
FIRST = "0-first.txt"  # sorts first: the trigger for the vanishing file
VANISHING = "zz vanishes.txt"  # sorts last: deleted once the load is under way


@dataclass(frozen=True)
class Expect:
    """What must happen to one file: loaded with these phrases in its text, or rejected for this reason."""

    loaded: tuple[str, ...] = ()
    reason: str | None = None  # a part of the one-line reason
    either: bool = False  # loading it correctly or rejecting it are both right


def build_zoo(folder: Path) -> dict[str, Expect]:
    """Write the zoo into folder; returns what must happen to each name."""
    folder.mkdir()
    files: dict[str, bytes] = {
        FIRST: STORY.encode(),
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        # A download cut in the middle of "—": nothing after the cut may appear as other letters.
        "truncated utf-8.txt": (STORY + "Then — more").encode()[:-7],
        "latin-1.txt": STORY.replace("—", "-").replace("Café", "Café, señor").encode("latin-1"),
        "utf-16.txt": STORY.encode("utf-16"),  # Python writes the BOM
        "page.html": HTML_PAGE.encode(),
        NON_ASCII_NAME: STORY.replace("Monday", "Monday in Homs").encode(),
        VANISHING: STORY.replace("Aleppo", "Idlib").encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(HUGE_BYTES)
    (folder / "loop").symlink_to(".", target_is_directory=True)  # a folder that contains itself
    (folder / "self.txt").symlink_to("self.txt")  # a link to itself
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    with open(os.path.join(os.fsencode(folder), BAD_NAME), "wb") as handle:
        handle.write(STORY.encode())
    return {
        FIRST: Expect(loaded=("took effect on Monday",)),
        "empty.txt": Expect(reason="empty file"),
        "blank.txt": Expect(reason="empty file"),
        "binary.txt": Expect(reason="binary data, not text"),
        "truncated utf-8.txt": Expect(loaded=("Café owners reopened — cautiously.",), reason="", either=True),
        "latin-1.txt": Expect(loaded=("Café, señor owners",)),
        "utf-16.txt": Expect(loaded=("Café owners reopened — cautiously.",)),
        "page.html": Expect(loaded=("took effect on Monday", "extend it by 48 hours")),
        NON_ASCII_NAME: Expect(loaded=("Monday in Homs",)),
        "huge.txt": Expect(reason=f"too large: {HUGE_BYTES:,} bytes (limit {MAX_READ_BYTES:,})"),
        "self.txt": Expect(reason="broken link: Too many levels of symbolic links"),
        "dangling.txt": Expect(reason="broken link: No such file or directory"),
        os.fsdecode(BAD_NAME): Expect(reason="the file name is not valid UTF-8"),
        VANISHING: Expect(reason="No such file or directory"),
    }


def check_outcomes(expected: dict[str, Expect], rejected: dict[str, str], texts: dict[str, str]) -> None:
    """Every file is accounted for: loaded with the right text, or rejected for the right one-line reason."""
    assert set(rejected) | set(texts) == set(expected)
    assert not set(rejected) & set(texts)
    for name, expect in expected.items():
        if name in rejected:
            reason = rejected[name]
            assert reason and "\n" not in reason and "Traceback" not in reason, (name, reason)
            assert expect.reason is not None and expect.reason in reason, (name, reason)
        else:
            assert expect.loaded, f"{name} should have been rejected ({expect.reason})"
            for phrase in expect.loaded:
                assert phrase in texts[name], (name, texts[name])
            assert "\ufffd" not in texts[name] and "Ã" not in texts[name], (name, texts[name])
        if not expect.either:
            assert (name in texts) == bool(expect.loaded), name


def stored_texts(engine) -> dict[str, str]:
    with Session(engine) as session:
        return {source: text for source, text in session.execute(select(Article.source, Article.text))}


def test_the_zoo_through_load_paths(engine, catalog, tmp_path, monkeypatch):
    expected = build_zoo(tmp_path / "zoo")
    opened: list[str] = []
    real_open = Path.open

    def spy_open(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    def vanish(result):
        if result.source == FIRST:
            (tmp_path / "zoo" / VANISHING).unlink()

    monkeypatch.setattr(Path, "open", spy_open)
    summary = load_paths(engine, [tmp_path / "zoo"], catalog=catalog, progress=vanish)
    check_outcomes(expected, dict(summary.rejected), stored_texts(engine))
    assert "huge.txt" not in opened  # rejected from its size, never read
    with Session(engine) as session:
        page_quotes = session.scalars(
            select(Report.quote).join(Report.article).where(Article.source == "page.html")
        ).all()
        page_text = session.scalar(select(Article.text).where(Article.source == "page.html"))
    assert page_quotes and not any(junk in q for q in page_quotes for junk in PAGE_JUNK)
    assert not any(junk in page_text for junk in PAGE_JUNK)


def test_a_reload_of_the_zoo_changes_nothing(engine, catalog, tmp_path):
    build_zoo(tmp_path / "zoo")
    first = load_paths(engine, [tmp_path / "zoo"], catalog=catalog)
    with Session(engine) as session:
        before = to_json(export_data(session))
    again = load_paths(engine, [tmp_path / "zoo"], catalog=catalog)
    with Session(engine) as session:
        after = to_json(export_data(session))
    assert again.articles == 0 and again.unchanged == first.articles
    assert again.rejected == first.rejected
    assert after == before


def test_utf8_cut_after_plain_ascii_is_not_read_as_latin1(engine, catalog, tmp_path):
    # All ASCII but for the last, cut character: Latin-1 decodes the stray lead byte as "Ã".
    (tmp_path / "cut.txt").write_bytes((STORY.replace("—", "-").replace("é", "e") + "é").encode()[:-1])
    summary = load_paths(engine, [tmp_path], catalog=catalog)
    texts = stored_texts(engine)
    assert summary.rejected or "Ã" not in texts["cut.txt"]


# -- the same zoo through the real command -----------------------------------------------------


def timeline_command() -> list[str]:
    """The installed console script beside this Python, else the module."""
    script = Path(sys.executable).parent / "timeline"
    found = str(script) if script.exists() else shutil.which("timeline")
    return [found] if found else [sys.executable, "-m", "app.cli"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    env["PYTHONUTF8"] = "1"  # names with non-ASCII letters print the same whatever the locale
    return env


def run_paused(args: list[str], cwd: Path, paused, on_pause) -> tuple[int, str, str]:
    """Run the command with its stderr pipe full, so it blocks on its first progress line; once
    paused() is true, call on_pause(), then let it finish. Returns (exit status, stdout, stderr)."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    filled = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            filled += os.write(write_fd, b"#")
    os.set_blocking(write_fd, True)
    child = subprocess.Popen([*timeline_command(), *args], cwd=cwd, env=child_env(),
                             stdout=subprocess.PIPE, stderr=write_fd)
    os.close(write_fd)
    try:
        deadline = time.monotonic() + PAUSE_TIMEOUT_S
        while not paused():
            assert child.poll() is None and time.monotonic() < deadline, "the loader never reached its first file"
            time.sleep(0.05)
        on_pause()
    finally:
        with os.fdopen(read_fd, "rb") as pipe:
            err = pipe.read()  # drains the pipe: the loader carries on
        out = child.communicate(timeout=COMMAND_TIMEOUT_S)[0]
    return child.returncode, out.decode(), err[filled:].decode()


def test_the_zoo_through_the_timeline_command(tmp_path):
    expected = build_zoo(tmp_path / "zoo")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    probe = create_engine(url)

    def first_is_stored() -> bool:
        with contextlib.suppress(Exception), Session(probe) as session:  # no tables until it has migrated
            return session.scalar(select(Article.id).where(Article.source == FIRST)) is not None
        return False

    status, out, err = run_paused(["--db", url, "load", str(tmp_path / "zoo")], tmp_path, first_is_stored,
                                  lambda: (tmp_path / "zoo" / VANISHING).unlink())
    texts = stored_texts(probe)
    probe.dispose()
    lines = err.splitlines()
    assert status == 1, err
    rejected = {}
    for line in lines:
        assert line.startswith(("loaded ", "rejected ")), line  # one line per file, nothing else
        if line.startswith("rejected "):
            name, reason = line.removeprefix("rejected ").split(": ", 1)
            rejected[name] = reason
    # The undecodable name prints with a backslash escape; it stands for the same file.
    printed_bad = os.fsdecode(BAD_NAME).encode("utf-8", "backslashreplace").decode()
    rejected[os.fsdecode(BAD_NAME)] = rejected.pop(printed_bad)
    check_outcomes(expected, rejected, texts)
    assert len(lines) == len(expected)
    assert out.strip().endswith(f"{len(rejected)} rejected")
    exported = subprocess.run([*timeline_command(), "--db", url, "export"], cwd=tmp_path, env=child_env(),
                              capture_output=True, timeout=COMMAND_TIMEOUT_S)
    assert exported.returncode == 0, exported.stderr
    sources = [a["source"] for a in json.loads(exported.stdout)["articles"]]
    assert sorted(sources) == sorted(texts)
