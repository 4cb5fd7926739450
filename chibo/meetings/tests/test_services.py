import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence, State, VoteKind, VoteMethod
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.members.transfers import member_transfer
from chibo.testing import factories as f

DAY = dt.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages are asserted in English
        yield


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def meeting(cell, day=DAY, **kw) -> Meeting:
    return s.meeting_create(
        cell=cell, kind=kw.pop("kind", Kind.REGULAR), planned_at=at(day), **kw, actor=None
    )


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def freeze(m: Meeting):
    return {r.member_id: r for r in s.roster_freeze(meeting=m, version=v(m), actor=None)}


def mark(m: Meeting, member, presence=Presence.PRESENT, reason=""):
    return s.attendance_mark(
        meeting=m,
        version=v(m),
        member=member,
        presence=presence,
        reason=reason or ("ốm" if presence == Presence.EXCUSED else ""),
        actor=None,
    )


def officials(cell, n):
    return [f.member(cell) for _ in range(n)]


def test_roster_is_frozen_from_that_days_placements(world):
    cell = world.cell
    prob = f.member(cell, admitted_on=dt.date(2026, 1, 10), official_on=None)
    exempt = f.member(cell)
    ms.event_create(actor=None, member=exempt, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1))
    away = f.member(cell)
    ms.placement_create(
        actor=None, member=away, unit=world.other_cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    guest = f.member(world.other_cell)
    ms.placement_create(
        actor=None, member=guest, unit=cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    dead = f.member(cell)
    ms.event_create(actor=None, member=dead, kind=EventKind.DECEASED, date=dt.date(2026, 1, 1))
    late_arrival = f.member(world.cell2)
    member_transfer(actor=None, member=late_arrival, to_unit=cell, left_on=dt.date(2026, 3, 6))
    m = meeting(cell)
    roster = freeze(m)
    assert set(roster) == {world.member.pk, prob.pk, exempt.pk, away.pk, guest.pk}
    assert roster[prob.pk].official is False and roster[world.member.pk].official is True
    assert roster[exempt.pk].exempt and roster[away.pk].away and roster[guest.pk].hosted
    assert len(m.checkin_code) == 6
    # Frozen: a later placement does not change it, and it cannot be frozen again.
    f.member(cell, placed_since=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        s.roster_freeze(meeting=m, version=v(m), actor=None)
    assert m.roster.count() == 5


def test_turnout_leaves_out_absent_exempt_and_away(world):
    cell = world.cell
    a, b, c = officials(cell, 3)
    ex_absent, ex_present = officials(cell, 2)
    for e in (ex_absent, ex_present):
        ms.event_create(actor=None, member=e, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1))
    away = f.member(cell)
    ms.placement_create(
        actor=None, member=away, unit=world.other_cell, start=dt.date(2026, 1, 1), kind="temporary"
    )
    m = meeting(cell)
    freeze(m)
    for x in (world.member, a, b, ex_present):
        mark(m, x)
    mark(m, c, Presence.UNEXCUSED)
    mark(m, ex_absent, Presence.EXCUSED)
    mark(m, away, Presence.EXCUSED)
    t = s.turnout(m)
    # Expected: member, a, b, c, ex_present (exempt counted because attending) = 5; present 4.
    assert (t.present, t.expected) == (4, 5)


def _vote_setup(world, n_official, present, excused=0):
    from chibo.org.models import Kind as UnitKind

    cell = f.unit(UnitKind.CELL, world.other_base)  # a fresh cell: nobody else on its roster
    people = officials(cell, n_official)
    m = meeting(cell)
    freeze(m)
    for i, p in enumerate(people):
        if i < present:
            mark(m, p)
        elif i < present + excused:
            mark(m, p, Presence.EXCUSED)
        else:
            mark(m, p, Presence.UNEXCUSED)
    return m, people


def record(m, kind, votes_for, against=0, abstain=0, **kw):
    return s.vote_record(
        meeting=m,
        version=v(m),
        subject="Nghị quyết",
        kind=kind,
        method=VoteMethod.HANDS,
        votes_for=votes_for,
        votes_against=against,
        abstained=abstain,
        **kw,
        actor=None,
    )


def test_ordinary_vote_needs_more_than_half(world):
    m, _ = _vote_setup(world, n_official=6, present=6)
    assert s.counted_for_vote(m) == 6
    assert not record(m, VoteKind.ORDINARY, 3, 3).passed  # exactly half is not enough
    assert record(m, VoteKind.ORDINARY, 4, 2).passed


def test_two_thirds_for_admission_and_recognition(world):
    m, _ = _vote_setup(world, n_official=6, present=6)
    assert record(m, VoteKind.ADMISSION, 4, 2).passed  # exactly two thirds is enough
    assert not record(m, VoteKind.RECOGNITION, 3, 3).passed
    m7, _ = _vote_setup(world, n_official=7, present=7)
    assert not record(m7, VoteKind.ADMISSION, 4, 3).passed  # 4/7 < 2/3
    assert record(m7, VoteKind.ADMISSION, 5, 2).passed


def test_who_is_counted_for_a_vote(world):
    # 8 official: 5 present, 2 excused (not counted), 1 unexcused (counted) -> 6 counted.
    m, _ = _vote_setup(world, n_official=8, present=5, excused=2)
    assert s.counted_for_vote(m) == 6
    assert not record(m, VoteKind.ORDINARY, 3).passed
    assert record(m, VoteKind.ORDINARY, 4).passed


def test_temporary_transfer_and_exempt_who_attends(world):
    cell = world.cell
    away = f.member(cell)
    ms.placement_create(
        actor=None, member=away, unit=world.other_cell, start=dt.date(2026, 1, 1), kind="temporary"
    )
    exempt = f.member(cell)
    ms.event_create(actor=None, member=exempt, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1))
    others = officials(cell, 2)
    m = meeting(cell)
    freeze(m)
    for p in (world.member, exempt, *others):
        mark(m, p)
    mark(m, away, Presence.EXCUSED)
    # Counted: member, exempt (attends), 2 others = 4; the member away is not.
    assert s.counted_for_vote(m) == 4
    vote = s.vote_record(
        meeting=m,
        version=v(m),
        subject="x",
        kind=VoteKind.ORDINARY,
        method=VoteMethod.NAMED,
        ballots={
            world.member.pk: "for",
            exempt.pk: "for",
            others[0].pk: "for",
            others[1].pk: "against",
        },
        actor=None,
    )
    assert (vote.votes_for, vote.counted, vote.passed) == (3, 4, True)


def test_probationary_ballots_are_kept_but_not_counted(world):
    cell = world.cell
    probs = [f.member(cell, admitted_on=dt.date(2025, 12, 1), official_on=None) for _ in range(3)]
    other = f.member(cell)
    m = meeting(cell)
    freeze(m)
    for p in (world.member, other, *probs):
        mark(m, p)
    ballots = {world.member.pk: "for", other.pk: "against", **{p.pk: "for" for p in probs}}
    vote = s.vote_record(
        meeting=m,
        version=v(m),
        subject="x",
        kind=VoteKind.ORDINARY,
        method=VoteMethod.NAMED,
        ballots=ballots,
        actor=None,
    )
    assert (vote.votes_for, vote.votes_against, vote.counted) == (1, 1, 2)
    assert not vote.passed  # 1 of 2 is not more than half, whatever the probationary said
    assert vote.ballots.count() == 5 and vote.ballots.filter(counted=False).count() == 3
    # By show of hands, more votes than official members present is refused.
    with pytest.raises(ValidationError):
        record(m, VoteKind.ORDINARY, 3)


def test_adoption_locks_and_amendments_keep_the_original(world, cast):
    m, _ = _vote_setup(world, n_official=4, present=4)
    s.meeting_hold(
        meeting=m,
        version=v(m),
        started_at=at(DAY),
        ended_at=at(DAY, 21, 0),
        resolution="Chi bộ quyết nghị: ...",
        actor=None,
    )
    with pytest.raises(ValidationError, match="not been voted"):
        s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary)
    record(m, VoteKind.ORDINARY, 2, 2, on_resolution=True)
    with pytest.raises(ValidationError, match="did not pass"):
        s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary)
    record(m, VoteKind.ORDINARY, 4, on_resolution=True)
    s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary)
    assert Meeting.objects.get(pk=m.pk).state == State.ADOPTED
    with pytest.raises(ValidationError, match="locked"):
        record(m, VoteKind.ORDINARY, 4)
    with pytest.raises(ValidationError, match="locked"):
        mark(m, world.other_member, Presence.UNEXCUSED)
    amendment = s.meeting_amend(
        meeting=m,
        version=v(m),
        field="resolution",
        value="Sửa: ...",
        reason="Sai chính tả",
        actor=cast.secretary,
    )
    assert amendment.before == "Chi bộ quyết nghị: ..." and amendment.after == "Sửa: ..."
    assert Meeting.objects.get(pk=m.pk).resolution == "Sửa: ..."


