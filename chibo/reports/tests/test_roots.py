"""Every registered section counts many roots at once (the dashboard asks for a unit and its
sub-units together, the closing of a year for a whole subtree): the figures of each root must
be the same whether it is asked alone or with others whose subtrees overlap its own, and the
number of queries must not grow with the roots."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.core.reporting import Period, sections
from chibo.members import services as member_services
from chibo.reports.queries import figures
from chibo.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """Some movement in the year: an admission, a member who died, a second cell's members."""
    f.member(world.cell, admitted_on=dt.date(2025, 3, 2), official_on=None)
    f.member(world.cell2, admitted_on=dt.date(2024, 5, 19))
    gone = f.member(world.other_cell, admitted_on=dt.date(2012, 1, 5))
    member_services.event_create(member=gone, kind="deceased", date=dt.date(2025, 8, 1), actor=None)
    return world


def test_a_root_counts_the_same_alone_and_with_overlapping_roots(history):
    w = history
    period = Period.year(2025)
    roots = [w.province.pk, w.base.pk, w.cell.pk, w.cell2.pk, w.other_base.pk, w.other_cell.pk]
    together = figures(roots, period)
    for root in roots:
        assert figures([root], period)[root] == together[root], root
    assert together[w.province.pk]["members"]["end"] == 5  # 3 of the world, 2 added, 1 died
    assert together[w.base.pk]["members"]["end"] == 4


def test_the_number_of_queries_does_not_grow_with_the_roots(history):
    w = history
    period = Period.year(2025)
    counts = []
    for roots in ([w.cell.pk], [w.province.pk, w.base.pk, w.cell.pk, w.cell2.pk, w.other_cell.pk]):
        with CaptureQueriesContext(connection) as queries:
            figures(roots, period)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert {s.key for s in sections()} >= {
        "units",
        "members",
        "movements",
        "village_posts",
        "meetings",
        "badges",
    }
