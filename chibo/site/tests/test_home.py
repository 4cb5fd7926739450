"""The home page says what to do next, by who reads it: the secretary's cell, the member's next
meeting and tasks, the follower's cells and scores to confirm, the office's units; in a number
of queries that does not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence
from chibo.meetings.services import quality as q
from chibo.meetings.services import record
from chibo.testing import factories as f

TODAY = timezone.localdate()
HOME = reverse("site:home")


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def planned(cell, days: int) -> Meeting:
    return s.meeting_create(
        cell=cell,
        kind=Kind.REGULAR,
        planned_at=at(TODAY + dt.timedelta(days=days)),
        place="Nhà văn hóa thôn",
        actor=None,
    )


def held(cell, days_ago: int) -> Meeting:
    m = planned(cell, -days_ago)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence=Presence.PRESENT, actor=None
        )
    day = TODAY - dt.timedelta(days=days_ago)
    s.meeting_hold(meeting=m, version=v(m), started_at=at(day), ended_at=at(day, 21), actor=None)
    m.refresh_from_db()
    return m


def home(client) -> str:
    r = client.get(HOME)
    assert r.status_code == 200
    return r.text


def queries_of(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    return len(ctx.captured_queries)


def section(text: str, start: str, end: str = "</section>") -> str:
    part = text[text.index(start) :]
    return part[: part.index(end)]


@pytest.fixture
def cell_year(world, cast):
    """The cell's month: a meeting coming, one held but not adopted, one held and scored, two
    tasks open (one overdue), the follower assigned and on the scored meeting's guest list."""
    assignment = f.follow(world.cell, cast.follower)
    coming = planned(world.cell, 6)
    to_adopt = held(world.cell, 3)
    scored = held(world.cell, 33)
    s.guest_add(meeting=scored, version=v(scored), follow=assignment, actor=None)
    maximum = q._scoring_rules(scored.day, world.cell).quality_max
    assert maximum is not None
    q.quality_score_set(
        meeting=scored, version=v(scored), points=dict(maximum), actor=cast.secretary
    )
    late = record.task_create(
        meeting=to_adopt,
        version=v(to_adopt),
        text="Nộp danh sách hộ nghèo",
        due_on=TODAY - dt.timedelta(days=1),
        member=world.member,
        actor=None,
    )
    later = record.task_create(
        meeting=to_adopt,
        version=v(to_adopt),
        text="Thăm gia đình chính sách",
        due_on=TODAY + dt.timedelta(days=20),
        member=world.member,
        actor=None,
    )
    return {"coming": coming, "to_adopt": to_adopt, "scored": scored, "tasks": [late, later]}


def test_secretary_home_says_what_to_do_next(world, cast, en, cell_year):
    text = home(en(cast.secretary))
    card = section(text, f'id="led-{world.cell.pk}"')
    coming = cell_year["coming"]
    nxt = section(card, f'id="led-next-{world.cell.pk}"', "</p>")
    assert reverse("meetings:detail", args=[coming.pk]) in nxt
    assert coming.day.strftime("%d/%m/%Y") in nxt and "19:30" in nxt and "Planned" in nxt
    assert "Next step" in nxt and "Prepare the agenda" in nxt
    finish = section(card, f'id="led-finish-{world.cell.pk}"', "</ul>")
    adopt = cell_year["to_adopt"]
    assert reverse("meetings:detail", args=[adopt.pk]) in finish
    # Held 3 days ago, neither scored nor adopted; the scored one has its minutes to adopt,
    # and is not listed among the meetings to score.
    assert "Score the meeting, adopt the minutes" in finish and "Adopt the minutes" in finish
    unscored = finish[finish.index("held but not scored") :]
    assert "1 meeting held but not scored" in finish
    assert reverse("meetings:detail", args=[adopt.pk]) in unscored
    assert reverse("meetings:detail", args=[cell_year["scored"].pk]) not in unscored
    # Two open tasks of the cell, one overdue, the overdue one first.
    assert "Open tasks" in card and "1 overdue" in card
    tasks = section(card, f'id="led-tasks-{world.cell.pk}"', "</ul>")
    assert tasks.index("Nộp danh sách hộ nghèo") < tasks.index("Thăm gia đình chính sách")
    # The cell's deadline board: its overdue-task line, linked to the board.
    deadlines = section(card, f'id="led-deadlines-{world.cell.pk}"', "</p>")
    assert "Overdue tasks" in deadlines
    assert reverse("deadlines:unit", args=[world.cell.pk]) in deadlines
    # Another cell of the commune is not the secretary's.
    assert f'id="led-{world.cell2.pk}"' not in text


