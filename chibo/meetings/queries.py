"""Reads behind the deadline board and the member timeline: the tasks given at meetings and
still open, and the removal review (xem xét xóa tên).

The removal review (Điều lệ Đảng): members who in a calendar year, without a valid reason,
missed `removal_missed_meetings` monthly meetings or left `removal_unpaid_months` months of
dues unpaid, listed for their cell to consider, with the meetings and the months behind it.
A member on both lists is one row with both reasons.

Meetings counted: the member's roster rows marked "absent, no valid reason" at regular
monthly meetings held in the year (thematic, extraordinary and committee meetings do not
count), in whichever cell the member attended then. Not counted: rows where the member was
exempt from activities or away on a temporary transfer that day (the roster notes both), an
exemption being a valid reason and the member on transfer taking part in the other cell.

Months counted (the dues ledger, chibo.dues): the member's charges of months of the year
already over (December counts on 31/12) with less paid than due, in whichever cell they were
charged. Not counted: months a dues waiver covers (its reason is a valid one)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from chibo import rules
from chibo.core.prepared import Marks, prepared
from chibo.core.sql import InFirst, chunks
from chibo.dues.queries import unpaid_in_year
from chibo.members.models import (
    IN_PARTY,
    Member,
    Placement,
    PlacementKind,
    StatusPeriod,
    period_valid_on,
)
from chibo.members.queries import placed_in, placed_or_held
from chibo.org.models import OrgUnit
from chibo.org.queries import name_cells
from chibo.org.subtree import Subtree, marked, subtree_of

from .models import (
    Attendance,
    Kind,
    Meeting,
    Outcome,
    Presence,
    QualityScore,
    State,
    Task,
    TaskReview,
    TaskStatus,
)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, local time (meeting times are stored aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# Tasks given at meetings ----------------------------------------------------------------------


@dataclass
class TaskRow:
    task_id: int
    text: str
    member_id: int | None  # the member who holds it, or None for a party group's task
    assignee: str
    cell_id: int
    meeting_id: int
    given_on: dt.date
    due_on: dt.date
    cell_name: str = ""
    url: str = ""


def open_tasks(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    overdue_only: bool = True,
    units: Subtree | None = None,
) -> list[TaskRow]:
    """Tasks given at meetings held by `on` and still open that day (closed only by a review
    at a later meeting), due before `on` (overdue) or, with overdue_only False, any time.
    `units`: the subtree's units on `on`, when the caller has read them already."""
    fields = ("pk", "text", "member_id", "member__full_name", "group__name", "cell_id")

    def build(where: Q) -> QuerySet:
        end = day_start(on + dt.timedelta(days=1))
        closed_later = (
            TaskReview.objects.filter(task=OuterRef("pk"))
            .exclude(outcome=Outcome.CARRIED)
            .alias(at=Coalesce("meeting__started_at", "meeting__planned_at"))
            .filter(at__gte=end)
        )
        qs = (
            Task.objects.filter(meeting__deleted_at__isnull=True)
            .alias(given=Coalesce("meeting__started_at", "meeting__planned_at"))
            .filter(given__lt=end)
            .filter(where)
        )
        if overdue_only:
            qs = qs.filter(due_on__lt=on)
        # The open ones and those closed after `on`, as two parts: with an OR between them
        # the database read every task of the subtree (a province: 57,726 for 1,968 open)
        # instead of the open ones through the (cell, status) index.
        parts = [
            qs.filter(status=TaskStatus.OPEN),
            qs.exclude(status=TaskStatus.OPEN).filter(Exists(closed_later)),
        ]
        shown = [
            part.annotate(given_at=Coalesce("meeting__started_at", "meeting__planned_at"))
            .order_by()
            .values(*fields, "meeting_id", "given_at", "due_on")
            for part in parts
        ]
        return shown[0].union(shown[1], all=True).order_by("due_on", "pk")

    if unit is not None and member is None:
        # The subtree's cells as a list: the database starts from their tasks. Built once
        # a day (chibo.core.prepared): for a cell, building it cost more than running it.
        units = units if units is not None else subtree_of(unit, on)
        found = prepared(
            Task,
            ("meetings.open_tasks", on, overdue_only),
            lambda marks: build(marked(marks.ids("units")).q("cell_id")),
            units=units.ids,
        )
    else:
        where = Q() if member is None else Q(member_id=member)
        if unit is not None:
            where &= (units if units is not None else subtree_of(unit, on)).q("cell_id")
        found = list(build(where))
    tz = timezone.get_current_timezone()  # once: per row it was a third of the time
    rows = []
    for x in found:
        pk, text, holder, holder_name, group_name, cell = (x[f] for f in fields)
        meeting, given, due = x["meeting_id"], x["given_at"], x["due_on"]
        rows.append(
            TaskRow(
                task_id=pk,
                text=text,
                member_id=holder,
                assignee=holder_name or group_name or "",
                cell_id=cell,
                meeting_id=meeting,
                given_on=given.astimezone(tz).date(),
                due_on=due,
            )
        )
    return rows


