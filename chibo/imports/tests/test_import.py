"""The engine: a valid workbook, re-import, update, atomicity, scope."""

import datetime as dt

from chibo.imports.report import CREATE, ERROR, UNCHANGED, UPDATE
from chibo.imports.services import import_commit, import_preview
from chibo.members.models import EventKind, Member, MemberEvent, Placement, Position
from chibo.org.models import Ancestry, CellType, Kind, OrgUnit, Village
from chibo.testing.workbooks import (
    MEMBER_HEAD,
    UNIT_HEAD,
    VALID_ADDS,
    added,
    counts,
    messages,
    snapshot,
    valid_sheets,
    xlsx,
)


def commit(user, sheets):
    return import_commit(actor=user, files=[("book.xlsx", xlsx(sheets))])


def statuses(report) -> dict[str, list[str]]:
    return {s.key: [r.status for r in s.rows] for s in report.sheets}


def test_valid_workbook_creates_exactly_its_rows(world, cast):
    before = counts()
    report = commit(cast.base_officer, valid_sheets())
    assert messages(report) == []
    assert report.committed
    assert added(before, counts()) == VALID_ADDS
    assert report.counts() == {CREATE: 10, UPDATE: 0, UNCHANGED: 0, ERROR: 0}

    cell = OrgUnit.objects.get(code="X01-CB03")
    assert (cell.kind, cell.cell_type, cell.parent, cell.depth) == (
        Kind.CELL,
        CellType.RURAL,
        world.base,
        2,
    )
    group = OrgUnit.objects.get(code="X01-CB03-T1")
    assert group.parent == cell and group.kind == Kind.PARTY_GROUP
    # The closure table knows the new units: the province sees the party group.
    assert Ancestry.objects.valid().filter(ancestor=world.province, descendant=group).exists()
    assert Village.objects.get(name="Thôn Tây").cell == cell

    lan = Member.objects.get(code="IMP001")
    assert (lan.full_name, lan.gender, lan.birth_date, lan.phone) == (
        "Nguyễn Thị Lan",
        "female",
        dt.date(1985, 3, 12),
        "0912345678",
    )
    assert lan.home_unit == cell
    assert (lan.admitted_on, lan.official_on) == (dt.date(2010, 5, 19), dt.date(2011, 5, 19))
    assert lan.events.filter(kind=EventKind.REPRIMAND, decision_number="3-QĐ/CB").exists()
    binh = Member.objects.get(code="IMP002")
    assert binh.birth_date == dt.date(1990, 7, 1)  # a real Excel date cell
    assert binh.home_unit == world.cell
    assert binh.official_on == dt.date(2016, 2, 3)  # from the events sheet
    assert Placement.objects.get(member=binh).start == dt.date(2015, 2, 3)
    secretary = Position.objects.get(member=lan)
    assert (secretary.kind, secretary.unit, secretary.village) == ("secretary", cell, None)
    head = Position.objects.get(member=binh)
    # No unit code on a village post: the village is looked up in the member's cell.
    assert (head.kind, head.village.name, head.village.cell) == (
        "village_head",
        "Thôn Đông",
        world.cell,
    )


def test_preview_writes_nothing_but_sees_what_commit_will_do(world, cast):
    before = snapshot()
    report = import_preview(actor=cast.base_officer, files=[("b.xlsx", xlsx(valid_sheets()))])
    assert snapshot() == before
    assert not report.committed and not report.has_errors
    assert statuses(report) == {
        "units": [CREATE, CREATE],
        "villages": [CREATE, CREATE],
        "members": [CREATE, CREATE],
        "events": [CREATE, CREATE],
        "positions": [CREATE, CREATE],
    }


def test_reimport_changes_nothing(world, cast):
    data = valid_sheets()
    commit(cast.base_officer, data)
    before = snapshot()
    report = commit(cast.base_officer, data)
    assert snapshot() == before  # no new rows, no history rows either
    assert report.counts() == {CREATE: 0, UPDATE: 0, UNCHANGED: 10, ERROR: 0}
    assert not report.has_changes


