"""The dues pages by persona: each works for the right person, 404 for an outsider, 403 for
a read-only role on a write, 405 on a wrong method; bad input answered with its message and
nothing written."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.core.models import AuditEvent
from chibo.dues import months
from chibo.dues.models import Category, DuesBasis, DuesPayment, DuesWaiver, Source
from chibo.testing.workbooks import csv_bytes

from .helpers import D, basis, charge, pay

MARCH = D(2026, 3, 1)


@pytest.fixture
def ledger(world, cast):
    """March 2026 in X01-CB01: the member owes 50.000 đ and 30.000 đ of February; the
    secretary (a member of the cell) paid March."""
    secretary = cast.secretary.member
    for m in (world.member, secretary):
        basis(m, D(2025, 1, 1), Category.SALARIED, 5_000_000)
        charge(m, MARCH, 50_000)
        charge(m, D(2026, 2, 1), 30_000)
    pay(secretary, MARCH, 50_000, on=D(2026, 3, 5))
    pay(secretary, D(2026, 2, 1), 30_000, on=D(2026, 2, 5))
    return world.member


def page(client, url, **kw):
    return client.get(url, headers={"Accept-Language": "en"}, **kw)


def post(client, url, data, **kw):
    return client.post(url, data, headers={"Accept-Language": "en"}, **kw)


def test_the_cell_page(world, cast, en, ledger):
    url = f"/dues/cell/{world.cell.pk}/?month=03/2026"
    r = en(cast.secretary).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Nguyễn Văn Hùng" in html and "Paid 50.000 đ" in html
    data = r.context["data"]
    rows = {row.full_name: row for row in data.rows}
    assert (rows["Nguyễn Văn Hùng"].due, rows["Nguyễn Văn Hùng"].arrears) == (50_000, 30_000)
    assert rows["Phạm Văn Bí Thư"].status == "paid"
    assert (data.due, data.paid, data.unpaid, data.arrears) == (100_000, 50_000, 50_000, 30_000)
    for user in (cast.base_officer, cast.viewer, cast.province_officer):
        assert en(user).get(url).status_code == 200
    assert en(cast.outsider).get(url).status_code == 404
    assert en(cast.member).get(url).status_code == 403
    assert en(cast.secretary).get(f"/dues/cell/{world.cell2.pk}/").status_code == 404
    assert en(cast.base_officer).get(f"/dues/cell/{world.base.pk}/").status_code == 404
    r = en(cast.secretary).get(f"/dues/cell/{world.cell.pk}/?month=13/2026")
    assert r.status_code == 422 and "Give the month as mm/yyyy." in r.content.decode()
    # The viewer sees no button.
    assert "Paid 50.000 đ" not in en(cast.viewer).get(url).content.decode()


def test_one_tap_records_what_is_left_of_the_month_once(world, cast, en, ledger):
    url = f"/dues/cell/{world.cell.pk}/pay/"
    data = {"member": ledger.pk, "month": "03/2026", "amount": 50_000, "paid_before": 0}
    assert en(cast.viewer).post(url, data).status_code == 403
    assert en(cast.outsider).post(url, data).status_code == 404
    assert en(cast.secretary).get(url).status_code == 405
    assert not DuesPayment.objects.filter(member=ledger).exists()
    r = en(cast.secretary).post(url, data, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "Nguyễn Văn Hùng paid 50.000 đồng for 03/2026." in r.content.decode()
    payment = DuesPayment.objects.get(member=ledger)
    assert (payment.month, payment.amount, payment.source) == (MARCH, 50_000, Source.TREASURER)
    assert payment.paid_on == timezone.localdate() and payment.recorded_by == cast.secretary
    # The second tap of a double tap: refused, one payment.
    r = en(cast.secretary).post(url, data, headers={"HX-Request": "true"})
    assert r.status_code == 422
    assert "were recorded meanwhile" in r.content.decode()
    assert DuesPayment.objects.filter(member=ledger).count() == 1
    # A member of another cell is not on this list.
    other = {**data, "member": world.member2.pk}
    r = en(cast.secretary).post(url, other)
    assert r.status_code == 422 and "Choose a member of the list." in r.content.decode()
    # Without HTMX: back to the month.
    r = en(cast.base_officer).post(url, {**data, "month": "02/2026", "amount": 30_000})
    assert r.status_code == 302 and r["Location"].endswith("?month=02/2026")


def test_posting_a_month_from_the_cell_page(world, cast, en, ledger):
    DuesBasis.objects.filter(member=world.member2).delete()
    url = f"/dues/cell/{world.cell.pk}/post/"
    assert en(cast.viewer).post(url, {"month": "01/2026"}).status_code == 403
    assert en(cast.secretary).get(url).status_code == 405
    r = en(cast.secretary).post(url, {"month": "01/2026"}, follow=True)
    assert "2 charges posted for 01/2026." in r.content.decode()


def test_the_member_page(world, cast, en, ledger):
    url = f"/dues/member/{ledger.pk}/"
    r = en(cast.member).get(url)  # their own
    assert r.status_code == 200
    months_shown = [m.month for m in r.context["ledger"].months]
    # This month's charge was posted with the basis (the test runs after March 2026).
    assert months_shown == [months.first(timezone.localdate()), D(2026, 3, 1), D(2026, 2, 1)]
    assert r.context["payment_form"] is None and r.context["basis_form"] is None
    for user in (cast.secretary, cast.viewer, cast.base_officer):
        assert en(user).get(url).status_code == 200
    assert en(cast.outsider).get(url).status_code == 404
    assert en(cast.member).get(f"/dues/member/{world.member2.pk}/").status_code == 404
    assert en(cast.secretary).get(url).context["basis_form"] is None  # office only
    assert en(cast.base_officer).get(url).context["basis_form"] is not None


def test_payments_on_the_member_page(world, cast, en, ledger):
    url = f"/dues/member/{ledger.pk}/pay/"
    data = {"month": "02/2026", "amount": "30.000", "paid_on": "05/03/2026", "reference": "PT-12"}
    assert en(cast.viewer).post(url, data).status_code == 403
    assert en(cast.outsider).post(url, data).status_code == 404
    assert en(cast.member).post(url, data).status_code == 403  # their own: read only
    assert en(cast.secretary).get(url).status_code == 405
    r = en(cast.secretary).post(url, {**data, "amount": "0"})
    assert r.status_code == 422 and "a whole number above 0" in r.content.decode()
    r = en(cast.secretary).post(url, {**data, "paid_on": "05/03/2099"})
    assert (
        r.status_code == 422 and "The payment date cannot be in the future." in r.content.decode()
    )
    assert not DuesPayment.objects.filter(member=ledger).exists()
    assert en(cast.secretary).post(url, data).status_code == 302
    r = en(cast.secretary).post(url, data)
    assert r.status_code == 422 and "This payment is already recorded." in r.content.decode()
    payment = DuesPayment.objects.get(member=ledger)
    assert (payment.amount, payment.paid_on, payment.reference) == (30_000, D(2026, 3, 5), "PT-12")
    delete = f"/dues/payment/{payment.pk}/delete/"
    assert en(cast.viewer).post(delete).status_code == 403
    assert en(cast.outsider).post(delete).status_code == 404
    assert en(cast.secretary).get(delete).status_code == 405
    assert en(cast.secretary).post(delete).status_code == 302
    assert not DuesPayment.objects.filter(member=ledger).exists()


def test_basis_and_waivers_are_the_offices(world, cast, en, ledger):
    url = f"/dues/member/{ledger.pk}/basis/"
    data = {"valid_from": "04/2026", "category": "pensioner", "base_amount": "3.300.000"}
    assert en(cast.secretary).post(url, data).status_code == 403
    assert en(cast.viewer).post(url, data).status_code == 403
    assert en(cast.outsider).post(url, data).status_code == 404
    assert en(cast.base_officer).get(url).status_code == 405
    before = DuesBasis.objects.count()
    r = en(cast.base_officer).post(url, {**data, "base_amount": ""})
    assert r.status_code == 422
    assert "Give the salary or pension in đồng, a whole number above 0." in r.content.decode()
    r = en(cast.base_officer).post(url, {**data, "category": "other"})
    assert r.status_code == 422
    assert "Choose the area whose fixed amount the member pays." in r.content.decode()
    assert DuesBasis.objects.count() == before
    assert en(cast.base_officer).post(url, data).status_code == 302
    b = DuesBasis.objects.get(member=ledger, valid_from=D(2026, 4, 1))
    assert (b.category, b.base_amount, b.recorded_by) == ("pensioner", 3_300_000, cast.base_officer)
    waiver = f"/dues/member/{ledger.pk}/waiver/"
    w = {"start": "02/2026", "end": "03/2026", "reason": "Ốm nặng"}
    assert en(cast.secretary).post(waiver, w).status_code == 403
    r = en(cast.base_officer).post(waiver, {**w, "end": "01/2026"})
    assert (
        r.status_code == 422 and "The last month cannot be before the first." in r.content.decode()
    )
    assert en(cast.base_officer).post(waiver, w).status_code == 302
    r = en(cast.base_officer).post(waiver, w)
    assert r.status_code == 422 and "already excused from 02/2026 to 03/2026" in r.content.decode()
    made = DuesWaiver.objects.get()
    # Excused: February no longer in arrears, March not owed.
    r = en(cast.secretary).get(f"/dues/cell/{world.cell.pk}/?month=03/2026")
    row = next(x for x in r.context["data"].rows if x.member_id == ledger.pk)
    assert (row.status, row.arrears, row.to_pay) == ("waived", 0, 0)
    delete = f"/dues/waiver/{made.pk}/delete/"
    assert en(cast.secretary).post(delete).status_code == 403
    assert en(cast.outsider).post(delete).status_code == 404
    assert en(cast.base_officer).post(delete).status_code == 302
    assert not DuesWaiver.objects.exists()


def test_the_unit_page(world, cast, en, ledger):
    url = f"/dues/unit/{world.base.pk}/?month=03/2026"
    r = en(cast.viewer).get(url)
    assert r.status_code == 200
    cells = {c.cell_name: (c.members, c.due, c.paid, c.unpaid) for c in r.context["cells"]}
    assert cells == {"Chi bộ thôn Đông": (2, 100_000, 50_000, 50_000)}
    arrears = {a.full_name: (a.months, a.owed) for a in r.context["arrears"]}
    # Before this month (December 2026): February and March of the member.
    assert arrears == {"Nguyễn Văn Hùng": (2, 80_000)}
    assert "Import a payment statement" not in r.content.decode()  # a viewer
    assert "Import a payment statement" in en(cast.base_officer).get(url).content.decode()
    assert en(cast.outsider).get(url).status_code == 404
    assert en(cast.member).get(url).status_code == 403


HEAD = ["Mã giao dịch", "Mã đảng viên", "Tháng đóng", "Số tiền", "Ngày nộp"]


def test_the_statement_page(world, cast, en, ledger):
    url = f"/dues/unit/{world.base.pk}/statement/"
    assert en(cast.base_officer).get(url).status_code == 200
    assert en(cast.viewer).get(url).status_code == 403
    assert en(cast.secretary).get(url).status_code == 404
    assert en(cast.outsider).get(url).status_code == 404
    assert en(cast.base_officer).put(url).status_code == 405
    bad = csv_bytes(
        [
            HEAD,
            ["GD1", ledger.code, "02/2026", "30000", "05/03/2026"],
            ["GD2", "NOBODY", "02/2026", "30000", "05/03/2026"],
        ]
    )
    events = AuditEvent.objects.count()
    r = en(cast.base_officer).post(url, {"file": SimpleUploadedFile("bad.csv", bad)})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Unknown member code NOBODY." in html and "Nothing was recorded." in html
    assert 'id="record-form"' not in html
    assert not DuesPayment.objects.filter(source=Source.STATEMENT).exists()
    assert AuditEvent.objects.count() == events
    good = csv_bytes([HEAD, ["GD1", ledger.code, "02/2026", "30000", "05/03/2026"]])
    r = en(cast.base_officer).post(url, {"file": SimpleUploadedFile("ok.csv", good)})
    assert r.status_code == 200 and "1 payment to record" in r.content.decode()
    assert not DuesPayment.objects.filter(source=Source.STATEMENT).exists()  # a preview
    confirm = {"content": base64.b64encode(good).decode(), "name": "ok.csv"}
    assert en(cast.viewer).post(url, confirm).status_code == 403
    r = en(cast.base_officer).post(url, confirm, follow=True)
    assert "ok.csv: 1 payments recorded, 0 already recorded." in r.content.decode()
    r = en(cast.base_officer).post(url, confirm, follow=True)
    assert "ok.csv: 0 payments recorded, 1 already recorded." in r.content.decode()
    assert DuesPayment.objects.filter(source=Source.STATEMENT).count() == 1
    r = en(cast.base_officer).post(url, {"file": SimpleUploadedFile("x.docx", b"PK\x03\x04zz")})
    assert r.status_code == 422 and "this file is not a spreadsheet" in r.content.decode()


def test_the_unit_page_links(world, cast, en):
    r = en(cast.base_officer).get(f"/org/units/{world.base.pk}/")
    html = r.content.decode()
    assert (
        f"/dues/unit/{world.base.pk}/" in html and f"/dues/unit/{world.base.pk}/statement/" in html
    )
    html = en(cast.viewer).get(f"/org/units/{world.base.pk}/").content.decode()
    assert f"/dues/unit/{world.base.pk}/statement/" not in html
    html = en(cast.secretary).get(f"/org/units/{world.cell.pk}/").content.decode()
    assert f"/dues/cell/{world.cell.pk}/" in html
    assert months.text(MARCH) == "03/2026"
