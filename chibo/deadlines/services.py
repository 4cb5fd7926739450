"""What is due in a unit's subtree on a day: admission ceremonies, probations ending, official
reviews, overdue meeting tasks (and, in removal.py, the removal review).

Each list is one query over the members placed in the subtree that day, whatever their number:
the deadlines are computed in SQL from the working-day calendar table, each with the count in
force on the row's own starting day (chibo.rules.queries.value_by_date), never in a loop
over members."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chibo import rules
from chibo.development.models import OfficialReview
from chibo.meetings.models import Outcome, Task, TaskReview, TaskStatus
from chibo.members.models import (
    Member,
    MemberQuerySet,
    Placement,
    PlacementKind,
    Status,
    StatusPeriod,
    period_valid_on,
)
from chibo.org.models import OrgUnit
from chibo.rules.calendar import with_deadline
from chibo.rules.queries import value_by_date

# How far ahead the board and the reminders look for probations ending: the cell prepares the
# review in the month before (issue 4, item 8). A working choice of Chibo, not a Party rule.
PROBATION_NOTICE_DAYS = 30


def chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """Ids in slices, so that no query carries more parameters than SQLite accepts."""
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, local time (meeting times are stored aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class MemberRow:
    """A member with something due; `start` is the day the deadline counts from."""

    member_id: int
    full_name: str
    code: str
    cell_id: int | None
    start: dt.date | None
    deadline: dt.date | None
    overdue: bool = False
    voted_on: dt.date | None = None  # a review voted, the decision awaited
    cell_name: str = ""
    url: str = ""


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


@dataclass
class BadgesDue:
    """How many are due a Party badge on the next award occasion (chibo.badges)."""

    occasion: dt.date
    name: str
    due: int  # due, early for illness, or posthumous, and not held back
    held: int  # held back by a discipline


@dataclass
class Board:
    """The deadline lists of a unit's subtree on `on`."""

    unit: OrgUnit | None
    on: dt.date
    ceremonies: list[MemberRow] = field(default_factory=list)
    probations: list[MemberRow] = field(default_factory=list)
    reviews: list[MemberRow] = field(default_factory=list)  # probation ended, not yet voted
    decisions: list[MemberRow] = field(default_factory=list)  # voted, decision awaited
    tasks: list[TaskRow] = field(default_factory=list)
    badges: BadgesDue | None = None

    @staticmethod
    def overdue(rows: list[MemberRow]) -> int:
        return sum(r.overdue for r in rows)


# The members a list starts from ---------------------------------------------------------------


def _province(unit: OrgUnit | None, on: dt.date) -> int | None:
    """Whose rules apply: the unit's province (a province may set its own counts)."""
    return rules.province_of(unit, on) if unit is not None else None


def probationary(unit: OrgUnit | None, on: dt.date, member: int | None = None) -> MemberQuerySet:
    """Members probationary on `on`, officially placed in `unit`'s subtree that day (all
    members when `unit` is None), with `cell_id`: their official cell that day."""
    periods = StatusPeriod.objects.filter(period_valid_on(on), status=Status.PROBATIONARY)
    qs = Member.objects.filter(pk__in=periods.values("member_id"))
    if member is not None:
        qs = qs.filter(pk=member)
    cell = (
        Placement.objects.active_on(on)
        .filter(member=OuterRef("pk"), kind=PlacementKind.OFFICIAL)
        .order_by("-start", "-pk")
        .values("unit_id")[:1]
    )
    qs = qs.annotate(cell_id=Subquery(cell))
    if unit is not None:
        # The same as Member.placed_in (one official placement at a time), tested on the few
        # probationary members rather than by listing everyone placed in the subtree.
        qs = qs.filter(cell_id__in=OrgUnit.all_objects.within(unit, on).values("pk"))
    return qs


def _member_rows(qs: QuerySet, start: str, on: dt.date, *, voted: bool = False) -> list[MemberRow]:
    fields = ["pk", "full_name", "code", "cell_id", start, "deadline"]
    extra = ["voted_on"] if voted else []
    rows = []
    for values in qs.order_by("deadline", "search_name", "pk").values_list(*fields, *extra):
        pk, name, code, cell, begins, deadline = values[:6]
        rows.append(
            MemberRow(
                member_id=pk,
                full_name=name,
                code=code,
                cell_id=cell,
                start=begins,
                deadline=deadline,
                overdue=deadline is not None and on > deadline,
                voted_on=values[6] if extra else None,
            )
        )
    return rows


# 1. The admission ceremony ----------------------------------------------------------------------


def ceremonies_due(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    rules_unit: OrgUnit | None = None,
) -> list[MemberRow]:
    """Probationary members whose current admission has no ceremony yet (as of `on`): the
    deadline is `ceremony_working_days` (in force on the admission day) working days after
    the admission decision; overdue from the day after it."""
    qs = (
        probationary(unit, on, member)
        .filter(last_admitted_on__lte=on)
        .filter(Q(ceremony_on__isnull=True) | Q(ceremony_on__gt=on))
    )
    province = _province(rules_unit or unit, on)
    n = value_by_date("ceremony_working_days", "last_admitted_on", province)
    rows = with_deadline(qs, name="deadline", start="last_admitted_on", n=n)
    return _member_rows(rows, "last_admitted_on", on)


