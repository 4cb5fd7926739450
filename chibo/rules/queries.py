"""Reads of the rules: those in force on a date, for a unit (whose province may vary some
values); and one rule's value over time, for lists that compute a deadline for many rows
in SQL (each row's count must be the one in force on that row's own starting day, so the
list needs the days the value changed, not the value of a single day)."""

import bisect
import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import Expression

from chibo.org.models import Ancestry, Kind

from .catalogue import ENTRIES
from .memo import once
from .models import RuleVersion


class Rules:
    """The rule values in force on a day: `rules.at(day).probation_months`. Every rule Chibo
    reads is declared by the app that reads it (`rule(...)` in its `rules.py`, see
    chibo.rules.catalogue) and set by regulation rows (data migrations, or a version an office
    adds); there are no defaults in code. None means no rule was in force on that date (e.g.
    no minimum meeting length before Hướng dẫn 42-HD/BTCTW, 28/10/2025): callers say so
    instead of guessing. Asking for a rule no app declares is an error."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"No rule named {name!r} is declared") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rules) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def __repr__(self) -> str:
        return f"Rules({self._values!r})"


Version = tuple[dt.date, int | None, dict]  # (effective_from, province id, values)


def _versions() -> list[Version]:
    """Every version, oldest first (a few dozen rows); read once within `memo.remembered`.
    The list is shared: callers read it, never change it."""

    def read() -> list[Version]:
        rows = RuleVersion.objects.order_by("effective_from", "pk")
        return list(rows.values_list("effective_from", "province_id", "values"))

    return once("rules:versions", read)


def _build(versions: list[Version], on: dt.date, province_id: int | None) -> Rules:
    """Layer the national versions in force on `on`, then the province's own."""
    merged: dict = {}
    for wanted in (None, province_id) if province_id is not None else (None,):
        for effective_from, province, values in versions:
            if province == wanted and effective_from <= on:
                merged.update(values)
    entries = {entry.name: entry for entry in ENTRIES}
    unknown = set(merged) - set(entries)
    if unknown:
        raise ValueError(f"Unknown rule names in the rule versions: {sorted(unknown)}")
    return Rules({name: entry.parse(merged.get(name)) for name, entry in entries.items()})


def province_of(unit, on: dt.date | None) -> int | None:
    """The province `unit` was in (or is, itself) on `on` (today's tree if None). One query
    for every day asked within `memo.remembered`: the unit's province links over time."""

    def read() -> list[tuple[int, int, dt.date, dt.date | None]]:
        links = Ancestry.objects.filter(descendant_id=unit.pk, ancestor__kind=Kind.PROVINCE)
        return list(links.values_list("ancestor_id", "distance", "valid_from", "valid_to"))

    def valid(valid_from: dt.date, valid_to: dt.date | None) -> bool:
        if on is None:
            return valid_to is None
        return valid_from <= on and (valid_to is None or valid_to > on)

    found = [
        (distance, ancestor)
        for ancestor, distance, valid_from, valid_to in once(("rules:province", unit.pk), read)
        if valid(valid_from, valid_to)
    ]
    return max(found)[1] if found else None  # the topmost, as `unit.ancestors` orders them


def at(on: dt.date, unit=None) -> Rules:
    """The rules in force on `on`; with `unit`, including its province's own versions."""
    province_id = province_of(unit, on) if unit is not None else None
    return once(("rules:at", on, province_id), lambda: _build(_versions(), on, province_id))


class RuleBook:
    """`at(day, province)` for many days and provinces from one query (reports over a
    province's thousands of meetings), by the same layering as `at`."""

    def __init__(self) -> None:
        self._versions = _versions()
        self._starts = [effective_from for effective_from, _, _ in self._versions]
        self._cache: dict[tuple[int, int | None], Rules] = {}

    def at(self, on: dt.date, province_id: int | None) -> Rules:
        # The versions are ordered by their first day, so those in force on `on` are the
        # first `n`: every day between two versions' starts has the same rules, built once
        # (a compliance page asks for each of a year's meeting days, a report for thousands).
        key = (bisect.bisect_right(self._starts, on), province_id)
        if key not in self._cache:
            self._cache[key] = _build(self._versions, on, province_id)
        return self._cache[key]


def sources(on: dt.date, province_id: int | None = None) -> dict[str, int]:
    """For each rule in force on `on`, the id of the RuleVersion that set it (the layering of
    `at`: the latest nationwide version, then the province's own)."""
    out: dict[str, int] = {}
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
