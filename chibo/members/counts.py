"""Kept counts: members by status in each cell over time, kept in `MemberCount` so that a
count never reads members.

Why kept rather than recounted: a count of a subtree used to join every status period,
placement and closure row of the members under it, so a province's home page read its
100,000 members on every request. Here a cell's rows are a step function of time (one row
per stretch of days over which its counts do not change); a subtree's count on a date sums
the rows holding that day of the cells under it as the tree stood that day. Its cost follows
the number of units in scope, not of members. The rows do not depend on the tree, so a unit
moved or re-parented changes no row: only the closure table, which the reading joins.

How they are kept: every write that changes a member's placements, status periods,
exemptions or trash state ends in `members.services.member_refresh` (or calls `recount`
itself), which recounts the cells the member was ever placed in, in the same transaction.
Recounting a cell rereads its placements, their members' status periods and exemptions and
rewrites its rows, so the rows are right by construction, whatever the change. The cells are
locked first (PostgreSQL: SELECT ... FOR UPDATE on the units, in id order), so two writes to
one cell recount one after the other and the second sees the first's rows; SQLite has one
writer at a time anyway. The bulk writers (the demo) and repairs call `rebuild`, which
recounts units in chunks, each chunk its own transaction (`chibo rebuild-counts`).

The figures are those of `placed_on`: members not in the trash, with an official placement
(not in the trash) holding that day, counted by the status period holding that day;
`exempt`: those in the Party with an exemption (not in the trash) covering that day.
"""

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum

from chibo.org.models import Ancestry, OrgUnit

from .models import (
    FOREVER,
    EventKind,
    Member,
    MemberCount,
    MemberEvent,
    Placement,
    PlacementKind,
    Status,
    StatusPeriod,
)

# The count columns of a MemberCount row: the statuses, then the exempt ones.
STATUSES = [s.value for s in Status]
COLUMNS = [*STATUSES, "exempt"]
EXEMPT = len(STATUSES)
IN_PARTY_VALUES = {Status.PROBATIONARY.value, Status.OFFICIAL.value}
DAY = dt.timedelta(days=1)

Interval = tuple[dt.date, dt.date]  # [from, to): `to` excluded, FOREVER when open


# Computing a cell's rows (plain values in, plain values out) ------------------------------


def merged_spans(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of intervals, as disjoint ones in order."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def cell_rows(
    placements: Iterable[tuple[int, int, dt.date, dt.date | None]],
    periods: dict[int, list[tuple[str, dt.date, dt.date | None]]],
    exemptions: dict[int, list[Interval]],
) -> dict[int, list[tuple[dt.date, dt.date, tuple[int, ...]]]]:
    """Per unit, its rows (from, to, counts in COLUMNS order), from the official placements
    (member, unit, start, end), each member's status periods (status, from, to) and merged
    exemptions. Each (placement, status period) pair that overlaps counts once over their
    common days, as the join of `placed_on` does."""
    deltas: dict[int, dict[dt.date, list[int]]] = defaultdict(dict)

    def add(unit: int, day: dt.date, column: int, n: int) -> None:
        if day >= FOREVER:
            return
        vector = deltas[unit].get(day)
        if vector is None:
            vector = deltas[unit][day] = [0] * len(COLUMNS)
        vector[column] += n

    for member, unit, start, end in placements:
        p_end = end or FOREVER
        for status, valid_from, valid_to in periods.get(member, ()):
            a, b = max(start, valid_from), min(p_end, valid_to or FOREVER)
            if a >= b:
                continue
            column = STATUSES.index(status)
            add(unit, a, column, 1)
            add(unit, b, column, -1)
            if status in IN_PARTY_VALUES:
                for c, d in exemptions.get(member, ()):
                    x, y = max(a, c), min(b, d)
                    if x < y:
                        add(unit, x, EXEMPT, 1)
                        add(unit, y, EXEMPT, -1)
    out: dict[int, list[tuple[dt.date, dt.date, tuple[int, ...]]]] = {}
    for unit, by_day in deltas.items():
        rows: list[tuple[dt.date, dt.date, tuple[int, ...]]] = []
        current = [0] * len(COLUMNS)
        opened: tuple[dt.date, tuple[int, ...]] | None = None
        for day in sorted(by_day):
            current = [c + d for c, d in zip(current, by_day[day], strict=True)]
            now = tuple(current)
            if opened is not None and opened[1] == now:
                continue
            if opened is not None:
                rows.append((opened[0], day, opened[1]))
            opened = (day, now) if any(now) else None
        if opened is not None:
            rows.append((opened[0], FOREVER, opened[1]))
        out[unit] = rows
    return out


# Keeping them -------------------------------------------------------------------------------


def computed(unit_ids: Sequence[int]) -> dict[int, list[tuple[dt.date, dt.date, tuple[int, ...]]]]:
    """The rows the units should have, from their placements, status periods and exemptions
    (three queries, whatever the number of units)."""
    placed = Placement.objects.filter(
        unit_id__in=unit_ids, kind=PlacementKind.OFFICIAL, member__deleted_at__isnull=True
    )
    members = placed.values("member_id")
    placements = list(placed.values_list("member_id", "unit_id", "start", "end"))
    if not placements:
        return {}
    periods: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for member, *period in StatusPeriod.objects.filter(member_id__in=members).values_list(
        "member_id", "status", "valid_from", "valid_to"
    ):
        periods[member].append(tuple(period))  # type: ignore[arg-type]
    exemptions: dict[int, list[Interval]] = defaultdict(list)
    exempted = MemberEvent.objects.filter(member_id__in=members, kind=EventKind.EXEMPTED)
    for member, start, end in exempted.values_list("member_id", "date", "end_date"):
        # An exemption covers its last day: [date, end_date + 1).
        exemptions[member].append((start, end + DAY if end else FOREVER))
    merged = {m: merged_spans(spans) for m, spans in exemptions.items()}
    return cell_rows(placements, periods, merged)


