"""The unit page offers each persona only what the services would let them do: every button
shown works, and what is not shown is still refused (403) when asked for directly."""

import re

import pytest
from django.urls import reverse

from chibo.org.models import Kind, OrgUnit
from chibo.testing.api import call

RESTRUCTURE = ("org:unit_move", "org:unit_merge", "org:unit_delete")


def offered(html: str) -> set[str]:
    """The URLs of the page's action buttons and forms."""
    return set(re.findall(r'(?:href|action)="(/org/[^"]+)"', html))


def urls(unit: OrgUnit, *names: str) -> set[str]:
    return {reverse(n, args=[unit.pk]) for n in names}


def persona_unit(world, cast, who):
    return {
        "secretary": (cast.secretary, world.cell),
        "base_officer": (cast.base_officer, world.base),
        "province_officer": (cast.province_officer, world.province),
        "viewer": (cast.viewer, world.base),
    }[who]


@pytest.mark.parametrize("who", ["secretary", "base_officer", "province_officer"])
def test_own_unit_offers_no_move_merge_or_delete(world, cast, client_for, who):
    user, unit = persona_unit(world, cast, who)
    c = client_for(user)
    r = c.get(reverse("org:unit", args=[unit.pk]))
    assert r.status_code == 200
    shown = offered(r.text)
    assert reverse("org:unit_edit", args=[unit.pk]) in shown
    assert not shown & urls(unit, *RESTRUCTURE)
    # Asked for directly, each is refused and the unit stays where it was.
    before = (unit.parent_id, unit.deleted_at)
    for name in RESTRUCTURE:
        url = reverse(name, args=[unit.pk])
        if name != "org:unit_delete":
            assert c.get(url).status_code == 403
        target = world.other_base if unit.kind == Kind.CELL else world.province
        assert (
            c.post(
                url, {"new_parent": target.code, "target": target.code, "on": "01/01/2026"}
            ).status_code
            == 403
        )
    unit = OrgUnit.all_objects.get(pk=unit.pk)
    assert (unit.parent_id, unit.deleted_at) == before
    assert call(c, "DELETE", f"/units/{unit.pk}").status_code == 403
    assert not OrgUnit.all_objects.get(pk=unit.pk).is_deleted


@pytest.mark.parametrize(("who", "below"), [("base_officer", "cell"), ("province_officer", "base")])
def test_office_may_restructure_the_units_below_it(world, cast, client_for, who, below):
    user, _own = persona_unit(world, cast, who)
    unit = getattr(world, below)
    c = client_for(user)
    shown = offered(c.get(reverse("org:unit", args=[unit.pk])).text)
    assert urls(unit, *RESTRUCTURE) <= shown
    for url in urls(unit, "org:unit_move", "org:unit_merge"):
        assert c.get(url).status_code == 200


@pytest.mark.parametrize("who", ["secretary", "base_officer", "province_officer", "viewer"])
def test_every_button_shown_opens(world, cast, client_for, who):
    user, unit = persona_unit(world, cast, who)
    c = client_for(user)
    r = c.get(reverse("org:unit", args=[unit.pk]))
    for url in offered(r.text) - urls(unit, "org:unit_delete"):
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        ("secretary", {Kind.PARTY_GROUP}),
        ("base_officer", {Kind.BASE_COMMITTEE, Kind.CELL}),
        ("province_officer", {Kind.DISTRICT, Kind.BASE_COMMITTEE, Kind.BASE_CELL}),
    ],
)
def test_new_sub_unit_offers_only_kinds_that_fit(world, cast, client_for, who, kinds):
    user, unit = persona_unit(world, cast, who)
    c = client_for(user)
    r = c.get(reverse("org:unit_create", args=[unit.pk]))
    select = re.search(r'<select name="kind".*?</select>', r.text, re.S).group(0)
    assert set(re.findall(r'<option value="(\w+)"', select)) == set(kinds)


def test_secretary_cannot_add_a_base_committee_under_the_cell(world, cast, client_for):
    c = client_for(cast.secretary)
    before = OrgUnit.all_objects.count()
    r = c.post(
        reverse("org:unit_create", args=[world.cell.pk]),
        {"code": "X01-CB01-BC", "name": "Đảng bộ con", "kind": Kind.BASE_COMMITTEE},
    )
    assert r.status_code == 422
    r = c.post(
        reverse("org:unit_create", args=[world.cell.pk]),
        {"code": "X01-CB01-T1", "name": "Tổ đảng 1", "kind": Kind.PARTY_GROUP},
    )
    assert r.status_code == 302
    assert OrgUnit.all_objects.count() == before + 1
    group = OrgUnit.objects.get(code="X01-CB01-T1")
    # Nothing sits under a party group: no button, and the form is refused.
    page = c.get(reverse("org:unit", args=[group.pk])).text
    assert reverse("org:unit_create", args=[group.pk]) not in page
    assert c.get(reverse("org:unit_create", args=[group.pk])).status_code == 403


def test_secretary_edits_the_cell_but_does_not_dissolve_it(world, cast, client_for):
    c = client_for(cast.secretary)
    url = reverse("org:unit_edit", args=[world.cell.pk])
    assert 'name="dissolved_on"' not in c.get(url).text
    r = c.post(url, {"name": "Chi bộ thôn Đông mới", "dissolved_on": "01/01/2026"})
    assert r.status_code == 302
    cell = OrgUnit.objects.get(pk=world.cell.pk)
    assert cell.name == "Chi bộ thôn Đông mới" and cell.dissolved_on is None
    path = f"/units/{world.cell.pk}"
    assert call(c, "PATCH", path, {"dissolved_on": "2026-01-01"}).status_code == 403
    assert call(c, "PATCH", path, {"name": "Chi bộ thôn Đông"}).status_code == 200
    assert OrgUnit.objects.get(pk=world.cell.pk).dissolved_on is None
    # The commune's office may.
    office = client_for(cast.base_officer)
    assert 'name="dissolved_on"' in office.get(url).text
    assert call(office, "PATCH", path, {"dissolved_on": "2026-01-01"}).status_code == 200


def test_viewer_is_offered_no_change(world, cast, client_for):
    c = client_for(cast.viewer)
    for unit in (world.base, world.cell):
        shown = offered(c.get(reverse("org:unit", args=[unit.pk])).text)
        changes = ("org:unit_edit", "org:unit_create", "org:village_create", *RESTRUCTURE)
        assert not shown & urls(unit, *changes)
        for name in changes:
            assert c.post(reverse(name, args=[unit.pk]), {"name": "x"}).status_code == 403
