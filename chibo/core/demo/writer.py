"""Bulk writes for the demo planners: rows straight into tables with `executemany`, ids
chosen here.

Model.objects.bulk_create spends ~80 µs a row building model instances and SQL; at 100,000
members (about 850,000 rows with their history) that alone is over a minute. A prepared
INSERT run with executemany costs ~10 µs a row (SQLite); on PostgreSQL the rows go through
COPY. Choosing the ids ourselves lets the planner
link rows before any is written, on any backend; the sequences are moved past them at the end.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH = 5000
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


class Ids:
    """Hands out primary keys above those already in each table."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def next(self, model: type[models.Model]) -> int:
        if model not in self._next:
            top = model._base_manager.aggregate(top=Max("pk"))["top"]
            self._next[model] = (top or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The simple-history model of `model`, if it keeps history."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


class BulkWriter:
    """Inserts rows given as {attname: value}; missing columns get the field's default,
    `auto_now_add` columns get `now`. Each row's history is written alongside, as
    simple-history would after save(): one "+" row per object, stamped `now`."""

    def __init__(self, now: dt.datetime, ids: Ids) -> None:
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.ids = ids
        self.written: dict[str, int] = {}
        self._models: list[type[models.Model]] = []
        self._histories: set[type[models.Model]] = set()

    def _spec(self, model: type[models.Model]) -> list[tuple[str, str, object]]:
        spec = []
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                default: object = self.now
            else:
                default = f.get_default()
            spec.append((f.attname, str(f.column), default))
        return spec

    def _insert(self, model: type[models.Model], spec, tuples: Iterable[tuple]) -> int:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(column) for _, column, _ in spec)
        if connection.vendor == "postgresql":
            count = self._copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN", tuples)
            self._written(model, count)
            return count
        marks = ", ".join(["%s"] * len(spec))
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
        batch: list[tuple] = []
        count = 0
        with connection.cursor() as cursor:
            for t in tuples:
                batch.append(t)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        self._written(model, count)
        return count

    @staticmethod
    def _copy(sql: str, tuples: Iterable[tuple]) -> int:
        """PostgreSQL: the rows through COPY, much less work than INSERTs for the server and
        for Python (no statement is parsed or built per row). Each batch is built before its
        COPY starts: building a row may query (the first id of a table), and the connection
        answers nothing else during a COPY."""
        count = 0
        batch: list[tuple] = []

        def send() -> None:
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in batch:
                    copy.write_row(row)

        for t in tuples:
            batch.append(t)
            if len(batch) == BATCH:
                send()
                count += len(batch)
                batch = []
        if batch:
            send()
            count += len(batch)
        return count

    def _written(self, model: type[models.Model], count: int) -> None:
        if model not in self._models:
            self._models.append(model)
        self.written[model._meta.label] = self.written.get(model._meta.label, 0) + count

    def insert(
        self,
        model: type[models.Model],
        rows: Sequence[dict],
        *,
        history: Iterable[tuple[dict, str]] | None = None,
    ) -> None:
        """Write `rows` to `model`'s table, and to its history table either one "+" per row
        or, when given, the (row as it stood, history_type) pairs of `history`."""
        spec = [(a, d) for a, _, d in self._spec(model)]
        self._insert(model, self._spec(model), (tuple(r.get(a, d) for a, d in spec) for r in rows))
        hmodel = history_model(model)
        if hmodel is not None:
            self.insert_history(model, history if history is not None else ((r, "+") for r in rows))

    def insert_history(self, model: type[models.Model], entries: Iterable[tuple[dict, str]]):
        hmodel = history_model(model)
        assert hmodel is not None
        self._histories.add(hmodel)
        hspec = self._spec(hmodel)
        ids, now = self.ids, self.now

        def values(row: dict, kind: str) -> tuple:
            out: list[object] = []
            for attname, _, default in hspec:
                if attname == "history_id":
                    out.append(ids.next(hmodel))
                elif attname == "history_date":
                    out.append(now)
                elif attname == "history_type":
                    out.append(kind)
                elif attname in ("history_change_reason", "history_user_id"):
                    out.append(None)
                else:
                    out.append(row.get(attname, default))
            return tuple(out)

        self._insert(hmodel, hspec, (values(r, k) for r, k in entries))

    def tables(self) -> list[type[models.Model]]:
        """The models written so far, history tables left out."""
        return [m for m in self._models if m not in self._histories]

    def finish(self) -> None:
        """Move the id sequences (PostgreSQL) past the ids chosen here. Also before rows are
        added through the ORM, whose ids come from the sequences."""
        statements = connection.ops.sequence_reset_sql(no_style(), self._models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def analyze(tables: Iterable[type[models.Model]]) -> None:
    """Refresh the query planner's statistics for freshly filled tables."""
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
