"""`rules.remembered()`: the rules read once for a whole read, and read afresh once written."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo import rules
from chibo.org.models import Kind
from chibo.org.services import orgunit_move
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f

D = dt.date


def test_read_once_within_a_block(world):
    rules.at(D(2026, 1, 1), world.cell)  # anything lazy loaded
    with CaptureQueriesContext(connection) as ctx, rules.remembered():
        first = rules.at(D(2026, 1, 1), world.cell)
        assert rules.at(D(2026, 1, 1), world.cell) == first
        rules.at(D(2020, 1, 1), world.cell2)  # another day and unit: the versions kept
        assert rules.province_of(world.cell, D(2027, 1, 1)) == world.province.pk
    # The versions once, each unit's province once.
    assert len(ctx.captured_queries) == 3
    with CaptureQueriesContext(connection) as ctx:
        rules.at(D(2026, 1, 1), world.cell)
        rules.at(D(2026, 1, 1), world.cell)
    assert len(ctx.captured_queries) == 4  # nothing kept outside a block


def test_a_version_written_in_a_block_is_read(world):
    with rules.remembered():
        assert rules.at(D(2026, 1, 1), world.cell).quality_good == 90
        RuleVersion.objects.create(
            effective_from=D(2026, 1, 1),
            source="Hướng dẫn của Tỉnh ủy (thử)",
            province=world.province,
            values={"quality_good": 85},
        )
        assert rules.at(D(2026, 1, 1), world.cell).quality_good == 85


def test_the_province_follows_the_day(world):
    """A unit moved to another province: each day has the province it was in, from the one
    read of its links."""
    province = f.unit(Kind.PROVINCE, None, name="Đảng bộ tỉnh Khác", code="T99")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã Khác", code="T99X")
    orgunit_move(actor=None, unit=world.cell2, new_parent=base, on=D(2026, 6, 1))
    other = province.pk
    with rules.remembered():
        assert rules.province_of(world.cell2, D(2026, 5, 31)) == world.province.pk
        assert rules.province_of(world.cell2, D(2026, 6, 1)) == other
        assert rules.province_of(world.cell2, None) == other
        assert rules.province_of(world.province, D(2026, 6, 1)) == world.province.pk
