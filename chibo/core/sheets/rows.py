"""What every sheet handler shares: what a row may come to, row errors, the rule that decides
between "unchanged" and "update", and the importing user's context.

A handler decides create / update / unchanged for a row of its sheet and calls its domain's
services to write it. Lookups that need scope (a unit or a member by code, within what the
user may write) belong to the apps that own the scope: chibo.org.importing and
chibo.members.importing; the context here holds only the user and generic state."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .cells import CHOICE
from .columns import NO, YES, YES_NO, Sheet

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
STATUSES = (CREATE, UPDATE, UNCHANGED, ERROR)

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
    # (message, column key): cells imported all the same (chibo.core.sheets.cell_warning).
    warnings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Context:
    """The importing user, and what the sheets of one import leave for each other."""

    user: Any
    # What a sheet's rows leave for its `finish`, under the sheet's key (e.g. meetings whose
    # minutes are adopted once the attendance and rating sheets are done).
    state: dict[str, Any] = field(default_factory=dict)
    # The key of every row read, good or not, by sheet: a later check need not report again
    # what a row's own error says.
    keys: dict[str, set[Key]] = field(default_factory=dict)

    @property
    def actor(self) -> Any:
        """Who imports, as the services' `actor`: the user, or None for the operator of
        `chibo import` without --user, who has the whole tree in scope but is no user."""
        return self.user if getattr(self.user, "pk", None) else None


@dataclass(frozen=True)
class Handler:
    sheet: Sheet
    key: Callable[[Values], Key]  # what makes two rows of a file the same record
    apply: Callable[[Context, Values], Outcome]
    fields: dict[str, str]  # service/model field name -> column key, for ValidationErrors
    order: Callable[[list[Parsed]], list[Parsed]] | None = None
    # Run once every sheet is done (what a row leaves for later, e.g. adopting the minutes
    # of a meeting whose attendance comes in a later sheet): problems by the row's key.
    finish: Callable[[Context], dict[Key, list[tuple[str, str]]]] | None = None
    # Many rows at once, for a sheet whose files are large (a province's roster): writes
    # the rows it is sure of in bulk, leaving the database as `apply` row by row would
    # have, and returns their outcomes by row number; a row it leaves out (an update, a
    # row that may fail, one that depends on another) is then applied by `apply`.
    batch: Callable[[Context, list[Parsed]], dict[int, Outcome]] | None = None


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


@contextmanager
def on_column(column: str) -> Iterator[None]:
    """A service's refusal that names no field ("record the earlier steps first") shown on
    the column of the row that asked for the step."""
    try:
        yield
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            raise
        raise RowError(*[(message, column) for message in e.messages]) from None


def kept(sheet: Sheet, column: str, stored: Any) -> None:
    """Refuse to change what Chibo records and no service changes any more."""
    fail(
        _(
            "Chibo already records “%(value)s” here, and an import does not change it; leave "
            "the cell empty to keep it."
        )
        % {"value": show(sheet, column, stored)},
        column,
    )


def day_of(value: Any) -> dt.date:
    """A date cell for sorting rows: one that could not be read sorts first (its row is an
    error anyway)."""
    return value if isinstance(value, dt.date) else dt.date.min
