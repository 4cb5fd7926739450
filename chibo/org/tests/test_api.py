"""The units and villages API: figures against expectations computed here from the raw rows,
scope per persona, and bad input answered with the field and the reason, writing nothing.
The answer of every endpoint to anonymous, outsider and viewer is in core/tests/test_api_auth."""

import datetime as dt

import pytest
from django.utils import timezone

from chibo.members import services as member_services
from chibo.members.models import EventKind
from chibo.org import services as org_services
from chibo.org.models import Kind, OrgUnit, Village
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call, fingerprint, ids


def subtree(*tops: OrgUnit) -> set[int]:
    """Independent of the closure table: walk each unit's parent links up to a top."""
    units = {u.pk: u for u in OrgUnit.objects.all()}
    top_ids = {t.pk for t in tops}
    out = set()
    for u in units.values():
        node: OrgUnit | None = u
        while node is not None:
            if node.pk in top_ids:
                out.add(u.pk)
                break
            node = units.get(node.parent_id)
    return out


def one_error(r, field: str, msg: str) -> None:
    assert r.status_code == 422, r.content
    assert {"loc": ["body", field], "msg": msg} in [
        {"loc": e["loc"], "msg": e["msg"]} for e in r.json()["detail"]
    ], r.json()


# Units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,tops",
    [
        ("province_officer", ["province"]),
        ("base_officer", ["base"]),
        ("viewer", ["base"]),
        ("secretary", ["cell"]),
        ("member", []),
        ("outsider", ["other_base"]),
    ],
)
def test_unit_list_is_the_subtree_of_the_grants(world, cast, client_for, persona, tops):
    f.unit(Kind.PARTY_GROUP, world.cell, code="X01-CB01-T1")
    client = client_for(getattr(cast, persona))
    assert ids(all_pages(client, "/units")) == subtree(*[getattr(world, t) for t in tops])


def test_unit_list_filters(world, cast, client_for):
    client = client_for(cast.province_officer)
    assert ids(all_pages(client, "/units?kind=cell")) == {
        world.cell.pk,
        world.cell2.pk,
        world.other_cell.pk,
    }
    assert ids(all_pages(client, f"/units?parent={world.base.pk}")) == {
        world.cell.pk,
        world.cell2.pk,
    }
    assert ids(all_pages(client, "/units?within=X01")) == subtree(world.base)
    assert ids(all_pages(client, "/units?within=x01-cb01")) == {world.cell.pk}
    base = client_for(cast.base_officer)
    assert call(base, "GET", "/units?within=X02").status_code == 404  # exists, out of scope
    assert call(base, "GET", "/units?within=NOPE").status_code == 404
    r = call(base, "GET", "/units?kind=village")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "kind"]


def test_unit_read(world, cast, client_for):
    unit = f.unit(Kind.CELL, world.base, code="X01-CB05", founded_on=dt.date(2019, 9, 2))
    r = call(client_for(cast.viewer), "GET", f"/units/{unit.pk}")
    assert r.json() == {
        "id": unit.pk,
        "code": "X01-CB05",
        "name": unit.name,
        "kind": "cell",
        "cell_type": "rural",
        "sector": "",
        "parent": world.base.pk,
        "depth": 2,
        "founded_on": "2019-09-02",
        "dissolved_on": None,
        "version": 1,
    }
    assert call(client_for(cast.member), "GET", f"/units/{world.cell.pk}").status_code == 404
    assert call(client_for(cast.viewer), "GET", "/units/999999").status_code == 404


def test_unit_create(world, cast, client_for):
    body = {
        "code": "X01-CB03",
        "name": "Chi bộ thôn Nam",
        "kind": "cell",
        "parent": world.base.pk,
        "cell_type": "rural",
        "founded_on": "2024-01-15",
    }
    r = call(client_for(cast.base_officer), "POST", "/units", body)
    assert r.status_code == 201
    unit = OrgUnit.objects.get(code="X01-CB03")
    assert r.json() == {
        **body,
        "id": unit.pk,
        "depth": 2,
        "sector": "",
        "dissolved_on": None,
        "version": 1,
    }
    assert unit.pk in subtree(world.base)
    # The closure table knows it too: it is in the subtree lists at once.
    assert unit.pk in ids(all_pages(client_for(cast.viewer), "/units?within=X01"))


