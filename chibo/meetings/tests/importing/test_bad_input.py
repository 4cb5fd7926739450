"""A test for each rule of the meetings, attendance and ratings sheets: the message people
read, on the right column, and that nothing at all was written."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from chibo.imports.services import import_commit
from chibo.meetings import services as ms
from chibo.meetings.models import Kind, Meeting, QualityScore, State
from chibo.org.models import Kind as UnitKind
from chibo.org.services import orgunit_update
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f
from chibo.testing.workbooks import xlsx

from .helpers import (
    ATTENDANCE_HEAD,
    MEETING_HEAD,
    RATING_HEAD,
    attendance_row,
    history_book,
    march_attendance,
    meeting_row,
    meeting_snapshot,
    rating_row,
)


@pytest.fixture
def untouched(world, people):
    """Asserts, after the test, that the database holds exactly what it held before."""
    before = meeting_snapshot()
    yield
    assert meeting_snapshot() == before


def book(user, sheets):
    report = import_commit(actor=user, files=[("history.xlsx", xlsx(sheets))])
    assert not report.committed
    return report


def problems(report) -> list[tuple[str, str]]:
    """(column, message) of every row problem."""
    return [(p.column, p.message) for s in report.sheets for r in s.rows for p in r.problems]


def meetings_only(*rows):
    return {"Sinh hoạt": [MEETING_HEAD, *rows]}


def with_meeting(sheet: str, head: list, *rows):
    """A meeting of 05/03/2026 with everyone's attendance, and more rows in `sheet`."""
    return {"Sinh hoạt": [MEETING_HEAD, meeting_row()], sheet: [head, *rows]}


# Meetings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Mã chi bộ": "X01"}, "Mã chi bộ", "Meetings are held by a cell."),
        ({"Mã chi bộ": "X01-CB01-T1"}, "Mã chi bộ", "Meetings are held by a cell."),
        ({"Mã chi bộ": "X02-CB01"}, "Mã chi bộ", "Unknown unit code X02-CB01."),
        ({"Giờ kết thúc": "19:00"}, "Giờ kết thúc", "The meeting must end after it starts."),
        ({"Giờ kết thúc": "19:30"}, "Giờ kết thúc", "The meeting must end after it starts."),
        (
            {"Loại sinh hoạt": "Chuyên đề"},
            "Chuyên đề",
            "A thematic meeting needs a topic.",
        ),
        (
            {"Kết hợp sinh hoạt thường kỳ": "Có"},
            "Kết hợp sinh hoạt thường kỳ",
            "Only a thematic meeting is held together with the monthly one.",
        ),
        (
            {"Giờ bắt đầu": "7 rưỡi"},
            "Giờ bắt đầu",
            "“7 rưỡi” is not a time; write it as hh:mm, for example 19:30.",
        ),
        (
            {"Giờ bắt đầu": "25:00"},
            "Giờ bắt đầu",
            "“25:00” is not a time; write it as hh:mm, for example 19:30.",
        ),
        (
            {"Giờ bắt đầu": 0.8125},  # a time cell that lost its format
            "Giờ bắt đầu",
            "“0.8125” is not a time; write it as hh:mm, for example 19:30.",
        ),
        ({"Giờ kết thúc": ""}, "Giờ kết thúc", "This cell is required."),
        (
            {"Loại sinh hoạt": "Họp dân"},
            "Loại sinh hoạt",
            "Unknown value “Họp dân”. Allowed: Thường kỳ, Chuyên đề, Bất thường, Họp chi ủy.",
        ),
        (
            {"Tình trạng": "Đã hoãn"},
            "Tình trạng",
            "Unknown value “Đã hoãn”. Allowed: Đã họp, Đã thông qua biên bản.",
        ),
        (
            {"Tình trạng": "planned"},  # history only: a planned meeting is not one
            "Tình trạng",
            "Unknown value “planned”. Allowed: Đã họp, Đã thông qua biên bản.",
        ),
        (
            {"Kết hợp sinh hoạt thường kỳ": "Có lẽ"},
            "Kết hợp sinh hoạt thường kỳ",
            "Unknown value “Có lẽ”. Allowed: Có, Không.",
        ),
        ({"Địa điểm": "Đ" * 201}, "Địa điểm", "Too long: 201 characters, at most 200."),
    ],
)
def test_meeting_row_refused(world, cast, people, changes, column, message):
    f.unit(UnitKind.PARTY_GROUP, world.cell, code="X01-CB01-T1")
    before = meeting_snapshot()  # the party group is not the import's doing
    report = book(cast.base_officer, meetings_only(meeting_row(**changes)))
    assert problems(report) == [(column, message)]
    assert meeting_snapshot() == before


