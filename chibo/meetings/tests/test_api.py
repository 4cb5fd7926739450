"""The meetings API through the client: it works for the secretary and the office (session and
token), outsiders 404, read-only roles 403 on writes, wrong methods 405, anonymous 401, bad
input 422 with nothing written, a stale version 409."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from chibo.accounts.services import token_issue
from chibo.meetings import services as s
from chibo.meetings.models import Amendment, Attendance, Kind, Meeting, State, Vote
from chibo.testing.api import call

DAY = dt.date(2026, 12, 10)  # after 42-HD/BTCTW: 90 minutes at least


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def meeting(world, cast) -> Meeting:
    return s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), place="Nhà văn hóa", actor=None
    )


def version(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def written(m: Meeting) -> tuple:
    """If none of these moved, nothing about the meeting was written."""
    hist = Meeting.history.model.objects.count()  # type: ignore[attr-defined]
    att = Attendance.history.model.objects.count()  # type: ignore[attr-defined]
    return (version(m), hist, att, Vote.objects.count(), Amendment.objects.count())


def frozen(m: Meeting) -> Meeting:
    s.roster_freeze(meeting=m, version=version(m), actor=None)
    m.refresh_from_db()
    return m


def all_present(m: Meeting) -> None:
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=version(m), member=row.member, presence="present", actor=None
        )


# Reading --------------------------------------------------------------------------------------


def test_list_is_scoped_and_filtered(world, cast, client_for, meeting):
    other = s.meeting_create(
        cell=world.other_cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None
    )
    later = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY.replace(day=20)), actor=None
    )
    r = call(client_for(cast.secretary), "GET", "/meetings")
    assert r.status_code == 200
    assert [m["id"] for m in r.json()["items"]] == [meeting.pk, later.pk]
    assert r.json()["count"] == 2
    r = call(client_for(cast.province_officer), "GET", f"/meetings?cell={world.other_cell.pk}")
    assert [m["id"] for m in r.json()["items"]] == [other.pk]
    c = client_for(cast.base_officer)
    r = call(c, "GET", "/meetings?from=2026-12-11&to=2026-12-31&state=planned")
    assert [m["id"] for m in r.json()["items"]] == [later.pk]
    r = call(c, "GET", "/meetings?from=12/10/2026")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "from"]
    assert call(client_for(cast.outsider), "GET", "/meetings").json()["count"] == 1


def test_detail_with_turnout_for_the_record_reader(world, cast, client_for, meeting):
    frozen(meeting)
    row = meeting.roster.first()
    s.attendance_mark(
        meeting=meeting, version=version(meeting), member=row.member, presence="present", actor=None
    )
    r = call(client_for(cast.secretary), "GET", f"/meetings/{meeting.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == "planned" and body["version"] == version(meeting) == 3
    assert body["turnout"] == {"present": 1, "expected": 2}
    assert body["counted_for_vote"] == 2
    assert body["planned_at"] == "2026-12-10T19:30:00+07:00"  # in Vietnam's time
    # A member reads the schedule of their cell, not its figures, roster or votes.
    r = call(client_for(cast.member), "GET", f"/meetings/{meeting.pk}")
    assert r.status_code == 200 and r.json()["turnout"] is None
    for sub in ("roster", "votes"):
        r = call(client_for(cast.member), "GET", f"/meetings/{meeting.pk}/{sub}")
        assert r.status_code == 403
        assert r.json()["detail"] == "You may see this meeting's schedule but not its record."
    assert call(client_for(cast.outsider), "GET", f"/meetings/{meeting.pk}").status_code == 404
    assert (
        call(client_for(cast.outsider), "GET", f"/meetings/{meeting.pk}/roster").status_code == 404
    )
    assert call(client_for(cast.secretary), "GET", "/meetings/999999").status_code == 404


def test_roster_and_token(world, cast, meeting):
    frozen(meeting)
    token = token_issue(actor=None, user=cast.base_officer)
    r = call(Client(), "GET", f"/meetings/{meeting.pk}/roster")
    assert r.status_code == 401
    r = call(Client(), "GET", f"/meetings/{meeting.pk}/roster", Authorization=f"Bearer {token}")
    assert r.status_code == 200
    names = [row["full_name"] for row in r.json()["items"]]
    assert sorted(names) == sorted(["Nguyễn Văn Hùng", "Phạm Văn Bí Thư"])
    assert r.json()["items"][0]["presence"] is None


def test_anonymous_and_wrong_method(meeting):
    r = call(Client(), "GET", "/meetings")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = call(Client(), "POST", f"/meetings/{meeting.pk}/cancel", {"version": 1, "reason": "x"})
    assert r.status_code == 401


def test_wrong_method(cast, client_for, meeting):
    c = client_for(cast.secretary)
    assert call(c, "PUT", f"/meetings/{meeting.pk}").status_code == 405
    assert call(c, "GET", f"/meetings/{meeting.pk}/cancel").status_code == 405
    assert call(c, "DELETE", f"/meetings/{meeting.pk}/roster").status_code == 405


# Writing --------------------------------------------------------------------------------------


def test_create(world, cast, client_for):
    body = {
        "cell": world.cell.pk,
        "kind": "thematic",
        "topic": "Chuyển đổi số",
        "planned_at": "2026-12-15T19:00:00",
        "place": "Hội trường",
    }
    r = call(client_for(cast.secretary), "POST", "/meetings", body)
    assert r.status_code == 201, r.content
    m = Meeting.objects.get(pk=r.json()["id"])
    assert m.topic == "Chuyển đổi số" and m.planned_at == at(dt.date(2026, 12, 15), 19, 0)
    # The office of the base committee too, by token; not the viewer, not an outsider.
    token = token_issue(actor=None, user=cast.base_officer)
    r = call(Client(), "POST", "/meetings", body, Authorization=f"Bearer {token}")
    assert r.status_code == 201
    assert call(client_for(cast.viewer), "POST", "/meetings", body).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/meetings", body).status_code == 404
    assert Meeting.objects.count() == 2


def test_create_bad_input_writes_nothing(world, cast, client_for):
    c = client_for(cast.secretary)
    r = call(
        c,
        "POST",
        "/meetings",
        {"cell": world.cell.pk, "kind": "thematic", "planned_at": "2026-12-15T19:00:00"},
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"type": "invalid", "loc": ["body", "topic"], "msg": "A thematic meeting needs a topic."}
    ]
    r = call(c, "POST", "/meetings", {"cell": world.cell.pk, "planned_at": "tomorrow"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "planned_at"]
    r = call(
        c,
        "POST",
        "/meetings",
        {"cell": world.cell.pk, "planned_at": "2026-12-15T19:00", "kind": "party"},
    )
    assert r.json()["detail"][0]["loc"] == ["body", "kind"]
    r = call(c, "POST", "/meetings", {"cell": world.base.pk, "planned_at": "2026-12-15T19:00"})
    assert r.status_code == 404  # the base committee is outside the secretary's scope
    r = call(
        client_for(cast.viewer),
        "POST",
        "/meetings",
        {"cell": world.cell.pk, "planned_at": "2026-12-15T19:00"},
    )
    assert r.status_code == 403
    r = call(
        client_for(cast.base_officer),
        "POST",
        "/meetings",
        {"cell": world.base.pk, "planned_at": "2026-12-15T19:00"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Meetings are held by a cell."
    assert not Meeting.objects.exists()


def test_move_and_cancel_with_versions(cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}"
    body = {"version": 1, "planned_at": "2026-12-12T08:00:00", "reason": "Trùng lịch xã"}
    r = call(c, "POST", f"{path}/move", body)
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2 and r.json()["note"] == "Trùng lịch xã"
    before = written(meeting)
    r = call(c, "POST", f"{path}/cancel", {"version": 1, "reason": "Bão"})  # stale
    assert r.status_code == 409
    assert r.json()["detail"] == (
        "Someone else changed this meeting since you opened it. Reload it and try again."
    )
    assert written(meeting) == before
    r = call(c, "POST", f"{path}/cancel", {"version": 2, "reason": " "})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "reason"]
    assert r.json()["detail"][0]["msg"] == "Give the reason for the change."
    assert written(meeting) == before
    r = call(c, "POST", f"{path}/cancel", {"version": 2, "reason": "Bão", "extra": 1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "extra"]
    r = call(c, "POST", f"{path}/cancel", {"reason": "Bão"})
    assert r.json()["detail"][0] == {
        "type": "missing",
        "loc": ["body", "version"],
        "msg": "This field is required.",
    }
    assert (
        call(
            client_for(cast.viewer), "POST", f"{path}/cancel", {"version": 2, "reason": "Bão"}
        ).status_code
        == 403
    )
    assert (
        call(
            client_for(cast.member), "POST", f"{path}/cancel", {"version": 2, "reason": "Bão"}
        ).status_code
        == 403
    )
    assert (
        call(
            client_for(cast.outsider), "POST", f"{path}/cancel", {"version": 2, "reason": "Bão"}
        ).status_code
        == 404
    )
    r = call(
        client_for(cast.base_officer), "POST", f"{path}/cancel", {"version": 2, "reason": "Bão"}
    )
    assert r.status_code == 200 and r.json()["state"] == State.CANCELLED


def test_freeze_mark_vote_hold_adopt_amend(world, cast, client_for, meeting, clock):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}"
    r = call(c, "POST", f"{path}/freeze", {"version": 1})
    assert r.status_code == 200 and r.json()["turnout"] == {"present": 0, "expected": 2}
    assert call(c, "POST", f"{path}/freeze", {"version": 1}).status_code == 409
    v = r.json()["version"]
    member = world.member.pk
    # Attendance: a PATCH of one row; bad input first.
    r = call(c, "PATCH", f"{path}/attendance/{member}", {"version": v, "presence": "excused"})
    assert r.status_code == 422
    assert r.json()["detail"][0] == {
        "type": "invalid",
        "loc": ["body", "reason"],
        "msg": "An excused absence needs its reason.",
    }
    r = call(c, "PATCH", f"{path}/attendance/{member}", {"version": v, "presence": "here"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "presence"]
    assert Attendance.objects.get(meeting=meeting, member_id=member).presence == ""
    r = call(
        c, "PATCH", f"{path}/attendance/{world.member2.pk}", {"version": v, "presence": "present"}
    )
    assert r.status_code == 404  # not on this roster
    r = call(
        client_for(cast.viewer),
        "PATCH",
        f"{path}/attendance/{member}",
        {"version": v, "presence": "present"},
    )
    assert r.status_code == 403
    r = call(
        c,
        "PATCH",
        f"{path}/attendance/{member}",
        {"version": v, "presence": "present", "late": True},
    )
    assert r.status_code == 200, r.content
    assert r.json()["presence"] == "present" and r.json()["late"] is True
    v = r.json()["meeting_version"]
    r = call(c, "PATCH", f"{path}/attendance/{member}", {"version": v - 1, "left_early": True})
    assert r.status_code == 409
    r = call(c, "PATCH", f"{path}/attendance/{member}", {"version": v, "left_early": True})
    assert r.json()["late"] is True and r.json()["left_early"] is True  # the rest unchanged
    all_present(meeting)
    v = version(meeting)
    # Votes.
    vote = {
        "version": v,
        "subject": "Nghị quyết tháng 12",
        "kind": "ordinary",
        "method": "hands",
        "votes_for": 2,
        "on_resolution": True,
    }
    r = call(c, "POST", f"{path}/votes", {**vote, "votes_for": 3})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == (
        "More votes (3) than official members present who may vote (2)."
    )
    assert not Vote.objects.exists()
    r = call(c, "POST", f"{path}/votes", vote)
    assert r.status_code == 201, r.content
    assert r.json()["passed"] is True and r.json()["counted"] == 2
    v = r.json()["meeting_version"]
    named = {
        **vote,
        "version": v,
        "method": "named",
        "on_resolution": False,
        "ballots": {str(world.member.pk): "for"},
    }
    r = call(c, "POST", f"{path}/votes", named)
    assert r.status_code == 201 and r.json()["ballots"] == [
        {"member": world.member.pk, "choice": "for", "counted": True}
    ]
    v = r.json()["meeting_version"]
    r = call(c, "GET", f"{path}/votes")
    assert r.json()["count"] == 2
    # Hold, adopt, amend.
    hold = {
        "version": v,
        "started_at": "2026-12-10T19:30:00",
        "ended_at": "2026-12-10T19:00:00",
        "resolution": "Nghị quyết",
    }
    r = call(c, "POST", f"{path}/hold", hold)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "ended_at"]
    r = call(c, "POST", f"{path}/hold", {**hold, "ended_at": "2026-12-10T21:30:00"})
    assert r.status_code == 200 and r.json()["state"] == "held"
    assert r.json()["duration_minutes"] == 120
    v = r.json()["version"]
    r = call(c, "POST", f"{path}/amend", {"version": v, "value": "x", "reason": "y"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == (
        "Only adopted minutes are amended; edit the draft instead."
    )
    # Before the recorded end (21:30) the minutes cannot be adopted: that time has not come.
    clock(at(DAY, 21, 0))
    r = call(c, "POST", f"{path}/adopt", {"version": v})
    assert r.status_code == 422 and "later than now" in r.json()["detail"][0]["msg"]
    clock(at(DAY, 22))
    r = call(c, "POST", f"{path}/adopt", {"version": v})
    assert r.status_code == 200 and r.json()["state"] == "adopted"
    v = r.json()["version"]
    r = call(
        c,
        "POST",
        f"{path}/amend",
        {"version": v, "value": "Nghị quyết (sửa)", "reason": "Sai chính tả"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["before"] == "Nghị quyết" and r.json()["meeting_version"] == v + 1
    assert call(c, "GET", path).json()["resolution"] == "Nghị quyết (sửa)"


def test_check_in(world, cast, client_for, meeting):
    frozen(meeting)
    path = f"/meetings/{meeting.pk}/check-in"
    c = client_for(cast.member)
    r = call(c, "POST", path, {"code": "nope"})
    assert r.status_code == 422
    assert r.json()["detail"][0] == {
        "type": "invalid",
        "loc": ["body", "code"],
        "msg": "That code is not this meeting's code.",
    }
    r = call(c, "POST", path, {"code": meeting.checkin_code})
    assert r.status_code == 200 and r.json()["presence"] == "present"
    assert r.json()["member"] == world.member.pk
    assert call(client_for(cast.viewer), "POST", path, {"code": "1"}).status_code == 403
    assert call(client_for(cast.outsider), "POST", path, {"code": "1"}).status_code == 404
    assert call(c, "GET", path).status_code == 405


def test_tasks_and_proposals(world, cast, client_for, meeting):
    from chibo.meetings.services import record

    record.task_create(
        meeting=meeting,
        version=version(meeting),
        text="Vận động đóng góp",
        due_on=DAY,
        member=world.member,
        actor=None,
    )
    record.proposal_add(
        meeting=meeting,
        version=version(meeting),
        text="Sửa đường",
        addressed_to="UBND xã",
        source="Nhân dân thôn",
        actor=None,
    )
    c = client_for(cast.secretary)
    r = call(c, "GET", f"/meetings/{meeting.pk}/tasks")
    assert r.status_code == 200 and r.json()["count"] == 1
    assert r.json()["items"][0]["member"] == world.member.pk
    assert r.json()["items"][0]["status"] == "open"
    r = call(c, "GET", f"/meetings/{meeting.pk}/proposals")
    assert r.json()["items"][0]["addressed_to"] == "UBND xã"
    assert call(client_for(cast.member), "GET", f"/meetings/{meeting.pk}/tasks").status_code == 403
    path = f"/meetings/{meeting.pk}/proposals"
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert call(c, "DELETE", path).status_code == 405
