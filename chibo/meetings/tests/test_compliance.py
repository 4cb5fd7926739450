"""Meeting compliance (issue item 9): every figure against a count made here, from meetings
built with the services, independently of the report's SQL."""

import datetime as dt
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from chibo import rules
from chibo.core.formats import ratio
from chibo.meetings import services as s
from chibo.meetings.compliance.queries import (
    compliance_report,
    last_complete_month,
    parse_period,
)
from chibo.meetings.models import Kind, Meeting, Presence, State
from chibo.org import services as org_services
from chibo.org.models import Kind as UnitKind
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def held(
    cell,
    day: dt.date,
    *,
    kind: str = Kind.REGULAR,
    minutes: int = 100,
    absent: int = 0,
    combined: bool = False,
    start: dt.datetime | None = None,
    length: dt.timedelta | None = None,
) -> Meeting:
    """A meeting held with the services: roster frozen, `absent` members absent (unexcused).
    It starts at 19:30 on `day` and lasts `minutes`, unless `start` and `length` say otherwise."""
    topic = "Học tập và làm theo tư tưởng Hồ Chí Minh" if kind == Kind.THEMATIC else ""
    start = start or at(day)
    m = s.meeting_create(
        cell=cell, kind=kind, planned_at=start, topic=topic, combined=combined, actor=None
    )
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for i, row in enumerate(m.roster.order_by("pk")):
        presence = Presence.UNEXCUSED if i < absent else Presence.PRESENT
        s.attendance_mark(meeting=m, version=v(m), member=row.member, presence=presence, actor=None)
    s.meeting_hold(
        meeting=m,
        version=v(m),
        started_at=start,
        ended_at=start + (length or dt.timedelta(minutes=minutes)),
        actor=None,
    )
    return m


def expected_row(cell, start: dt.date, end: dt.date, quarter_start: dt.date, closes: bool):
    """The criteria for one cell, counted straight from its meetings with the services."""
    all_meetings = [
        m
        for m in Meeting.objects.filter(cell=cell)
        if quarter_start <= m.day <= end and m.kind in (Kind.REGULAR, Kind.THEMATIC)
    ]
    done = [m for m in all_meetings if m.state in (State.HELD, State.ADOPTED)]
    in_period = [m for m in done if m.day >= start]
    months = set()
    d = start
    while d <= end:
        months.add((d.year, d.month))
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    monthly_held = {
        (m.day.year, m.day.month)
        for m in in_period
        if m.kind == Kind.REGULAR or (m.kind == Kind.THEMATIC and m.combined)
    }
    thematic = any(m.kind == Kind.THEMATIC for m in done) or (None if not closes else False)
    lengths = [s.long_enough(m) for m in in_period if s.long_enough(m) is not None]
    goods = []
    for m in in_period:
        t = s.turnout(m)
        good = rules.at(m.day, cell).good_meeting_attendance
        if good is not None:
            goods.append(t.expected > 0 and t.share > good)
    return {
        "monthly": months <= monthly_held,
        "thematic": thematic,
        "duration": all(lengths) if lengths else None,
        "attendance": all(goods) if goods else None,
        "present": sum(s.turnout(m).present for m in in_period),
        "expected": sum(s.turnout(m).expected for m in in_period),
    }


def check(unit, key: str, cells) -> None:
    period = parse_period(key)
    report = compliance_report(unit, period)
    got = {r.pk: r for r in report.cells}
    assert set(got) == {c.pk for c in cells}
    for cell in cells:
        want = expected_row(
            cell, period.start, period.end, period.quarter_start, period.closes_quarter
        )
        row = got[cell.pk]
        assert {k: getattr(row, k) for k in want} == want, cell.name
    for criterion in ("monthly", "thematic", "duration", "attendance"):
        values = [getattr(got[c.pk], criterion) for c in cells]
        judged = [x for x in values if x is not None]
        assert report.totals[criterion].judged == len(judged)
        assert report.totals[criterion].met == sum(judged)


