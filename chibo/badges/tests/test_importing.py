"""Party badges from Excel: awards of past occasions, checked against party ages worked out
by hand (first admission, less the time out of the Party), early and posthumous awards, and
the bad input of each rule."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from chibo.badges.importing import BADGES as BADGE_SHEET
from chibo.badges.models import BadgeAward, Early
from chibo.core.sheets import CREATE, UNCHANGED
from chibo.imports.template import template_workbook
from chibo.testing.lifecycle import (
    EVENT_HEAD,
    MEMBER_HEAD,
    commit,
    lifecycle_snapshot,
    problems,
    statuses,
)
from chibo.testing.workbooks import messages

D = dt.date
# The badges sheet's header row (the template's).
BADGE_HEAD = [
    "Mã hồ sơ đảng viên",
    "Huy hiệu (năm tuổi Đảng)",
    "Đợt trao tặng",
    "Số quyết định",
    "Ngày quyết định",
    "Xét sớm",
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the msgids (the default UI language is Vietnamese)."""
    with translation.override("en"):
        yield


MEMBERS = [
    MEMBER_HEAD,
    # 30 years of party age on 19/05/2020, the day of the occasion.
    ["HH-A", "Trịnh Văn An", "Nam", "01/01/1965", "X01-CB01", "19/05/1990", "19/05/1991"],
    # 40 years on 03/02/2015, 45 on 03/02/2020.
    ["HH-B", "Kiều Thị Bé", "Nữ", "01/01/1950", "X01-CB01", "03/02/1975", "03/02/1976"],
    # 30 years on 02/09/2015; awarded on the next occasion but one.
    ["HH-C", "Tạ Văn Chung", "Nam", "01/01/1960", "X01-CB02", "02/09/1985", "02/09/1986"],
    # Out of the Party 01/01/1990 - 01/01/1995: 30 years on 01/01/2015, not 01/01/2010.
    ["HH-D", "Lò Văn Dũng", "Nam", "01/01/1955", "X01-CB01", "01/01/1980", "01/01/1981"],
    # Died 01/01/2016, two months before 30 years (01/03/2016): posthumous.
    ["HH-E", "Vi Thị Én", "Nữ", "01/01/1960", "X01-CB01", "01/03/1986", "01/03/1987"],
    # Seriously ill from 01/06/2015: 30 years on 01/04/2016, seven months after 02/09/2015.
    ["HH-F", "Âu Văn Phú", "Nam", "01/01/1960", "X01-CB01", "01/04/1986", "01/04/1987"],
]
EVENTS = [
    EVENT_HEAD,
    ["HH-D", "Xóa tên", "01/01/1990", "", "", "01-QĐ/HU"],
    ["HH-D", "Kết nạp lại", "01/01/1995", "", "", "02-QĐ/HU"],
    ["HH-E", "Từ trần", "01/01/2016", "", "", ""],
    ["HH-F", "Miễn sinh hoạt", "01/06/2015", "", "Ốm đau", "03-QĐ/ĐU"],
]
BADGES = [
    BADGE_HEAD,
    ["HH-B", 45, "03/02/2020", "60-QĐ/TU", "20/01/2020", ""],  # after the 40: sorted
    ["HH-A", 30, "19/05/2020", "100-QĐ/TU", "10/05/2020", ""],
    ["HH-B", 40, "03/02/2015", "50-QĐ/TU", "20/01/2015", ""],
    ["HH-C", 30, "03/02/2016", "70-QĐ/TU", "25/01/2016", ""],
    ["HH-D", 30, "03/02/2015", "50-QĐ/TU", "20/01/2015", ""],
    ["HH-E", 30, "03/02/2016", "70-QĐ/TU", "25/01/2016", "Truy tặng"],
    ["HH-F", 30, "02/09/2015", "65-QĐ/TU", "25/08/2015", "Ốm đau"],
]


def book(*badge_rows):
    return {"Đảng viên": MEMBERS, "Sự kiện": EVENTS, "Huy hiệu Đảng": [BADGE_HEAD, *badge_rows]}


