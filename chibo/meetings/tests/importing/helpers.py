"""Workbooks of past meetings, the cell whose roster they use, and what the database holds."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chibo.meetings.models import Attendance, Meeting, QualityScore
from chibo.members import services as ms
from chibo.members.models import EventKind, Member
from chibo.testing import factories as f
from chibo.testing.workbooks import snapshot

MEETING_HEAD = [
    "Mã chi bộ",
    "Ngày họp",
    "Giờ bắt đầu",
    "Giờ kết thúc",
    "Loại sinh hoạt",
    "Chuyên đề",
    "Địa điểm",
    "Kết hợp sinh hoạt thường kỳ",
    "Nghị quyết",
    "Tình trạng",
]
ATTENDANCE_HEAD = [
    "Mã chi bộ",
    "Ngày họp",
    "Loại sinh hoạt",
    "Mã hồ sơ đảng viên",
    "Dự họp",
    "Lý do vắng",
    "Đến muộn",
    "Về sớm",
]
RATING_HEAD = [
    "Mã chi bộ",
    "Ngày họp",
    "Loại sinh hoạt",
    "Điểm chuẩn bị",
    "Điểm dự họp",
    "Điểm tiến hành",
    "Điểm kết thúc",
    "Tổng điểm",
    "Xếp loại",
]
MARCH_5 = "05/03/2026"  # after 42-HD/BTCTW (28/10/2025): 90 minutes at least


@dataclass
class People:
    """X01-CB01 on 05/03/2026, one of each kind of roster row."""

    hung: Member  # official (world.member)
    secretary: Member  # official (the cast's secretary)
    an: Member  # official
    binh: Member  # probationary: admitted 01/12/2025
    chi: Member  # official, exempt from activities since 01/01/2025
    dung: Member  # official, on temporary transfer to X02-CB01 since 01/02/2026: away
    em: Member  # of X01-CB02, temporarily here since 01/02/2026: hosted
    dao: Member  # official in X01-CB02 (world.member2)
    late_comer: Member  # placed in X01-CB01 from 01/04/2026 only
    candidate: Member  # placed from 01/01/2026, admitted 01/04/2026: not yet in the Party


def make_people(world, cast) -> People:
    """The `people` fixture (conftest.py)."""
    cell = world.cell
    chi = f.member(cell, full_name="Lê Thị Chi", code="DV-CHI")
    ms.event_create(actor=None, member=chi, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1))
    dung = f.member(cell, full_name="Võ Văn Dũng", code="DV-DUNG")
    ms.placement_create(
        actor=None, member=dung, unit=world.other_cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    em = f.member(world.cell2, full_name="Đặng Thị Em", code="DV-EM")
    ms.placement_create(
        actor=None, member=em, unit=cell, start=dt.date(2026, 2, 1), kind="temporary"
    )
    return People(
        hung=world.member,
        secretary=cast.secretary.member,
        an=f.member(cell, full_name="Hồ Văn An", code="DV-AN"),
        binh=f.member(
            cell,
            full_name="Bùi Thị Bình",
            code="DV-BINH",
            admitted_on=dt.date(2025, 12, 1),
            official_on=None,
        ),
        chi=chi,
        dung=dung,
        em=em,
        dao=world.member2,
        late_comer=f.member(
            cell,
            full_name="Mai Văn Muộn",
            code="DV-MUON",
            admitted_on=dt.date(2026, 4, 1),
            official_on=None,
        ),
        candidate=f.member(
            cell,
            full_name="Tạ Văn Chờ",
            code="DV-CHO",
            admitted_on=dt.date(2026, 4, 1),
            placed_since=dt.date(2026, 1, 1),
            official_on=None,
        ),
    )


def meeting_row(**changes: Any) -> list[Any]:
    row = dict(
        zip(
            MEETING_HEAD,
            [
                "X01-CB01",
                MARCH_5,
                "19:30",
                "21:30",
                "Thường kỳ",
                "",
                "Nhà văn hóa thôn Đông",
                "",
                "Chi bộ thống nhất thu đảng phí quý I.",
                "Đã thông qua biên bản",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def attendance_row(code: str, presence: str, reason: str = "", **changes: Any) -> list[Any]:
    row = dict(
        zip(
            ATTENDANCE_HEAD,
            ["X01-CB01", MARCH_5, "Thường kỳ", code, presence, reason, "", ""],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def rating_row(*points: Any, total: Any = "", rating: str = "", **changes: Any) -> list[Any]:
    parts = list(points) or ["", "", "", ""]
    row = dict(
        zip(
            RATING_HEAD,
            ["X01-CB01", MARCH_5, "Thường kỳ", *parts, total, rating],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def march_attendance(p: People) -> list[list[Any]]:
    """Everyone on the roster of 05/03/2026 (the candidate and the late comer are not)."""
    return [
        attendance_row(p.hung.code, "Có mặt"),
        attendance_row(p.secretary.code, "Có mặt", **{"Đến muộn": "x"}),
        attendance_row(p.an.code, "Có mặt", **{"Về sớm": "Có"}),
        attendance_row(p.binh.code, "Có mặt"),
        attendance_row(p.chi.code, "Miễn sinh hoạt"),
        attendance_row(p.dung.code, "Vắng có lý do", "Sinh hoạt tạm thời ở chi bộ khác"),
        attendance_row(p.em.code, "present"),
    ]


def history_book(p: People) -> dict[str, list[list[Any]]]:
    """Three past meetings of March 2026: two of X01-CB01 with their minutes adopted, one of
    X01-CB02 held (minutes in draft), with attendance and scores."""
    cb02 = {"Mã chi bộ": "x01-cb02", "Ngày họp": dt.datetime(2026, 3, 10)}
    return {
        "Sinh hoạt": [
            MEETING_HEAD,
            meeting_row(),
            meeting_row(
                **{
                    "Ngày họp": "20/03/2026",
                    "Giờ bắt đầu": "8h00",
                    "Giờ kết thúc": "10h30",
                    "Loại sinh hoạt": "Chuyên đề",
                    "Chuyên đề": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                    "Kết hợp sinh hoạt thường kỳ": "Không",
                    "Nghị quyết": "",
                    "Tình trạng": "",
                }
            ),
            meeting_row(
                **cb02,
                **{
                    "Giờ bắt đầu": dt.time(14, 0),
                    "Giờ kết thúc": dt.time(15, 0),
                    "Loại sinh hoạt": "",
                    "Địa điểm": "",
                    "Nghị quyết": "",
                    "Tình trạng": "Đã họp",
                },
            ),
        ],
        "Điểm danh": [
            ATTENDANCE_HEAD,
            *march_attendance(p),
            # Em is away from X01-CB02 (on the roster, not expected) and left unmarked: held
            # minutes may wait for the rest of the attendance.
            attendance_row(p.dao.code, "Có mặt", **cb02),
        ],
        "Xếp loại": [
            RATING_HEAD,
            rating_row(14, 18, 40, 18, rating="Tốt"),
            rating_row(
                total=75, rating="Khá", **{"Ngày họp": "20/03/2026", "Loại sinh hoạt": "Chuyên đề"}
            ),
            rating_row(10, 10, 20, 5, total=45, rating="Kém", **cb02),
        ],
    }


def meeting_snapshot() -> dict[str, Any]:
    """Everything a meetings import can write, history included, with each meeting's version
    and counts: a re-import that changes nothing leaves all of it as it was."""
    counts: dict[str, Any] = snapshot()
    for model in (Meeting, Attendance, QualityScore):
        manager = getattr(model, "all_objects", model.objects)
        counts[model.__name__] = manager.count()
        counts[f"history:{model.__name__}"] = model.history.model.objects.count()
    counts["meetings"] = sorted(
        Meeting.all_objects.values_list("pk", "version", "state", "present_count", "expected_count")
    )
    return counts
