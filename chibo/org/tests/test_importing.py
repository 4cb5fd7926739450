"""The units and villages sheets: the spellings of a unit's kind, scope, top-level units and
parent loops (the engine itself: chibo/imports/tests)."""

import pytest
from django.utils import translation

from chibo.core.sheets import CellError, read_cell
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
        # A provincial city's committee and the province's block committees: district level.
        ("Đảng bộ thành phố", "district"),
        ("ĐẢNG BỘ THÀNH PHỐ", "district"),
        ("Dang bo thanh pho", "district"),
        ("Đảng bộ thành phố thuộc tỉnh", "district"),
        ("Đảng bộ khối", "district"),
        ("Đảng bộ Khối", "district"),
        ("Đảng bộ khối các cơ quan", "district"),
        ("Đảng bộ Khối các cơ quan tỉnh", "district"),
        ("Đảng bộ khối doanh nghiệp", "district"),
        ("Đảng bộ Khối doanh nghiệp tỉnh", "district"),
        ("Đảng bộ huyện", "district"),
        # ... but a city directly under the Centre stays a province.
        ("Đảng bộ thành phố trực thuộc Trung ương", "province"),
        ("Đảng bộ thành phố trực thuộc TW", "province"),
        ("Dang bo thanh pho truc thuoc trung uong", "province"),
        ("Đảng bộ tỉnh", "province"),
    ],
)
def test_kind_spellings(value, expected):
    assert read_cell(UNITS.column("kind"), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("xã", "commune"),
        ("Phường", "commune"),
        ("thị trấn", "commune"),
        ("Đặc khu", "commune"),
        ("Xã, phường, đặc khu", "commune"),
        ("cơ quan", "agency"),
        ("Doanh nghiệp", "enterprise"),
        ("Đơn vị sự nghiệp", "public_service"),
        ("sự nghiệp", "public_service"),
        ("Lực lượng vũ trang", "armed"),
        ("vũ trang", "armed"),
        ("Quân đội", "armed"),
        ("Công an", "armed"),
        ("khác", "other"),
        ("public_service", "public_service"),
        ("Armed forces", "armed"),
        ("", ""),
    ],
)
def test_sector_spellings(value, expected):
    assert read_cell(UNITS.column("sector"), value) == expected


def test_an_unknown_sector_is_refused_with_the_choices():
    with pytest.raises(CellError, match="Unknown value “nông nghiệp”. Allowed: Xã, phường, đặc"):
        read_cell(UNITS.column("sector"), "nông nghiệp")


SECTOR_HEAD = [*UNIT_HEAD, "Khối, loại hình"]


def test_a_province_list_with_city_and_block_committees_and_sectors(world, cast):
    rows = [
        SECTOR_HEAD,
        ["HL", "Đảng bộ thành phố Hạ Long", "Đảng bộ thành phố", "T01", "", ""],
        ["KCQ", "Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ khối", "T01", "", ""],
        ["KDN", "Đảng bộ Khối doanh nghiệp tỉnh", "Đảng bộ khối", "T01", "", ""],
        ["HL-P1", "Đảng bộ phường Hồng Gai", "Đảng bộ phường", "HL", "", "phường"],
        ["KCQ-1", "Đảng bộ Sở Tài chính", "Đảng bộ cơ sở", "KCQ", "", "cơ quan"],
        ["KDN-1", "Chi bộ Công ty Than", "Chi bộ cơ sở", "KDN", "Doanh nghiệp", "doanh nghiệp"],
        ["HL-CA", "Chi bộ Công an phường", "Chi bộ cơ sở", "HL", "Công an", "công an"],
    ]
    assert commit(cast.province_officer, {"Đơn vị": rows}).committed
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[r[0] for r in rows[1:]])}
    assert {c: (u.kind, u.sector) for c, u in units.items()} == {
        "HL": ("district", ""),
        "KCQ": ("district", ""),
        "KDN": ("district", ""),
        "HL-P1": ("base_committee", "commune"),
        "KCQ-1": ("base_committee", "agency"),
        "KDN-1": ("base_cell", "enterprise"),
        "HL-CA": ("base_cell", "armed"),
    }
    # Re-importing with another sector updates it; an empty cell keeps it.
    again = [
        SECTOR_HEAD,
        ["KCQ-1", "Đảng bộ Sở Tài chính", "Đảng bộ cơ sở", "KCQ", "", "sự nghiệp"],
    ]
    assert commit(cast.province_officer, {"Đơn vị": again}).committed
    again[1][5] = ""
    assert commit(cast.province_officer, {"Đơn vị": again}).committed
    assert OrgUnit.objects.get(code="KCQ-1").sector == "public_service"


def test_a_sector_on_a_cell_is_refused_and_nothing_written(world, cast):
    before = snapshot()
    rows = [SECTOR_HEAD, ["X01-CB09", "Chi bộ thôn Tây", "Chi bộ", "X01", "Nông thôn", "Xã"]]
    report = commit(cast.base_officer, {"Đơn vị": rows})
    assert messages(report) == ["Only base committees and base cells have a sector."]
    assert snapshot() == before


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
