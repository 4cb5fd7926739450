"""One rule's value over time, for lists that compute a deadline for many rows in SQL: each
row's count must be the one in force on that row's own starting day, so the list needs the
days the value changed, not the value of a single day."""

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import Expression

from .api import _build, _versions


def steps(name: str, province_id: int | None = None) -> list[tuple[dt.date, Any]]:
    """[(from_date, value)] in date order: `value` is what `rules.at(day, unit of that
    province)` gives for `name` from `from_date` until the next step. Before the first step
    no version set the rule (None)."""
    versions = _versions()
    days = sorted(
        {
            effective_from
            for effective_from, province, values in versions
            if name in values and province in (None, province_id)
        }
    )
    out: list[tuple[dt.date, Any]] = []
    for day in days:
        value = getattr(_build(versions, day, province_id), name)
        if not out or out[-1][1] != value:
            out.append((day, value))
    return out


def value_by_date(name: str, field: str, province_id: int | None = None) -> Expression:
    """A SQL CASE giving, for each row, the (integer) rule `name` in force on the row's date
    `field`; NULL before any version set it, or when `field` is NULL. Latest step first: the
    first WHEN a row's date reaches is the one in force."""
    whens = [
        When(**{f"{field}__gte": day}, then=Value(value, output_field=IntegerField()))
        for day, value in reversed(steps(name, province_id))
    ]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=Value(None), output_field=IntegerField())
