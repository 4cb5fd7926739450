"""Working days: counted by hand from the 2026 calendar (Tết 16-20/02/2026 off, per the
`holidays` package), checked in Python and in SQL, with the days an office records."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.members.models import Member
from chibo.rules import calendar
from chibo.rules.calendar import add_months, add_years, working_days_after
from chibo.rules.models import CalendarDay
from chibo.rules.services import day_change_add, day_change_delete

D = dt.date


def test_months_and_years_keep_the_day_or_take_the_month_end():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_years(D(1995, 6, 30), 30) == D(2025, 6, 30)


def test_a_deadline_crossing_tet(db):
    # From Friday 06/02/2026: 9-13/02 are days 1-5; 16-20/02 are Tết (off);
    # 23-27/02 days 6-10, 2-6/03 11-15, 9-13/03 16-20, 16-20/03 21-25, 23-27/03 26-30.
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 27)
    assert working_days_after(D(2026, 2, 6), 5) == D(2026, 2, 13)
    assert working_days_after(D(2026, 2, 6), 6) == D(2026, 2, 23)  # across the whole Tết week
    # From a Sunday: Monday is day 1.
    assert working_days_after(D(2026, 3, 1), 1) == D(2026, 3, 2)
    # 30/04 and 01/05/2026 (Thursday, Friday) are off: Wednesday 29/04 + 1 = Monday 04/05.
    assert working_days_after(D(2026, 4, 29), 1) == D(2026, 5, 4)
    # Saturday 26/04/2025 was worked in exchange for Friday 02/05/2025.
    assert calendar.is_working(D(2025, 4, 26))
    assert not calendar.is_working(D(2025, 5, 2))


@pytest.fixture
def new_year_2026(monkeypatch):
    """Record days as on 01/01/2026 (a day before today cannot change)."""
    monkeypatch.setattr("chibo.rules.services._today", lambda: D(2026, 1, 1))


def test_days_an_office_records_move_the_deadlines(db, new_year_2026):
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 27)
    off = day_change_add(actor=None, date=D(2026, 2, 23), working=False, name="Nghỉ bù Tết (thử)")
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 30)
    day_change_add(actor=None, date=D(2026, 2, 28), working=True, name="Làm bù (thử)")  # a Saturday
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 27)
    day_change_delete(actor=None, change=off)
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 26)


@translation.override("en")
def test_a_day_that_changes_nothing_is_refused(db, new_year_2026):
    with pytest.raises(ValidationError, match="already a day off"):
        day_change_add(actor=None, date=D(2026, 2, 17), working=False, name="Tết")
    with pytest.raises(ValidationError, match="already a working day"):
        day_change_add(actor=None, date=D(2026, 2, 24), working=True, name="x")
    with pytest.raises(ValidationError, match="Say why"):
        day_change_add(actor=None, date=D(2026, 2, 28), working=True, name="  ")


@translation.override("en")
def test_a_day_before_today_cannot_change(db):
    with pytest.raises(ValidationError, match="A day before today cannot change"):
        day_change_add(
            actor=None, date=D(2026, 2, 23), working=False, name="x", today=D(2026, 2, 24)
        )
    change = day_change_add(
        actor=None, date=D(2026, 2, 23), working=False, name="x", today=D(2026, 2, 23)
    )
    with pytest.raises(ValidationError, match="A day before today cannot change"):
        day_change_delete(actor=None, change=change, today=D(2026, 2, 24))
    assert working_days_after(D(2026, 2, 6), 30) == D(2026, 3, 30)  # still counted


def _deadlines_in_sql(starts: list[dt.date], n: int) -> dict[dt.date, dt.date]:
    """Store each start as a member's ceremony date and let SQL count."""
    from chibo.org.models import Kind
    from chibo.testing import factories as f

    cell = f.unit(Kind.CELL, f.unit(Kind.BASE_COMMITTEE, f.unit(Kind.PROVINCE)))
    ids = {}
    for start in starts:
        m = f.member(cell, admitted_on=D(2000, 1, 1))
        Member.all_objects.filter(pk=m.pk).update(ceremony_on=start)
        ids[m.pk] = start
    qs = calendar.with_deadline(
        Member.all_objects.filter(pk__in=ids), name="due", start="ceremony_on", n=n
    )
    return {ids[pk]: due for pk, due in qs.values_list("pk", "due")}


def test_sql_counts_as_python_does(db):
    rng = random.Random(4)
    starts = sorted({D(2024, 1, 1) + dt.timedelta(days=rng.randrange(900)) for _ in range(40)})
    starts += [D(2026, 2, 6), D(2026, 2, 13), D(2026, 2, 15), D(2024, 2, 29)]
    for n in (1, 30):
        sql = _deadlines_in_sql(starts, n)
        assert sql == {s: working_days_after(s, n) for s in starts}


def test_the_table_is_built_again_when_it_is_empty(db):
    CalendarDay.objects.all().delete()
    assert _deadlines_in_sql([D(2026, 2, 6)], 30) == {D(2026, 2, 6): D(2026, 3, 27)}
    # 1990-2060: one row per day.
    assert CalendarDay.objects.count() == (calendar.LAST - calendar.FIRST).days + 1
