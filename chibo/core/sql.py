"""Helpers for queries that must hold at any size."""

from collections.abc import Iterable, Iterator

from django.db.models import Exists


def chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """Ids in sorted slices, so that no query carries more parameters than SQLite accepts."""
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


class RowExists(Exists):
    """EXISTS asked row by row: `(SELECT 1 ... LIMIT 1) IS NOT NULL`, the same truth.

    PostgreSQL may answer a plain EXISTS in a select list by reading every row the
    subquery could match into a hash table first ("hashed SubPlan"), costed as if the
    outer query read all its rows: a page of 25 members read every exemption of the
    database (2,767 rows in 100,000 members, ten times more in ten provinces). A scalar
    subquery is never hashed: each outer row looks up its own, so the cost follows the rows
    asked about."""

    template = "(%(subquery)s) IS NOT NULL"
