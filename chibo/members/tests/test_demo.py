"""The members of the demo (chibo.members.demo) and their histories obey the Party's rules.
Every figure is recomputed here from the raw rows with chibo.rules and chibo.rules.calendar,
never read from the generator's plan: cached columns as member_refresh computes them, one
secretary a cell, names in their order, ceremonies within their deadline (except the few left
overdue on purpose), official from the end of the probation, transfers in transit counted in
no cell, exemptions, disciplines and a readmission."""

import datetime as dt
from collections import Counter, defaultdict

import pytest

from chibo import rules
from chibo.core.demo.names import ALL_FAMILY_NAMES
from chibo.core.search import fold
from chibo.development.models import OfficialReview
from chibo.members import derive
from chibo.members.models import (
    IN_PARTY,
    EventKind,
    ExemptionReason,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    PositionKind,
    StatusPeriod,
    Transfer,
    TransferState,
)
from chibo.members.services import member_refresh
from chibo.org.models import CELL_KINDS, Kind, OrgUnit
from chibo.rules.calendar import add_months, working_days_after
from chibo.rules.models import RuleVersion
from chibo.testing.demo import AS_OF, MEMBERS, TWO_YEARS_AGO, rule, run_demo, status_on


@pytest.fixture
def demo(db) -> None:
    run_demo()


def test_cached_columns_are_what_member_refresh_computes(demo):
    members = list(Member.all_objects.all())
    assert len(members) == MEMBERS
    columns = ("pk", "member_id", "status", "valid_from", "valid_to", "party_age_from")
    periods = set(StatusPeriod.objects.values_list(*columns))
    assert len({p[1] for p in periods}) == MEMBERS  # everyone has a status history
    copies = derive.Copies._fields
    assert {"ceremony_on", "probation_ends_on", "last_admitted_on"} <= set(copies)
    for m in members:
        cached = tuple(getattr(m, f) for f in copies)
        member_refresh(m)
        assert tuple(getattr(m, f) for f in copies) == cached, m.code
        assert m.search_name == fold(m.full_name)
    # member_refresh rewrites periods only when they differ: the same row ids mean none did.
    assert set(StatusPeriod.objects.values_list(*columns)) == periods


def test_every_cell_has_exactly_one_current_secretary(demo):
    cells = OrgUnit.objects.filter(kind__in=CELL_KINDS)
    assert cells.count() >= 6
    for cell in cells:
        current = Position.objects.held_on(AS_OF).filter(kind=PositionKind.SECRETARY, unit=cell)
        assert current.count() == 1, cell.code
        secretary = current.get().member
        assert secretary.home_unit_id == cell.pk
        status = Member.objects.with_status(AS_OF).get(pk=secretary.pk).status
        assert status == "official", cell.code


def test_names_are_family_middle_given(demo):
    names = list(Member.objects.values_list("full_name", "gender"))
    for full_name, gender in names:
        words = full_name.split()
        assert len(words) >= 3, full_name
        assert words[0] in ALL_FAMILY_NAMES, full_name
        middle = words[1:-1]
        assert ("Thị" in middle) <= (gender == "female"), full_name
        assert ("Văn" in middle) <= (gender == "male"), full_name
    families = Counter(n.split()[0] for n, _ in names)
    assert 0.25 < families["Nguyễn"] / len(names) < 0.5
    women = sum(1 for _, g in names if g == "female") / len(names)
    assert 0.3 < women < 0.5
    ethnicities = Counter(Member.objects.values_list("ethnicity", flat=True))
    assert ethnicities["Kinh"] > len(names) / 2 and len(ethnicities) > 1


def test_dates_and_events_hang_together(demo):
    events = defaultdict(list)
    for e in MemberEvent.objects.order_by("date", "pk"):
        events[e.member_id].append(e)
    placements = defaultdict(list)
    for p in Placement.objects.filter(kind=PlacementKind.OFFICIAL).order_by("start"):
        placements[p.member_id].append(p)
    pending = set(Transfer.objects.filter(state="pending").values_list("member_id", flat=True))
    kinds = Counter()
    young = 0
    for m in Member.objects.all():
        assert dt.date(1940, 1, 1) <= m.birth_date
        age_at_admission = (m.admitted_on - m.birth_date).days / 365.25
        assert 18 <= age_at_admission <= 60, m.code
        if m.admitted_on >= AS_OF - dt.timedelta(days=730):
            young += age_at_admission < 36
        mine = {e.kind: e for e in events[m.pk]}
        kinds.update(mine.keys())
        assert all(m.birth_date <= e.date <= AS_OF for e in events[m.pk])
        if m.official_on:
            # A ceremony after the decision, then a probation of at least a year.
            assert (m.official_on - m.admitted_on).days > 365, m.code
        else:
            assert m.last_admitted_on == m.admitted_on, m.code
            assert (AS_OF - m.admitted_on).days < 550, m.code  # probation, then the review
        if EventKind.EXEMPTED in mine:
            assert mine[EventKind.EXEMPTED].date >= m.official_on
        if EventKind.DECEASED in mine:
            assert mine[EventKind.DECEASED].date == max(e.date for e in events[m.pk])
        official = placements[m.pk]
        assert official[-1].unit_id == m.home_unit_id
        assert (official[-1].end is None) == (m.pk not in pending), m.code
        for before, after in zip(official, official[1:], strict=False):
            # A transfer: the earlier placement closed, a gap in transit, the letter on file;
            # or out of the Party between a removal and the readmission.
            assert before.end is not None and before.end < after.start
            if EventKind.READMITTED in mine:
                assert mine[EventKind.REMOVED].date == before.end
                assert mine[EventKind.READMITTED].date == after.start
                continue
            moved = mine[EventKind.TRANSFERRED]
            assert moved.date == before.end and moved.decision_number == after.letter_number
    assert kinds[EventKind.TRANSFERRED] >= 2
    assert kinds[EventKind.DECEASED] >= 2
    assert kinds[EventKind.EXEMPTED] >= 1
    assert kinds[EventKind.READMITTED] >= 1
    # Most of those admitted lately are young.
    lately = Member.objects.filter(admitted_on__gte=AS_OF - dt.timedelta(days=730)).count()
    assert young > lately / 2
    probationary = Member.objects.with_status(AS_OF).filter(status="probationary").count()
    assert 0 < probationary < MEMBERS * 0.15


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
