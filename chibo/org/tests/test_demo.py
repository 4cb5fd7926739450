"""The demo's tree (chibo.org.demo): the closure rows are the parent links, villages and party
groups sit in the right cells."""

import pytest

from chibo.members.models import Placement, Position, PositionKind
from chibo.org.models import (
    ALLOWED_PARENTS,
    BASE_KINDS,
    BEGINNING,
    Ancestry,
    CellType,
    Kind,
    OrgUnit,
    Sector,
    Village,
)
from chibo.testing.demo import run_demo


@pytest.fixture
def demo(db) -> None:
    run_demo()


def test_closure_rows_are_the_parent_links(demo):
    parent = dict(OrgUnit.all_objects.values_list("pk", "parent_id"))
    expected = set()
    for unit in parent:
        node, distance = unit, 0
        while node is not None:
            expected.add((node, unit, distance))
            node, distance = parent[node], distance + 1
    rows = Ancestry.objects.all()
    assert {(a.ancestor_id, a.descendant_id, a.distance) for a in rows} == expected
    assert all(a.valid_from == BEGINNING and a.valid_to is None for a in rows)
    assert len(rows) == len(expected)  # no duplicates
    kinds = dict(OrgUnit.all_objects.values_list("pk", "kind"))
    for u in OrgUnit.all_objects.all():
        assert u.depth == max(d for _, x, d in expected if x == u.pk)
        assert kinds.get(parent[u.pk]) in ALLOWED_PARENTS[u.kind], u.code


def test_villages_and_party_groups_sit_in_the_right_cells(demo):
    for v in Village.objects.select_related("cell"):
        assert v.cell.cell_type in (CellType.RURAL, CellType.URBAN)
    assert Village.objects.exists()
    heads = Position.objects.filter(kind=PositionKind.VILLAGE_HEAD)
    assert heads.exists()
    assert all(h.village_id and not h.unit_id for h in heads)
    for p in Placement.objects.exclude(party_group=None).select_related("party_group"):
        assert p.party_group.kind == Kind.PARTY_GROUP and p.party_group.parent_id == p.unit_id


def test_every_base_organisation_has_a_sector_and_communes_are_communes(demo):
    base = OrgUnit.all_objects.filter(kind__in=BASE_KINDS)
    assert base.exists()
    assert not base.filter(sector="").exists()
    communes = base.filter(name__regex=r"^Đảng bộ (xã|phường|thị trấn|đặc khu) ")
    assert communes.exists()
    assert set(communes.values_list("sector", flat=True)) == {Sector.COMMUNE}
    assert not OrgUnit.all_objects.exclude(kind__in=BASE_KINDS).exclude(sector="").exists()
