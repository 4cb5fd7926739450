"""`chibo archive-history`: old history rows move to per-year archive tables, each record
keeps its last row before the cut-off, and nothing else is touched."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chibo.core.archive import archive_history, archive_table, archive_tables, history_models
from chibo.members.models import Member

History = Member.history.model  # type: ignore[attr-defined]
CUTOFF = dt.date(2022, 1, 1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def snapshot() -> dict[str, dict[int, dict]]:
    """Every history table's rows by history id, by table."""
    return {
        m._meta.db_table: {r["history_id"]: r for r in m._default_manager.values()}
        for m in history_models()
    }


def archived(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT history_id, full_name FROM {table} ORDER BY history_id")
        return cursor.fetchall()


@pytest.fixture
def dated(world, cast):
    """The member's history: created 2020, renamed twice before the cut-off (the last time by
    the province officer) and once after it; member2's single row is from 2020 too."""
    m = world.member
    dates = [dt.date(2020, 1, 5), dt.date(2020, 6, 1), dt.date(2021, 3, 1), dt.date(2024, 2, 1)]
    for name, by in [
        ("Nguyễn Văn Hai", None),
        ("Nguyễn Văn Ba", cast.province_officer),
        ("Nguyễn Văn Tư", None),
    ]:
        m.full_name = name
        m._history_user = by
        m.save()
    rows = list(History.objects.filter(id=m.pk).order_by("history_id"))
    assert len(rows) == 4
    for row, day in zip(rows, dates, strict=True):
        History.objects.filter(history_id=row.history_id).update(history_date=at(day))
    History.objects.filter(id=world.member2.pk).update(history_date=at(dt.date(2020, 2, 1)))
    return [r.history_id for r in rows]


def test_moves_old_rows_and_keeps_each_records_last(world, dated):
    before = snapshot()
    report = {r.table: r for r in archive_history(before=CUTOFF)}
    table = History._meta.db_table
    # The 2020 creation and first rename moved; the 2021 rename is the last before the cut-off.
    assert report[table].rows == 2
    assert report[table].kept == 2  # the member's 2021 row and member2's only row
    assert archived(archive_table(History, 2020)) == [
        (dated[0], "Nguyễn Văn Hùng"),
        (dated[1], "Nguyễn Văn Hai"),
    ]
    assert archive_tables() == [archive_table(History, 2020)]
    after = snapshot()
    # Rows moved equal rows deleted, and nothing else changed in any history table.
    assert sum(len(v) for v in before.values()) - sum(len(v) for v in after.values()) == 2
    moved = set(dated[:2])
    for name, rows in before.items():
        assert after[name] == {k: r for k, r in rows.items() if not (name == table and k in moved)}
    # Running again moves nothing.
    assert sum(r.rows for r in archive_history(before=CUTOFF)) == 0


def test_record_page_still_shows_its_last_change(world, cast, dated, client_for):
    archive_history(before=CUTOFF)
    page = client_for(cast.province_officer).get(reverse("members:detail", args=[world.member.pk]))
    text = page.content.decode()
    assert "Nguyễn Văn Tư" in text  # the change after the cut-off
    # The change before it, by the province officer, as the last row kept.
    assert "Nguyễn Văn Ba" in text
    assert str(cast.province_officer) in text


def test_batches_of_one_move_the_same_rows(world, dated):
    report = {r.table: r for r in archive_history(before=CUTOFF, batch=1)}
    assert report[History._meta.db_table].rows == 2
    assert [r[0] for r in archived(archive_table(History, 2020))] == dated[:2]


def test_dry_run_changes_nothing(world, dated):
    before = snapshot()
    out = StringIO()
    call_command("archive-history", "--before", CUTOFF.isoformat(), "--dry-run", stdout=out)
    assert f"{History._meta.db_table}: 2 rows would move, 2 kept as last rows" in out.getvalue()
    assert snapshot() == before
    assert archive_tables() == []


def test_command(world, dated):
    out = StringIO()
    call_command("archive-history", "--before", CUTOFF.isoformat(), stdout=out)
    assert "2 history rows moved in all." in out.getvalue()
    with pytest.raises(CommandError, match="Not a date"):
        call_command("archive-history", "--before", "01/01/2022")
    with pytest.raises(CommandError, match="future"):
        call_command("archive-history", "--before", "2999-01-01")


def test_archive_table_gains_a_column_added_later(world, dated):
    archive_history(before=CUTOFF)
    name = archive_table(History, 2020)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {name} DROP COLUMN phone")
    History.objects.filter(id=world.member2.pk).update(history_date=at(dt.date(2020, 3, 1)))
    m = world.member2
    m.full_name = "Trần Thị Mai"
    m.save()
    History.objects.filter(id=m.pk, full_name="Trần Thị Mai").update(
        history_date=at(dt.date(2020, 4, 1))
    )
    assert {r.table: r.rows for r in archive_history(before=CUTOFF)}[History._meta.db_table] == 1
    assert len(archived(name)) == 3
