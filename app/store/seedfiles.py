"""The seed files: the catalogues and the optional manifest, read from TOML in a folder (seeds/ by default)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.extract.catalog import Catalog, catalog_from_tables
from app.extract.types import KnownMeta

MILESTONES_FILE = "milestones.toml"
OUTLETS_FILE = "outlets.toml"
MANIFEST_FILE = "manifest.toml"
PARTIES_FILE = "parties.toml"
# Files in seeds/ that are catalogues, not articles.
CATALOGUE_FILES = frozenset({MILESTONES_FILE, OUTLETS_FILE, MANIFEST_FILE, PARTIES_FILE})


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_catalog(folder: Path) -> Catalog:
    parties = folder / PARTIES_FILE
    return catalog_from_tables(_toml(folder / MILESTONES_FILE), _toml(folder / OUTLETS_FILE),
                               _toml(parties) if parties.is_file() else None)


MANIFEST_TEXT_FIELDS = ("outlet", "url", "title")
MANIFEST_FIELDS = ("outlet", "url", "published", "title")


@dataclass(frozen=True)
class Manifest:
    """A folder's manifest: the usable entries, and why each unusable one is not, by file name."""

    entries: dict[str, KnownMeta] = field(default_factory=dict)
    bad: dict[str, str] = field(default_factory=dict)


def load_manifest(folder: Path) -> Manifest:
    """What the user knows about the folder's files; empty when the folder has no manifest. A manifest that is
    not TOML, or not [file."NAME"] tables, raises ValueError; one wrong entry only spoils its own file."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return Manifest()
    data = _toml(path)
    unknown = sorted(set(data) - {"file"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}: a manifest holds [file.\"NAME\"] tables only")
    files = data.get("file", {})
    if not isinstance(files, dict):
        raise ValueError(f'file must be [file."NAME"] tables, not {_toml_type(files)}')
    manifest = Manifest()
    for name, entry in files.items():
        try:
            manifest.entries[name] = _manifest_entry(entry)
        except ValueError as exc:
            manifest.bad[name] = str(exc)
    return manifest


def _manifest_entry(entry: object) -> KnownMeta:
    """One [file."NAME"] table, its fields checked: a wrong type would otherwise reach the database."""
    if not isinstance(entry, dict):
        raise ValueError(f"the entry must be a table of {', '.join(MANIFEST_FIELDS)}, not {_toml_type(entry)}")
    unknown = sorted(set(entry) - set(MANIFEST_FIELDS))
    if unknown:  # a misspelt key would silently lose what the user meant to say
        raise ValueError(f"unknown key {unknown[0]!r} (an entry may have {', '.join(MANIFEST_FIELDS)})")
    for key in MANIFEST_TEXT_FIELDS:
        if key in entry and not isinstance(entry[key], str):
            raise ValueError(f"{key} must be a string, not {_toml_type(entry[key])}")
    return KnownMeta(outlet=entry.get("outlet"), url=entry.get("url"),
                     published=_manifest_date(entry.get("published")), title=entry.get("title"))


def _manifest_date(value: object) -> dt.date | None:
    """TOML's bare date, or the same written as a string ("2016-09-18")."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # said below, with the other wrong values
    shown = repr(value) if isinstance(value, str) else _toml_type(value)
    raise ValueError(f"published must be a date like 2016-09-18, not {shown}")


def _toml_type(value: object) -> str:
    """The kind of a TOML value in the manifest's own terms."""
    kinds = ((bool, "a boolean"), (int, "an integer"), (float, "a float"), (str, "a string"), (list, "an array"),
             (dict, "a table"), (dt.datetime, "a date-time"), (dt.date, "a date"), (dt.time, "a time"))
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)
