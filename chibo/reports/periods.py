"""The period a report is asked for, the same way everywhere: the API and `chibo report`
take a year (optionally a quarter or a month of it) or a from/to range; the dashboard takes a
period key ('2026', '2026-Q1', '2026-03', '2026-01-05..2026-03-31'). Bad input is a
ValidationError naming the parameter, with a message in the user's language."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.core.reporting import FIRST_YEAR, Period, parse_period

LAST_YEAR = 2100


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("Give a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            },
            code="year",
        )
    return year


def period_from(
    *,
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Period:
    """A year (with a quarter or a month of it), or a range from `start` to `end`."""
    if start is not None or end is not None:
        if year is not None or quarter is not None or month is not None:
            raise ValidationError(
                {"from": _("Give either a year or a from/to range, not both.")}, code="both"
            )
        if start is None or end is None:
            missing = "from" if start is None else "to"
            raise ValidationError(
                {missing: _("A range needs both a start (from) and an end (to).")}, code="range"
            )
        if end < start:
            raise ValidationError({"to": _("The end comes before the start.")}, code="order")
        _year(start.year)
        _year(end.year)
        return Period.between(start, end)
    if year is None:
        raise ValidationError(
            {"year": _("Give a year (year=2026), or a range (from=2026-01-01&to=2026-06-30).")},
            code="required",
        )
    _year(year)
    if quarter is not None and month is not None:
        raise ValidationError({"quarter": _("Give a quarter or a month, not both.")}, code="both")
    if quarter is not None:
        if not 1 <= quarter <= 4:
            raise ValidationError({"quarter": _("A quarter is 1 to 4.")}, code="quarter")
        return Period.quarter(year, quarter)
    if month is not None:
        if not 1 <= month <= 12:
            raise ValidationError({"month": _("A month is 1 to 12.")}, code="month")
        return Period.month(year, month)
    return Period.year(year)


def period_of_key(key: str) -> Period:
    """The period of a dashboard key; ValidationError when it is not one."""
    try:
        return parse_period(key)
    except ValueError:
        raise ValidationError(
            {
                "period": _(
                    "Choose a year (2026), a quarter (2026-Q1), a month (2026-03) or a range "
                    "(2026-01-01..2026-06-30)."
                )
            },
            code="period",
        ) from None


def year_so_far(today: dt.date) -> Period:
    """The dashboard's default: this year from 1 January to today."""
    return Period.between(dt.date(today.year, 1, 1), today)


def recent(today: dt.date) -> list[Period]:
    """The periods the dashboard's picker offers: this year so far, the five years before,
    the quarters of this year and last year that have begun, and this year's months so far."""
    out = [year_so_far(today)]
    out += [Period.year(y) for y in range(today.year - 1, today.year - 6, -1)]
    for year in (today.year, today.year - 1):
        out += [
            Period.quarter(year, q)
            for q in range(4, 0, -1)
            if Period.quarter(year, q).start <= today
        ]
    out += [Period.month(today.year, m) for m in range(today.month, 0, -1)]
    return out
