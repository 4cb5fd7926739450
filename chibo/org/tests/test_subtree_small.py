"""Subtree.small chooses between two plans of the same list (chibo.core.sql.InFirst): a
subtree that is most of the database is joined to whole tables, a small part of it is read
first. The number of units it compares with is read at most every ten minutes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.org import subtree
from chibo.org.models import OrgUnit
from chibo.org.subtree import subtree_of


@pytest.fixture
def real_total(monkeypatch):
    """The real unit_total (conftest takes every subtree as small), with its cache empty."""
    monkeypatch.setattr(subtree, "unit_total", ORIGINAL)
    monkeypatch.setattr(subtree, "_unit_total", {})


ORIGINAL = subtree.unit_total


def test_a_subtree_is_small_when_it_holds_under_half_the_units(world, real_total):
    total = OrgUnit.all_objects.count()
    province = subtree_of(world.province)
    assert len(province.ids) * 2 >= total  # the whole test tree
    assert not province.small
    cell = subtree_of(world.cell)
    assert len(cell.ids) * 2 < total
    assert cell.small


def test_the_total_is_read_once_in_ten_minutes(world, real_total, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(subtree.time, "monotonic", lambda: now[0])
    with CaptureQueriesContext(connection) as first:
        total = subtree.unit_total()
    assert total == OrgUnit.all_objects.count() and len(first.captured_queries) == 1
    OrgUnit.objects.create(name="Chi bộ mới", code="NEW", kind=world.cell.kind, parent=world.base)
    now[0] += subtree.UNIT_TOTAL_SECONDS  # not yet past
    with CaptureQueriesContext(connection) as again:
        assert subtree.unit_total() == total
    assert len(again.captured_queries) == 0
    now[0] += 1
    assert subtree.unit_total() == total + 1
