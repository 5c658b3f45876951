"""Aggregates the pages repeat (per-day and per-outlet counts), kept per connection until the data changes.

The dashboard only reads; the data changes when a loader commits, which is rare next to page views. So a
count over the whole report table (the timeline's coverage strip, the facets of a day with thousands of
reports) is computed once and served from memory until the database says it has changed: by its data
version (`data_version.version`, migration 0004), which triggers move in every transaction that writes
articles, reports, figures, claims, outlets or milestones, on SQLite and PostgreSQL alike. Writes to other
databases on the same server, or to nothing a page shows, leave the memo alone.

The memo lives in the pooled DBAPI connection's `info` dict, so each connection checks its own token and
several workers (or machines) each keep their own; nothing is shared, nothing needs invalidating by hand.
The token is read before the value is computed, so a memo is never older than its token (a commit in
between only makes it newer, and the next look sees a new token and recomputes).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Executable
from sqlalchemy.orm import Session

from app.store.engine import data_version

MEMO_KEY = "timeline_count_memo"
TOKEN_KEY = "timeline_data_version"  # in session.info: (the transaction it was read in, the version)
REQUEST_VERSION_KEY = "timeline_request_version"  # in session.info: the version read for the request (use_version)
MAX_ENTRIES = 512  # distinct (query, parameters) kept per connection; the oldest go first beyond this

T = TypeVar("T")


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its value from the last call with this key when the database has not changed since."""
    connection = session.connection()
    if connection.engine.url.database in (None, "", ":memory:"):  # a private in-memory database: nothing to share
        return compute()
    token = _token(session, connection)
    if token is None:  # the request's version could not be read: count afresh, keep nothing
        return compute()
    memo: dict = connection.info.setdefault(MEMO_KEY, {})
    if memo.get(None) != token:  # the data changed (or first use): forget everything
        memo.clear()
        memo[None] = token
    if key not in memo:
        if len(memo) > MAX_ENTRIES:
            del memo[next(k for k in memo if k is not None)]
        memo[key] = compute()
    return memo[key]


def use_version(session: Session, version: int | None) -> None:
    """Check the memo against a data version read for this request before any of its queries (the page
    cache's), rather than read it again on the page's thread; None, unreadable, counts afresh."""
    session.info[REQUEST_VERSION_KEY] = version


def _token(session: Session, connection) -> int | None:
    """The data version, read once per transaction: a page asks for a dozen memoised values, and each read
    would be a round trip on PostgreSQL. Read before the first value is computed, so no value is older."""
    if REQUEST_VERSION_KEY in session.info:
        return session.info[REQUEST_VERSION_KEY]
    transaction = session.get_transaction()
    seen = session.info.get(TOKEN_KEY)
    if seen is not None and seen[0] is transaction:
        return seen[1]
    token = data_version(connection)
    session.info[TOKEN_KEY] = (transaction, token)
    return token


def cached_rows(session: Session, statement: Executable) -> list[tuple]:
    """session.execute(statement)'s rows as plain tuples, memoised by the statement's SQL and parameters."""
    # SQLAlchemy's own cache key (the statement's structure) plus its parameter values: no compiling needed.
    cache_key = statement._generate_cache_key()
    if cache_key is None:  # a statement SQLAlchemy cannot key: compile it instead
        compiled = statement.compile(dialect=session.get_bind().dialect)
        key: Hashable = (str(compiled), repr(sorted(compiled.params.items())))
    else:
        key = (cache_key.key, repr([b.effective_value for b in cache_key.bindparams]))
    return cached(session, key, lambda: [tuple(row) for row in session.execute(statement)])


def cached_scalar(session: Session, statement: Executable) -> Any:
    """The first column of the statement's first row (an aggregate's value), memoised as cached_rows is."""
    rows = cached_rows(session, statement)
    return rows[0][0] if rows else None
