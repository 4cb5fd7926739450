"""The registered demo planners come in an order where each follows those it reads from, as
declared (not by the luck of INSTALLED_APPS' order)."""

from chibo.core.demo import PLANNERS, Planner, ordered
from chibo.demo.generate import MIN_MEMBERS, demo_generate
from chibo.testing.demo import AS_OF


def declared_before(key: str, planners: dict[str, Planner]) -> set[str]:
    """The planners `key` names in `after`, and theirs, and so on."""
    out: set[str] = set()
    todo = list(planners[key].after)
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo += planners[k].after
    return out


def test_each_planner_comes_after_those_it_reads_from(db):
    planners = {p.key: p for p in PLANNERS}
    summary = demo_generate(members=MIN_MEMBERS, seed=3, as_of=AS_OF)
    assert summary.reads  # the members planner reads the tree, and so on
    for reader, producers in summary.reads.items():
        assert producers <= declared_before(reader, planners), reader
    # Whatever the order the apps register them in, the order keeps that.
    for registered in (list(PLANNERS), list(reversed(list(PLANNERS)))):
        order = [p.key for p in ordered(registered)]
        for key in order:
            assert all(order.index(k) < order.index(key) for k in declared_before(key, planners))


def test_the_planners_are_found_in_their_apps():
    # Discovered in each app's own demo module (chibo.<app>.demo), none in the hub.
    apps = {p.run.__module__.split(".")[1] for p in PLANNERS}
    assert len(apps) >= 5 and "demo" not in apps
