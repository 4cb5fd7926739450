"""Working days in Vietnam: Monday to Friday, less the public holidays of the `holidays`
package (Tết, Giỗ Tổ, 30/4, 1/5, Quốc khánh and the days off it knows are moved), plus the
changes an office records (`DayChange`). Deadlines such as "the ceremony within 30 working
days of the decision" count from the day after the start: the start day itself is never
one of the n days.

`CalendarDay` holds the same answer as a table for the years in `FIRST`..`LAST`, so lists
over many members compute their deadlines in SQL (`deadline_expr`)."""

import calendar as _calendar
import datetime as dt
from functools import lru_cache
from typing import NamedTuple

import holidays
from django.db import transaction
from django.db.models import DateField, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import Expression
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .memo import forget, once
from .models import CalendarDay, DayChange

FIRST = dt.date(1990, 1, 1)
LAST = dt.date(2060, 12, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the end of the month when that day does not exist
    (29/02/2024 + 12 months = 28/02/2025)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


@lru_cache(maxsize=128)
def _public_holidays(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    vn = holidays.country_holidays("VN", years=year)
    worked = frozenset(d for d in getattr(vn, "weekend_workdays", set()) if d.year == year)
    return frozenset(vn), worked


class Day(NamedTuple):
    date: dt.date
    working: bool
    name: str
    recorded: bool  # an office's change (DayChange), not the package's


def days_off(year: int) -> list[Day]:
    """The year's exceptions to Monday-Friday: public holidays (those on a weekday), weekend
    days worked in exchange, and the changes an office recorded, in date order."""
    language = "vi" if (get_language() or "vi").startswith("vi") else "en_US"
    vn = holidays.country_holidays("VN", years=year, language=language)
    off, worked = _public_holidays(year)
    out = {d: Day(d, False, vn.get(d), False) for d in off if d.weekday() < 5}
    for d in worked:
        out[d] = Day(d, True, str(_("Weekend day worked in exchange")), False)
    for d, (working, name) in _changes_named(year).items():
        out[d] = Day(d, working, name, True)
    return sorted(out.values())


def _changes_named(year: int) -> dict[dt.date, tuple[bool, str]]:
    rows = DayChange.objects.filter(date__year=year).values_list("date", "working", "name")
    return {d: (w, n) for d, w, n in rows}


def _changes() -> dict[dt.date, bool]:
    """The recorded changes (read once within `memo.remembered`; callers never change it)."""
    return once("calendar:changes", lambda: dict(DayChange.objects.values_list("date", "working")))


def is_working(day: dt.date, changes: dict[dt.date, bool] | None = None) -> bool:
    changes = _changes() if changes is None else changes
    if day in changes:
        return changes[day]
    off, worked = _public_holidays(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in off


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n >= 1)."""
    changes = _changes()
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if is_working(day, changes):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    changes = _changes()
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working(day, changes)
    return count


@transaction.atomic
def rebuild(since: dt.date = FIRST) -> int:
    """Rewrite the CalendarDay rows from `since` on, from the package and the recorded
    changes (an office adding a day changes the count of every later day only)."""
    since = max(since, FIRST)
    forget()  # a change just recorded must be read
    changes = _changes()
    before = CalendarDay.objects.filter(date__lt=since).order_by("-date").first()
    if since > FIRST and before is None:
        since = FIRST  # the table is empty: build it all
    seq = before.seq if before and since > FIRST else 0
    rows, day = [], since
    while day <= LAST:
        working = is_working(day, changes)
        seq += working
        rows.append(CalendarDay(date=day, working=working, seq=seq))
        day += dt.timedelta(days=1)
    CalendarDay.objects.filter(date__gte=since).delete()
    CalendarDay.objects.bulk_create(rows, batch_size=2000)
    forget()
    return len(rows)


def ensure() -> None:
    """Build the table if it is empty (a fresh database, or tests that flushed it); asked
    once within `memo.remembered`."""
    if not once("calendar:built", CalendarDay.objects.exists):
        rebuild()


def with_deadline(qs: QuerySet, *, name: str, start: str, n: int | Expression) -> QuerySet:
    """Annotate `name`: the n-th working day after the date field `start` of each row, in
    SQL (NULL outside FIRST..LAST, or when `start` is NULL). `n` may be an expression over
    the row (e.g. a CASE on the date, when a regulation changed the count). Two lookups in
    the calendar table's indexes."""
    ensure()
    seq_of_start = CalendarDay.objects.filter(date=OuterRef(start)).values("seq")[:1]
    n_expr = Value(n) if isinstance(n, int) else n
    qs = qs.alias(**{f"_{name}_seq": Subquery(seq_of_start), f"_{name}_n": n_expr})
    # No ORDER BY (the model orders by date): with one, PostgreSQL walks the table in date
    # order to find the seq instead of using the (seq, working) index, 4 ms a row.
    target = (
        CalendarDay.objects.filter(
            working=True, seq=OuterRef(f"_{name}_seq") + OuterRef(f"_{name}_n")
        )
        .order_by()
        .values("date")[:1]
    )
    return qs.annotate(**{name: Subquery(target, output_field=DateField())})
