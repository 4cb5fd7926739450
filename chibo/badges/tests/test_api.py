"""/api/v1/badges: due list, awards, occasions; scoping and errors in English."""

from chibo.badges import services
from chibo.badges.models import BadgeAward, BadgeOccasion
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call

from .helpers import D, event, ill, veteran


def test_due_list(world, cast, client_for):
    a = veteran(world.cell, D(1996, 2, 3), "Anh")
    d = veteran(world.cell2, D(1996, 10, 1), "Dũng Ốm")
    ill(d, D(2025, 1, 1))
    g = veteran(world.cell, D(1996, 1, 1), "Giang")
    event(g, EventKind.WARNING, D(2025, 6, 1))
    veteran(world.other_cell, D(1990, 1, 1), "Xã Khác")
    path = f"/badges/due?unit={world.base.pk}&occasion=2026-02-03"
    r = call(client_for(cast.viewer), "GET", path)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["unit"], body["occasion"]) == (world.base.pk, "2026-02-03")
    assert body["occasion_name"] == "Anniversary of the founding of the Communist Party of Vietnam"
    rows = {x["member"]: x for x in body["rows"]}
    assert set(rows) == {a.pk, d.pk, g.pk}
    assert rows[a.pk] | {} == {
        **rows[a.pk],
        "years": 30,
        "reason": "due",
        "qualifies_on": "2026-02-03",
        "party_age_from": "1996-02-03",
        "cell": world.cell.pk,
        "cell_name": "Chi bộ thôn Đông",
        "held_until": None,
    }
    assert (rows[d.pk]["reason"], rows[d.pk]["qualifies_on"]) == ("illness", "2026-10-01")
    assert (rows[g.pk]["held_until"], rows[g.pk]["held_by"]) == ("2026-03-01", "warning")
    assert body["counts"] == [
        {"years": 30, "reason": "due", "held": False, "count": 1},
        {"years": 30, "reason": "due", "held": True, "count": 1},
        {"years": 30, "reason": "illness", "held": False, "count": 1},
    ]
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    assert call(client_for(cast.member), "GET", path).status_code == 403
    r = call(
        client_for(cast.viewer), "GET", f"/badges/due?unit={world.base.pk}&occasion=2026-02-04"
    )
    assert r.status_code == 422 and "Choose a badge award occasion" in r.text
    r = call(client_for(cast.viewer), "GET", f"/badges/due?unit={world.base.pk}")
    assert r.status_code == 200 and r.json()["occasion"] == "2027-02-03"  # after 22/11/2026


