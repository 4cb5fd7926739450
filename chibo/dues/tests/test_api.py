"""/api/v1/dues by persona: a cell's month, a member's ledger, payments, bases, waivers,
arrears, members without a basis and the payment statement; scoping and errors in English."""

import pytest
from django.utils import timezone

from chibo.dues import months
from chibo.dues.models import Category, DuesBasis, DuesPayment, DuesWaiver, Source
from chibo.testing.api import EN, all_pages, call
from chibo.testing.workbooks import csv_bytes

from .helpers import D, basis, charge, pay

MARCH = D(2026, 3, 1)


@pytest.fixture
def ledger(world, cast):
    m = world.member
    basis(m, D(2025, 1, 1), Category.SALARIED, 5_000_000)
    charge(m, MARCH, 50_000)
    charge(m, D(2026, 2, 1), 30_000)
    pay(m, D(2026, 2, 1), 10_000, on=D(2026, 2, 5))
    return m


def test_a_cells_month(world, cast, client_for, ledger):
    path = f"/dues/cells/{world.cell.pk}?month=2026-03"
    r = call(client_for(cast.secretary), "GET", path)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["cell"], body["month"], body["due"], body["paid"]) == (
        world.cell.pk,
        "2026-03",
        50_000,
        0,
    )
    rows = {x["full_name"]: x for x in body["members"]}
    hung = rows["Nguyễn Văn Hùng"]
    assert (hung["due"], hung["status"], hung["to_pay"], hung["arrears"]) == (
        50_000,
        "unpaid",
        50_000,
        20_000,
    )
    assert rows["Phạm Văn Bí Thư"]["has_basis"] is False
    for user in (cast.viewer, cast.base_officer):
        assert call(client_for(user), "GET", path).status_code == 200
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert call(client_for(cast.member), "GET", path).status_code == 403
    assert (
        call(client_for(cast.base_officer), "GET", f"/dues/cells/{world.base.pk}").status_code
        == 404
    )
    r = call(client_for(cast.secretary), "GET", f"/dues/cells/{world.cell.pk}?month=03/2026")
    assert r.status_code == 422 and "Give the month as YYYY-MM." in r.text
    assert call(client_for(cast.secretary), "POST", path, {}).status_code == 405


def test_a_members_ledger(world, cast, client_for, ledger):
    path = f"/dues/members/{ledger.pk}"
    r = call(client_for(cast.member), "GET", path)  # their own
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["arrears"], body["arrears_months"]) == (70_000, 2)
    by_month = {m["month"]: m for m in body["months"]}
    assert by_month["2026-02"]["paid"] == 10_000
    assert by_month["2026-02"]["payments"][0]["source"] == "treasurer"
    assert (
        body["bases"][0]["valid_from"] == "2025-01" and body["bases"][0]["base_amount"] == 5_000_000
    )
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert (
        call(client_for(cast.member), "GET", f"/dues/members/{world.member2.pk}").status_code == 404
    )


def test_recording_and_deleting_payments(world, cast, client_for, ledger):
    body = {"member": ledger.pk, "month": "2026-03", "amount": 50_000, "reference": "PT-1"}
    assert call(client_for(cast.viewer), "POST", "/dues/payments", body).status_code == 403
    assert call(client_for(cast.member), "POST", "/dues/payments", body).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/dues/payments", body).status_code == 404
    r = call(client_for(cast.secretary), "POST", "/dues/payments", {**body, "amount": 0})
    assert r.status_code == 422
    r = call(client_for(cast.secretary), "POST", "/dues/payments", {**body, "month": "2026-13"})
    assert r.status_code == 422 and "Give the month as YYYY-MM." in r.text
    r = call(client_for(cast.secretary), "POST", "/dues/payments", {**body, "extra": 1})
    assert r.status_code == 422
    assert DuesPayment.objects.count() == 1
    r = call(client_for(cast.secretary), "POST", "/dues/payments", body)
    assert r.status_code == 201, r.content
    made = r.json()
    assert (made["month"], made["amount"], made["source"], made["paid_on"]) == (
        "2026-03",
        50_000,
        "treasurer",
        timezone.localdate().isoformat(),
    )
    r = call(client_for(cast.secretary), "POST", "/dues/payments", body)
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "reference"],
            "msg": "This payment is already recorded.",
        }
    ]
    path = f"/dues/payments/{made['id']}"
    assert call(client_for(cast.viewer), "DELETE", path).status_code == 403
    assert call(client_for(cast.outsider), "DELETE", path).status_code == 404
    assert call(client_for(cast.secretary), "GET", path).status_code == 405
    assert call(client_for(cast.secretary), "DELETE", path).status_code == 204
    assert DuesPayment.objects.count() == 1


