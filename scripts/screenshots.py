"""Screenshots of every page at a phone's width and a desktop's, for the README (docs/*.png).

    .venv/bin/python scripts/screenshots.py [--out docs] [--base-url http://127.0.0.1:8000]

Without --base-url it builds a fresh SQLite database from seeds/ in a temporary folder, serves it with
`timeline serve` on a free port, and stops it afterwards. It drives Debian's chromium (TIMELINE_CHROMIUM, else
chromium on PATH) through Playwright; nothing is downloaded. Each shot is the top of the page, at most
MAX_HEIGHT pixels of it, so the files stay small.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"phone": 390, "desktop": 1280}
MAX_HEIGHT = {"phone": 1600, "desktop": 1100}  # pixels of each page kept: the top, which a reader sees first
START_SECONDS = 60  # how long the server may take to migrate, load the seeds and answer
# (file name, path): every kind of page, the error page among them
PAGES = [
    ("timeline", "/"),
    ("timeline-filtered", "/?outlet=rt"),
    ("day", "/days/2016-09-17"),
    ("milestone", "/milestones/deir-ezzor-airstrike"),
    ("outlet", "/outlets/rt"),
    ("article", "/articles/2"),
    ("search", "/search?q=convoy"),
    ("coverage", "/coverage"),
    ("figures", "/figures"),
    ("claims", "/claims"),
    ("not-found", "/days/2015-01-01"),
]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def seeded_server() -> Iterator[str]:
    """`timeline serve` over a new database it fills from seeds/ on start; yields its base URL."""
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
        command = [sys.executable, "-m", "app.cli", "--db", f"sqlite:///{Path(folder) / 'timeline.db'}",
                   "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("timeline serve did not start") from None
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("no chromium found: set TIMELINE_CHROMIUM")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for size, width in WIDTHS.items():
            context = browser.new_context(base_url=base, viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in PAGES:
                page.goto(path)
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[size])
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": height})
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNG files")
    parser.add_argument("--base-url", help="a running server to shoot instead of a fresh seeded one")
    args = parser.parse_args()
    if args.base_url:
        written = shoot(args.base_url, args.out)
    else:
        with seeded_server() as base:
            written = shoot(base, args.out)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
