"""The cell's review of each recent probation in the demo (review_vote's row, then
review_decide's), and the votes of a cell that candidacies share."""

import datetime as dt
import random
from fractions import Fraction

from chibo.core.demo import Ids
from chibo.development.models import OfficialReview, Outcome
from chibo.members.demo import DAY, RECENT_DAYS, Person, Rosters, Timeline
from chibo.members.models import EventKind


def special_majority(life: Timeline, day: dt.date) -> Fraction:
    return life.rule(day, "special_majority")


def votes_for(rng: random.Random, eligible: int, share: Fraction) -> int:
    """At least `share` of those entitled, mostly all of them."""
    needed = -(-eligible * share.numerator // share.denominator)
    return eligible if rng.random() < 0.7 else rng.randint(min(needed, eligible), eligible)


def review_rows(
    rng: random.Random,
    life: Timeline,
    people: list[Person],
    rosters: Rosters,
    events: list[dict],
    ids: Ids,
) -> tuple[list[dict], list[tuple[dict, str]]]:
    """The cell's review of each probation recognised in the last two years, and of those
    voted and awaiting the decision: review_vote's row, then review_decide's."""
    official_event = {
        (e["member_id"], e["date"]): e["id"] for e in events if e["kind"] == EventKind.OFFICIAL
    }
    since = life.as_of - RECENT_DAYS * DAY
    rows: list[dict] = []
    history: list[tuple[dict, str]] = []
    for p in people:
        for s in p.stints():
            if s.vote is None or (s.decided is not None and s.decided < since):
                continue
            cell = p.cell_on(s.vote)
            eligible = rosters.voters(cell.id, s.vote) if cell else 0
            if eligible < 1:
                continue
            voted = {
                "id": ids.next(OfficialReview),
                "member_id": p.id,
                "probation_ended_on": s.ends,
                "vote_on": s.vote,
                "votes_for": votes_for(rng, eligible, special_majority(life, s.vote)),
                "votes_eligible": eligible,
                "outcome": Outcome.RECOGNISE,
                "decision_number": "",
                "decision_on": None,
                "event_id": None,
            }
            history.append((voted, "+"))
            if s.decided is None:
                rows.append(voted)
                continue
            decided = {
                **voted,
                "decision_number": s.official_decision,
                "decision_on": s.decided,
                "event_id": official_event[(p.id, s.official)],
            }
            rows.append(decided)
            history.append((decided, "~"))
    return rows, history