def test_meeting_in_the_future(world, cast, untouched):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    report = book(cast.base_officer, meetings_only(meeting_row(**{"Ngày họp": tomorrow})))
    assert problems(report) == [("Ngày họp", "The date cannot be in the future.")]


def test_meeting_not_ended_yet(world, cast, untouched):
    now = timezone.localtime()
    if now.hour == 23:
        pytest.skip("no later time today to end at")
    row = meeting_row(
        **{
            "Ngày họp": now.date(),
            "Giờ bắt đầu": now.replace(hour=0, minute=0).time(),
            "Giờ kết thúc": "23:59",
        }
    )
    report = book(cast.base_officer, meetings_only(row))
    assert problems(report) == [
        ("Giờ kết thúc", "The meeting has not ended yet: the end time is still to come.")
    ]


def test_meeting_outside_the_life_of_the_cell(world, cast, people):
    founded = f.unit(UnitKind.CELL, world.base, code="X01-CB09", founded_on=dt.date(2026, 4, 1))
    dissolved = f.unit(UnitKind.CELL, world.base, code="X01-CB08")
    orgunit_update(
        actor=None,
        unit=dissolved,
        name=dissolved.name,
        cell_type=dissolved.cell_type,
        founded_on=None,
        dissolved_on=dt.date(2026, 2, 28),
    )
    before = meeting_snapshot()
    report = book(
        cast.base_officer,
        meetings_only(
            meeting_row(**{"Mã chi bộ": "X01-CB09"}), meeting_row(**{"Mã chi bộ": "X01-CB08"})
        ),
    )
    assert problems(report) == [
        ("Ngày họp", "X01-CB09 was founded on 01/04/2026, after this meeting."),
        ("Ngày họp", "X01-CB08 was dissolved on 28/02/2026, before this meeting."),
    ]
    assert founded.pk and meeting_snapshot() == before


def test_duplicate_meeting_row(world, cast, untouched):
    # The kind left empty is the regular meeting: the same key as the row above.
    report = book(
        cast.base_officer,
        meetings_only(
            meeting_row(), meeting_row(**{"Loại sinh hoạt": "", "Mã chi bộ": "x01-cb01"})
        ),
    )
    assert [r.status for r in report.sheets[0].rows] == ["create", "error"]
    assert problems(report) == [("", "Duplicate of row 2.")]


def test_secretary_imports_only_their_cell(world, cast, untouched):
    rows = meetings_only(meeting_row(**{"Mã chi bộ": "X01-CB02"}))
    assert problems(book(cast.secretary, rows)) == [("Mã chi bộ", "Unknown unit code X01-CB02.")]


def test_adopted_minutes_are_not_changed_by_an_import(world, cast, people):
    assert import_commit(
        actor=cast.base_officer, files=[("h.xlsx", xlsx(history_book(people)))]
    ).committed
    before = meeting_snapshot()
    changed = history_book(people)
    changed["Sinh hoạt"][1][MEETING_HEAD.index("Nghị quyết")] = "Một nghị quyết khác."
    changed["Điểm danh"][1][ATTENDANCE_HEAD.index("Dự họp")] = "Vắng không lý do"
    changed["Xếp loại"][1][RATING_HEAD.index("Điểm kết thúc")] = 20
    report = book(cast.base_officer, changed)
    locked = "The minutes of this meeting are adopted and locked; record an amendment instead."
    # The resolution and the attendance are the minutes' text; the score is not (it may
    # change after adoption), but the whole book is refused with them: nothing is written.
    assert problems(report) == [("Nghị quyết", locked), ("Dự họp", locked)]
    assert meeting_snapshot() == before


