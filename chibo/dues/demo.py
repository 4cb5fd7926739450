"""The dues ledger of the demo (chibo.core.demo): every member's dues from January of the demo's
year (six months at least) to the current month, as the dues services would leave them.

- A basis for each member from their first month (chibo.dues.models.DuesBasis): salaried with
  their social-insurance salary (state staff on the pay scale, 5-20 million đồng), pensioners,
  pupils and students, and the others by the area of their commune; a few raises and
  retirements during the year.
- A charge for each month the member owes (chibo.dues.roll: in the Party and officially placed
  during the month, in the cell that held their record first in the month), its amount
  mirroring chibo.dues.amounts: the rules of the month's first day (342-QĐ/TW until February
  2026, 01-QĐ/TW from March), percentages rounded half up to whole thousands of đồng.
- Payments: most members pay every month, by habit at the cell's monthly meeting, through the
  national public service portal (a payment statement with its reference) or to the cell's
  treasurer; a few pay a month late; some have one or two months unpaid, one or two three or
  more (the removal review shows them), one is waived for illness. The month in progress is
  paid by those whose day has come. Payments at meetings are left to the meetings' planner
  (chibo.meetings.demo), which records them in the meeting's dues record with the payment
  "meeting:<id>"; the ledger hands it what each member pays there (`Ledger.at_meetings`).
- Remittances: each cell under a base committee hands up its share of each month past
  (dues_kept_share), most the next month, a few not yet for the last one; base organisations
  hand theirs to the province a month later.

Charges and payments, a dozen a member, get no "+" history row each (1.2 million of each at
100,000 members): their history starts with the first change, as the meetings' roster rows."""

import datetime as dt
import random
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from chibo import rules
from chibo.core.demo import Ids, Key, Plan, planner
from chibo.core.formats import number
from chibo.dues.models import (
    Area,
    Category,
    DuesBasis,
    DuesCharge,
    DuesPayment,
    DuesWaiver,
    Remittance,
    Source,
)
from chibo.members.demo import CAST, LIFE, PEOPLE, RESIDENTIAL, Cast, Person, Timeline
from chibo.members.models import IN_PARTY, ExemptionReason
from chibo.org.demo import TREE, Unit
from chibo.org.models import CellType, Kind

MIN_MONTHS = 6
ROUNDING = 1000  # chibo.dues.amounts.ROUNDING: percentages half up to whole thousands
PEOPLE_PER_BATCH = 5000
PAY_SCALE_BASE = 2_340_000  # lương cơ sở from 01/07/2024 (Nghị định 73/2024/NĐ-CP)
SALARY_RANGE = (5_000_000, 20_000_000)
STATE_TYPES = {CellType.SCHOOL, CellType.HEALTH, CellType.AGENCY, CellType.POLICE,
               CellType.MILITARY}  # fmt: skip
# Payment habits (meeting, statement, treasurer) by kind of cell: agencies and enterprises pay
# through the portal more often than villages.
HABITS = {True: (0.72, 0.10, 0.18), False: (0.45, 0.35, 0.20)}  # residential or not
MEETING, STATEMENT, TREASURER = "meeting", "statement", "treasurer"
LATE_SHARE = 0.03  # of member-months paid in the next month
RAISE_SHARE = 0.04  # of salaried members with a new salary during the window
RETIRE_SHARE = 0.3  # of salaried members aged 59 or more retiring during the window
# Members with unpaid months, and waived (share of members, floor), as in members.lifecycle.
SHORT_ARREARS = (0.01, 3)  # one or two months unpaid
LONG_ARREARS = (0.0005, 2)  # three months or more: the removal review
WAIVED = (0.0003, 1)
NOT_REMITTED_SHARE = 0.08  # of cells not yet handing up the last month past
# Areas of the fixed amounts by where the commune lies: the north-west's mountains, the other
# mountain and highland provinces, the islands (đặc khu).
MOUNTAIN_FAR = {11, 12, 14}
MOUNTAIN = {4, 8, 15, 19, 20, 52, 66, 68}
WAIVER_REASON = "Ốm đau dài ngày, hoàn cảnh gia đình khó khăn; chi bộ xét miễn đóng đảng phí"


def count(share: tuple[float, int], members: int) -> int:
    return max(share[1], round(members * share[0]))


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


def area_of(cell: Unit) -> str:
    """The area of the fixed amounts where the cell's commune lies (province-level units and
    their enterprises: area 1)."""
    place = cell.base().commune
    if place is None or place.level == "phường":
        return Area.AREA1
    if place.level == "đặc khu" or cell.province.code in MOUNTAIN_FAR:
        return Area.AREA4
    if cell.province.code in MOUNTAIN:
        return Area.AREA3
    return Area.AREA2