# 2. Probation ending soon -----------------------------------------------------------------------


def probations_ending(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    days: int | None = PROBATION_NOTICE_DAYS,
    member: int | None = None,
) -> list[MemberRow]:
    """Probationary members whose probation ends after `on` and at most `days` days later
    (None: any time later). The day it ends, the member moves to the review list."""
    qs = probationary(unit, on, member).filter(ceremony_on__lte=on, probation_ends_on__gt=on)
    if days is not None:
        qs = qs.filter(probation_ends_on__lte=on + dt.timedelta(days=days))
    rows = []
    for pk, name, code, cell, ceremony, ends in qs.order_by(
        "probation_ends_on", "search_name", "pk"
    ).values_list("pk", "full_name", "code", "cell_id", "ceremony_on", "probation_ends_on"):
        rows.append(MemberRow(pk, name, code, cell, start=ceremony, deadline=ends))
    return rows


# 3. The cell's review for official membership ---------------------------------------------------


def reviews_due(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    rules_unit: OrgUnit | None = None,
) -> tuple[list[MemberRow], list[MemberRow]]:
    """Probationary members whose probation has ended by `on`: (not yet voted on, with the
    deadline `review_working_days` working days after the probation ended, by the rules in
    force that day; voted but the decision not yet made, as of `on`)."""
    votes = OfficialReview.objects.filter(
        member=OuterRef("pk"), vote_on__gte=OuterRef("probation_ends_on"), vote_on__lte=on
    )
    decided = votes.filter(decision_on__isnull=False, decision_on__lte=on)
    qs = (
        probationary(unit, on, member)
        .filter(probation_ends_on__lte=on)
        .exclude(Exists(decided))
        .annotate(voted_on=Subquery(votes.order_by("-vote_on", "-pk").values("vote_on")[:1]))
    )
    province = _province(rules_unit or unit, on)
    n = value_by_date("review_working_days", "probation_ends_on", province)
    listed = with_deadline(qs, name="deadline", start="probation_ends_on", n=n)
    rows = _member_rows(listed, "probation_ends_on", on, voted=True)
    waiting = [r for r in rows if r.voted_on is None]
    decisions = [r for r in rows if r.voted_on is not None]
    for r in decisions:
        r.overdue = False  # the cell has voted: what remains is the committee's decision
    return waiting, decisions


# 4. Tasks given at meetings --------------------------------------------------------------------


def open_tasks(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    overdue_only: bool = True,
) -> list[TaskRow]:
    """Tasks given at meetings held by `on` and still open that day (closed only by a review
    at a later meeting), due before `on` (overdue) or, with overdue_only False, any time."""
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
        .filter(Q(status=TaskStatus.OPEN) | Exists(closed_later))
    )
    if overdue_only:
        qs = qs.filter(due_on__lt=on)
    if member is not None:
        qs = qs.filter(member_id=member)
    if unit is not None:
        qs = qs.filter(cell__in=OrgUnit.all_objects.within(unit, on).values("pk"))
    fields = ("pk", "text", "member_id", "member__full_name", "group__name", "cell_id")
    tz = timezone.get_current_timezone()  # once: per row it was a third of the time
    rows = []
    for pk, text, holder, holder_name, group_name, cell, meeting, given, due in (
        qs.annotate(given_at=Coalesce("meeting__started_at", "meeting__planned_at"))
        .order_by("due_on", "pk")
        .values_list(*fields, "meeting_id", "given_at", "due_on")
    ):
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


# The board ---------------------------------------------------------------------------------


def name_cells(rows: list) -> None:
    """Fill `cell_name` on rows (one query for all of them)."""
    ids = {r.cell_id for r in rows if r.cell_id}
    names = dict(OrgUnit.all_objects.filter(pk__in=ids).values_list("pk", "name"))
    for r in rows:
        r.cell_name = names.get(r.cell_id, "")


# 6. Party badges ----------------------------------------------------------------------------


def badges_due(unit: OrgUnit, on: dt.date) -> BadgesDue | None:
    """The count for the first award occasion on or after `on` (the list itself is the
    badges page's), or None when no occasion lies ahead."""
    from chibo.badges.due import due_counts
    from chibo.badges.occasions import next_occasion

    occasion = next_occasion(on - dt.timedelta(days=1), rules.province_of(unit, on))
    if occasion is None:
        return None
    counts = due_counts(unit, occasion.date)
    return BadgesDue(
        occasion=occasion.date,
        name=occasion.name,
        due=sum(n for (_years, _reason, held), n in counts.items() if not held),
        held=sum(n for (_years, _reason, held), n in counts.items() if held),
    )


def deadline_board(unit: OrgUnit | None, on: dt.date) -> Board:
    reviews, decisions = reviews_due(unit, on)
    board = Board(
        unit=unit,
        on=on,
        ceremonies=ceremonies_due(unit, on),
        probations=probations_ending(unit, on),
        reviews=reviews,
        decisions=decisions,
        tasks=open_tasks(unit, on),
        badges=badges_due(unit, on) if unit is not None else None,
    )
    name_cells(
        [*board.ceremonies, *board.probations, *board.reviews, *board.decisions, *board.tasks]
    )
    return board
