"""A test for each rule of the events and transfers sheets: the message people read, on the
right column, and that nothing at all was written."""

import pytest

from chibo.testing.lifecycle import (
    EVENT_HEAD,
    MEMBER_HEAD,
    TRANSFER_HEAD,
    commit,
    problems,
    refused,
    sheet_problems,
)

# Events -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["HUNG", "Khiển trách", "01/06/2025", "", "Ốm đau", ""], "Lý do miễn sinh hoạt",
         "Only an exemption has a reason."),
        (["HUNG", "Miễn sinh hoạt", "01/06/2025", "", "Đi chơi", ""], "Lý do miễn sinh hoạt",
         "Unknown value “Đi chơi”. Allowed: Tuổi cao, Ốm đau, Ra nước ngoài, Thai sản, "
         "Công tác lưu động, Khác."),
        (["HUNG", "Lễ kết nạp", "01/01/1979", "", "", ""], "Ngày",
         "The date is before the member's birth date."),
    ],
)  # fmt: skip
def test_event_row_refused(world, cast, introducers, cells, column, message):
    assert refused(cast.base_officer, {"Sự kiện": [EVENT_HEAD, cells]}) == [(column, message)]


# Transfers --------------------------------------------------------------------------------------


def transfers(*rows):
    return {"Chuyển sinh hoạt": [TRANSFER_HEAD, *rows]}


def transfer(**cells):
    base = {
        "code": "HUNG",
        "kind": "Chính thức",
        "from": "X01-CB01",
        "to": "X01-CB02",
        "letter": "05-GGT/ĐU",
        "sent": "01/02/2026",
        "received": "10/02/2026",
        "until": "",
    }
    return list({**base, **cells}.values())


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"code": "KHONGCO"}, "Mã hồ sơ đảng viên", "Unknown member code KHONGCO."),
        ({"to": "X99"}, "Mã chi bộ chuyển đến", "No cell with code X99."),
        ({"from": "X02-CB01"}, "Mã chi bộ chuyển đi", "Unknown unit code X02-CB01."),
        (
            {"from": "X01-CB02", "to": "X01-CB01"},
            "Mã chi bộ chuyển đi",
            "The member's record is held in Chi bộ thôn Đông (X01-CB01), not in the sending "
            "cell of this row. List a member's transfers in the order they were sent.",
        ),
        (
            {"received": "31/01/2026"},
            "Ngày tiếp nhận",
            "The receiving date is before the sending date.",
        ),
        (
            {"to": "X01-CB01"},
            "Mã chi bộ chuyển đến",
            "The member is already placed in that cell.",
        ),
        (
            {"to": "X02-CB01"},
            "Ngày tiếp nhận",
            "X02-CB01 is not one of your units: its office records the reception. Leave the "
            "receiving date empty.",
        ),
        (
            {"kind": "Tạm thời"},
            "Tạm thời đến ngày",
            "Give the date the temporary transfer ends.",
        ),
        (
            {"until": "01/07/2026"},
            "Tạm thời đến ngày",
            "Only a temporary transfer has an end date.",
        ),
        (
            {"kind": "Tạm thời", "until": "10/02/2026"},
            "Ngày tiếp nhận",
            "The temporary transfer ends on 10/02/2026: it cannot be received that day or later.",
        ),
        (
            {"sent": "02/03/2015"},
            "Ngày chuyển đi",
            "The leaving date must be after the current placement began.",
        ),
        (
            {"kind": "Điều động"},
            "Hình thức",
            "Unknown value “Điều động”. Allowed: Chính thức, Tạm thời.",
        ),
        ({"letter": ""}, "Số giấy giới thiệu", "This cell is required."),
        (
            {"sent": "1/2"},
            "Ngày chuyển đi",
            "“1/2” is not a date; write it as dd/mm/yyyy.",
        ),
    ],
)
def test_transfer_row_refused(world, cast, introducers, changes, column, message):
    assert refused(cast.base_officer, transfers(transfer(**changes))) == [(column, message)]


def test_one_pending_transfer_at_a_time(world, cast, introducers):
    first = transfer(received="")
    second = transfer(letter="06-GGT/ĐU", sent="05/02/2026", received="")
    assert refused(cast.base_officer, transfers(first, second)) == [
        (
            "Ngày chuyển đi",
            "This member already has a transfer waiting to be received: receive or cancel it "
            "first.",
        )
    ]


def test_duplicate_transfer(world, cast, introducers):
    assert refused(cast.base_officer, transfers(transfer(), transfer(received=""))) == [
        ("", "Duplicate of row 2.")
    ]


def test_a_recorded_transfer_is_not_changed(world, cast, introducers):
    assert commit(cast.base_officer, transfers(transfer())).committed
    assert refused(cast.base_officer, transfers(transfer(received="12/02/2026"))) == [
        (
            "Ngày tiếp nhận",
            "Chibo already records “10/02/2026” here, and an import does not change it; leave "
            "the cell empty to keep it.",
        )
    ]


def test_missing_transfer_column(world, cast, introducers):
    head = [h for h in TRANSFER_HEAD if h != "Số giấy giới thiệu"]
    row = transfer()
    del row[4]
    assert sheet_problems(cast.base_officer, {"Chuyển sinh hoạt": [head, row]}) == [
        "Missing column “Số giấy giới thiệu”."
    ]


# The members sheet after transfers ----------------------------------------------------------


def test_member_row_in_a_cell_never_left(world, cast, introducers):
    """The members sheet may name the cell a record started in only once a transfer has
    taken it away from there; another cell is still a move."""
    hung = ["HUNG", "Nguyễn Văn Hùng", "Nam", "01/01/1980", "X01-CB02", "02/03/2015", "02/03/2016"]
    assert refused(cast.base_officer, {"Đảng viên": [MEMBER_HEAD, hung]}) == [
        (
            "Mã chi bộ",
            "This member's record is held in another cell; a move is a transfer, made on the "
            "member's page.",
        )
    ]
    # Transferred from X01-CB01 to X01-CB02: the row naming X01-CB01 is the record as it
    # started, unchanged; naming X01-CB02, where it is now, too.
    assert commit(cast.base_officer, transfers(transfer())).committed
    for cell in ("X01-CB01", "X01-CB02"):
        hung[4] = cell
        report = commit(cast.base_officer, {"Đảng viên": [MEMBER_HEAD, hung]})
        assert problems(report) == []
        assert [r.status for r in report.sheets[0].rows] == ["unchanged"]
