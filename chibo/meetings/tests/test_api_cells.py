"""A cell's schedule, planning from it, the rating of its year, and a member's own meetings
through the API: scoped like the cell's meetings page (a unit role reads, a writer changes,
outsiders 404, a plain member 403), bad input 422 with its message and nothing written, the
meetings planned and the year's figures checked against what is in the database."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Schedule
from chibo.meetings.services import quality as q
from chibo.testing.api import call

MAX = {"preparation": 15, "attendance": 20, "conduct": 45, "closing": 20}


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def detail(response) -> dict:
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    return error


def schedules() -> int:
    return Schedule.history.model.objects.count()  # type: ignore[attr-defined]


# The schedule ---------------------------------------------------------------------------------


def test_schedule_read_and_set(world, cast, client_for):
    path = f"/meetings/cells/{world.cell.pk}/schedule"
    c = client_for(cast.secretary)
    r = call(c, "GET", path)
    assert r.status_code == 404
    assert r.json()["detail"] == "This cell has no usual meeting day yet."
    body = {"day": 5, "time": "19:30", "place": "Nhà văn hóa thôn Đông"}
    bad = [
        ({**body, "day": 29}, "day", "Choose a day from 1 to 28, so that every month has it."),
        ({**body, "day": 0}, "day", "Choose a day from 1 to 28, so that every month has it."),
        ({**body, "day": "năm"}, "day", "Enter a whole number."),
        ({**body, "time": "7pm"}, "time", "Enter a valid time."),
        ({**body, "time": "25:00"}, "time", "Enter a valid time."),
        ({**body, "place": "  "}, "place", "This field is required."),
        ({k: x for k, x in body.items() if k != "place"}, "place", "This field is required."),
        ({**body, "weekday": 3}, "weekday", "This field is not accepted here."),
    ]
    for data, field, message in bad:
        error = detail(call(c, "PUT", path, data))
        assert (error["loc"], error["msg"]) == (["body", field], message), data
    assert schedules() == 0
    for who, status in [
        (cast.viewer, 403),
        (cast.member, 403),
        (cast.outsider, 404),
    ]:
        assert call(client_for(who), "PUT", path, body).status_code == status
    assert not Schedule.objects.exists()

    r = call(c, "PUT", path, body)
    assert r.status_code == 200, r.content
    assert r.json() == {
        "cell": world.cell.pk,
        "day": 5,
        "time": "19:30",
        "place": body["place"],
        "version": 1,
    }
    r = call(client_for(cast.base_officer), "PUT", path, {**body, "day": 12, "time": "07:00:00"})
    assert r.status_code == 200
    row = Schedule.objects.get()  # replaced, not added
    assert (row.cell, row.day, row.time, row.place) == (
        world.cell,
        12,
        dt.time(7, 0),
        body["place"],
    )
    assert call(client_for(cast.viewer), "GET", path).json()["time"] == "07:00"
    r = call(client_for(cast.member), "GET", path)
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "A member sees their own meetings (GET /meetings/mine), not the cell's plan."
    )
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert call(client_for(cast.base_officer), "POST", path, body).status_code == 405
    # A base committee is not a cell: it has no schedule.
    other = f"/meetings/cells/{world.base.pk}/schedule"
    assert call(client_for(cast.base_officer), "PUT", other, body).status_code == 404
    assert call(Client(), "GET", path).status_code == 401


# Planning from the schedule --------------------------------------------------------------------


def test_plan_the_next_three_months(world, cast, client_for):
    path = f"/meetings/cells/{world.cell.pk}/plan"
    c = client_for(cast.secretary)
    assert detail(call(c, "POST", path)) == {
        "type": "invalid",
        "loc": ["body", "__all__"],
        "msg": "Set the cell's usual meeting day first.",
    }
    s.schedule_set(cell=world.cell, day=28, time=dt.time(8, 0), place="Hội trường", actor=None)
    assert call(client_for(cast.viewer), "POST", path).status_code == 403
    assert call(client_for(cast.member), "POST", path).status_code == 403
    assert call(client_for(cast.outsider), "POST", path).status_code == 404
    assert call(c, "GET", path).status_code == 405
    assert not Meeting.objects.exists()

    # Independently: the 28th of this month and the next two, those not yet past.
    today = timezone.localdate()
    expected = []
    year, month = today.year, today.month
    for _i in range(3):
        day = dt.date(year, month, 28)
        if day >= today:
            expected.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    r = call(c, "POST", path)
    assert r.status_code == 200, r.content
    rows = Meeting.objects.filter(cell=world.cell).order_by("planned_at")
    assert [timezone.localtime(m.planned_at) for m in rows] == [at(d, 8, 0) for d in expected]
    assert {(m.kind, m.place, m.state) for m in rows} == {("regular", "Hội trường", "planned")}
    assert [m["id"] for m in r.json()] == [m.pk for m in rows]
    # Again: each month already has its regular meeting.
    r = call(client_for(cast.base_officer), "POST", path)
    assert r.status_code == 200 and r.json() == []
    assert Meeting.objects.count() == len(expected)


# The year's rating ------------------------------------------------------------------------------


def held(cell, day: dt.date, total: int | None, actor) -> Meeting:
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence="present", actor=None
        )
    s.meeting_hold(meeting=m, version=v(m), started_at=at(day), ended_at=at(day, 21), actor=None)
    if total is not None:
        points, left = {}, total
        for part, most in MAX.items():
            points[part] = min(most, left)
            left -= points[part]
        q.quality_score_set(meeting=m, version=v(m), points=points, actor=actor)
    return m


@pytest.mark.parametrize(
    "totals,expected,good",
    [
        ([95] * 7 + [75], "good", 7),  # all fair or better, 7 good: good
        ([95] * 6 + [75, 75], "fair", 6),  # one good meeting short
        ([95, 60], "average", 1),  # the worst meeting sets the floor
        ([95, 40], "poor", 1),
    ],
)
def test_year_rating(world, cast, client_for, totals, expected, good):
    for month, total in enumerate(totals, start=1):
        held(world.cell, dt.date(2026, month, 5), total, cast.secretary)
    # Not counted: a cancelled meeting, a thematic one, one of the year before.
    cancelled = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 11, 5)), actor=None
    )
    s.meeting_cancel(meeting=cancelled, version=v(cancelled), reason="Bão", actor=None)
    s.meeting_create(
        cell=world.cell,
        kind=Kind.THEMATIC,
        planned_at=at(dt.date(2026, 10, 5)),
        topic="Chuyên đề",
        actor=None,
    )
    held(world.cell, dt.date(2025, 12, 5), 10, cast.secretary)
    path = f"/meetings/cells/{world.cell.pk}/year-rating?year=2026"
    r = call(client_for(cast.viewer), "GET", path)
    assert r.status_code == 200, r.content
    assert r.json() == {
        "cell": world.cell.pk,
        "year": 2026,
        "rating": expected,
        "meetings": len(totals),
        "good": good,
        "unscored": 0,
    }
    # The number of good meetings, counted from the scores in the database (all present).
    held_2026 = Meeting.objects.filter(cell=world.cell, kind=Kind.REGULAR, state="held")
    held_2026 = held_2026.filter(planned_at__year=2026)
    assert held_2026.count() == len(totals)
    assert sum(1 for m in held_2026 if m.quality.total >= 90) == good


def test_year_rating_scope_unscored_and_bad_years(world, cast, client_for):
    held(world.cell, dt.date(2026, 3, 5), 95, cast.secretary)
    held(world.cell, dt.date(2026, 4, 5), None, cast.secretary)
    base = f"/meetings/cells/{world.cell.pk}/year-rating"
    r = call(client_for(cast.secretary), "GET", f"{base}?year=2026")
    assert r.json()["rating"] is None and r.json()["unscored"] == 1 and r.json()["meetings"] == 2
    r = call(client_for(cast.secretary), "GET", f"{base}?year=2025")
    assert r.json() == {
        "cell": world.cell.pk,
        "year": 2025,
        "rating": None,
        "meetings": 0,
        "good": 0,
        "unscored": 0,
    }
    # Without a year: this year's.
    r = call(client_for(cast.secretary), "GET", base)
    assert r.json()["year"] == timezone.localdate().year
    error = detail(call(client_for(cast.secretary), "GET", f"{base}?year=2017"))
    assert error == {
        "type": "no_rule",
        "loc": ["query", "year"],
        "msg": "No rule for rating a year of meetings was in force in 2017.",
    }
    error = detail(call(client_for(cast.secretary), "GET", f"{base}?year=99"))
    assert error["loc"] == ["query", "year"]
    assert error["msg"] == "Ensure this value is greater than or equal to 1900."
    assert detail(call(client_for(cast.secretary), "GET", f"{base}?year=abc"))["msg"] == (
        "Enter a whole number."
    )
    assert call(client_for(cast.outsider), "GET", base).status_code == 404
    assert call(client_for(cast.member), "GET", base).status_code == 403
    assert call(client_for(cast.secretary), "POST", base).status_code == 405


# A member's own meetings -----------------------------------------------------------------------


def test_my_meetings(world, cast, client_for):
    today = timezone.localdate()
    soon = s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(today), actor=None)
    later = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(today + dt.timedelta(days=30)), actor=None
    )
    s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(today - dt.timedelta(days=1)), actor=None
    )  # past
    s.meeting_create(
        cell=world.cell2, kind=Kind.REGULAR, planned_at=at(today), actor=None
    )  # another cell
    r = call(client_for(cast.member), "GET", "/meetings/mine")
    assert r.status_code == 200, r.content
    assert [m["id"] for m in r.json()["items"]] == [soon.pk, later.pk]
    assert r.json()["count"] == 2
    # The secretary is a member of the same cell; an office above is nobody's member here.
    r = call(client_for(cast.secretary), "GET", "/meetings/mine")
    assert [m["id"] for m in r.json()["items"]] == [soon.pk, later.pk]
    assert call(client_for(cast.base_officer), "GET", "/meetings/mine").json()["count"] == 0
    assert call(Client(), "GET", "/meetings/mine").status_code == 401
    assert call(client_for(cast.member), "POST", "/meetings/mine").status_code == 405
