"""Meetings' deadlines and what they tell people: the notices (chibo.notices) of documents
posted, a meeting moved or cancelled, the reminder the day before, an overdue task; the
overdue tasks and the removal review on the unit's deadline board, a member's tasks and
missed meetings on their timeline, and the daily reminders (chibo.core.deadlines)."""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from chibo import rules
from chibo.accounts.models import Role, User
from chibo.core.deadlines import BOARD, DUE, REMINDERS, Ask, BoardSource, DueSource, Part, link
from chibo.core.export import Column, Table
from chibo.core.formats import date as vn_date
from chibo.core.sql import chunks
from chibo.follow.queries import follower_ids
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind
from chibo.notices.kinds import notice_kind
from chibo.notices.models import Notice
from chibo.notices.services import Reminder, notify, notify_all
from chibo.org.queries import name_cells
from chibo.org.scope import HERE, holder_ids
from chibo.org.subtree import board_units

from .models import Meeting, MeetingDocument, State
from .queries import (
    RemovalReview,
    TaskRow,
    open_tasks,
    removal_as_of,
    removal_review,
    unexcused_absences,
)

DOCUMENTS_POSTED = notice_kind(
    "documents_posted",
    gettext_lazy("Documents posted for a meeting"),
    gettext_lazy("New document for the meeting of %(cell)s on %(day)s: %(title)s"),
)
MEETING_TOMORROW = notice_kind(
    "meeting_tomorrow",
    gettext_lazy("Meeting tomorrow"),
    gettext_lazy("Reminder: %(meeting)s of %(cell)s tomorrow, %(day)s at %(time)s, %(place)s"),
)
MEETING_MOVED = notice_kind(
    "meeting_moved",
    gettext_lazy("Meeting moved"),
    gettext_lazy(
        "The meeting of %(cell)s planned for %(old_day)s is moved to %(day)s at %(time)s: "
        "%(reason)s"
    ),
)
MEETING_CANCELLED = notice_kind(
    "meeting_cancelled",
    gettext_lazy("Meeting cancelled"),
    gettext_lazy("The meeting of %(cell)s on %(day)s is cancelled: %(reason)s"),
)

TASK_OVERDUE = notice_kind(
    "task_overdue",
    gettext_lazy("Meeting task overdue"),
    gettext_lazy(
        "Overdue task from the meeting of %(cell)s on %(day)s, due %(deadline)s: %(task)s"
    ),
)


def meeting_audience(meeting: Meeting) -> list[int]:
    """Accounts of the members who attend this meeting: placed in the cell on its day (not
    away on temporary transfer elsewhere, still in the Party), accounts holding the member
    role on the cell, and the superior followers assigned to the cell that day (they attend
    its meetings too, so they hear of the same documents, reminders and changes)."""
    day = meeting.day
    placed = Placement.objects.active_on(day)
    here = set(placed.filter(unit_id=meeting.cell_id).values_list("member_id", flat=True))
    away = set(
        placed.filter(kind=PlacementKind.TEMPORARY, member_id__in=here)
        .exclude(unit_id=meeting.cell_id)
        .values_list("member_id", flat=True)
    )
    hosted = set(
        placed.filter(unit_id=meeting.cell_id, kind=PlacementKind.TEMPORARY).values_list(
            "member_id", flat=True
        )
    )
    attending = (here - away) | hosted
    in_party = Member.objects.filter(pk__in=attending).with_status(day)
    members = in_party.filter(status__in=[s.value for s in IN_PARTY]).values("pk")
    role_holders = holder_ids([meeting.cell_id], {Role.MEMBER}, on=day, nearest=HERE)
    followers = follower_ids([meeting.cell_id], day)[meeting.cell_id]
    users = User.objects.filter(is_active=True).filter(
        Q(member_id__in=members) | Q(pk__in=role_holders[meeting.cell_id] | followers)
    )
    return list(users.values_list("pk", flat=True))


def _meeting_params(meeting: Meeting) -> dict:
    at = timezone.localtime(meeting.planned_at)
    return {
        "cell": meeting.cell.name,
        "meeting": str(meeting.get_kind_display()),
        "day": vn_date(at.date()),
        "time": f"{at:%H:%M}",
        "place": meeting.place,
    }


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def documents_posted(document_id: int) -> list[Notice]:
    doc = (
        MeetingDocument.objects.defer("content")
        .select_related("meeting", "meeting__cell")
        .filter(pk=document_id)
        .first()
    )
    if doc is None:  # removed again before the commit hook ran
        return []
    meeting = doc.meeting
    return notify(
        [u for u in meeting_audience(meeting) if u != doc.posted_by_id],
        kind=DOCUMENTS_POSTED,
        key=f"doc:{doc.pk}",
        params={**_meeting_params(meeting), "title": doc.title},
        url=_meeting_url(meeting),
    )


