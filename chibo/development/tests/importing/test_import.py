"""Member histories from Excel: candidates, events, official reviews and transfers, checked
against stages, statuses and counts worked out by hand from the workbook below."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chibo.core.sheets import CREATE, UNCHANGED, UPDATE
from chibo.development.importing.sheets import CANDIDATES, REVIEWS
from chibo.development.models import Candidate, OfficialReview, Outcome, Stage
from chibo.development.queries import ceremony_deadline
from chibo.imports.services import import_commit, import_preview
from chibo.imports.template import template_workbook
from chibo.members.importing.sheets import TRANSFERS
from chibo.members.models import (
    EventKind,
    ExemptionReason,
    Member,
    Placement,
    Status,
    Transfer,
    TransferState,
)
from chibo.rules.models import RuleVersion
from chibo.testing.lifecycle import (
    CANDIDATE_HEAD,
    EVENT_HEAD,
    HUNG,
    MEMBER_HEAD,
    REVIEW_HEAD,
    TRANSFER_HEAD,
    candidate_row,
    commit,
    events_of,
    lifecycle_snapshot,
    official_cells,
    status_on,
    statuses,
)
from chibo.testing.workbooks import messages, xlsx

D = dt.date
# The later steps of candidate_row, to blank for a candidate who stopped before them.
CLASS = ("Ngày hoàn thành lớp bồi dưỡng", "Số giấy chứng nhận")
INTRO = (
    "Ngày giới thiệu",
    "Mã hồ sơ người giới thiệu 1",
    "Người giới thiệu 1 công tác cùng từ ngày",
    "Mã hồ sơ người giới thiệu 2",
    "Người giới thiệu 2 công tác cùng từ ngày",
)
VOTE = ("Ngày chi bộ biểu quyết", "Số phiếu tán thành", "Số đảng viên chính thức")


def blank(*groups: tuple[str, ...]) -> dict[str, str]:
    return {h: "" for group in groups for h in group}


def decided(number: str, day: str, code: str, ceremony: str = "") -> dict[str, str]:
    return {
        "Số quyết định kết nạp": number,
        "Ngày quyết định kết nạp": day,
        "Mã hồ sơ đảng viên": code,
        "Ngày lễ kết nạp": ceremony,
    }


def history(dao_code: str) -> dict[str, list[list]]:
    """The workbook. Dates by hand: probation 12 months from the ceremony (KN-002: ends
    10/04/2026; KN-003: 15/04/2026; IMP-CER: 20/06/2026)."""
    return {
        "Đảng viên": [
            MEMBER_HEAD,
            ["IMP-CER", "Đinh Văn Cường", "Nam", "03/03/1992", "X01-CB01", "02/06/2025", ""],
            ["IMP-T", "Mai Thị Tâm", "Nữ", "08/08/1985", "X01-CB01", "19/05/2015", "19/05/2016"],
            ["IMP-P", "Hà Văn Phúc", "Nam", "10/01/1980", "X01-CB01", "10/01/2012", "10/01/2013"],
            ["IMP-R", "Lưu Văn Rạng", "Nam", "02/02/1975", "X01-CB01", "03/02/2014", "03/02/2015"],
        ],
        "Quần chúng ưu tú": [
            CANDIDATE_HEAD,
            candidate_row(**blank(CLASS, INTRO, VOTE)),  # Lê Thị Mai: proposed
            candidate_row(
                **{"Họ và tên": "Trần Văn Nam", "Giới tính": "Nam", "Ngày sinh": "01/06/1996"},
                **blank(INTRO, VOTE),
            ),
            candidate_row(**{"Họ và tên": "Đỗ Thị Hoa", "Ngày sinh": "15/07/1990"}, **blank(VOTE)),
            candidate_row(**{"Họ và tên": "Phan Văn Long", "Giới tính": "Nam"}),
            candidate_row(
                **{"Họ và tên": "Vũ Thị Thu"}, **decided("15-QĐ/ĐU", "20/03/2025", "KN-001")
            ),
            candidate_row(
                **{"Họ và tên": "Ngô Văn Hải", "Giới tính": "Nam"},
                **decided("16-QĐ/ĐU", "20/03/2025", "KN-002", "10/04/2025"),
            ),
            candidate_row(
                **{"Họ và tên": "Lý Văn Tú", "Giới tính": "Nam"},
                **decided("17-QĐ/ĐU", "25/03/2025", "KN-003", "15/04/2025"),
            ),
            candidate_row(
                **{
                    "Mã chi bộ": "X01-CB02",
                    "Họ và tên": "Bùi Thị Lan",
                    "Mã hồ sơ người giới thiệu 2": "",
                    "Người giới thiệu 2 công tác cùng từ ngày": "",
                    "Đoàn thể giới thiệu": "NQ 03/NQ-ĐTN",
                    "Ngày thôi xem xét": "01/05/2025",
                    "Lý do thôi xem xét": "Chuyển nơi cư trú",
                },
                **blank(VOTE),
            ),
        ],
        "Sự kiện": [
            EVENT_HEAD,
            [HUNG, "Miễn sinh hoạt", "01/06/2025", "31/12/2025", "Ốm đau", "08-QĐ/CB"],
            ["IMP-CER", "Lễ kết nạp", "20/06/2025", "", "", ""],
            ["KN-001", "Khiển trách", "01/09/2025", "", "", "02-QĐ/CB"],
        ],
        "Xét chính thức": [
            REVIEW_HEAD,
            ["KN-002", "20/04/2026", 7, 9, "Công nhận chính thức", "20-QĐ/ĐU", "05/05/2026"],
            ["KN-003", "25/04/2026", 5, 9, "", "21-QĐ/ĐU", "10/05/2026"],
            ["IMP-CER", "25/06/2026", 8, 9, "", "", ""],
        ],
        # Not in the order sent (IMP-R's return comes first): the sheet is taken in that order.
        "Chuyển sinh hoạt": [
            TRANSFER_HEAD,
            ["IMP-R", "Chính thức", "X01-CB02", "X01-CB01", "11-GGT/ĐU", "01/05/2026",
             "05/05/2026", ""],
            [dao_code, "Chính thức", "X01-CB02", "X01-CB01", "05-GGT/ĐU", "01/02/2026",
             "10/02/2026", ""],
            [HUNG, "Tạm thời", "X01-CB01", "X01-CB02", "09-GGT/CB", "01/04/2026", "03/04/2026",
             "01/07/2026"],
            ["IMP-T", "Chính thức", "X01-CB01", "X01-CB02", "01-GGT/ĐU", "15/01/2026",
             "20/01/2026", ""],
            ["IMP-P", "Chính thức", "X01-CB01", "X02-CB01", "07-GGT/ĐU", "01/03/2026", "", ""],
            ["IMP-R", "Chính thức", "X01-CB01", "X01-CB02", "10-GGT/ĐU", "01/10/2025",
             "05/10/2025", ""],
        ],
    }  # fmt: skip


def placed(cell, day: dt.date) -> set[str]:
    return set(Member.objects.placed_in(cell, day).values_list("code", flat=True))


def test_history_workbook(world, cast, introducers):
    dao = world.member2.code
    report = commit(cast.base_officer, history(dao))
    assert messages(report) == []
    assert report.committed
    assert statuses(report) == {
        "members": [CREATE] * 4,
        "candidates": [CREATE] * 8,
        "events": [CREATE] * 3,
        "reviews": [CREATE] * 3,
        "transfers": [CREATE] * 6,
    }

    # Candidates: the stage each row reached, by hand from its filled cells.
    stages = {c.full_name: c.stage for c in Candidate.objects.select_related("member")}
    assert stages == {
        "Lê Thị Mai": Stage.PROPOSED,
        "Trần Văn Nam": Stage.CLASS_DONE,
        "Đỗ Thị Hoa": Stage.INTRODUCED,
        "Phan Văn Long": Stage.VOTED,
        "Vũ Thị Thu": Stage.DECIDED,
        "Ngô Văn Hải": Stage.ADMITTED,
        "Lý Văn Tú": Stage.ADMITTED,
        "Bùi Thị Lan": Stage.DROPPED,
    }
    long = Candidate.objects.get(full_name="Phan Văn Long")
    assert (long.introducer_1, long.introducer_2) == introducers
    assert (long.votes_for, long.votes_eligible, long.class_certificate) == (6, 9, "LCT-01")
    lan = Candidate.objects.get(full_name="Bùi Thị Lan")
    assert (lan.cell, lan.introducer_2, lan.union_introduction) == (
        world.cell2,
        None,
        "NQ 03/NQ-ĐTN",
    )
    assert (lan.dropped_on, lan.drop_reason) == (D(2025, 5, 1), "Chuyển nơi cư trú")

    # The decisions created the records: probationary from the decision, in the cell.
    thu = Member.objects.get(code="KN-001")
    assert thu.candidacy.full_name == "Vũ Thị Thu"
    assert official_cells("KN-001") == [("X01-CB01", D(2025, 3, 20), None)]
    assert events_of("KN-001") == [
        (EventKind.ADMITTED, D(2025, 3, 20), "15-QĐ/ĐU"),
        (EventKind.REPRIMAND, D(2025, 9, 1), "02-QĐ/CB"),
    ]
    assert (status_on("KN-001", D(2025, 3, 19)), status_on("KN-001", D(2025, 3, 20))) == (
        "",
        Status.PROBATIONARY,
    )

    # Reviews: recognition counts from the end of the probation; removal from the decision.
    hai = Member.objects.get(code="KN-002")
    assert (hai.ceremony_on, hai.probation_ends_on, hai.official_on) == (
        D(2025, 4, 10),
        D(2026, 4, 10),
        D(2026, 4, 10),
    )
    assert status_on("KN-002", D(2026, 4, 9)) == Status.PROBATIONARY
    assert status_on("KN-002", D(2026, 4, 10)) == Status.OFFICIAL
    assert status_on("KN-003", D(2026, 5, 9)) == Status.PROBATIONARY
    assert status_on("KN-003", D(2026, 5, 10)) == Status.REMOVED
    reviews = {
        r.member.code: (r.outcome, r.probation_ended_on, r.decision_number, r.decision_on)
        for r in OfficialReview.objects.select_related("member")
    }
    assert reviews == {
        "KN-002": (Outcome.RECOGNISE, D(2026, 4, 10), "20-QĐ/ĐU", D(2026, 5, 5)),
        "KN-003": (Outcome.REMOVE, D(2026, 4, 15), "21-QĐ/ĐU", D(2026, 5, 10)),
        # The ceremony came from the events sheet; 8 of 9: recognition, awaiting the decision.
        "IMP-CER": (Outcome.RECOGNISE, D(2026, 6, 20), "", None),
    }
    assert OfficialReview.objects.get(member__code="KN-002").recorded_by == cast.base_officer
    assert status_on("IMP-CER", D(2026, 7, 1)) == Status.PROBATIONARY

    # Events: the exemption's reason; the ceremony starts the probation.
    exemption = world.member.events.get(kind=EventKind.EXEMPTED)
    assert (exemption.date, exemption.end_date, exemption.reason) == (
        D(2025, 6, 1),
        D(2025, 12, 31),
        ExemptionReason.ILLNESS,
    )
    cuong = Member.objects.get(code="IMP-CER")
    assert (cuong.ceremony_on, cuong.probation_ends_on) == (D(2025, 6, 20), D(2026, 6, 20))

    # Transfers: placements and the cell counts of a day, by hand.
    assert official_cells(dao) == [
        ("X01-CB02", D(2010, 5, 19), D(2026, 2, 1)),
        ("X01-CB01", D(2026, 2, 10), None),
    ]
    assert official_cells("IMP-P") == [("X01-CB01", D(2012, 1, 10), D(2026, 3, 1))]
    assert official_cells("IMP-R") == [
        ("X01-CB01", D(2014, 2, 3), D(2025, 10, 1)),
        ("X01-CB02", D(2025, 10, 5), D(2026, 5, 1)),
        ("X01-CB01", D(2026, 5, 5), None),
    ]
    pending = Transfer.objects.get(member__code="IMP-P")
    assert (pending.state, pending.to_unit, pending.received_on) == (
        TransferState.PENDING,
        world.other_cell,
        None,
    )
    # Only the transfer still pending is announced (to the office of the receiving commune);
    # those the workbook records as received are history and tell no one.
    from chibo.members.reminders import TRANSFER_SENT
    from chibo.notices.models import Notice

    announced = Notice.objects.filter(kind=TRANSFER_SENT)
    assert set(announced.values_list("key", "user__username")) == {
        (f"transfer:{pending.pk}", cast.outsider.username)
    }
    temporary = Placement.objects.get(member=world.member, kind="temporary")
    assert (temporary.unit, temporary.start, temporary.end, temporary.letter_number) == (
        world.cell2,
        D(2026, 4, 3),
        D(2026, 7, 1),
        "09-GGT/CB",
    )
    cb01_before = {HUNG, "BITHU", "IMP-CER", "IMP-P", "KN-001", "KN-002", "KN-003"}
    # 05/02/2026: IMP-T left for X01-CB02 on 15/01; Đào is in transit (01/02 → 10/02).
    assert placed(world.cell, D(2026, 2, 5)) == cb01_before
    assert placed(world.cell2, D(2026, 2, 5)) == {"IMP-T", "IMP-R"}
    # 15/03/2026: Đào arrived; IMP-P in transit to X02-CB01 since 01/03, in no cell.
    cb01 = cb01_before - {"IMP-P"} | {dao}
    assert placed(world.cell, D(2026, 3, 15)) == cb01
    assert placed(world.cell2, D(2026, 3, 15)) == {"IMP-T", "IMP-R"}
    assert placed(world.other_cell, D(2026, 3, 15)) == {world.other_member.code}
    assert len(placed(world.base, D(2026, 3, 15))) == 7 + 2
    # In the Party on 01/06/2026 in X01-CB01: KN-003 was removed on 10/05/2026; IMP-R is
    # back since 05/05/2026.
    in_party = (
        Member.objects.placed_in(world.cell, D(2026, 6, 1))
        .with_status(D(2026, 6, 1))
        .filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY])
    )
    assert in_party.count() == 7
    # The record stays with the sending cell while the transfer is pending.
    assert Member.objects.get(code="IMP-P").home_unit == world.cell


def test_reimport_writes_nothing(world, cast, introducers):
    book = history(world.member2.code)
    assert commit(cast.base_officer, book).committed
    before = lifecycle_snapshot()
    report = commit(cast.base_officer, book)
    assert messages(report) == []
    assert report.committed
    assert {k: set(v) for k, v in statuses(report).items()} == {
        "members": {UNCHANGED},
        "candidates": {UNCHANGED},
        "events": {UNCHANGED},
        "reviews": {UNCHANGED},
        "transfers": {UNCHANGED},
    }
    assert lifecycle_snapshot() == before


def test_preview_writes_nothing(world, cast, introducers):
    before = lifecycle_snapshot()
    report = import_preview(
        actor=cast.base_officer, files=[("h.xlsx", xlsx(history(world.member2.code)))]
    )
    assert messages(report) == []
    assert report.counts()[CREATE] == 4 + 8 + 3 + 3 + 6
    assert lifecycle_snapshot() == before


def test_a_later_import_carries_candidates_further(world, cast, introducers):
    """Last year's file stopped at the vote; this year's has the decision and the ceremony,
    and the review's decision: the steps not yet recorded are added, nothing else moves."""
    first = candidate_row(**{"Họ và tên": "Ngô Văn Hải", "Giới tính": "Nam"})
    assert commit(cast.base_officer, {"Quần chúng ưu tú": [CANDIDATE_HEAD, first]}).committed
    later = candidate_row(
        **{"Họ và tên": "NGO VAN HAI", "Giới tính": "Nam"},  # typed without accents
        **decided("16-QĐ/ĐU", "20/03/2025", "KN-002", "10/04/2025"),
    )
    review = ["KN-002", "20/04/2026", 7, 9, "", "", ""]
    report = commit(
        cast.base_officer,
        {"Quần chúng ưu tú": [CANDIDATE_HEAD, later], "Xét chính thức": [REVIEW_HEAD, review]},
    )
    assert messages(report) == []
    # The name without accents is the same candidate, whose spelling stays.
    assert statuses(report) == {"candidates": [UPDATE], "reviews": [CREATE]}
    changed = {c.column for c in report.sheets[0].rows[0].changes}
    assert changed == {
        "Số quyết định kết nạp",
        "Ngày quyết định kết nạp",
        "Mã hồ sơ đảng viên",
        "Ngày lễ kết nạp",
    }
    hai = Candidate.objects.select_related("member").get()
    assert (hai.stage, hai.member.code, hai.full_name) == (Stage.ADMITTED, "KN-002", "Ngô Văn Hải")
    # The review's decision comes in a third file: the vote is there, the decision is added.
    review[5:] = ["20-QĐ/ĐU", "05/05/2026"]
    report = commit(cast.base_officer, {"Xét chính thức": [REVIEW_HEAD, review]})
    assert statuses(report) == {"reviews": [UPDATE]}
    assert status_on("KN-002", D(2026, 4, 10)) == Status.OFFICIAL


