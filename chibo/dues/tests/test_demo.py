"""The demo's dues ledger (chibo.dues.demo, and the dues collected at meetings written by
chibo.meetings.demo): who owes each month and where, recomputed from the placements and the
status periods; every amount recomputed from the basis and the rules of the month's first day;
payments against their charges and meetings; arrears, the waiver and the remittances."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from chibo import rules
from chibo.accounts.demo import MEMBER, SECRETARY
from chibo.accounts.models import User
from chibo.dues.models import (
    Category,
    DuesBasis,
    DuesCharge,
    DuesPayment,
    DuesWaiver,
    Remittance,
    Source,
)
from chibo.meetings.models import Attendance, DuesCollection, Meeting, Presence, State
from chibo.members.models import IN_PARTY, Placement, PlacementKind, StatusPeriod
from chibo.org.models import Kind, OrgUnit
from chibo.rules.calendar import add_months
from chibo.testing.demo import AS_OF, run_demo

MONTHS = [dt.date(2026, m, 1) for m in range(1, AS_OF.month + 1)]  # January to AS_OF's month
PAST = MONTHS[:-1]


@pytest.fixture
def demo(db) -> None:
    run_demo()


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def expected_roll() -> dict[tuple[int, dt.date], int]:
    """(member, month) -> cell: in the Party at some time in the month, placed officially
    during it, in the cell whose placement started first."""
    periods = defaultdict(list)
    for p in StatusPeriod.objects.filter(status__in=IN_PARTY):
        periods[p.member_id].append((p.valid_from, p.valid_to))
    placements = defaultdict(list)
    for p in Placement.objects.filter(kind=PlacementKind.OFFICIAL).order_by("start", "pk"):
        placements[p.member_id].append((p.start, p.end, p.unit_id))
    roll = {}
    for member, spans in placements.items():
        for month in MONTHS:
            end = month_end(month)
            in_party = any(
                start <= end and (stop is None or stop > month) for start, stop in periods[member]
            )
            during = [u for s, e, u in spans if s <= end and (e is None or e > month)]
            if in_party and during:
                roll[(member, month)] = during[0]
    return roll


def due(basis: DuesBasis, month: dt.date) -> int:
    """The month's amount, computed here: the rules of the month's first day, a percentage
    rounded half up to whole thousands of đồng."""
    r = rules.at(month)
    fixed = r.dues_fixed_amounts
    if basis.category in (Category.SALARIED, Category.PENSIONER):
        rate = r.dues_salary_rate if basis.category == Category.SALARIED else r.dues_pension_rate
        exact = Decimal(basis.base_amount) * rate.numerator / rate.denominator
        return int((exact / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 1000
    if basis.category == Category.STUDENT and "student" in fixed:
        return fixed["student"]
    return fixed[basis.area]


def test_every_member_owes_each_month_the_amount_of_its_rules(demo):
    roll = expected_roll()
    charges = {(c.member_id, c.month): c for c in DuesCharge.objects.all()}
    assert set(charges) == set(roll)
    assert all(charges[key].cell_id == cell for key, cell in roll.items())
    bases = defaultdict(list)
    for b in DuesBasis.objects.order_by("valid_from"):
        bases[b.member_id].append(b)
    regulations = set()
    for (member, month), charge in charges.items():
        basis = [b for b in bases[member] if b.valid_from <= month][-1]
        assert charge.amount == due(basis, month), (charge, basis)
        assert charge.category == basis.category
        regulations.add((month, charge.category, charge.amount))
    # Each member's basis starts with their first month; salaries and pensions as people earn.
    firsts = {}
    for member, month in sorted(charges, key=lambda k: k[1]):
        firsts.setdefault(member, month)
    assert all(bases[m][0].valid_from == first for m, first in firsts.items())
    categories = Counter(b.category for bs in bases.values() for b in bs)
    assert categories[Category.SALARIED] and categories[Category.PENSIONER]
    assert categories[Category.OTHER]
    for b in DuesBasis.objects.filter(category=Category.SALARIED):
        assert 5_000_000 <= b.base_amount <= 20_000_000, b
    for b in DuesBasis.objects.filter(category__in=[Category.OTHER, Category.STUDENT]):
        assert b.area and b.base_amount is None
    # 342-QĐ/TW until February, 01-QĐ/TW (03/02/2026) from March: read on the first day.
    assert rules.at(dt.date(2026, 2, 1)).dues_fixed_amounts.get("student") is None
    assert rules.at(dt.date(2026, 3, 1)).dues_fixed_amounts["student"] == 5000
    students = DuesCharge.objects.filter(category=Category.STUDENT)
    if students.exists():
        assert set(
            students.filter(month__gte=dt.date(2026, 3, 1)).values_list("amount", flat=True)
        ) == {5000}


def test_payments_match_their_charges_and_meetings(demo):
    charges = {(c.member_id, c.month): c for c in DuesCharge.objects.all()}
    payments = list(DuesPayment.objects.all())
    assert len({(p.member_id, p.month) for p in payments}) == len(payments)  # once a month
    sources = Counter(p.source for p in payments)
    assert sources[Source.MEETING] and sources[Source.STATEMENT] and sources[Source.TREASURER]
    for p in payments:
        charge = charges[(p.member_id, p.month)]
        assert p.amount == charge.amount
        assert p.month <= p.paid_on < AS_OF
    statements = [p.reference for p in payments if p.source == Source.STATEMENT]
    assert all(statements) and len(set(statements)) == len(statements)
    # A payment at a meeting is the meeting's dues record, and the other way round: a held
    # monthly meeting of the charge's cell in that month, the member present.
    collected = {
        (d.meeting_id, d.member_id, d.month): d.amount
        for d in DuesCollection.objects.filter(collected=True)
    }
    at_meetings = [p for p in payments if p.source == Source.MEETING]
    assert len(collected) == len(at_meetings)
    meetings = Meeting.objects.in_bulk()
    present = set(
        Attendance.objects.filter(presence=Presence.PRESENT).values_list("meeting_id", "member_id")
    )
    for p in at_meetings:
        assert p.reference.startswith("meeting:")
        meeting = meetings[int(p.reference.split(":")[1])]
        assert collected[(meeting.pk, p.member_id, p.month)] == p.amount
        assert meeting.cell_id == charges[(p.member_id, p.month)].cell_id
        assert meeting.state in (State.HELD, State.ADOPTED)
        assert meeting.day == p.paid_on and meeting.day.replace(day=1) == p.month
        assert (meeting.pk, p.member_id) in present
    # Most months past are paid; the month in progress by those whose day has come.
    past = [c for c in charges.values() if c.month < MONTHS[-1]]
    paid = {(p.member_id, p.month) for p in payments}
    assert sum((c.member_id, c.month) in paid for c in past) > 0.95 * len(past)
    current = [c for c in charges.values() if c.month == MONTHS[-1]]
    assert 0 < sum((c.member_id, c.month) in paid for c in current) < len(current)
    # What is paid is kept on each charge (the ledger's payments and the meetings' alike).
    sums: Counter = Counter()
    for p in payments:
        sums[(p.member_id, p.month)] += p.amount
    assert {k: c.paid for k, c in charges.items()} == {k: sums[k] for k in charges}


def test_arrears_a_waiver_and_the_removal_review(demo):
    charges = {(c.member_id, c.month): c for c in DuesCharge.objects.all()}
    paid = set(DuesPayment.objects.values_list("member_id", "month"))
    waived = set()
    waivers = list(DuesWaiver.objects.all())
    assert waivers
    for w in waivers:
        months = [m for m in PAST if w.start <= m <= w.end]
        assert len(months) >= 2 and w.reason
        waived |= {(w.member_id, m) for m in months}
    unpaid = Counter(
        member for (member, month) in charges if month in PAST and (member, month) not in paid
        and (member, month) not in waived
    )  # fmt: skip
    removal = [m for m, n in unpaid.items() if n >= rules.at(AS_OF).removal_unpaid_months]
    short = [m for m, n in unpaid.items() if n < 3]
    assert 1 <= len(removal) <= 3 and len(short) >= 3
    # The secretary persona's cell shows one of each; the personas themselves pay.
    cell = User.objects.get(username=SECRETARY.username).grants.get().unit_id
    members = {c.member_id for c in DuesCharge.objects.filter(cell_id=cell)}
    assert set(removal) & members and set(short) & members
    personas = set(
        User.objects.filter(username__in=[MEMBER.username, SECRETARY.username]).values_list(
            "member_id", flat=True
        )
    )
    assert not personas & set(unpaid)
    member = User.objects.get(username=MEMBER.username).member_id
    assert DuesPayment.objects.filter(member_id=member, source=Source.MEETING).exists()


def test_remittances_hand_up_what_the_level_does_not_keep(demo):
    paid = Counter()
    charge_cell = {(c.member_id, c.month): c.cell_id for c in DuesCharge.objects.all()}
    for p in DuesPayment.objects.all():
        paid[(charge_cell[(p.member_id, p.month)], p.month)] += p.amount
    units = OrgUnit.objects.in_bulk()
    remitted = list(Remittance.objects.all())
    from_below = Counter()
    by_cell = defaultdict(list)
    for r in sorted(remitted, key=lambda r: units[r.unit_id].kind != Kind.CELL):
        unit = units[r.unit_id]
        share = rules.at(r.month).dues_kept_share["cell" if unit.kind == Kind.CELL else "base"]
        received = paid[(unit.pk, r.month)] + from_below[(unit.pk, r.month)]
        assert r.amount == received - (received * share + 50) // 100, r
        assert month_end(r.month) < r.paid_on < AS_OF and r.receipt_number
        from_below[(unit.parent_id, r.month)] += r.amount
        by_cell[unit.pk].append(r.month)
    cells = [u for u in units.values() if u.kind == Kind.CELL]
    # Cells hand up every month past, a few not yet the last one.
    handed = [u for u in cells if by_cell[u.pk]]
    assert len(handed) == len(cells)
    assert any(PAST[-1] not in by_cell[u.pk] for u in cells)
    assert sum(PAST[-1] in by_cell[u.pk] for u in cells) > len(cells) / 2
    assert all(set(by_cell[u.pk]) >= set(PAST[:-1]) for u in cells)