def test_an_import_scores_adopted_minutes_until_the_year_is_rated(world, cast, people):
    """The national agenda adopts the minutes before scoring: a score is given or changed
    after adoption, by the page and by the import alike, each change kept in its history."""
    assert import_commit(
        actor=cast.base_officer, files=[("h.xlsx", xlsx(history_book(people)))]
    ).committed
    scores = dict(QualityScore.objects.values_list("meeting_id", "total"))
    adopted = set(Meeting.objects.filter(state=State.ADOPTED).values_list("pk", flat=True))
    assert len(adopted & set(scores)) == 2  # the two meetings of X01-CB01 changed below
    changed = history_book(people)
    changed["Xếp loại"][1][RATING_HEAD.index("Điểm kết thúc")] = 10  # parts: 14+18+40+10
    changed["Xếp loại"][1][RATING_HEAD.index("Xếp loại")] = "Khá"
    changed["Xếp loại"][2][RATING_HEAD.index("Tổng điểm")] = 70  # the total alone
    report = import_commit(actor=cast.base_officer, files=[("h.xlsx", xlsx(changed))])
    assert report.committed, problems(report)
    after = dict(QualityScore.objects.values_list("meeting_id", "total"))
    changed_ids = {k for k in after if after[k] != scores[k]}
    assert changed_ids <= adopted
    assert sorted(after[k] for k in changed_ids) == [70, 82]
    # An import is one audit event (the import job); each change is in the score's history.
    history = QualityScore.history.filter(history_change_reason="after adoption")
    assert sorted(history.values_list("meeting_id", "total")) == sorted(
        (k, after[k]) for k in changed_ids
    )


def test_topic_and_place_of_an_existing_meeting_stay(world, cast, people):
    rows = meetings_only(meeting_row(**{"Tình trạng": "Đã họp"}))
    assert import_commit(actor=cast.base_officer, files=[("h.xlsx", xlsx(rows))]).committed
    before = meeting_snapshot()
    report = book(cast.base_officer, meetings_only(meeting_row(**{"Địa điểm": "Trụ sở xã"})))
    assert problems(report) == [
        (
            "Địa điểm",
            "An import does not change this on an existing meeting (now: “Nhà văn hóa thôn "
            "Đông”); leave the cell empty to keep it.",
        )
    ]
    assert meeting_snapshot() == before


def test_cancelled_meeting_is_not_recorded_as_held(world, cast, people):
    planned = ms.meeting_create(
        cell=world.cell,
        kind=Kind.REGULAR,
        planned_at=timezone.make_aware(dt.datetime(2026, 3, 5, 19, 30)),
        actor=None,
    )
    ms.meeting_cancel(meeting=planned, version=planned.version, reason="Mưa bão", actor=None)
    before = meeting_snapshot()
    report = book(cast.base_officer, meetings_only(meeting_row()))
    assert problems(report) == [("Tình trạng", "This meeting was cancelled.")]
    assert meeting_snapshot() == before


# Attendance -----------------------------------------------------------------------------------