def test_badge_history(world, cast):
    report = commit(cast.base_officer, book(*BADGES[1:]))
    assert messages(report) == []
    assert statuses(report)["badges"] == [CREATE] * 7
    awards = {
        (a.member.code, a.years): (a.occasion_date, a.decision_number, a.decision_on, a.early)
        for a in BadgeAward.objects.select_related("member")
    }
    assert awards == {
        ("HH-A", 30): (D(2020, 5, 19), "100-QĐ/TU", D(2020, 5, 10), ""),
        ("HH-B", 40): (D(2015, 2, 3), "50-QĐ/TU", D(2015, 1, 20), ""),
        ("HH-B", 45): (D(2020, 2, 3), "60-QĐ/TU", D(2020, 1, 20), ""),
        ("HH-C", 30): (D(2016, 2, 3), "70-QĐ/TU", D(2016, 1, 25), ""),
        ("HH-D", 30): (D(2015, 2, 3), "50-QĐ/TU", D(2015, 1, 20), ""),
        ("HH-E", 30): (D(2016, 2, 3), "70-QĐ/TU", D(2016, 1, 25), Early.POSTHUMOUS),
        ("HH-F", 30): (D(2015, 9, 2), "65-QĐ/TU", D(2015, 8, 25), Early.ILLNESS),
    }
    assert {a.recorded_by for a in BadgeAward.objects.all()} == {cast.base_officer}

    # Again: nothing to write.
    before = lifecycle_snapshot()
    again = commit(cast.base_officer, book(*BADGES[1:]))
    assert messages(again) == []
    assert statuses(again)["badges"] == [UNCHANGED] * 7
    assert lifecycle_snapshot() == before


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["KHONGCO", 30, "19/05/2020", "1-QĐ/TU", "10/05/2020", ""], "Mã hồ sơ đảng viên",
         "Unknown member code KHONGCO."),
        # HH-A reaches 30 years on 19/05/2020: the occasion before is too early.
        (["HH-A", 30, "03/02/2020", "1-QĐ/TU", "20/01/2020", ""], "Huy hiệu (năm tuổi Đảng)",
         "Trịnh Văn An is not due a badge on 03/02/2020."),
        # HH-D: 30 years only on 01/01/2015 once the five years out are taken away.
        (["HH-D", 30, "07/11/2014", "1-QĐ/TU", "01/11/2014", ""], "Huy hiệu (năm tuổi Đảng)",
         "Lò Văn Dũng is not due a badge on 07/11/2014."),
        # 40 years on 03/02/2015, not yet 45.
        (["HH-B", 45, "03/02/2015", "1-QĐ/TU", "20/01/2015", ""], "Huy hiệu (năm tuổi Đảng)",
         "Kiều Thị Bé is not due a badge on 03/02/2015."),
        # Not a badge age of the rules, though reached.
        (["HH-B", 35, "03/02/2015", "1-QĐ/TU", "20/01/2015", ""], "Huy hiệu (năm tuổi Đảng)",
         "Kiều Thị Bé is not due a badge on 03/02/2015."),
        (["HH-A", 30, "20/05/2020", "1-QĐ/TU", "10/05/2020", ""], "Đợt trao tặng",
         "20/05/2020 is not a badge award occasion."),
        (["HH-A", "ba mươi", "19/05/2020", "1-QĐ/TU", "10/05/2020", ""],
         "Huy hiệu (năm tuổi Đảng)", "“ba mươi” is not a whole number of 0 or more."),
        (["HH-A", 30, "19/05/2020", "", "10/05/2020", ""], "Số quyết định",
         "This cell is required."),
        (["HH-A", 30, "19/05/2020", "1-QĐ/TU", "10/05/2020", "Truy tặng"], "Xét sớm",
         "By the rules of 19/05/2020 this award is not “Truy tặng”."),
        (["HH-A", 30, "19/05/2020", "1-QĐ/TU", "10/05/2020", "Sớm"], "Xét sớm",
         "Unknown value “Sớm”. Allowed: Ốm đau, Truy tặng."),
    ],
)  # fmt: skip
def test_badge_row_refused(world, cast, cells, column, message):
    assert commit(cast.base_officer, {"Đảng viên": MEMBERS, "Sự kiện": EVENTS}).committed
    before = lifecycle_snapshot()
    report = commit(cast.base_officer, {"Huy hiệu Đảng": [BADGE_HEAD, cells]})
    assert not report.committed
    assert problems(report) == [(column, message)]
    assert lifecycle_snapshot() == before


