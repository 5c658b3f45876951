"""Full-text search helpers: the index objects migration 0003 creates, query terms, and safe highlighting.

The index lives outside the models because no portable model describes it: on SQLite it is an FTS5
virtual table (plus the shadow tables FTS5 creates and the triggers that keep it in step with
`report`), on PostgreSQL a GIN expression index on to_tsvector('english', quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEARCH_TABLE = "report_fts"  # SQLite: FTS5 external-content table over report.quote, rowid = report.id
SEARCH_INDEX = "ix_report_quote_fts"  # PostgreSQL: GIN index on to_tsvector('english', quote)
TEXT_SEARCH_CONFIG = "english"  # PostgreSQL's stemming dictionary; SQLite's porter tokenizer is its match
MAX_QUERY_CHARS = 200  # longer is not a search a reader typed
MAX_TERMS = 12  # every term must match: more than this finds nothing anyway, and each one costs a scan
MIN_STEM = 3  # highlighting strips suffixes down to this many letters, never shorter
# Shorter terms highlight whole words only: "us" must not light up "used" and "usual".
MIN_PREFIX_TERM = 4

_WORD = re.compile(r"\w+", re.UNICODE)
# Endings the porter stemmer (SQLite) and the english dictionary (PostgreSQL) fold together, so
# "violations" highlights "violation" and "violated"; longest first.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "e", "y")


def is_search_object(name: str | None) -> bool:
    """The FTS5 table, its shadow tables (report_fts_data, ..._idx, ...) and the GIN index."""
    return bool(name) and (name in (SEARCH_INDEX, SEARCH_TABLE) or name.startswith(SEARCH_TABLE + "_"))


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # Alembic's include_object hook
    """Alembic autogenerate hook: leave the search index (made by migration 0003, not by a model) alone."""
    return not (reflected and compare_to is None and is_search_object(name))


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, de-duplicated in order; punctuation and operators dropped."""
    words = _WORD.findall(query[:MAX_QUERY_CHARS].lower())
    return list(dict.fromkeys(words))[:MAX_TERMS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term, each quoted so no input is read as FTS5 syntax."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def stem(term: str) -> str:
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_STEM:
            return term[: -len(suffix)]
    return term


def match_spans(text: str, terms: list[str]) -> list[list[int]]:
    """[start, end] of each word in the text that a term (or its stem) begins, merged and in order."""
    if not terms:
        return []
    words = [re.escape(t) + r"(?!\w)" for t in terms if len(t) < MIN_PREFIX_TERM]
    words += [re.escape(stem(t)) + r"\w*" for t in terms if len(t) >= MIN_PREFIX_TERM]
    words.sort(key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(words) + ")", re.IGNORECASE)
    return [[m.start(), m.end()] for m in pattern.finditer(text)]


@dataclass(frozen=True)
class Run:
    """A run of text, marked when it matched; templates escape `text` themselves (no |safe anywhere)."""

    text: str
    hit: bool


def runs(text: str, spans: list[list[int]]) -> list[Run]:
    """The text cut at the match spans, covering it exactly once."""
    out: list[Run] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        if start > at:
            out.append(Run(text[at:start], False))
        out.append(Run(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Run(text[at:], False))
    return out
