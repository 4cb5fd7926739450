"""What every sheet handler shares: the importing user's scope, row errors, and the rule
that decides between "unchanged" and "update"."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chibo.members import access as member_access
from chibo.members.models import Member
from chibo.org import access as org_access
from chibo.org.models import OrgUnit

from ..aliases import NO, YES, YES_NO
from ..sheets import CHOICE, Sheet

Values = dict[str, Any]
Key = tuple  # what makes two rows of a sheet the same record


class RowError(Exception):
    """A row that cannot be imported: (message, column key or "") pairs."""

    def __init__(self, *problems: tuple[str, str]):
        super().__init__(problems)
        self.problems = list(problems)


def fail(message: str, column: str = "") -> NoReturn:
    raise RowError((message, column))


@dataclass
class Outcome:
    status: str
    record: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (column key, old, new)


@dataclass
class Parsed:
    """A row read against its sheet's columns, before any lookup in the database."""

    number: int
    values: Values
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Handler:
    sheet: Sheet
    key: Callable[[Values], Key]  # what makes two rows of a file the same record
    apply: Callable[["Context", Values], Outcome]
    fields: dict[str, str]  # service/model field name -> column key, for ValidationErrors
    order: Callable[[list[Parsed]], list[Parsed]] | None = None
    # Run once every sheet is done (what a row leaves for later, e.g. adopting the minutes
    # of a meeting whose attendance comes in a later sheet): problems by the row's key.
    finish: Callable[["Context"], dict[Key, list[tuple[str, str]]]] | None = None


@dataclass
class Context:
    """The importing user. Scope is re-read on every lookup: rows create units and members
    that later rows refer to, and those must count as in scope."""

    user: Any
    # Meetings sheet: meetings held by this import whose minutes are to be adopted once the
    # attendance and rating sheets are done (meeting pk -> the row's key).
    to_adopt: dict[int, Key] = field(default_factory=dict)
    # The key of every row read, good or not, by sheet: a later check need not report again
    # what a row's own error says.
    keys: dict[str, set[Key]] = field(default_factory=dict)

    def units(self, *, deleted: bool = False) -> QuerySet[OrgUnit]:
        return org_access.units_for(self.user, write=True, deleted=deleted)

    def members(self, *, deleted: bool = False) -> QuerySet[Member]:
        return member_access.members_for(self.user, write=True, deleted=deleted)

    def unit(self, code: str, column: str) -> OrgUnit:
        """A writable unit by code. Outside the scope reads as unknown: we do not tell
        people what exists beyond their units (the 404 rule)."""
        unit = self.units().filter(code__iexact=code).first()
        if unit is None:
            fail(_("Unknown unit code %(code)s.") % {"code": code}, column)
        return unit

    def member(self, code: str, column: str) -> Member:
        member = self.members().filter(code=code).select_related("home_unit").first()
        if member is None:
            fail(_("Unknown member code %(code)s.") % {"code": code}, column)
        return member


def merged(values: Values, current: dict[str, Any]) -> dict[str, Any]:
    """The record as the row wants it: an empty cell keeps what is stored (an import
    never blanks a field by omission)."""
    return {key: current[key] if values.get(key) in ("", None) else values[key] for key in current}


def changes(current: dict[str, Any], wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(key, current[key], wanted[key]) for key in current if current[key] != wanted[key]]


def show(sheet: Sheet, key: str, value: Any) -> str:
    """A value as the template would write it: dd/mm/yyyy, the Vietnamese choice label."""
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return str(YES_NO[YES if value else NO][0])
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    column = next((c for c in sheet.columns if c.key == key), None)
    if column is not None and column.type == CHOICE and value in column.choices:
        return str(column.choices[value][0])
    return str(value)


def record(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))