def test_held_back_by_discipline(world, cast):
    """A warning on 01/06/2019 holds back for 9 months: until 01/03/2020, after the occasion
    of 03/02/2020."""
    warning = [EVENT_HEAD, ["HH-B", "Cảnh cáo", "01/06/2019", "", "", "05-QĐ/ĐU"]]
    row = ["HH-B", 45, "03/02/2020", "60-QĐ/TU", "20/01/2020", ""]
    report = commit(
        cast.base_officer,
        {"Đảng viên": MEMBERS, "Sự kiện": warning, "Huy hiệu Đảng": [BADGE_HEAD, row]},
    )
    assert not report.committed
    assert problems(report) == [
        (
            "Huy hiệu (năm tuổi Đảng)",
            "Kiều Thị Bé is held back by a discipline decision until 01/03/2020.",
        )
    ]


def test_a_cell_secretary_does_not_record_badges(world, cast):
    assert commit(cast.base_officer, {"Đảng viên": MEMBERS}).committed
    row = ["HH-A", 30, "19/05/2020", "100-QĐ/TU", "10/05/2020", ""]
    report = commit(cast.secretary, {"Huy hiệu Đảng": [BADGE_HEAD, row]})
    assert problems(report) == [
        (
            "Mã hồ sơ đảng viên",
            "Badge awards are recorded by the office of a base committee or a level above it.",
        )
    ]
    assert BadgeAward.objects.count() == 0


def test_duplicate_badge_row(world, cast):
    row = ["HH-A", 30, "19/05/2020", "100-QĐ/TU", "10/05/2020", ""]
    report = commit(cast.base_officer, book(row, row))
    assert ("", "Duplicate of row 2.") in problems(report)
    assert BadgeAward.objects.count() == 0


def test_past_awards_as_recorded(world, cast):
    """Recorded history, which the list of the day would not offer: HH-B's 40-year badge
    entered after the 45-year one already in Chibo, and the 30-year badge given late, on
    02/09/2015, when HH-B had 40 years of party age already."""
    first = commit(
        cast.base_officer, book(["HH-B", 45, "03/02/2020", "60-QĐ/TU", "20/01/2020", ""])
    )
    assert first.committed, messages(first)
    later = [
        ["HH-B", 40, "03/02/2015", "50-QĐ/TU", "20/01/2015", ""],
        ["HH-B", 30, "02/09/2015", "66-QĐ/TU", "25/08/2015", ""],
    ]
    report = commit(cast.base_officer, {"Huy hiệu Đảng": [BADGE_HEAD, *later]})
    assert messages(report) == []
    assert statuses(report) == {"badges": [CREATE, CREATE]}
    assert sorted(
        BadgeAward.objects.filter(member__code="HH-B").values_list("years", "occasion_date")
    ) == [(30, D(2015, 9, 2)), (40, D(2015, 2, 3)), (45, D(2020, 2, 3))]


def test_a_recorded_award_is_not_changed(world, cast):
    row = ["HH-A", 30, "19/05/2020", "100-QĐ/TU", "10/05/2020", ""]
    assert commit(cast.base_officer, book(row)).committed
    before = lifecycle_snapshot()
    row[3] = "101-QĐ/TU"
    report = commit(cast.base_officer, {"Huy hiệu Đảng": [BADGE_HEAD, row]})
    assert problems(report) == [
        (
            "Số quyết định",
            "Chibo already records “100-QĐ/TU” here, and an import does not change it; leave "
            "the cell empty to keep it.",
        )
    ]
    assert lifecycle_snapshot() == before


def test_the_template_holds_the_badges_sheet():
    """Every column, as the header row of its sheet (from the lifecycle sheets' round trip,
    chibo/development/tests/importing/test_import.py)."""
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb[BADGE_SHEET.title][1]] == [c.label for c in BADGE_SHEET.columns]