def meeting_changed(meeting: Meeting, *, old_planned_at: dt.datetime | None = None) -> list[Notice]:
    """A planned meeting moved (old_planned_at given) or cancelled: tell who would attend."""
    params = {**_meeting_params(meeting), "reason": meeting.note}
    if old_planned_at is not None:
        params["old_day"] = vn_date(timezone.localtime(old_planned_at).date())
        kind, key = MEETING_MOVED, f"moved:{meeting.pk}:{meeting.planned_at:%Y%m%d%H%M}"
    else:
        kind, key = MEETING_CANCELLED, f"cancelled:{meeting.pk}"
    return notify(
        meeting_audience(meeting), kind=kind, key=key, params=params, url=_meeting_url(meeting)
    )


def meeting_reminders(today: dt.date) -> int:
    """Remind who attends each meeting planned for tomorrow; once per meeting and day (a
    meeting moved to another day is reminded again before that day)."""
    tomorrow = today + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    meetings = Meeting.objects.filter(
        state=State.PLANNED, planned_at__gte=start, planned_at__lt=start + dt.timedelta(days=1)
    ).select_related("cell")
    count = 0
    for meeting in meetings:
        count += len(
            notify(
                meeting_audience(meeting),
                kind=MEETING_TOMORROW,
                key=f"eve:{meeting.pk}:{tomorrow:%Y%m%d}",
                params=_meeting_params(meeting),
                url=_meeting_url(meeting),
            )
        )
    return count


REMINDERS.register("meetings.tomorrow", meeting_reminders)


# The deadline board and the member's timeline (chibo.core.deadlines) ----------------------------


class OpenTaskOut(Schema):
    id: int = Field(validation_alias="task_id")
    text: str
    member: int | None = Field(validation_alias="member_id")
    assignee: str
    cell: int = Field(validation_alias="cell_id")
    cell_name: str
    meeting: int = Field(validation_alias="meeting_id")
    given_on: dt.date
    due_on: dt.date


class TaskListOut(Schema):
    count: int
    items: list[OpenTaskOut]


class MissedOut(Schema):
    meeting: int = Field(validation_alias="meeting_id")
    day: dt.date
    cell: int = Field(validation_alias="cell_id")
    cell_name: str


class UnpaidOut(Schema):
    month: dt.date = Field(description="The first day of the month left unpaid.")
    due: int = Field(description="The month's dues (đồng).")
    paid: int = Field(description="Paid toward them (đồng).")
    cell: int = Field(validation_alias="cell_id", description="The cell that charged them.")
    cell_name: str


class RemovalRowOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    count: int = Field(description="Monthly meetings missed without a valid reason (listed).")
    missed: list[MissedOut]
    unpaid_count: int = Field(description="Months of dues unpaid without a valid reason (listed).")
    unpaid: list[UnpaidOut]


class RemovalOut(Schema):
    year: int
    as_of: dt.date = Field(description="31/12 of the year, or the day asked in a year not over.")
    threshold: int | None = Field(description="Missed meetings that start a review (the rule).")
    unpaid_threshold: int | None = Field(
        description="Unpaid months of dues that start a review (the rule)."
    )
    count: int
    items: list[RemovalRowOut]


def removal_out(result: RemovalReview) -> dict:
    """The removal review as the API gives it (the board's part, and its own endpoint)."""
    return {
        "year": result.year,
        "as_of": result.as_of,
        "threshold": result.threshold,
        "unpaid_threshold": result.unpaid_threshold,
        "count": len(result.rows),
        "items": result.rows,
    }


def _board(ask: Ask) -> dict[str, Any]:
    tasks = open_tasks(ask.unit, ask.on, units=board_units(ask))
    if not ask.name_own(tasks):
        name_cells(tasks)
    as_of = removal_as_of(ask.year, ask.on)
    removal = removal_review(ask.unit, ask.year, ask.on, units=board_units(ask, as_of))
    return {"tasks": tasks, "removal": removal}


def _links(values: dict[str, Any], shown: int) -> None:
    link(values["tasks"][:shown], "meetings:detail", "meeting_id")
    rows = values["removal"].rows[:shown]
    link(rows, "members:detail", "member_id")
    link([m for r in rows for m in r.missed], "meetings:detail", "meeting_id")


# The lists as sheets of the board's Excel file, in the document's Vietnamese.
TASKS_TITLE = "Nhiệm vụ quá hạn"
REMOVAL_TITLE = "Xem xét xóa tên"


