"""The removal review: monthly meetings missed without a valid reason, counted by hand."""

import datetime as dt

import pytest

from chibo.meetings.models import Kind, Presence
from chibo.meetings.queries import removal_review
from chibo.members.models import EventKind
from chibo.members.services import event_create
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f
from chibo.testing.deadlines import held

D = dt.date
U, E = Presence.UNEXCUSED, Presence.EXCUSED


@pytest.fixture
def year(world):
    """Meetings of `cell` in 2025 and early 2026, and who missed which."""
    m = {
        name: f.member(world.cell, full_name=name, admitted_on=D(2015, 3, 2))
        for name in ("Ba Lần", "Hai Lần", "Chuyên Đề", "Miễn", "Qua Năm")
    }
    three, two, thematic, exempt, across = m.values()
    # "Miễn" is exempt from activities from September 2025.
    event_create(actor=None, member=exempt, kind=EventKind.EXEMPTED, date=D(2025, 9, 1))
    meetings = {
        "mar": held(world.cell, D(2025, 3, 5), {three: U, two: U, thematic: U, exempt: U}),
        "jun": held(world.cell, D(2025, 6, 5), {three: U, two: U, thematic: U, exempt: U}),
        "sep": held(world.cell, D(2025, 9, 5), {two: E, exempt: U, across: U}),
        "sep_thematic": held(world.cell, D(2025, 9, 20), {thematic: U}, kind=Kind.THEMATIC),
        "dec31": held(world.cell, D(2025, 12, 31), {three: U, across: U}),
        "jan1": held(world.cell, D(2026, 1, 1), {two: U, across: U}),
        "feb": held(world.cell, D(2026, 2, 5), {two: U}),
    }
    return m, meetings


def listed(result) -> dict[str, list[dt.date]]:
    return {r.full_name: [x.day for x in r.missed] for r in result.rows}


def test_three_unexcused_absences_in_the_year(world, year):
    m, meetings = year
    result = removal_review(world.base, 2025, D(2026, 3, 1))
    # Ba Lần: March, June and 31 December 2025 (3). Hai Lần: March, June (2; September
    # excused). Chuyên Đề: March, June and a thematic meeting (2 monthly). Miễn: March, June
    # and September while exempt (2 counted). Qua Năm: September, 31 December (2 in 2025).
    assert (result.year, result.as_of, result.threshold) == (2025, D(2025, 12, 31), 3)
    assert listed(result) == {"Ba Lần": [D(2025, 3, 5), D(2025, 6, 5), D(2025, 12, 31)]}
    row = result.rows[0]
    assert row.cell_name == "Chi bộ thôn Đông" and row.count == 3
    assert [x.meeting_id for x in row.missed] == [
        meetings["mar"].pk,
        meetings["jun"].pk,
        meetings["dec31"].pk,
    ]
    # The day before 31/12 the year had two: not listed yet.
    assert listed(removal_review(world.base, 2025, D(2025, 12, 30))) == {}
    # Other units do not see them.
    assert removal_review(world.other_base, 2025, D(2026, 3, 1)).rows == []


@pytest.mark.parametrize("total", [1, 10**9], ids=["most-of-the-database", "small-part"])
def test_both_plans_count_the_same_absences(world, year, monkeypatch, total):
    """The subtree's members joined whole, or read first (chibo.core.sql.InFirst, on
    PostgreSQL when the subtree is a small part of the database): the same list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.org import subtree

    monkeypatch.setattr(subtree, "unit_total", lambda: total)
    with CaptureQueriesContext(connection) as ctx:
        result = removal_review(world.base, 2025, D(2026, 3, 1))
    assert listed(result) == {"Ba Lần": [D(2025, 3, 5), D(2025, 6, 5), D(2025, 12, 31)]}
    read_first = any("= ANY(ARRAY(" in q["sql"] for q in ctx.captured_queries)
    assert read_first == (connection.vendor == "postgresql" and total > 1)


def test_year_boundary_and_a_new_rule(world, year):
    # 2026 so far: Hai Lần 01/01 and 05/02 (2), Qua Năm 01/01 (1): none reaches 3.
    assert listed(removal_review(world.cell, 2026, D(2026, 3, 1))) == {}
    # From 01/01/2026 two are enough: 2026 lists Hai Lần; 2025 keeps the rule of 31/12/2025.
    RuleVersion.objects.create(
        effective_from=D(2026, 1, 1), source="Thử", values={"removal_missed_meetings": 2}
    )
    result = removal_review(world.cell, 2026, D(2026, 3, 1))
    assert result.threshold == 2
    assert listed(result) == {"Hai Lần": [D(2026, 1, 1), D(2026, 2, 5)]}
    assert removal_review(world.cell, 2025, D(2026, 3, 1)).threshold == 3
    assert set(listed(removal_review(world.cell, 2025, D(2026, 3, 1)))) == {"Ba Lần"}


def test_a_member_gone_by_the_end_of_the_year_is_not_listed(world, year):
    m, _ = year
    event_create(actor=None, member=m["Ba Lần"], kind=EventKind.REMOVED, date=D(2025, 12, 31))
    assert listed(removal_review(world.base, 2025, D(2026, 3, 1))) == {}


def test_listed_where_placed_at_the_end_of_the_year_not_where_the_record_is_now(world, year):
    """The counts start from the records a subtree holds and the placements there since
    ended (chibo.members.queries.placed_or_held); the list keeps who was placed there."""
    from chibo.members.transfers import member_transfer

    m, _ = year
    # Moved to another base committee in 2026: the record is there now, but on 31/12/2025
    # the member was here.
    member_transfer(actor=None, member=m["Ba Lần"], to_unit=world.other_cell, left_on=D(2026, 2, 1))
    assert listed(removal_review(world.base, 2025, D(2026, 3, 1))) == {
        "Ba Lần": [D(2025, 3, 5), D(2025, 6, 5), D(2025, 12, 31)]
    }
    assert listed(removal_review(world.other_base, 2025, D(2026, 3, 1))) == {}
    # Arrived here in 2026 from another base committee, with three absences there in 2025:
    # the record is here now, but on 31/12/2025 the member was not.
    newcomer = f.member(world.other_cell, full_name="Mới Đến", admitted_on=D(2015, 3, 2))
    for day in (D(2025, 3, 6), D(2025, 6, 6), D(2025, 9, 6)):
        held(world.other_cell, day, {newcomer: U})
    member_transfer(actor=None, member=newcomer, to_unit=world.cell2, left_on=D(2026, 1, 15))
    assert set(listed(removal_review(world.base, 2025, D(2026, 3, 1)))) == {"Ba Lần"}
    assert set(listed(removal_review(world.other_base, 2025, D(2026, 3, 1)))) == {"Mới Đến"}
    assert set(listed(removal_review(world.base, 2026, D(2026, 3, 1)))) == set()