# Inside `deferred()`: the units whose recount waits for the end of the block.
_waiting: ContextVar[set[int] | None] = ContextVar("chibo_recount_waiting", default=None)


@contextlib.contextmanager
def deferred(*, discard: bool = False, chunk: int = 200) -> Iterator[None]:
    """Recount each unit once, at the end of the block, however many writes touched it: an
    import of a cell's 50 members recounted the cell 150 times (each time rereading all its
    members), which made a province's roster quadratic. Use it inside the transaction of
    the writes; nothing inside may read the kept counts. A block that raises recounts
    nothing (its transaction is rolled back), nor does one whose writes will be rolled back
    anyway (`discard`: an import's preview)."""
    if _waiting.get() is not None:  # nested: the outer block recounts
        yield
        return
    waiting: set[int] = set()
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    ids = [] if discard else sorted(waiting)
    for i in range(0, len(ids), chunk):
        recount(ids[i : i + chunk])


def recount(unit_ids: Iterable[int]) -> int:
    """Rewrite the kept rows of these units from their placements (call it inside the
    transaction of the write that changed them). Returns the number of rows written (none
    inside `deferred()`, which recounts them at its end)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return 0
    waiting = _waiting.get()
    if waiting is not None:
        waiting.update(ids)
        return 0
    if connection.features.has_select_for_update:
        # Two writes to one cell recount one after the other (see the module's docstring).
        list(OrgUnit.all_objects.select_for_update().filter(pk__in=ids).values_list("pk"))
    rows = computed(ids)
    MemberCount.objects.filter(unit_id__in=ids).delete()
    written = MemberCount.objects.bulk_create(
        MemberCount(
            unit_id=unit,
            valid_from=start,
            valid_to=end,
            **dict(zip(COLUMNS, counts, strict=True)),
        )
        for unit, unit_rows in rows.items()
        for start, end, counts in unit_rows
    )
    return len(written)


def member_cells(member: Member) -> set[int]:
    """The units the member was ever placed in (any kind, trash included): those whose
    counts a change to the member may change."""
    return set(
        Placement.all_objects.filter(member=member).values_list("unit_id", flat=True).distinct()
    )


def recount_member(member: Member, *, also: Iterable[int] = ()) -> int:
    """Recount the cells of the member (and `also`: a cell a placement just left)."""
    return recount(member_cells(member) | set(also))


def rebuild(
    *,
    root: OrgUnit | None = None,
    after: int | None = None,
    chunk: int = 200,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Recount every unit (or those ever under `root`), in id order from after `after`,
    `chunk` units a transaction: a stopped run is resumed with `after` = the last id it
    printed, and running it again changes nothing. Returns the rows written."""
    units = OrgUnit.all_objects.order_by("pk")
    if root is not None:
        units = units.filter(pk__in=Ancestry.objects.filter(ancestor=root).values("descendant_id"))
    if after is not None:
        units = units.filter(pk__gt=after)
    ids = list(units.values_list("pk", flat=True))
    written = 0
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        with transaction.atomic():
            written += recount(part)
        if progress is not None:
            progress(
                f"{min(i + chunk, len(ids))}/{len(ids)} units, up to id {part[-1]}: {written} rows"
            )
    return written


# Reading them -------------------------------------------------------------------------------


def holding(on: dt.date, prefix: str = "") -> Q:
    """Condition for a MemberCount (reached through `prefix`) to hold on `on`."""
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_to__gt": on})


def counts_on(roots: Sequence[int], on: dt.date) -> dict[int, dict[str, int]]:
    """For each root: the kept counts (COLUMNS) of its subtree as it stood on `on` (one
    query, over the rows of the units in scope)."""
    result: dict[int, dict[str, int]] = {r: dict.fromkeys(COLUMNS, 0) for r in roots}
    if not roots:
        return result
    link = "unit__ancestor_links__"
    rows = (
        MemberCount.objects.filter(
            Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": on}),
            holding(on),
            **{f"{link}ancestor_id__in": list(roots), f"{link}valid_from__lte": on},
        )
        .values(f"{link}ancestor_id")
        .annotate(**{c: Sum(c) for c in COLUMNS})
        .order_by()
    )
    for row in rows:
        result[row.pop(f"{link}ancestor_id")] = {c: row[c] or 0 for c in COLUMNS}
    return result


def cell_counts(units: Any, days: Sequence[dt.date]) -> dict[int, dict[dt.date, dict[str, int]]]:
    """The kept counts of each unit of `units` (ids or a subquery of ids) on each of `days`
    (one query): {unit: {day: counts}}, units with no member those days left out."""
    held = Q()
    for day in days:
        held |= holding(day)
    out: dict[int, dict[dt.date, dict[str, int]]] = defaultdict(dict)
    for row in MemberCount.objects.filter(held, unit_id__in=units).values(
        "unit_id", "valid_from", "valid_to", *COLUMNS
    ):
        for day in days:
            if row["valid_from"] <= day < row["valid_to"]:
                out[row["unit_id"]][day] = {c: row[c] for c in COLUMNS}
    return out