def test_the_rule_of_each_step_is_the_one_in_force_that_day(world, cast, introducers):
    """A regulation raising the majority to 3/4 from 05/03/2025: 6 of 9 passes a vote of
    04/03/2025 (2/3 then) and fails one of 05/03/2025 (7 needed)."""
    RuleVersion.objects.create(
        effective_from=D(2025, 3, 5), source="Test", values={"special_majority": "3/4"}
    )
    day_before = candidate_row(**{"Ngày chi bộ biểu quyết": "04/03/2025"})
    assert commit(cast.base_officer, {"Quần chúng ưu tú": [CANDIDATE_HEAD, day_before]}).committed
    day_of = candidate_row(**{"Họ và tên": "Phan Văn Long", "Ngày chi bộ biểu quyết": "05/03/2025"})
    report = commit(cast.base_officer, {"Quần chúng ưu tú": [CANDIDATE_HEAD, day_of]})
    assert messages(report) == [
        "6 of 9 official members voted for the admission: at least 7 (3/4) are needed."
    ]
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize(
    ("vote_on", "ok"),
    [("11/04/2013", False), ("12/04/2013", True), ("13/04/2013", True)],
)
def test_age_on_the_day_of_the_vote(world, cast, introducers, vote_on, ok):
    """Born 12/04/1995: 18 on 12/04/2013 (the day before, too young; the day of, old
    enough). BITHU was official then; the Youth Union introduces in place of HUNG (admitted
    only in 2015)."""
    cells = {
        "Ngày chi bộ đề xuất": "02/01/2013",
        "Ngày hoàn thành lớp bồi dưỡng": "20/01/2013",
        "Ngày giới thiệu": "01/03/2013",
        "Mã hồ sơ người giới thiệu 1": "BITHU",
        "Người giới thiệu 1 công tác cùng từ ngày": "01/01/2012",
        "Mã hồ sơ người giới thiệu 2": "",
        "Người giới thiệu 2 công tác cùng từ ngày": "",
        "Đoàn thể giới thiệu": "NQ 01/NQ-ĐTN",
        "Ngày chi bộ biểu quyết": vote_on,
    }
    report = commit(
        cast.base_officer, {"Quần chúng ưu tú": [CANDIDATE_HEAD, candidate_row(**cells)]}
    )
    if ok:
        assert messages(report) == []
    else:
        assert messages(report) == [
            "The candidate turns 18 only on 12/04/2013: too young on the day of the vote."
        ]


