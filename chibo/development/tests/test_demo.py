"""The demo's candidacies and reviews (chibo.development.demo) obey the Party's rules, recomputed
from the raw rows: reviews voted in time by two thirds of the cell and linked to the
recognition, candidates at every stage with their introducers, ages and votes."""

import datetime as dt
from collections import defaultdict
from fractions import Fraction

import pytest

from chibo import rules
from chibo.development.models import Candidate, OfficialReview, Stage
from chibo.members.models import EventKind, Member, MemberEvent, Placement, PlacementKind
from chibo.org.models import CELL_KINDS, Kind, OrgUnit
from chibo.rules.calendar import add_months, add_years, working_days_after
from chibo.testing.demo import AS_OF, TWO_YEARS_AGO, rule, run_demo, status_on


@pytest.fixture
def demo(db) -> None:
    run_demo()


def voters(cell_id: int, day: dt.date) -> int:
    """Official members placed in the cell that day, neither exempt nor away elsewhere."""
    placed = Placement.objects.active_on(day).filter(unit_id=cell_id, kind=PlacementKind.OFFICIAL)
    away = (
        Placement.objects.active_on(day)
        .filter(kind=PlacementKind.TEMPORARY)
        .exclude(unit_id=cell_id)
    )
    return (
        Member.objects.filter(pk__in=placed.values("member_id"))
        .exclude(pk__in=away.values("member_id"))
        .with_status(day)
        .filter(status="official", exempt=False)
        .count()
    )


def home_cell(member_id: int, day: dt.date) -> int:
    return (
        Placement.objects.active_on(day)
        .get(member_id=member_id, kind=PlacementKind.OFFICIAL)
        .unit_id
    )


def test_reviews_are_voted_in_time_and_linked_to_the_recognition(demo):
    reviews = list(OfficialReview.objects.select_related("event"))
    assert reviews
    for r in reviews:
        ends = r.probation_ended_on
        assert ends < r.vote_on <= working_days_after(ends, rule(ends, "review_working_days"))
        eligible = voters(home_cell(r.member_id, r.vote_on), r.vote_on)
        assert r.votes_eligible == eligible >= 1, r
        assert Fraction(r.votes_for, eligible) >= rules.at(r.vote_on).special_majority, r
        assert r.outcome == "recognise"
        if r.decision_on is not None:
            assert r.vote_on < r.decision_on < AS_OF and r.decision_on >= TWO_YEARS_AGO
            e = r.event
            assert (e.member_id, e.kind, e.date) == (r.member_id, EventKind.OFFICIAL, ends)
            assert e.decision_number == r.decision_number != ""
    # Every recognition of the last two years has its review.
    recent = MemberEvent.objects.filter(kind=EventKind.OFFICIAL, date__gte=TWO_YEARS_AGO)
    assert recent.exists()
    linked = {r.event_id for r in reviews}
    assert all(e.pk in linked for e in recent)
    # History: the vote ("+"), then the decision ("~").
    history = OfficialReview.history.model.objects
    assert history.filter(history_type="+").count() == len(reviews)
    assert history.filter(history_type="~").count() == sum(1 for r in reviews if r.decision_on)


def test_candidates_at_every_stage_obey_the_rules(demo):
    candidates = list(Candidate.objects.with_stage().select_related("cell", "member"))
    bases = list(OrgUnit.objects.filter(kind=Kind.BASE_COMMITTEE))
    base_of = {
        c.pk: (c.parent_id if c.kind == Kind.CELL else c.pk)
        for c in OrgUnit.objects.filter(kind__in=CELL_KINDS)
    }
    stages: dict[str, set[int]] = defaultdict(set)
    for c in candidates:
        stages[c.stage_sql].add(base_of[c.cell_id])
    for stage in (Stage.PROPOSED, Stage.CLASS_DONE, Stage.INTRODUCED, Stage.VOTED):
        assert len(stages[stage] & {b.pk for b in bases}) * 2 >= len(bases), stage
    for stage in (Stage.DECIDED, Stage.ADMITTED, Stage.DROPPED):
        assert stages[stage], stage
    for c in candidates:
        steps = [c.proposed_on, c.class_completed_on, c.introduced_on, c.vote_on, c.decision_on]
        done = [d for d in steps if d is not None]
        assert done == sorted(done) and done[-1] <= AS_OF, c
        assert steps[: len(done)] == done, c  # no step skipped
        if c.dropped_on:
            assert done[-1] < c.dropped_on < AS_OF and c.drop_reason and not c.decision_on
        if c.introduced_on:
            check_introducers(c)
        if c.vote_on:
            low, high = rule(c.vote_on, "admission_min_age"), rule(c.vote_on, "admission_max_age")
            assert add_years(c.birth_date, low) <= c.vote_on <= add_years(c.birth_date, high)
            assert c.votes_eligible == voters(c.cell_id, c.vote_on) >= 1, c
            share = rules.at(c.vote_on).special_majority
            assert Fraction(c.votes_for, c.votes_eligible) >= share, c
        if c.decision_on:
            check_admission(c)
    # Every member admitted in the last two years came through a candidacy.
    admitted = MemberEvent.objects.filter(kind=EventKind.ADMITTED, date__gte=TWO_YEARS_AGO)
    linked = {c.member_id for c in candidates if c.member_id}
    assert admitted.exists() and set(admitted.values_list("member_id", flat=True)) == linked
    history = Candidate.history.model.objects
    assert history.filter(history_type="+").count() == len(candidates)
    steps_done = sum(
        sum(1 for d in (c.class_completed_on, c.introduced_on, c.vote_on, c.decision_on) if d)
        + bool(c.dropped_on)
        for c in candidates
    )
    assert history.filter(history_type="~").count() == steps_done


def check_introducers(c: Candidate) -> None:
    on = c.introduced_on
    months = rules.at(on).introducer_min_months
    latest = add_months(on, -months)
    pairs = [(c.introducer_1_id, c.introducer_1_since), (c.introducer_2_id, c.introducer_2_since)]
    named = [(m, since) for m, since in pairs if m is not None]
    assert named and (len(named) == 2 or c.union_introduction), c
    assert len({m for m, _ in named}) == len(named), c
    for member_id, since in named:
        assert since is not None and since <= latest, c
        assert status_on(member_id, on) == "official", c
        placement = Placement.objects.active_on(on).get(
            member_id=member_id, kind=PlacementKind.OFFICIAL
        )
        assert placement.unit_id == c.cell_id and placement.start <= latest, c


def check_admission(c: Candidate) -> None:
    m = c.member
    assert m is not None and (m.full_name, m.birth_date, m.gender) == (
        c.full_name,
        c.birth_date,
        c.gender,
    )
    admitted = MemberEvent.objects.get(member=m, kind=EventKind.ADMITTED)
    assert (admitted.date, admitted.decision_number) == (c.decision_on, c.decision_number)
    first = Placement.objects.filter(member=m, kind=PlacementKind.OFFICIAL).earliest("start")
    assert (first.unit_id, first.start) == (c.cell_id, c.decision_on)
    assert c.stage == (Stage.ADMITTED if m.ceremony_on else Stage.DECIDED)
