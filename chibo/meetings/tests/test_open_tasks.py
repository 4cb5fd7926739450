"""Tasks given at meetings and still open, at their boundaries."""

import datetime as dt

from chibo.meetings.models import Outcome as TaskOutcome
from chibo.meetings.queries import open_tasks
from chibo.meetings.services import record
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f
from chibo.testing.deadlines import held, task

D = dt.date


def test_overdue_tasks(world, cast):
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ 1")
    given = held(world.cell, D(2026, 10, 5))
    mine = task(given, D(2026, 10, 20), member=world.member, text="Vệ sinh đường làng")
    theirs = task(given, D(2026, 10, 21), group=group, text="Thăm hộ nghèo")
    elsewhere = task(
        held(world.other_cell, D(2026, 10, 5)), D(2026, 10, 20), member=world.other_member
    )

    def ids(on, unit=world.base, **kw):
        return [t.task_id for t in open_tasks(unit, on, **kw)]

    assert ids(D(2026, 10, 20)) == []  # due today: not overdue
    assert ids(D(2026, 10, 21)) == [mine.pk]
    assert ids(D(2026, 10, 22)) == [mine.pk, theirs.pk]
    assert ids(D(2026, 10, 22), unit=None) == [mine.pk, elsewhere.pk, theirs.pk]
    assert ids(D(2026, 10, 22), member=world.member.pk) == [mine.pk]
    # Closed at the next meeting (02/11): open until the day before, not from that day.
    nxt = held(world.cell, D(2026, 11, 2))
    record.task_review(
        meeting=nxt, version=nxt.version, task=mine, outcome=TaskOutcome.DONE, actor=None
    )
    assert ids(D(2026, 11, 1)) == [mine.pk, theirs.pk]
    assert ids(D(2026, 11, 2)) == [theirs.pk]
    # Carried over is still open.
    nxt.refresh_from_db()
    record.task_review(
        meeting=nxt, version=nxt.version, task=theirs, outcome=TaskOutcome.CARRIED, actor=None
    )
    assert ids(D(2026, 11, 3)) == [theirs.pk]
    # Not yet given on a day before the meeting.
    assert ids(D(2026, 10, 4), overdue_only=False) == []
