"""Typed settings, read from the environment once and injected where needed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, when the code runs from one
DEFAULT_DATABASE_URL = "sqlite:///timeline.db"  # a SQLite file in the working folder
# The longest one article may take to extract. The seeds take a few hundredths of a second each; an article
# still running after this is pathological text, rejected so that it cannot hold up the load.
EXTRACT_TIMEOUT_S = 20.0
TIMEOUT_VARIABLE = "TIMELINE_EXTRACT_TIMEOUT"  # seconds, overriding EXTRACT_TIMEOUT_S
OFF_VALUES = frozenset({"0", "false", "no", "off"})  # TIMELINE_PAGE_CACHE=0 (or false, no, off) turns it off


def data_dir(name: str) -> Path:
    """One of the folders templates/, static/, migrations/ or seeds/. An installed wheel carries it inside the
    app package (pyproject.toml maps it there); a checkout, editable install or not, keeps it at the top."""
    packaged = Path(str(resources.files("app") / name))
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


@dataclass(frozen=True)
class Settings:
    # Where the data lives: a SQLAlchemy URL, SQLite by default, postgresql+psycopg://... works too.
    database_url: str = DEFAULT_DATABASE_URL
    # The folder `timeline serve` loads when the database is empty; also holds the catalogues.
    seeds_dir: Path = data_dir("seeds")
    templates_dir: Path = data_dir("templates")
    static_dir: Path = data_dir("static")
    # Where pages load htmx from; the default is the copy served from static/ (works offline).
    htmx_url: str | None = None
    # Repeat views of a page served from memory until the data changes (app/pagecache.py); off to measure rendering.
    page_cache: bool = True
    # Threads per worker process that build pages (the routes are synchronous); None: one per core. Building a
    # page is CPU work under Python's lock, so more threads only take turns: on 2 cores 40 threads (anyio's
    # default) served 48 day pages a second and 2 threads 70. A database far away, with time spent waiting
    # on it, is served better by more.
    page_threads: int | None = None
    # The site's address as readers reach it (https://timeline.example.org, or with a path prefix), for the
    # absolute links feeds, calendars and TimelineJS need. None: the host the request names, which a proxy
    # in front must then pass on as the reader's.
    public_url: str | None = None
    # Seconds one article may take to extract before the load rejects it (app/workers.py reads it from the
    # environment itself, so every caller of the loader keeps it).
    extract_timeout: float = EXTRACT_TIMEOUT_S


def settings_from_env(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from TIMELINE_* environment variables, then explicit overrides (e.g. --db)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    if env.get("TIMELINE_DATABASE_URL"):
        values["database_url"] = env["TIMELINE_DATABASE_URL"]
    if env.get("TIMELINE_SEEDS_DIR"):
        values["seeds_dir"] = Path(env["TIMELINE_SEEDS_DIR"])
    if env.get("TIMELINE_HTMX_URL"):
        values["htmx_url"] = env["TIMELINE_HTMX_URL"]
    if env.get("TIMELINE_PAGE_CACHE"):
        values["page_cache"] = env["TIMELINE_PAGE_CACHE"].strip().lower() not in OFF_VALUES
    if env.get("TIMELINE_PAGE_THREADS"):
        values["page_threads"] = _positive_int("TIMELINE_PAGE_THREADS", env["TIMELINE_PAGE_THREADS"])
    if env.get("TIMELINE_PUBLIC_URL"):
        values["public_url"] = public_url(env["TIMELINE_PUBLIC_URL"])
    if env.get(TIMEOUT_VARIABLE):
        values["extract_timeout"] = extract_timeout(env)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


def extract_timeout(environ: dict[str, str] | None = None) -> float:
    """The per-article extraction time limit: TIMELINE_EXTRACT_TIMEOUT seconds when set, else EXTRACT_TIMEOUT_S."""
    text = (os.environ if environ is None else environ).get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return EXTRACT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds above 0, not {text!r}")
    return seconds


def public_url(text: str) -> str:
    """An http(s) URL with a host, without a trailing slash (links are joined to it with a leading one)."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"TIMELINE_PUBLIC_URL must be an http:// or https:// address like "
                         f"https://timeline.example.org, not {text!r}")
    return text.strip().rstrip("/")


def _positive_int(name: str, text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number from 1 up, not {text!r}")
    return int(text)


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it, else the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@lru_cache
def get_settings() -> Settings:
    return settings_from_env()
