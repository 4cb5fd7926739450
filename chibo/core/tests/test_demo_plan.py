"""The demo framework's order and shared plan, on planners made up here."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from chibo.core.demo import BulkWriter, Ids, Key, Plan, Planner, ordered

NUMBERS: Key[list[int]] = Key("test.numbers")
TOTAL: Key[int] = Key("test.total")


def plan() -> Plan:
    return Plan(
        members=50, seed=3, as_of=dt.date(2026, 6, 15), writer=BulkWriter(timezone.now(), Ids())
    )


def keys(planners: list[Planner]) -> list[str]:
    return [p.key for p in planners]


def noop(plan: Plan) -> None:
    pass


def test_each_planner_comes_after_those_it_names_whatever_the_registration_order():
    a = Planner("a", noop)
    b = Planner("b", noop, after=("c",))
    c = Planner("c", noop, after=("a",))
    d = Planner("d", noop)
    assert keys(ordered([a, b, c, d])) == ["a", "c", "b", "d"]
    assert keys(ordered([b, c, d, a])) == ["d", "a", "c", "b"]  # otherwise as registered


def test_an_unknown_planner_or_a_cycle_fails():
    with pytest.raises(ValueError, match="unknown planners \\['nowhere'\\]"):
        ordered([Planner("a", noop, after=("nowhere",))])
    with pytest.raises(ValueError, match="wait for each other"):
        ordered([Planner("a", noop, after=("b",)), Planner("b", noop, after=("a",))])


def test_a_planner_reads_what_an_earlier_one_planned_and_the_plan_records_it():
    def numbers(plan: Plan) -> None:
        plan.put(NUMBERS, [plan.rng("numbers").randint(1, 9) for _ in range(3)])

    def total(plan: Plan) -> None:
        plan.put(TOTAL, sum(plan[NUMBERS]))

    p = plan()
    p.run([Planner("numbers", numbers), Planner("total", total, after=("numbers",))])
    assert p[TOTAL] == sum(p[NUMBERS])
    assert p.reads == {"total": {"numbers"}}

    with pytest.raises(LookupError, match="test.numbers is not planned yet"):
        plan().run([Planner("total", total)])
    with pytest.raises(ValueError, match="planned twice"):
        plan().run([Planner("numbers", numbers), Planner("again", numbers)])


def test_one_generator_per_stage_seeded_by_its_name():
    p = plan()
    first = p.rng("people")
    assert p.rng("people") is first  # shared: it goes on where it stopped
    assert first.random() == random.Random("3:people").random()
    assert p.rng("posts").random() == random.Random("3:posts").random()
    namer = p.namer(40, "nghe_an")
    assert p.namer(40, "nghe_an") is namer
    assert p.rng("names:40") is namer.rng
