"""Members and followers after the meeting: the member's schedule with past meetings, the
adopted resolution, their own attendance and their tasks (their own and their party group's);
the follower's schedule of the cells they follow; the followers told like the members."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from chibo.accounts.models import Role
from chibo.meetings import queries
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence, State, TaskStatus
from chibo.meetings.reminders import meeting_audience, meeting_changed
from chibo.meetings.services import record
from chibo.members.models import Placement
from chibo.notices.models import Notice
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def held(cell, day: dt.date, absent=()) -> Meeting:
    """Held on `day`: the roster frozen, `absent` members excused, everyone else present."""
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        presence = Presence.EXCUSED if row.member in absent else Presence.PRESENT
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence=presence, reason="ốm", actor=None
        )
    s.meeting_hold(meeting=m, version=v(m), started_at=at(day), ended_at=at(day, 21), actor=None)
    m.refresh_from_db()
    return m


def adopted(m: Meeting, resolution: str) -> Meeting:
    # Arranged directly: what the member sees of an adopted meeting, not how it is adopted.
    m.state, m.resolution, m.adopted_at = State.ADOPTED, resolution, timezone.now()
    m.save()
    return m


def mine(client) -> str:
    r = client.get(reverse("meetings:mine"))
    assert r.status_code == 200
    return r.text


def detail(m: Meeting) -> str:
    return reverse("meetings:detail", args=[m.pk])


# The member ------------------------------------------------------------------------------------


def test_member_sees_past_meetings_resolution_and_own_attendance(world, cast, en):
    first = adopted(held(world.cell, TODAY - dt.timedelta(days=40)), "Nghị quyết tháng trước")
    second = held(world.cell, TODAY - dt.timedelta(days=10), absent=[world.member])
    second.resolution = "Dự thảo chưa thông qua"
    second.save()
    coming = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=5)), actor=None
    )
    elsewhere = adopted(held(world.cell2, TODAY - dt.timedelta(days=20)), "Nghị quyết chi bộ khác")

    text = mine(en(cast.member))
    upcoming, past = text.split('id="past-h"')
    assert detail(coming) in upcoming and detail(first) not in upcoming
    assert detail(first) in past and detail(second) in past
    # Latest first; the adopted resolution only (not a draft of minutes still open).
    assert past.index(detail(second)) < past.index(detail(first))
    assert "Nghị quyết tháng trước" in past and "Dự thảo chưa thông qua" not in past
    # Own attendance, meeting by meeting, from the roster.
    first_row = past[past.index(detail(first)) :]
    second_row = past[past.index(detail(second)) : past.index(detail(first))]
    assert "My attendance: <strong>Present</strong>" in first_row
    assert "My attendance: <strong>Absent, excused</strong>" in second_row
    # Another cell's meeting is neither listed nor readable.
    assert detail(elsewhere) not in text and "Nghị quyết chi bộ khác" not in text
    assert en(cast.member).get(detail(elsewhere)).status_code == 404
    # An outsider lists none of the cell's meetings and reads none.
    outsider = mine(en(cast.outsider))
    assert detail(first) not in outsider and detail(coming) not in outsider
    assert en(cast.outsider).get(detail(first)).status_code == 404
    assert en(cast.member).post(reverse("meetings:mine")).status_code == 405


def test_my_tasks_are_mine_and_my_party_groups_with_the_overdue_marked(world, cast, en):
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ đảng số 1")
    other_group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ đảng số 2")
    placement = Placement.objects.get(member=world.member)
    placement.party_group = group
    placement.save()
    m = held(world.cell, TODAY - dt.timedelta(days=30))
    other = f.member(world.cell, full_name="Đỗ Văn Khác")

    def give(text, due, **to):
        return record.task_create(meeting=m, version=v(m), text=text, due_on=due, actor=None, **to)

    late = give("Nộp báo cáo tổ", TODAY - dt.timedelta(days=2), member=world.member)
    later = give("Thăm hộ khó khăn", TODAY + dt.timedelta(days=9), group=group)
    done = give("Dọn vệ sinh", TODAY - dt.timedelta(days=20), member=world.member)
    done.status = TaskStatus.DONE
    done.save()
    give("Việc của người khác", TODAY, member=other)
    give("Việc của tổ khác", TODAY, group=other_group)

    rows = queries.member_tasks(world.member.pk, TODAY)
    assert [t.pk for t in rows] == [late.pk, later.pk, done.pk]  # open by due date, then closed
    assert [t.overdue for t in rows] == [True, False, False]  # a closed task is never overdue

    text = mine(en(cast.member))
    tasks = text[text.index('id="my-tasks"') : text.index('id="past-h"')]
    assert "Nộp báo cáo tổ" in tasks and "Thăm hộ khó khăn" in tasks and "Dọn vệ sinh" in tasks
    assert "Việc của người khác" not in tasks and "Việc của tổ khác" not in tasks
    assert tasks.count("Overdue") == 1 and "to Tổ đảng số 1" in tasks
    assert (TODAY - dt.timedelta(days=2)).strftime("%d/%m/%Y") in tasks


# The follower ----------------------------------------------------------------------------------


def test_follower_schedule_lists_the_followed_cells_meetings(world, cast, en):
    f.follow(world.cell, cast.follower)
    coming = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=3)), actor=None
    )
    recent = held(world.cell, TODAY - dt.timedelta(days=20))
    long_ago = held(world.cell, TODAY - dt.timedelta(days=200))
    # In the follower's reading scope (the base committee) but not followed.
    not_followed = s.meeting_create(
        cell=world.cell2, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=3)), actor=None
    )
    text = mine(en(cast.follower))
    followed = text[text.index('id="followed-h"') :]
    assert "Chi bộ thôn Đông" in followed
    upcoming, past = followed.split('id="followed-recent"')
    assert detail(coming) in upcoming and detail(recent) in past
    assert detail(long_ago) not in text and detail(not_followed) not in text
    # An assignment that has ended is no longer followed.
    assignment = cast.follower.follow_assignments.get()
    assignment.end = TODAY
    assignment.save()
    assert 'id="followed-h"' not in mine(en(cast.follower))


def test_followers_are_told_like_the_members(world, cast):
    f.follow(world.cell, cast.follower)
    former = f.user(username="former", grants=[(Role.VIEWER, world.base)])
    f.follow(world.cell, former, end=TODAY)  # no longer follows on the meeting day
    elsewhere = f.user(username="elsewhere", grants=[(Role.VIEWER, world.base)])
    f.follow(world.cell2, elsewhere)
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=3)), actor=None
    )
    audience = set(meeting_audience(m))
    assert cast.follower.pk in audience and cast.member.pk in audience
    assert former.pk not in audience and elsewhere.pk not in audience
    # A follower whose account is closed is not told.
    cast.follower.is_active = False
    cast.follower.save()
    assert cast.follower.pk not in set(meeting_audience(m))
    cast.follower.is_active = True
    cast.follower.save()
    m.note = "Trùng lịch họp của xã"
    meeting_changed(m)
    told = set(Notice.objects.filter(kind="meeting_cancelled").values_list("user_id", flat=True))
    assert {cast.follower.pk, cast.member.pk} <= told and former.pk not in told


def test_scores_to_confirm_are_those_the_follower_attended(world, cast):
    from chibo.meetings.services import quality as q

    assignment = f.follow(world.cell, cast.follower)
    maximum = q._scoring_rules(TODAY, world.cell).quality_max
    assert maximum is not None

    def score(m):
        q.quality_score_set(meeting=m, version=v(m), points=dict(maximum), actor=cast.secretary)

    attended = held(world.cell, TODAY - dt.timedelta(days=40))
    s.guest_add(meeting=attended, version=v(attended), follow=assignment, actor=None)
    score(attended)
    absent = held(world.cell, TODAY - dt.timedelta(days=10))
    score(absent)
    unscored = held(world.cell, TODAY - dt.timedelta(days=5))
    s.guest_add(meeting=unscored, version=v(unscored), follow=assignment, actor=None)
    assert [m.pk for m in queries.scores_to_confirm(cast.follower)] == [attended.pk]
    q.quality_confirm(meeting=attended, actor=cast.follower)
    assert not queries.scores_to_confirm(cast.follower).exists()
    assert not queries.scores_to_confirm(cast.secretary).exists()
    # Unscored regular meetings held this year and last, as the year's rating counts them.
    got = {m.pk for m in queries.unscored_meetings(world.cell.pk, TODAY.year)}
    assert got == {unscored.pk}


def test_next_step_of_a_planned_meeting(world):
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=3)), actor=None
    )
    assert queries.next_step(m, TODAY) == "Prepare the agenda"
    assert queries.next_step(m, TODAY + dt.timedelta(days=3)) == (
        "Take attendance and record the meeting"
    )
