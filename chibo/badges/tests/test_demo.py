"""The demo's badges (chibo.badges.demo): awarded on the occasions they fell due, recomputed
from the raw rows, and some held back by a discipline on the next occasion."""

import datetime as dt
from collections import defaultdict

import pytest

from chibo.badges.demo import next_occasion, occasions
from chibo.badges.models import BadgeAward
from chibo.members.demo import Timeline
from chibo.members.models import IN_PARTY, EventKind, Member, MemberEvent, StatusPeriod
from chibo.rules.calendar import add_months, add_years
from chibo.testing.demo import AS_OF, rule, run_demo


@pytest.fixture
def demo(db) -> None:
    run_demo()


def occasion_days() -> list[dt.date]:
    days = []
    for year in range(1950, AS_OF.year + 2):
        for month, day in [(2, 3), (5, 19), (9, 2), (11, 7), (1, 1), (12, 19)]:
            d = dt.date(year, month, day)
            if (month, day) in rule(d, "badge_occasions"):
                days.append(d)
    return sorted(days)


def test_badges_on_the_occasions_they_fell_due(demo):
    days = occasion_days()
    last = max(d for d in days if d < AS_OF)
    following = min(d for d in days if d >= AS_OF)
    periods = defaultdict(list)
    for p in StatusPeriod.objects.filter(status__in=IN_PARTY):
        periods[p.member_id].append(p)
    disciplines = defaultdict(list)
    for e in MemberEvent.objects.filter(kind__in=[EventKind.REPRIMAND, EventKind.WARNING]):
        disciplines[e.member_id].append(e)

    def age_from(member_id: int, on: dt.date) -> dt.date | None:
        for p in periods[member_id]:
            if p.valid_from <= on and (p.valid_to is None or on < p.valid_to):
                return p.party_age_from
        return None

    def held(member_id: int, on: dt.date) -> bool:
        waits = rule(on, "badge_discipline_wait_months")
        return any(e.date <= on < add_months(e.date, waits[e.kind]) for e in disciplines[member_id])

    awards = list(BadgeAward.objects.order_by("member_id", "occasion_date"))
    assert len(awards) > Member.objects.count() / 3
    decisions = defaultdict(set)
    best: dict[int, int] = {}
    for a in awards:
        on = a.occasion_date
        assert on in days and on <= last, a
        assert a.years in rule(on, "badge_years")
        since = age_from(a.member_id, on)
        assert since is not None and add_years(since, a.years) <= on, a  # reached by then
        assert a.years > best.get(a.member_id, 0)  # one award per milestone, rising
        best[a.member_id] = a.years
        # The first occasion it fell due: on the one before, not yet reached, or held back,
        # or out of the Party.
        before = max(d for d in days if d < on)
        earlier = age_from(a.member_id, before)
        assert (
            earlier is None or add_years(earlier, a.years) > before or held(a.member_id, before)
        ), a
        decisions[on].add((a.decision_number, a.decision_on))
        assert a.decision_on < on and a.decision_number
    assert all(len(d) == 1 for d in decisions.values())  # one decision per occasion
    # The kept copy of each member's highest badge (what the lists' first cut reads).
    kept = dict(Member.all_objects.values_list("pk", "badge_years"))
    assert {pk: y for pk, y in kept.items() if y} == best
    # Nobody due on the last occasion was left out, unless held back.
    due_next, held_next = 0, 0
    for member in Member.objects.all():
        since = age_from(member.pk, last)
        if since is not None:
            reached = [y for y in rule(last, "badge_years") if add_years(since, y) <= last]
            if reached and not held(member.pk, last):
                assert best.get(member.pk, 0) >= max(reached), member.code
        now = age_from(member.pk, following)
        if now is None:
            continue
        coming = [
            y for y in rule(following, "badge_years") if last < add_years(now, y) <= following
        ]
        if coming:
            due_next += 1
            assert best.get(member.pk, 0) < max(coming)  # left for the next list
            held_next += held(member.pk, following)
    assert due_next >= 3 and held_next >= 1


def test_occasions_are_the_rule_days(db):
    life = Timeline(AS_OF)
    days = occasions(life)
    assert dt.date(2026, 5, 19) in days and dt.date(2026, 2, 3) in days
    assert dt.date(2026, 5, 20) not in days
    assert next_occasion(days, AS_OF) == dt.date(2026, 9, 2)
    assert next_occasion(days, dt.date(2026, 9, 2)) == dt.date(2026, 9, 2)
    assert all(d.year >= 1950 for d in days) and days == sorted(days)
