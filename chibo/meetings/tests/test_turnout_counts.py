"""The turnout counts kept on each meeting row (what the compliance report reads) always equal
services.turnout computed from the roster rows: after the services change the roster, after
the migration fills old meetings, and in the demo's bulk-written meetings."""

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps
from django.utils import timezone, translation

from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence, State
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.testing import factories as f
from chibo.testing.demo import run_demo

DAY = dt.date(2026, 3, 5)
ABSENT = [Presence.EXCUSED, Presence.UNEXCUSED]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def stored(m: Meeting) -> tuple[int, int]:
    fresh = Meeting.all_objects.get(pk=m.pk)
    return fresh.present_count, fresh.expected_count


def counted(m: Meeting) -> tuple[int, int]:
    t = s.turnout(Meeting.all_objects.get(pk=m.pk))
    return t.present, t.expected


def assert_in_step(m: Meeting) -> None:
    assert stored(m) == counted(m)


@pytest.fixture
def mixed(world):
    """A meeting whose roster has every kind of row: official, probationary, exempt, away on
    temporary transfer, hosted from another cell."""
    cell = world.cell
    f.member(cell)
    f.member(cell, admitted_on=dt.date(2026, 1, 10), official_on=None)
    for _i in range(2):
        exempt = f.member(cell)
        ms.event_create(
            actor=None, member=exempt, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1)
        )
    away = f.member(cell)
    ms.placement_create(
        actor=None, member=away, unit=world.other_cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    guest = f.member(world.other_cell)
    ms.placement_create(
        actor=None, member=guest, unit=cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    m = s.meeting_create(
        cell=cell,
        kind=Kind.REGULAR,
        planned_at=timezone.make_aware(dt.datetime.combine(DAY, dt.time(19, 30))),
        actor=None,
    )
    assert (m.present_count, m.expected_count) == (0, 0)
    return m


def mark(m: Meeting, member, presence: str) -> None:
    reason = "ốm" if presence == Presence.EXCUSED else ""
    s.attendance_mark(
        meeting=m, version=v(m), member=member, presence=presence, reason=reason, actor=None
    )


def test_freeze_mark_and_check_in_keep_the_counts(mixed):
    m = mixed
    roster = s.roster_freeze(meeting=m, version=v(m), actor=None)
    rows = {(r.exempt, r.away, r.hosted) for r in roster}
    assert {(True, False, False), (False, True, False), (False, False, True)} <= rows
    assert_in_step(m)
    assert stored(m) == (0, len([r for r in roster if not r.away and not r.exempt]))
    history = m.history.count()
    for row in roster:
        before = v(m)
        mark(m, row.member, Presence.PRESENT)
        assert_in_step(m)
        assert v(m) == before + 1  # the refresh leaves the version alone
    assert stored(m) == (len(roster) - 1, len(roster) - 1)  # all but the member away
    exempt = next(r for r in roster if r.exempt)
    mark(m, exempt.member, Presence.EXCUSED)  # no longer expected
    assert_in_step(m)
    assert stored(m) == (len(roster) - 2, len(roster) - 2)
    plain = next(r for r in roster if not (r.exempt or r.away or r.hosted))
    mark(m, plain.member, Presence.UNEXCUSED)  # still expected
    assert_in_step(m)
    assert stored(m) == (len(roster) - 3, len(roster) - 2)
    s.attendance_check_in(meeting=m, member=plain.member, code=m.checkin_code, actor=None)
    assert_in_step(m)
    s.attendance_check_in(meeting=m, member=exempt.member, code=m.checkin_code, actor=None)
    assert_in_step(m)
    assert stored(m) == (len(roster) - 1, len(roster) - 1)
    assert m.history.count() == history  # derived counts make no history rows
    assert "present_count" not in {fld.name for fld in Meeting.history.model._meta.fields}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_marks_and_check_ins(mixed, seed):
    rng = random.Random(seed)
    m = mixed
    roster = s.roster_freeze(meeting=m, version=v(m), actor=None)
    for _i in range(40):
        row = rng.choice(roster)
        if rng.random() < 0.25:
            s.attendance_check_in(meeting=m, member=row.member, code=m.checkin_code, actor=None)
        else:
            mark(m, row.member, rng.choice([Presence.PRESENT, *ABSENT]))
        assert_in_step(m)
    # The in-memory meeting given to attendance_mark is updated too.
    mark(m, rng.choice(roster).member, Presence.PRESENT)
    assert (m.present_count, m.expected_count) == counted(m)


def test_migration_fills_existing_meetings(mixed):
    m = mixed
    roster = s.roster_freeze(meeting=m, version=v(m), actor=None)
    for i, row in enumerate(roster):
        mark(m, row.member, [Presence.PRESENT, *ABSENT][i % 3])
    want = counted(m)
    assert want[0] > 0 and want[1] > want[0]
    Meeting.all_objects.update(present_count=0, expected_count=0)
    migration = importlib.import_module("chibo.meetings.migrations.0003_meeting_turnout_counts")
    migration.fill_counts(apps, None)
    assert stored(m) == want


@pytest.fixture
def demo(db) -> None:
    run_demo()


def test_demo_meetings_store_their_turnout(demo):
    meetings = Meeting.all_objects.prefetch_related("roster")
    assert meetings.filter(state__in=[State.HELD, State.ADOPTED]).exists()
    for m in meetings:
        t = s.turnout(m)
        assert (m.present_count, m.expected_count) == (t.present, t.expected), m
