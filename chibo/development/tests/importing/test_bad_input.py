"""A test for each rule of the candidates and reviews sheets: the message people read, on the
right column, and that nothing at all was written."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from chibo.development.tests.builders import candidate as build_candidate
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.testing import factories as f
from chibo.testing.lifecycle import (
    CANDIDATE_HEAD,
    REVIEW_HEAD,
    candidate_row,
    commit,
    problems,
    refused,
    sheet_problems,
)

D = dt.date


@pytest.fixture
def newcomer(world):
    """A probationary member of X01-CB01 (admitted 01/06/2024), not yet official."""
    return f.member(
        world.cell, code="MOI", full_name="Lê Văn Mới", admitted_on=D(2024, 6, 1), official_on=None
    )


@pytest.fixture
def probationer(world):
    """Admitted 20/03/2025, ceremony 10/04/2025: probation ends 10/04/2026."""
    member = f.member(world.cell, code="DUBI", admitted_on=D(2025, 3, 20), official_on=None)
    ms.event_create(actor=None, member=member, kind=EventKind.CEREMONY, date=D(2025, 4, 10))
    return member


def candidates(*rows):
    return {"Quần chúng ưu tú": [CANDIDATE_HEAD, *rows]}


# Candidates -------------------------------------------------------------------------------------

INTRODUCER_1 = "Mã hồ sơ người giới thiệu 1"
SINCE_1 = "Người giới thiệu 1 công tác cùng từ ngày"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Mã chi bộ": "X09"}, "Mã chi bộ", "Unknown unit code X09."),
        # Outside the base officer's units reads as unknown.
        ({"Mã chi bộ": "X02-CB01"}, "Mã chi bộ", "Unknown unit code X02-CB01."),
        (
            {"Mã chi bộ": "X01"},
            "Mã chi bộ",
            "A candidate is proposed by a cell that holds members.",
        ),
        ({"Giới tính": "Khác"}, "Giới tính", "Unknown value “Khác”. Allowed: Nam, Nữ."),
        (
            {"Ngày sinh": "31/02/1995"},
            "Ngày sinh",
            "“31/02/1995” is not a date; write it as dd/mm/yyyy.",
        ),
        ({"Ngày chi bộ đề xuất": ""}, "Ngày chi bộ đề xuất", "This cell is required."),
        (
            {"Số phiếu tán thành": "sáu"},
            "Số phiếu tán thành",
            "“sáu” is not a whole number of 0 or more.",
        ),
        ({INTRODUCER_1: "KHONGCO"}, INTRODUCER_1, "Unknown member code KHONGCO."),
        (
            {"Ngày hoàn thành lớp bồi dưỡng": "01/09/2024"},
            "Ngày hoàn thành lớp bồi dưỡng",
            "The class cannot be completed before the proposal (02/09/2024).",
        ),
        # The day after the latest "since" (10/02/2024, twelve months before the introduction).
        (
            {SINCE_1: "11/02/2024"},
            SINCE_1,
            "Nguyễn Văn Hùng must have worked with the candidate for at least 12 months by "
            "10/02/2025, that is since 10/02/2024 or earlier.",
        ),
        (
            {"Mã hồ sơ người giới thiệu 2": "HUNG"},
            "Mã hồ sơ người giới thiệu 2",
            "The two introducers must be different people.",
        ),
        (
            {"Mã hồ sơ người giới thiệu 2": "", "Người giới thiệu 2 công tác cùng từ ngày": ""},
            "Mã hồ sơ người giới thiệu 2",
            "Name a second introducer, or the union's introduction in place of one.",
        ),
        # 2/3 of 9 is 6: five is one short.
        (
            {"Số phiếu tán thành": 5},
            "Số phiếu tán thành",
            "5 of 9 official members voted for the admission: at least 6 (2/3) are needed.",
        ),
        (
            {"Số phiếu tán thành": 10},
            "Số phiếu tán thành",
            "More votes for than members entitled to vote.",
        ),
        (
            {"Ngày chi bộ biểu quyết": "09/02/2025"},
            "Ngày chi bộ biểu quyết",
            "The vote cannot come before the introduction (10/02/2025).",
        ),
        # Born 01/01/1964: over 60 on the day of the vote, with no approval.
        (
            {"Ngày sinh": "01/01/1964"},
            "Văn bản đồng ý kết nạp quá tuổi",
            "The candidate was over 60 on the day of the vote: give the higher level's approval.",
        ),
        (
            {"Số đảng viên chính thức": ""},
            "Số đảng viên chính thức",
            "Required to record this step: Cell vote passed.",
        ),
        (
            {"Ngày giới thiệu": "", INTRODUCER_1: "", SINCE_1: ""}
            | {"Mã hồ sơ người giới thiệu 2": "", "Người giới thiệu 2 công tác cùng từ ngày": ""},
            "Ngày chi bộ biểu quyết",
            "Record the earlier steps first (the candidate is at: Party class completed).",
        ),
        (
            {"Số quyết định kết nạp": "15-QĐ/ĐU", "Mã hồ sơ đảng viên": "KN-001"},
            "Ngày quyết định kết nạp",
            "Required to record this step: Admission decided.",
        ),
        (
            {
                "Số quyết định kết nạp": "15-QĐ/ĐU",
                "Ngày quyết định kết nạp": "04/03/2025",
                "Mã hồ sơ đảng viên": "KN-001",
            },
            "Ngày quyết định kết nạp",
            "The decision cannot come before the cell's vote (05/03/2025).",
        ),
        (
            {
                "Số quyết định kết nạp": "15-QĐ/ĐU",
                "Ngày quyết định kết nạp": "20/03/2025",
                "Mã hồ sơ đảng viên": "BITHU",
            },
            "Mã hồ sơ đảng viên",
            "The record code BITHU is already in use. The admission decision creates the "
            "member's record: leave a member admitted through this sheet out of the members "
            "sheet.",
        ),
        (
            {"Ngày lễ kết nạp": "10/04/2025"},
            "Ngày lễ kết nạp",
            "Record the earlier steps first (the candidate is at: Cell vote passed).",
        ),
        (
            {"Ngày thôi xem xét": "01/05/2025"},
            "Lý do thôi xem xét",
            "Required to record this step: No longer a candidate.",
        ),
    ],
)
def test_candidate_row_refused(world, cast, introducers, changes, column, message):
    assert refused(cast.base_officer, candidates(candidate_row(**changes))) == [(column, message)]


def test_introducer_not_official(world, cast, introducers, newcomer):
    row = candidate_row(**{INTRODUCER_1: "MOI"})
    assert refused(cast.base_officer, candidates(row)) == [
        (
            INTRODUCER_1,
            "Lê Văn Mới was not an official member on 10/02/2025: an introducer must be.",
        )
    ]


def test_introducer_months_day_of_the_limit(world, cast, introducers):
    """Since 10/02/2024, exactly twelve months before the introduction: enough."""
    report = commit(cast.base_officer, candidates(candidate_row(**{SINCE_1: "10/02/2024"})))
    assert report.committed, problems(report)


def test_over_age_with_approval(world, cast, introducers):
    row = candidate_row(
        **{"Ngày sinh": "01/01/1964", "Văn bản đồng ý kết nạp quá tuổi": "12-CV/HU"}
    )
    report = commit(cast.base_officer, candidates(row))
    assert report.committed, problems(report)


def test_born_on_29_february(world, cast, introducers):
    """Born 29/02/2008: 18 on 28/02/2026 (no 29/02 that year); a vote on 27/02 is too early."""
    cells = {
        "Ngày sinh": "29/02/2008",
        "Ngày chi bộ đề xuất": "02/09/2025",
        "Ngày hoàn thành lớp bồi dưỡng": "20/11/2025",
        "Ngày giới thiệu": "10/02/2026",
        "Ngày chi bộ biểu quyết": "27/02/2026",
    }
    assert refused(cast.base_officer, candidates(candidate_row(**cells))) == [
        (
            "Ngày chi bộ biểu quyết",
            "The candidate turns 18 only on 28/02/2026: too young on the day of the vote.",
        )
    ]
    cells["Ngày chi bộ biểu quyết"] = "28/02/2026"
    assert commit(cast.base_officer, candidates(candidate_row(**cells))).committed


def test_no_rule_before_2011(world, cast, introducers):
    """The rules Chibo holds start on 19/01/2011: an introduction of 2010 cannot be checked."""
    veteran = f.member(world.cell, code="CUU", admitted_on=D(1990, 1, 1))
    cells = {
        "Ngày sinh": "12/04/1985",
        "Ngày chi bộ đề xuất": "02/09/2009",
        "Ngày hoàn thành lớp bồi dưỡng": "20/11/2009",
        "Ngày giới thiệu": "10/02/2010",
        INTRODUCER_1: veteran.code,
        SINCE_1: "01/01/2008",
        "Mã hồ sơ người giới thiệu 2": "",
        "Người giới thiệu 2 công tác cùng từ ngày": "",
        "Đoàn thể giới thiệu": "NQ 01/NQ-ĐTN",
        "Ngày chi bộ biểu quyết": "",
        "Số phiếu tán thành": "",
        "Số đảng viên chính thức": "",
    }
    assert refused(cast.base_officer, candidates(candidate_row(**cells))) == [
        (
            "Ngày giới thiệu",
            "No regulation in force on 10/02/2010 sets this rule (introducer_min_months).",
        )
    ]


def test_candidate_in_the_future(world, cast, introducers):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    row = candidate_row(**{"Ngày chi bộ đề xuất": tomorrow.strftime("%d/%m/%Y")})
    assert refused(cast.base_officer, candidates(row)) == [
        ("Ngày chi bộ đề xuất", "The date cannot be in the future.")
    ]


def test_duplicate_candidate(world, cast, introducers):
    # The same cell, name (without accents) and birth date twice.
    second = candidate_row(**{"Họ và tên": "LE THI MAI", "Mã chi bộ": "x01-cb01"})
    assert refused(cast.base_officer, candidates(candidate_row(), second)) == [
        ("", "Duplicate of row 2.")
    ]


def test_missing_candidate_column(world, cast, introducers):
    head = [h for h in CANDIDATE_HEAD if h != "Ngày chi bộ đề xuất"]
    row = [v for h, v in zip(CANDIDATE_HEAD, candidate_row(), strict=True) if h in head]
    assert sheet_problems(cast.base_officer, {"Quần chúng ưu tú": [head, row]}) == [
        "Missing column “Ngày chi bộ đề xuất”."
    ]


def test_a_cell_does_not_admit_its_own_members(world, cast, introducers):
    row = candidate_row(
        **{
            "Số quyết định kết nạp": "15-QĐ/ĐU",
            "Ngày quyết định kết nạp": "20/03/2025",
            "Mã hồ sơ đảng viên": "KN-001",
        }
    )
    assert refused(cast.secretary, candidates(row)) == [
        (
            "Số quyết định kết nạp",
            "The admission decision and the ceremony are recorded by the office of the "
            "committee above the cell.",
        )
    ]


def test_a_recorded_decision_is_not_changed(world, cast, introducers):
    c = build_candidate(world.cell, "decided", introducers=introducers)
    row = candidate_row(
        **{
            "Số giấy chứng nhận": "LCT-1",  # as the builder recorded it
            "Số quyết định kết nạp": "99-QĐ/ĐU",
            "Ngày quyết định kết nạp": "20/03/2025",
            "Mã hồ sơ đảng viên": c.member.code,
        }
    )
    assert refused(cast.base_officer, candidates(row)) == [
        (
            "Số quyết định kết nạp",
            f"Chibo already records “{c.decision_number}” here, and an import does not change "
            "it; leave the cell empty to keep it.",
        )
    ]


def test_an_earlier_step_is_not_changed_after_a_later_one(world, cast, introducers):
    build_candidate(world.cell, "voted", introducers=introducers)
    row = candidate_row(**{"Số giấy chứng nhận": "LCT-99"})
    assert refused(cast.base_officer, candidates(row)) == [
        ("Số giấy chứng nhận", "A later step is already recorded; this one can no longer change.")
    ]


def test_messages_in_vietnamese(world, cast, introducers):
    with translation.override("vi"):
        found = refused(cast.base_officer, candidates(candidate_row(**{"Mã chi bộ": "X09"})))
    assert found == [("Mã chi bộ", "Không tìm thấy đơn vị có mã X09.")]


# Reviews ----------------------------------------------------------------------------------------


def reviews(*rows):
    return {"Xét chính thức": [REVIEW_HEAD, *rows]}


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["KHONGCO", "20/04/2026", 7, 9, "", "", ""], "Mã hồ sơ đảng viên",
         "Unknown member code KHONGCO."),
        # The day before the probation ends.
        (["DUBI", "09/04/2026", 7, 9, "", "", ""], "Ngày chi bộ biểu quyết",
         "The probation ends on 10/04/2026: the cell votes from then on."),
        (["DUBI", "20/04/2026", 6, 10, "Công nhận", "", ""], "Số phiếu tán thành",
         "6 of 10 official members voted for recognition: at least 7 (2/3) are needed."),
        (["DUBI", "20/04/2026", 7, 10, "Xóa tên", "", ""], "Chi bộ đề nghị",
         "The vote reached the majority for recognition: the cell cannot propose removal."),
        (["DUBI", "20/04/2026", 11, 10, "", "", ""], "Số phiếu tán thành",
         "More votes for than members entitled to vote."),
        (["DUBI", "20/04/2026", 7, 0, "", "", ""], "Số đảng viên chính thức",
         "At least one member must be entitled to vote."),
        (["DUBI", "20/04/2026", 7, 9, "", "20-QĐ/ĐU", ""], "Ngày quyết định",
         "Give both the decision's number and its date, or neither."),
        (["DUBI", "20/04/2026", 7, 9, "", "20-QĐ/ĐU", "19/04/2026"], "Ngày quyết định",
         "The decision cannot come before the cell's vote (20/04/2026)."),
        (["DUBI", "20/04/2026", "bảy", 9, "", "", ""], "Số phiếu tán thành",
         "“bảy” is not a whole number of 0 or more."),
        (["DUBI", "20/04/2026", 7, 9, "Chưa rõ", "", ""], "Chi bộ đề nghị",
         "Unknown value “Chưa rõ”. Allowed: Công nhận chính thức, Đề nghị xóa tên."),
        # No ceremony recorded for MOI: no probation to end.
        (["MOI", "20/04/2026", 7, 9, "", "", ""], "Ngày chi bộ biểu quyết",
         "No admission ceremony is recorded: the probation has no end date yet."),
    ],
)  # fmt: skip
def test_review_row_refused(world, cast, probationer, newcomer, cells, column, message):
    assert refused(cast.base_officer, reviews(cells)) == [(column, message)]


def test_review_on_the_day_probation_ends(world, cast, probationer):
    assert commit(cast.base_officer, reviews(["DUBI", "10/04/2026", 7, 9, "", "", ""])).committed


def test_a_cell_does_not_decide_its_reviews(world, cast, probationer):
    row = ["DUBI", "20/04/2026", 7, 9, "", "20-QĐ/ĐU", "05/05/2026"]
    assert refused(cast.secretary, reviews(row)) == [
        (
            "Ngày quyết định",
            "The decision is recorded by the office of the committee above the cell.",
        )
    ]


def test_a_recorded_vote_is_not_changed(world, cast, probationer):
    assert commit(cast.base_officer, reviews(["DUBI", "20/04/2026", 7, 9, "", "", ""])).committed
    assert refused(cast.base_officer, reviews(["DUBI", "20/04/2026", 8, 9, "", "", ""])) == [
        (
            "Số phiếu tán thành",
            "Chibo already records “7” here, and an import does not change it; leave the cell "
            "empty to keep it.",
        )
    ]


def test_duplicate_review(world, cast, probationer):
    row = ["DUBI", "20/04/2026", 7, 9, "", "", ""]
    assert refused(cast.base_officer, reviews(row, row)) == [("", "Duplicate of row 2.")]


def test_missing_review_column(world, cast, probationer):
    head = [h for h in REVIEW_HEAD if h != "Số phiếu tán thành"]
    assert sheet_problems(
        cast.base_officer, {"Xét chính thức": [head, ["DUBI", "20/04/2026", 9, "", "", ""]]}
    ) == ["Missing column “Số phiếu tán thành”."]