def _tasks_sheet(rows: list[TaskRow]) -> Table:
    columns = [
        Column("STT", 6),
        Column("Nhiệm vụ", 50),
        Column("Người / tổ đảng thực hiện", 26),
        Column("Chi bộ", 30),
        Column("Ngày giao", 12),
        Column("Hạn hoàn thành", 12),
    ]
    lines = [
        [i, r.text, r.assignee, r.cell_name, r.given_on, r.due_on]
        for i, r in enumerate(rows, start=1)
    ]
    return Table(TASKS_TITLE, columns, lines)


def _removal_sheet(review: RemovalReview) -> Table:
    columns = [
        Column("STT", 6),
        Column("Mã đảng viên", 14),
        Column("Họ và tên", 28),
        Column("Chi bộ", 30),
        Column("Số lần vắng không lý do", 12),
        Column("Các buổi sinh hoạt vắng", 50),
        Column("Số tháng không đóng đảng phí", 12),
        Column("Các tháng không đóng đảng phí", 40),
    ]
    lines = [
        [
            i,
            r.code,
            r.full_name,
            r.cell_name,
            r.count,
            ", ".join(vn_date(m.day) for m in r.missed),
            r.unpaid_count,
            ", ".join(f"{u.month:%m/%Y}" for u in r.unpaid),
        ]
        for i, r in enumerate(review.rows, start=1)
    ]

    def rule(value: int | None) -> str:
        return "chưa có quy định" if value is None else str(value)

    heading = [
        f"Năm {review.year}, tính đến ngày {vn_date(review.as_of)}; ngưỡng: "
        f"{rule(review.threshold)} buổi vắng, {rule(review.unpaid_threshold)} tháng không "
        "đóng đảng phí"
    ]
    return Table(REMOVAL_TITLE, columns, lines, heading)


BOARD.register(
    "meetings",
    BoardSource(
        parts=(
            Part(
                "tasks",
                TaskListOut,
                "Meeting tasks open past their due date.",
                label=gettext_lazy("Overdue tasks"),
                count=len,
                alert=True,
                api=lambda rows: {"count": len(rows), "items": rows},
                sheet=_tasks_sheet,
                title=TASKS_TITLE,
            ),
            Part(
                "removal",
                RemovalOut,
                "The removal review for the year of `on`.",
                label=gettext_lazy("Removal review"),
                count=lambda review: len(review.rows),
                api=removal_out,
                sheet=_removal_sheet,
                title=REMOVAL_TITLE,
            ),
        ),
        compute=_board,
        template="meetings/deadlines/board.html",
        order=20,
        prepare=_links,
    ),
)


def _due(member: Member, on: dt.date) -> dict[str, Any]:
    tasks = open_tasks(None, on, member=member.pk, overdue_only=False)
    name_cells(tasks)
    link(tasks, "meetings:detail", "meeting_id")
    return {
        "tasks": tasks,
        "absences": unexcused_absences(on.year, on).filter(member=member).count(),
        "removal_threshold": rules.at(on, member.home_unit).removal_missed_meetings,
    }


DUE.register(
    "meetings",
    DueSource(
        parts=(
            Part("tasks", list[OpenTaskOut]),
            Part("absences", int, "Monthly meetings missed without a valid reason."),
            Part("removal_threshold", int | None),
        ),
        compute=_due,
        template="meetings/deadlines/due.html",
        order=20,
        nothing=lambda values: not values["tasks"],
    ),
)


def _task_reminder(row: TaskRow, users: set[int]) -> Reminder:
    params = {
        "cell": row.cell_name,
        "day": vn_date(row.given_on),
        "deadline": vn_date(row.due_on),
        "task": row.text[:200],
    }
    url = reverse("meetings:detail", args=[row.meeting_id])
    key = f"{TASK_OVERDUE}:{row.task_id}:{row.due_on:%Y%m%d}"
    return Reminder(TASK_OVERDUE, key, users, params, url)


def task_reminders(today: dt.date) -> int:
    """Tell who holds each overdue meeting task: the member, when they have an account, else
    the cell's secretaries. Keyed by (task, due date): told once. Returns notices created."""
    tasks = open_tasks(None, today)
    name_cells(tasks)
    holders: dict[int, int] = {}
    for part in chunks(t.member_id for t in tasks if t.member_id):
        holders |= dict(
            User.objects.filter(is_active=True, member_id__in=part).values_list("member_id", "pk")
        )
    secretaries = holder_ids({t.cell_id for t in tasks}, {Role.SECRETARY}, nearest=HERE)
    reminders = []
    for t in tasks:
        holder = holders.get(t.member_id) if t.member_id else None
        reminders.append(_task_reminder(t, {holder} if holder else secretaries[t.cell_id]))
    return notify_all(reminders)


REMINDERS.register("meetings.tasks", task_reminders)