@pytest.fixture
def month(world):
    """March 2026 in the base committee: three cells, each failing something different."""
    cell, cell2 = world.cell, world.cell2
    cell3 = f.unit(UnitKind.CELL, world.base, name="Chi bộ thôn Tây")
    for c in (cell, cell2, cell3):
        f.member(c)
        f.member(c)
    held(cell, dt.date(2026, 2, 10), kind=Kind.THEMATIC, minutes=130)
    held(cell, dt.date(2026, 3, 5), minutes=95)
    held(cell2, dt.date(2026, 3, 6), minutes=60, absent=1)  # too short, 2/3 present
    cancelled = s.meeting_create(
        cell=cell3, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 3, 7)), actor=None
    )
    s.meeting_cancel(meeting=cancelled, version=v(cancelled), reason="Bão", actor=None)
    return cell, cell2, cell3


def test_month_figures_match_an_independent_count(world, month):
    cell, cell2, cell3 = month
    check(world.base, "2026-03", month)
    report = compliance_report(world.base, parse_period("2026-03"))
    rows = {r.pk: r for r in report.cells}
    assert rows[cell.pk].missing == []
    assert rows[cell2.pk].missing == ["thematic", "duration", "attendance"]
    assert rows[cell3.pk].missing == ["monthly", "thematic"]
    assert (report.totals["monthly"].met, report.totals["monthly"].judged) == (2, 3)
    assert (report.present, report.expected) == (3 + 2, 3 + 3)  # world.member is in `cell`


