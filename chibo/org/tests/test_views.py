import datetime as dt

import pytest
from django.urls import reverse

from chibo.org.models import Ancestry, Kind, OrgUnit, Village
from chibo.testing import factories as f


def test_tree_and_unit_page_show_scope(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = c.get(reverse("org:tree"))
    assert r.status_code == 200
    assert "Đảng bộ xã An Hòa" in r.text and "Đảng bộ phường Bắc" not in r.text
    r = c.get(reverse("org:unit", args=[world.base.pk]))
    assert r.status_code == 200
    assert "Chi bộ thôn Đông" in r.text and "Chi bộ trường Tiểu học" in r.text


def test_unit_page_counts_in_vietnamese_format(world, cast, client_for):
    for _ in range(4):
        f.member(world.cell, admitted_on=dt.date(2026, 1, 5), official_on=None)
    r = client_for(cast.base_officer).get(reverse("org:unit", args=[world.base.pk]))
    # Official in the base: member, member2 and the secretary's record; 4 probationary.
    assert "3/7 (42,86%)" in r.text  # official
    assert "4/7 (57,14%)" in r.text  # probationary


def test_unit_page_counts_on_a_past_date(world, cast, client_for):
    r = client_for(cast.base_officer).get(
        reverse("org:unit", args=[world.base.pk]), {"on": "2012-01-01"}
    )
    assert r.status_code == 200
    assert "01/01/2012" in r.text


@pytest.mark.parametrize("name", ["org:unit", "org:unit_edit", "org:unit_move", "org:unit_merge"])
def test_outsider_gets_404(world, cast, client_for, name):
    r = client_for(cast.outsider).get(reverse(name, args=[world.cell.pk]))
    assert r.status_code == 404


@pytest.mark.parametrize(
    "name", ["org:unit_edit", "org:unit_move", "org:unit_merge", "org:unit_create"]
)
def test_viewer_gets_403_on_write(world, cast, client_for, name):
    r = client_for(cast.viewer).post(reverse(name, args=[world.cell.pk]), {"name": "x"})
    assert r.status_code == 403
    assert OrgUnit.objects.get(pk=world.cell.pk).name == "Chi bộ thôn Đông"


def test_member_role_cannot_browse_units(world, cast, client_for):
    assert client_for(cast.member).get(reverse("org:tree")).status_code == 403
    assert client_for(cast.member).get(reverse("org:unit", args=[world.cell.pk])).status_code in (
        403,
        404,
    )


def test_wrong_method_gets_405(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.get(reverse("org:unit_delete", args=[world.cell.pk])).status_code == 405
    assert c.post(reverse("org:unit", args=[world.cell.pk])).status_code == 405
    assert c.put(reverse("org:unit_edit", args=[world.cell.pk])).status_code == 405


def test_anonymous_is_sent_to_login(world, client):
    r = client.get(reverse("org:unit", args=[world.cell.pk]))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_create_unit_and_errors(world, cast, client_for):
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    url = reverse("org:unit_create", args=[world.base.pk])
    r = c.post(
        url, {"code": "X01-CB09", "name": "Chi bộ thôn Tây", "kind": "cell", "cell_type": "rural"}
    )
    assert r.status_code == 302
    unit = OrgUnit.objects.get(code="X01-CB09")
    assert unit.parent_id == world.base.pk
    assert Ancestry.objects.valid().filter(descendant=unit).count() == 3  # self, base, province
    before = OrgUnit.all_objects.count()
    r = c.post(url, {"code": "X01-CB09", "name": "dup", "kind": "cell"})
    assert r.status_code == 422 and "already exists" in r.text
    # A kind that cannot sit under a base committee is not even offered.
    r = c.post(url, {"code": "Z", "name": "wrong", "kind": "province"})
    assert r.status_code == 422 and "Select a valid choice" in r.text
    r = c.post(url, {"code": "Z2", "name": "x" * 201, "kind": "cell"})
    assert r.status_code == 422 and "at most 200 characters" in r.text
    assert OrgUnit.all_objects.count() == before


def test_move_page(world, cast, client_for):
    c = client_for(cast.province_officer)
    r = c.post(
        reverse("org:unit_move", args=[world.cell.pk]), {"new_parent": "X02", "on": "2026-01-01"}
    )
    assert r.status_code == 302
    assert OrgUnit.objects.get(pk=world.cell.pk).parent_id == world.other_base.pk
    # The base officer no longer sees the moved cell.
    r = client_for(cast.base_officer).get(reverse("org:unit", args=[world.cell.pk]))
    assert r.status_code == 404


def test_move_target_outside_scope_is_unknown(world, cast, client_for):
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    r = c.post(
        reverse("org:unit_move", args=[world.cell.pk]), {"new_parent": "X02", "on": "2026-01-01"}
    )
    assert r.status_code == 422 and "No unit with code X02 in your scope" in r.text


def test_delete_and_restore_unit(world, cast, client_for):
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    empty = f.unit(Kind.CELL, world.base, code="X01-CB07")
    r = c.post(reverse("org:unit_delete", args=[world.cell.pk]), follow=True)
    assert "Members are still placed" in r.text
    assert not OrgUnit.all_objects.get(pk=world.cell.pk).is_deleted
    c.post(reverse("org:unit_delete", args=[empty.pk]))
    assert OrgUnit.all_objects.get(pk=empty.pk).is_deleted
    assert c.get(reverse("org:unit", args=[empty.pk])).status_code == 404
    r = c.get(reverse("site:trash"))
    assert "X01-CB07" in r.text or empty.name in r.text
    r = c.post(reverse("site:restore", args=["unit", empty.pk]))
    assert r.status_code == 302
    assert not OrgUnit.all_objects.get(pk=empty.pk).is_deleted


def test_villages(world, cast, client_for):
    c = client_for(cast.secretary)
    r = c.post(
        reverse("org:village_create", args=[world.cell.pk]),
        {"name": "Thôn Đông 1", "kind": "village"},
    )
    assert r.status_code == 302
    v = Village.objects.get(name="Thôn Đông 1")
    r = c.post(
        reverse("org:village_create", args=[world.cell.pk]),
        {"name": "thôn đông 1", "kind": "village"},
    )
    assert r.status_code == 422
    assert (
        client_for(cast.outsider).get(reverse("org:village_edit", args=[v.pk])).status_code == 404
    )
    assert (
        client_for(cast.viewer).post(reverse("org:village_delete", args=[v.pk])).status_code == 403
    )
    assert (
        client_for(cast.secretary)
        .post(
            reverse("org:village_create", args=[world.cell2.pk]), {"name": "x", "kind": "village"}
        )
        .status_code
        == 404
    )
    c.post(reverse("org:village_delete", args=[v.pk]))
    assert Village.all_objects.get(pk=v.pk).is_deleted


def test_committee_listed_by_rank_and_dates_typed_dd_mm_yyyy(world, cast, client_for):
    from chibo.members.services import position_create

    other = f.member(world.cell, full_name="An Văn Ủy Viên")
    position_create(
        actor=None,
        member=other,
        kind="committee_member",
        unit=world.cell,
        start=dt.date(2025, 1, 1),
    )
    position_create(
        actor=None,
        member=world.member,
        kind="secretary",
        unit=world.cell,
        start=dt.date(2025, 1, 1),
    )
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    r = c.get(reverse("org:unit", args=[world.cell.pk]))
    assert r.text.index("Nguyễn Văn Hùng") < r.text.index("An Văn Ủy Viên")  # secretary first
    r = c.get(reverse("org:unit", args=[world.cell.pk]), {"on": "15/06/2024"})
    assert r.status_code == 200 and 'value="15/06/2024"' in r.text
    r = c.get(reverse("org:unit_edit", args=[world.cell.pk]))
    assert 'placeholder="dd/mm/yyyy"' in r.text
    r = c.get(reverse("members:edit", args=[world.member.pk]))
    assert 'value="01/01/1980"' in r.text  # birth date shown the Vietnamese way


def test_sector_on_the_forms_and_the_unit_page(world, cast, client_for):
    c = client_for(cast.province_officer)
    c.cookies["django_language"] = "en"
    # Under a province the form offers base organisations, so it asks for the sector.
    r = c.get(reverse("org:unit_create", args=[world.province.pk]))
    assert 'name="sector"' in r.text
    r = c.post(
        reverse("org:unit_create", args=[world.province.pk]),
        {"code": "CS01", "name": "Chi bộ Ngân hàng", "kind": "base_cell", "sector": "agency"},
    )
    assert r.status_code == 302
    unit = OrgUnit.objects.get(code="CS01")
    assert unit.sector == "agency"
    assert "Sector: Agency" in c.get(reverse("org:unit", args=[unit.pk])).text
    # A district under the province: refused with the reason, nothing written.
    before = OrgUnit.all_objects.count()
    r = c.post(
        reverse("org:unit_create", args=[world.province.pk]),
        {"code": "H01", "name": "Đảng bộ thành phố Hạ Long", "kind": "district", "sector": "other"},
    )
    assert r.status_code == 422 and "Only base committees and base cells have a sector." in r.text
    assert OrgUnit.all_objects.count() == before
    # Editing a base committee keeps or changes its sector; a cell's form has no sector.
    r = c.post(
        reverse("org:unit_edit", args=[world.base.pk]),
        {"name": world.base.name, "sector": "commune"},
    )
    assert r.status_code == 302
    world.base.refresh_from_db()
    assert world.base.sector == "commune"
    assert 'name="sector"' not in c.get(reverse("org:unit_edit", args=[world.cell.pk])).text
    # Under a cell only party groups may sit: no sector asked.
    assert 'name="sector"' not in c.get(reverse("org:unit_create", args=[world.cell.pk])).text
