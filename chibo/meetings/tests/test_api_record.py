"""The meeting's guests, record (tasks and their review, speeches, dues, proposals), quality
score, amendments and votes by name through the API: each works for a writer (and the figures
are read back from the database, not from the answer), an outsider gets 404, a viewer 403 on a
write, a member who reads only the schedule 403 on the record, bad input 422 with its message
and nothing written, a stale version 409."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.accounts.services import token_issue
from chibo.follow import services as fs
from chibo.meetings import services as s
from chibo.meetings.models import (
    Amendment,
    Ballot,
    DuesCollection,
    Guest,
    Kind,
    Meeting,
    Proposal,
    QualityScore,
    Speech,
    Task,
    TaskReview,
    TaskStatus,
    Vote,
)
from chibo.meetings.services import record as r
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f
from chibo.testing.api import call

DAY = dt.date(2026, 12, 10)
MAX = {"preparation": 15, "attendance": 20, "conduct": 45, "closing": 20}  # 12-HD, as seeded


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def make(cell, day: dt.date = DAY) -> Meeting:
    m = s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=at(day), place="Nhà văn hóa", actor=None
    )
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    return m


def held(m: Meeting) -> Meeting:
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence="present", actor=None
        )
    s.meeting_hold(
        meeting=m, version=v(m), started_at=at(m.day), ended_at=at(m.day, 21), actor=None
    )
    m.refresh_from_db()
    return m


@pytest.fixture
def meeting(world, cast) -> Meeting:
    return make(world.cell)


MODELS = (Guest, Task, TaskReview, Speech, DuesCollection, Proposal, QualityScore)


def written(m: Meeting) -> tuple:
    """The meeting's version and every history table of the record: if none moved, nothing
    was written."""
    counts = (model.history.model.objects.count() for model in MODELS)  # type: ignore[attr-defined]
    return (v(m), *counts, Amendment.objects.count(), Ballot.objects.count())


def detail(response) -> dict:
    """The one error of a 422."""
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    return error


def scope_checks(cast, client_for, method: str, path: str, body=None, *, write: bool) -> None:
    """An outsider: 404. A write: the viewer and the member 403. A read of the record: the
    member (who reads only the schedule) 403."""
    assert call(client_for(cast.outsider), method, path, body).status_code == 404
    assert call(client_for(cast.member), method, path, body).status_code == 403
    if write:
        assert call(client_for(cast.viewer), method, path, body).status_code == 403
    else:
        assert call(client_for(cast.viewer), method, path, body).status_code == 200


# Guests ---------------------------------------------------------------------------------------


def test_guests_add_list_remove(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/guests"
    body = {"version": v(meeting), "name": "Đ/c Lê Văn Tám", "role": "Đảng ủy viên xã"}
    scope_checks(cast, client_for, "POST", path, body, write=True)
    scope_checks(cast, client_for, "GET", path, write=False)
    before = written(meeting)
    bad = [
        ({**body, "name": "  "}, "name", "Give the guest's name."),
        ({"version": body["version"], "role": "x"}, "name", "Give the guest's name."),
        ({**body, "role": ""}, "role", "This field cannot be blank."),
        ({**body, "follower": True}, "follower", "This field is not accepted here."),
        ({**body, "follow": "Tám"}, "follow", "Enter a whole number."),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    error = detail(call(c, "POST", path, {**body, "name": "x" * 121}))
    assert error["loc"] == ["body", "name"]
    assert written(meeting) == before

    r_ = call(c, "POST", path, body)
    assert r_.status_code == 201, r_.content
    guest = Guest.objects.get(meeting=meeting)
    assert (guest.name, guest.role, guest.follower, guest.follow) == (
        "Đ/c Lê Văn Tám",
        "Đảng ủy viên xã",
        False,
        None,
    )
    assert r_.json()["id"] == guest.pk and r_.json()["meeting_version"] == v(meeting)
    assert call(c, "POST", path, body).status_code == 409  # the version has moved on
    assert Guest.objects.count() == 1
    listed = call(client_for(cast.viewer), "GET", path).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "Đ/c Lê Văn Tám"

    gone = f"{path}/{guest.pk}"
    assert (
        call(client_for(cast.viewer), "DELETE", f"{gone}?version={v(meeting)}").status_code == 403
    )
    assert (
        call(client_for(cast.outsider), "DELETE", f"{gone}?version={v(meeting)}").status_code == 404
    )
    assert call(c, "DELETE", f"{path}/999999?version={v(meeting)}").status_code == 404
    assert detail(call(c, "DELETE", gone))["loc"] == ["query", "version"]
    r_ = call(c, "DELETE", f"{gone}?version={v(meeting) - 1}")
    assert r_.status_code == 409 and Guest.objects.count() == 1
    version = v(meeting)
    r_ = call(c, "DELETE", f"{gone}?version={version}")
    assert r_.status_code == 200 and r_.json() == {"meeting_version": version + 1}
    assert v(meeting) == version + 1
    assert not Guest.objects.exists()


def test_the_superior_follower_as_a_guest(world, cast, client_for, meeting):
    follow = fs.assign(
        cell=world.cell, follower=cast.follower, start=dt.date(2026, 1, 1), actor=cast.base_officer
    )
    # Not followers of this meeting: another cell's, and one whose assignment starts later.
    elsewhere = fs.assign(
        cell=world.cell2, follower=cast.follower, start=dt.date(2026, 1, 1), actor=cast.base_officer
    )
    later = fs.assign(
        cell=world.cell, follower=cast.viewer, start=dt.date(2027, 1, 1), actor=cast.base_officer
    )
    c = client_for(cast.secretary)
    followers = f"/meetings/{meeting.pk}/followers"
    scope_checks(cast, client_for, "GET", followers, write=False)
    r_ = call(c, "GET", followers)
    assert r_.status_code == 200
    assert r_.json() == [
        {
            "id": follow.pk,
            "follower": cast.follower.pk,
            "name": follow.follower_name,
            "start": "2026-01-01",
            "end": None,
        }
    ]
    path = f"/meetings/{meeting.pk}/guests"
    before = written(meeting)
    not_assigned = "This follower is not assigned to the cell on the meeting day."
    for pk in (elsewhere.pk, later.pk, 999999):
        error = detail(call(c, "POST", path, {"version": v(meeting), "follow": pk}))
        assert (error["loc"], error["msg"]) == (["body", "follow"], not_assigned)
    assert written(meeting) == before
    r_ = call(c, "POST", path, {"version": v(meeting), "follow": follow.pk})
    assert r_.status_code == 201, r_.content
    guest = Guest.objects.get(meeting=meeting)
    assert (guest.follow, guest.follower, guest.name) == (follow, True, follow.follower_name)
    assert (r_.json()["follow"], r_.json()["follower"]) == (follow.pk, True)
    error = detail(call(c, "POST", path, {"version": v(meeting), "follow": follow.pk}))
    assert error["msg"] == "This follower is already on the guest list."
    assert Guest.objects.count() == 1


def test_guests_refused_once_the_minutes_are_adopted(world, cast, client_for, meeting, clock):
    held(meeting)
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    s.meeting_adopt(meeting=meeting, version=v(meeting), actor=cast.secretary)
    before = written(meeting)
    r_ = call(
        client_for(cast.secretary),
        "POST",
        f"/meetings/{meeting.pk}/guests",
        {"version": v(meeting), "name": "A", "role": "B"},
    )
    assert detail(r_)["msg"] == (
        "The minutes of this meeting are adopted and locked; record an amendment instead."
    )
    assert written(meeting) == before


# Tasks and their review -----------------------------------------------------------------------


def test_tasks_given_to_a_member_or_a_group(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/tasks"
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ đảng số 1")
    body = {"version": v(meeting), "text": "Vận động hộ nghèo", "due_on": "2026-12-31"}
    scope_checks(cast, client_for, "POST", path, {**body, "member": world.member.pk}, write=True)
    before = written(meeting)
    bad = [
        ({**body}, "member", "Give the task to exactly one member or one party group."),
        (
            {**body, "member": world.member.pk, "group": group.pk},
            "member",
            "Give the task to exactly one member or one party group.",
        ),
        (
            {**body, "member": world.member2.pk},  # of the other cell
            "member",
            "This member is not in the cell on the meeting day.",
        ),
        (
            {**body, "member": 999999},
            "member",
            "This member is not in the cell on the meeting day.",
        ),
        ({**body, "group": world.cell2.pk}, "group", "Choose a party group of this cell."),
        ({**body, "group": 999999}, "group", "Choose a party group of this cell."),
        (
            {**body, "member": world.member.pk, "due_on": "2026-12-09"},
            "due_on",
            "The task cannot be due before the meeting.",
        ),
        ({**body, "member": world.member.pk, "text": " "}, "text", "Describe the task."),
        (
            {**body, "member": world.member.pk, "due_on": "31/12/2026"},
            "due_on",
            "Enter a valid date.",
        ),
        ({**body, "member": "Hùng"}, "member", "Enter a whole number."),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    assert written(meeting) == before

    r_ = call(c, "POST", path, {**body, "member": world.member.pk})
    assert r_.status_code == 201, r_.content
    r_ = call(c, "POST", path, {**body, "version": r_.json()["meeting_version"], "group": group.pk})
    assert r_.status_code == 201, r_.content
    assert r_.json()["meeting_version"] == v(meeting)
    rows = Task.objects.filter(meeting=meeting, cell=world.cell)
    assert {(t.member_id, t.group_id, t.due_on, t.status) for t in rows} == {
        (world.member.pk, None, dt.date(2026, 12, 31), TaskStatus.OPEN),
        (None, group.pk, dt.date(2026, 12, 31), TaskStatus.OPEN),
    }
    assert call(c, "POST", path, {**body, "member": world.member.pk}).status_code == 409
    assert Task.objects.count() == 2
    listed = call(client_for(cast.viewer), "GET", path).json()
    assert sorted(t["id"] for t in listed["items"]) == sorted(t.pk for t in rows)


def test_tasks_reviewed_at_the_next_meeting(world, cast, client_for):
    earlier = make(world.cell, dt.date(2026, 11, 12))
    t1 = r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Sửa nhà văn hóa",
        due_on=DAY,
        member=world.member,
        actor=None,
    )
    t2 = r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Thu quỹ",
        due_on=dt.date(2026, 11, 30),
        member=world.member,
        actor=None,
    )
    other = make(world.other_cell, dt.date(2026, 11, 12))
    foreign = r.task_create(
        meeting=other, version=v(other), text="x", due_on=DAY, member=world.other_member, actor=None
    )
    meeting = make(world.cell)
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/reviews"
    scope_checks(cast, client_for, "POST", f"{path}/carry", write=True)
    assert not TaskReview.objects.exists()

    r_ = call(c, "POST", f"{path}/carry")
    assert r_.status_code == 200, r_.content
    carried = TaskReview.objects.filter(meeting=meeting)
    assert {x.task_id for x in carried} == {t1.pk, t2.pk}
    assert {x.outcome for x in carried} == {"carried"}
    assert [x["task"] for x in r_.json()] == [t2.pk, t1.pk]  # by due date
    assert r_.json()[0]["given_at"] == earlier.pk and r_.json()[0]["status"] == "open"
    assert len(call(c, "POST", f"{path}/carry").json()) == 2  # again: nothing added
    assert TaskReview.objects.count() == 2

    body = {"version": v(meeting), "task": t1.pk, "outcome": "done"}
    scope_checks(cast, client_for, "POST", path, body, write=True)
    scope_checks(cast, client_for, "GET", path, write=False)
    before = written(meeting)
    bad = [
        ({**body, "outcome": "dropped"}, "note", "Give the reason the task is dropped."),
        ({**body, "task": foreign.pk}, "task", "This task belongs to another cell."),
        ({**body, "task": 999999}, "task", "This task belongs to another cell."),
        (
            {**body, "outcome": "finished"},
            "outcome",
            "Select a valid choice. finished is not one of the available choices.",
        ),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    # A task is not reviewed at the meeting that gave it.
    given_here = r.task_create(
        meeting=meeting, version=v(meeting), text="y", due_on=DAY, member=world.member, actor=None
    )
    before = written(meeting)
    error = detail(call(c, "POST", path, {**body, "version": v(meeting), "task": given_here.pk}))
    assert error["msg"] == "A task is reviewed at a meeting after the one that gave it."
    assert written(meeting) == before

    r_ = call(c, "POST", path, {**body, "version": v(meeting)})
    assert r_.status_code == 200, r_.content
    assert r_.json()["outcome"] == "done" and r_.json()["meeting_version"] == v(meeting)
    t1.refresh_from_db()
    assert t1.status == TaskStatus.DONE
    assert TaskReview.objects.get(meeting=meeting, task=t1).outcome == "done"
    r_ = call(
        c,
        "POST",
        path,
        {"version": v(meeting), "task": t2.pk, "outcome": "dropped", "note": "Không còn cần"},
    )
    assert r_.status_code == 200
    t2.refresh_from_db()
    assert t2.status == TaskStatus.DROPPED
    assert call(c, "POST", path, {**body, "version": v(meeting) - 1}).status_code == 409
    listed = call(client_for(cast.viewer), "GET", path).json()
    assert {(x["task"], x["outcome"]) for x in listed["items"]} == {
        (t1.pk, "done"),
        (t2.pk, "dropped"),
    }


# Speeches, dues, proposals --------------------------------------------------------------------


def test_speeches(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/speeches"
    body = {"version": v(meeting), "summary": "Đề nghị làm đường", "member": world.member.pk}
    scope_checks(cast, client_for, "POST", path, body, write=True)
    before = written(meeting)
    both = "Name the speaker: either a member or someone who is not a member."
    bad = [
        ({**body, "speaker": "Ông Trưởng thôn"}, "speaker", both),
        ({"version": body["version"], "summary": "x"}, "speaker", both),
        ({**body, "summary": "  "}, "summary", "Summarise what was said."),
        (
            {**body, "member": world.other_member.pk},
            "member",
            "This member is not in the cell on the meeting day.",
        ),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    assert written(meeting) == before

    assert call(c, "POST", path, body).status_code == 201
    r_ = call(
        c,
        "POST",
        path,
        {"version": v(meeting), "speaker": "Ông Trưởng thôn", "summary": "Xin kinh phí"},
    )
    assert r_.status_code == 201 and r_.json()["meeting_version"] == v(meeting)
    rows = list(Speech.objects.filter(meeting=meeting).order_by("order"))
    assert [(x.order, x.member_id, x.speaker) for x in rows] == [
        (1, world.member.pk, ""),
        (2, None, "Ông Trưởng thôn"),
    ]
    assert call(c, "POST", path, body).status_code == 409
    scope_checks(cast, client_for, "GET", path, write=False)
    listed = call(c, "GET", path).json()["items"]
    assert [(x["order"], x["summary"]) for x in listed] == [
        (1, "Đề nghị làm đường"),
        (2, "Xin kinh phí"),
    ]


def test_dues(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/dues"
    secretary = cast.secretary.member
    body = {"version": v(meeting), "member": world.member.pk, "month": "2026-12", "amount": 50000}
    scope_checks(cast, client_for, "POST", path, body, write=True)
    before = written(meeting)
    bad = [
        ({**body, "month": "12/2026"}, "month", "Give the month as YYYY-MM."),
        ({**body, "month": "2026-13"}, "month", "Give the month as YYYY-MM."),
        ({**body, "amount": -1}, "amount", "Give the amount in đồng, a whole number from 0."),
        ({**body, "amount": 0}, "amount", "Dues collected cannot be 0 đồng."),
        ({**body, "amount": "50.000"}, "amount", "Enter a whole number."),
        (
            {**body, "member": world.member2.pk},
            "member",
            "This member is not in the cell on the meeting day.",
        ),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    assert written(meeting) == before

    r_ = call(c, "POST", path, body)
    assert r_.status_code == 200, r_.content
    assert r_.json()["month"] == "2026-12" and r_.json()["meeting_version"] == v(meeting)
    r_ = call(
        c, "POST", path, {**body, "version": v(meeting), "member": secretary.pk, "amount": 30000}
    )
    assert r_.status_code == 200
    # The same member and month again at this meeting corrects the row.
    r_ = call(
        c, "POST", path, {**body, "version": v(meeting), "amount": 60000, "month": "2026-12-01"}
    )
    assert r_.status_code == 200
    rows = DuesCollection.objects.filter(meeting=meeting)
    assert {(x.member_id, x.month, x.amount, x.collected) for x in rows} == {
        (world.member.pk, dt.date(2026, 12, 1), 60000, True),
        (secretary.pk, dt.date(2026, 12, 1), 30000, True),
    }
    listed = call(client_for(cast.viewer), "GET", path).json()
    assert listed["count"] == 2
    assert sum(x["amount"] for x in listed["items"]) == sum(x.amount for x in rows) == 90000
    assert {x["full_name"] for x in listed["items"]} == {"Nguyễn Văn Hùng", "Phạm Văn Bí Thư"}
    scope_checks(cast, client_for, "GET", path, write=False)
    # A month already collected at another meeting is refused there.
    later = make(world.cell, dt.date(2026, 12, 20))
    r_ = call(c, "POST", f"/meetings/{later.pk}/dues", {**body, "version": v(later)})
    error = detail(r_)
    assert error["loc"] == ["body", "month"]
    assert error["msg"] == "Dues for 12/2026 were already collected from this member."
    assert DuesCollection.objects.count() == 2
    # Noted as not collected (0 đồng allowed then): it does not count as paid.
    unpaid = {**body, "version": v(later), "month": "2027-01", "amount": 0, "collected": False}
    r_ = call(c, "POST", f"/meetings/{later.pk}/dues", unpaid)
    assert r_.status_code == 200, r_.content
    row = DuesCollection.objects.get(meeting=later)
    assert (row.month, row.amount, row.collected) == (dt.date(2027, 1, 1), 0, False)


def test_proposals_and_their_answer(world, cast, client_for, meeting, clock):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/proposals"
    body = {
        "version": v(meeting),
        "text": "Sửa đường liên thôn",
        "addressed_to": "UBND xã",
        "source": "Nhân dân thôn Đông",
    }
    scope_checks(cast, client_for, "POST", path, body, write=True)
    before = written(meeting)
    where = "Say where the proposal comes from: a member, or the public."
    bad = [
        ({**body, "member": world.member.pk}, "source", where),
        ({**body, "source": ""}, "source", where),
        ({**body, "text": " "}, "text", "Write the proposal."),
        ({**body, "addressed_to": " "}, "addressed_to", "Say to whom the proposal is addressed."),
        (
            {k: x for k, x in body.items() if k != "addressed_to"},
            "addressed_to",
            "This field is required.",
        ),
    ]
    for data, field, message in bad:
        error = detail(call(c, "POST", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    assert written(meeting) == before

    r_ = call(c, "POST", path, body)
    assert r_.status_code == 201, r_.content
    public = Proposal.objects.get(pk=r_.json()["id"])
    assert (public.source, public.member_id, public.answered) == ("Nhân dân thôn Đông", None, False)
    r_ = call(
        c,
        "POST",
        path,
        {**body, "version": v(meeting), "source": "", "member": world.member.pk},
    )
    assert r_.status_code == 201 and Proposal.objects.get(pk=r_.json()["id"]).member == world.member
    assert call(c, "POST", path, body).status_code == 409
    assert Proposal.objects.count() == 2

    # Answered after the minutes are adopted: follow-up, not minutes.
    held(meeting)
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    s.meeting_adopt(meeting=meeting, version=v(meeting), actor=cast.secretary)
    assert detail(call(c, "POST", path, {**body, "version": v(meeting)}))["msg"] == (
        "The minutes of this meeting are adopted and locked; record an amendment instead."
    )
    answer = f"{path}/{public.pk}/answer"
    scope_checks(cast, client_for, "POST", answer, {"answer": "Đã đưa vào kế hoạch"}, write=True)
    assert detail(call(c, "POST", answer, {"answer": " "})) == {
        "type": "invalid",
        "loc": ["body", "answer"],
        "msg": "Write the answer.",
    }
    elsewhere = make(world.cell, dt.date(2026, 12, 20))
    assert (
        call(
            c, "POST", f"/meetings/{elsewhere.pk}/proposals/{public.pk}/answer", {"answer": "x"}
        ).status_code
        == 404
    )
    r_ = call(c, "POST", answer, {"answer": "Đã đưa vào kế hoạch 2027"})
    assert r_.status_code == 200, r_.content
    public.refresh_from_db()
    assert public.answered and public.answer == "Đã đưa vào kế hoạch 2027"
    assert public.answered_by_id == cast.secretary.pk == r_.json()["answered_by"]
    assert detail(call(c, "POST", answer, {"answer": "lần nữa"}))["msg"] == (
        "This proposal is already answered."
    )
    listed = call(client_for(cast.viewer), "GET", path).json()["items"]
    assert [(x["id"], x["answered"]) for x in listed] == [
        (p.pk, p.answered) for p in Proposal.objects.order_by("pk")
    ]


# Quality --------------------------------------------------------------------------------------


def test_quality_score_and_confirmation(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/quality"
    given = {"preparation": 14, "attendance": 20, "conduct": 42, "closing": 18}
    # Not held yet: refused.
    error = detail(call(c, "PUT", path, {"version": v(meeting), "points": given}))
    assert error["msg"] == "Only a held meeting is scored."
    r_ = call(c, "GET", path)
    assert r_.status_code == 200 and r_.json()["scored"] is False
    assert {p["part"]: p["max"] for p in r_.json()["parts"]} == MAX
    assert r_.json()["max_total"] == sum(MAX.values()) == 100
    held(meeting)

    body = {"version": v(meeting), "points": given}
    scope_checks(cast, client_for, "PUT", path, body, write=True)
    scope_checks(cast, client_for, "GET", path, write=False)
    before = written(meeting)
    bad = [
        (
            {**given, "preparation": 16},
            ["body", "points"],
            "preparation: give from 0 to 15 points.",
        ),
        ({**given, "bonus": 5}, ["body", "points"], "Unknown part of the score: bonus."),
        (
            {k: x for k, x in given.items() if k != "closing"},
            ["body", "points"],
            "closing: give from 0 to 20 points.",
        ),
        ({**given, "attendance": "20"}, ["body", "points", "attendance"], "Enter a whole number."),
    ]
    for points, loc, message in bad:
        error = detail(call(c, "PUT", path, {**body, "points": points}))
        assert (error["loc"], error["msg"]) == (loc, message), points
    assert written(meeting) == before

    r_ = call(c, "PUT", path, body)
    assert r_.status_code == 200, r_.content
    score = QualityScore.objects.get(meeting=meeting)
    assert score.points == given and score.total == sum(given.values()) == 94
    assert score.filled_by == cast.secretary
    assert r_.json()["total"] == 94 and r_.json()["meeting_version"] == v(meeting)
    # 94 is in the good band (90+), everyone was present: a good meeting.
    assert r_.json()["rating"] == "good"
    assert call(c, "PUT", path, {**body, "points": MAX}).status_code == 409
    assert QualityScore.objects.get(meeting=meeting).total == 94

    # The confirmation: the assigned follower, once on the guest list, who did not score it.
    confirm = f"{path}/confirm"
    follower = client_for(cast.follower)
    assert detail(call(follower, "POST", confirm))["msg"] == (
        "Record the superior follower who attended the meeting first."
    )
    follow = fs.assign(
        cell=world.cell, follower=cast.follower, start=dt.date(2026, 1, 1), actor=cast.base_officer
    )
    s.guest_add(meeting=meeting, version=v(meeting), follow=follow, actor=None)
    # Another reader of the record is not the follower who attended.
    assert detail(call(client_for(cast.viewer), "POST", confirm))["msg"] == (
        "Only the superior follower assigned to the cell who attended confirms the score."
    )
    assert call(client_for(cast.outsider), "POST", confirm).status_code == 404
    assert call(client_for(cast.member), "POST", confirm).status_code == 403
    assert detail(call(c, "POST", confirm))["msg"] == (
        "The score is confirmed by someone other than who gave it."
    )
    assert QualityScore.objects.get(meeting=meeting).confirmed_by is None
    r_ = call(follower, "POST", confirm)
    assert r_.status_code == 200, r_.content
    score.refresh_from_db()
    assert score.confirmed_by == cast.follower and score.confirmed_at is not None
    assert r_.json()["confirmed_by"] == cast.follower.pk
    assert detail(call(follower, "POST", confirm))["msg"] == "This score is already confirmed."
    assert call(follower, "PUT", confirm).status_code == 405
    # A new score clears the confirmation, which was of other numbers.
    r_ = call(c, "PUT", path, {"version": v(meeting), "points": MAX})
    assert r_.status_code == 200 and r_.json()["confirmed_by"] is None
    assert QualityScore.objects.get(meeting=meeting).confirmed_by is None


def test_a_good_score_without_good_attendance_rates_fair(world, cast, client_for, meeting):
    rows = list(meeting.roster.all())
    s.attendance_mark(
        meeting=meeting, version=v(meeting), member=rows[0].member, presence="present", actor=None
    )
    s.attendance_mark(
        meeting=meeting, version=v(meeting), member=rows[1].member, presence="unexcused", actor=None
    )
    s.meeting_hold(
        meeting=meeting, version=v(meeting), started_at=at(DAY), ended_at=at(DAY, 21), actor=None
    )
    r_ = call(
        client_for(cast.base_officer),
        "PUT",
        f"/meetings/{meeting.pk}/quality",
        {"version": v(meeting), "points": MAX},
    )
    assert r_.status_code == 200
    # 100 points, but 1 of 2 present (50%, not over 85%) and an unexcused absence.
    assert r_.json()["total"] == 100 and r_.json()["rating"] == "fair"


# Amendments, votes by name, the meeting's extra figures ----------------------------------------


def test_amendments_list(world, cast, client_for, meeting, clock):
    held(meeting)  # without a resolution: adopted without a vote
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    s.meeting_adopt(meeting=meeting, version=v(meeting), actor=cast.secretary)
    s.meeting_amend(
        meeting=meeting,
        version=v(meeting),
        field="resolution",
        value="Kết luận (sửa)",
        reason="Thiếu ý",
        actor=cast.base_officer,
    )
    path = f"/meetings/{meeting.pk}/amendments"
    scope_checks(cast, client_for, "GET", path, write=False)
    r_ = call(client_for(cast.secretary), "GET", path)
    assert r_.status_code == 200
    amendment = Amendment.objects.get(meeting=meeting)
    assert r_.json()["count"] == 1
    item = r_.json()["items"][0]
    assert (item["id"], item["before"], item["after"], item["by"]) == (
        amendment.pk,
        "",
        "Kết luận (sửa)",
        cast.base_officer.pk,
    )
    assert call(client_for(cast.secretary), "POST", path, {}).status_code == 405


def test_a_vote_by_name_counts_only_official_members_present(world, cast, client_for):
    probationary = f.member(
        world.cell, full_name="Đỗ Thị Mới", admitted_on=dt.date(2026, 6, 1), official_on=None
    )
    meeting = make(world.cell)
    for row in meeting.roster.all():
        s.attendance_mark(
            meeting=meeting, version=v(meeting), member=row.member, presence="present", actor=None
        )
    ballots = {
        str(world.member.pk): "for",
        str(cast.secretary.member.pk): "against",
        str(probationary.pk): "for",
    }
    body = {
        "version": v(meeting),
        "subject": "Kết nạp quần chúng Lê Văn B",
        "kind": "ordinary",
        "method": "named",
        "ballots": ballots,
    }
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/votes"
    assert call(client_for(cast.viewer), "POST", path, body).status_code == 403
    before = written(meeting)
    error = detail(call(c, "POST", path, {**body, "ballots": {str(world.member2.pk): "for"}}))
    assert error["msg"] == "A ballot names someone not on the roster."
    error = detail(call(c, "POST", path, {**body, "ballots": {str(world.member.pk): "yes"}}))
    assert error["loc"][:2] == ["body", "ballots"]
    assert written(meeting) == before

    r_ = call(c, "POST", path, body)
    assert r_.status_code == 201, r_.content
    vote = Vote.objects.get(meeting=meeting)
    kept = {(b.member_id, b.choice, b.counted) for b in Ballot.objects.filter(vote=vote)}
    assert kept == {
        (world.member.pk, "for", True),
        (cast.secretary.member.pk, "against", True),
        (probationary.pk, "for", False),  # kept, not counted
    }
    # Independently: official members present are the two; 1 for of 2 is not more than half.
    counted = [b for b in kept if b[2]]
    assert (vote.votes_for, vote.votes_against, vote.counted) == (1, 1, len(counted))
    assert vote.passed is False and r_.json()["passed"] is False


def test_the_meeting_gives_its_length_rule_and_the_check_in_code_to_its_writers(
    world, cast, client_for, meeting, clock
):
    path = f"/meetings/{meeting.pk}"
    meeting.refresh_from_db()
    assert call(client_for(cast.secretary), "GET", path).json()["checkin_code"] == (
        meeting.checkin_code
    )
    assert len(meeting.checkin_code) == 6
    for reader in (cast.viewer, cast.member):
        assert call(client_for(reader), "GET", path).json()["checkin_code"] is None
    body = call(client_for(cast.secretary), "GET", path).json()
    assert body["minimum_minutes"] is None and body["long_enough"] is None  # not held yet
    # 19:30 to 21:00: 90 minutes, the least for a monthly meeting since 42-HD/BTCTW (2025).
    for row in meeting.roster.all():
        s.attendance_mark(
            meeting=meeting, version=v(meeting), member=row.member, presence="present", actor=None
        )
    s.meeting_hold(
        meeting=meeting, version=v(meeting), started_at=at(DAY), ended_at=at(DAY, 21, 0), actor=None
    )
    body = call(client_for(cast.viewer), "GET", path).json()
    assert (body["duration_minutes"], body["minimum_minutes"], body["long_enough"]) == (
        90,
        90,
        True,
    )
    s.meeting_hold(
        meeting=meeting,
        version=v(meeting),
        started_at=at(DAY),
        ended_at=at(DAY, 20, 59),
        actor=None,
    )
    body = call(client_for(cast.viewer), "GET", path).json()
    assert (body["duration_minutes"], body["long_enough"]) == (89, False)
    assert call(client_for(cast.member), "GET", path).json()["minimum_minutes"] is None
    # Once adopted the roster is closed: no code any more.
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    s.meeting_adopt(meeting=meeting, version=v(meeting), actor=cast.secretary)
    assert call(client_for(cast.secretary), "GET", path).json()["checkin_code"] is None


def test_record_writes_by_token(world, cast, meeting):
    token = token_issue(actor=None, user=cast.base_officer)
    r_ = call(
        Client(),
        "POST",
        f"/meetings/{meeting.pk}/speeches",
        {"version": v(meeting), "member": world.member.pk, "summary": "Ý kiến"},
        Authorization=f"Bearer {token}",
    )
    assert r_.status_code == 201, r_.content
    assert Speech.objects.get().summary == "Ý kiến"
    assert call(Client(), "GET", f"/meetings/{meeting.pk}/speeches").status_code == 401


def test_record_lists_cost_the_same_queries_whatever_their_length(world, cast, client_for):
    earlier = make(world.cell, dt.date(2026, 11, 12))
    meeting = make(world.cell)
    c = client_for(cast.secretary)
    names = ("guests", "tasks", "reviews", "speeches", "dues", "proposals", "amendments")

    def add(n: int) -> None:
        for i in range(n):
            s.guest_add(
                meeting=meeting, version=v(meeting), name=f"Khách {i}", role="Khách mời", actor=None
            )
            r.task_create(
                meeting=meeting,
                version=v(meeting),
                text=f"Việc {i}",
                due_on=DAY,
                member=world.member,
                actor=None,
            )
            r.task_create(
                meeting=earlier,
                version=v(earlier),
                text=f"Cũ {i}",
                due_on=DAY,
                member=world.member,
                actor=None,
            )
            r.speech_add(
                meeting=meeting,
                version=v(meeting),
                summary=f"Ý {i}",
                speaker=f"Ông {i}",
                actor=None,
            )
            r.dues_record(
                meeting=meeting,
                version=v(meeting),
                member=world.member,
                month=dt.date(2026, 1 + len(DuesCollection.objects.all()), 1),
                amount=50000,
                actor=None,
            )
            r.proposal_add(
                meeting=meeting,
                version=v(meeting),
                text=f"Kiến nghị {i}",
                addressed_to="Xã",
                source="Dân",
                actor=None,
            )
        r.tasks_carry_over(meeting=meeting, actor=None)

    def queries() -> dict[str, int]:
        out = {}
        for name in names:
            with CaptureQueriesContext(connection) as ctx:
                assert call(c, "GET", f"/meetings/{meeting.pk}/{name}").status_code == 200
            out[name] = len(ctx.captured_queries)
        return out

    add(1)
    few = queries()
    add(3)
    counts = {
        name: call(c, "GET", f"/meetings/{meeting.pk}/{name}").json()["count"] for name in names
    }
    assert counts == {
        "guests": 4,
        "tasks": 4,
        "reviews": 4,
        "speeches": 4,
        "dues": 4,
        "proposals": 4,
        "amendments": 0,
    }
    assert queries() == few
