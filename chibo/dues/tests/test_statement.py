"""A payment statement (the national public service portal's export): every row checked
first, nothing written when one is bad and each bad row named; the same statement twice
records each payment once; headers in Vietnamese or English, with or without accents."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from chibo.core.models import AuditEvent
from chibo.dues import services
from chibo.dues.models import DuesPayment, Source
from chibo.dues.statement import read_amount
from chibo.testing.workbooks import csv_bytes, xlsx

from .helpers import D, pay

HEAD = ["Mã giao dịch", "Mã đảng viên", "Tháng đóng", "Số tiền", "Ngày nộp"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(rows, name="saoke.csv", **kw) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kw))


def written() -> tuple[int, int, int]:
    return (
        DuesPayment.objects.count(),
        DuesPayment.history.model.objects.count(),
        AuditEvent.objects.filter(kind__startswith="dues.").count(),
    )


def test_a_statement_with_bad_rows_imports_nothing_and_names_each_bad_row(world):
    m, m2, other = world.member, world.member2, world.other_member
    rows = [
        HEAD,
        ["GD001", m.code, "03/2026", "50.000", "15/03/2026"],  # good
        ["GD002", "KHONG-CO", "03/2026", "50000", "15/03/2026"],  # unknown member
        ["GD003", other.code, "03/2026", "50000", "15/03/2026"],  # another commune's
        ["GD004", m2.code, "13/2026", "50000", "15/03/2026"],  # no such month
        ["GD005", m2.code, "04/2026", "-5", "15/03/2026"],  # not above 0
        ["GD006", m2.code, "05/2026", "12,5", "15/03/2026"],  # not whole
        ["GD007", m.code, "04/2026", "50000", "16/03/2026"],  # the same reference twice
        ["GD007", m2.code, "04/2026", "50000", "16/03/2026"],
        ["GD009", m2.code, "06/2026", "0", "16/03/2026"],  # zero
        ["", m2.code, "07/2026", "50000", "31/02/2026"],  # no reference, no such day
    ]
    before = written()
    result = services.statement_import(file=upload(rows), unit=world.base, actor=None)
    assert (result.recorded, result.already) == (0, 0)
    assert written() == before
    bad = {b.number: b.reasons for b in result.bad}
    assert bad == {
        3: ["Unknown member code KHONG-CO."],
        4: [f"Lê Đức Anh ({other.code}) is not a member of Đảng bộ xã An Hòa."],
        5: ["“13/2026” is not a month; write it as mm/yyyy."],
        6: ["“-5” is not an amount: a whole number of đồng above 0."],
        7: ["“12,5” is not an amount: a whole number of đồng above 0."],
        8: ["The reference GD007 is also on row 9."],
        9: ["The reference GD007 is also on row 8."],
        10: ["“0” is not an amount: a whole number of đồng above 0."],
        11: ["The reference is missing.", "“31/02/2026” is not a date; write it as dd/mm/yyyy."],
    }
    # The other commune imports its member's row; this commune only its own rows.
    good = upload([HEAD, ["GD003", other.code, "03/2026", "50000", "15/03/2026"]])
    result = services.statement_import(file=good, unit=world.other_base, actor=None)
    assert (result.recorded, result.already, result.bad) == (1, 0, [])


def test_the_same_statement_twice_records_each_payment_once(world, cast):
    m, m2 = world.member, world.member2
    rows = [
        HEAD,
        ["GD101", m.code, "01/2026", "50000", "05/02/2026"],
        ["GD102", m.code, "02/2026", "50000", "05/02/2026"],
        ["GD103", m2.code, "02/2026", 30000, ""],  # no day: today
    ]
    first = services.statement_import(file=upload(rows), unit=world.base, actor=cast.base_officer)
    assert (first.recorded, first.already, first.bad) == (3, 0, [])
    again = services.statement_import(file=upload(rows), unit=world.base, actor=cast.base_officer)
    assert (again.recorded, again.already, again.bad) == (0, 3, [])
    stored = DuesPayment.objects.order_by("reference")
    assert [(p.reference, p.member_id, p.month, p.amount, p.source) for p in stored] == [
        ("GD101", m.pk, D(2026, 1, 1), 50_000, Source.STATEMENT),
        ("GD102", m.pk, D(2026, 2, 1), 50_000, Source.STATEMENT),
        ("GD103", m2.pk, D(2026, 2, 1), 30_000, Source.STATEMENT),
    ]
    assert stored[2].paid_on == timezone.localdate()
    assert stored[0].recorded_by == cast.base_officer
    events = AuditEvent.objects.filter(kind="dues.statement_imported").order_by("pk")
    assert [e.facts for e in events] == [
        {"file": "saoke.csv", "recorded": "3", "already": "0"},
        {"file": "saoke.csv", "recorded": "0", "already": "3"},
    ]
    # A later statement repeating one payment and adding one: only the new one is recorded.
    more = [*rows[:2], ["GD104", m2.code, "03/2026", "30000", "05/03/2026"]]
    result = services.statement_import(file=upload(more), unit=world.base, actor=None)
    assert (result.recorded, result.already) == (1, 1)
    # A reference already recorded for another member, month or amount is a bad row.
    clash = [
        HEAD,
        ["GD101", m2.code, "01/2026", "50000", "05/02/2026"],
        ["GD102", m.code, "02/2026", "60000", "05/02/2026"],
        ["GD105", m.code, "04/2026", "50000", "05/04/2026"],
    ]
    result = services.statement_import(file=upload(clash), unit=world.base, actor=None)
    assert {b.number: b.reasons for b in result.bad} == {
        2: ["The reference GD101 was already recorded for Nguyễn Văn Hùng, 01/2026."],
        3: ["The reference GD102 was already recorded with 50.000 đồng."],
    }
    assert DuesPayment.objects.count() == 4


def test_an_xlsx_export_with_a_title_block_and_headers_without_accents(world):
    m = world.member
    book = xlsx(
        {
            "Bao cao": [
                ["CỔNG DỊCH VỤ CÔNG QUỐC GIA"],
                ["Bảng kê thanh toán đảng phí"],
                [],
                ["STT", "Ma giao dich", "Ma dang vien", "Ky dong", "So tien", "Ngay thanh toan"],
                [1, "PT-9001", m.code, dt.datetime(2026, 3, 1), 52000, dt.datetime(2026, 3, 9)],
                [2, "PT-9002", m.code, "2026-04", 52000.0, "09/04/2026"],
            ]
        }
    )
    result = services.statement_import(
        file=SimpleUploadedFile("export.xlsx", book), unit=world.cell, actor=None
    )
    assert (result.recorded, result.bad) == (2, [])
    assert list(DuesPayment.objects.values_list("month", "amount", "paid_on")) == [
        (D(2026, 3, 1), 52_000, D(2026, 3, 9)),
        (D(2026, 4, 1), 52_000, D(2026, 4, 9)),
    ]
    # English headers, ";" as Excel writes under Vietnamese settings.
    english = [
        ["Reference", "Member code", "Month", "Amount", "Paid on"],
        ["EN-1", m.code, "5/2026", "52.000 đ", "09/05/2026"],
    ]
    result = services.statement_import(
        file=upload(english, delimiter=";"), unit=world.base, actor=None
    )
    assert (result.recorded, result.bad) == (1, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "s.csv: the file is empty."),
        (b"%PDF-1.4 \x00\x01\x02", "s.csv: this file is not a spreadsheet."),
        (b"PK\x03\x04 broken", "s.csv: this file is not a spreadsheet."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "s.csv: old Excel (.xls) files cannot be read"),
        (csv_bytes([["Họ tên", "Số tiền"], ["A", "1"]]), "s.csv: no header row naming"),
        (
            csv_bytes([["Mã giao dịch", "Mã đảng viên", "Số tiền"], ["A", "B", "1"]]),
            "s.csv: the column Tháng đóng is missing.",
        ),
        (csv_bytes([HEAD, ["GD", "Mã", "03/2026", "1", ""]], encoding="cp1258"), "not UTF-8"),
        (csv_bytes([HEAD]), "s.csv: the statement has no payments."),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused(world, content, message):
    with pytest.raises(ValidationError) as e:
        services.statement_import(
            file=SimpleUploadedFile("s.csv", content), unit=world.base, actor=None
        )
    assert message in e.value.message_dict["file"][0]
    assert written() == (0, 0, 0)


def test_a_member_transferred_away_pays_the_months_of_the_old_cell(world):
    """The statement names a member whose record has left the commune: their payments for
    months they were placed there are the commune's; later months are not."""
    from chibo.members.transfers import member_transfer

    m = world.member
    member_transfer(actor=None, member=m, to_unit=world.other_cell, left_on=D(2026, 5, 10))
    rows = [
        HEAD,
        ["T1", m.code, "05/2026", "50000", "01/06/2026"],
        ["T2", m.code, "06/2026", "50000", "01/06/2026"],
    ]
    result = services.statement_import(file=upload(rows), unit=world.base, actor=None)
    assert {b.number for b in result.bad} == {3}
    rows.pop()
    assert services.statement_import(file=upload(rows), unit=world.base, actor=None).recorded == 1


def test_amounts_as_statements_write_them():
    assert [read_amount(v) for v in (50000, 50000.0, "50000", "50.000", "50,000", "1.234.567")] == [
        50_000,
        50_000,
        50_000,
        50_000,
        50_000,
        1_234_567,
    ]
    assert [read_amount(v) for v in ("50.000 đ", "50000 VND", "50000.00", " 52 000 ")] == [
        50_000,
        50_000,
        50_000,
        52_000,
    ]
    bad = (0, -1, 1.5, "", None, True, "12,5", "50.00.0", "abc", "0")
    assert [read_amount(v) for v in bad] == [None] * len(bad)


def test_payments_recorded_by_hand_are_not_statement_payments(world):
    pay(world.member, D(2026, 3, 1), 50_000, reference="GD500")
    rows = [HEAD, ["GD500", world.member.code, "03/2026", "50000", "15/03/2026"]]
    result = services.statement_import(file=upload(rows), unit=world.base, actor=None)
    assert result.recorded == 1  # another source: the reference is unique per source