def test_member_home_shows_next_meeting_check_in_and_tasks(world, cast, en, cell_year):
    text = home(en(cast.member))
    mine = section(text, 'id="home-mine"')
    coming = cell_year["coming"]
    assert reverse("meetings:detail", args=[coming.pk]) in mine and "Nhà văn hóa thôn" in mine
    assert "Check in" not in mine  # not on the day
    tasks = section(mine, 'id="home-my-tasks"', "</ul>")
    assert "Nộp danh sách hộ nghèo" in tasks and "(overdue)" in tasks
    assert "Thăm gia đình chính sách" in tasks and tasks.count("(overdue)") == 1
    assert 'id="led-' not in text  # a member leads no cell
    # On the day, once the roster is frozen, the member checks in from the home page.
    today = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY, 23), actor=None
    )
    s.roster_freeze(meeting=today, version=v(today), actor=None)
    mine = section(home(en(cast.member)), 'id="home-mine"')
    assert reverse("meetings:check_in", args=[today.pk]) in mine


def test_follower_home_lists_cells_and_scores_to_confirm(world, cast, en, cell_year):
    text = home(en(cast.follower))
    followed = section(text, 'id="home-followed"')
    assert "Chi bộ thôn Đông" in followed and "Chi bộ trường Tiểu học" not in followed
    assert reverse("meetings:detail", args=[cell_year["coming"].pk]) in followed
    confirm = section(followed, 'id="to-confirm"', "</ul>")
    scored = cell_year["scored"]
    assert reverse("meetings:detail", args=[scored.pk]) in confirm
    assert f"quality score {scored.quality.total} points" in confirm
    q.quality_confirm(meeting=scored, actor=cast.follower)
    followed = section(home(en(cast.follower)), 'id="home-followed"')
    assert 'id="to-confirm"' not in followed and "Nothing awaits your confirmation." in followed
    # A reader of the same commune who follows no cell sees no such card.
    assert 'id="home-followed"' not in home(en(cast.viewer))


def test_office_home_lists_its_units(world, cast, en, cell_year):
    text = home(en(cast.base_officer))
    assert "Units in my care" in text and "Đảng bộ xã An Hòa" in text
    assert 'id="led-' not in text and 'id="home-followed"' not in text


@pytest.mark.parametrize("persona", ["secretary", "member", "follower", "base_officer"])
def test_home_queries_do_not_grow_with_the_rows(world, cast, en, cell_year, persona):
    client = en(getattr(cast, persona))
    before = queries_of(client)
    # More of everything: meetings coming, held and scored, tasks, a second followed cell.
    for days in (36, 66):
        m = held(world.cell, days)
        record.task_create(
            meeting=m,
            version=v(m),
            text="Việc thêm",
            due_on=TODAY - dt.timedelta(days=2),
            member=world.member,
            actor=None,
        )
        f.member(world.cell)
    planned(world.cell, 36)
    planned(world.cell2, 6)
    f.follow(world.cell2, cast.follower)
    after = queries_of(client)
    assert after == before, (before, after)
    assert after <= 55, after  # the secretary: 51, most of them the deadline board (with the
    # evaluation stages and the self-assessment card since issue 12)
