"""The ledger's months, amounts and payments in the demo: for each member, the cell of each
month's charge (chibo.dues.roll), its amount (chibo.dues.amounts, mirrored), and how and when
it is paid, by habit at the cell's meeting, through the portal (a statement) or to the
treasurer; what is paid at meetings is handed to the meetings' planner (`Ledger.at_meetings`)."""

import datetime as dt
import random
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from chibo import rules
from chibo.core.demo import Ids
from chibo.dues.models import Category, DuesBasis, DuesCharge, DuesPayment, Source
from chibo.members.demo import RESIDENTIAL, Person, Timeline
from chibo.members.models import IN_PARTY
from chibo.org.demo import Unit

from .bases import Bases

MIN_MONTHS = 6
ROUNDING = 1000  # chibo.dues.amounts.ROUNDING: percentages half up to whole thousands
# Payment habits (meeting, statement, treasurer) by kind of cell: agencies and enterprises pay
# through the portal more often than villages.
HABITS = {True: (0.72, 0.10, 0.18), False: (0.45, 0.35, 0.20)}  # residential or not
MEETING, STATEMENT, TREASURER = "meeting", "statement", "treasurer"
LATE_SHARE = 0.03  # of member-months paid in the next month


def shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return shift(month, 1) - dt.timedelta(days=1)


def ledger_months(as_of: dt.date) -> list[dt.date]:
    """January of as_of's year to as_of's month, reaching back to at least MIN_MONTHS."""
    current = as_of.replace(day=1)
    first = min(current.replace(month=1), shift(current, 1 - MIN_MONTHS))
    out = [first]
    while out[-1] < current:
        out.append(shift(out[-1], 1))
    return out


def rounded(exact: Fraction) -> int:
    """chibo.dues.amounts.rounded: half up to the nearest ROUNDING đồng."""
    return int(exact / ROUNDING + Fraction(1, 2)) * ROUNDING


def amount(category: str, base: int | None, area: str, r: rules.Rules) -> int | None:
    """chibo.dues.amounts.amount, mirrored: the month's dues from a basis and its rules."""
    fixed = r.dues_fixed_amounts or {}
    if category in (Category.SALARIED, Category.PENSIONER):
        rate = r.dues_salary_rate if category == Category.SALARIED else r.dues_pension_rate
        if rate is None or base is None:
            return None
        return rounded(Fraction(base) * Fraction(rate))
    if category == Category.STUDENT and "student" in fixed:
        return fixed["student"]
    return fixed.get(area) if area else None


@dataclass
class Ledger:
    """What the meetings' planner needs of the ledger: the months, and for each cell the dues
    its members pay at its monthly meeting, as flat (member id, month index, amount) triples."""

    months: list[dt.date]
    as_of: dt.date
    at_meetings: dict[int, array] = field(default_factory=dict)

    def at(self, cell_id: int) -> Iterator[tuple[int, dt.date, int]]:
        flat = self.at_meetings.get(cell_id, array("q"))
        for i in range(0, len(flat), 3):
            yield flat[i], self.months[flat[i + 1]], flat[i + 2]


def payment_row(ids: Ids, member_id: int, month: dt.date, amount: int, paid_on: dt.date,
                source: str, reference: str = "") -> dict:  # fmt: skip
    return {
        "id": ids.next(DuesPayment),
        "member_id": member_id,
        "month": month,
        "amount": amount,
        "paid_on": paid_on,
        "source": source,
        "reference": reference,
        "recorded_by_id": None,
    }


