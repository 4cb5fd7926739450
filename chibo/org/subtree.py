"""Subtrees as lists of unit ids, for lists whose cost must follow the subtree they cover.

A list of a unit's subtree (the deadline board, the badge list, the daily reminders) first
reads the unit ids under it from the closure table, one indexed query, then filters rows by
that list: placements in those units, tasks of those cells. Given a literal list, the
planner knows how many units the scope holds and starts from them; given a subquery, it
guesses (PostgreSQL put a province at 12 units instead of 2,889) and may read the whole
table to filter it at the end, so that a cell's list cost what the country holds."""

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Q, QuerySet

from chibo.core.deadlines import Ask
from chibo.core.prepared import Mark, in_list

from .models import Ancestry, OrgUnit

Roots = OrgUnit | int | Iterable[OrgUnit | int]


def _root_ids(roots: Roots) -> list[int]:
    if isinstance(roots, OrgUnit | int):
        roots = [roots]
    return sorted({r.pk if isinstance(r, OrgUnit) else int(r) for r in roots})


def links(roots: Roots, on: dt.date | None = None) -> QuerySet:
    """The closure table's rows from `roots` down, as the tree stood on `on` (today if None)."""
    return Ancestry.objects.valid(on).filter(ancestor_id__in=_root_ids(roots))


def unit_ids(roots: Roots, on: dt.date | None = None) -> list[int]:
    """The ids of the units at or under `roots` as the tree stood on `on` (today if None),
    sorted; one query."""
    return sorted(set(links(roots, on).values_list("descendant_id", flat=True)))


# The number of units, read at most this often: it only chooses between two plans of the
# same query (Subtree.small), so a figure a few minutes old does no harm.
UNIT_TOTAL_SECONDS = 600
_unit_total: dict[str, tuple[float, int]] = {}


def unit_total() -> int:
    """How many units the database holds (closed ones included), read at most every
    UNIT_TOTAL_SECONDS per database."""
    now = time.monotonic()
    seen = _unit_total.get(connection.alias)
    if seen is None or now - seen[0] > UNIT_TOTAL_SECONDS:
        seen = (now, OrgUnit.all_objects.count())
        _unit_total[connection.alias] = seen
    return seen[1]


@dataclass(frozen=True)
class Subtree:
    """The units at or under `roots` on `on`, read once (`ids`), to filter rows by."""

    roots: tuple[int, ...]
    on: dt.date | None
    ids: tuple[int, ...]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._set

    @cached_property
    def _set(self) -> frozenset[int]:
        return frozenset(self.ids)

    @property
    def small(self) -> bool:
        """Whether the subtree holds less than half of the database's units. Then its
        members are best read first and looked up one by one (chibo.core.sql.InFirst): a
        province among ten. A subtree that is most of the database (a province on its own
        server) is best joined to whole tables, which it nearly is (bench/README.md)."""
        return 2 * len(self.ids) < unit_total()

    def q(self, column: str) -> Q:
        """Rows whose `column` (a unit id) is in the subtree: by the list of ids, given as ONE
        parameter (chibo.core.prepared.in_list: an array on PostgreSQL, JSON on SQLite).
        As one parameter per id, a province's 2,712 ids cost about 40 ms of Python a query
        to bind and quote, a third of its deadline board's time; and SQLite has no limit
        on the number of ids this way."""
        return Q(in_list(column, self.ids))


@dataclass(frozen=True)
class MarkedSubtree(Subtree):
    """A subtree whose ids are a mark (chibo.core.prepared): for building a query once and
    running it for any subtree. Its ids are not known, so it cannot be asked what it holds."""

    mark: Mark | None = None

    def __contains__(self, unit_id: object) -> bool:
        raise TypeError("a marked subtree's units are not known while its query is built")

    @property
    def small(self) -> bool:
        raise TypeError("a marked subtree's size is not known while its query is built")

    def q(self, column: str) -> Q:
        assert self.mark is not None
        return Q(in_list(column, self.mark))


def marked(mark: Mark) -> MarkedSubtree:
    """A subtree standing for `mark` (the ids of a `prepared` query's list)."""
    return MarkedSubtree((), None, (), mark)


def subtree_of(roots: Roots, on: dt.date | None = None) -> Subtree:
    """The subtree of `roots` on `on` (today if None), its unit ids read now (one query)."""
    ids = _root_ids(roots)
    return Subtree(tuple(ids), on, tuple(unit_ids(ids, on)))


def board_units(ask: Ask, on: dt.date | None = None) -> Subtree | None:
    """The subtree of a deadline board's unit on `on` (the day asked, by default), read once
    for all the board's sources; None for a board of every unit."""
    if ask.unit is None:
        return None
    day = ask.on if on is None else on
    return ask.once(f"subtree:{day.isoformat()}", lambda: subtree_of(ask.unit, day))
