"""Who owes dues in a month, and where: the members in the Party at some time in the month
with an official placement (Placement) during it, each counted in one cell, the one that held
their record first in the month (the cell they were in on its first day, else the first
they joined during it). A member who transfers during a month pays that month to the cell
they leave, which writes it on the transfer letter ("đã đóng đảng phí đến hết tháng ...").

A unit's roll keeps the members whose cell of the month lay in its subtree at some time in
the month (the closure table, Ancestry). All in SQL: a few queries whatever the size."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from chibo.members.models import IN_PARTY, Placement, PlacementKind, StatusPeriod
from chibo.org.models import Ancestry, OrgUnit

from .months import first, last_day


def subtree_during(unit: OrgUnit | int, start: dt.date, end: dt.date) -> QuerySet:
    """Ids of the units in `unit`'s subtree at some time from `start` to `end` (a subquery)."""
    return (
        Ancestry.objects.filter(ancestor=unit, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values("descendant_id")
    )


def in_party_during(start: dt.date, end: dt.date, member_ref: str = "member") -> Exists:
    """The member (reached through `member_ref`) was in the Party at some time in the days."""
    return Exists(
        StatusPeriod.objects.filter(
            member=OuterRef(member_ref),
            status__in=[s.value for s in IN_PARTY],
            valid_from__lte=end,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    )


def placements_during(start: dt.date, end: dt.date) -> QuerySet:
    """Official placements (not in the trash) at some time from `start` to `end`."""
    return Placement.objects.filter(
        kind=PlacementKind.OFFICIAL, start__lte=end, member__deleted_at__isnull=True
    ).filter(Q(end__isnull=True) | Q(end__gt=start))


def candidates(month: dt.date, unit: OrgUnit | int) -> QuerySet:
    """Ids of the members placed officially in `unit`'s subtree at some time in the month (a
    subquery): every member of the unit's roll is one, and a few more (placed there later in
    the month, after a first cell elsewhere). Reads of many members filter on it in SQL
    rather than pass thousands of ids."""
    start = first(month)
    end = last_day(start)
    return (
        placements_during(start, end)
        .filter(unit_id__in=subtree_during(unit, start, end))
        .values("member_id")
    )


def month_roll(
    month: dt.date, unit: OrgUnit | int | None = None, members: Iterable[int] | None = None
) -> dict[int, int]:
    """member id -> cell id: who owes dues in the month of `month` and in which cell; with
    `unit`, those whose cell lay in its subtree; with `members`, only those. Three queries."""
    start = first(month)
    end = last_day(start)
    placements = placements_during(start, end).filter(in_party_during(start, end))
    inside: set[int] | None = None
    if unit is not None:
        placements = placements.filter(member_id__in=candidates(start, unit))
        inside = set(subtree_during(unit, start, end).values_list("descendant_id", flat=True))
    if members is not None:
        placements = placements.filter(member_id__in=list(members))
    roll: dict[int, int] = {}
    rows = placements.order_by("member_id", "start", "pk").values_list("member_id", "unit_id")
    for member_id, cell_id in rows:
        roll.setdefault(member_id, cell_id)
    if inside is not None:
        roll = {m: c for m, c in roll.items() if c in inside}
    return roll


def cell_of(member_id: int, month: dt.date) -> int | None:
    """The cell the member's dues of the month belong to: their cell of the month, else the
    last cell that held their record before it (in transit, or after they left)."""
    found = month_roll(month, members=[member_id]).get(member_id)
    if found is not None:
        return found
    return (
        Placement.objects.filter(
            member_id=member_id, kind=PlacementKind.OFFICIAL, start__lte=last_day(first(month))
        )
        .order_by("-start", "-pk")
        .values_list("unit_id", flat=True)
        .first()
    )
