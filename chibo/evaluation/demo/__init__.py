"""The annual evaluation in the demo (chibo.core.demo): three published years of ratings across
the change of regulation, and the current year's campaign open in the personas' commune.

Each published year (the three before the demo's year: 2023 and 2024 under 124-QĐ/TW, 2025
under 366-QĐ/TW with its scores) has one campaign per base organisation, rating its members
and its cells, and one per province rating the base organisations, each with the regulation
in force on 31/12 (the source of the rule version that set `evaluation_form`). Every member
officially placed in a cell and in the Party on 31/12 has a row: those the rules leave out
(`verdicts`: admitted too recently, exempt without a self-assessment) with the rule's code,
the others proposed by their cell (a vote of its official members) and decided by the
committee. Levels are drawn about 13% excellent, 75% good, 10% completed, 1-2% not completed;
a member disciplined or long ill in the year at most completed; the cap kept within each cell
(and each parent's units): excellent proposals over it decided good. A unit is excellent only
if none of its rated members failed their duties; where its year of meetings is not rated
good (the demo's meetings begin twelve months back, so earlier years have none) the check is
overridden with the reason. Under 366-QĐ/TW every rating has a score in its level's range,
and most members a submitted self-assessment with the same score.

The demo's year: a campaign open in the personas' commune at the self-assessment stage, a
quarter of its members (a few in the personas' cell) having submitted, some drafts, and the
member persona not yet started.

Ratings and self-assessments, one a member a year, get no "+" history row each (300,000 at
100,000 members): their history starts with the first change, as the meetings' roster rows."""

from chibo.core.demo import Plan, planner
from chibo.core.formats import number
from chibo.evaluation.models import Override

from .campaigns import Evaluations, Rows
from .overrides import meetings_overrides

YEARS = 3


def evaluation_write(plan: Plan) -> tuple[int, int, int]:
    """Write the published years and the open campaign; returns (campaigns, ratings, rated)."""
    e = Evaluations(plan)
    out = Rows()
    first = plan.as_of.year - YEARS
    for year in range(first, plan.as_of.year):
        e.year(year, out)
        offices = {row["campaign_id"]: row["decided_by_id"] for row in out.units}
        plan.writer.insert(Override, meetings_overrides(plan.ids, year, out.units, offices))
        out.units = []
    e.open_campaign(out)
    out.flush(plan.writer)
    return out.written["campaigns"], out.written["ratings"], e.rated


@planner("evaluation", after=["members", "members.personas", "meetings"])
def plan_evaluation(plan: Plan) -> None:
    campaigns, ratings, rated = evaluation_write(plan)
    plan.report(
        f"{number(campaigns)} evaluation campaigns, {number(ratings)} ratings "
        f"({number(rated)} rated)"
    )
