"""The remittance report's figures, against amounts worked out here from the rows written: a
base committee with two cells and members of its own, under a province that sets its own
shares; the share key of each level; a fixed number of queries whatever the subtree."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.dues.remittance import queries
from chibo.dues.remittance.queries import kept_of, share_key
from chibo.org import services as org_services
from chibo.org.models import Kind
from chibo.testing import factories as f

from .remittance_helpers import D, charge, pay, province_shares, remit

DEC = D(2025, 12, 1)  # national shares (342-QĐ/TW): cell 30%, base 90%
MAR = D(2026, 3, 1)  # the province's own, from 1/1/2026: cell 40%, base 80%, province 60%
NATIONAL = {"cell": 30, "base": 90, "district": 50, "province": 50}
PROVINCIAL = {"cell": 40, "base": 80, "district": 45, "province": 60}


def keep(amount: int, share: int) -> int:
    """Kept, rounded half up to the đồng (worked out apart from the code's integer formula)."""
    exact = Decimal(amount) * Decimal(share) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture
def ledger(world):
    """Charges and payments in December 2025 and March 2026; remittances of the cells and the
    base committee. Returns the rows, as the test computes from them."""
    province_shares(world.province, D(2026, 1, 1), PROVINCIAL)
    cell_people = [world.member, f.member(world.cell), f.member(world.cell)]
    cell2_people = [world.member2, f.member(world.cell2)]
    # Members who pay the base committee directly (their charge is the committee's).
    own_people = [f.member(world.cell2), f.member(world.cell2)]
    rows: dict = {"charges": [], "payments": []}

    def owe(member, month, unit, amount, paid=()):
        rows["charges"].append((unit.pk, month, amount))
        charge(member, month, unit, amount)
        for p in paid:
            rows["payments"].append((unit.pk, month, p))
            pay(member, month, p)

    for month in (DEC, MAR):
        owe(cell_people[0], month, world.cell, 53_333, paid=[53_333])
        owe(cell_people[1], month, world.cell, 27_500, paid=[10_000, 17_500])  # in two goes
        owe(cell_people[2], month, world.cell, 6_000)  # unpaid
        owe(cell2_people[0], month, world.cell2, 41_667, paid=[41_667])
        owe(cell2_people[1], month, world.cell2, 5_000, paid=[3_000])  # paid in part
        owe(own_people[0], month, world.base, 120_001, paid=[120_001])
        owe(own_people[1], month, world.base, 98_765, paid=[98_765])
        owe(world.other_member, month, world.other_cell, 77_777, paid=[77_777])
    # Not counted: a payment with no charge, and a month outside the report.
    pay(f.member(world.cell), MAR, 9_999)
    owe(cell_people[0], D(2026, 2, 1), world.cell, 53_333, paid=[53_333])
    remits = {
        (world.cell.pk, DEC): remit(world.cell, DEC, 64_322, "PT-01"),
        (world.cell.pk, MAR): remit(world.cell, MAR, 50_000, "PT-11"),  # short
        (world.cell2.pk, MAR): remit(world.cell2, MAR, 40_000, "PT-12"),  # over
        (world.base.pk, MAR): remit(world.base, MAR, 60_000, "12/PT"),
        (world.other_cell.pk, MAR): remit(world.other_cell, MAR, 1_000),
    }
    return rows, remits


def collected(rows, unit_pk: int, month: dt.date) -> int:
    return sum(a for u, m, a in rows["payments"] if u == unit_pk and m == month)


def due(rows, unit_pk: int, month: dt.date) -> int:
    return sum(a for u, m, a in rows["charges"] if u == unit_pk and m == month)


def test_base_committee_with_two_cells_and_members_of_its_own(world, ledger):
    rows, remits = ledger
    report = queries.report(world.base, [DEC, MAR])
    assert [m.month for m in report.months] == [DEC, MAR]
    for month, shares in ((DEC, NATIONAL), (MAR, PROVINCIAL)):
        got = report.month(month)
        assert got is not None
        # The cells: what their members paid, the cell's share kept, the rest expected up.
        by_unit = {c.unit.id: c for c in got.children}
        assert list(by_unit) == [world.cell.pk, world.cell2.pk]
        from_cells = 0
        for cell in (world.cell, world.cell2):
            c = by_unit[cell.pk]
            paid = collected(rows, cell.pk, month)
            assert (c.key, c.share) == ("cell", shares["cell"])
            assert (c.due, c.collected, c.from_below) == (due(rows, cell.pk, month), paid, 0)
            assert c.received == paid
            assert c.kept == keep(paid, shares["cell"])
            assert c.to_hand_up == paid - keep(paid, shares["cell"])
            recorded = remits.get((cell.pk, month))
            assert c.handed_up == (recorded.amount if recorded else 0)
            assert c.difference == c.handed_up - (paid - keep(paid, shares["cell"]))
            from_cells += recorded.amount if recorded else 0
        # The base committee: its own members' payments and the cells' remittances recorded.
        own = got.own
        direct = collected(rows, world.base.pk, month)
        received = direct + from_cells
        assert (own.key, own.share) == ("base", shares["base"])
        assert (own.due, own.collected, own.from_below) == (
            due(rows, world.base.pk, month),
            direct,
            from_cells,
        )
        assert own.received == received
        assert own.kept == keep(received, shares["base"])
        assert own.to_hand_up == received - keep(received, shares["base"])
        recorded = remits.get((world.base.pk, month))
        assert own.handed_up == (recorded.amount if recorded else 0)
        assert own.difference == own.handed_up - own.to_hand_up
    # The worked example of March, by hand: cell 53.333 + 27.500 = 80.833 (keeps 40%:
    # 32.333,2 -> 32.333; owes 48.500), handed 50.000; cell2 41.667 + 3.000 = 44.667 (keeps
    # 17.866,8 -> 17.867; owes 26.800), handed 40.000; base 218.766 + 90.000 = 308.766
    # (keeps 80%: 247.012,8 -> 247.013; owes 61.753), handed 60.000: 1.753 short.
    mar = report.month(MAR)
    assert mar is not None
    assert [(c.to_hand_up, c.difference) for c in mar.children] == [
        (48_500, 1_500),
        (26_800, 13_200),
    ]
    assert (mar.own.received, mar.own.kept, mar.own.to_hand_up) == (308_766, 247_013, 61_753)
    assert mar.own.difference == -1_753
    assert mar.children_short == 0
    dec = report.month(DEC)
    assert dec is not None and dec.children_short == 1  # cell2 recorded nothing
    assert dec.own.remittance is None and dec.own.difference == -dec.own.to_hand_up
    # The year's totals add the months up.
    t = report.totals
    assert t.received == dec.own.received + mar.own.received
    assert t.kept + t.to_hand_up == t.received
    assert t.handed_up == 60_000 and t.difference == t.handed_up - t.to_hand_up


def test_the_cells_own_report_and_the_province_above(world, ledger):
    rows, remits = ledger
    cell = queries.report(world.cell, [MAR]).month(MAR)
    assert cell is not None and cell.children == []
    paid = collected(rows, world.cell.pk, MAR)
    assert (cell.own.share, cell.own.received, cell.own.handed_up) == (40, paid, 50_000)
    assert cell.own.remittance is not None and cell.own.remittance.receipt_number == "PT-11"
    province = queries.report(world.province, [MAR]).month(MAR)
    assert province is not None
    by_unit = {c.unit.id: c for c in province.children}
    assert set(by_unit) == {world.base.pk, world.other_base.pk}
    base = by_unit[world.base.pk]
    assert (base.key, base.share, base.from_below) == ("base", 80, 90_000)
    assert base.received == collected(rows, world.base.pk, MAR) + 90_000
    other = by_unit[world.other_base.pk]
    assert (other.collected, other.from_below) == (0, 1_000)
    assert (province.own.key, province.own.share) == ("province", 60)
    assert province.own.from_below == 60_000  # the base committee's; the other recorded none


def test_the_tree_as_it_stood_at_the_end_of_the_month(world, ledger):
    """A cell moved to the other committee on 15/03: its March dues went to its new one."""
    org_services.orgunit_move(
        actor=None, unit=world.cell2, new_parent=world.other_base, on=D(2026, 3, 15)
    )
    base = queries.report(world.base, [DEC, MAR])
    dec, mar = base.months
    assert [c.unit.id for c in dec.children] == [world.cell.pk, world.cell2.pk]
    assert [c.unit.id for c in mar.children] == [world.cell.pk]
    assert mar.own.from_below == 50_000
    other = queries.report(world.other_base, [MAR]).month(MAR)
    assert other is not None
    assert [c.unit.id for c in other.children] == [world.other_cell.pk, world.cell2.pk]
    assert other.own.from_below == 1_000 + 40_000


def test_months_of_a_year():
    today = D(2026, 12, 7)
    assert queries.months_of(2025, today) == [D(2025, m, 1) for m in range(1, 13)]
    assert queries.months_of(2026, D(2026, 3, 1)) == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert queries.months_of(2027, today) == []


def test_share_keys_and_rounding():
    assert share_key(Kind.CELL, Kind.BASE_COMMITTEE) == "cell"
    assert share_key(Kind.BASE_COMMITTEE, Kind.DISTRICT) == "base"
    assert share_key(Kind.BASE_COMMITTEE, Kind.PROVINCE) == "base"
    # A partial committee (đảng bộ bộ phận) keeps a cell's share: the base one is kept once.
    assert share_key(Kind.BASE_COMMITTEE, Kind.BASE_COMMITTEE) == "cell"
    assert share_key(Kind.BASE_CELL, Kind.DISTRICT) == "base"
    assert share_key(Kind.DISTRICT, Kind.PROVINCE) == "district"
    assert share_key(Kind.PROVINCE, None) == "province"
    assert share_key(Kind.PARTY_GROUP, Kind.CELL) is None
    for amount in (0, 1, 5, 49, 50, 51, 99, 12_345, 80_833, 308_766, 999_999_999):
        for share in (0, 30, 40, 50, 90, 100):
            assert kept_of(amount, share) == keep(amount, share)


def test_a_base_cell_and_a_partial_committee(world):
    district = f.unit(Kind.DISTRICT, world.province)
    base_cell = f.unit(Kind.BASE_CELL, district)
    partial = f.unit(Kind.BASE_COMMITTEE, world.base)
    under = f.unit(Kind.CELL, partial)
    m = f.member(base_cell)
    charge(m, DEC, base_cell, 10_000)
    pay(m, DEC, 10_000)
    got = queries.report(base_cell, [DEC]).month(DEC)
    assert got is not None and (got.own.key, got.own.share, got.own.kept) == ("base", 90, 9_000)
    got = queries.report(district, [DEC]).month(DEC)
    assert got is not None and got.own.key == "district"
    assert [(c.unit.id, c.key, c.to_hand_up) for c in got.children] == [
        (base_cell.pk, "base", 1_000)
    ]
    got = queries.report(partial, [DEC]).month(DEC)
    assert got is not None and got.own.key == "cell"
    assert [c.unit.id for c in got.children] == [under.pk]


def test_no_rule_in_force(world):
    """Before 342-QĐ/TW (2011) no share was set: nothing is computed as owed."""
    old = D(2009, 5, 1)
    m = f.member(world.cell)
    charge(m, old, world.cell, 5_000)
    pay(m, old, 5_000)
    got = queries.report(world.cell, [old]).month(old)
    assert got is not None
    assert (got.own.collected, got.own.share, got.own.kept, got.own.to_hand_up) == (
        5_000,
        None,
        None,
        None,
    )
    assert got.own.difference is None


def count(unit, months) -> int:
    with CaptureQueriesContext(connection) as ctx:
        report = queries.report(unit, months)
        for m in report.months:  # every figure read
            _ = [(c.to_hand_up, c.difference) for c in m.children], m.own.difference
        _ = report.totals
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_subtree_or_the_months(world, ledger):
    months = queries.months_of(2025, D(2026, 12, 7))
    small = count(world.province, months)
    assert small == count(world.base, months) == count(world.cell, [MAR]) == 6
    for _ in range(4):
        cell = f.unit(Kind.CELL, world.other_base)
        for _ in range(3):
            m = f.member(cell)
            charge(m, MAR, cell, 10_000)
            pay(m, MAR, 10_000)
        remit(cell, MAR, 18_000)
    assert count(world.province, months) == small
    assert count(world.other_base, [*months, MAR]) == small
