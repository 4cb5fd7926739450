"""Ratings of past years from Excel: the level's spellings, the year's rules (a member not
rated that year is an error naming the rule), re-import safety, the imported campaign
published with its checks as warnings, and who may import."""

import pytest
from django.utils import translation

from chibo.core.sheets import CREATE, UNCHANGED, UPDATE
from chibo.evaluation import checks
from chibo.evaluation.models import Campaign, Evaluation
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f
from chibo.testing.lifecycle import commit, problems, statuses

from .helpers import D, campaign, event, member

MEMBER_HEAD = ["Mã hồ sơ đảng viên", "Năm", "Mức xếp loại", "Điểm"]
UNIT_HEAD = ["Mã tổ chức đảng", "Năm", "Mức xếp loại", "Điểm"]
MEMBERS, UNITS = "Xếp loại đảng viên", "Xếp loại tổ chức đảng"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot() -> tuple[int, ...]:
    return (
        Campaign.objects.count(),
        Evaluation.objects.count(),
        Evaluation.history.model.objects.count(),
    )


def levels(year: int) -> dict[str, str]:
    rows = Evaluation.objects.filter(year=year)
    return {(e.member.code if e.member else e.unit.code): e.level for e in rows}


def test_member_ratings_every_spelling_and_twice(world, cast):
    sheets = {
        MEMBERS: [
            MEMBER_HEAD,
            [world.member.code, 2023, "Hoàn thành xuất sắc nhiệm vụ", None],
            [world.member2.code, 2023, "hoan thanh tot nhiem vu", None],
            [cast.secretary.member.code, 2023, "complete", None],
            [world.member.code, 2022, "KHÔNG HOÀN THÀNH NHIỆM VỤ", None],
            [world.member2.code, 2025, "Hoàn thành tốt nhiệm vụ", 85],
        ]
    }
    report = commit(cast.base_officer, sheets)
    assert report.committed, problems(report)
    assert statuses(report) == {"member_ratings": [CREATE] * 5}
    assert levels(2023) == {
        world.member.code: "excellent",
        world.member2.code: "good",
        cast.secretary.member.code: "complete",
    }
    assert levels(2022) == {world.member.code: "incomplete"}
    assert Evaluation.objects.get(year=2025).score == 85
    c = Campaign.objects.get(year=2023)
    assert (c.unit, c.imported, c.published) == (world.base, True, True)
    assert c.regulation == "Quy định 124-QĐ/TW (04/10/2023)"
    assert Campaign.objects.get(year=2022).regulation.startswith("Quy định 132-QĐ/TW")
    assert {e.cell_id for e in c.evaluations.all()} == {world.cell.pk, world.cell2.pk}
    # The same file again: the records stay as they are.
    before = snapshot()
    again = commit(cast.base_officer, sheets)
    assert again.committed and statuses(again) == {"member_ratings": [UNCHANGED] * 5}
    assert snapshot() == before
    # A corrected level is an update.
    sheets[MEMBERS][2][2] = "Xuất sắc"
    fixed = commit(cast.base_officer, sheets)
    assert statuses(fixed)["member_ratings"][1] == UPDATE
    assert levels(2023)[world.member2.code] == "excellent"


def test_not_rated_that_year_is_an_error_naming_the_rule(world, cast):
    young = member(world.cell, "Mới Kết Nạp", D(2023, 8, 1))
    suspended = member(world.cell, "Đình Chỉ")
    event(suspended, EventKind.SUSPENDED, D(2023, 11, 1), D(2024, 5, 1))
    before = snapshot()
    report = commit(
        cast.base_officer,
        {
            MEMBERS: [
                MEMBER_HEAD,
                [world.member.code, 2023, "Tốt", None],
                [young.code, 2023, "Tốt", None],
                [suspended.code, 2023, "Tốt", None],
                [cast.secretary.member.code, 2023, "Tốt", 80],
                [world.member2.code, 2025, "Tốt", 101],
                [world.member2.code, 2026, "Tốt", None],
                [world.member2.code, 2024, "Giỏi", None],
            ]
        },
    )
    assert not report.committed
    assert snapshot() == before
    found = problems(report)
    assert (
        "Mức xếp loại",
        "Not rated in 2023: Admitted on 01/08/2023, less than 6 months before 31/12"
        " (Quy định 124-QĐ/TW)",
    ) in found
    assert (
        "Mức xếp loại",
        "Not rated in 2023: Suspended from activities (Quy định 124-QĐ/TW)",
    ) in found
    assert (
        "Điểm",
        "The evaluation of 2023 is not scored (Quy định 124-QĐ/TW (04/10/2023)).",
    ) in found
    assert ("Điểm", "Between 0 and 100 points.") in found
    assert ("Năm", "Only past years are imported; 2026 is rated in Chibo.") in found
    assert any(c == "Mức xếp loại" and m.startswith("Unknown value “Giỏi”") for c, m in found)


def test_unit_ratings_and_a_cap_breach_warns(world, cast):
    """Published figures of past years do breach the cap (3 cells excellent for 9 good): the
    import records them, and the campaign warns."""
    cells = [world.cell, world.cell2] + [f.unit(Kind.CELL, world.base) for _ in range(10)]
    rows = [UNIT_HEAD] + [
        [cell.code, 2023, "Hoàn thành xuất sắc nhiệm vụ" if i < 3 else "Hoàn thành tốt nhiệm vụ"]
        for i, cell in enumerate(cells)
    ]
    rows.append([world.base.code, 2023, "Tốt"])
    report = commit(cast.base_officer, {UNITS: rows})
    assert report.committed, problems(report)
    c = Campaign.objects.get(year=2023)
    assert c.imported and c.published and c.unit == world.base
    assert c.evaluations.count() == 13
    found = {x.key: x for x in checks.checks(c)}
    cap = found[f"cap:units:{world.base.pk}"]
    assert cap.severity == checks.WARN and not cap.refuses
    assert cap.message == "Units under Đảng bộ xã An Hòa: 3 excellent / 9 good (33,33%) above 20%"
    assert checks.refusing(c) == []
    refused = commit(cast.base_officer, {UNITS: [UNIT_HEAD, [world.province.code, 2023, "Tốt"]]})
    assert problems(refused) == [("Mã tổ chức đảng", "Unknown unit code T01.")]
    refused = commit(
        cast.province_officer, {UNITS: [UNIT_HEAD, [world.province.code, 2023, "Tốt"]]}
    )
    assert problems(refused) == [
        ("Mã tổ chức đảng", "Cells and base organisations are rated; Đảng bộ tỉnh Thử is not one.")
    ]


def test_who_may_import(world, cast):
    sheets = {MEMBERS: [MEMBER_HEAD, [world.member.code, 2023, "Tốt", None]]}
    assert problems(commit(cast.outsider, sheets)) == [
        ("Mã hồ sơ đảng viên", f"Unknown member code {world.member.code}.")
    ]
    assert problems(commit(cast.secretary, sheets)) == [
        (
            "Mã hồ sơ đảng viên",
            "Ratings are imported by the office of the base organisation or a level above it.",
        )
    ]
    assert commit(cast.province_officer, sheets).committed


def test_a_year_rated_in_chibo_is_not_imported(world, cast):
    campaign(world.base, 2024)
    before = snapshot()
    report = commit(
        cast.base_officer, {MEMBERS: [MEMBER_HEAD, [world.member.code, 2024, "Tốt", None]]}
    )
    assert problems(report) == [
        ("", "The evaluation of 2024 is kept in Chibo (Đảng bộ xã An Hòa); it is not imported.")
    ]
    assert snapshot() == before
