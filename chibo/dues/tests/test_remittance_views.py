"""The remittance pages: the unit's report by month, the units below for a month, recording,
correcting and deleting, the Excel file; who may do what."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.core.models import AuditEvent
from chibo.dues.models import Remittance
from chibo.org.models import Kind
from chibo.testing import factories as f

from .remittance_helpers import D, charge, pay, remit

MAR = D(2026, 3, 1)


@pytest.fixture
def march(world):
    """March 2026 under the national shares (cell 30%, base 90%): the cell collected 100.000
    and handed up 70.000; the second cell collected 50.000 and recorded nothing."""
    for amount, cell in ((60_000, world.cell), (40_000, world.cell), (50_000, world.cell2)):
        m = f.member(cell)
        charge(m, MAR, cell, amount)
        pay(m, MAR, amount)
    return remit(world.cell, MAR, 70_000, "PT-07")


def url(unit, name="unit"):
    return reverse(f"dues_remittance:{name}", args=[unit.pk])


def data(**changes) -> dict:
    return {
        "year": "2026",
        "month": "03/2026",
        "amount": "63.000",
        "paid_on": "10/04/2026",
        "receipt_number": "12/PT",
        **changes,
    }


def test_the_base_committees_page(world, cast, en, march):
    c = en(cast.base_officer)
    r = c.get(url(world.base), {"year": 2026, "month": "03/2026"})
    assert r.status_code == 200
    page = r.text
    # The month row: 70.000 from the cell, all of it received, 90% kept, 7.000 to hand up.
    row = page[page.index('id="month-03"') : page.index("</tr>", page.index('id="month-03"'))]
    for text in ("70.000", "63.000", "(90%)", "7.000", "not recorded", "-7.000"):
        assert text in row, text
    # The units below in March: the cell's 70.000 against 70.000 owed; the second cell owes
    # 35.000 and recorded nothing.
    cell_row = page[page.index(f'id="child-{world.cell.pk}"') :]
    cell_row = cell_row[: cell_row.index("</tr>")]
    assert "100.000" in cell_row and "(30%)" in cell_row and "PT-07" in cell_row
    assert reverse("documents:remittance_receipt", args=[march.pk]) in cell_row
    cell2_row = page[page.index(f'id="child-{world.cell2.pk}"') :]
    cell2_row = cell2_row[: cell2_row.index("</tr>")]
    assert "35.000" in cell2_row and "-35.000" in cell2_row and "not recorded" in cell2_row
    assert "1 unit below handed up less than it owes." in page
    # The form, filled with what is owed.
    assert 'id="record-form"' in page and 'value="7000"' in page
    # HTMX: the report alone.
    r = c.get(url(world.base), {"year": 2026, "month": "03/2026"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="report">')


def test_record_correct_and_delete(world, cast, en, march):
    c = en(cast.base_officer)
    r = c.post(url(world.base, "record"), data())
    assert r.status_code == 302
    assert r["Location"] == f"{url(world.base)}?year=2026&month=03/2026"
    got = Remittance.objects.get(unit=world.base)
    assert (got.month, got.amount, got.paid_on, got.receipt_number) == (
        MAR,
        63_000,
        D(2026, 4, 10),
        "12/PT",
    )
    page = c.get(r["Location"]).text
    assert "The dues handed up for 03/2026 are recorded." in page
    assert 'id="delete-form"' in page
    r = c.post(url(world.base, "record"), data(amount="7000", receipt_number=""))
    assert r.status_code == 302
    got.refresh_from_db()
    assert (got.amount, got.receipt_number) == (7_000, "")
    assert Remittance.objects.filter(unit=world.base).count() == 1
    r = c.post(reverse("dues_remittance:delete", args=[got.pk]))
    assert r.status_code == 302 and r["Location"] == f"{url(world.base)}?year=2026&month=03/2026"
    assert not Remittance.objects.filter(unit=world.base).exists()
    assert "The dues handed up for 03/2026 are deleted." in c.get(r["Location"]).text


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount": "abc"}, "Enter the amount in đồng as a whole number, e.g. 1.250.000."),
        ({"amount": "1.25"}, "Enter the amount in đồng as a whole number, e.g. 1.250.000."),
        ({"amount": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"amount": ""}, "This field is required."),
        ({"paid_on": "31/02/2026"}, "Date as dd/mm/yyyy, e.g."),
        ({"paid_on": "28/02/2026"}, "The dues of 03/2026 are handed over from 01/03/2026 on."),
        ({"month": "13/2026"}, "Select a valid choice."),
        ({"month": "03/2025"}, "Select a valid choice."),  # not a month of the year shown
        ({"receipt_number": "x" * 41}, "Ensure this value has at most 40 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(world, cast, en, march, changes, message):
    before = (Remittance.objects.count(), AuditEvent.objects.count())
    r = en(cast.base_officer).post(url(world.base, "record"), data(**changes))
    assert r.status_code == 422
    assert message in r.text
    assert (Remittance.objects.count(), AuditEvent.objects.count()) == before


def test_amounts_as_people_type_them(world, cast, en):
    c = en(cast.base_officer)
    for typed, amount in (
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250.000 đ", 1_250_000),
        ("12.000đồng", 12_000),
    ):
        r = c.post(url(world.base, "record"), data(amount=typed))
        assert r.status_code == 302, typed
        assert Remittance.objects.get(unit=world.base).amount == amount
    r = c.post(url(world.base, "record"), data(amount="1.25.000"))
    assert r.status_code == 422


def test_the_years_and_months_shown(world, cast, en, march):
    c = en(cast.viewer)
    today = timezone.localdate()
    r = c.get(url(world.base))  # this year, its latest month
    assert r.status_code == 200
    assert f'id="month-{today:%m}" class="table-active"' in r.text
    r = c.get(url(world.base), {"year": 2025})
    assert r.status_code == 200 and 'id="month-12" class="table-active"' in r.text
    r = c.get(url(world.base), {"year": today.year + 1})
    assert r.status_code == 422 and f"Choose a year from 1990 to {today.year}." in r.text
    r = c.get(url(world.base), {"year": "abc"})
    assert r.status_code == 422 and "Enter a whole number." in r.text
    r = c.get(url(world.base), {"year": 2026, "month": "07/2025"})  # not of that year
    assert r.status_code == 200 and f'id="month-{today:%m}" class="table-active"' in r.text
    assert 'id="record-form"' not in r.text  # a viewer reads


def test_permissions(world, cast, client_for, march):
    base, cell = url(world.base), url(world.cell)
    # Outside the scope: 404 for every page and write.
    out = client_for(cast.outsider)
    assert out.get(base).status_code == 404
    assert out.post(url(world.base, "record"), data()).status_code == 404
    assert out.get(url(world.base, "export")).status_code == 404
    assert out.post(reverse("dues_remittance:delete", args=[march.pk])).status_code == 404
    # A member with no unit role: 403.
    assert client_for(cast.member).get(cell).status_code == 403
    assert client_for(cast.member).post(url(world.cell, "record"), data()).status_code == 403
    # A viewer reads and does not write.
    viewer = client_for(cast.viewer)
    assert viewer.get(base).status_code == 200
    assert viewer.get(url(world.base, "export")).status_code == 200
    assert viewer.post(url(world.base, "record"), data()).status_code == 403
    assert viewer.post(reverse("dues_remittance:delete", args=[march.pk])).status_code == 403
    # The cell's secretary: the cell's page and its remittance; nothing above.
    sec = client_for(cast.secretary)
    r = sec.get(cell, {"year": 2026, "month": "03/2026"})
    assert r.status_code == 200 and 'id="record-form"' in r.text
    assert sec.get(base).status_code == 404
    assert sec.post(url(world.base, "record"), data()).status_code == 404
    r = sec.post(url(world.cell, "record"), data(amount="70.000", receipt_number="PT-08"))
    assert r.status_code == 302
    assert Remittance.objects.get(unit=world.cell).receipt_number == "PT-08"
    # A party group hands nothing up: no page.
    group = f.unit(Kind.PARTY_GROUP, world.cell)
    assert client_for(cast.base_officer).get(url(group)).status_code == 404
    # The province's office records for a cell below it.
    r = client_for(cast.province_officer).post(url(world.cell2, "record"), data(amount="35000"))
    assert r.status_code == 302 and Remittance.objects.get(unit=world.cell2).amount == 35_000
    # Wrong methods.
    office = client_for(cast.base_officer)
    assert office.put(base).status_code == 405
    assert office.post(base).status_code == 405
    assert office.get(url(world.base, "record")).status_code == 405
    assert office.get(reverse("dues_remittance:delete", args=[march.pk])).status_code == 405
    assert office.post(url(world.base, "export")).status_code == 405


def test_the_unit_page_links_the_report(world, cast, en):
    r = en(cast.base_officer).get(reverse("org:unit", args=[world.cell.pk]))
    assert r.status_code == 200
    assert url(world.cell) in r.text and "Dues received and handed up" in r.text
    group = f.unit(Kind.PARTY_GROUP, world.cell)
    r = en(cast.base_officer).get(reverse("org:unit", args=[group.pk]))
    assert r.status_code == 200 and "/dues/remittances/" not in r.text


def test_excel_report(world, cast, client_for, march):
    remit(world.base, MAR, 6_000, "12/PT")
    r = client_for(cast.viewer).get(url(world.base, "export"), {"year": 2026})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="nop-dang-phi-x01-2026.xlsx"'
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["Theo tháng"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "BÁO CÁO THU, NỘP ĐẢNG PHÍ NĂM 2026"
    assert rows[1][0] == "Đảng bộ xã An Hòa"
    header = rows[3]
    assert header[:5] == (
        "Tháng",
        "Đảng viên phải nộp (đồng)",
        "Thu của đảng viên (đồng)",
        "Cấp dưới nộp lên (đồng)",
        "Tổng số nhận (đồng)",
    )
    months = {row[0]: row for row in rows[4:]}
    assert len(months) == timezone.localdate().month + 1  # the months begun, and the total
    mar = months["03/2026"]
    assert mar[3:9] == (70_000, 70_000, 90, 63_000, 7_000, 6_000)
    assert mar[9] == dt.datetime(2026, 3, 21) and mar[10] == "12/PT" and mar[11] == -1_000
    assert months["Cộng"][4] == 70_000
    money = ws.cell(row=4 + 3, column=5)  # March's "Tổng số nhận"
    assert money.value == 70_000 and money.number_format == "#,##0"
    below = wb["Cấp dưới nộp lên"]
    rows = [r for r in below.iter_rows(values_only=True) if r and r[0] == "03/2026"]
    assert [(r[1], r[2], r[3], r[9], r[12]) for r in rows] == [
        ("X01-CB01", "Chi bộ thôn Đông", 100_000, 70_000, 0),
        ("X01-CB02", "Chi bộ trường Tiểu học", 50_000, None, -35_000),
    ]


def test_the_page_does_not_grow_with_the_units_below(world, cast, client_for, march):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(cast.base_officer)
    params = {"year": 2026, "month": "03/2026"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url(world.base), params).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm the process's caches (content types, sessions)
    before = queries()
    for _ in range(5):
        cell = f.unit(Kind.CELL, world.base)
        m = f.member(cell)
        charge(m, MAR, cell, 10_000)
        pay(m, MAR, 10_000)
        remit(cell, MAR, 7_000)
    assert queries() == before
    assert before <= 20, before