def test_rows_with_differences_update(world, cast):
    data = valid_sheets()
    commit(cast.base_officer, data)
    data["Đơn vị"][2][1] = "Chi bộ thôn Tây mới"
    data["Đảng viên"][1][4] = "0987654321"
    data["Đảng viên"][2][6] = "04/02/2015"  # a corrected admission date
    data["Sự kiện"][1][3] = "13-QĐ/ĐU"
    before = counts()
    history = Member.history.model.objects.count()
    report = commit(cast.base_officer, data)
    assert report.committed, messages(report)
    assert statuses(report)["units"] == [UNCHANGED, UPDATE]
    assert statuses(report)["members"] == [UPDATE, UPDATE]
    assert statuses(report)["events"] == [UPDATE, UNCHANGED]
    assert counts() == before  # updates, not new records
    assert Member.history.model.objects.count() == history + 1  # only the phone changed a profile
    assert OrgUnit.objects.get(code="X01-CB03").name == "Chi bộ thôn Tây mới"
    assert Member.objects.get(code="IMP001").phone == "0987654321"
    assert Member.objects.get(code="IMP002").admitted_on == dt.date(2015, 2, 4)
    assert MemberEvent.objects.get(member__code="IMP002", kind="official").decision_number == (
        "13-QĐ/ĐU"
    )
    change = report.sheets[0].rows[1].changes[0]
    assert (change.column, change.old, change.new) == (
        "Tên đơn vị",
        "Chi bộ thôn Tây",
        "Chi bộ thôn Tây mới",
    )


def test_empty_cell_keeps_the_stored_value(world, cast):
    data = valid_sheets()
    commit(cast.base_officer, data)
    data["Đảng viên"][1][4] = ""  # phone left empty
    data["Đảng viên"][1][7] = ""  # official date left empty
    report = commit(cast.base_officer, data)
    assert statuses(report)["members"] == [UNCHANGED, UNCHANGED]
    assert Member.objects.get(code="IMP001").phone == "0912345678"


def test_one_bad_row_among_good_ones_writes_nothing(world, cast):
    data = valid_sheets()
    data["Chức vụ"].append(["IMP002", "Phó Bí thư", "X01-CB01", "", "31/02/2021"])
    before = snapshot()
    report = commit(cast.base_officer, data)
    assert not report.committed
    assert snapshot() == before
    assert report.counts()[CREATE] == 10 and report.counts()[ERROR] == 1
    (problem,) = report.sheets[-1].rows[-1].problems
    assert (problem.column, problem.message) == (
        "Từ ngày",
        "“31/02/2021” is not a date; write it as dd/mm/yyyy.",
    )


def test_english_keys_and_unaccented_headers_are_accepted(world, cast):
    rows = [
        ["code", "ten don vi", "KIND", "parent code"],
        ["X01-CB09", "Chi bộ 9", "cell", "x01"],
    ]
    report = commit(cast.base_officer, {"units": rows})
    assert report.committed, messages(report)
    assert OrgUnit.objects.get(code="X01-CB09").parent == world.base


def test_title_block_above_the_header_is_skipped(world, cast):
    rows = [
        ["ĐẢNG BỘ XÃ AN HÒA"],
        ["DANH SÁCH ĐẢNG VIÊN", None, None],
        [],
        ["STT", *MEMBER_HEAD],
        [1, "IMP030", "Lý Thị Sáu", "Nữ", "06/06/1966", "", "X01-CB01", "01/01/1990", ""],
        [2, "IMP031", "Lý Văn Bảy", "Nam", "07/07/1977", "", "X01-CB01", "x", ""],
    ]
    report = import_preview(
        actor=cast.base_officer, files=[("list.xlsx", xlsx({"Đảng viên": rows}))]
    )
    assert [(r.number, r.status) for r in report.sheets[0].rows] == [(5, CREATE), (6, ERROR)]
    assert report.sheets[0].notes == ["Columns not in the template were ignored: STT."]


def test_service_errors_become_row_errors(world, cast):
    rows = [
        UNIT_HEAD,
        # A cell directly under the province is not allowed by the tree's shape.
        ["X01-CB08", "Chi bộ 8", "Chi bộ", "X01-CB01", ""],
    ]
    report = commit(cast.base_officer, {"Đơn vị": rows})
    (problem,) = report.sheets[0].rows[0].problems
    assert problem.column == "Mã đơn vị cấp trên"
    assert "cannot be placed under" in problem.message
