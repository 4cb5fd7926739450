"""The ledger's stories in the demo: members leaving months unpaid (one or two, or three and
more: the removal review), a waiver for illness, and the remittances each level hands up."""

import datetime as dt
import random
from collections import defaultdict

from chibo.core.demo import Ids
from chibo.dues.models import Remittance
from chibo.members.demo import Cast, Person
from chibo.members.models import IN_PARTY, ExemptionReason
from chibo.org.demo import Unit
from chibo.org.models import Kind

from .ledger import Dues, shift

# Members with unpaid months, and waived (share of members, floor), as in members.lifecycle.
SHORT_ARREARS = (0.01, 3)  # one or two months unpaid
LONG_ARREARS = (0.0005, 2)  # three months or more: the removal review
WAIVED = (0.0003, 1)
NOT_REMITTED_SHARE = 0.08  # of cells not yet handing up the last month past


def count(share: tuple[float, int], members: int) -> int:
    return max(share[1], round(members * share[0]))


def pick(rng: random.Random, pool: list[Person], wanted: int, first: list[Person]) -> list[Person]:
    """`first` (those that can be taken), then random others of `pool`, `wanted` in all."""
    chosen = [p for p in first if p in pool][:wanted]
    rest = [p for p in pool if p not in chosen]
    return chosen + rng.sample(rest, min(len(rest), wanted - len(chosen)))


def stories(rng: random.Random, people: list[Person], months: list[dt.date],
             cast: Cast) -> tuple[dict[int, set[int]], list[tuple[Person, int, int]]]:  # fmt: skip
    """Who leaves which months unpaid (member id -> month indexes), and the waivers (member,
    first and last month index). Among members settled in one cell through the window who
    hold no persona; the personas' cell gets one of each kind of arrears."""
    current = len(months) - 1
    start = months[0]
    personas = {cast.member.id, cast.secretary.id}
    settled = [
        p
        for p in people
        if not p.moved
        and p.deceased is None
        and p.id not in personas
        and p.status_on(start) in IN_PARTY
        and p.start <= start
    ]
    in_cast_cell = [p for p in settled if p.cell is cast.cell]
    unpaid: dict[int, set[int]] = {}
    past = list(range(current))
    longs = pick(rng, settled, count(LONG_ARREARS, len(people)), in_cast_cell[:1])
    for p in longs:
        k = min(len(past), rng.choice([3, 3, 4, 5]))
        unpaid[p.id] = set(past[len(past) - k :]) | {current}
    free = [p for p in settled if p.id not in unpaid]
    shorts = pick(rng, free, count(SHORT_ARREARS, len(people)), in_cast_cell[1:2])
    recent = past[-4:]
    for p in shorts:
        unpaid[p.id] = set(rng.sample(recent, min(len(recent), rng.choice([1, 1, 2]))))
    free = [p for p in settled if p.id not in unpaid]
    ill = [p for p in free if p.exempt_reason == ExemptionReason.ILLNESS]
    waivers = []
    for p in pick(rng, free, count(WAIVED, len(people)), ill):
        length = min(len(past), rng.randint(2, 3))
        last = len(past) - 1 - rng.randint(0, max(0, len(past) - length - 1))
        waivers.append((p, last - length + 1, last))
        unpaid[p.id] = set(range(last - length + 1, last + 1))
    return unpaid, waivers


def remittances(d: Dues, tree_units: list[Unit], rng: random.Random, cast_cell: Unit,
                 ids: Ids) -> list[dict]:  # fmt: skip
    """What each cell under a base committee handed up of each month past (the share it does
    not keep, as chibo.dues.remittance counts it: kept half up to the đồng), most the next
    month, and each base organisation to the province a month later; the receipts (phiếu thu)
    numbered by the receiving unit through the year."""
    handed: list[tuple[Unit, int, int, dt.date]] = []  # (unit, month index, amount, day)
    received: dict[tuple[int, int], int] = defaultdict(int)  # (unit, month) -> from below
    shares = [r.dues_kept_share or {} for r in d.rules]

    def hand_up(unit: Unit, i: int, key: str, total: int, day: dt.date) -> None:
        share = shares[i].get(key)
        if share is None or unit.parent is None or total <= 0 or day >= d.as_of:
            return
        up = total - (total * share + 50) // 100
        handed.append((unit, i, up, day))
        received[(unit.parent.id, i)] += up

    for cell in tree_units:
        parent = cell.parent
        if cell.kind != Kind.CELL or parent is None or parent.kind != Kind.BASE_COMMITTEE:
            continue
        late = cell is cast_cell or rng.random() < NOT_REMITTED_SHARE
        usual = rng.randint(5, 15)
        for i in range(d.current):
            if late and i == d.current - 1:
                continue  # the last month past is not handed up yet
            day = shift(d.months[i], 1) + dt.timedelta(days=usual - 1 + rng.randint(-2, 2))
            hand_up(cell, i, "cell", d.collected.get((cell.id, i), 0), day)
    for base in tree_units:
        parent = base.parent
        if base.kind not in (Kind.BASE_COMMITTEE, Kind.BASE_CELL) or parent is None:
            continue
        if parent.kind != Kind.PROVINCE:
            continue
        for i in range(d.current - 1):
            day = shift(d.months[i], 2) + dt.timedelta(days=rng.randint(0, 14))
            total = d.collected.get((base.id, i), 0) + received.get((base.id, i), 0)
            hand_up(base, i, "base", total, day)
    rows = []
    numbers: dict[tuple[int, int], int] = defaultdict(int)  # (receiving unit, year) -> last
    for unit, i, up, day in sorted(handed, key=lambda h: (h[3], h[0].id)):
        assert unit.parent is not None
        numbers[(unit.parent.id, day.year)] += 1
        issuer = "PT/ĐU" if unit.parent.kind == Kind.BASE_COMMITTEE else "PT/VPTU"
        rows.append(
            {
                "id": ids.next(Remittance),
                "unit_id": unit.id,
                "month": d.months[i],
                "amount": up,
                "paid_on": day,
                "receipt_number": f"{numbers[(unit.parent.id, day.year)]:03d}/{issuer}",
                "recorded_by_id": None,
            }
        )
    return rows
