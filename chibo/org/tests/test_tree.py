import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from chibo.members.models import Member
from chibo.org import services
from chibo.org.models import Ancestry, Kind, OrgUnit
from chibo.testing import factories as f


def subtree_codes(unit, on=None):
    return set(OrgUnit.all_objects.within(unit, on).values_list("code", flat=True))


def test_subtree_is_the_unit_and_all_below(world):
    assert subtree_codes(world.base) == {"X01", "X01-CB01", "X01-CB02"}
    assert subtree_codes(world.province) == {
        "T01",
        "X01",
        "X01-CB01",
        "X01-CB02",
        "X02",
        "X02-CB01",
    }
    group = f.unit(Kind.PARTY_GROUP, world.cell, code="G1")
    assert "G1" in subtree_codes(world.province)
    assert group.depth == 3


def test_closure_rows_match_parent_links(world):
    # Independently walk parent links in Python and compare with the closure table.
    for unit in OrgUnit.objects.all():
        expected, node, d = set(), unit, 0
        while node is not None:
            expected.add((node.pk, d))
            node, d = node.parent, d + 1
        got = set(
            Ancestry.objects.valid().filter(descendant=unit).values_list("ancestor_id", "distance")
        )
        assert got == expected


def test_move_keeps_the_past(world):
    on = dt.date(2025, 7, 1)
    services.orgunit_move(actor=None, unit=world.cell, new_parent=world.other_base, on=on)
    assert "X01-CB01" in subtree_codes(world.other_base)
    assert "X01-CB01" not in subtree_codes(world.base)
    # The day before the move, the cell was still under its old base committee.
    assert "X01-CB01" in subtree_codes(world.base, on - dt.timedelta(days=1))
    assert "X01-CB01" not in subtree_codes(world.other_base, on - dt.timedelta(days=1))
    assert "X01-CB01" in subtree_codes(world.other_base, on)
    # Member counts follow the tree as it stood.
    before = Member.objects.placed_in(world.base, on - dt.timedelta(days=1)).count()
    after = Member.objects.placed_in(world.base, on).count()
    assert before == after + 1


def test_move_under_own_subtree_is_refused(world):
    with pytest.raises(ValidationError):
        services.orgunit_move(
            actor=None, unit=world.base, new_parent=world.cell, on=dt.date(2025, 1, 1)
        )


def test_shape_rules(world):
    with pytest.raises(ValidationError):
        f.unit(Kind.CELL, world.province)
    with pytest.raises(ValidationError):
        f.unit(Kind.PROVINCE, world.province)
    with pytest.raises(ValidationError):
        services.orgunit_create(
            actor=None, code="X01", name="dup", kind=Kind.CELL, parent=world.base
        )


def test_merge_moves_members_and_keeps_history(world):
    on = dt.date(2025, 7, 1)
    services.orgunit_merge(actor=None, source=world.cell2, target=world.cell, on=on)
    world.member2.refresh_from_db()
    assert world.member2.home_unit_id == world.cell.pk
    cell2 = OrgUnit.objects.get(pk=world.cell2.pk)
    assert cell2.dissolved_on == on
    # Before the merge the member counted in cell2; from the merge, in cell.
    assert Member.objects.placed_in(cell2, on - dt.timedelta(days=1)).count() == 1
    assert Member.objects.placed_in(cell2, on).count() == 0