def test_attendance_of_someone_not_on_the_roster(world, cast, people, untouched):
    p = people
    rows = [
        *march_attendance(p),
        attendance_row(p.late_comer.code, "Có mặt"),
        attendance_row(p.candidate.code, "Có mặt"),
        attendance_row(p.dao.code, "Có mặt"),  # of X01-CB02
        attendance_row(world.other_member.code, "Có mặt"),  # outside the officer's scope
        attendance_row("DV-KHONG", "Có mặt"),
    ]
    report = book(cast.base_officer, with_meeting("Điểm danh", ATTENDANCE_HEAD, *rows))
    column = "Mã hồ sơ đảng viên"
    assert problems(report) == [
        (column, f"Mai Văn Muộn ({p.late_comer.code}) was not placed in X01-CB01 on 05/03/2026."),
        (column, f"Tạ Văn Chờ ({p.candidate.code}) was not a Party member on 05/03/2026."),
        (column, f"Trần Thị Đào ({p.dao.code}) was not placed in X01-CB01 on 05/03/2026."),
        (column, f"Unknown member code {world.other_member.code}."),
        (column, "Unknown member code DV-KHONG."),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            {"Dự họp": "Vắng có lý do"},
            "Lý do vắng",
            "An excused absence needs its reason.",
        ),
        (
            {"Dự họp": "Vắng không lý do", "Đến muộn": "Có"},
            "Đến muộn",
            "Only someone present can arrive late or leave early.",
        ),
        (
            {"Dự họp": "Miễn sinh hoạt"},
            "Dự họp",
            "Hồ Văn An was not exempt from activities on 05/03/2026; record the exemption in "
            "the events sheet, or give the absence as excused.",
        ),
        (
            {"Dự họp": "Ngủ quên"},
            "Dự họp",
            "Unknown value “Ngủ quên”. Allowed: Có mặt, Vắng có lý do, Vắng không lý do, "
            "Miễn sinh hoạt.",
        ),
        ({"Dự họp": ""}, "Dự họp", "This cell is required."),
    ],
)
def test_attendance_row_refused(world, cast, people, untouched, row, column, message):
    p = people
    others = [r for r in march_attendance(p) if r[3] != p.an.code]
    bad = attendance_row(p.an.code, "Có mặt", **row)
    report = book(cast.base_officer, with_meeting("Điểm danh", ATTENDANCE_HEAD, *others, bad))
    assert problems(report) == [(column, message)]


@pytest.mark.parametrize(
    ("row", "day"),
    [({"Ngày họp": "06/03/2026"}, "06/03/2026"), ({"Loại sinh hoạt": "Chuyên đề"}, "05/03/2026")],
)
def test_attendance_of_a_meeting_not_found(world, cast, people, untouched, row, day):
    p = people
    others = [r for r in march_attendance(p) if r[3] != p.an.code]
    bad = attendance_row(p.an.code, "Có mặt", **row)
    report = book(cast.base_officer, with_meeting("Điểm danh", ATTENDANCE_HEAD, *others, bad))
    # An's row names another meeting, so the meeting of 05/03 lacks An's attendance too.
    assert problems(report) == [
        (
            "Tình trạng",
            f"Members on the roster without attendance (1): Hồ Văn An ({p.an.code}). Minutes are "
            "adopted only when everyone is marked: add their rows to the attendance sheet, or "
            "import the meeting as held.",
        ),
        (
            "Ngày họp",
            f"X01-CB01 has no meeting of this kind on {day}; add it to the meetings sheet.",
        ),
    ]


def test_duplicate_attendance_row(world, cast, people, untouched):
    rows = [*march_attendance(people), attendance_row(people.an.code, "Vắng không lý do")]
    report = book(cast.base_officer, with_meeting("Điểm danh", ATTENDANCE_HEAD, *rows))
    assert problems(report) == [("", "Duplicate of row 4.")]


# Ratings --------------------------------------------------------------------------------------