def test_only_a_superuser_starts_a_new_tree(world, cast, client_for):
    body = {"code": "T02", "name": "Đảng bộ tỉnh Mới", "kind": "province"}
    before = fingerprint()
    assert call(client_for(cast.province_officer), "POST", "/units", body).status_code == 403
    assert fingerprint() == before
    admin = f.user(username="admin", is_superuser=True)
    r = call(client_for(admin), "POST", "/units", body)
    assert r.status_code == 201 and r.json()["parent"] is None


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"code": "x01-cb01"}, "code", "A unit with code x01-cb01 already exists."),
        ({"code": "C" * 40}, "code", "Ensure this value has at most 32 characters (it has 40)."),
        (
            {"parent": "province"},
            "parent",
            "A Party cell cannot be placed under a Province party committee.",
        ),
        (
            {"kind": "base_committee", "cell_type": "rural"},
            "cell_type",
            "Only cells have a cell type.",
        ),
        (
            {"sector": "commune"},
            "sector",
            "Only base committees and base cells have a sector.",
        ),
        (
            {"kind": "village"},
            "kind",
            "Select a valid choice. village is not one of the available choices.",
        ),
        ({"name": None}, "name", "This field cannot be null."),
        ({"name": ""}, "name", "This field cannot be blank."),
        ({"name": ...}, "name", "This field is required."),
        ({"founded_on": "2024-13-01"}, "founded_on", "Enter a valid date."),
        ({"founded_on": "15/01/2024"}, "founded_on", "Enter a valid date."),
        ({"parent": "x"}, "parent", "Enter a whole number."),
    ],
)
def test_unit_create_rejects_bad_input(world, cast, client_for, change, field, msg):
    body = {"code": "X01-CB03", "name": "Chi bộ thôn Nam", "kind": "cell", "parent": world.base.pk}
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = world.province.pk if value == "province" else value
    before = fingerprint()
    one_error(call(client_for(cast.province_officer), "POST", "/units", body), field, msg)
    assert fingerprint() == before


def test_unit_update(world, cast, client_for):
    client = client_for(cast.secretary)
    path = f"/units/{world.cell.pk}"
    r = call(client, "PATCH", path, {"name": "Chi bộ thôn Đông Nam", "founded_on": "1990-02-03"})
    assert r.status_code == 200
    assert r.json()["name"] == "Chi bộ thôn Đông Nam" and r.json()["founded_on"] == "1990-02-03"
    world.cell.refresh_from_db()
    assert (world.cell.name, world.cell.founded_on) == ("Chi bộ thôn Đông Nam", dt.date(1990, 2, 3))
    assert world.cell.cell_type == "rural"  # untouched: PATCH changes only what is sent
    before = fingerprint()
    one_error(  # the commune's office: dissolving is not the secretary's (test_menus.py)
        call(client_for(cast.base_officer), "PATCH", path, {"dissolved_on": "1989-12-31"}),
        "dissolved_on",
        "A unit cannot be dissolved before it was founded.",
    )
    one_error(call(client, "PATCH", path, {"name": None}), "name", "This field cannot be null.")
    one_error(
        call(client, "PATCH", path, {"kind": "party_group"}),
        "kind",
        "This field is not accepted here.",
    )
    assert fingerprint() == before
    # Clearing a nullable field is a null.
    assert call(client, "PATCH", path, {"founded_on": None}).json()["founded_on"] is None


def test_sector_of_a_base_organisation(world, cast, client_for):
    client = client_for(cast.province_officer)
    body = {
        "code": "CS01",
        "name": "Chi bộ Công ty Xổ số",
        "kind": "base_cell",
        "parent": world.province.pk,
        "cell_type": "enterprise",
        "sector": "enterprise",
    }
    r = call(client, "POST", "/units", body)
    assert r.status_code == 201 and r.json()["sector"] == "enterprise"
    path = f"/units/{world.base.pk}"
    r = call(client, "PATCH", path, {"sector": "commune"})
    assert r.status_code == 200 and r.json()["sector"] == "commune"
    r = call(client, "PATCH", path, {"name": "Đảng bộ xã Mới"})
    assert r.json()["sector"] == "commune"  # untouched: PATCH changes only what is sent
    world.base.refresh_from_db()
    assert world.base.sector == "commune"
    assert world.base.history.first().sector == "commune"  # the history row has it too
    before = fingerprint()
    one_error(
        call(client, "PATCH", f"/units/{world.cell.pk}", {"sector": "agency"}),
        "sector",
        "Only base committees and base cells have a sector.",
    )
    assert fingerprint() == before


