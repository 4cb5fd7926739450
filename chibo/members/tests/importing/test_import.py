"""The members and events sheets: scope, moves, dates, leading zeros, and an exemption's
reason added later (the engine itself: chibo/imports/tests)."""

import datetime as dt

from chibo.core.sheets import UPDATE
from chibo.members.models import EventKind, ExemptionReason, Member
from chibo.testing.lifecycle import EVENT_HEAD, HUNG, commit, statuses
from chibo.testing.workbooks import MEMBER_HEAD, messages, snapshot


def test_member_outside_scope_cannot_be_changed(world, cast):
    code = world.other_member.code
    report = commit(
        cast.base_officer,
        {
            "Đảng viên": [
                MEMBER_HEAD,
                [code, "Tên khác", "Nam", "01/01/1980", "", "X01-CB01", "19/05/2010", ""],
            ]
        },
    )
    assert messages(report) == [f"The record code {code} is already in use."]
    assert Member.objects.get(pk=world.other_member.pk).full_name == "Lê Đức Anh"


def test_moving_a_member_is_not_an_import(world, cast):
    m = world.member
    row = [m.code, m.full_name, "Nam", "01/01/1980", "", "X01-CB02", "02/03/2015", ""]
    report = commit(cast.base_officer, {"Đảng viên": [MEMBER_HEAD, row]})
    assert "a move is a transfer" in messages(report)[0]
    assert Member.objects.get(pk=m.pk).home_unit == world.cell


def test_event_for_unknown_member_and_future_date(world, cast):
    future = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    rows = [
        ["Mã hồ sơ đảng viên", "Sự kiện", "Ngày"],
        ["NOPE", "Kết nạp", "01/01/2020"],
        [world.member.code, "Khiển trách", future],
        [world.other_member.code, "Khiển trách", "01/01/2020"],
    ]
    before = snapshot()
    report = commit(cast.base_officer, {"Sự kiện": rows})
    assert messages(report) == [
        "Unknown member code NOPE.",
        "The date cannot be in the future.",
        f"Unknown member code {world.other_member.code}.",
    ]
    assert snapshot() == before


def test_excel_number_cells_get_their_leading_zeros_back(world, cast):
    head = [*MEMBER_HEAD, "Số CCCD"]
    row = ["IMP020", "Vũ Thị Hoa", "Nữ", "01/01/1990", 912345678, "X01-CB01", "01/01/2020", ""]
    report = commit(cast.base_officer, {"Đảng viên": [head, [*row, 1090001234]]})
    assert report.committed, messages(report)
    member = Member.objects.get(code="IMP020")
    assert (member.phone, member.national_id) == ("0912345678", "001090001234")


def test_exemption_reason_added_later(world, cast, introducers):
    """An exemption imported without its reason; a later file gives the reason: updated."""
    row = [HUNG, "Miễn sinh hoạt", "01/06/2025", "31/12/2025", "", "08-QĐ/CB"]
    assert commit(cast.base_officer, {"Sự kiện": [EVENT_HEAD, row]}).committed
    row[4] = "Tuổi cao"
    report = commit(cast.base_officer, {"Sự kiện": [EVENT_HEAD, row]})
    assert statuses(report) == {"events": [UPDATE]}
    assert [(c.column, c.old, c.new) for c in report.sheets[0].rows[0].changes] == [
        ("Lý do miễn sinh hoạt", "", "Tuổi cao")
    ]
    assert world.member.events.get(kind=EventKind.EXEMPTED).reason == ExemptionReason.OLD_AGE