# The removal review ---------------------------------------------------------------------------


@dataclass
class Missed:
    meeting_id: int
    day: dt.date
    cell_id: int
    cell_name: str = ""
    url: str = ""


@dataclass
class Unpaid:
    """A month of dues left unpaid: its charge and what was paid toward it."""

    month: dt.date
    due: int
    paid: int
    cell_id: int
    cell_name: str = ""


@dataclass
class RemovalRow:
    member_id: int
    full_name: str
    code: str
    cell_id: int | None
    missed: list[Missed] = field(default_factory=list)
    cell_name: str = ""
    unpaid: list[Unpaid] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Monthly meetings missed without a valid reason."""
        return len(self.missed)

    @property
    def unpaid_count(self) -> int:
        """Months of dues left unpaid without a valid reason."""
        return len(self.unpaid)


@dataclass
class RemovalReview:
    year: int
    as_of: dt.date  # 31/12 of the year, or the day asked for in a year not yet over
    threshold: int | None  # missed meetings, the rule in force on `as_of`; None: no rule
    rows: list[RemovalRow]
    unpaid_threshold: int | None = None  # unpaid months, the rule in force on `as_of`


def _unexcused_rows() -> QuerySet:
    """Roster rows that may count toward a removal review, at whatever meeting: the columns
    of attendance_unexcused_m_idx."""
    return Attendance.objects.filter(presence=Presence.UNEXCUSED, exempt=False, away=False)


def unexcused_absences(year: int, as_of: dt.date):
    """Roster rows that count toward the removal review, at meetings of `year` up to `as_of`."""
    return (
        _unexcused_rows()
        .filter(
            meeting__kind=Kind.REGULAR,
            meeting__state__in=[State.HELD, State.ADOPTED],
            meeting__deleted_at__isnull=True,
        )
        .alias(at=Coalesce("meeting__started_at", "meeting__planned_at"))
        .filter(at__gte=day_start(dt.date(year, 1, 1)))
        .filter(at__lt=day_start(as_of + dt.timedelta(days=1)))
    )


def removal_as_of(year: int, on: dt.date) -> dt.date:
    """The day the removal review of `year` is read on: 31/12, or `on` in a year not over."""
    return min(dt.date(year, 12, 31), on)


def removal_review(
    unit: OrgUnit | None,
    year: int,
    on: dt.date,
    *,
    member: int | None = None,
    units: Subtree | None = None,
) -> RemovalReview:
    """Members in the Party and placed in `unit`'s subtree on 31/12 of `year` (or on `on`,
    in a year not over yet) who missed at least the rule's number of monthly meetings in
    `year`, or left at least the rule's number of its months of dues unpaid, without a valid
    reason. The rules are read on that same day. `units`: the subtree's units on that day
    (removal_as_of), when the caller has read them already."""
    as_of = removal_as_of(year, on)
    book = rules.at(as_of, unit)
    threshold, unpaid_threshold = book.removal_missed_meetings, book.removal_unpaid_months
    if as_of < dt.date(year, 1, 1) or (threshold is None and unpaid_threshold is None):
        return RemovalReview(year, as_of, threshold, [], unpaid_threshold)

    def over(
        counted: QuerySet, at_least: int, within: Subtree | None, first: bool = False
    ) -> QuerySet:
        if member is not None:
            counted = counted.filter(member_id=member)
        if within is not None:
            if first and counted.model is Attendance:
                # Read first (chibo.core.sql.InFirst; Subtree.small): each member's
                # unexcused rows through their own index, not every unexcused row of the
                # year in the database. The members from the records the subtree holds, in
                # an index (a few more than those placed there that day: they are kept
                # below). (Unpaid charges are found from the member by their own index
                # already: a plain IN.)
                #
                # Then only the members with as many such rows at any meeting, read in the
                # index alone, have their rows' meetings looked at: a province's 35,000
                # rows had each its meeting read to keep the year's (60 ms in the
                # 1,000,000-member demo), for 146 members listed.
                repeated = (
                    _unexcused_rows()
                    .filter(InFirst("member_id", placed_or_held(within, as_of)))
                    .order_by()
                    .values("member_id")
                    .annotate(n=Count("pk"))
                    .filter(n__gte=at_least)
                    .values("member_id")
                )
                counted = counted.filter(InFirst("member_id", repeated))
            else:
                # Members officially placed in the subtree that day, read from the
                # placements alone: the counts need only their ids.
                counted = counted.filter(member_id__in=placed_in(within, as_of).values("member_id"))
        # No ordering: Attendance's (by the member's name) left a join to every member
        # counted in the query, though the rows are grouped.
        return (
            counted.order_by()
            .values("member_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=at_least)
            .values("member_id")
        )

    # Each count runs once; the few members they list are then read by id, and kept if
    # still in the Party that day. A subtree's counts are built once a day
    # (chibo.core.prepared): for a cell, building them cost more than running them.
    if unit is not None and (units is None or units.on != as_of):
        units = subtree_of(unit, as_of)
    ids: set[int] = set()
    counts = (
        ("absences", Attendance, lambda: unexcused_absences(year, as_of), threshold),
        ("unpaid", Member, lambda: unpaid_in_year(year, as_of), unpaid_threshold),
    )
    for name, model, counted, at_least in counts:
        if at_least is None:
            continue
        if unit is not None and member is None:
            assert units is not None

            first = units.small

            def build(
                marks: Marks,
                c: Callable[[], QuerySet] = counted,
                n: int = at_least,
                first: bool = first,
            ):
                return over(c(), n, marked(marks.ids("units")), first)

            found = prepared(
                model,
                (f"meetings.removal.{name}", year, as_of, at_least, first),
                build,
                units=units.ids,
            )
        else:
            found = list(over(counted(), at_least, units if unit is not None else None))
        ids |= {x["member_id"] for x in found}
    in_party = StatusPeriod.objects.filter(
        period_valid_on(as_of), member=OuterRef("pk"), status__in=[s.value for s in IN_PARTY]
    )
    kept = Member.objects.filter(Exists(in_party))
    if units is not None and unit is not None:
        # Placed in the subtree that day: the absences were counted for a few more.
        kept = kept.filter(Exists(placed_in(units, as_of).filter(member=OuterRef("pk"))))
    cell = (
        Placement.objects.active_on(as_of)
        .filter(member=OuterRef("pk"), kind=PlacementKind.OFFICIAL)
        .order_by("-start", "-pk")
        .values("unit_id")[:1]
    )
    rows: dict[int, RemovalRow] = {}
    order: dict[int, tuple[str, int]] = {}
    missed: dict[int, list[Missed]] = {}
    unpaid: dict[int, list[Unpaid]] = {}
    tz = timezone.get_current_timezone()
    for part in chunks(ids):
        for pk, name, code, cell_id, folded in (
            kept.filter(pk__in=part)
            .annotate(cell_id=Subquery(cell))
            .values_list("pk", "full_name", "code", "cell_id", "search_name")
        ):
            rows[pk] = RemovalRow(pk, name, code, cell_id)
            order[pk] = (folded, pk)
        listed = [pk for pk in part if pk in rows]
        # Every absence and unpaid month of theirs counted above (wherever it was), by id:
        # not through the scope again, which would make the database start from the whole
        # subtree.
        detail = (
            unexcused_absences(year, as_of)
            .filter(member_id__in=listed)
            .annotate(held_at=Coalesce("meeting__started_at", "meeting__planned_at"))
            .order_by()
            .values_list("member_id", "meeting_id", "held_at", "meeting__cell_id")
        )
        for member_id, meeting_id, held_at, cell_id in detail:
            missed.setdefault(member_id, []).append(
                Missed(meeting_id, held_at.astimezone(tz).date(), cell_id)
            )
        charges = (
            unpaid_in_year(year, as_of)
            .filter(member_id__in=listed)
            .order_by()
            .values_list("member_id", "month", "amount", "paid", "cell_id")
        )
        for member_id, month, due, paid, cell_id in charges:
            unpaid.setdefault(member_id, []).append(Unpaid(month, due, paid, cell_id))
    # A list counts only when its own threshold is reached: a member listed for meetings
    # does not carry two unpaid months along, nor the reverse.
    for pk, row in rows.items():
        if threshold is not None and len(missed.get(pk, [])) >= threshold:
            row.missed = sorted(missed[pk], key=lambda m: (m.day, m.meeting_id))
        if unpaid_threshold is not None and len(unpaid.get(pk, [])) >= unpaid_threshold:
            row.unpaid = sorted(unpaid[pk], key=lambda u: u.month)
    out = sorted(rows.values(), key=lambda r: order[r.member_id])
    name_cells([*out, *(m for r in out for m in r.missed), *(u for r in out for u in r.unpaid)])
    return RemovalReview(year, as_of, threshold, out, unpaid_threshold)


# What one person has to do: a member's tasks, a follower's scores to confirm, a cell's ---------
# meetings not scored yet (the home page and the member's schedule) ---------------------------


def party_group_ids(member_id: int, on: dt.date) -> list[int]:
    """The party groups (tổ đảng) the member belongs to on `on`, from their placements."""
    return list(
        Placement.objects.active_on(on)
        .filter(member_id=member_id, party_group__isnull=False)
        .values_list("party_group_id", flat=True)
    )


def member_tasks(member_id: int, on: dt.date):
    """Tasks given to the member or to one of their party groups, open ones first (earliest
    due first), then the closed ones, latest due first; with the meeting they were given at.
    Each row has `overdue` (open and due before `on`)."""
    groups = party_group_ids(member_id, on)
    rows = list(
        Task.objects.filter(Q(member_id=member_id) | Q(group_id__in=groups))
        .filter(meeting__deleted_at__isnull=True)
        .select_related("meeting", "group")
    )
    opened = sorted(
        (t for t in rows if t.status == TaskStatus.OPEN), key=lambda t: (t.due_on, t.pk)
    )
    closed = sorted(
        (t for t in rows if t.status != TaskStatus.OPEN),
        key=lambda t: (t.due_on, t.pk),
        reverse=True,
    )
    for t in rows:
        t.overdue = t.status == TaskStatus.OPEN and t.due_on < on  # type: ignore[attr-defined]
    return opened + closed


def scores_to_confirm(user):
    """Scores the user may confirm as a superior follower: meetings they attended through their
    assignment to the cell (on the guest list), scored by someone else, not confirmed yet."""
    return (
        Meeting.objects.filter(
            quality__isnull=False,
            quality__confirmed_by__isnull=True,
            guests__follow__follower_id=user.pk,
        )
        .exclude(quality__filled_by_id=user.pk)
        .select_related("cell", "quality")
        .distinct()
        .order_by("-planned_at", "pk")
    )


def unscored_meetings(cell_id: int, year: int):
    """The cell's regular meetings held in `year` (or the year before) with no quality score:
    those the year's rating waits for (services.quality.year_rating counts the same)."""
    return (
        Meeting.objects.filter(
            cell_id=cell_id,
            kind=Kind.REGULAR,
            state__in=[State.HELD, State.ADOPTED],
            quality__isnull=True,
        )
        .alias(at=Coalesce("started_at", "planned_at"))
        .filter(at__gte=day_start(dt.date(year - 1, 1, 1)))
        .order_by("-at", "pk")
    )


def next_step(meeting: Meeting, today: dt.date) -> str:
    """What the secretary does next for the meeting, in a few words (the home page)."""
    if meeting.state == State.PLANNED:
        if meeting.day > today:
            if not meeting.agenda.exists():
                return gettext("Prepare the agenda")
            if not meeting.documents.exists():
                return gettext("Post the documents at least one day before")
            return gettext("Ready: on the day, take attendance and record the meeting")
        return gettext("Take attendance and record the meeting")
    try:
        scored = meeting.quality is not None  # read with select_related("quality") for a list
    except QualityScore.DoesNotExist:
        scored = False
    if meeting.state == State.HELD:
        return (
            gettext("Adopt the minutes")
            if scored
            else gettext("Score the meeting, adopt the minutes")
        )
    if meeting.state == State.ADOPTED and not scored:
        return gettext("Score the meeting")
    return ""