def test_two_saves_at_once_lose_nothing(world):
    m = meeting(world.cell)
    seen = v(m)  # both secretaries opened version `seen`
    s.meeting_move(
        meeting=Meeting.objects.get(pk=m.pk),
        version=seen,
        planned_at=at(DAY, 20),
        reason="Mưa bão",
        actor=None,
    )
    with pytest.raises(ValidationError) as e:
        s.meeting_cancel(
            meeting=Meeting.objects.get(pk=m.pk), version=seen, reason="Trùng lịch", actor=None
        )
    assert e.value.code == "stale"
    m.refresh_from_db()
    assert m.state == State.PLANNED and m.note == "Mưa bão"  # the first save stands


@pytest.mark.parametrize(
    "day,minutes,combined,expected",
    [
        (dt.date(2025, 10, 27), 30, False, None),  # no minimum before Hướng dẫn 42
        (dt.date(2025, 10, 28), 89, False, False),
        (dt.date(2025, 10, 28), 90, False, True),
        (dt.date(2026, 3, 5), 119, True, False),
        (dt.date(2026, 3, 5), 120, True, True),
    ],
)
def test_minimum_length_follows_the_rule_of_the_day(world, day, minutes, combined, expected):
    kind = Kind.THEMATIC if combined else Kind.REGULAR
    m = meeting(
        world.cell, day, kind=kind, topic="Học tập Bác" if combined else "", combined=combined
    )
    start = at(day)
    s.meeting_hold(
        meeting=m,
        version=v(m),
        started_at=start,
        ended_at=start + dt.timedelta(minutes=minutes),
        actor=None,
    )
    assert s.long_enough(m) is expected