def test_bases_and_waivers(world, cast, client_for, ledger):
    body = {"member": ledger.pk, "valid_from": "2026-03", "category": "other", "area": "area2"}
    assert call(client_for(cast.secretary), "POST", "/dues/bases", body).status_code == 403
    assert call(client_for(cast.viewer), "POST", "/dues/bases", body).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/dues/bases", body).status_code == 404
    r = call(client_for(cast.base_officer), "POST", "/dues/bases", {**body, "category": "salaried"})
    assert r.status_code == 422
    assert "Give the salary or pension in đồng" in r.json()["detail"][0]["msg"]
    r = call(client_for(cast.base_officer), "POST", "/dues/bases", {**body, "category": "x"})
    assert r.status_code == 422
    assert DuesBasis.objects.filter(member=ledger).count() == 1
    r = call(client_for(cast.base_officer), "POST", "/dues/bases", body)
    assert r.status_code == 201, r.content
    assert (r.json()["valid_from"], r.json()["area"], r.json()["base_amount"]) == (
        "2026-03",
        "area2",
        None,
    )
    # March was worked out again: 8.000 đ (area 2).
    r = call(client_for(cast.base_officer), "GET", f"/dues/cells/{world.cell.pk}?month=2026-03")
    assert next(x for x in r.json()["members"] if x["member"] == ledger.pk)["due"] == 8_000

    w = {"member": ledger.pk, "start": "2026-02", "end": "2026-03", "reason": "Khó khăn"}
    assert call(client_for(cast.secretary), "POST", "/dues/waivers", w).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/dues/waivers", w).status_code == 404
    r = call(client_for(cast.base_officer), "POST", "/dues/waivers", {**w, "reason": " "})
    assert r.status_code == 422 and "Give the reason." in r.text
    r = call(client_for(cast.base_officer), "POST", "/dues/waivers", w)
    assert r.status_code == 201, r.content
    waiver = r.json()
    assert (waiver["start"], waiver["end"]) == ("2026-02", "2026-03")
    listed = call(client_for(cast.secretary), "GET", f"/dues/waivers?member={ledger.pk}")
    assert [x["id"] for x in listed.json()] == [waiver["id"]]
    r = call(client_for(cast.base_officer), "GET", f"/dues/members/{ledger.pk}")
    assert r.json()["arrears"] == 0
    path = f"/dues/waivers/{waiver['id']}"
    assert call(client_for(cast.secretary), "DELETE", path).status_code == 403
    assert call(client_for(cast.base_officer), "DELETE", path).status_code == 204
    assert not DuesWaiver.objects.exists()


def test_arrears_and_members_without_a_basis(world, cast, client_for, ledger):
    charge(world.member2, D(2026, 1, 1), 20_000)
    items = all_pages(client_for(cast.viewer), f"/dues/arrears?unit={world.base.pk}")
    assert [(i["full_name"], i["owed"], i["months"]) for i in items] == [
        ("Nguyễn Văn Hùng", 70_000, 2),
        ("Trần Thị Đào", 20_000, 1),
    ]
    assert items[0]["first_month"] == "2026-02" and items[0]["cell_name"] == "Chi bộ thôn Đông"
    items = all_pages(client_for(cast.viewer), f"/dues/arrears?unit={world.cell2.pk}")
    assert [i["full_name"] for i in items] == ["Trần Thị Đào"]
    assert (
        call(client_for(cast.outsider), "GET", f"/dues/arrears?unit={world.base.pk}").status_code
        == 404
    )
    items = all_pages(
        client_for(cast.viewer), f"/dues/without-basis?unit={world.base.pk}&month=2026-03"
    )
    assert {i["full_name"] for i in items} == {"Trần Thị Đào", "Phạm Văn Bí Thư"}
    r = call(client_for(cast.viewer), "GET", f"/dues/units/{world.base.pk}?month=2026-03")
    assert r.json()["cells"] == [
        {
            "cell": world.cell.pk,
            "cell_name": "Chi bộ thôn Đông",
            "members": 1,
            "due": 50_000,
            "paid": 0,
            "unpaid": 50_000,
        }
    ]


HEAD = ["Reference", "Member code", "Month", "Amount", "Paid on"]


def test_the_statement_import(world, cast, client, client_for, ledger):
    path = f"/api/v1/dues/units/{world.base.pk}/statement"
    good = csv_bytes([HEAD, ["GD1", ledger.code, "03/2026", "50000", "05/03/2026"]])
    bad = csv_bytes([HEAD, ["GD1", "NOBODY", "03/2026", "50000", "05/03/2026"]])

    def send(user, content, **data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client_for(user).post(
            path, {"file": SimpleUploadedFile("s.csv", content), **data}, headers=EN
        )

    assert send(cast.viewer, good).status_code == 403
    assert send(cast.secretary, good).status_code == 404
    assert send(cast.outsider, good).status_code == 404
    assert client_for(cast.base_officer).get(path).status_code == 405
    r = send(cast.base_officer, bad)
    assert r.status_code == 422
    assert r.json()["bad"] == [
        {
            "row": 2,
            "reference": "GD1",
            "member_code": "NOBODY",
            "month": "03/2026",
            "amount": "50000",
            "reasons": ["Unknown member code NOBODY."],
        }
    ]
    r = send(cast.base_officer, good, dry_run="true")
    assert r.status_code == 200 and r.json()["to_record"][0]["member"] == ledger.pk
    assert not DuesPayment.objects.filter(source=Source.STATEMENT).exists()
    r = send(cast.base_officer, good)
    assert (r.status_code, r.json()["recorded"], r.json()["already"]) == (200, 1, 0)
    r = send(cast.base_officer, good)
    assert (r.status_code, r.json()["recorded"], r.json()["already"]) == (200, 0, 1)
    r = send(cast.base_officer, b"%PDF-1.4\x00")
    assert r.status_code == 422 and "this file is not a spreadsheet" in r.text
    assert months.iso(MARCH) == "2026-03"
