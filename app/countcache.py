"""Aggregates the pages repeat (per-day and per-outlet counts), kept per connection until the data changes.

The dashboard only reads; the data changes when a loader commits, which is rare next to page views. So a
count over the whole report table (the timeline's coverage strip, the facets of a day with thousands of
reports) is computed once and served from memory until the database says it has changed:

- SQLite: `PRAGMA data_version`, which changes on a connection when another one has committed;
- PostgreSQL: the WAL position (`pg_current_wal_lsn()`, or the replay position on a standby), which moves
  on every commit anywhere on the server: it errs towards recomputing, never towards stale counts.

The memo lives in the pooled DBAPI connection's `info` dict, so each connection checks its own token and
several workers (or machines) each keep their own; nothing is shared, nothing needs invalidating by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Executable
from sqlalchemy.orm import Session

MEMO_KEY = "timeline_count_memo"
MAX_ENTRIES = 512  # distinct (query, parameters) kept per connection; the oldest go first beyond this
TOKEN_SQL = {
    "sqlite": "PRAGMA data_version",
    "postgresql": "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
                  "ELSE pg_current_wal_lsn() END::text",
}

T = TypeVar("T")


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its value from the last call with this key when the database has not changed since."""
    connection = session.connection()
    sql = TOKEN_SQL.get(connection.dialect.name)
    if sql is None or connection.engine.url.database in (None, "", ":memory:"):
        return compute()
    token = connection.exec_driver_sql(sql).scalar()
    memo: dict = connection.info.setdefault(MEMO_KEY, {})
    if memo.get(None) != token:  # the data changed (or first use): forget everything
        memo.clear()
        memo[None] = token
    if key not in memo:
        if len(memo) > MAX_ENTRIES:
            del memo[next(k for k in memo if k is not None)]
        memo[key] = compute()
    return memo[key]


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
