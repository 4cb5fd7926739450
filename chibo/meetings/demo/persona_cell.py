"""What the personas' own cell shows beyond the bulk meetings: the viewer persona follows it
(attends some meetings and confirms their scores), it has a usual meeting day with the coming
meetings planned, and the next one has its agenda and a document posted, so the member persona
finds a notification waiting. Through the services, on a handful of rows."""

import datetime as dt
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.accounts.demo import COMMUNE, SECRETARY, VIEWER
from chibo.accounts.models import User
from chibo.follow.models import FollowAssignment
from chibo.meetings import services
from chibo.meetings.models import Guest, Meeting, State
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


def persona_cell_write(cell_id: int, as_of: dt.date) -> None:
    cell = OrgUnit.objects.get(pk=cell_id)
    viewer = User.objects.get(username=VIEWER.username)
    commune = User.objects.get(username=COMMUNE.username)
    secretary = User.objects.get(username=SECRETARY.username)
    follow = FollowAssignment.objects.create(
        cell=cell,
        follower=viewer,
        start=as_of - dt.timedelta(days=400),
        note="Theo quyết định phân công của Đảng ủy",
        assigned_by=commune,
    )
    held = (
        Meeting.objects.filter(
            cell=cell, state__in=[State.HELD, State.ADOPTED], quality__isnull=False
        )
        .select_related("quality")
        .order_by("planned_at")
    )
    for n, meeting in enumerate(held):
        if n % 3 == 2:
            continue  # the follower attends two meetings in three
        Guest.objects.create(
            meeting=meeting,
            name=follow.follower_name,
            role="Đảng ủy viên, phụ trách chi bộ",
            follower=True,
            follow=follow,
        )
        # Saved, not updated in bulk, so that the score's history has the confirmation.
        score = meeting.quality
        score.confirmed_by = viewer
        score.confirmed_at = (meeting.ended_at or meeting.planned_at) + dt.timedelta(days=1)
        score.save(update_fields=["confirmed_by", "confirmed_at"])

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
