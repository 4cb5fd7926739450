"""Meeting pages through the client: each page for the right persona, outsiders 404, read-only
roles 403 on writes, wrong methods 405, and optimistic locking as two people see it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence, Schedule, State
from chibo.testing import factories as f

DAY = dt.date(2026, 12, 10)  # after 42-HD/BTCTW: 90 minutes at least


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def meeting(world, cast) -> Meeting:
    return s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), place="Nhà văn hóa", actor=None
    )


def frozen(m: Meeting) -> Meeting:
    m.refresh_from_db()
    s.roster_freeze(meeting=m, version=m.version, actor=None)
    m.refresh_from_db()
    return m


ALL = "?open=all"  # the page with every part open (by default most are folded)


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


# The cell's meetings ---------------------------------------------------------------------------


def test_cell_page_for_each_persona(world, cast, en, meeting):
    page = url("cell", world.cell.pk)
    r = en(cast.secretary).get(page)
    assert r.status_code == 200
    assert "10/12/2026" in r.text and 'id="create-form"' in r.text
    r = en(cast.viewer).get(page)
    assert r.status_code == 200 and 'id="create-form"' not in r.text
    assert en(cast.outsider).get(page).status_code == 404
    assert en(cast.member).get(page).status_code == 403  # a member has the schedule page
    assert en(cast.secretary).post(page).status_code == 405
    assert en(cast.secretary).get(url("cell", world.base.pk)).status_code == 404  # not a cell


def test_schedule_set_and_plan(world, cast, en):
    c = en(cast.secretary)
    r = c.post(url("schedule_set", world.cell.pk), {"day": "29", "time": "19:30", "place": "x"})
    assert r.status_code == 422 and not Schedule.objects.exists()
    assert "less than or equal to 28" in r.text
    r = c.post(url("schedule_set", world.cell.pk), {"day": "5", "time": "19:30", "place": "Nhà"})
    assert r.status_code == 302
    assert Schedule.objects.get(cell=world.cell).day == 5
    r = c.post(url("plan", world.cell.pk), follow=True)
    # The 5th of this month and of the next two, those not already past.
    today = timezone.localdate()
    firsts = [(today.replace(day=1) + dt.timedelta(days=31 * i)).replace(day=5) for i in range(3)]
    expected = sum(1 for d in firsts if d >= today)
    assert f"{expected} meetings planned for the next 3 months." in r.text
    assert Meeting.objects.filter(cell=world.cell, kind=Kind.REGULAR).count() == expected
    assert c.get(url("plan", world.cell.pk)).status_code == 405
    assert c.get(url("schedule_set", world.cell.pk)).status_code == 405
    viewer = en(cast.viewer)
    assert viewer.post(url("plan", world.cell.pk)).status_code == 403
    form = {"day": "6", "time": "19:30", "place": "Nhà"}
    assert viewer.post(url("schedule_set", world.cell.pk), form).status_code == 403
    assert en(cast.outsider).post(url("plan", world.cell.pk)).status_code == 404


def test_plan_without_schedule_says_so(world, cast, en):
    r = en(cast.secretary).post(url("plan", world.cell.pk), follow=True)
    assert "Set the cell&#x27;s usual meeting day first." in r.text
    assert not Meeting.objects.exists()


def test_create_meeting(world, cast, en, meeting):
    c = en(cast.base_officer)  # an office above the cell writes too
    data = {"kind": Kind.THEMATIC, "date": "15/12/2026", "time": "08:00", "place": "Hội trường"}
    r = c.post(url("create", world.cell.pk), data)
    assert r.status_code == 422 and "A thematic meeting needs a topic." in r.text
    data["topic"] = "Học tập và làm theo tư tưởng Hồ Chí Minh"
    r = c.post(url("create", world.cell.pk), data)
    m = Meeting.objects.get(kind=Kind.THEMATIC)
    assert r.status_code == 302 and r["Location"] == url("detail", m.pk)
    assert m.planned_at == at(dt.date(2026, 12, 15), 8, 0)
    data = {"kind": Kind.COMMITTEE, "date": "08/12/2026", "time": "19:00", "prepares": meeting.pk}
    assert c.post(url("create", world.cell.pk), data).status_code == 302
    assert Meeting.objects.get(kind=Kind.COMMITTEE).prepares == meeting
    assert en(cast.viewer).post(url("create", world.cell.pk), data).status_code == 403
    assert en(cast.outsider).post(url("create", world.cell.pk), data).status_code == 404


# The meeting page ------------------------------------------------------------------------------


def test_meeting_page_for_each_persona(world, cast, en, meeting):
    m = frozen(meeting)
    page = url("detail", m.pk) + ALL
    r = en(cast.secretary).get(page)
    assert r.status_code == 200
    assert m.checkin_code in r.text and 'id="roster"' in r.text
    r = en(cast.viewer).get(page)
    assert r.status_code == 200 and m.checkin_code not in r.text and "attendance-form" not in r.text
    assert en(cast.outsider).get(page).status_code == 404
    r = en(cast.member).get(page)  # own cell: the basic facts, not the roster or the code
    assert r.status_code == 200 and 'id="roster"' not in r.text and m.checkin_code not in r.text
    stranger = f.user(member=world.other_member, grants=[(Role.MEMBER, world.other_cell)])
    assert en(stranger).get(page).status_code == 404
    assert en(cast.secretary).post(page).status_code == 405

    # The Word downloads come from the documents app: linked once it names them.
    try:
        minutes = reverse("documents:minutes_docx", args=[m.pk])
    except NoReverseMatch:
        minutes = None
    text = en(cast.secretary).get(page).text
    assert ('id="minutes-docx"' in text) is (minutes is not None)


def test_move_and_cancel_need_a_reason(world, cast, en, meeting):
    c = en(cast.secretary)
    data = {"version": meeting.version, "date": "11/12/2026", "time": "19:30", "reason": ""}
    r = c.post(url("move", meeting.pk), data)
    assert r.status_code == 422 and "This field is required." in r.text
    data["reason"] = "Trùng lịch họp xã"
    assert c.post(url("move", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.planned_at == at(dt.date(2026, 12, 11)) and meeting.note == "Trùng lịch họp xã"
    data = {"version": meeting.version, "reason": "Bão"}
    assert en(cast.viewer).post(url("cancel", meeting.pk), data).status_code == 403
    assert en(cast.member).post(url("cancel", meeting.pk), data).status_code == 403
    assert c.get(url("cancel", meeting.pk)).status_code == 405
    assert c.post(url("cancel", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == State.CANCELLED


def test_freeze_roster(world, cast, en, meeting):
    c = en(cast.secretary)
    data = {"version": meeting.version}
    assert en(cast.viewer).post(url("freeze", meeting.pk), data).status_code == 403
    assert c.post(url("freeze", meeting.pk), data).status_code == 302
    assert meeting.roster.count() == 2  # the member and the secretary
    r = c.post(url("freeze", meeting.pk), {"version": meeting.version + 1})
    assert r.status_code == 422 and "already frozen" in r.text


def test_attendance_row_by_htmx(world, cast, en, meeting):
    m = frozen(meeting)
    c = en(cast.secretary)
    target = url("attendance", m.pk, world.member.pk)
    r = c.post(
        target, {"version": m.version, "presence": "excused"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and "An excused absence needs its reason." in r.text
    data = {"version": m.version, "presence": "excused", "reason": "Ốm"}
    r = c.post(target, data, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith("<tr")
    assert r["X-Meeting-Version"] == str(m.version + 1)
    row = m.roster.get(member=world.member)
    assert row.presence == Presence.EXCUSED and row.reason == "Ốm"
    assert en(cast.viewer).post(target, data).status_code == 403
    assert en(cast.outsider).post(target, data).status_code == 404
    assert c.get(target).status_code == 405
    # Without HTMX: saved, then back to the page.
    data = {"version": m.version + 1, "presence": "present", "late": "on"}
    r = c.post(target, data)
    assert r.status_code == 302
    assert m.roster.get(member=world.member).late


def test_two_secretaries_saving_at_once(world, cast, en, meeting):
    m = frozen(meeting)
    first, second = en(cast.secretary), en(cast.base_officer)
    assert first.get(url("detail", m.pk) + ALL).status_code == 200
    assert second.get(url("detail", m.pk) + ALL).status_code == 200
    seen = m.version
    hx = {"HX-Request": "true"}
    mine = {"version": seen, "presence": "present"}
    r = first.post(url("attendance", m.pk, world.member.pk), mine, headers=hx)
    assert r.status_code == 200
    theirs = {"version": seen, "presence": "unexcused"}
    r = second.post(url("attendance", m.pk, world.member.pk), theirs, headers=hx)
    assert r.status_code == 409
    assert "Someone else changed this meeting since you opened it." in r.text
    assert m.roster.get(member=world.member).presence == Presence.PRESENT  # the first is kept
    # Without HTMX: the message on the reloaded page, nothing overwritten.
    r = second.post(url("attendance", m.pk, world.member.pk), theirs, follow=True)
    assert "Someone else changed this meeting" in r.text
    assert m.roster.get(member=world.member).presence == Presence.PRESENT
    r = second.post(
        url("hold", m.pk),
        {"version": seen, "date": "10/12/2026", "started": "19:30", "ended": "21:30"},
        follow=True,
    )
    assert "Someone else changed this meeting" in r.text
    m.refresh_from_db()
    assert m.state == State.PLANNED


def _all_present(m: Meeting) -> Meeting:
    for row in m.roster.all():
        m.refresh_from_db()
        s.attendance_mark(
            meeting=m, version=m.version, member=row.member, presence="present", actor=None
        )
    m.refresh_from_db()
    return m


def test_guests(world, cast, en, meeting):
    c = en(cast.secretary)
    cast.follower.first_name, cast.follower.last_name = "Theo", "Lê Văn"
    cast.follower.save()
    assignment = f.follow(world.cell, cast.follower)
    data = {"version": meeting.version, "follow": str(assignment.pk)}
    assert en(cast.viewer).post(url("guest_add", meeting.pk), data).status_code == 403
    assert f'value="{assignment.pk}">' in c.get(url("detail", meeting.pk) + ALL).text
    assert c.post(url("guest_add", meeting.pk), data).status_code == 302
    guest = meeting.guests.get()
    assert guest.follower and guest.follow == assignment
    assert guest.name == cast.follower.get_full_name()
    assert cast.follower.get_full_name() in c.get(url("detail", meeting.pk) + ALL).text
    data["version"] = meeting.version + 1
    r = c.post(url("guest_add", meeting.pk), data)
    assert r.status_code == 422 and "already on the guest list" in r.text
    r = c.post(url("guest_add", meeting.pk), {"version": meeting.version + 1, "role": "x"})
    assert r.status_code == 422 and "Give the guest&#x27;s name." in r.text
    meeting.refresh_from_db()
    remove = url("guest_remove", meeting.pk, guest.pk)
    assert c.post(remove, {"version": meeting.version - 1}).status_code == 302  # stale: refused
    assert meeting.guests.exists()
    assert c.post(remove, {"version": meeting.version}).status_code == 302
    assert not meeting.guests.exists()


def test_votes_hold_adopt_amend(world, cast, en, meeting, clock):
    probationary = f.member(world.cell, admitted_on=dt.date(2026, 6, 1), official_on=None)
    m = _all_present(frozen(meeting))
    c = en(cast.secretary)
    page = url("detail", m.pk) + ALL
    # By show of hands: 2 official members present.
    data = {
        "version": m.version,
        "subject": "Nghị quyết tháng 12",
        "kind": "ordinary",
        "method": "hands",
        "votes_for": "3",
        "votes_against": "0",
        "abstained": "0",
        "on_resolution": "on",
    }
    r = c.post(url("vote", m.pk), data)
    assert r.status_code == 422 and "More votes (3) than official members present" in r.text
    data["votes_for"] = "2"
    assert c.post(url("vote", m.pk), data).status_code == 302
    # By name: one select per present member; the probationary member's ballot is not counted.
    m.refresh_from_db()
    named = {
        "version": m.version,
        "subject": "Kết luận",
        "kind": "ordinary",
        "method": "named",
        f"ballot_{world.member.pk}": "for",
        f"ballot_{cast.secretary.member_id}": "against",
        f"ballot_{probationary.pk}": "for",
    }
    assert c.post(url("vote", m.pk), named).status_code == 302
    r = c.get(page)
    assert "PASSED" in r.text and "NOT PASSED" in r.text
    vote = m.votes.get(method="named")
    assert (vote.votes_for, vote.votes_against, vote.counted, vote.passed) == (1, 1, 2, False)
    assert en(cast.viewer).post(url("vote", m.pk), data).status_code == 403
    # Held for 60 minutes: shorter than the 90-minute minimum.
    m.refresh_from_db()
    hold = {
        "version": m.version,
        "date": "10/12/2026",
        "started": "19:30",
        "ended": "20:30",
        "resolution": "Nghị quyết",
    }
    assert c.post(url("hold", m.pk), hold).status_code == 302
    r = c.get(page)
    assert "60 minutes" in r.text and "Shorter than the minimum of 90 minutes" in r.text
    m.refresh_from_db()
    assert en(cast.viewer).post(url("adopt", m.pk), {"version": m.version}).status_code == 403
    # Before the recorded end (20:30): the confirm step warns, and adoption is refused.
    clock(timezone.make_aware(dt.datetime(2026, 12, 10, 20, 0)))
    r = c.get(page)
    assert 'id="adopt-warnings"' in r.text and "later than now" in r.text
    r = c.post(url("adopt", m.pk), {"version": m.version})
    assert "20:30 10/12/2026, which is later than now" in c.get(page).text
    m.refresh_from_db()
    assert m.state == State.HELD
    clock(timezone.make_aware(dt.datetime(2026, 12, 10, 21, 0)))
    assert "later than now" not in c.get(page).text
    assert c.post(url("adopt", m.pk), {"version": m.version}).status_code == 302
    m.refresh_from_db()
    assert m.state == State.ADOPTED and m.adopted_by == cast.secretary
    r = c.get(page)
    assert 'id="locked"' in r.text and "attendance-form" not in r.text and "hold-form" not in r.text
    # Locked: attendance refused; an amendment needs its reason and keeps the original.
    r = c.post(
        url("attendance", m.pk, world.member.pk),
        {"version": m.version, "presence": "unexcused"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 422 and "locked" in r.text
    amend = {"version": m.version, "value": "Nghị quyết (sửa)", "reason": ""}
    r = c.post(url("amend", m.pk), amend)
    assert r.status_code == 422 and not m.amendments.exists()
    amend["reason"] = "Sai chính tả"
    assert c.post(url("amend", m.pk), amend).status_code == 302
    r = c.get(page)
    assert "Nghị quyết (sửa)" in r.text and "Sai chính tả" in r.text
    assert 'id="resolution-original"' in r.text
    original = r.text.split('id="resolution-original"')[1].split("</div>")[0]
    assert "Nghị quyết" in original and "(sửa)" not in original


def test_no_minimum_in_force_before_the_rule(world, cast, en):
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2025, 3, 5)), actor=None
    )
    s.meeting_hold(
        meeting=m,
        version=m.version,
        started_at=at(dt.date(2025, 3, 5)),
        ended_at=at(dt.date(2025, 3, 5), 20, 0),
        actor=None,
    )
    r = en(cast.secretary).get(url("detail", m.pk) + ALL)
    assert "30 minutes" in r.text and "No minimum in force on that date." in r.text


# Check-in and the member's schedule ---------------------------------------------------------


def test_check_in(world, cast, en, meeting):
    m = frozen(meeting)
    page = url("check_in", m.pk)
    c = en(cast.member)
    assert c.get(page).status_code == 200
    r = c.post(page, {"code": "000000" if m.checkin_code != "000000" else "111111"})
    assert r.status_code == 422 and "That code is not this meeting&#x27;s code." in r.text
    assert not m.roster.get(member=world.member).present
    r = c.post(page, {"code": m.checkin_code})
    assert r.status_code == 302
    row = m.roster.get(member=world.member)
    assert row.present and row.checked_in_at is not None
    assert 'id="checked-in"' in c.get(page).text
    assert en(cast.outsider).get(page).status_code == 404
    assert en(cast.viewer).get(page).status_code == 403  # no member record to check in
    assert c.put(page).status_code == 405


def test_check_in_off_the_roster(world, cast, en, meeting):
    m = frozen(meeting)
    newcomer = f.member(world.cell, placed_since=dt.date(2026, 12, 20))
    user = f.user(member=newcomer, grants=[(Role.MEMBER, world.cell)])
    r = en(user).post(url("check_in", m.pk), {"code": m.checkin_code})
    assert r.status_code == 422 and "You are not on this meeting&#x27;s roster." in r.text


def test_my_meetings(world, cast, en, meeting):
    other = s.meeting_create(cell=world.cell2, kind=Kind.REGULAR, planned_at=at(DAY, 8), actor=None)
    past = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 1, 5)), actor=None
    )
    r = en(cast.member).get(url("mine"))
    assert r.status_code == 200
    assert url("detail", meeting.pk) in r.text
    assert url("detail", other.pk) not in r.text
    # A past meeting is listed apart, after the coming ones (tests/test_people.py).
    upcoming, earlier = r.text.split('id="past-h"')
    assert url("detail", past.pk) not in upcoming and url("detail", past.pk) in earlier
    assert en(cast.member).get(url("detail", other.pk) + ALL).status_code == 404
    assert en(cast.member).post(url("mine")).status_code == 405


# Queries ----------------------------------------------------------------------------------------


def _queries(client, m: Meeting) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("detail", m.pk) + ALL).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_page_queries_do_not_grow_with_the_roster(world, cast, en):
    counts = []
    for n, cell in ((5, world.cell2), (25, world.other_cell)):
        for _ in range(n):
            f.member(cell)
        m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
        m = _all_present(frozen(m))
        s.vote_record(
            meeting=m,
            version=m.version,
            subject="A",
            kind="ordinary",
            method="hands",
            votes_for=3,
            actor=None,
        )
        m.refresh_from_db()
        s.guest_add(meeting=m, version=m.version, name="Khách", role="Đảng ủy viên", actor=None)
        counts.append(_queries(en(cast.province_officer), m))
    assert counts[0] == counts[1]
    # 15, then + agenda, its template, documents, pre-meetings, unread notices, followers
    assert counts[0] <= 20


def test_cell_page_shows_past_turnout(world, cast, en):
    day = dt.date(2026, 10, 5)
    m = s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)
    m = frozen(m)
    s.attendance_mark(
        meeting=m, version=m.version, member=world.member, presence="present", actor=None
    )
    r = en(cast.viewer).get(url("cell", world.cell.pk))
    past = r.text.split('id="past"')[1]
    assert "05/10/2026" in past and "1/2 (50,00%)" in past