def test_plan_from_the_schedule_is_idempotent(world):
    s.schedule_set(
        cell=world.cell, day=5, time=dt.time(19, 30), place="Nhà văn hóa thôn", actor=None
    )
    first = s.meetings_plan(cell=world.cell, start=dt.date(2026, 11, 22), months=3, actor=None)
    # 22/11: the 5th has passed, so December, January and... only 2 of the 3 months are ahead.
    assert [m.day for m in first] == [dt.date(2026, 12, 5), dt.date(2027, 1, 5)]
    assert s.meetings_plan(cell=world.cell, start=dt.date(2026, 11, 22), months=3, actor=None) == []
    with pytest.raises(ValidationError):
        s.schedule_set(cell=world.cell, day=31, time=dt.time(19, 30), place="x", actor=None)


def test_check_in_with_the_code(world):
    m = meeting(world.cell)
    freeze(m)
    m.refresh_from_db()
    with pytest.raises(ValidationError):
        s.attendance_check_in(
            meeting=m,
            member=world.member,
            code="000000" if m.checkin_code != "000000" else "111111",
            actor=None,
        )
    with pytest.raises(ValidationError):
        s.attendance_check_in(
            meeting=m, member=world.member2, code=m.checkin_code, actor=None
        )  # not on roster
    row = s.attendance_check_in(meeting=m, member=world.member, code=m.checkin_code, actor=None)
    assert row.presence == Presence.PRESENT and row.checked_in_at is not None


def test_schedule_needs_a_place(world):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from chibo.meetings.models import Schedule

    with translation.override("en"), pytest.raises(ValidationError, match="where the cell meets"):
        s.schedule_set(cell=world.cell, day=5, time=dt.time(19, 30), place="   ", actor=None)
    assert not Schedule.objects.exists()
