"""holders() follows the tree as it stood on the day asked: a cell moved to another base
committee is told to the old committee's office before the move and the new one after."""

import datetime as dt

from chibo.accounts.models import Role
from chibo.org import services
from chibo.org.models import Kind
from chibo.org.scope import HERE, cell_officers, holder_ids
from chibo.testing import factories as f

D = dt.date


def test_holders_on_a_day_before_and_after_a_move(world):
    old_office = f.user(username="old", grants=[(Role.OFFICE, world.base)])
    new_office = f.user(username="new", grants=[(Role.OFFICE, world.other_base)])
    secretary = f.user(username="sec", grants=[(Role.SECRETARY, world.cell)])
    province = f.user(username="prov", grants=[(Role.OFFICE, world.province)])
    services.orgunit_move(
        actor=None, unit=world.cell, new_parent=world.other_base, on=D(2026, 3, 1)
    )
    before, after = D(2026, 2, 28), D(2026, 3, 1)
    assert cell_officers([world.cell.pk], on=before)[world.cell.pk] == {
        secretary.pk,
        old_office.pk,
    }
    assert cell_officers([world.cell.pk], on=after)[world.cell.pk] == {
        secretary.pk,
        new_office.pk,
    }
    # Over the cell (any level), on it alone, on the nearest province above it.
    assert holder_ids([world.cell.pk], {Role.OFFICE}, on=before)[world.cell.pk] == {
        old_office.pk,
        province.pk,
    }
    assert holder_ids([world.cell.pk], {Role.OFFICE}, nearest=HERE)[world.cell.pk] == set()
    assert holder_ids([world.cell.pk], {Role.OFFICE}, nearest={Kind.PROVINCE})[world.cell.pk] == {
        province.pk
    }
    # An account that is no longer active is told nothing.
    old_office.is_active = False
    old_office.save()
    assert cell_officers([world.cell.pk], on=before)[world.cell.pk] == {secretary.pk}
