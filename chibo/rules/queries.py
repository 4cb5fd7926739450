"""Reads of the rules: those in force on a date, for a unit (whose province may vary some
values); and one rule's value over time, for lists that compute a deadline for many rows
in SQL (each row's count must be the one in force on that row's own starting day, so the
list needs the days the value changed, not the value of a single day)."""

import datetime as dt
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import Expression


@dataclass(frozen=True)
class Rules:
    """Every rule value Chibo reads. No defaults in code: each value comes from a regulation
    row (data migration 0002 or one an office adds). None means no rule was in force on that
    date (e.g. no minimum meeting length before Hướng dẫn 42-HD/BTCTW, 28/10/2025): callers
    say so instead of guessing."""

    meeting_min_minutes: int | None  # a monthly meeting lasts at least this long
    meeting_min_minutes_combined: int | None  # a thematic and a monthly meeting held together
    documents_days_before: int | None  # documents posted at least this many days before
    min_official_members: int | None  # a cell needs at least this many official members
    ordinary_majority: Fraction | None  # a resolution passes with MORE than this share
    special_majority: Fraction | None  # admission, official recognition: AT LEAST this share
    quality_max: dict[str, int] | None  # points per part of the meeting checklist
    quality_good: int | None  # Tốt at or above
    quality_fair: int | None  # Khá at or above
    quality_average: int | None  # Trung bình at or above; below is Kém
    good_meeting_attendance: Fraction | None  # a good meeting: attendance above this share
    year_good_min_good_meetings: int | None  # a good year: all meetings fair+, this many good
    # Members (Điều lệ, Quy định 294-QĐ/TW and the guidance before it)
    admission_min_age: int | None  # a candidate is at least this old at the cell's vote
    admission_max_age: int | None  # ... and at most this old, unless a higher level approves
    introducer_min_months: int | None  # an introducer has worked with the candidate this long
    ceremony_working_days: int | None  # the admission ceremony within this many working days
    probation_months: int | None  # probation runs this long from the ceremony
    review_working_days: int | None  # the cell considers official membership within this
    removal_missed_meetings: int | None  # unexcused missed meetings in a year: removal review
    # Party badges (Huy hiệu Đảng)
    badge_years: list[int] | None  # party ages that earn a badge
    badge_occasions: list[tuple[int, int]] | None  # (month, day) of the award occasions
    badge_early_ill_months: dict[int, int] | None  # badge years -> months early when ill
    badge_posthumous_months: int | None  # months early for a posthumous award
    badge_discipline_wait_months: dict[str, int] | None  # discipline kind -> months held back


FRACTIONS = {"ordinary_majority", "special_majority", "good_meeting_attendance"}


def _parse(name: str, value):
    if value is None:
        return None
    if name in FRACTIONS:
        return Fraction(str(value))  # stored as text, e.g. "1/2", "17/20"
    if name in ("quality_max", "badge_discipline_wait_months"):
        return {str(k): int(v) for k, v in value.items()}
    if name == "badge_years":
        return sorted(int(v) for v in value)
    if name == "badge_occasions":  # stored as "dd/mm" texts
        days = [tuple(int(x) for x in str(v).split("/")) for v in value]
        return sorted((month, day) for day, month in days)
    if name == "badge_early_ill_months":
        return {int(k): int(v) for k, v in value.items()}
    return int(value)


Version = tuple[dt.date, int | None, dict]  # (effective_from, province id, values)


def _versions(**filters) -> list[Version]:
    from .models import RuleVersion

    rows = RuleVersion.objects.filter(**filters).order_by("effective_from", "pk")
    return list(rows.values_list("effective_from", "province_id", "values"))


def _build(versions: list[Version], on: dt.date, province_id: int | None) -> Rules:
    """Layer the national versions in force on `on`, then the province's own."""
    merged: dict = {}
    for wanted in (None, province_id) if province_id is not None else (None,):
        for effective_from, province, values in versions:
            if province == wanted and effective_from <= on:
                merged.update(values)
    unknown = set(merged) - {f.name for f in fields(Rules)}
    if unknown:
        raise ValueError(f"Unknown rule names in the rule versions: {sorted(unknown)}")
    return Rules(**{f.name: _parse(f.name, merged.get(f.name)) for f in fields(Rules)})


def province_of(unit, on: dt.date) -> int | None:
    from chibo.org.models import Kind

    top = unit.ancestors(on, include_self=True).filter(kind=Kind.PROVINCE).first()
    return top.pk if top else None


def at(on: dt.date, unit=None) -> Rules:
    """The rules in force on `on`; with `unit`, including its province's own versions."""
    province_id = province_of(unit, on) if unit is not None else None
    return _build(_versions(effective_from__lte=on), on, province_id)


class RuleBook:
    """`at(day, province)` for many days and provinces from one query (reports over a
    province's thousands of meetings), by the same layering as `at`."""

    def __init__(self) -> None:
        self._versions = _versions()
        self._cache: dict[tuple[dt.date, int | None], Rules] = {}

    def at(self, on: dt.date, province_id: int | None) -> Rules:
        key = (on, province_id)
        if key not in self._cache:
            self._cache[key] = _build(self._versions, on, province_id)
        return self._cache[key]


def sources(on: dt.date, province_id: int | None = None) -> dict[str, int]:
    """For each rule in force on `on`, the id of the RuleVersion that set it (the layering of
    `at`: the latest nationwide version, then the province's own)."""
    out: dict[str, int] = {}
    from .models import RuleVersion

    rows = RuleVersion.objects.filter(effective_from__lte=on).order_by("effective_from", "pk")
    for wanted in (None, province_id) if province_id is not None else (None,):
        for pk, province, values in rows.values_list("pk", "province_id", "values"):
            if province == wanted:
                out.update(dict.fromkeys(values, pk))
    return out


# One rule over time ---------------------------------------------------------------------------


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