@dataclass(slots=True)
class Basis:
    month: int  # index in the ledger's months
    category: str
    base: int | None = None
    area: str = ""
    note: str = ""


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


LEDGER: Key[Ledger] = Key("dues.ledger")


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


class _Dues:
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
        self.areas: dict[int, str] = {}

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

    def bases(self, p: Person, first: int, cell: Unit) -> list[Basis]:
        """The member's bases: one from their first month, and a raise or a retirement."""
        rng, month = self.rng, self.months[first]
        age = p.age(month)
        residential = cell.cell_type in RESIDENTIAL
        retired = age >= (57 if p.female else 60)
        if not residential:  # agencies, schools, the armed forces, enterprises
            category = Category.SALARIED
        elif retired:
            urban = cell.cell_type == CellType.URBAN
            pensioned = rng.random() < (0.75 if urban else 0.55)
            category = Category.PENSIONER if pensioned else Category.OTHER
        elif age <= 23 and rng.random() < 0.6:
            category = Category.STUDENT
        elif rng.random() < (0.5 if cell.cell_type == CellType.URBAN else 0.3):
            category = Category.SALARIED
        else:
            category = Category.OTHER
        first_basis = Basis(first, category)
        if category == Category.SALARIED:
            first_basis.base = self.salary(cell, residential)
        elif category == Category.PENSIONER:
            first_basis.base = int(round(rng.triangular(3_000_000, 12_000_000, 5_000_000), -2))
        else:
            first_basis.area = self.area(cell)
        out = [first_basis]
        later = first + 1 + rng.randrange(max(1, self.current - first))
        if category != Category.SALARIED or later > self.current:
            return out
        assert first_basis.base is not None
        if age >= 59 and rng.random() < RETIRE_SHARE:
            pension = int(round(first_basis.base * rng.uniform(0.6, 0.75), -2))
            out.append(Basis(later, Category.PENSIONER, pension, note="Nghỉ hưu"))
        elif rng.random() < RAISE_SHARE:
            raised = int(round(first_basis.base * rng.uniform(1.05, 1.12), -3))
            raised = min(SALARY_RANGE[1], raised)
            out.append(Basis(later, Category.SALARIED, raised, note="Nâng bậc lương"))
        return out

    def salary(self, cell: Unit, residential: bool) -> int:
        """A social-insurance salary: state staff by the pay scale (coefficient × the base
        salary, with seniority for the armed forces), others a round sum."""
        rng = self.rng
        low, high = SALARY_RANGE
        if cell.cell_type in STATE_TYPES:
            coefficient = rng.choice([2.34, 2.67, 3.0, 3.33, 3.66, 3.99, 4.32, 4.4, 4.74,
                                      5.08, 5.42, 6.2, 6.56])  # fmt: skip
            armed = cell.cell_type in (CellType.POLICE, CellType.MILITARY)
            seniority = rng.randint(5, 25) / 100 if armed else 0.0
            value = round(coefficient * PAY_SCALE_BASE * (1 + seniority))
        else:
            mode = 6_500_000 if residential else 8_000_000
            value = int(round(rng.triangular(low, 15_000_000 if residential else high, mode), -4))
        return min(high, max(low, value))

    def area(self, cell: Unit) -> str:
        if cell.id not in self.areas:
            self.areas[cell.id] = area_of(cell)
        return self.areas[cell.id]

    # Payments --------------------------------------------------------------------------------

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
            out: list[dict]) -> None:  # fmt: skip
        """Record (or leave to the meeting) the payment of month `i`, if made by as_of."""
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
                return  # this month's meeting is still to come
            flat = self.ledger.at_meetings.setdefault(cell.id, array("q"))
            flat.extend((p.id, i, due))
        elif paid_on >= self.as_of:
            return  # not paid yet
        else:
            reference = self.reference(month) if how == STATEMENT else ""
            source = Source.STATEMENT if how == STATEMENT else Source.TREASURER
            out.append(payment_row(self.ids, p.id, month, due, paid_on, source, reference))
        self.collected[(cell.id, i)] += due

    def member(self, p: Person, unpaid: set[int], habit: str | None, rows: dict,
               waived: bool = False) -> None:  # fmt: skip
        cells = self.cells(p)
        charged = [i for i, c in enumerate(cells) if c is not None]
        if not charged:
            return
        first = charged[0]
        first_cell = cells[first]
        assert first_cell is not None
        bases = self.bases(p, first, first_cell)
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
            rows["charges"].append(
                {
                    "id": self.ids.next(DuesCharge),
                    "member_id": p.id,
                    "month": self.months[i],
                    "cell_id": cell.id,
                    "amount": due,
                    "category": bases[k].category,
                    "imported": False,
                }
            )
            if i in unpaid:
                self.counts["arrears"] += i < self.current and not waived
                continue
            late = habit is None and self.rng.random() < LATE_SHARE
            self.pay(p, i, cell, due, how, late, rows["payments"])