def test_unit_delete(world, cast, client_for):
    client = client_for(cast.base_officer)
    empty = f.unit(Kind.CELL, world.base, code="X01-CB09")
    assert call(client, "DELETE", f"/units/{empty.pk}").status_code == 204
    assert call(client, "GET", f"/units/{empty.pk}").status_code == 404
    empty = OrgUnit.all_objects.get(pk=empty.pk)
    assert empty.deleted_at is not None and empty.deleted_by == cast.base_officer
    before = fingerprint()
    r = call(client, "DELETE", f"/units/{world.cell.pk}")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "__all__"],
            "msg": "Members are still placed in this unit; transfer them first.",
        }
    ]
    r = call(client_for(cast.province_officer), "DELETE", f"/units/{world.base.pk}")
    assert (
        r.json()["detail"][0]["msg"] == "This unit still has sub-units; move or delete them first."
    )
    assert fingerprint() == before


def test_unit_children(world, cast, client_for):
    group = f.unit(Kind.PARTY_GROUP, world.cell, code="X01-CB01-T1")
    base = client_for(cast.base_officer)
    assert ids(all_pages(base, f"/units/{world.base.pk}/children")) == {
        world.cell.pk,
        world.cell2.pk,
    }
    assert ids(all_pages(base, f"/units/{world.cell.pk}/children")) == {group.pk}
    province = client_for(cast.province_officer)
    assert ids(all_pages(province, f"/units/{world.province.pk}/children")) == {
        world.base.pk,
        world.other_base.pk,
    }
    assert (
        call(client_for(cast.secretary), "GET", f"/units/{world.base.pk}/children").status_code
        == 404
    )


def test_unit_counts(world, cast, client_for):
    # In the cell: Hùng (official 2016), the secretary (official 2011), and a member who died.
    # In cell2: Đào (official 2011, exempt since 2024), and a probationary member since 2025.
    dead = f.member(world.cell, full_name="Đỗ Văn Mất")
    member_services.event_create(
        actor=None, member=dead, kind=EventKind.DECEASED, date=dt.date(2024, 3, 1)
    )
    member_services.event_create(
        actor=None, member=world.member2, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1)
    )
    f.member(world.cell2, admitted_on=dt.date(2025, 1, 10), official_on=None)
    client = client_for(cast.viewer)

    def counts(unit, on=""):
        r = call(client, "GET", f"/units/{unit.pk}/counts" + (f"?on={on}" if on else ""))
        assert r.status_code == 200, r.content
        return r.json()

    got = counts(world.base)
    assert got == {
        "unit": world.base.pk,
        "on": timezone.localdate().isoformat(),
        "official": 3,
        "probationary": 1,
        "in_party": 4,
        "exempt": 1,
        "left": 1,
    }
    assert counts(world.cell, "2026-01-01") | {"on": None} == {
        "unit": world.cell.pk,
        "on": None,
        "official": 2,
        "probationary": 0,
        "in_party": 2,
        "exempt": 0,
        "left": 1,
    }
    # 2012: Hùng was not yet admitted; nobody had died, nobody was exempt.
    assert counts(world.base, "2012-01-01") == {
        "unit": world.base.pk,
        "on": "2012-01-01",
        "official": 3,
        "probationary": 0,
        "in_party": 3,
        "exempt": 0,
        "left": 0,
    }
    r = call(client, "GET", f"/units/{world.base.pk}/counts?on=01/01/2012")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"type": "date_from_datetime_parsing", "loc": ["query", "on"], "msg": "Enter a valid date."}
    ]


