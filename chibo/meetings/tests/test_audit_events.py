"""Each write to a meeting records one audit event: its kind, who did it, the row written,
whose record it is about and the facts of its sentence, checked against what the test made.
A refused write records none; a write that writes nothing records nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from chibo.core import audit
from chibo.meetings import services as s
from chibo.meetings.models import (
    AgendaItem,
    AgendaTemplate,
    Amendment,
    Attendance,
    DuesCollection,
    Guest,
    Kind,
    Meeting,
    MeetingDocument,
    Outcome,
    Presence,
    Proposal,
    QualityScore,
    Schedule,
    Speech,
    Task,
    TaskReview,
    Vote,
    VoteKind,
    VoteMethod,
)
from chibo.meetings.services import meetings as kinds
from chibo.meetings.services import prepare, quality, record
from chibo.members.models import Member
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

from .events import check, no_event, refused, the_event

DAY = dt.date(2026, 3, 5)
APRIL = dt.date(2026, 4, 2)
HUNG = "Nguyễn Văn Hùng"  # world.member
BI_THU = "Phạm Văn Bí Thư"  # the secretary's own member record (cast)
TASK = "Vận động 5 hộ đóng quỹ an sinh xã hội"


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def in_english(event) -> str:
    with translation.override("en"):
        return audit.sentence(event)


def new_meeting(cell, day: dt.date = DAY) -> Meeting:
    return s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)


def all_present(m: Meeting) -> Meeting:
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence=Presence.PRESENT, actor=None
        )
    return m


def hold(m: Meeting, started: dt.datetime, ended: dt.datetime) -> Meeting:
    s.meeting_hold(meeting=m, version=v(m), started_at=started, ended_at=ended, actor=None)
    return m


@pytest.fixture
def meeting(world, cast) -> Meeting:
    """A regular meeting of world.cell on DAY; its members: Hùng and the secretary."""
    return new_meeting(world.cell)


# The cell's schedule and its meetings ----------------------------------------------------------


def test_schedule_and_planning(world, cast):
    _, e = the_event(
        lambda: s.schedule_set(
            cell=world.cell,
            day=5,
            time=dt.time(19, 30),
            place=" Nhà văn hóa thôn Đông ",
            actor=cast.secretary,
        )
    )
    schedule = Schedule.objects.get(cell=world.cell)
    check(
        e,
        kinds.SCHEDULE_SET,
        actor=cast.secretary,
        obj=(Schedule, schedule.pk),
        about=world.cell,
        facts={"day": 5, "time": "19:30", "place": "Nhà văn hóa thôn Đông"},
    )
    assert (
        in_english(e)
        == "Usual meeting day set: day 5 of the month at 19:30, at Nhà văn hóa thôn Đông"
    )

    def plan():
        return s.meetings_plan(
            cell=world.cell, start=dt.date(2026, 3, 1), months=3, actor=cast.secretary
        )

    _, e = the_event(plan)
    assert Meeting.objects.filter(cell=world.cell).count() == 3
    check(
        e,
        kinds.PLANNED,
        actor=cast.secretary,
        obj=(Schedule, schedule.pk),
        about=world.cell,
        facts={"count": 3, "first": "05/03/2026", "last": "05/05/2026"},
    )
    assert in_english(e) == "3 regular meetings planned, from 05/03/2026 to 05/05/2026"
    # Every month has its meeting now: nothing is written, nothing recorded.
    assert no_event(plan) == []
    refused(
        lambda: s.schedule_set(
            cell=world.base, day=5, time=dt.time(8), place="x", actor=cast.base_officer
        ),
        "Only a cell",
    )


def test_create_move_cancel(world, cast):
    _, e = the_event(
        lambda: s.meeting_create(
            cell=world.cell,
            kind=Kind.THEMATIC,
            topic="Học tập và làm theo Bác",
            planned_at=at(DAY),
            actor=cast.secretary,
        )
    )
    m = Meeting.objects.get(cell=world.cell)
    check(
        e,
        kinds.CREATED,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"kind": {"t": "Thematic meeting"}, "planned_at": "19:30 05/03/2026"},
    )
    assert in_english(e) == "Meeting created: Thematic meeting, planned for 19:30 05/03/2026"
    refused(
        lambda: s.meeting_create(
            cell=world.cell, kind=Kind.THEMATIC, planned_at=at(DAY), actor=cast.secretary
        ),
        "needs a topic",
    )

    seen = v(m)
    _, e = the_event(
        lambda: s.meeting_move(
            meeting=m,
            version=seen,
            planned_at=at(dt.date(2026, 3, 12), 20, 0),
            reason=" Trùng lịch họp xã ",
            actor=cast.secretary,
        )
    )
    check(
        e,
        kinds.MOVED,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"old": "19:30 05/03/2026", "new": "20:00 12/03/2026", "reason": "Trùng lịch họp xã"},
    )
    assert (
        in_english(e)
        == "Meeting moved from 19:30 05/03/2026 to 20:00 12/03/2026: Trùng lịch họp xã"
    )
    # Someone else saved since: refused as stale, nothing recorded.
    refused(
        lambda: s.meeting_cancel(meeting=m, version=seen, reason="Bão", actor=cast.secretary),
        "Someone else changed this meeting",
    )
    _, e = the_event(
        lambda: s.meeting_cancel(meeting=m, version=v(m), reason="Mưa bão", actor=cast.base_officer)
    )
    check(
        e,
        kinds.CANCELLED,
        actor=cast.base_officer,
        obj=(Meeting, m.pk),
        about=m,
        facts={"reason": "Mưa bão"},
    )
    assert in_english(e) == "Meeting cancelled: Mưa bão"


# The roster, votes and the minutes ------------------------------------------------------------


def test_roster_attendance_and_check_in(world, cast, meeting):
    m = meeting
    _, e = the_event(lambda: s.roster_freeze(meeting=m, version=v(m), actor=cast.secretary))
    check(
        e,
        kinds.ROSTER_FROZEN,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"count": 2},
    )
    assert in_english(e) == "Roster frozen with 2 members"

    _, e = the_event(
        lambda: s.attendance_mark(
            meeting=m,
            version=v(m),
            member=world.member,
            presence=Presence.EXCUSED,
            reason="ốm",
            actor=cast.secretary,
        )
    )
    row = Attendance.objects.get(meeting=m, member=world.member)
    check(
        e,
        kinds.ATTENDANCE_MARKED,
        actor=cast.secretary,
        obj=(Attendance, row.pk),
        about=m,
        facts={"member": HUNG, "presence": {"t": "Absent, excused"}},
    )
    assert in_english(e) == "Attendance of Nguyễn Văn Hùng marked: Absent, excused"
    refused(
        lambda: s.attendance_mark(
            meeting=m,
            version=v(m),
            member=world.member,
            presence=Presence.EXCUSED,
            actor=cast.secretary,
        ),
        "needs its reason",
    )

    m.refresh_from_db()
    refused(
        lambda: s.attendance_check_in(
            meeting=m, member=world.member, code="x" + m.checkin_code, actor=cast.member
        ),
        "not this meeting's code",
    )
    _, e = the_event(
        lambda: s.attendance_check_in(
            meeting=m, member=world.member, code=m.checkin_code, actor=cast.member
        )
    )
    check(
        e,
        kinds.CHECKED_IN,
        actor=cast.member,
        obj=(Attendance, row.pk),
        about=m,
        facts={"member": HUNG},
    )
    assert in_english(e) == "Nguyễn Văn Hùng checked in at the meeting"


def test_vote_hold_adopt_amend(world, cast, meeting):
    m = meeting
    s.roster_freeze(meeting=m, version=v(m), actor=None)

    def vote():
        return s.vote_record(
            meeting=m,
            version=v(m),
            subject="Thông qua nghị quyết tháng 3",
            kind=VoteKind.ORDINARY,
            method=VoteMethod.HANDS,
            votes_for=2,
            on_resolution=True,
            actor=cast.secretary,
        )

    refused(vote, "Mark everyone's attendance before voting")
    all_present_marks = [
        s.attendance_mark(
            meeting=m, version=v(m), member=member, presence=Presence.PRESENT, actor=None
        )
        for member in Member.objects.filter(attendances__meeting=m)
    ]
    assert len(all_present_marks) == 2
    _, e = the_event(vote)
    check(
        e,
        kinds.VOTE_RECORDED,
        actor=cast.secretary,
        obj=(Vote, Vote.objects.get(meeting=m).pk),
        about=m,
        facts={
            "subject": "Thông qua nghị quyết tháng 3",
            "votes_for": 2,
            "votes_against": 0,
            "abstained": 0,
            "outcome": {"t": "passed"},
        },
    )
    assert in_english(e) == (
        "Vote on “Thông qua nghị quyết tháng 3” recorded: 2 for, 0 against, 0 abstaining; passed"
    )

    _, e = the_event(
        lambda: s.meeting_hold(
            meeting=m,
            version=v(m),
            started_at=at(DAY),
            ended_at=at(DAY, 21, 30),
            resolution="Nghị quyết",
            actor=cast.secretary,
        )
    )
    check(
        e,
        kinds.HELD,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"day": "05/03/2026", "started": "19:30", "ended": "21:30"},
    )
    assert in_english(e) == "Meeting recorded as held on 05/03/2026, from 19:30 to 21:30"

    _, e = the_event(lambda: s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary))
    check(e, kinds.ADOPTED, actor=cast.secretary, obj=(Meeting, m.pk), about=m, facts={})
    assert in_english(e) == "Minutes adopted"

    refused(
        lambda: s.meeting_amend(
            meeting=m,
            version=v(m),
            field="resolution",
            value="Nghị quyết (sửa)",
            reason=" ",
            actor=cast.secretary,
        ),
        "Give the reason",
    )
    _, e = the_event(
        lambda: s.meeting_amend(
            meeting=m,
            version=v(m),
            field="resolution",
            value="Nghị quyết (sửa)",
            reason="Sửa lỗi chính tả",
            actor=cast.base_officer,
        )
    )
    check(
        e,
        kinds.AMENDED,
        actor=cast.base_officer,
        obj=(Amendment, Amendment.objects.get(meeting=m).pk),
        about=m,
        facts={"field": {"t": "resolution"}, "reason": "Sửa lỗi chính tả"},
    )
    assert in_english(e) == "Adopted minutes amended (resolution): Sửa lỗi chính tả"
    with translation.override("vi"):
        assert audit.sentence(e).endswith(" (nghị quyết): Sửa lỗi chính tả")


def test_minutes_recorded_as_adopted_on_the_local_day(world, cast, meeting):
    """An early-morning meeting ends on the previous day in UTC: the event says the day it
    was in Vietnam."""
    m = all_present(meeting)
    hold(m, at(DAY, 5, 0), at(DAY, 6, 30))
    _, e = the_event(
        lambda: s.meeting_record_adopted(meeting=m, version=v(m), actor=cast.base_officer)
    )
    check(
        e,
        kinds.RECORDED_ADOPTED,
        actor=cast.base_officer,
        obj=(Meeting, m.pk),
        about=m,
        facts={"day": "05/03/2026"},
    )
    assert in_english(e) == "Minutes recorded as adopted on 05/03/2026"


def test_guests_added_and_removed(world, cast, meeting):
    m = meeting
    _, e = the_event(
        lambda: s.guest_add(
            meeting=m, version=v(m), name="Đ/c Lan", role="Bí thư Đoàn xã", actor=cast.secretary
        )
    )
    guest = Guest.objects.get(meeting=m)
    check(
        e,
        kinds.GUEST_ADDED,
        actor=cast.secretary,
        obj=(Guest, guest.pk),
        about=m,
        facts={"name": "Đ/c Lan"},
    )
    assert in_english(e) == "Guest added: Đ/c Lan"
    refused(
        lambda: s.guest_remove(
            meeting=m, version=v(m), guest_id=guest.pk + 1, actor=cast.secretary
        ),
        "not on the meeting's list",
    )
    _, e = the_event(
        lambda: s.guest_remove(meeting=m, version=v(m), guest_id=guest.pk, actor=cast.secretary)
    )
    assert not Guest.objects.exists()
    # The removed row's id, which its history keeps.
    check(
        e,
        kinds.GUEST_REMOVED,
        actor=cast.secretary,
        obj=(Guest, guest.pk),
        about=m,
        facts={"name": "Đ/c Lan"},
    )
    assert guest.history.filter(history_type="-").exists()
    assert in_english(e) == "Guest removed: Đ/c Lan"


# Preparing the meeting ------------------------------------------------------------------------


def test_template_agenda_and_documents(world, cast, meeting):
    items = [
        {"section": "opening", "title": "Khai mạc"},
        {"section": "content", "title": "Thông qua nghị quyết tháng"},
        {"section": "closing", "title": "Bế mạc"},
    ]
    _, e = the_event(
        lambda: prepare.template_add(
            province=world.province,
            effective_from=dt.date(2026, 1, 1),
            source="Hướng dẫn 05-HD/TU",
            items=items,
            actor=cast.province_officer,
        )
    )
    template = AgendaTemplate.objects.get(province=world.province)
    check(
        e,
        prepare.TEMPLATE_ADDED,
        actor=cast.province_officer,
        obj=(AgendaTemplate, template.pk),
        about=world.province,
        facts={"effective_from": "01/01/2026", "source": "Hướng dẫn 05-HD/TU"},
    )
    assert in_english(e) == "Agenda template in force from 01/01/2026 added (Hướng dẫn 05-HD/TU)"

    m = meeting
    _, e = the_event(
        lambda: prepare.agenda_save(meeting=m, version=v(m), changes=[], actor=cast.secretary)
    )
    assert AgendaItem.objects.filter(meeting=m).count() == 3
    check(
        e,
        prepare.AGENDA_SAVED,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"count": 3},
    )
    assert in_english(e) == "Agenda saved: 3 items"
    refused(
        lambda: prepare.agenda_save(
            meeting=m,
            version=v(m),
            changes=[prepare.ItemChange(pk=None, section="closing", title="Khai mạc")],
            actor=cast.secretary,
        ),
        "Put the items in order",
    )

    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 du thao")
    _, e = the_event(
        lambda: prepare.document_post(
            meeting=m,
            upload=upload,
            title="Dự thảo nghị quyết",
            item_order=2,
            actor=cast.secretary,
        )
    )
    doc = MeetingDocument.objects.get(meeting=m)
    assert doc.agenda_item.title == "Thông qua nghị quyết tháng"
    check(
        e,
        prepare.DOCUMENT_POSTED,
        actor=cast.secretary,
        obj=(MeetingDocument, doc.pk),
        about=m,
        facts={"title": "Dự thảo nghị quyết"},
    )
    assert in_english(e) == "Document posted to the members: Dự thảo nghị quyết"

    _, e = the_event(lambda: prepare.agenda_reset(meeting=m, version=v(m), actor=cast.secretary))
    check(e, prepare.AGENDA_RESET, actor=cast.secretary, obj=(Meeting, m.pk), about=m, facts={})
    assert in_english(e) == "Agenda taken again from the template"
    # The document stays, unlinked, and its history says so.
    doc.refresh_from_db()
    assert doc.agenda_item is None and not AgendaItem.objects.filter(meeting=m).exists()
    assert doc.history.first().agenda_item_id is None and doc.history.count() == 2
    # Back on the template already: nothing to reset, nothing recorded.
    no_event(lambda: prepare.agenda_reset(meeting=m, version=v(m), actor=cast.secretary))

    april, doc_pk = new_meeting(world.cell, APRIL), doc.pk
    refused(
        lambda: prepare.document_remove(meeting=april, document=doc, actor=cast.secretary),
        "not posted for this meeting",
    )
    _, e = the_event(lambda: prepare.document_remove(meeting=m, document=doc, actor=cast.secretary))
    assert not MeetingDocument.objects.exists()
    check(
        e,
        prepare.DOCUMENT_REMOVED,
        actor=cast.secretary,
        obj=(MeetingDocument, doc_pk),
        about=m,
        facts={"title": "Dự thảo nghị quyết"},
    )
    assert in_english(e) == "Document removed: Dự thảo nghị quyết"


def test_draft_resolution_and_officers(world, cast, meeting):
    m = meeting
    _, e = the_event(
        lambda: prepare.resolution_draft(
            meeting=m, version=v(m), text="Dự thảo", actor=cast.secretary
        )
    )
    check(
        e, prepare.RESOLUTION_DRAFTED, actor=cast.secretary, obj=(Meeting, m.pk), about=m, facts={}
    )
    assert in_english(e) == "Draft resolution saved"
    refused(
        lambda: prepare.officers_set(
            meeting=m,
            version=v(m),
            chair=world.member2,
            minute_taker=None,
            actor=cast.secretary,
        ),
        "not in the cell",
    )
    _, e = the_event(
        lambda: prepare.officers_set(
            meeting=m, version=v(m), chair=world.member, minute_taker=None, actor=cast.secretary
        )
    )
    check(
        e,
        prepare.OFFICERS_SET,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"chair": HUNG, "minute_taker": "—"},
    )
    assert in_english(e) == "Chair: Nguyễn Văn Hùng; minute-taker: —"


# The record: speeches, dues, proposals, tasks -------------------------------------------------


def test_speeches_dues_and_proposals(world, cast, meeting):
    m = meeting
    _, e = the_event(
        lambda: record.speech_add(
            meeting=m,
            version=v(m),
            summary="Đề nghị làm đường",
            member=world.member,
            actor=cast.secretary,
        )
    )
    speech = Speech.objects.get(meeting=m)
    check(
        e,
        record.SPEECH_ADDED,
        actor=cast.secretary,
        obj=(Speech, speech.pk),
        about=m,
        facts={"speaker": HUNG},
    )
    assert in_english(e) == "Speech of Nguyễn Văn Hùng recorded"
    _, e = the_event(
        lambda: record.speech_add(
            meeting=m,
            version=v(m),
            summary="Góp ý",
            speaker="Ông Trưởng thôn",
            actor=cast.secretary,
        )
    )
    assert e.facts == {"speaker": "Ông Trưởng thôn"}

    _, e = the_event(
        lambda: record.dues_record(
            meeting=m,
            version=v(m),
            member=world.member,
            month=dt.date(2026, 3, 17),
            amount=30000,
            actor=cast.secretary,
        )
    )
    check(
        e,
        record.DUES_COLLECTED,
        actor=cast.secretary,
        obj=(DuesCollection, DuesCollection.objects.get(member=world.member).pk),
        about=m,
        facts={"member": HUNG, "month": "03/2026", "amount": "30.000"},
    )
    assert in_english(e) == "Dues of Nguyễn Văn Hùng for 03/2026 recorded: 30.000 đồng"
    _, e = the_event(
        lambda: record.dues_record(
            meeting=m,
            version=v(m),
            member=cast.secretary.member,
            month=dt.date(2026, 3, 1),
            amount=0,
            collected=False,
            actor=cast.secretary,
        )
    )
    check(
        e,
        record.DUES_NOT_COLLECTED,
        actor=cast.secretary,
        obj=(DuesCollection, DuesCollection.objects.get(member__full_name=BI_THU).pk),
        about=m,
        facts={"member": BI_THU, "month": "03/2026"},
    )
    assert in_english(e) == "Dues of Phạm Văn Bí Thư for 03/2026 recorded as not collected"
    refused(
        lambda: record.dues_record(
            meeting=m,
            version=v(m),
            member=world.member,
            month=dt.date(2026, 4, 1),
            amount=-5,
            actor=cast.secretary,
        ),
        "whole number",
    )

    _, e = the_event(
        lambda: record.proposal_add(
            meeting=m,
            version=v(m),
            text="Sửa đường liên thôn",
            addressed_to="UBND xã",
            source="Nhân dân thôn Đông",
            actor=cast.secretary,
        )
    )
    proposal = Proposal.objects.get(meeting=m)
    check(
        e,
        record.PROPOSAL_ADDED,
        actor=cast.secretary,
        obj=(Proposal, proposal.pk),
        about=m,
        facts={"source": "Nhân dân thôn Đông", "addressed_to": "UBND xã"},
    )
    assert in_english(e) == "Proposal of Nhân dân thôn Đông to UBND xã recorded"
    _, e = the_event(
        lambda: record.proposal_answer(
            proposal=proposal, answer="Đã đưa vào kế hoạch", actor=cast.base_officer
        )
    )
    check(
        e,
        record.PROPOSAL_ANSWERED,
        actor=cast.base_officer,
        obj=(Proposal, proposal.pk),
        about=m,
        facts={"source": "Nhân dân thôn Đông"},
    )
    assert in_english(e) == "Proposal of Nhân dân thôn Đông answered"
    refused(
        lambda: record.proposal_answer(proposal=proposal, answer="x", actor=cast.base_officer),
        "already answered",
    )


def give(m: Meeting, actor, member=None, group=None, text=TASK) -> Task:
    return record.task_create(
        meeting=m,
        version=v(m),
        text=text,
        due_on=dt.date(2026, 3, 25),
        member=member,
        group=group,
        actor=actor,
    )


def test_tasks_given_carried_and_reviewed(world, cast, meeting):
    march, april = meeting, new_meeting(world.cell, APRIL)
    # A task given to one member is on that member's record.
    _, e = the_event(lambda: give(march, cast.secretary, member=world.member))
    task = Task.objects.get(member=world.member)
    check(
        e,
        record.TASK_GIVEN,
        actor=cast.secretary,
        obj=(Task, task.pk),
        about=world.member,
        facts={"assignee": HUNG, "meeting": "05/03/2026", "due_on": "25/03/2026", "text": TASK},
    )
    assert in_english(e) == (
        f"Task given to Nguyễn Văn Hùng at the meeting of 05/03/2026, due 25/03/2026: {TASK}"
    )
    # A task given to a party group stays on the meeting's.
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ đảng số 1")
    _, e = the_event(lambda: give(march, cast.secretary, group=group, text="Dọn vệ sinh"))
    group_task = Task.objects.get(group=group)
    check(
        e,
        record.TASK_GIVEN,
        actor=cast.secretary,
        obj=(Task, group_task.pk),
        about=march,
        facts={
            "assignee": "Tổ đảng số 1",
            "meeting": "05/03/2026",
            "due_on": "25/03/2026",
            "text": "Dọn vệ sinh",
        },
    )
    refused(lambda: give(march, cast.secretary), "exactly one member or one party group")

    _, e = the_event(lambda: record.tasks_carry_over(meeting=april, actor=cast.secretary))
    assert TaskReview.objects.filter(meeting=april).count() == 2
    check(
        e,
        record.TASKS_CARRIED,
        actor=cast.secretary,
        obj=(Meeting, april.pk),
        about=april,
        facts={"count": 2},
    )
    assert in_english(e) == "2 open tasks brought to the review"
    # Run again: nothing left to bring, nothing recorded.
    no_event(lambda: record.tasks_carry_over(meeting=april, actor=cast.secretary))

    def review(t: Task, outcome: str, note: str = ""):
        return record.task_review(
            meeting=april,
            version=v(april),
            task=t,
            outcome=outcome,
            note=note,
            actor=cast.secretary,
        )

    refused(lambda: review(task, Outcome.DROPPED), "reason the task is dropped")
    _, e = the_event(lambda: review(task, Outcome.LATE))
    check(
        e,
        record.TASK_REVIEWED,
        actor=cast.secretary,
        obj=(TaskReview, TaskReview.objects.get(task=task, meeting=april).pk),
        about=world.member,
        facts={"text": TASK, "meeting": "02/04/2026", "outcome": {"t": "Done late"}},
    )
    assert in_english(e) == f"Task “{TASK}” reviewed at the meeting of 02/04/2026: Done late"
    _, e = the_event(lambda: review(group_task, Outcome.DONE))
    assert (e.about_type.model_class(), e.about_id) == (Meeting, april.pk)


def test_a_long_task_text_is_shortened_in_its_event(world, cast, meeting):
    text = "Vận động các hộ gia đình " * 12
    _, e = the_event(lambda: give(meeting, cast.secretary, member=world.member, text=text))
    assert len(e.facts["text"]) == record.TASK_TEXT_SHOWN
    assert e.facts["text"].endswith("…") and text.startswith(e.facts["text"][:-1])


# The quality score ------------------------------------------------------------------------------


def test_score_given_and_confirmed(world, cast, meeting):
    m = hold(all_present(meeting), at(DAY), at(DAY, 21, 30))
    points = {"preparation": 15, "attendance": 20, "conduct": 40, "closing": 17}
    refused(
        lambda: quality.quality_score_set(
            meeting=m, version=v(m), points={**points, "conduct": 46}, actor=cast.secretary
        ),
        "give from 0 to 45 points",
    )
    _, e = the_event(
        lambda: quality.quality_score_set(
            meeting=m, version=v(m), points=points, actor=cast.secretary
        )
    )
    score = QualityScore.objects.get(meeting=m)
    check(
        e,
        quality.SCORED,
        actor=cast.secretary,
        obj=(QualityScore, score.pk),
        about=m,
        facts={"total": 92, "max": 100},
    )
    assert in_english(e) == "Quality score given: 92 of 100 points"

    follow = f.follow(world.cell, cast.follower)
    s.guest_add(meeting=m, version=v(m), follow=follow, actor=None)
    refused(
        lambda: quality.quality_confirm(meeting=m, actor=cast.secretary),
        "someone other than who gave it",
    )
    _, e = the_event(lambda: quality.quality_confirm(meeting=m, actor=cast.follower))
    check(
        e,
        quality.SCORE_CONFIRMED,
        actor=cast.follower,
        obj=(QualityScore, score.pk),
        about=m,
        facts={"total": 92},
    )
    assert in_english(e) == "Quality score of 92 points confirmed"


# On the member's page ---------------------------------------------------------------------------


def test_the_member_page_says_what_the_member_was_given_and_how_it_went(
    world, cast, client_for, en, meeting
):
    march, april = meeting, new_meeting(world.cell, APRIL)
    give(march, cast.secretary, member=world.member)
    record.tasks_carry_over(meeting=april, actor=cast.secretary)
    task = Task.objects.get(member=world.member)
    record.task_review(
        meeting=april, version=v(april), task=task, outcome=Outcome.LATE, actor=cast.secretary
    )
    # Marked at a meeting: on the meeting's record, not the member's.
    s.roster_freeze(meeting=march, version=v(march), actor=cast.secretary)
    s.attendance_mark(
        meeting=march,
        version=v(march),
        member=world.member,
        presence=Presence.PRESENT,
        actor=cast.secretary,
    )
    page = reverse("members:detail", args=[world.member.pk])

    english = en(cast.secretary).get(page).text
    given = f"Task given to Nguyễn Văn Hùng at the meeting of 05/03/2026, due 25/03/2026: {TASK}"
    reviewed = f"Task “{TASK}” reviewed at the meeting of 02/04/2026: Done late"
    assert given in english and reviewed in english
    assert "Attendance of" not in english and "open tasks brought" not in english

    vietnamese = client_for(cast.secretary).get(page).text
    with translation.override("vi"):
        late = str(Outcome.LATE.label)
        sentences = [audit.sentence(e) for e in audit.about([world.member])]
    assert late != "Done late" and len(sentences) == 2
    assert all(sentence in vietnamese for sentence in sentences)
    assert late in sentences[0] and "Done late" not in vietnamese


# Who: the person on the page or behind the API ------------------------------------------------


def test_the_page_and_the_api_record_who_did_it(world, cast, client_for, meeting):
    page = reverse("meetings:cancel", args=[meeting.pk])
    freeze = f"/api/v1/meetings/{meeting.pk}/freeze"
    r = client_for(cast.secretary).post(freeze, {"version": v(meeting)}, "application/json")
    assert r.status_code == 200, r.content
    r = client_for(cast.base_officer).post(page, {"version": v(meeting), "reason": "Bão"})
    assert r.status_code == 302
    events = audit.about([meeting])
    assert [(e.kind, e.actor) for e in events] == [
        (kinds.CANCELLED, cast.base_officer),
        (kinds.ROSTER_FROZEN, cast.secretary),
        (kinds.CREATED, None),
    ]