def test_template_round_trip(world, cast, introducers):
    """The downloaded template holds the lifecycle sheets with every column (the badges sheet:
    chibo/badges/tests/test_importing.py); filled in as an office would (Excel date cells,
    numbers), it imports."""
    wb = load_workbook(io.BytesIO(template_workbook()))
    for sheet in (CANDIDATES, REVIEWS, TRANSFERS):
        assert [c.value for c in wb[sheet.title][1]] == [c.label for c in sheet.columns]
    cells = dict(zip(CANDIDATE_HEAD, candidate_row(), strict=True))
    for key, value in cells.items():
        if isinstance(value, str) and value.count("/") == 2:
            cells[key] = dt.datetime.strptime(value, "%d/%m/%Y").date()
    ws = wb[CANDIDATES.title]
    ws.append([cells.get(c.value, "") for c in ws[1]])
    transfer = {
        "Mã hồ sơ đảng viên": HUNG,
        "Hình thức": "Chính thức",
        "Mã chi bộ chuyển đi": "X01-CB01",
        "Mã chi bộ chuyển đến": "X01-CB02",
        "Số giấy giới thiệu": "05-GGT/ĐU",
        "Ngày chuyển đi": D(2026, 2, 1),
    }
    ws = wb[TRANSFERS.title]
    ws.append([transfer.get(c.value, "") for c in ws[1]])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_commit(actor=cast.base_officer, files=[("filled.xlsx", buffer.getvalue())])
    assert messages(report) == []
    assert Candidate.objects.get().stage == Stage.VOTED
    assert Transfer.objects.get().state == TransferState.PENDING