def test_unit_move(world, cast, client_for):
    province = client_for(cast.province_officer)
    r = call(
        province,
        "POST",
        f"/units/{world.cell2.pk}/move",
        {"parent": world.other_base.pk, "on": "2025-01-01"},
    )
    assert r.status_code == 200
    assert (r.json()["parent"], r.json()["depth"]) == (world.other_base.pk, 2)
    # Scope follows the tree as it stands now; counts follow it as it stood on each date.
    assert world.cell2.pk not in ids(all_pages(client_for(cast.base_officer), "/units"))
    assert world.cell2.pk in ids(all_pages(client_for(cast.outsider), "/units"))
    before = call(province, "GET", f"/units/{world.base.pk}/counts?on=2024-12-31").json()
    after = call(province, "GET", f"/units/{world.base.pk}/counts?on=2025-01-01").json()
    assert before["official"] - after["official"] == 1  # Đào went with her cell

    base = client_for(cast.base_officer)
    fp = fingerprint()
    move = f"/units/{world.cell.pk}/move"
    assert call(base, "POST", move, {"parent": world.other_base.pk}).status_code == 404
    one_error(
        call(province, "POST", f"/units/{world.base.pk}/move", {"parent": world.cell.pk}),
        "parent",
        "A unit cannot be moved under itself or its own sub-units.",
    )
    one_error(
        call(province, "POST", move, {"parent": world.other_cell.pk}),
        "parent",
        "A Party cell cannot be placed under a Party cell.",
    )
    one_error(
        call(base, "POST", move, {"parent": world.base.pk}), "parent", "The unit is already there."
    )
    one_error(call(base, "POST", move, {}), "parent", "This field is required.")
    assert fingerprint() == fp


# Villages -------------------------------------------------------------------------------------


def test_village_lifecycle(world, cast, client_for):
    secretary = client_for(cast.secretary)
    r = call(secretary, "POST", "/villages", {"cell": world.cell.pk, "name": " Thôn Đông "})
    assert r.status_code == 201
    village = Village.objects.get()
    assert r.json() == {
        "id": village.pk,
        "cell": world.cell.pk,
        "name": "Thôn Đông",
        "kind": "village",
        "version": 1,
    }
    other = f.unit(Kind.CELL, world.other_base, code="X02-CB02")
    org_services.village_create(actor=None, cell=other, name="Khu phố 2", kind="quarter")
    base = client_for(cast.base_officer)
    assert ids(all_pages(base, "/villages")) == {village.pk}
    assert ids(all_pages(base, f"/villages?cell={world.cell2.pk}")) == set()
    assert village.pk not in ids(all_pages(client_for(cast.outsider), "/villages"))

    r = call(secretary, "PATCH", f"/villages/{village.pk}", {"kind": "quarter"})
    assert r.json() == {
        "id": village.pk,
        "cell": world.cell.pk,
        "name": "Thôn Đông",
        "kind": "quarter",
        "version": 2,
    }
    assert call(secretary, "DELETE", f"/villages/{village.pk}").status_code == 204
    assert call(secretary, "GET", f"/villages/{village.pk}").status_code == 404
    assert ids(all_pages(base, "/villages")) == set()
    assert Village.all_objects.get(pk=village.pk).deleted_by == cast.secretary


def test_village_scope_for_a_secretary(world, cast, client_for):
    secretary = client_for(cast.secretary)
    before = fingerprint()
    r = call(secretary, "POST", "/villages", {"cell": world.cell2.pk, "name": "Thôn Bắc"})
    assert r.status_code == 404  # another cell of the same commune is not theirs
    assert fingerprint() == before


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"name": "thôn đông"}, "name", "This cell already has a village with that name."),
        ({"cell": "base"}, "cell", "Villages are attached to a cell."),
        ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
        ({"name": ...}, "name", "This field is required."),
        (
            {"kind": "hamlet"},
            "kind",
            "Select a valid choice. hamlet is not one of the available choices.",
        ),
    ],
)
def test_village_create_rejects_bad_input(world, cast, client_for, change, field, msg):
    org_services.village_create(actor=None, cell=world.cell, name="Thôn Đông", kind="village")
    body = {"cell": world.cell.pk, "name": "Thôn Tây"}
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = world.base.pk if value == "base" else value
    before = fingerprint()
    one_error(call(client_for(cast.base_officer), "POST", "/villages", body), field, msg)
    assert fingerprint() == before