def test_awards_create_and_list(world, cast, client_for):
    a = veteran(world.cell, D(1996, 2, 3), "Anh")
    b = veteran(world.cell2, D(1986, 1, 1), "Bốn Mươi")
    x = veteran(world.other_cell, D(1990, 1, 1), "Xã Khác")
    body = {
        "unit": world.base.pk,
        "occasion": "2026-02-03",
        "decision_number": "300-QĐ/TU",
        "decision_on": "2026-01-25",
        "awards": [{"member": a.pk, "years": 30}, {"member": b.pk, "years": 40}],
    }
    assert call(client_for(cast.viewer), "POST", "/badges/awards", body).status_code == 403
    assert call(client_for(cast.secretary), "POST", "/badges/awards", body).status_code == 404
    assert call(client_for(cast.outsider), "POST", "/badges/awards", body).status_code == 404
    bad = {**body, "awards": [{"member": a.pk, "years": 40}, {"member": b.pk, "years": 40}]}
    r = call(client_for(cast.base_officer), "POST", "/badges/awards", bad)
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "awards"],
            "msg": "Anh is due the 30-year badge, not the 40-year one.",
        }
    ]
    r = call(
        client_for(cast.base_officer),
        "POST",
        "/badges/awards",
        {**body, "awards": [{"member": x.pk, "years": 30}]},
    )
    assert r.status_code == 422 and f"Unknown members: {x.pk}." in r.text
    r = call(client_for(cast.base_officer), "POST", "/badges/awards", {**body, "extra": 1})
    assert r.status_code == 422
    assert BadgeAward.objects.count() == 0
    r = call(client_for(cast.base_officer), "POST", "/badges/awards", body)
    assert r.status_code == 201, r.content
    assert {(y["member"], y["years"], y["member_name"]) for y in r.json()} == {
        (a.pk, 30, "Anh"),
        (b.pk, 40, "Bốn Mươi"),
    }
    r = call(client_for(cast.base_officer), "POST", "/badges/awards", body)
    assert r.status_code == 422 and "Anh already has the 30-year badge." in r.text
    services.award_record(
        unit=world.other_cell,
        occasion=D(2026, 2, 3),
        awards=[(x, 30)],
        decision_number="1",
        decision_on=D(2026, 1, 1),
        actor=None,
    )
    items = all_pages(client_for(cast.viewer), "/badges/awards")
    assert {i["member"] for i in items} == {a.pk, b.pk}
    items = all_pages(client_for(cast.viewer), f"/badges/awards?unit={world.cell2.pk}")
    assert [i["member"] for i in items] == [b.pk]
    assert (
        len(all_pages(client_for(cast.province_officer), "/badges/awards?occasion=2026-02-03")) == 3
    )
    assert (
        call(client_for(cast.outsider), "GET", f"/badges/awards?unit={world.base.pk}").status_code
        == 404
    )
    assert call(client_for(cast.base_officer), "PUT", "/badges/awards", body).status_code == 405


def test_occasions(world, cast, client_for):
    r = call(client_for(cast.viewer), "GET", "/badges/occasions?year=2026")
    assert [o["date"] for o in r.json()] == ["2026-02-03", "2026-05-19", "2026-09-02", "2026-11-07"]
    body = {"date": "2026-12-01", "name": "Thành lập Đảng bộ tỉnh", "province": world.province.pk}
    assert call(client_for(cast.base_officer), "POST", "/badges/occasions", body).status_code == 403
    assert (
        call(
            client_for(cast.province_officer),
            "POST",
            "/badges/occasions",
            {**body, "province": None},
        ).status_code
        == 403
    )
    other = f.unit(Kind.PROVINCE, name="Tỉnh Khác", code="T02")
    assert (
        call(
            client_for(cast.province_officer),
            "POST",
            "/badges/occasions",
            {**body, "province": other.pk},
        ).status_code
        == 404
    )
    r = call(client_for(cast.province_officer), "POST", "/badges/occasions", body)
    assert r.status_code == 201 and r.json()["special"] is True
    occ = BadgeOccasion.objects.get()
    r = call(client_for(cast.province_officer), "POST", "/badges/occasions", body)
    assert r.status_code == 422 and "already a special occasion on 01/12/2026" in r.text
    r = call(client_for(cast.viewer), "GET", f"/badges/occasions?year=2026&unit={world.cell.pk}")
    assert [o["date"] for o in r.json()][-1] == "2026-12-01"
    r = call(client_for(cast.viewer), "GET", "/badges/occasions?year=2026")
    assert "2026-12-01" not in [o["date"] for o in r.json()]  # nationwide only
    assert (
        call(
            client_for(cast.outsider), "GET", f"/badges/occasions?unit={world.cell.pk}"
        ).status_code
        == 404
    )
    assert (
        call(client_for(cast.base_officer), "DELETE", f"/badges/occasions/{occ.pk}").status_code
        == 403
    )
    assert (
        call(client_for(cast.province_officer), "DELETE", f"/badges/occasions/{occ.pk}").status_code
        == 204
    )
    assert not BadgeOccasion.objects.exists()
    assert (
        call(client_for(cast.province_officer), "DELETE", "/badges/occasions/999").status_code
        == 404
    )