def test_a_late_ceremony_is_recorded(world, cast, introducers):
    """Decision on 20/01/2026: 30 working days run to 10/03/2026 across the Tết week
    (16-20/02/2026), counted by hand: 21-23/01 (3), 26-30/01 (8), 2-6/02 (13), 9-13/02 (18),
    23-27/02 (23), 2-6/03 (28), 9/03 (29), 10/03 (30). A ceremony on the last day and one the
    day after are both recorded; the pages flag the second late."""
    dates = {
        "Ngày chi bộ đề xuất": "02/06/2025",
        "Ngày hoàn thành lớp bồi dưỡng": "20/08/2025",
        "Ngày giới thiệu": "10/10/2025",
        "Ngày chi bộ biểu quyết": "05/12/2025",
    }
    rows = [
        candidate_row(
            **dates, **{"Họ và tên": name}, **decided(number, "20/01/2026", code, ceremony)
        )
        for name, number, code, ceremony in (
            ("Lê Thị Mai", "1-QĐ/ĐU", "KN-101", "10/03/2026"),
            ("Lê Thị Hạnh", "2-QĐ/ĐU", "KN-102", "11/03/2026"),
        )
    ]
    report = commit(cast.base_officer, {"Quần chúng ưu tú": [CANDIDATE_HEAD, *rows]})
    assert messages(report) == []
    deadline = ceremony_deadline(D(2026, 1, 20))
    assert deadline == D(2026, 3, 10)
    held = dict(Member.objects.filter(code__startswith="KN-1").values_list("code", "ceremony_on"))
    assert {code: day > deadline for code, day in held.items()} == {
        "KN-101": False,
        "KN-102": True,
    }
