"""A board lists its unit's subtree and nothing else, whatever the rest of the database holds:
another province full of members with something due changes none of its lists. Each list is
checked against the members and tasks the test made due, unit by unit."""

import datetime as dt

from chibo.badges.queries import due_list
from chibo.core import audit
from chibo.deadlines.queries import deadline_board
from chibo.meetings.models import Presence
from chibo.org.models import Kind, OrgUnit
from chibo.org.services import orgunit_move
from chibo.org.subtree import subtree_of, unit_ids
from chibo.testing import factories as f
from chibo.testing.deadlines import held, probationary, task, vote

D = dt.date
ON = D(2026, 4, 14)
OCCASION = D(2026, 5, 19)  # the next badge occasion after ON
LISTS = ("ceremonies", "probations", "reviews", "decisions", "removal", "tasks", "badges")


def seed(cell: OrgUnit) -> dict[str, set[int]]:
    """One of each thing due in `cell` on ON: what each list must hold (member ids; task ids
    for the tasks)."""
    ceremony = probationary(cell, D(2026, 2, 2))  # ceremony due 23/03: overdue
    ending = probationary(cell, D(2025, 4, 1), D(2025, 4, 20))  # probation ends 20/04/2026
    review = probationary(cell, D(2025, 2, 3), D(2025, 3, 2))  # ended 02/03/2026, not voted
    voted = vote(probationary(cell, D(2025, 2, 3), D(2025, 3, 2)), D(2026, 4, 10)).member
    badge = f.member(cell, admitted_on=D(1996, 5, 1))  # 30 years on 01/05/2026
    absent = f.member(cell, admitted_on=D(2015, 3, 2))  # three monthly meetings missed
    meetings = [held(cell, D(2026, month, 5), {absent: Presence.UNEXCUSED}) for month in (1, 2, 3)]
    overdue = task(meetings[-1], D(2026, 3, 20), member=absent)
    task(meetings[-1], D(2026, 5, 20), member=absent)  # not due yet
    return {
        "ceremonies": {ceremony.pk},
        "probations": {ending.pk},
        "reviews": {review.pk},
        "decisions": {voted.pk},
        "removal": {absent.pk},
        "tasks": {overdue.pk},
        "badges": {badge.pk},
    }


def lists(unit: OrgUnit) -> dict[str, set[int]]:
    values = deadline_board(unit, ON).values()
    out = {
        key: {r.member_id for r in values[key]}
        for key in ("ceremonies", "probations", "reviews", "decisions")
    }
    out["removal"] = {r.member_id for r in values["removal"].rows}
    out["tasks"] = {t.task_id for t in values["tasks"]}
    # The board counts the badges; the list behind the count, by member.
    out["badges"] = {r.member_id for r in due_list(unit, OCCASION).due}
    assert values["badges"].occasion == OCCASION and values["badges"].due == len(out["badges"])
    return out


def union(*seeds: dict[str, set[int]]) -> dict[str, set[int]]:
    return {key: set().union(*(s[key] for s in seeds)) for key in LISTS}


def test_a_board_lists_its_subtree_whatever_else_the_database_holds(world):
    a, a2, b = seed(world.cell), seed(world.cell2), seed(world.other_cell)
    expected = {
        world.cell: a,
        world.base: union(a, a2),
        world.other_base: b,
        world.province: union(a, a2, b),
    }
    for unit, wanted in expected.items():
        assert lists(unit) == wanted, unit.name
    before = {unit: lists(unit) for unit in expected}

    # Another province, every one of its cells with the same things due, and more of them.
    other = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Khác", code="T02")
    theirs = []
    for i in range(2):
        base = f.unit(Kind.BASE_COMMITTEE, other, name=f"Đảng bộ xã Khác {i}", code=f"T02-X{i}")
        for j in range(2):
            cell = f.unit(Kind.CELL, base, name=f"Chi bộ {j} xã Khác {i}", code=f"T02-X{i}-{j}")
            theirs.append(seed(cell))

    for unit, wanted in expected.items():
        assert lists(unit) == before[unit] == wanted, unit.name
    assert lists(other) == union(*theirs)
    # Nothing of the other province on the first one's boards, and the reverse.
    mine = union(a, a2, b)
    for key in LISTS:
        assert not mine[key] & union(*theirs)[key]


def test_subtree_unit_ids_follow_the_tree_on_the_day(world):
    base, cell, cell2 = world.base.pk, world.cell.pk, world.cell2.pk
    assert unit_ids(world.base, ON) == sorted([base, cell, cell2])
    assert unit_ids([world.base, world.other_base], ON) == sorted(
        [base, cell, cell2, world.other_base.pk, world.other_cell.pk]
    )
    assert unit_ids(world.cell) == [cell]
    # A cell moved to the other base committee on 01/06/2026 counts under its old one
    # before that day, under its new one from it.
    with audit.silenced():
        orgunit_move(actor=None, unit=world.cell2, new_parent=world.other_base, on=D(2026, 6, 1))
    assert unit_ids(world.base, D(2026, 5, 31)) == sorted([base, cell, cell2])
    assert unit_ids(world.base, D(2026, 6, 1)) == sorted([base, cell])
    tree = subtree_of(world.other_base, D(2026, 6, 1))
    assert cell2 in tree and tree.roots == (world.other_base.pk,)
    assert list(OrgUnit.all_objects.filter(tree.q("pk")).order_by("pk")) == list(
        OrgUnit.all_objects.within(world.other_base, D(2026, 6, 1)).order_by("pk")
    )