def _pick(rng: random.Random, pool: list[Person], wanted: int, first: list[Person]) -> list[Person]:
    """`first` (those that can be taken), then random others of `pool`, `wanted` in all."""
    chosen = [p for p in first if p in pool][:wanted]
    rest = [p for p in pool if p not in chosen]
    return chosen + rng.sample(rest, min(len(rest), wanted - len(chosen)))


def _stories(rng: random.Random, people: list[Person], months: list[dt.date],
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
    longs = _pick(rng, settled, count(LONG_ARREARS, len(people)), in_cast_cell[:1])
    for p in longs:
        k = min(len(past), rng.choice([3, 3, 4, 5]))
        unpaid[p.id] = set(past[len(past) - k :]) | {current}
    free = [p for p in settled if p.id not in unpaid]
    shorts = _pick(rng, free, count(SHORT_ARREARS, len(people)), in_cast_cell[1:2])
    recent = past[-4:]
    for p in shorts:
        unpaid[p.id] = set(rng.sample(recent, min(len(recent), rng.choice([1, 1, 2]))))
    free = [p for p in settled if p.id not in unpaid]
    ill = [p for p in free if p.exempt_reason == ExemptionReason.ILLNESS]
    waivers = []
    for p in _pick(rng, free, count(WAIVED, len(people)), ill):
        length = min(len(past), rng.randint(2, 3))
        last = len(past) - 1 - rng.randint(0, max(0, len(past) - length - 1))
        waivers.append((p, last - length + 1, last))
        unpaid[p.id] = set(range(last - length + 1, last + 1))
    return unpaid, waivers


def _remittances(d: _Dues, tree_units: list[Unit], rng: random.Random, cast_cell: Unit,
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


def dues_write(plan: Plan) -> Ledger:
    people, as_of, ids, writer = plan[PEOPLE], plan.as_of, plan.ids, plan.writer
    rng = plan.rng("dues")
    months = ledger_months(as_of)
    d = _Dues(rng, plan[LIFE], months, ids, as_of)
    cast = plan[CAST]
    unpaid, waivers = _stories(rng, people, months, cast)
    waived = {p.id for p, _a, _b in waivers}
    for start in range(0, len(people), PEOPLE_PER_BATCH):
        rows: dict[str, list[dict]] = {"bases": [], "charges": [], "payments": []}
        for p in people[start : start + PEOPLE_PER_BATCH]:
            # Members with arrears pay the rest of their months to the treasurer.
            habit = TREASURER if p.id in unpaid and p.id not in waived else None
            if p.id == cast.member.id:
                habit = MEETING
            d.member(p, unpaid.get(p.id, set()), habit, rows, p.id in waived)
        writer.insert(DuesBasis, rows["bases"])
        writer.insert(DuesCharge, rows["charges"], history=())
        writer.insert(DuesPayment, rows["payments"], history=())
        d.counts["charges"] += len(rows["charges"])
        d.counts["payments"] += len(rows["payments"])
    writer.insert(
        DuesWaiver,
        [
            {
                "id": ids.next(DuesWaiver),
                "member_id": p.id,
                "start": months[a],
                "end": months[b],
                "reason": WAIVER_REASON,
                "recorded_by_id": None,
            }
            for p, a, b in waivers
        ],
    )
    remitted = _remittances(d, plan[TREE].units, rng, cast.cell, ids)
    writer.insert(Remittance, remitted)
    at_meetings = sum(len(flat) // 3 for flat in d.ledger.at_meetings.values())
    plan.report(
        f"{number(d.counts['charges'])} dues charges, "
        f"{number(d.counts['payments'] + at_meetings)} payments, "
        f"{number(d.counts['arrears'])} months in arrears, {number(len(remitted))} remittances"
    )
    return d.ledger


@planner("dues", after=["members", "members.personas"])
def plan_dues(plan: Plan) -> None:
    plan.put(LEDGER, dues_write(plan))
