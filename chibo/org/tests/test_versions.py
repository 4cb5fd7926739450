"""Units and villages carry a version (chibo.core.versions): a save from an old one is refused
(the page: the form again with the message; the API: 409), and a PATCH without one changes
only the fields it sends, on the unit as it is now."""

import datetime as dt

import pytest
from django.urls import reverse

from chibo.core.versions import Stale
from chibo.org import services
from chibo.org.models import OrgUnit, Village
from chibo.testing.api import call, fingerprint
from chibo.testing.versions import postgres_only, race

STALE_EN = "Someone else changed this record since you opened it"


def test_unit_patch_names_the_version(world, cast, client_for):
    c = client_for(cast.base_officer)
    path = f"/units/{world.cell.pk}"
    assert call(c, "GET", path).json()["version"] == 1
    r = call(c, "PATCH", path, {"name": "Chi bộ thôn Đông A", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    before = fingerprint()
    r = call(c, "PATCH", path, {"founded_on": "2001-02-03", "version": 1})
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    assert fingerprint() == before
    r = call(c, "PATCH", path, {"founded_on": "2001-02-03"})  # no version: applied as it is now
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["founded_on"], r.json()["version"]) == (
        "Chi bộ thôn Đông A",
        "2001-02-03",
        3,
    )


def test_unit_interleaved_updates_of_different_fields_both_stay(world, cast):
    unit = world.cell
    second_read = OrgUnit.objects.get(pk=unit.pk)
    services.orgunit_update(actor=None, unit=unit, name="Chi bộ thôn Đông A")
    services.orgunit_update(actor=None, unit=second_read, founded_on=dt.date(2001, 2, 3))
    unit.refresh_from_db()
    assert (unit.name, unit.founded_on, unit.version) == (
        "Chi bộ thôn Đông A",
        dt.date(2001, 2, 3),
        3,
    )
    with pytest.raises(Stale):
        services.orgunit_update(actor=None, unit=second_read, name="X", version=2)
    with pytest.raises(TypeError):
        services.orgunit_update(actor=None, unit=unit, kind="cell")


def test_stale_unit_page(world, cast, en):
    c = en(cast.base_officer)
    unit = world.cell
    url = reverse("org:unit_edit", args=[unit.pk])
    assert 'name="version" value="1"' in c.get(url).text
    services.orgunit_update(actor=None, unit=unit, name="Chi bộ thôn Đông A")
    before = fingerprint()
    r = c.post(url, {"name": "Chi bộ thôn Tây", "cell_type": unit.cell_type, "version": 1})
    assert r.status_code == 422
    assert STALE_EN in r.text and "Now: Name: Chi bộ thôn Đông A." in r.text
    assert 'value="Chi bộ thôn Tây"' in r.text and 'name="version" value="2"' in r.text
    assert fingerprint() == before
    r = c.post(url, {"name": "Chi bộ thôn Tây", "cell_type": unit.cell_type, "version": 2})
    assert r.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Chi bộ thôn Tây", 3)


def test_village_patch_and_page(world, cast, client_for, en):
    village = services.village_create(actor=None, cell=world.cell, name="Thôn Đông", kind="village")
    c = client_for(cast.base_officer)
    path = f"/villages/{village.pk}"
    assert call(c, "PATCH", path, {"name": "Thôn Đông 1", "version": 1}).json()["version"] == 2
    assert call(c, "PATCH", path, {"kind": "quarter", "version": 1}).status_code == 409
    r = call(c, "PATCH", path, {"kind": "quarter"})
    assert (r.json()["name"], r.json()["kind"]) == ("Thôn Đông 1", "quarter")
    r = en(cast.base_officer).post(
        reverse("org:village_edit", args=[village.pk]),
        {"name": "Thôn Tây", "kind": "village", "version": 2},
    )
    assert r.status_code == 422 and STALE_EN in r.text
    assert Village.objects.get(pk=village.pk).name == "Thôn Đông 1"


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_at_once(world):
    pk = world.cell.pk

    def save(version, **fields):
        def update():
            unit = OrgUnit.objects.get(pk=pk)  # read before the first save commits
            return services.orgunit_update(actor=None, unit=unit, version=version, **fields)

        return update

    # From the same version: exactly one wins.
    first, second = race(save(1, name="Chi bộ A"), save(1, founded_on=dt.date(2001, 2, 3)))
    assert isinstance(first, OrgUnit) and isinstance(second, Stale), (first, second)
    unit = OrgUnit.objects.get(pk=pk)
    assert (unit.name, unit.founded_on, unit.version) == ("Chi bộ A", None, 2)
    # Without versions, different fields: both stay.
    first, second = race(save(None, name="Chi bộ B"), save(None, founded_on=dt.date(2001, 2, 3)))
    assert isinstance(first, OrgUnit) and isinstance(second, OrgUnit), (first, second)
    unit = OrgUnit.objects.get(pk=pk)
    assert (unit.name, unit.founded_on, unit.version) == ("Chi bộ B", dt.date(2001, 2, 3), 4)
