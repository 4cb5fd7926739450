"""The demo's member histories obey the Party's rules. Every figure is recomputed here from
the raw rows with chibo.rules and chibo.rules.calendar, never read from the generator's plan:
ceremonies within their deadline (except the few left overdue on purpose), official from the
end of the probation, reviews voted in time by two thirds of the cell, candidates' introducers
and ages, transfers in transit counted in no cell, badges on the occasions they fell due."""

import datetime as dt
from collections import Counter, defaultdict
from fractions import Fraction

import pytest

from chibo import rules
from chibo.badges.models import BadgeAward
from chibo.development.models import Candidate, OfficialReview, Stage
from chibo.members.models import (
    IN_PARTY,
    EventKind,
    ExemptionReason,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
    Transfer,
    TransferState,
)
from chibo.org.models import CELL_KINDS, Kind, OrgUnit
from chibo.rules.calendar import add_months, add_years, working_days_after
from chibo.rules.models import RuleVersion

from .test_generate import AS_OF, run_demo

TWO_YEARS_AGO = AS_OF - dt.timedelta(days=730)


@pytest.fixture
def demo(db) -> None:
    run_demo()


def rule(day: dt.date, name: str):
    """The rule in force on `day`; before the first regulation on record, the earliest's."""
    value = getattr(rules.at(day), name)
    if value is None:
        first = RuleVersion.objects.filter(province=None).order_by("effective_from").first()
        value = getattr(rules.at(first.effective_from), name)
    assert value is not None, (day, name)
    return value


def stints() -> dict[int, list[dict]]:
    """Per member: each admission (or readmission) with its ceremony and recognition."""
    out: dict[int, list[dict]] = defaultdict(list)
    for e in MemberEvent.objects.order_by("member_id", "date", "pk"):
        mine = out[e.member_id]
        if e.kind in (EventKind.ADMITTED, EventKind.READMITTED):
            mine.append({"admitted": e, "ceremony": None, "official": None})
        elif e.kind == EventKind.CEREMONY:
            assert mine and mine[-1]["ceremony"] is None, e.member_id
            mine[-1]["ceremony"] = e
        elif e.kind == EventKind.OFFICIAL:
            assert mine and mine[-1]["ceremony"] is not None, e.member_id
            mine[-1]["official"] = e
    return out


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


def status_on(member_id: int, day: dt.date) -> str:
    return Member.all_objects.with_status(day).get(pk=member_id).status


def check_ceremonies_and_probations() -> tuple[list[dt.date], list[dt.date]]:
    """Every ceremony within the deadline of the rule in force on its decision day; every
    recognition on the day the probation ended. Returns the admissions still waiting for
    their ceremony: (within the deadline, past it)."""
    waiting, overdue = [], []
    for member_id, mine in stints().items():
        for s in mine:
            admitted = s["admitted"].date
            assert s["admitted"].decision_number, member_id
            deadline = working_days_after(admitted, rule(admitted, "ceremony_working_days"))
            if s["ceremony"] is None:
                assert s["official"] is None
                (overdue if deadline < AS_OF else waiting).append(admitted)
                continue
            held = s["ceremony"].date
            assert admitted < held <= deadline, member_id
            ends = add_months(held, rule(held, "probation_months"))
            if s["official"] is not None:
                assert s["official"].date == ends, member_id
                assert s["official"].decision_number, member_id
            else:
                assert status_on(member_id, AS_OF) == "probationary"
    return waiting, overdue


def test_ceremonies_and_probations_follow_the_rules(demo):
    waiting, overdue = check_ceremonies_and_probations()
    assert len(waiting) >= 2
    assert all(5 <= (AS_OF - day).days <= 20 for day in waiting), waiting
    assert 1 <= len(overdue) <= 2
    # The copies the pages read: the probation of the current stint ends on the day above.
    for m in Member.objects.exclude(ceremony_on=None):
        months = rules.at(m.ceremony_on).probation_months
        want = add_months(m.ceremony_on, months) if months else None
        assert m.probation_ends_on == want, m.code


def test_a_regulation_changing_between_two_events(db):
    """A version taking effect on 01/09/2025 shortens the ceremony and review deadlines:
    decisions from that day are held to the new counts, earlier ones to the old."""
    change = dt.date(2025, 9, 1)
    RuleVersion.objects.create(
        effective_from=change,
        source="Test regulation",
        values={"ceremony_working_days": 12, "review_working_days": 10},
    )
    run_demo()
    waiting, overdue = check_ceremonies_and_probations()
    assert waiting and overdue
    after = [
        s
        for mine in stints().values()
        for s in mine
        if s["admitted"].date >= change and s["ceremony"] is not None
    ]
    assert after
    for s in after:
        admitted = s["admitted"].date
        assert s["ceremony"].date <= working_days_after(admitted, 12)
    for r in OfficialReview.objects.filter(probation_ended_on__gte=change):
        assert r.vote_on <= working_days_after(r.probation_ended_on, 10)


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


