"""Moving old history rows out of the live history tables (django-simple-history keeps one
row per change of every record, tens of millions a year nationally).

A history row written before the cut-off date moves to the archive table of its year
(`<history table>_archive_<year>`, same columns, no indexes: cold storage that an operator
can dump and drop a year at a time), unless it is the last row of its record before the
cut-off: that one stays, so every record keeps the state it had on the cut-off day and "who
changed this last" still has an answer; the diff of the first change after the cut-off is
still against the right values. Rows from the cut-off on are never read.

Each batch copies and deletes its rows in one transaction and checks that it deleted as many
rows as it copied, so an interrupted run leaves nothing half-moved and simply runs again."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import registered_models

BATCH = 5000


@dataclass
class Moved:
    table: str
    rows: int  # moved, or that would move (dry run)
    kept: int  # rows before the cut-off kept as their record's last


def history_models() -> list[type[models.Model]]:
    """Every history model, in a stable order."""
    found = {m.history.model for m in registered_models.values()}  # type: ignore[attr-defined]
    return sorted(found, key=lambda m: m._meta.db_table)


def _to_archive(history: type[models.Model], cutoff: dt.datetime) -> models.QuerySet:
    """Rows before the cut-off with a later row of the same record, also before it."""
    pk = history.instance_type._meta.pk.attname  # type: ignore[attr-defined]
    later = history._default_manager.filter(**{pk: OuterRef(pk)}, history_date__lt=cutoff).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return history._default_manager.filter(history_date__lt=cutoff).filter(Exists(later))


def archive_table(history: type[models.Model], year: int) -> str:
    return f"{history._meta.db_table}_archive_{year}"


def archive_tables() -> list[str]:
    """The archive tables present in the database."""
    names = {m._meta.db_table for m in history_models()}
    return sorted(
        t
        for t in connection.introspection.table_names()
        if "_archive_" in t and t.rsplit("_archive_", 1)[0] in names
    )


def _columns(history: type[models.Model]) -> list[tuple[str, str]]:
    return [
        (f.column, kind)
        for f in history._meta.concrete_fields
        if f.column and (kind := f.db_type(connection))
    ]


def _ensure_table(history: type[models.Model], year: int) -> str:
    """The year's archive table, created with the history table's columns (and given those a
    later migration added, so that rows of every age fit)."""
    name = archive_table(history, year)
    qn = connection.ops.quote_name
    columns = _columns(history)
    with connection.cursor() as cursor:
        if name not in connection.introspection.table_names(cursor):
            cursor.execute(
                f"CREATE TABLE {qn(name)} ("
                + ", ".join(f"{qn(c)} {t} NULL" for c, t in columns)
                + ")"
            )
            return name
        present = {c.name for c in connection.introspection.get_table_description(cursor, name)}
        for column, kind in columns:
            if column not in present:
                cursor.execute(f"ALTER TABLE {qn(name)} ADD COLUMN {qn(column)} {kind} NULL")
    return name


def _move(history: type[models.Model], rows: list[tuple[int, dt.datetime]]) -> int:
    """Copy `rows` (history id, date) to their years' archive tables and delete them, in one
    transaction."""
    qn = connection.ops.quote_name
    table = qn(history._meta.db_table)
    cols = ", ".join(qn(c) for c, _t in _columns(history))
    by_year: dict[int, list[int]] = {}
    for hid, at in rows:
        by_year.setdefault(timezone.localtime(at).year, []).append(hid)
    with transaction.atomic(), connection.cursor() as cursor:
        copied = 0
        for year, ids in sorted(by_year.items()):
            name = qn(_ensure_table(history, year))
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {table} "
                f"WHERE history_id IN ({marks})",
                ids,
            )
            copied += cursor.rowcount
        ids = [hid for hid, _at in rows]
        cursor.execute(
            f"DELETE FROM {table} WHERE history_id IN ({', '.join(['%s'] * len(ids))})", ids
        )
        if cursor.rowcount != copied or copied != len(ids):
            raise RuntimeError(
                f"{history._meta.db_table}: {copied} rows copied, {cursor.rowcount} deleted"
            )
    return copied


def _batches(
    history: type[models.Model], cutoff: dt.datetime, size: int
) -> Iterator[list[tuple[int, dt.datetime]]]:
    rows = _to_archive(history, cutoff).order_by("history_id")
    after = 0
    while True:
        batch = list(
            rows.filter(history_id__gt=after).values_list("history_id", "history_date")[:size]
        )
        if not batch:
            return
        after = batch[-1][0]
        yield batch


def archive_history(
    *,
    before: dt.date,
    dry_run: bool = False,
    batch: int = BATCH,
    progress: Callable[[Moved], None] | None = None,
) -> list[Moved]:
    """Move the history rows written before `before` (local midnight) to the archive tables,
    keeping each record's last row before it. Returns what moved (or would move) per table."""
    if before > timezone.localdate():
        raise ValueError("The cut-off date is in the future.")
    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time()))
    report = []
    for history in history_models():
        older = history._default_manager.filter(history_date__lt=cutoff).count()
        if dry_run:
            moved = _to_archive(history, cutoff).count()
        else:
            moved = sum(_move(history, rows) for rows in _batches(history, cutoff, batch))
        done = Moved(history._meta.db_table, moved, older - moved)
        report.append(done)
        if progress:
            progress(done)
    return report
