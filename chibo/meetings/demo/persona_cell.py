"""What the personas' own cell shows beyond the bulk meetings: the follower persona follows it
and two other cells of the commune (attends some of its meetings and confirms their scores,
but for the last one's, which waits on the follower's home page); the member persona has an
open task; the cell has a usual meeting day with the coming meetings planned, and the next
one has its agenda and a document posted, so the member persona finds a notification
waiting. Through the services, on a handful of rows."""

import datetime as dt
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.accounts.demo import COMMUNE, FOLLOWER, MEMBER, SECRETARY
from chibo.accounts.models import User
from chibo.follow.models import FollowAssignment
from chibo.meetings import services
from chibo.meetings.models import Guest, Kind, Meeting, Outcome, State, Task, TaskReview
from chibo.meetings.reminders import documents_posted
from chibo.meetings.services import prepare
from chibo.org.models import OrgUnit


def _draft(cell: OrgUnit, day: dt.date) -> bytes:
    doc = docx.Document()
    doc.add_heading(f"Dự thảo nghị quyết {cell.name} tháng {day.month}/{day.year}", level=1)
    for line in (
        "Lãnh đạo đảng viên tham gia xây dựng nông thôn mới, giữ gìn vệ sinh môi trường.",
        "Vận động các hộ hoàn thành đóng góp quỹ an sinh xã hội trước ngày 20.",
        "Mỗi đảng viên nhận giúp đỡ ít nhất một hộ khó khăn trong thôn.",
    ):
        doc.add_paragraph(line, style="List Number")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _member_task(cell: OrgUnit, member_id: int | None) -> None:
    """Give the member persona a task at the cell's last monthly meeting they attended, still
    open (carried over at the meetings since), so that their home page and schedule show one."""
    if member_id is None:
        return
    held = list(
        Meeting.objects.filter(cell=cell, state__in=[State.HELD, State.ADOPTED]).order_by(
            "planned_at", "pk"
        )
    )
    given = next(
        (
            m
            for m in reversed(held)
            if (m.kind == Kind.REGULAR or m.combined)
            and m.roster.filter(member_id=member_id).exists()
            and m.tasks.count() < 3
        ),
        None,
    )
    if given is None:
        return
    task = Task.objects.create(
        cell=cell,
        meeting=given,
        member_id=member_id,
        text="Vận động các hộ gia đình trong tổ dân phố tham gia ngày hội đại đoàn kết",
        due_on=given.day + dt.timedelta(days=25),
    )
    for later in held[held.index(given) + 1 :]:
        TaskReview.objects.create(task=task, meeting=later, outcome=Outcome.CARRIED)


def persona_cell_write(cell_id: int, as_of: dt.date) -> None:
    cell = OrgUnit.objects.get(pk=cell_id)
    follower = User.objects.get(username=FOLLOWER.username)
    commune = User.objects.get(username=COMMUNE.username)
    secretary = User.objects.get(username=SECRETARY.username)
    others = OrgUnit.objects.filter(parent_id=cell.parent_id, kind=cell.kind).exclude(pk=cell.pk)
    follow, *_others = [
        FollowAssignment.objects.create(
            cell=followed,
            follower=follower,
            start=as_of - dt.timedelta(days=400),
            note="Theo quyết định phân công của Đảng ủy",
            assigned_by=commune,
        )
        for followed in [cell, *others.order_by("pk")[:2]]
    ]
    held = (
        Meeting.objects.filter(
            cell=cell, state__in=[State.HELD, State.ADOPTED], quality__isnull=False
        )
        .select_related("quality")
        .order_by("planned_at")
    )
    attended = [m for n, m in enumerate(held) if n % 3 != 2]  # two meetings in three
    for meeting in attended:
        Guest.objects.create(
            meeting=meeting,
            name=follow.follower_name,
            role="Đảng ủy viên, phụ trách chi bộ",
            follower=True,
            follow=follow,
        )
        if meeting == attended[-1]:
            continue  # the last score waits for the follower's confirmation
        # Saved, not updated in bulk, so that the score's history has the confirmation.
        score = meeting.quality
        score.confirmed_by = follower
        score.confirmed_at = (meeting.ended_at or meeting.planned_at) + dt.timedelta(days=1)
        score.save(update_fields=["confirmed_by", "confirmed_at"])

    _member_task(cell, User.objects.get(username=MEMBER.username).member_id)

    if as_of < timezone.localdate():
        return  # a demo of the past has no coming meetings
    schedule = services.schedule_set(
        cell=cell, day=5, time=dt.time(19, 30), place="Nhà văn hóa thôn", actor=None
    )
    services.meetings_plan(cell=cell, start=as_of + dt.timedelta(days=1), months=2, actor=None)
    upcoming = (
        Meeting.objects.filter(cell=cell, state=State.PLANNED, planned_at__gt=timezone.now())
        .order_by("planned_at")
        .first()
    )
    if upcoming is None:  # an as-of date in the past: the planned meetings are past too
        return
    upcoming.place = schedule.place
    prepare.agenda_save(meeting=upcoming, version=upcoming.version, changes=[], actor=None)
    upcoming.refresh_from_db()
    vote_item = next(
        (i.order for i in prepare.agenda_of(upcoming) if "nghị quyết" in i.title.lower()), None
    )
    upload = SimpleUploadedFile(
        f"du-thao-nghi-quyet-{upcoming.day:%m-%Y}.docx", _draft(cell, upcoming.day)
    )
    doc = prepare.document_post(
        meeting=upcoming,
        upload=upload,
        title=f"Dự thảo nghị quyết tháng {upcoming.day.month}/{upcoming.day.year}",
        item_order=vote_item,
        actor=secretary,
    )
    documents_posted(doc.pk)  # now, not at the commit: the demo writes in one transaction
