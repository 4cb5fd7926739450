"""/api/v1/dues/remittances: the report of a unit's year, a remittance recorded, corrected,
read and deleted; scoping and errors in English."""

from django.utils import timezone

from chibo.core.models import AuditEvent
from chibo.dues.models import Remittance
from chibo.testing import factories as f
from chibo.testing.api import call

from .remittance_helpers import D, charge, pay, province_shares, remit

MAR = D(2026, 3, 1)


def test_the_report(world, cast, client_for):
    province_shares(
        world.province, D(2026, 1, 1), {"cell": 50, "base": 80, "district": 50, "province": 50}
    )
    m = f.member(world.cell)
    charge(m, MAR, world.cell, 30_000)
    pay(m, MAR, 30_001)  # a little more than due: what was paid counts
    r1 = remit(world.cell, MAR, 15_000, "PT-1")
    path = f"/dues/remittances/report?unit={world.base.pk}&year=2026"
    r = call(client_for(cast.viewer), "GET", path)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["unit"], body["year"]) == (world.base.pk, 2026)
    assert len(body["months"]) == timezone.localdate().month
    mar = body["months"][2]
    assert mar["month"] == "2026-03-01"
    # 15.000 received from the cell; 80% kept (12.000); 3.000 to hand up; nothing recorded.
    assert {k: mar[k] for k in ("share_key", "share", "collected", "from_below", "received")} == {
        "share_key": "base",
        "share": 80,
        "collected": 0,
        "from_below": 15_000,
        "received": 15_000,
    }
    assert (mar["kept"], mar["to_hand_up"], mar["handed_up"], mar["difference"]) == (
        12_000,
        3_000,
        0,
        -3_000,
    )
    assert mar["remittance"] is None
    cell, cell2 = mar["children"]
    assert (cell["unit"], cell["code"], cell["kind"]) == (world.cell.pk, "X01-CB01", "cell")
    assert (cell["due"], cell["collected"], cell["kept"], cell["to_hand_up"]) == (
        30_000,
        30_001,
        15_001,  # 15.000,5 rounded half up
        15_000,
    )
    assert cell["difference"] == 0
    assert cell["remittance"] == {
        "id": r1.pk,
        "amount": 15_000,
        "paid_on": "2026-03-21",
        "receipt_number": "PT-1",
    }
    assert (cell2["unit"], cell2["received"], cell2["remittance"]) == (world.cell2.pk, 0, None)
    assert body["totals"]["received"] == 15_000 and body["totals"]["to_hand_up"] == 3_000
    # Scope, roles, years.
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert call(client_for(cast.member), "GET", path).status_code == 403
    assert call(client_for(cast.secretary), "GET", path).status_code == 404
    ok = call(client_for(cast.secretary), "GET", f"/dues/remittances/report?unit={world.cell.pk}")
    assert ok.status_code == 200 and ok.json()["year"] == timezone.localdate().year
    year = timezone.localdate().year + 1
    r = call(
        client_for(cast.viewer), "GET", f"/dues/remittances/report?unit={world.base.pk}&year={year}"
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == f"Choose a year from 1990 to {year - 1}."
    assert call(client_for(cast.viewer), "POST", path, {}).status_code == 405


def test_record_correct_read_delete(world, cast, client_for):
    body = {
        "unit": world.cell.pk,
        "month": "2026-03-15",
        "amount": 48_500,
        "paid_on": "2026-04-05",
        "receipt_number": "PT-11",
    }
    assert call(client_for(cast.viewer), "POST", "/dues/remittances", body).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/dues/remittances", body).status_code == 404
    assert call(client_for(cast.member), "POST", "/dues/remittances", body).status_code == 403
    before = (Remittance.objects.count(), AuditEvent.objects.count())
    for bad, loc, msg in (
        ({"amount": 0}, ["body", "amount"], "Enter the amount as a positive whole number of đồng."),
        ({"amount": "many"}, ["body", "amount"], "Enter a whole number."),
        ({"month": "2099-01-01", "paid_on": "2026-04-05"}, ["body", "month"], None),
        ({"receipt_number": "x" * 41}, ["body", "receipt_number"], None),
        ({"extra": 1}, ["body", "extra"], "This field is not accepted here."),
    ):
        r = call(client_for(cast.secretary), "POST", "/dues/remittances", {**body, **bad})
        assert r.status_code == 422, bad
        errors = r.json()["detail"]
        assert errors[0]["loc"] == loc, errors
        if msg is not None:
            assert errors[0]["msg"] == msg
    assert (Remittance.objects.count(), AuditEvent.objects.count()) == before
    r = call(client_for(cast.secretary), "POST", "/dues/remittances", body)
    assert r.status_code == 201, r.content
    made = r.json()
    assert {k: made[k] for k in ("unit", "month", "amount", "paid_on", "receipt_number")} == {
        "unit": world.cell.pk,
        "month": "2026-03-01",
        "amount": 48_500,
        "paid_on": "2026-04-05",
        "receipt_number": "PT-11",
    }
    assert made["recorded_by"] == cast.secretary.pk
    r = call(client_for(cast.base_officer), "POST", "/dues/remittances", {**body, "amount": 50_000})
    assert r.status_code == 200 and r.json()["id"] == made["id"] and r.json()["amount"] == 50_000
    one = f"/dues/remittances/{made['id']}"
    assert call(client_for(cast.viewer), "GET", one).json()["amount"] == 50_000
    assert call(client_for(cast.outsider), "GET", one).status_code == 404
    assert call(client_for(cast.member), "GET", one).status_code == 403
    assert call(client_for(cast.viewer), "DELETE", one).status_code == 403
    assert call(client_for(cast.outsider), "DELETE", one).status_code == 404
    assert call(client_for(cast.viewer), "PUT", one, body).status_code == 405
    assert call(client_for(cast.secretary), "DELETE", one).status_code == 204
    assert not Remittance.objects.exists()
    assert call(client_for(cast.secretary), "DELETE", one).status_code == 404
