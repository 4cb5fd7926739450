"""Admissions in the demo (chibo.core.demo): the candidacies behind the recent admissions and
candidates on their way in most base organisations (`candidacies`), and the cells' reviews of
recent probations (`reviews`), over the members chibo.members.demo planned."""

from chibo.core.demo import Plan, planner
from chibo.core.formats import number
from chibo.development.models import Candidate, OfficialReview
from chibo.members.demo import LIFE, PEOPLE, ROWS, Rosters
from chibo.org.demo import TREE

from .candidacies import plan_candidacies
from .reviews import review_rows


@planner("development", after=["members"])
def plan_development(plan: Plan) -> None:
    life, people, ids = plan[LIFE], plan[PEOPLE], plan.ids
    rosters = Rosters(people)
    candidates, candidate_history = plan_candidacies(
        plan.rng("candidates"), life, plan[TREE], people, rosters, plan.namer, ids
    )
    reviews, review_history = review_rows(
        plan.rng("reviews"), life, people, rosters, plan[ROWS].events, ids
    )
    plan.writer.insert(Candidate, candidates, history=candidate_history)
    plan.writer.insert(OfficialReview, reviews, history=review_history)
    plan.report(f"{number(len(candidates))} candidates, {number(len(reviews))} reviews")
