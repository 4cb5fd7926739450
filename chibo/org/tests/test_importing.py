"""The units and villages sheets: the spellings of a unit's kind, scope, top-level units and
parent loops (the engine itself: chibo/imports/tests)."""

import pytest
from django.utils import translation

from chibo.core.sheets import read_cell
from chibo.imports.services import import_commit
from chibo.org.importing import UNITS
from chibo.org.models import OrgUnit
from chibo.testing.workbooks import MEMBER_HEAD, UNIT_HEAD, messages, snapshot, xlsx


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the msgids (the default UI language is Vietnamese)."""
    with translation.override("en"):
        yield


def commit(user, sheets):
    return import_commit(actor=user, files=[("book.xlsx", xlsx(sheets))])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Chi bộ", "cell"),
        ("CHI BO", "cell"),
        ("Chi bộ cơ sở", "base_cell"),
        ("Đảng bộ xã", "base_committee"),
        ("Đảng bộ phường", "base_committee"),
        ("Party cell", "cell"),
        ("party_group", "party_group"),
        ("Tổ đảng", "party_group"),
    ],
)
def test_kind_spellings(value, expected):
    assert read_cell(UNITS.column("kind"), value) == expected


def test_unit_outside_scope_is_unknown(world, cast):
    before = snapshot()
    report = commit(
        cast.base_officer,
        {
            "Đảng viên": [
                MEMBER_HEAD,
                ["IMP009", "Lê Văn Ba", "Nam", "01/01/1980", "", "X02-CB01", "01/01/2010", ""],
            ]
        },
    )
    # The other base's cell exists, but to this officer it is simply unknown.
    assert messages(report) == ["Unknown unit code X02-CB01."]
    assert snapshot() == before


def test_top_level_unit_needs_a_superuser(world, cast):
    rows = [UNIT_HEAD, ["T99", "Đảng bộ tỉnh Mới", "Đảng bộ tỉnh", "", ""]]
    report = commit(cast.base_officer, {"Đơn vị": rows})
    assert messages(report) == [
        "Only an administrator can create a top-level unit; fill in the parent unit's code."
    ]
    assert not OrgUnit.all_objects.filter(code="T99").exists()
    cast.base_officer.is_superuser = True
    assert commit(cast.base_officer, {"Đơn vị": rows}).committed
    assert OrgUnit.objects.get(code="T99").parent is None


def test_secretary_writes_only_in_their_cell(world, cast):
    rows = [UNIT_HEAD, ["X01-CB07", "Chi bộ 7", "Chi bộ", "X01", ""]]
    report = commit(cast.secretary, {"Đơn vị": rows})
    assert messages(report) == ["Unknown unit code X01."]
    villages = [["Mã chi bộ", "Tên thôn, khu phố"], ["X01-CB01", "Thôn Bắc"]]
    assert commit(cast.secretary, {"Thôn, khu phố": villages}).committed


def test_parent_loop_is_an_error(world, cast):
    rows = [
        UNIT_HEAD,
        ["A1", "Chi bộ A", "Chi bộ", "B1", ""],
        ["B1", "Chi bộ B", "Chi bộ", "A1", ""],
    ]
    report = commit(cast.base_officer, {"Đơn vị": rows})
    assert messages(report) == ["The parent unit codes form a loop."] * 2
    assert not OrgUnit.all_objects.filter(code__in=["A1", "B1"]).exists()
