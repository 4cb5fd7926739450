"""Party badges already awarded in the demo: for each member, the milestones of party age
reached before the last occasion before as_of, each recorded on the first occasion the member
was due it, as chibo.badges.queries.due computes the list of an occasion: in the Party that day, the
highest milestone reached by then and not yet awarded, not held back by a discipline less than
the waiting time old. Party age comes from the status periods members.derive computed (the
time out of the Party left out). Milestones reached after that occasion are left for the next
list. One decision of the province per occasion.

Before that, among the members' stories (chibo.members.demo.lifecycle), some members due a
badge on the next occasion are disciplined within the waiting time before it (`held_back`):
the next list shows them held back."""

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict

from chibo.badges.models import BadgeAward
from chibo.badges.services import keep_badge_years
from chibo.core.demo import Ids, Plan, between, planner
from chibo.core.formats import number
from chibo.members.demo import DAY, DISCIPLINES, LIFE, PEOPLE, ROWS, Person, Stories, Timeline
from chibo.members.demo.timeline import FIRST_DAY
from chibo.members.models import IN_PARTY, EventKind, Member
from chibo.rules.calendar import add_months, add_years


def occasions(life: Timeline) -> list[dt.date]:
    """The regular award days up to a year after as_of, each counted when the rules in force
    on that very day list it (chibo.badges.queries.occasions)."""
    names: set[tuple[int, int]] = set()
    for start in life.starts:
        names.update(life.rules(start).badge_occasions or [])
    out = []
    for year in range(FIRST_DAY.year, life.as_of.year + 2):
        for month, day in sorted(names):
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            if (month, day) in (life.rules(date).badge_occasions or []):
                out.append(date)
    return sorted(out)


def next_occasion(days: list[dt.date], on: dt.date) -> dt.date:
    """The first of the occasions `days` on or after `on`."""
    return days[bisect_left(days, on)]


def held_back(stories: Stories, wanted: int) -> int:
    """Up to `wanted` members whose party age reaches a milestone by the next occasion,
    reprimanded or warned within the waiting time before it (chibo.members.demo.DISCIPLINES)."""
    rng, life, as_of = stories.rng, stories.life, stories.as_of
    days = occasions(life)
    nxt = next_occasion(days, as_of)
    last = days[days.index(nxt) - 1]
    r = life.rules(nxt)
    waits = r.badge_discipline_wait_months or {}
    years = r.badge_years or []

    # Party age reaches a milestone between the two occasions (no time out of the Party for
    # these members): first narrowed by year, then exactly.
    admission_years = {year - y for y in years for year in range(last.year, nxt.year + 1)}

    def due_next(p: Person) -> bool:
        return p.admitted.year in admission_years and any(
            last < add_years(p.admitted, y) <= nxt for y in years
        )

    held = stories.pick(wanted, lambda p: not p.disciplines and due_next(p))
    for p in held:
        kind = rng.choice([EventKind.REPRIMAND, EventKind.WARNING])
        lo = max(add_months(nxt, -waits.get(kind, 0)) + DAY, p.official or p.admitted)
        hi = as_of - 7 * DAY
        if kind in waits and lo <= hi:
            stories.discipline(p, kind, between(rng, lo, hi))
    return len(held)


DISCIPLINES.register("badges.held_back", held_back)


def _held(p: Person, on: dt.date, waits: dict[str, int]) -> bool:
    return any(
        kind in waits and day <= on < add_months(day, waits[kind])
        for kind, day, _number, _note in p.disciplines
    )


def plan_awards(
    rng: random.Random, life: Timeline, people: list[Person], periods: list[dict], ids: Ids
) -> list[dict]:
    days = occasions(life)
    last = bisect_left(days, life.as_of) - 1  # the last occasion before as_of
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
        i = bisect_left(days, add_years(spans[0][2], first_years))
        awarded = 0
        while i <= last:
            on = days[i]
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
            i = max(i + 1, bisect_left(days, add_years(span[2], min(later))))
    return rows


@planner("badges", after=["members"])
def plan_badges(plan: Plan) -> None:
    awards = plan_awards(plan.rng("badges"), plan[LIFE], plan[PEOPLE], plan[ROWS].periods, plan.ids)
    plan.writer.insert(BadgeAward, awards)
    if awards:  # the kept copy of the members just awarded (their ids are one range)
        ids = [row["member_id"] for row in awards]
        awarded = BadgeAward.objects.filter(member__gte=min(ids), member__lte=max(ids))
        keep_badge_years(Member.all_objects.filter(pk__in=awarded.values("member_id")))
    plan.report(f"{number(len(awards))} badges")
