"""The meetings section of the unit reports: every figure against a count written by hand
below, from a small tree whose meetings are held with the services.

The tree in 2025: province P, base committees A and B.
- C1 (in A all year, 3 members, one of them exempt): a regular meeting on the 10th of every
  month but March (March's is planned, never held); a thematic meeting in May (Q2) only. The
  exempt member is absent (excused) except in June, where they attend. In August a member is
  absent without reason.
- C2 (2 members): in A, moved to B on 1 July 2025; a meeting every month.
- C3 (2 members, under B): founded 10 May 2025; a meeting every month from May.
Scores: C2 Jan 90, Feb 89, Mar 70, Apr 69 (in A), Jul 50, Aug 49 (in B); C1 Jun 90 (full
attendance with the exempt member present), Aug 95 (an unexcused absence: not Tốt); C2 Dec 2024
scored 90, outside the period.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chibo.core.reporting import Period, section
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence
from chibo.meetings.reporting import MeetingsSection
from chibo.members import services as member_services
from chibo.members.models import EventKind
from chibo.org import services as org_services
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f
from chibo.testing.deadlines import at, held

D = dt.date
YEAR = Period.year(2025)
SECTION = MeetingsSection()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def score(m: Meeting, total: int, actor) -> None:
    m.refresh_from_db()
    s.quality.quality_total_set(meeting=m, version=m.version, total=total, actor=actor)


@pytest.fixture
def tree(db):
    p = f.unit(UnitKind.PROVINCE, name="Tỉnh P")
    a = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã A")
    b = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã B")
    c1 = f.unit(UnitKind.CELL, a, name="Chi bộ 1")
    c2 = f.unit(UnitKind.CELL, a, name="Chi bộ 2")
    c3 = f.unit(UnitKind.CELL, b, name="Chi bộ 3", founded_on=D(2025, 5, 10))
    f.member(c1)
    m2, exempt = f.member(c1), f.member(c1)
    member_services.event_create(
        actor=None, member=exempt, kind=EventKind.EXEMPTED, date=D(2024, 12, 1)
    )
    for _i in range(2):
        f.member(c2)
        f.member(c3, placed_since=D(2025, 5, 10))
    user = f.user()
    meetings: dict[tuple[str, int], Meeting] = {}
    for month in range(1, 13):
        day = D(2025, month, 10)
        if month == 3:
            s.meeting_create(cell=c1, kind=Kind.REGULAR, planned_at=at(day), actor=None)
        else:
            marks = {exempt: Presence.EXCUSED}
            if month == 6:
                marks = {exempt: Presence.PRESENT}
            if month == 8:
                marks[m2] = Presence.UNEXCUSED
            meetings["c1", month] = held(c1, day, marks)
        if month == 7:
            org_services.orgunit_move(actor=None, unit=c2, new_parent=b, on=D(2025, 7, 1))
        meetings["c2", month] = held(c2, day)
        if month >= 5:
            meetings["c3", month] = held(c3, D(2025, month, 20))
    held(c1, D(2025, 5, 15), {exempt: Presence.EXCUSED}, kind=Kind.THEMATIC)
    before = held(c2, D(2024, 12, 10))
    score(before, 90, user)
    for month, total in [(1, 90), (2, 89), (3, 70), (4, 69), (7, 50), (8, 49)]:
        score(meetings["c2", month], total, user)
    score(meetings["c1", 6], 90, user)
    score(meetings["c1", 8], 95, user)
    return {"p": p, "a": a, "b": b, "c1": c1, "c2": c2, "c3": c3}


def sh(count: int, of: int, pct: float | None) -> dict:
    return {"count": count, "of": of, "percent": pct}


def test_registered():
    found = section("meetings")
    assert found is not None and found.order == 50
    for path in ("cells_meeting_monthly", "thematic_per_quarter", "attendance"):
        assert path in found.labels
    assert {f"ratings.{x}" for x in ("good", "fair", "average", "poor")} <= set(found.labels)


def test_year_figures_by_hand(tree):
    p, a, b = tree["p"].pk, tree["a"].pk, tree["b"].pk
    got = SECTION.figures([p, a, b], YEAR)
    # A: C1 12 months, March missed; C2 January to June (in A on 30 June): 17 of 18.
    # B: C2 July to December 6, C3 May to December 8: 14 of 14. P: 31 of 32.
    assert got[a]["cells_meeting_monthly"] == sh(17, 18, 94.44)
    assert got[b]["cells_meeting_monthly"] == sh(14, 14, 100.0)
    assert got[p]["cells_meeting_monthly"] == sh(31, 32, 96.88)
    # Thematic: A has C1 and C2 in Q1, Q2; C1 in Q3, Q4: 6, C1's Q2 held. B: C3 in Q2, C2 and
    # C3 in Q3, Q4: 5, none held. P: 2 + 3 + 3 + 3.
    assert got[a]["thematic_per_quarter"] == sh(1, 6, 16.67)
    assert got[b]["thematic_per_quarter"] == sh(0, 5, 0.0)
    assert got[p]["thematic_per_quarter"] == sh(1, 11, 9.09)
    # Attendance: C1 11 regular + 1 thematic, 2 expected each (the exempt member not
    # expected), June 3 (the exempt member attends): 25 expected, 24 present (August's
    # unexcused absence). C2 2 of 2 a month: 12 in A (Jan-Jun), 12 in B. C3 8 meetings x 2.
    assert got[a]["attendance"] == sh(24 + 12, 25 + 12, 97.3)
    assert got[b]["attendance"] == sh(12 + 16, 12 + 16, 100.0)
    assert got[p]["attendance"] == sh(64, 65, 98.46)
    # Ratings (good >= 90, fair >= 70, average >= 50): A has C2 90 good, 89 and 70 fair, 69
    # average; C1 90 good, 95 fair (unexcused absence). B: 50 average, 49 poor. Dec 2024 out.
    assert got[a]["ratings"] == {"good": 2, "fair": 3, "average": 1, "poor": 0}
    assert got[b]["ratings"] == {"good": 0, "fair": 0, "average": 1, "poor": 1}
    assert got[p]["ratings"] == {"good": 2, "fair": 3, "average": 2, "poor": 1}


def test_a_month_and_a_quarter(tree):
    a, b = tree["a"].pk, tree["b"].pk
    march = SECTION.figures([a, b], Period.month(2025, 3))
    assert march[a]["cells_meeting_monthly"] == sh(1, 2, 50.0)
    assert march[b]["cells_meeting_monthly"] == sh(0, 0, None)  # C3 not founded, C2 in A
    assert march[a]["thematic_per_quarter"] == sh(0, 2, 0.0)
    q2 = SECTION.figures([a, b], Period.quarter(2025, 2))
    assert q2[a]["thematic_per_quarter"] == sh(1, 2, 50.0)
    assert q2[b]["cells_meeting_monthly"] == sh(2, 2, 100.0)  # C3 in May and June
    # A range cut inside months: 15 June to 15 July. C1's and C2's meetings are on the 10th:
    # June's before the range, July's in it (C2 in B on 15 July); C3's on the 20th: June's
    # only.
    cut = SECTION.figures([a, b], Period(D(2025, 6, 15), D(2025, 7, 15)))
    assert cut[a]["cells_meeting_monthly"] == sh(1, 3, 33.33)  # June: C1, C2; July: C1
    assert cut[b]["cells_meeting_monthly"] == sh(2, 3, 66.67)  # June: C3; July: C2, C3


def test_queries_do_not_grow_with_the_roots_and_the_chart(tree):
    with CaptureQueriesContext(connection) as one:
        SECTION.figures([tree["p"].pk], YEAR)
    with CaptureQueriesContext(connection) as five:
        SECTION.figures([tree[k].pk for k in ("p", "a", "b", "c1", "c2")], YEAR)
    assert len(one) == len(five) <= 4
    (chart,) = SECTION.series(tree["a"].pk, YEAR)
    assert chart.key == "compliance_months"
    assert chart.labels[0] == "01/2025" and len(chart.labels) == 12
    # March: C1 missed, C2 held; every other month all held.
    assert chart.series[0]["data"] == [100.0, 100.0, 50.0] + [100.0] * 9


def test_rows_match_the_figures(tree):
    a = tree["a"].pk
    got = SECTION.figures([a], YEAR)[a]
    counted = SECTION.rows("cells_meeting_monthly", root=a, period=YEAR)
    missed = SECTION.rows("cells_meeting_monthly", root=a, period=YEAR, rest=True)
    assert counted is not None and missed is not None
    assert len(counted.items) == got["cells_meeting_monthly"]["count"] == 17
    assert len(missed.headers) == 2 and len(counted.headers) == 3  # no meeting when missed
    assert [(missed.row(i)[0].text, missed.row(i)[1]) for i in missed.items] == [
        ("Chi bộ 1", "03/2025")
    ]
    first = counted.row(counted.items[0])
    assert first[0].text == "Chi bộ 1" and first[1] == "01/2025"
    january = Meeting.objects.get(cell=tree["c1"], planned_at=at(D(2025, 1, 10)))
    assert first[2].url == f"/meetings/{january.pk}/"
    thematic = SECTION.rows("thematic_per_quarter", root=a, period=YEAR)
    assert thematic is not None and len(thematic.items) == 1
    rest = SECTION.rows("thematic_per_quarter", root=a, period=YEAR, rest=True)
    assert rest is not None and len(rest.items) == 5
    attendance = SECTION.rows("attendance", root=a, period=YEAR)
    assert attendance is not None
    rows = [attendance.row(i) for i in attendance.items]
    assert len(rows) == 18
    assert sum(r[2] for r in rows) == got["attendance"]["count"]
    assert sum(r[3] for r in rows) == got["attendance"]["of"]
    for level, n in got["ratings"].items():
        behind = SECTION.rows(f"ratings.{level}", root=a, period=YEAR)
        assert behind is not None and len(behind.items) == n
