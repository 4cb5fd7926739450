"""What the deadline hub (chibo.deadlines) shows and runs, filled by the domains from their
own `reminders.py` (as the admin is filled from each app's `admin.py`):

- BOARD: the lists of a unit's deadline board (development: ceremonies, probations,
  reviews, decisions; meetings: overdue tasks, the removal review; badges: the next
  occasion's count), each with its field in the API;
- DUE: what one member has due, on their timeline (the same lists, for one member);
- HISTORY: the entries of a member's life in the Party (events, placements, transfers,
  candidacy, reviews, badges...);
- REMINDERS: the daily job's reminders, each `(today) -> notices created`.

A domain registers one source per registry; the hub computes them in order, renders each
source's template on the board or the timeline page, and builds the API from the parts'
schemas, so it never names a domain."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from .export import Table
from .registry import Registry


def _none(value: Any) -> int:
    return 0


@dataclass(frozen=True)
class Part:
    """One list of a source: its field in the API (`key`, with `schema` and `description`)
    and, when `count` is given, its line in the board's table of contents."""

    key: str
    schema: Any  # the field's type in the API (a ninja Schema, list[...], int | None...)
    description: str = ""
    label: str | Promise = ""
    count: Callable[[Any], int | None] | None = None  # None (or it gives None): not listed
    overdue: Callable[[Any], int] = _none  # shown "(n overdue)" in the contents
    alert: bool = False  # a count that is itself bad news (shown in red)
    api: Callable[[Any], Any] = lambda value: value  # the value as the API gives it
    # The part's rows as a sheet of the board's Excel file (chibo.core.export), or None
    # when it has no rows to list (a count only).
    sheet: Callable[[Any], Table] | None = None
    # The part's name in the Excel file, in the document's Vietnamese.
    title: str = ""


@dataclass
class Ask:
    """What the board is asked for: a unit's subtree (None: every unit) on a day, and the
    year of the yearly lists. `once` shares a computation between two parts of a source."""

    unit: Any
    on: dt.date
    year: int
    memo: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def name_own(self, rows: list[Any]) -> bool:
        """Set `cell_name` on rows that all lie in the board's own unit (a cell's board: no
        query for its name) and say so; False leaves them to be named (org.name_cells)."""
        if self.unit is None or any(r.cell_id != self.unit.pk for r in rows):
            return False
        for r in rows:
            r.cell_name = self.unit.name
        return True


@dataclass(frozen=True)
class BoardSource:
    """A domain's lists on the deadline board. `compute(ask)` gives each part's value by key;
    `template` shows them (context: `values`, `unit`, `on`, `rows_shown`); `prepare(values,
    shown)` sets what only the page needs (row links) on the first `shown` rows."""

    parts: tuple[Part, ...]
    compute: Callable[[Ask], dict[str, Any]]
    template: str
    order: int = 100
    prepare: Callable[[dict[str, Any], int], None] | None = None


@dataclass(frozen=True)
class DueSource:
    """What one member has due, for the timeline: `compute(member, on)` by part key;
    `template` lists them (context: `values`, `member`, `on`); `nothing(values)` says there
    is nothing due among them."""

    parts: tuple[Part, ...]
    compute: Callable[[Any, dt.date], dict[str, Any]]
    template: str
    order: int = 100
    nothing: Callable[[dict[str, Any]], bool] = lambda values: not any(values.values())


@dataclass
class Entry:
    """One line of a member's life in the Party."""

    day: dt.date
    what: str  # candidacy, event, placement, transfer, review, badge...
    title: str
    detail: str = ""
    decision: str = ""


@dataclass(frozen=True)
class HistorySource:
    """Entries of a member's life; `rank` orders entries of one day between sources (a
    candidate is admitted, then placed, then transferred...)."""

    entries: Callable[[Any], list[Entry]]
    rank: int = 100


Reminder = Callable[[dt.date], int]  # (today) -> notices created; keyed, so safe to rerun

BOARD: Registry[BoardSource] = Registry("deadline board sources", discover="reminders")
DUE: Registry[DueSource] = Registry("member due sources", discover="reminders")
HISTORY: Registry[HistorySource] = Registry("member history sources", discover="reminders")
REMINDERS: Registry[Reminder] = Registry("daily reminders", discover="reminders")


def ordered[T](registry: Registry[T]) -> list[T]:
    return registry.sorted(key=lambda source: getattr(source, "order", 100))


def link(rows: Iterable[Any], url_name: str, attr: str) -> None:
    """Set `url` on each row from one reversed pattern (no reverse() per row)."""
    pattern = reverse(url_name, args=[0])
    for row in rows:
        row.url = pattern.replace("/0/", f"/{getattr(row, attr)}/")
