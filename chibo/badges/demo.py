"""Party badges already awarded in the demo: for each member, the milestones of party age
reached before the last occasion before as_of, each recorded on the first occasion the member
was due it, as chibo.badges.due computes the list of an occasion: in the Party that day, the
highest milestone reached by then and not yet awarded, not held back by a discipline less than
the waiting time old. Party age comes from the status periods members.derive computed (the
time out of the Party left out). Milestones reached after that occasion are left for the next
list. One decision of the province per occasion.

The demo's members planner (chibo.members.demo) has already held some members' badges back:
half of its disciplines fall on members due one on the next occasion."""

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict

from chibo.badges.models import BadgeAward
from chibo.core.demo import Ids, Plan, planner
from chibo.members.demo import LIFE, PEOPLE, ROWS, Person, Timeline
from chibo.members.models import IN_PARTY
from chibo.rules.calendar import add_months, add_years


def _held(p: Person, on: dt.date, waits: dict[str, int]) -> bool:
    return any(
        kind in waits and day <= on < add_months(day, waits[kind])
        for kind, day, _number, _note in p.disciplines
    )


def plan_awards(
    rng: random.Random, life: Timeline, people: list[Person], periods: list[dict], ids: Ids
) -> list[dict]:
    occasions = life.occasions()
    last = bisect_left(occasions, life.as_of) - 1  # the last occasion before as_of
    in_party: dict[int, list[tuple[dt.date, dt.date | None, dt.date]]] = defaultdict(list)
    for row in sorted(periods, key=lambda r: r["valid_from"]):
        if row["status"] in IN_PARTY:
            in_party[row["member_id"]].append(
                (row["valid_from"], row["valid_to"], row["party_age_from"])
            )
    decisions: dict[tuple[int, dt.date], tuple[str, dt.date]] = {}
    rows = []
    for p in people:
        spans = in_party.get(p.id)
        if not spans:
            continue
        first_years = min(life.rules(spans[0][0]).badge_years or [0])
        i = bisect_left(occasions, add_years(spans[0][2], first_years))
        awarded = 0
        while i <= last:
            on = occasions[i]
            span = next((s for s in spans if s[0] <= on and (s[1] is None or on < s[1])), None)
            if span is None:  # out of the Party that day
                if p.deceased is not None and on >= p.deceased:
                    break
                i += 1
                continue
            r = life.rules(on)
            years = r.badge_years or []  # in increasing order
            reached = []
            for y in years:
                if y <= awarded:
                    continue
                if add_years(span[2], y) > on:
                    break
                reached.append(y)
            if reached and _held(p, on, r.badge_discipline_wait_months or {}):
                i += 1
                continue
            if reached:
                awarded = max(reached)
                key = (p.cell.province.code, on)
                if key not in decisions:
                    signed = on - dt.timedelta(days=rng.randint(3, 15))
                    decisions[key] = (f"{rng.randint(1, 999)}-QĐ/TU", signed)
                number, signed = decisions[key]
                rows.append(
                    {
                        "id": ids.next(BadgeAward),
                        "member_id": p.id,
                        "years": awarded,
                        "occasion_date": on,
                        "decision_number": number,
                        "decision_on": signed,
                        "early": "",
                        "recorded_by_id": None,
                    }
                )
            later = [y for y in years if y > awarded]
            if not later:
                break
            i = max(i + 1, bisect_left(occasions, add_years(span[2], min(later))))
    return rows


@planner("badges", after=["members"])
def plan_badges(plan: Plan) -> None:
    awards = plan_awards(plan.rng("badges"), plan[LIFE], plan[PEOPLE], plan[ROWS].periods, plan.ids)
    plan.writer.insert(BadgeAward, awards)
    plan.report(f"{len(awards):,} badges")
