"""The organisation tree of the demo (chibo.core.demo): a province of real communes and wards
with their cells, villages and party groups (`tree`, from the real place names of `places`).
The planners of the other apps read it as `plan[TREE]`."""

from chibo.core.demo import Key, Plan, planner
from chibo.core.formats import number
from chibo.org.models import Ancestry, Kind, OrgUnit, Village

from .tree import Tree, Unit, VillagePlan, plan_tree

__all__ = ["TREE", "Tree", "Unit", "VillagePlan"]

TREE: Key[Tree] = Key("org.tree")


@planner("org", roots=[OrgUnit])
def plan_org(plan: Plan) -> None:
    tree = plan_tree(
        plan.rng("tree"), members=plan.members, ids=plan.ids, province_code=plan.province_code
    )
    plan.put(TREE, tree)
    plan.writer.insert(OrgUnit, [u.row() for u in tree.units])
    plan.writer.insert(Ancestry, tree.closure_rows(plan.ids))
    plan.writer.insert(Village, [v.row() for v in tree.villages])
    kinds = [u.kind for u in tree.units]
    plan.report(
        f"{number(kinds.count(Kind.CELL) + kinds.count(Kind.BASE_CELL))} cells "
        f"({number(kinds.count(Kind.PARTY_GROUP))} party groups, "
        f"{number(len(tree.villages))} villages) "
        f"under {number(kinds.count(Kind.BASE_COMMITTEE))} base committees "
        f"in {kinds.count(Kind.PROVINCE)} province(s)"
    )
