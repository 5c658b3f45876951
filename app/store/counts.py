"""The report counts per date, precision, outlet, agency and kind (the report_count table), kept by writers.

Every page shows aggregates over the whole report table: the timeline's coverage strip and totals, the
outlet and agency facets, a day's report count. Counted from the reports, the first view after a load took
half a second on 100,000 reports. So the loader changes these counts in the same transaction as the reports
they count (apply_counts with the deltas of what it inserts and deletes): a reader sees counts and reports
of the same commit, on SQLite and PostgreSQL alike, and nothing is kept in memory or invalidated by hand.

A change is `reports = reports + delta` in SQL, so two writers changing one row both count; a key two
writers add at once may have two rows, which the pages sum like any other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from app.store.models import Article, Report, ReportCount

# (date, precision, outlet id, agency id, kind): what one report_count row counts.
CountKey = tuple[dt.date | None, str, int | None, int | None, str]
KEY_COLUMNS = (ReportCount.date, ReportCount.precision, ReportCount.outlet_id, ReportCount.agency_id,
               ReportCount.kind)
GROUPED = (Report.date, Report.precision, Article.outlet_id, Article.agency_id, Report.kind)


def counted(keys: Iterable[CountKey]) -> Counter[CountKey]:
    """The count of each key, one per report."""
    return Counter(keys)


def counts_of_articles(connection: Connection, article_ids: Sequence[int]) -> Counter[CountKey]:
    """The counts the articles' reports add (taken off before the articles are deleted)."""
    if not article_ids:
        return Counter()
    rows = connection.execute(
        select(*GROUPED, func.count(Report.id)).join(Article, Report.article_id == Article.id)
        .where(Article.id.in_(article_ids)).group_by(*GROUPED)
    )
    return Counter({tuple(row[:5]): row[5] for row in rows})  # type: ignore[misc]


def apply_counts(connection: Connection, deltas: Counter[CountKey]) -> None:
    """Add each key's delta to its row (a new row for a new key); a row whose count reaches nought goes."""
    deltas = Counter({key: n for key, n in deltas.items() if n})
    if not deltas:
        return
    existing = _existing_rows(connection, {key[0] for key in deltas})
    changed = [{"row_id": existing[key], "delta": n} for key, n in deltas.items() if key in existing]
    added = [dict(zip(("date", "precision", "outlet_id", "agency_id", "kind"), key, strict=True)) | {"reports": n}
             for key, n in deltas.items() if key not in existing]
    if changed:
        connection.execute(
            update(ReportCount).where(ReportCount.id == bindparam("row_id"))
            .values(reports=ReportCount.reports + bindparam("delta")).execution_options(synchronize_session=False),
            changed,
        )
        connection.execute(delete(ReportCount).where(
            ReportCount.id.in_([row["row_id"] for row in changed]), ReportCount.reports <= 0))
    if added:
        connection.execute(insert(ReportCount), added)


def _existing_rows(connection: Connection, dates: set[dt.date | None]) -> dict[CountKey, int]:
    """The row id of every key on these dates (the first, should two writers have added one key at once)."""
    named = [d for d in dates if d is not None]
    on_dates = [ReportCount.date.in_(named)] if named else []
    if None in dates:
        on_dates.append(ReportCount.date.is_(None))
    rows = connection.execute(select(ReportCount.id, *KEY_COLUMNS).where(or_(*on_dates)).order_by(ReportCount.id))
    found: dict[CountKey, int] = {}
    for row in rows:
        found.setdefault(tuple(row[1:]), row[0])  # type: ignore[arg-type]
    return found


def rebuild_counts(connection: Connection) -> None:
    """Every count afresh from the reports: after rows are written around the loader (a bulk insert)."""
    connection.execute(delete(ReportCount))
    connection.execute(insert(ReportCount).from_select(
        [*(c.key for c in KEY_COLUMNS), "reports"],
        select(*GROUPED, func.count(Report.id)).join(Article, Report.article_id == Article.id).group_by(*GROUPED),
    ))