def test_page_shows_totals_and_filters_missing(world, cast, month, client_for):
    cell, cell2, cell3 = month
    c = client_for(cast.base_officer)
    url = reverse("compliance:report", args=[world.base.pk])
    page = c.get(url, {"period": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert ratio(2, 3) in html  # "2/3 (66,67%)"
    # Attendance over the held meetings (the cast's secretary is a fourth member of `cell`).
    assert ratio(4 + 2, 4 + 3) in html
    assert cell.name in html and cell3.name in html
    for m in Meeting.objects.filter(cell__in=month, planned_at__gte=at(dt.date(2026, 3, 1), 0, 0)):
        assert f'href="{reverse("meetings:detail", args=[m.pk])}"' in html
    for unit in month:
        assert f'href="{reverse("org:unit", args=[unit.pk])}"' in html
    c.cookies["django_language"] = "en"
    english = c.get(url, {"period": "2026-03"}).content.decode()
    assert "05/03/2026 · 95 min" in english and "06/03/2026 · 60 min" in english
    assert "07/03/2026 (Cancelled)" in english  # cell3's meeting: no length
    only = c.get(url, {"period": "2026-03", "missing": "monthly"}).content.decode()
    assert cell3.name in only and cell.name not in only and cell2.name not in only
    partial = c.get(url, {"period": "2026-03"}, headers={"HX-Request": "true"})
    assert b'id="results"' in partial.content and b"<html" not in partial.content


def test_quarter_needs_every_month_and_a_thematic_meeting(world):
    cell, cell2 = world.cell, world.cell2
    held(cell, dt.date(2026, 1, 8), kind=Kind.THEMATIC, combined=True, minutes=125)
    held(cell, dt.date(2026, 3, 5))
    held(cell2, dt.date(2026, 1, 9))
    held(cell2, dt.date(2026, 2, 9))
    held(cell2, dt.date(2026, 3, 9))
    cells = [cell, cell2]
    for key in ("2026-01", "2026-02", "2026-03", "2026-Q1"):
        check(world.base, key, cells)
    q = {r.pk: r for r in compliance_report(world.base, parse_period("2026-Q1")).cells}
    # The combined thematic meeting is January's monthly meeting too; February is missing.
    assert q[cell.pk].months_missing == [dt.date(2026, 2, 1)] and q[cell.pk].thematic
    assert q[cell2.pk].monthly and q[cell2.pk].thematic is False
    jan = {r.pk: r for r in compliance_report(world.base, parse_period("2026-01")).cells}
    assert jan[cell.pk].monthly and jan[cell2.pk].thematic is None  # not due until March


def test_no_length_rule_before_42_hd_is_not_a_failure(world):
    held(world.cell, dt.date(2025, 9, 10), minutes=45)
    held(world.cell, dt.date(2025, 11, 10), minutes=45)
    sept = {r.pk: r for r in compliance_report(world.base, parse_period("2025-09")).cells}
    nov = {r.pk: r for r in compliance_report(world.base, parse_period("2025-11")).cells}
    assert sept[world.cell.pk].duration is None and sept[world.cell.pk].monthly
    assert nov[world.cell.pk].duration is False


def test_combined_meeting_needs_the_longer_minimum(world):
    held(world.cell, dt.date(2026, 3, 5), kind=Kind.THEMATIC, combined=True, minutes=100)
    row = next(
        r for r in compliance_report(world.base, parse_period("2026-03")).cells
        if r.pk == world.cell.pk
    )  # fmt: skip
    assert row.monthly and row.thematic and row.duration is False
    assert row.meetings[0].minimum == 120


def test_a_cell_moved_mid_period_counts_where_it_stood_at_the_end(world):
    held(world.cell2, dt.date(2026, 3, 6))
    org_services.orgunit_move(
        actor=None, unit=world.cell2, new_parent=world.other_base, on=dt.date(2026, 3, 15)
    )
    march = parse_period("2026-03")
    assert {r.pk for r in compliance_report(world.base, march).cells} == {world.cell.pk}
    moved = {r.pk: r for r in compliance_report(world.other_base, march).cells}
    assert set(moved) == {world.other_cell.pk, world.cell2.pk}
    assert moved[world.cell2.pk].monthly  # its meeting went with it
    assert moved[world.cell2.pk].parent_name == world.other_base.name
    feb = compliance_report(world.base, parse_period("2026-02"))
    assert {r.pk for r in feb.cells} == {world.cell.pk, world.cell2.pk}
    check(world.province, "2026-03", [world.cell, world.cell2, world.other_cell])


def test_access(world, cast, client_for):
    url = reverse("compliance:report", args=[world.base.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.viewer).get(url).status_code == 200
    assert client_for(cast.province_officer).get(url).status_code == 200
    assert client_for(cast.base_officer).post(url).status_code == 405
    assert (
        client_for(cast.base_officer).get(reverse("compliance:report", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize("period", ["2026-13", "March", "2026-Q5", "26-03"])
def test_bad_period_is_a_form_error(world, cast, client_for, period):
    url = reverse("compliance:report", args=[world.base.pk])
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    page = c.get(url, {"period": period})
    assert page.status_code == 200
    assert (
        "Choose a month as YYYY-MM, a quarter as YYYY-Qn or a year as YYYY" in page.content.decode()
    )


def test_future_period_and_default(world, cast, client_for):
    url = reverse("compliance:report", args=[world.base.pk])
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    assert "has not begun yet" in c.get(url, {"period": "2999-01"}).content.decode()
    page = c.get(url)
    assert page.context["report"].period == last_complete_month(timezone.localdate())


def _queries_for(world, cast, client_for, n_cells: int) -> int:
    base = f.unit(UnitKind.BASE_COMMITTEE, world.province)
    for i in range(n_cells):
        cell = f.unit(UnitKind.CELL, base)
        f.member(cell)
        held(cell, dt.date(2026, 3, 5), minutes=80 + 5 * i, absent=i % 2)
    c = client_for(cast.province_officer)
    url = reverse("compliance:report", args=[base.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = c.get(url, {"period": "2026-Q1"})
    assert page.status_code == 200
    assert len(page.context["report"].cells) == n_cells
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_cells(world, cast, client_for):
    assert _queries_for(world, cast, client_for, 5) == _queries_for(world, cast, client_for, 15)


def test_share_is_strictly_over_the_rule(world):
    # 17/20 exactly is not "over 85%".
    good = rules.at(dt.date(2026, 3, 5), world.cell).good_meeting_attendance
    assert good == Fraction(17, 20)
    cell = f.unit(UnitKind.CELL, world.base)
    for _i in range(20):
        f.member(cell)
    held(cell, dt.date(2026, 3, 5), absent=3)
    row = next(
        r for r in compliance_report(world.base, parse_period("2026-03")).cells if r.pk == cell.pk
    )
    assert (row.present, row.expected) == (17, 20) and row.attendance is False


def test_the_local_day_decides_the_month(world):
    # Vietnam is UTC+7: 00:30 on 1 April is still 31 March in UTC, and the database keeps UTC.
    late = held(world.cell, dt.date(2026, 3, 31), start=at(dt.date(2026, 3, 31), 23, 30))
    early = held(world.cell2, dt.date(2026, 4, 1), start=at(dt.date(2026, 4, 1), 0, 30))
    assert (late.day, early.day) == (dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    march = {r.pk: r for r in compliance_report(world.base, parse_period("2026-03")).cells}
    april = {r.pk: r for r in compliance_report(world.base, parse_period("2026-04")).cells}
    assert march[world.cell.pk].monthly and not march[world.cell2.pk].monthly
    assert april[world.cell2.pk].monthly and not april[world.cell.pk].monthly
    assert [m.day for m in march[world.cell.pk].meetings] == [dt.date(2026, 3, 31)]
    assert [m.day for m in april[world.cell2.pk].meetings] == [dt.date(2026, 4, 1)]
    assert march[world.cell2.pk].meetings == [] and april[world.cell.pk].meetings == []
    for key in ("2026-03", "2026-04", "2026-Q1", "2026-Q2"):
        check(world.base, key, [world.cell, world.cell2])


def test_length_is_whole_minutes_to_the_microsecond(world):
    # 42-HD/BTCTW: at least 90 minutes from 28/10/2025. A microsecond short is 89 minutes.
    start = at(dt.date(2026, 3, 5), 19, 30).replace(second=15, microsecond=250_000)
    short = held(
        world.cell,
        dt.date(2026, 3, 5),
        start=start,
        length=dt.timedelta(minutes=90) - dt.timedelta(microseconds=1),
    )
    exact = held(world.cell2, dt.date(2026, 3, 5), start=start, length=dt.timedelta(minutes=90))
    assert (short.duration_minutes, exact.duration_minutes) == (89, 90)
    rows = {r.pk: r for r in compliance_report(world.base, parse_period("2026-03")).cells}
    assert [m.minutes for m in rows[world.cell.pk].meetings] == [89]
    assert [m.minutes for m in rows[world.cell2.pk].meetings] == [90]
    assert rows[world.cell.pk].duration is False and rows[world.cell2.pk].duration is True
    check(world.base, "2026-03", [world.cell, world.cell2])


def test_a_province_rule_applies_to_the_cells_of_that_province_only(world):
    RuleVersion.objects.create(
        province=world.province,
        effective_from=dt.date(2026, 3, 1),
        source="Hướng dẫn của Tỉnh ủy (thử)",
        values={"meeting_min_minutes": 100},
    )
    neighbour = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Bên")
    lone = f.unit(UnitKind.BASE_CELL, neighbour, name="Chi bộ cơ sở Bên")
    f.member(lone)
    for cell in (world.cell, world.cell2, lone):
        held(cell, dt.date(2026, 3, 5), minutes=95)
    held(world.cell, dt.date(2026, 2, 5), minutes=95)  # before the province's rule
    province = {r.pk: r for r in compliance_report(world.province, parse_period("2026-03")).cells}
    assert province[world.cell.pk].province_id == world.province.pk
    assert [m.minimum for m in province[world.cell.pk].meetings] == [100]
    assert province[world.cell.pk].duration is False
    feb = {r.pk: r for r in compliance_report(world.base, parse_period("2026-02")).cells}
    assert [m.minimum for m in feb[world.cell.pk].meetings] == [90] and feb[world.cell.pk].duration
    other = compliance_report(neighbour, parse_period("2026-03")).cells
    assert [(r.pk, r.province_id, r.duration) for r in other] == [(lone.pk, neighbour.pk, True)]
    assert [m.minimum for m in other[0].meetings] == [90]
    check(world.province, "2026-03", [world.cell, world.cell2, world.other_cell])
    check(world.base, "2026-02", [world.cell, world.cell2])
    check(neighbour, "2026-03", [lone])
    check(lone, "2026-03", [lone])