def test_probations_ending_overdue_and_awaiting_decision(demo):
    probationary = list(
        Member.objects.with_status(AS_OF)
        .filter(status="probationary")
        .exclude(probation_ends_on=None)
    )
    awaiting = OfficialReview.objects.filter(decision_on=None)
    awaiting_ids = set(awaiting.values_list("member_id", flat=True))
    assert len(awaiting_ids) >= 2
    for r in awaiting:
        m = next(m for m in probationary if m.pk == r.member_id)
        assert r.probation_ended_on == m.probation_ends_on < AS_OF
    soon = [m for m in probationary if AS_OF < m.probation_ends_on <= AS_OF + dt.timedelta(30)]
    assert len(soon) >= 2
    overdue, in_time = [], []
    for m in probationary:
        ends = m.probation_ends_on
        if ends > AS_OF or m.pk in awaiting_ids:
            continue
        due = working_days_after(ends, rule(ends, "review_working_days"))
        (overdue if due < AS_OF else in_time).append(m)
    assert 2 <= len(overdue) <= 5
    assert in_time  # ended lately, the cell still has time


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


def test_transfers_sent_received_pending_and_temporary(demo):
    transfers = list(Transfer.objects.select_related("placement"))
    kinds = Counter((t.kind, t.state) for t in transfers)
    assert kinds[(PlacementKind.OFFICIAL, TransferState.ACCEPTED)] >= 2
    assert kinds[(PlacementKind.OFFICIAL, TransferState.PENDING)] >= 2
    assert kinds[(PlacementKind.TEMPORARY, TransferState.ACCEPTED)] >= 2
    moved = MemberEvent.objects.filter(kind=EventKind.TRANSFERRED)
    assert moved.count() == kinds[(PlacementKind.OFFICIAL, TransferState.ACCEPTED)]
    everyone = Member.objects.placed_in(OrgUnit.objects.get(kind=Kind.PROVINCE), AS_OF)
    for t in transfers:
        sent = Placement.objects.get(
            member_id=t.member_id, kind=PlacementKind.OFFICIAL, unit_id=t.from_unit_id,
            start__lte=t.sent_on,
        )  # fmt: skip
        if t.kind == PlacementKind.OFFICIAL:
            assert sent.end == t.sent_on  # left the sending cell that day
        if t.state == TransferState.PENDING:
            assert t.received_on is None and t.placement is None
            assert AS_OF - dt.timedelta(days=60) <= t.sent_on < AS_OF
            m = Member.objects.get(pk=t.member_id)
            assert m.home_unit_id == t.from_unit_id  # the record stays with the sender
            assert (
                not Placement.objects.active_on(AS_OF)
                .filter(member=m, kind=PlacementKind.OFFICIAL)
                .exists()
            )
            assert not everyone.filter(pk=m.pk).exists()  # in transit: counted in no cell
            assert status_on(m.pk, AS_OF) in IN_PARTY
            continue
        p = t.placement
        assert (p.member_id, p.unit_id, p.kind, p.start) == (
            t.member_id,
            t.to_unit_id,
            t.kind,
            t.received_on,
        )
        assert t.sent_on <= t.received_on < AS_OF and p.letter_number == t.letter_number
        if t.kind == PlacementKind.OFFICIAL:
            event = moved.get(member_id=t.member_id)
            assert (event.date, event.decision_number) == (t.sent_on, t.letter_number)
        else:
            assert t.until and p.end == t.until > t.received_on
            assert sent.end is None or sent.end > t.received_on  # the record stays home
    history = Transfer.history.model.objects
    assert history.filter(history_type="+").count() == len(transfers)
    assert history.filter(history_type="~").count() == sum(
        1 for t in transfers if t.state == TransferState.ACCEPTED
    )


def test_exemptions_disciplines_and_a_readmission(demo):
    exemptions = MemberEvent.objects.filter(kind=EventKind.EXEMPTED)
    reasons = Counter(exemptions.values_list("reason", flat=True))
    assert reasons[ExemptionReason.OLD_AGE] + reasons[ExemptionReason.ILLNESS] == len(exemptions)
    assert reasons[ExemptionReason.OLD_AGE]
    disciplines = MemberEvent.objects.filter(kind__in=[EventKind.REPRIMAND, EventKind.WARNING])
    assert disciplines.count() >= 3
    for e in disciplines:
        assert TWO_YEARS_AGO <= e.date < AS_OF and e.decision_number, e
        assert status_on(e.member_id, e.date) == "official"
    readmitted = MemberEvent.objects.filter(kind=EventKind.READMITTED)
    assert readmitted.exists()
    for back in readmitted:
        removed = MemberEvent.objects.get(member_id=back.member_id, kind=EventKind.REMOVED)
        first = MemberEvent.objects.get(member_id=back.member_id, kind=EventKind.ADMITTED)
        assert first.date < removed.date < back.date
        assert status_on(back.member_id, removed.date) == "removed"
        # Party age counts from the first admission, moved later by the time out.
        period = StatusPeriod.objects.filter(member_id=back.member_id).latest("valid_from")
        assert period.party_age_from == first.date + (back.date - removed.date)


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
