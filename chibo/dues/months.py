"""Months as the ledger keeps them: the first day of the month (`DuesCharge.month`), written
mm/yyyy for people and yyyy-mm in the API."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# mm/yyyy (also m/yyyy, mm-yyyy, mm.yyyy), yyyy-mm, and a whole date dd/mm/yyyy, whose month
# is meant (a spreadsheet turns "03/2026" into the date 01/03/2026).
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")


def first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_day(month: dt.date) -> dt.date:
    """The last day of the month of `month`."""
    return shift(first(month), 1) - dt.timedelta(days=1)


def shift(month: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The months from the month of `start` to the month of `end`, both included."""
    out = []
    month = first(start)
    while month <= end:
        out.append(month)
        month = shift(month, 1)
    return out


def text(month: dt.date) -> str:
    """mm/yyyy."""
    return f"{month:%m/%Y}"


def iso(month: dt.date) -> str:
    """yyyy-mm (the API's form)."""
    return f"{month:%Y-%m}"


def _month(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12 or year < 1930:
        return None
    return dt.date(year, month, 1)


def read(value: object) -> dt.date | None:
    """A month as people and spreadsheets write it: mm/yyyy, yyyy-mm, or a date (its month),
    as text or as a date cell. None when it is not a month."""
    if isinstance(value, dt.datetime):
        return first(value.date())
    if isinstance(value, dt.date):
        return first(value)
    if not isinstance(value, str):
        return None
    shown = value.strip()
    for pattern, parts in (
        (_MONTH_YEAR, lambda m: (int(m[2]), int(m[1]))),
        (_YEAR_MONTH, lambda m: (int(m[1]), int(m[2]))),
        (_DAY_MONTH_YEAR, lambda m: (int(m[3]), int(m[2]))),
        (_ISO_DATE, lambda m: (int(m[1]), int(m[2]))),
    ):
        found = pattern.fullmatch(shown)
        if found:
            year, month = parts(found)
            if pattern is _DAY_MONTH_YEAR and not 1 <= int(found[1]) <= 31:
                return None
            return _month(year, month)
    return None


def parse(value: object) -> dt.date:
    """`read`, or a ValidationError saying how to write a month."""
    month = read(value)
    if month is None:
        raise ValidationError(_("Give the month as mm/yyyy."), code="invalid")
    return month