def with_attendance(people, *ratings, attendance=None):
    sheets = with_meeting("Điểm danh", ATTENDANCE_HEAD, *(attendance or march_attendance(people)))
    sheets["Xếp loại"] = [RATING_HEAD, *ratings]
    return sheets


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            rating_row(14, 18, 40, 18, rating="Khá"),
            "Xếp loại",
            "The rating Khá does not agree with the total 90: under the rules in force on "
            "05/03/2026 that total rates Tốt.",
        ),
        (
            rating_row(total=69, rating="Khá"),
            "Xếp loại",
            "The rating Khá does not agree with the total 69: under the rules in force on "
            "05/03/2026 that total rates Trung bình.",
        ),
        (
            rating_row(14, 18, 40, "", total=90),
            "Điểm kết thúc",
            "Give the points of every part, or only the total.",
        ),
        (
            rating_row(16, 18, 40, 18),
            "Điểm chuẩn bị",
            "preparation: give from 0 to 15 points.",
        ),
        (
            rating_row(14, 18, 40, 18, total=95),
            "Tổng điểm",
            "The total 95 is not the sum of the parts, 90.",
        ),
        (rating_row(total=101), "Tổng điểm", "The total must be from 0 to 100 points."),
        (rating_row(), "Tổng điểm", "Give the points of each part, or the total."),
        (
            rating_row(total="chín mươi"),
            "Tổng điểm",
            "“chín mươi” is not a whole number of 0 or more.",
        ),
        (rating_row(total=-5), "Tổng điểm", "“-5” is not a whole number of 0 or more."),
        (rating_row(total=87.5), "Tổng điểm", "“87.5” is not a whole number of 0 or more."),
        (
            rating_row(total=90, rating="Xuất sắc"),
            "Xếp loại",
            "Unknown value “Xuất sắc”. Allowed: Tốt, Khá, Trung bình, Kém.",
        ),
    ],
)
def test_rating_row_refused(world, cast, people, untouched, row, column, message):
    report = book(cast.base_officer, with_attendance(people, row))
    assert problems(report) == [(column, message)]


def test_good_rating_needs_good_attendance(world, cast, people, untouched):
    p = people
    attendance = [r for r in march_attendance(p) if r[3] != p.an.code]
    attendance.append(attendance_row(p.an.code, "Vắng không lý do"))
    report = book(
        cast.base_officer,
        with_attendance(p, rating_row(14, 18, 40, 18, rating="Tốt"), attendance=attendance),
    )
    # By hand: 4 present of 5 expected (80%, not over 85%) and An absent without reason.
    assert problems(report) == [
        (
            "Xếp loại",
            "The rating Tốt does not hold: the total 90 reaches it, but a meeting is rated so "
            "only with attendance over 85% and nobody absent without reason (here: 4/5 "
            "(80,00%) present, 1 absent without reason), so it rates Khá.",
        )
    ]


def test_rating_before_any_scoring_rule(world, cast, people, untouched):
    day = {"Ngày họp": "05/03/2017"}
    sheets = {
        "Sinh hoạt": [MEETING_HEAD, meeting_row(**day, **{"Tình trạng": "Đã họp"})],
        "Xếp loại": [RATING_HEAD, rating_row(total=90, **day)],
    }
    report = book(cast.base_officer, sheets)
    assert problems(report) == [("", "No rule for scoring meetings was in force on 05/03/2017.")]


def test_rating_with_a_province_checklist_of_other_parts(world, cast, people):
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 1, 1),
        source="Hướng dẫn của Tỉnh ủy",
        province=world.province,
        values={"quality_max": {"noi_dung": 60, "ket_qua": 40}},
    )
    before = meeting_snapshot()
    report = book(cast.base_officer, with_attendance(people, rating_row(14, 18, 40, 18)))
    assert problems(report) == [
        (
            "Điểm chuẩn bị",
            "The checklist in force on 05/03/2026 for this cell has other parts (ket_qua, "
            "noi_dung); give only the total.",
        )
    ]
    assert meeting_snapshot() == before


def test_ratings_need_a_user(world, people, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(xlsx(history_book(people)))
    before = meeting_snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    message = "A score is filled in by a user: run the import as one (chibo import --user)."
    assert err.getvalue().splitlines() == [
        f"history.xlsx › Xếp loại, row {n}, Tổng điểm: {message}" for n in (2, 3, 4)
    ]
    assert meeting_snapshot() == before


def test_one_bad_rating_writes_no_meeting(world, cast, people, untouched):
    sheets = history_book(people)
    sheets["Xếp loại"][3][RATING_HEAD.index("Xếp loại")] = "Tốt"  # 45 points
    report = book(cast.base_officer, sheets)
    assert report.counts()["error"] == 1 and report.counts()["create"] == 13
    assert Meeting.all_objects.count() == 0
