"""The removal review (xem xét xóa tên): members who in a calendar year missed
`removal_missed_meetings` monthly meetings without a valid reason (Điều lệ Đảng), listed for
their cell to consider, with the meetings behind it.

Counted: the member's roster rows marked "absent, no valid reason" at regular monthly meetings
held in the year (thematic, extraordinary and committee meetings do not count), in whichever
cell the member attended then. Not counted: rows where the member was exempt from activities
or away on a temporary transfer that day (the roster notes both), an exemption being a valid
reason and the member on transfer taking part in the other cell. Dues are not recorded in
Chibo yet, so the dues half of the rule is not applied here."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chibo import rules
from chibo.meetings.models import Attendance, Kind, Presence, State
from chibo.members.models import (
    IN_PARTY,
    Member,
    Placement,
    PlacementKind,
    StatusPeriod,
    period_valid_on,
)
from chibo.org.models import OrgUnit

from .services import chunks, day_start, name_cells


@dataclass
class Missed:
    meeting_id: int
    day: dt.date
    cell_id: int
    cell_name: str = ""
    url: str = ""


@dataclass
class RemovalRow:
    member_id: int
    full_name: str
    code: str
    cell_id: int | None
    missed: list[Missed] = field(default_factory=list)
    cell_name: str = ""

    @property
    def count(self) -> int:
        return len(self.missed)


@dataclass
class RemovalReview:
    year: int
    as_of: dt.date  # 31/12 of the year, or the day asked for in a year not yet over
    threshold: int | None  # the rule in force on `as_of`; None: no rule that day
    rows: list[RemovalRow]


def unexcused_absences(year: int, as_of: dt.date):
    """Roster rows that count toward the removal review, at meetings of `year` up to `as_of`."""
    return (
        Attendance.objects.filter(
            presence=Presence.UNEXCUSED,
            exempt=False,
            away=False,
            meeting__kind=Kind.REGULAR,
            meeting__state__in=[State.HELD, State.ADOPTED],
            meeting__deleted_at__isnull=True,
        )
        .alias(at=Coalesce("meeting__started_at", "meeting__planned_at"))
        .filter(at__gte=day_start(dt.date(year, 1, 1)))
        .filter(at__lt=day_start(as_of + dt.timedelta(days=1)))
    )


def removal_review(
    unit: OrgUnit | None, year: int, on: dt.date, *, member: int | None = None
) -> RemovalReview:
    """Members in the Party and placed in `unit`'s subtree on 31/12 of `year` (or on `on`,
    in a year not over yet) who missed at least the rule's number of monthly meetings in
    `year` without a valid reason. The rule is read on that same day."""
    as_of = min(dt.date(year, 12, 31), on)
    threshold = rules.at(as_of, unit).removal_missed_meetings
    if threshold is None or as_of < dt.date(year, 1, 1):
        return RemovalReview(year, as_of, threshold, [])
    absences = unexcused_absences(year, as_of)
    if member is not None:
        absences = absences.filter(member_id=member)
    if unit is not None:
        # Members officially placed in the subtree that day (Member.placed_in), read from
        # the placements alone: the count below needs only their ids.
        placed = Placement.objects.active_on(as_of).filter(
            kind=PlacementKind.OFFICIAL,
            unit__in=OrgUnit.all_objects.within(unit, as_of).values("pk"),
        )
        absences = absences.filter(member_id__in=placed.values("member_id"))
    # The count runs once; the few members it lists are then read by id, and kept if still
    # in the Party that day.
    ids = list(
        absences.values("member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .values_list("member_id", flat=True)
    )
    in_party = StatusPeriod.objects.filter(
        period_valid_on(as_of), member=OuterRef("pk"), status__in=[s.value for s in IN_PARTY]
    )
    cell = (
        Placement.objects.active_on(as_of)
        .filter(member=OuterRef("pk"), kind=PlacementKind.OFFICIAL)
        .order_by("-start", "-pk")
        .values("unit_id")[:1]
    )
    rows: dict[int, RemovalRow] = {}
    order: dict[int, tuple[str, int]] = {}
    tz = timezone.get_current_timezone()
    for part in chunks(ids):
        for pk, name, code, cell_id, folded in (
            Member.objects.filter(pk__in=part)
            .filter(Exists(in_party))
            .annotate(cell_id=Subquery(cell))
            .values_list("pk", "full_name", "code", "cell_id", "search_name")
        ):
            rows[pk] = RemovalRow(pk, name, code, cell_id)
            order[pk] = (folded, pk)
        # Every absence of theirs counted above (wherever it was), by id: not through the
        # scope again, which would make the database start from the whole subtree.
        detail = (
            unexcused_absences(year, as_of)
            .filter(member_id__in=[pk for pk in part if pk in rows])
            .annotate(held_at=Coalesce("meeting__started_at", "meeting__planned_at"))
            .order_by()
            .values_list("member_id", "meeting_id", "held_at", "meeting__cell_id")
        )
        for member_id, meeting_id, held_at, cell_id in detail:
            rows[member_id].missed.append(
                Missed(meeting_id, held_at.astimezone(tz).date(), cell_id)
            )
    out = sorted(rows.values(), key=lambda r: order[r.member_id])
    for r in out:
        r.missed.sort(key=lambda m: (m.day, m.meeting_id))
    name_cells([*out, *(m for r in out for m in r.missed)])
    return RemovalReview(year, as_of, threshold, out)
