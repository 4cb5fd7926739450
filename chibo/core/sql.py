"""Helpers for queries that must hold at any size."""

from collections.abc import Iterable, Iterator

from django.db.models import BooleanField, Exists, F, Func, QuerySet, Subquery


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


class InFirst(Func):
    """`field IN (subquery)`, with the subquery read first on PostgreSQL:
    `field = ANY(ARRAY(subquery))`, an InitPlan run once before the rest.

    For a subtree's members (the placements in its units), PostgreSQL otherwise plans the
    IN as a semi join it may apply last: in the 1,000,000-member demo the badge list joined
    every member admitted 30 years ago to their status period, 460,000 rows, and kept the
    province's 46,000 at the end (1.6 s). Read first, the list of ids drives index lookups,
    and the cost follows the subtree (0.35 s, as in the 100,000-member demo). SQLite plans
    an IN from its subquery already."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, subquery: QuerySet) -> None:
        # Unordered, as `__in` leaves it: the model's default order (Placement's) made
        # PostgreSQL sort a province's 100,000 ids, on disk, before building the array.
        super().__init__(F(field), Subquery(subquery.order_by()))

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        field, field_params = compiler.compile(self.source_expressions[0])
        rows, rows_params = compiler.compile(self.source_expressions[1])
        return f"{field} IN {rows}", [*field_params, *rows_params]

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[override]
        field, field_params = compiler.compile(self.source_expressions[0])
        rows, rows_params = compiler.compile(self.source_expressions[1])
        return f"{field} = ANY(ARRAY{rows})", [*field_params, *rows_params]
