"""Past meetings from Excel: meetings, attendance and ratings, checked against figures worked
out by hand from the workbook and the roster of the meeting day."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chibo.core.sheets import CREATE, ERROR, UNCHANGED, UPDATE
from chibo.imports.services import import_commit, import_preview
from chibo.meetings import services as ms
from chibo.meetings.compliance.queries import compliance_report, month_period
from chibo.meetings.models import Attendance, Kind, Meeting, Presence, QualityScore, Rating, State
from chibo.meetings.services import quality
from chibo.testing.workbooks import messages, xlsx

from .helpers import (
    ATTENDANCE_HEAD,
    MEETING_HEAD,
    RATING_HEAD,
    attendance_row,
    history_book,
    meeting_row,
    meeting_snapshot,
)


def commit(user, sheets):
    return import_commit(actor=user, files=[("history.xlsx", xlsx(sheets))])


def statuses(report) -> dict[str, list[str]]:
    return {s.key: [r.status for r in s.rows] for s in report.sheets}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


MARCH_5, MARCH_10, MARCH_20 = dt.date(2026, 3, 5), dt.date(2026, 3, 10), dt.date(2026, 3, 20)


def test_history_workbook(world, cast, people):
    p = people
    report = commit(cast.base_officer, history_book(p))
    assert messages(report) == []
    assert report.committed
    assert statuses(report) == {
        "meetings": [CREATE] * 3,
        "attendance": [CREATE] * 8,
        "ratings": [CREATE] * 3,
    }

    # The meetings, as the rows give them.
    m1 = Meeting.objects.get(cell=world.cell, kind=Kind.REGULAR)
    m2 = Meeting.objects.get(cell=world.cell, kind=Kind.THEMATIC)
    m3 = Meeting.objects.get(cell=world.cell2)
    assert Meeting.all_objects.count() == 3
    assert (m1.started_at, m1.ended_at, m1.planned_at) == (
        at(MARCH_5, 19, 30),
        at(MARCH_5, 21, 30),
        at(MARCH_5, 19, 30),
    )
    assert (m1.place, m1.resolution) == (
        "Nhà văn hóa thôn Đông",
        "Chi bộ thống nhất thu đảng phí quý I.",
    )
    assert (m2.started_at, m2.ended_at, m2.combined) == (
        at(MARCH_20, 8),
        at(MARCH_20, 10, 30),
        False,
    )
    assert m2.topic.startswith("Học tập và làm theo")
    assert (m3.kind, m3.started_at, m3.ended_at) == (
        Kind.REGULAR,
        at(MARCH_10, 14),
        at(MARCH_10, 15),
    )
    # Adopted (the default, and as written) or held, as the rows say; adopted when they closed.
    assert [m1.state, m2.state, m3.state] == [State.ADOPTED, State.ADOPTED, State.HELD]
    assert (m1.adopted_at, m1.adopted_by) == (m1.ended_at, cast.base_officer)
    assert m3.adopted_at is None
    assert m1.history.first().history_user == cast.base_officer

    # The roster of 05/03/2026: the placements and statuses of that day, worked out by hand.
    # (official, exempt, away, hosted); the candidate and the late comer are not on it.
    flags = {
        p.hung.code: (True, False, False, False),
        p.secretary.code: (True, False, False, False),
        p.an.code: (True, False, False, False),
        p.binh.code: (False, False, False, False),  # probationary
        p.chi.code: (True, True, False, False),  # exempt
        p.dung.code: (True, False, True, False),  # away on temporary transfer
        p.em.code: (True, False, False, True),  # hosted from X01-CB02
    }
    roster = {
        r.member.code: r for r in Attendance.objects.filter(meeting=m1).select_related("member")
    }
    assert {c: (r.official, r.exempt, r.away, r.hosted) for c, r in roster.items()} == flags
    marks = {c: (r.presence, r.reason, r.late, r.left_early) for c, r in roster.items()}
    assert marks == {
        p.hung.code: (Presence.PRESENT, "", False, False),
        p.secretary.code: (Presence.PRESENT, "", True, False),
        p.an.code: (Presence.PRESENT, "", False, True),
        p.binh.code: (Presence.PRESENT, "", False, False),
        p.chi.code: (Presence.EXCUSED, "Miễn sinh hoạt", False, False),
        p.dung.code: (Presence.EXCUSED, "Sinh hoạt tạm thời ở chi bộ khác", False, False),
        p.em.code: (Presence.PRESENT, "", False, False),
    }
    # Turnout by hand from the sheet: away (Dũng) is not expected here, the exempt absentee
    # (Chi) is not expected either: 5 present of 5 expected.
    assert (m1.present_count, m1.expected_count) == (5, 5)
    assert (m2.present_count, m2.expected_count) == (0, 0)  # no attendance given: no roster
    # X01-CB02: Đào present; Em is away from it (on its roster, unmarked, not expected).
    cb02 = {r.member.code: (r.away, r.presence) for r in m3.roster.select_related("member")}
    assert cb02 == {p.dao.code: (False, Presence.PRESENT), p.em.code: (True, "")}
    assert (m3.present_count, m3.expected_count) == (1, 1)
    for m in (m1, m2, m3):  # the cached counts are what the app's own count gives
        t = ms.turnout(m)
        assert (m.present_count, m.expected_count) == (t.present, t.expected)

    # Scores: the parts, or the total alone; filled by whoever imported.
    s1, s2, s3 = (QualityScore.objects.get(meeting=m) for m in (m1, m2, m3))
    assert (s1.points, s1.total) == (
        {"preparation": 14, "attendance": 18, "conduct": 40, "closing": 18},
        90,
    )
    assert (s2.points, s2.total) == ({}, 75)
    assert s3.total == 10 + 10 + 20 + 5
    assert {s.filled_by for s in (s1, s2, s3)} == {cast.base_officer}
    assert [quality.meeting_rating(m) for m in (m1, m2, m3)] == [
        Rating.GOOD,
        Rating.FAIR,
        Rating.POOR,
    ]


def test_history_shows_in_the_compliance_report(world, cast, people):
    assert commit(cast.base_officer, history_book(people)).committed
    report = compliance_report(world.base, month_period(2026, 3))
    cells = {c.code: c for c in report.cells}
    cb01, cb02 = cells["X01-CB01"], cells["X01-CB02"]
    # X01-CB01: the regular meeting (2 h) and the thematic one (2 h 30), both at least the
    # 90 minutes of 42-HD/BTCTW; attendance 5/5, but the thematic meeting has none recorded.
    assert [(m.day, m.minutes, m.present, m.expected) for m in cb01.meetings] == [
        (MARCH_5, 120, 5, 5),
        (MARCH_20, 150, 0, 0),
    ]
    assert (cb01.monthly, cb01.thematic, cb01.duration, cb01.attendance) == (
        True,
        True,
        True,
        False,
    )
    # X01-CB02: held (minutes in draft) counts as held; one hour is too short.
    assert [(m.day, m.minutes, m.held) for m in cb02.meetings] == [(MARCH_10, 60, True)]
    assert (cb02.monthly, cb02.thematic, cb02.duration, cb02.attendance) == (
        True,
        False,
        False,
        True,
    )
    assert (report.present, report.expected, report.meetings_held) == (6, 6, 3)


def test_history_shows_on_the_cell_pages(world, cast, people, client_for):
    assert commit(cast.base_officer, history_book(people)).committed
    client = client_for(cast.secretary)
    page = client.get(reverse("meetings:cell", args=[world.cell.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "05/03/2026" in html and "20/03/2026" in html
    assert "5/5 (100,00%)" in html
    m1 = Meeting.objects.get(cell=world.cell, kind=Kind.REGULAR)
    detail = client.get(reverse("meetings:detail", args=[m1.pk]) + "?open=roster").content.decode()
    assert 'id="locked"' in detail and "Đặng Thị Em" in detail


def test_preview_writes_nothing_and_reimport_changes_nothing(world, cast, people):
    before = meeting_snapshot()
    preview = import_preview(
        actor=cast.base_officer, files=[("h.xlsx", xlsx(history_book(people)))]
    )
    assert not preview.has_errors and preview.counts()[CREATE] == 14
    assert meeting_snapshot() == before

    assert commit(cast.base_officer, history_book(people)).committed
    after_first = meeting_snapshot()
    again = commit(cast.base_officer, history_book(people))
    assert again.committed and not again.has_changes
    assert again.counts() == {CREATE: 0, UPDATE: 0, UNCHANGED: 14, ERROR: 0}
    # No new meeting, roster row or score; no history row; no version bumped.
    assert meeting_snapshot() == after_first


def test_reimport_completes_a_held_meeting(world, cast, people):
    p = people
    book = history_book(p)
    assert commit(cast.base_officer, book).committed
    m3 = Meeting.objects.get(cell=world.cell2)
    book["Sinh hoạt"][3][MEETING_HEAD.index("Tình trạng")] = "Đã thông qua"
    # Adopting needs everyone on the roster marked: Em, away, is not yet.
    report = commit(cast.base_officer, book)
    assert messages(report) == [
        "Members on the roster without attendance (1): Đặng Thị Em (DV-EM). Minutes are adopted "
        "only when everyone is marked: add their rows to the attendance sheet, or import the "
        "meeting as held."
    ]
    assert report.sheets[0].rows[2].problems[0].column == "Tình trạng"
    assert Meeting.objects.get(pk=m3.pk).state == State.HELD

    cb02 = {"Mã chi bộ": "X01-CB02", "Ngày họp": "10/03/2026"}
    book["Điểm danh"].append(
        attendance_row(p.em.code, "Vắng có lý do", "Sinh hoạt nơi khác", **cb02)
    )
    book["Xếp loại"][3][RATING_HEAD.index("Điểm kết thúc")] = 15
    book["Xếp loại"][3][RATING_HEAD.index("Tổng điểm")] = 55
    book["Xếp loại"][3][RATING_HEAD.index("Xếp loại")] = "Trung bình"
    report = commit(cast.base_officer, book)
    assert report.committed, messages(report)
    assert statuses(report) == {
        "meetings": [UNCHANGED, UNCHANGED, UPDATE],
        "attendance": [UNCHANGED] * 8 + [CREATE],
        "ratings": [UNCHANGED, UNCHANGED, UPDATE],
    }
    change = report.sheets[0].rows[2].changes[0]
    assert (change.column, change.old, change.new) == (
        "Tình trạng",
        "Đã họp",
        "Đã thông qua biên bản",
    )
    changes = [(c.column, c.old, c.new) for c in report.sheets[2].rows[2].changes]
    assert changes == [("Điểm kết thúc", "5", "15"), ("Tổng điểm", "45", "55")]
    m3.refresh_from_db()
    assert m3.state == State.ADOPTED
    assert (m3.present_count, m3.expected_count) == (1, 1)  # Em is away: still 1 of 1
    assert QualityScore.objects.get(meeting=m3).total == 55


def test_a_planned_meeting_is_recorded_as_held(world, cast, people):
    planned = ms.meeting_create(
        cell=world.cell,
        kind=Kind.REGULAR,
        planned_at=at(MARCH_5, 19),
        place="Hội trường",
        actor=None,
    )
    row = meeting_row(**{"Địa điểm": "", "Tình trạng": ""})
    report = commit(cast.base_officer, {"Sinh hoạt": [MEETING_HEAD, row]})
    assert report.committed, messages(report)
    assert statuses(report) == {"meetings": [UPDATE]}
    planned.refresh_from_db()
    assert (planned.state, planned.started_at, planned.place) == (
        State.ADOPTED,
        at(MARCH_5, 19, 30),
        "Hội trường",
    )
    assert Meeting.all_objects.count() == 1


def test_csv_files_and_english_values(world, cast, people, tmp_path):
    from chibo.testing.workbooks import csv_bytes

    meetings = [
        ["cell_code", "date", "start", "end", "kind", "state"],
        ["X01-CB01", "2026-03-05", "19 giờ 30", "21h", "regular", "held"],
    ]
    attendance = [
        ["cell_code", "date", "member_code", "presence", "reason"],
        ["X01-CB01", "2026-03-05", people.an.code, "Absent, excused", "Ốm"],
    ]
    report = import_commit(
        actor=cast.base_officer,
        files=[("meetings.csv", csv_bytes(meetings)), ("attendance.csv", csv_bytes(attendance))],
    )
    assert report.committed, messages(report)
    m = Meeting.objects.get()
    assert (m.state, m.ended_at) == (State.HELD, at(MARCH_5, 21))
    row = m.roster.get(member=people.an)
    assert (row.presence, row.reason) == (Presence.EXCUSED, "Ốm")
    # Seven on the roster, one marked absent (excused): 0 present; the six others, unmarked,
    # are expected (Chi, exempt, only when present; Dũng, away, never).
    assert (m.present_count, m.expected_count) == (0, 5)


def test_command_imports_history_as_a_user(world, cast, people, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(xlsx(history_book(people)))
    out = io.StringIO()
    call_command("import", str(path), "--user", "base", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "Imported: 14 created, 0 updated, 0 unchanged."
    assert QualityScore.objects.filter(filled_by=cast.base_officer).count() == 3


@pytest.mark.parametrize("state", ["Đã thông qua", ""])
def test_attendance_sheet_needs_everyone_for_adopted_minutes(world, cast, people, state):
    p = people
    book = {
        "Sinh hoạt": [MEETING_HEAD, meeting_row(**{"Tình trạng": state})],
        "Điểm danh": [ATTENDANCE_HEAD, *(attendance_row(m.code, "Có mặt") for m in (p.hung, p.an))],
    }
    before = meeting_snapshot()
    report = commit(cast.base_officer, book)
    # The five others on the roster, in the roster's (alphabetical) order.
    missing = [p.binh, p.em, p.chi, p.secretary, p.dung]
    names = ", ".join(f"{m.full_name} ({m.code})" for m in missing)
    assert messages(report) == [
        f"Members on the roster without attendance (5): {names}. Minutes are adopted only when "
        "everyone is marked: add their rows to the attendance sheet, or import the meeting "
        "as held."
    ]
    assert meeting_snapshot() == before
