"""The dues sheet: a past ledger imported as charges (imported) and payments (source
"import", reference from the row's key); the same rows again change nothing; a corrected
amount updates them; bad rows refuse the whole import."""

import pytest
from django.utils import translation

from chibo.dues import services
from chibo.dues.importing import DUES
from chibo.dues.models import DuesCharge, DuesPayment, Source
from chibo.imports.services import import_commit, import_preview
from chibo.testing.lifecycle import statuses
from chibo.testing.workbooks import messages, xlsx

from .helpers import D, basis

HEAD = ["Mã hồ sơ đảng viên", "Tháng", "Số phải đóng", "Số đã đóng", "Ngày đóng"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def book(*rows):
    return [("so-dang-phi.xlsx", xlsx({"Đảng phí": [HEAD, *rows]}))]


def ledger() -> list[tuple]:
    charges = DuesCharge.objects.order_by("month").values_list(
        "member__code", "month", "amount", "imported", "cell__code"
    )
    payments = DuesPayment.objects.order_by("month").values_list(
        "member__code", "month", "amount", "paid_on", "source", "reference"
    )
    return [*charges, *payments]


def test_a_past_ledger_and_its_reimport(world, cast):
    code = world.member.code
    rows = [
        [code, "01/2025", 20000, 20000, "10/01/2025"],
        [code, "02/2025", 20000, 10000, ""],  # part paid; no day: the month's last
        [code, D(2025, 3, 1), 20000, None, None],  # a date cell: its month; nothing paid
        [code, "4/2025", None, 20000, "02/05/2025"],  # a payment only
    ]
    preview = import_preview(actor=cast.base_officer, files=book(*rows))
    assert statuses(preview)["dues"] == ["create"] * 4
    assert ledger() == []
    report = import_commit(actor=cast.base_officer, files=book(*rows))
    assert report.committed
    assert ledger() == [
        (code, D(2025, 1, 1), 20_000, True, "X01-CB01"),
        (code, D(2025, 2, 1), 20_000, True, "X01-CB01"),
        (code, D(2025, 3, 1), 20_000, True, "X01-CB01"),
        (code, D(2025, 1, 1), 20_000, D(2025, 1, 10), Source.IMPORT, f"sheet:{code}:2025-01"),
        (code, D(2025, 2, 1), 10_000, D(2025, 2, 28), Source.IMPORT, f"sheet:{code}:2025-02"),
        (code, D(2025, 4, 1), 20_000, D(2025, 5, 2), Source.IMPORT, f"sheet:{code}:2025-04"),
    ]
    before = ledger()
    again = import_commit(actor=cast.base_officer, files=book(*rows))
    assert statuses(again)["dues"] == ["unchanged"] * 4
    assert ledger() == before
    # The February payment corrected: the same payment, the new amount.
    rows[1] = [code, "02/2025", 20000, 20000, "28/02/2025"]
    report = import_commit(actor=cast.base_officer, files=book(*rows))
    assert statuses(report)["dues"] == ["unchanged", "update", "unchanged", "unchanged"]
    assert DuesPayment.objects.get(month=D(2025, 2, 1)).amount == 20_000
    assert DuesPayment.objects.count() == 3


def test_bad_rows_refuse_the_whole_import(world, cast):
    code = world.member.code
    basis(world.member, D(2025, 1, 1))  # posts this month's charge: 50.000 đ
    posted = DuesCharge.objects.get()
    month = posted.month.strftime("%m/%Y")
    rows = [
        [code, "01/2025", 20000, 20000, "10/01/2025"],  # good, but not written
        ["NOBODY", "01/2025", 20000, 20000, "10/01/2025"],
        [code, "13/2025", 20000, 0, ""],
        [code, "02/2025", None, None, ""],
        [code, month, 60000, None, ""],  # Chibo posted 50.000 đ: kept
        [world.other_member.code, "01/2025", 20000, 0, ""],  # another commune's member
    ]
    report = import_commit(actor=cast.base_officer, files=book(*rows))
    assert not report.committed
    assert statuses(report)["dues"] == ["create", "error", "error", "error", "error", "error"]
    said = messages(report)
    assert "Unknown member code NOBODY." in said
    assert "Give the month as mm/yyyy." in said
    assert "Give the amount due or the amount paid." in said
    assert f"Chibo already posted 50.000 đồng for {month}; the import does not change it." in said
    assert f"Unknown member code {world.other_member.code}." in said
    assert list(DuesCharge.objects.all()) == [posted] and not DuesPayment.objects.exists()


def test_the_sheet_is_in_the_template():
    from chibo.core.sheets import sheet_named, sheets

    assert sheet_named("Dang phi") is DUES and sheet_named("dues") is DUES
    order = [s.key for s in sheets()]
    assert order.index("dues") > order.index("transfers")


def test_the_statement_and_the_import_are_separate_sources(world):
    services.ledger_import(
        member=world.member,
        month=D(2025, 5, 1),
        amount_due=None,
        amount_paid=20_000,
        paid_on=D(2025, 5, 3),
        actor=None,
    )
    payment = DuesPayment.objects.get()
    assert (payment.source, payment.reference) == (
        Source.IMPORT,
        f"sheet:{world.member.code}:2025-05",
    )
