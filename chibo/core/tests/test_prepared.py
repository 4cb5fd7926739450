"""chibo.core.prepared: a query built once and run again with other ids gives what the ORM
gives for those ids, on SQLite and on PostgreSQL; and the bounded paginator and RowExists
keep the figures they replace."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from chibo.core import prepared as prep
from chibo.core.paginator import BoundedPaginator
from chibo.core.sql import RowExists
from chibo.members.models import EventKind, Member, MemberEvent
from chibo.org.models import Kind
from chibo.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    """Six cells of two base committees, with members born on known days."""
    rng = random.Random(7)
    cells = [world.cell, world.cell2, world.other_cell]
    cells += [f.unit(Kind.CELL, world.base, name=f"Chi bộ {i}", code=f"X01-P{i}") for i in range(3)]
    for i in range(40):
        f.member(
            rng.choice(cells),
            full_name=f"Đảng viên {i:02d}",
            birth_date=dt.date(1950 + rng.randrange(50), 1 + rng.randrange(12), 1),
        )
    return cells


def _build(marks: prep.Marks):
    return (
        Member.objects.filter(prep.in_list("home_unit_id", marks.ids("cells")))
        .filter(birth_date__lt=dt.date(1980, 1, 1))
        .order_by("pk")
        .values("pk", "birth_date", unit=F("home_unit_id"))
    )


def _expected(cell_ids: list[int]) -> list[dict]:
    # Independently: every member, filtered in Python.
    out = []
    for m in Member.objects.order_by("pk"):
        if m.home_unit_id in cell_ids and m.birth_date < dt.date(1980, 1, 1):
            out.append({"pk": m.pk, "birth_date": m.birth_date, "unit": m.home_unit_id})
    return out


def test_prepared_rows_match_the_orm_for_any_ids(units):
    prep._SHAPES.clear()
    rng = random.Random(3)
    key = ("test.members", 1)
    for _ in range(8):
        ids = [u.pk for u in rng.sample(units, rng.randrange(0, len(units) + 1))]
        rows = prep.prepared(Member, key, _build, cells=ids)
        assert rows == _expected(ids)
        # Dates come back as dates, as the ORM gives them (SQLite gives text otherwise).
        assert all(isinstance(r["birth_date"], dt.date) for r in rows)
    assert len(prep._SHAPES) == 1  # built once


def test_prepared_is_built_once_then_only_run(units):
    prep._SHAPES.clear()
    calls = []

    def build(marks):
        calls.append(1)
        return _build(marks)

    for cells in ([units[0].pk], [units[1].pk, units[2].pk]):
        with CaptureQueriesContext(connection) as ctx:
            prep.prepared(Member, ("test.once",), build, cells=cells)
        assert len(ctx.captured_queries) == 1
    assert len(calls) == 1


def test_a_mark_used_twice_and_a_group_by(units, world):
    def build(marks):
        mark = marks.ids("cells")
        born = Member.objects.filter(prep.in_list("home_unit_id", mark), pk=OuterRef("pk"))
        return (
            Member.objects.filter(prep.in_list("home_unit_id", mark))
            .filter(Exists(born))
            .values("home_unit_id")
            .annotate(n=Count("pk"))
            .order_by("home_unit_id")
        )

    ids = [world.cell.pk, world.other_cell.pk]
    rows = prep.prepared(Member, ("test.twice",), build, cells=ids)
    counted = {}
    for m in Member.objects.all():
        if m.home_unit_id in ids:
            counted[m.home_unit_id] = counted.get(m.home_unit_id, 0) + 1
    assert {r["home_unit_id"]: r["n"] for r in rows} == counted
    assert prep.prepared(Member, ("test.twice",), build, cells=[]) == []


def test_a_query_that_can_have_no_rows(units):
    rows = prep.prepared(Member, ("test.none",), lambda m: Member.objects.none().values("pk"))
    assert rows == []


def test_only_values_queries_are_prepared(units):
    with pytest.raises(ValueError):
        prep.prepared(Member, ("test.objects",), lambda m: Member.objects.filter(pk=1))


def test_the_cache_is_bounded(units, monkeypatch):
    prep._SHAPES.clear()
    monkeypatch.setattr(prep, "KEPT", 3)
    for i in range(6):
        prep.prepared(Member, ("test.bound", i), _build, cells=[units[0].pk])
    assert len(prep._SHAPES) == 3


def test_bounded_paginator_counts_up_to_the_bound(units):
    qs = Member.objects.order_by("full_name")
    total = Member.objects.count()
    exact = BoundedPaginator(qs, 5, bound=total)
    assert (exact.count, exact.more) == (total, False)
    capped = BoundedPaginator(qs, 5, bound=total - 3)
    assert (capped.count, capped.more) == (total - 3, True)
    assert capped.num_pages == -(-(total - 3) // 5)


def test_a_listed_paginator_gives_the_same_pages_from_one_list_of_ids(units):
    """Listed (a search): the ids once, in order; every page and the count as the plain
    paginator gives them, the last page short, and the bound kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    qs = Member.objects.order_by("-full_name", "pk")
    total = Member.objects.count()
    assert total > 7
    expected = [m.pk for m in qs]
    plain, listed = BoundedPaginator(qs, 3), BoundedPaginator(qs, 3, listed=True)
    assert (listed.count, listed.num_pages, listed.more) == (total, -(-total // 3), False)
    for number in plain.page_range:
        assert [m.pk for m in listed.page(number)] == [m.pk for m in plain.page(number)]
        assert [m.pk for m in listed.page(number)] == expected[3 * (number - 1) : 3 * number]
    assert listed.get_page(99).number == listed.num_pages  # past the end: the last page
    capped = BoundedPaginator(qs, 3, bound=total - 2, listed=True)
    assert (capped.count, capped.more) == (total - 2, True)
    assert [m.pk for m in capped.page(capped.num_pages)] == expected[
        3 * (capped.num_pages - 1) : total - 2
    ]
    again = BoundedPaginator(qs, 3, listed=True)
    with CaptureQueriesContext(connection) as ctx:
        again.count, list(again.page(2))
    assert len(ctx.captured_queries) == 2  # the ids, then the page's rows by id
    with pytest.raises(ValueError, match="orphans"):
        BoundedPaginator(qs, 3, listed=True, orphans=1)


def test_row_exists_keeps_the_truth_of_exists(units, world):
    on = dt.date(2026, 6, 1)
    some = list(Member.objects.order_by("pk")[:5])
    for m in some[:3]:
        MemberEvent.objects.create(
            member=m, kind=EventKind.EXEMPTED, date=dt.date(2026, 1, 1), reason="old_age"
        )
    events = MemberEvent.objects.filter(
        member=OuterRef("pk"), kind=EventKind.EXEMPTED, date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    plain = dict(Member.objects.annotate(x=Exists(events)).values_list("pk", "x"))
    row = dict(Member.objects.annotate(x=RowExists(events)).values_list("pk", "x"))
    assert row == plain
    assert sum(row.values()) == 3
    assert set(Member.objects.filter(~RowExists(events)).values_list("pk", flat=True)) == {
        pk for pk, x in plain.items() if not x
    }