class Dues:
    """Plans each member's bases, charges and payments, and what each cell collected."""

    def __init__(self, rng: random.Random, life: Timeline, months: list[dt.date], ids: Ids,
                 as_of: dt.date) -> None:  # fmt: skip
        self.rng, self.life, self.months, self.ids, self.as_of = rng, life, months, ids, as_of
        self.current = len(months) - 1  # the month in progress
        self.rules = [life.rules(m) for m in months]
        # The months' rules by version (two: 342-QĐ/TW and 01-QĐ/TW), for the amounts' cache.
        versions: list[rules.Rules] = []
        for r in self.rules:
            if r not in versions:
                versions.append(r)
        self.version = [versions.index(r) for r in self.rules]
        self.ends = [last_day(m) for m in months]
        self.nexts = [shift(m, 1) for m in months]
        self.days = [dt.timedelta(days=n) for n in range(32)]
        self.ledger = Ledger(months, as_of)
        self.collected: dict[tuple[int, int], int] = defaultdict(int)  # (cell, month) -> paid
        self.statements = 0
        self.counts = {"charges": 0, "payments": 0, "arrears": 0}
        self.bases = Bases(rng, months)

    # Who owes what, where --------------------------------------------------------------------

    def cells(self, p: Person) -> list[Unit | None]:
        """The cell of each month's charge (chibo.dues.roll): in the Party at some time in the
        month and officially placed during it, in the cell holding the record first."""
        stays = p.stays()
        first = self.months[0]
        if (
            len(stays) == 1
            and stays[0][1] <= first
            and stays[0][2] is None
            and p.again is None
            and p.removed is None
            and (p.deceased is None or p.deceased > self.ends[-1])
            and p.status_on(first) in IN_PARTY
        ):  # most members: in the same cell and in the Party all along
            return [stays[0][0]] * len(self.months)
        out: list[Unit | None] = []
        changes = [d for d in (p.admitted, p.again.admitted if p.again else None, p.removed,
                               p.deceased) if d is not None]  # fmt: skip
        for month, end in zip(self.months, self.ends, strict=True):
            days = [month, *(d for d in changes if month < d <= end)]
            if not any(p.status_on(d) in IN_PARTY for d in days):
                out.append(None)
                continue
            during = [(start, unit) for unit, start, stop in stays
                      if start <= end and (stop is None or stop > month)]  # fmt: skip
            out.append(min(during, key=lambda s: s[0])[1] if during else None)
        return out

    def habit(self, cell: Unit) -> str:
        meeting, statement, _treasurer = HABITS[cell.cell_type in RESIDENTIAL]
        draw = self.rng.random()
        if draw < meeting:
            return MEETING
        return STATEMENT if draw < meeting + statement else TREASURER

    def reference(self, month: dt.date) -> str:
        """A transaction reference of the national public service portal."""
        self.statements += 1
        return f"DVCQG{month:%Y%m}{self.statements:07d}"

    def pay(self, p: Person, i: int, cell: Unit, due: int, how: str, late: bool,
            out: list[dict]) -> int:  # fmt: skip
        """Record (or leave to the meeting) the payment of month `i`, if made by as_of;
        returns the amount recorded here (the charge's `paid`: the meetings' planner keeps
        what it records)."""
        rng, month, days = self.rng, self.months[i], self.days
        gone = None
        if p.deceased is not None or p.removed is not None:
            end = self.ends[i]
            gone = min((d for d in (p.deceased, p.removed) if d is not None and month <= d <= end),
                       default=None)  # fmt: skip
        if late and i < self.current and gone is None:
            paid_on = self.nexts[i] + days[int(rng.random() * 10)]
            how = TREASURER
        elif how == STATEMENT:
            paid_on = month + days[int(rng.random() * 12)]
        else:
            paid_on = month + days[4 + int(rng.random() * 21)]
        if gone is not None:  # paid before leaving the Party
            paid_on, how = max(month, min(paid_on, gone - dt.timedelta(days=1))), TREASURER
        if how == MEETING:
            if i == self.current:
                return 0  # this month's meeting is still to come
            flat = self.ledger.at_meetings.setdefault(cell.id, array("q"))
            flat.extend((p.id, i, due))
            self.collected[(cell.id, i)] += due
            return 0
        if paid_on >= self.as_of:
            return 0  # not paid yet
        reference = self.reference(month) if how == STATEMENT else ""
        source = Source.STATEMENT if how == STATEMENT else Source.TREASURER
        out.append(payment_row(self.ids, p.id, month, due, paid_on, source, reference))
        self.collected[(cell.id, i)] += due
        return due

    def member(self, p: Person, unpaid: set[int], habit: str | None, rows: dict,
               waived: bool = False) -> None:  # fmt: skip
        cells = self.cells(p)
        charged = [i for i, c in enumerate(cells) if c is not None]
        if not charged:
            return
        first = charged[0]
        first_cell = cells[first]
        assert first_cell is not None
        bases = self.bases.draw(p, first, first_cell)
        for b in bases:
            rows["bases"].append(
                {
                    "id": self.ids.next(DuesBasis),
                    "member_id": p.id,
                    "valid_from": self.months[b.month],
                    "category": b.category,
                    "base_amount": b.base,
                    "area": b.area,
                    "note": b.note,
                    "recorded_by_id": None,
                }
            )
        how = habit or self.habit(first_cell)
        dues: dict[tuple[int, int], int | None] = {}  # (basis, rules version) -> amount
        for i in charged:
            cell = cells[i]
            assert cell is not None
            k = next(k for k in range(len(bases) - 1, -1, -1) if bases[k].month <= i)
            key = (k, self.version[i])
            if key not in dues:
                b = bases[k]
                dues[key] = amount(b.category, b.base, b.area, self.rules[i])
            due = dues[key]
            if due is None:
                continue
            charge = {
                "id": self.ids.next(DuesCharge),
                "member_id": p.id,
                "month": self.months[i],
                "cell_id": cell.id,
                "amount": due,
                "paid": 0,
                "category": bases[k].category,
                "imported": False,
            }
            rows["charges"].append(charge)
            if i in unpaid:
                self.counts["arrears"] += i < self.current and not waived
                continue
            late = habit is None and self.rng.random() < LATE_SHARE
            charge["paid"] = self.pay(p, i, cell, due, how, late, rows["payments"])
