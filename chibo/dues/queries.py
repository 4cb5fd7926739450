"""Reads of the dues ledger: a cell's month, a member's ledger, the arrears of a unit's
subtree, the members without a basis, and the unpaid months the removal review counts.

Arrears: a month's charge less what was paid for it, when positive, for a month already over
and not waived (DuesWaiver: a valid reason excuses the member). The month in progress is due,
not yet in arrears. Every read is a fixed number of queries, scoped in SQL (the closure
table), whatever the size of the unit."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from chibo.core.sql import chunks
from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.org.queries import name_cells

from . import months
from .amounts import bases_in_force
from .models import DuesBasis, DuesCharge, DuesPayment, DuesWaiver, Source
from .roll import candidates, month_roll

# Charges: what was paid, whether waived, what is owed ------------------------------------------


def paid_for(member_ref: str = "member", month_ref: str = "month") -> Coalesce:
    """The total paid for the row's member and month, summed from the payments (a correlated
    subquery, 0 when none). Charges keep it (`DuesCharge.paid`): this is for other rows."""
    total = (
        DuesPayment.objects.filter(member=OuterRef(member_ref), month=OuterRef(month_ref))
        .order_by()
        .values("member")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def waived(member_ref: str = "member", month_ref: str = "month") -> Exists:
    """A waiver covers the row's member and month."""
    return Exists(
        DuesWaiver.objects.filter(
            member=OuterRef(member_ref),
            start__lte=OuterRef(month_ref),
            end__gte=OuterRef(month_ref),
        )
    )


def with_paid(charges: QuerySet) -> QuerySet:
    """Charges with `is_waived` and `owed` (the amount less what was paid, kept on the
    charge, when positive and not waived)."""
    return charges.annotate(is_waived=waived()).annotate(
        owed=Case(
            When(is_waived=True, then=Value(0)),
            When(paid__lt=F("amount"), then=F("amount") - F("paid")),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def unpaid(charges: QuerySet) -> QuerySet:
    """The charges not settled: paid less than their amount and not waived (the index
    `dues_charge_unpaid` holds the charges paid less than their amount)."""
    return charges.filter(paid__lt=F("amount")).filter(~waived())


def owing(charges: QuerySet) -> QuerySet:
    """`with_paid` of the charges paid less than their amount (through the index of the
    charges not paid in full), owed more than 0."""
    return with_paid(charges.filter(paid__lt=F("amount"))).filter(owed__gt=0)


def unpaid_in_year(year: int, as_of: dt.date) -> QuerySet:
    """Charges of `year` whose month is over by `as_of` (December counts on 31/12), unpaid and
    not waived: the removal review's unpaid months."""
    over = months.first(as_of) if as_of < months.last_day(as_of) else months.shift(as_of, 1)
    return unpaid(
        DuesCharge.objects.filter(
            month__gte=dt.date(year, 1, 1), month__lt=min(over, dt.date(year + 1, 1, 1))
        )
    )


# A cell's month -------------------------------------------------------------------------------


@dataclass
class MonthRow:
    member_id: int
    full_name: str
    code: str
    due: int | None = None  # the month's charge (None: not posted)
    paid: int = 0
    paid_on: dt.date | None = None  # the latest payment for the month
    source: str = ""  # of the latest payment
    waived: bool = False
    has_basis: bool = False
    arrears: int = 0  # earlier months, unpaid
    arrears_months: int = 0
    search_name: str = ""

    @property
    def to_pay(self) -> int:
        """What is left to pay for the month (0 when waived or paid)."""
        if self.waived or self.due is None:
            return 0
        return max(self.due - self.paid, 0)

    @property
    def status(self) -> str:
        if self.waived:
            return "waived"
        if self.due is None:
            return "paid" if self.paid else "none"
        if self.paid >= self.due:
            return "paid"
        return "part" if self.paid else "unpaid"

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label) if self.source else ""


@dataclass
class CellMonth:
    cell: OrgUnit
    month: dt.date
    rows: list[MonthRow] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(r.due or 0 for r in self.rows if not r.waived)

    @property
    def paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def unpaid(self) -> int:
        return sum(r.to_pay for r in self.rows)

    @property
    def arrears(self) -> int:
        return sum(r.arrears for r in self.rows)

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.status in ("paid", "waived"))

    @property
    def without_basis(self) -> list[MonthRow]:
        return [r for r in self.rows if not r.has_basis and r.due is None]


def cell_month(cell: OrgUnit, month: dt.date) -> CellMonth:
    """The cell's members in the month (those it charged, and those on its roll: chibo.dues.
    roll), each with the month's charge, what they paid and when, and their arrears of
    earlier months (in any cell). A fixed number of queries."""
    month = months.first(month)
    charges = dict(
        DuesCharge.objects.filter(cell=cell, month=month).values_list("member_id", "amount")
    )
    ids = set(charges) | set(month_roll(month, cell))
    result = CellMonth(cell, month)
    if not ids:
        return result
    rows = {
        pk: MonthRow(pk, name, code, charges.get(pk), search_name=folded)
        for pk, name, code, folded in Member.all_objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "code", "search_name"
        )
    }
    for member_id, amount, paid_on, source in (
        DuesPayment.objects.filter(month=month, member_id__in=ids)
        .order_by("paid_on", "pk")
        .values_list("member_id", "amount", "paid_on", "source")
    ):
        row = rows[member_id]
        row.paid += amount
        row.paid_on, row.source = paid_on, source
    for member_id in DuesWaiver.objects.filter(
        member_id__in=ids, start__lte=month, end__gte=month
    ).values_list("member_id", flat=True):
        rows[member_id].waived = True
    for member_id in bases_in_force(month, list(ids)):
        rows[member_id].has_basis = True
    for member_id, owed, n in arrears_of(ids, month):
        rows[member_id].arrears, rows[member_id].arrears_months = owed, n
    result.rows = sorted(rows.values(), key=lambda r: (r.search_name, r.member_id))
    return result


def arrears_of(member_ids: Iterable[int], before: dt.date) -> list[tuple[int, int, int]]:
    """(member id, owed, months) for the members' unpaid months before the month of
    `before`."""
    out = []
    for part in chunks(member_ids):
        rows = (
            owing(DuesCharge.objects.filter(member_id__in=part, month__lt=months.first(before)))
            .values("member_id")
            .annotate(total=Sum("owed"), n=Count("pk"))
            .values_list("member_id", "total", "n")
        )
        out += list(rows)
    return out


# A member's ledger ----------------------------------------------------------------------------


@dataclass
class LedgerMonth:
    month: dt.date
    due: int | None = None
    imported: bool = False
    cell_name: str = ""
    payments: list[DuesPayment] = field(default_factory=list)
    waived: bool = False
    over: bool = True  # the month has ended

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def owed(self) -> int:
        if self.waived or self.due is None:
            return 0
        return max(self.due - self.paid, 0)

    @property
    def arrears(self) -> int:
        """Owed for a month already over."""
        return self.owed if self.over else 0


@dataclass
class Ledger:
    member: Member
    months: list[LedgerMonth]  # newest first

    @property
    def due(self) -> int:
        return sum(m.due or 0 for m in self.months if not m.waived)

    @property
    def paid(self) -> int:
        return sum(m.paid for m in self.months)

    @property
    def arrears(self) -> int:
        return sum(m.arrears for m in self.months)

    @property
    def arrears_months(self) -> int:
        return sum(1 for m in self.months if m.arrears)


def member_ledger(member: Member, today: dt.date) -> Ledger:
    """Every month the member was charged, paid or excused, newest first."""
    current = months.first(today)
    by_month: dict[dt.date, LedgerMonth] = {}

    def at(month: dt.date) -> LedgerMonth:
        if month not in by_month:
            by_month[month] = LedgerMonth(month, over=month < current)
        return by_month[month]

    for charge in DuesCharge.objects.filter(member=member).select_related("cell"):
        row = at(charge.month)
        row.due, row.imported, row.cell_name = charge.amount, charge.imported, charge.cell.name
    for payment in DuesPayment.objects.filter(member=member).select_related("recorded_by"):
        at(payment.month).payments.append(payment)
    waivers = list(DuesWaiver.objects.filter(member=member))
    for month, row in by_month.items():
        row.waived = any(w.start <= month <= w.end for w in waivers)
    return Ledger(member, sorted(by_month.values(), key=lambda r: r.month, reverse=True))


# A unit's subtree -----------------------------------------------------------------------------


@dataclass
class ArrearsRow:
    member_id: int
    full_name: str
    code: str
    cell_id: int | None  # the cell holding the member's record today
    owed: int
    months: int
    first_month: dt.date
    last_month: dt.date
    cell_name: str = ""


def arrears_under(unit: OrgUnit, as_of: dt.date) -> list[ArrearsRow]:
    """Members with arrears on `as_of` (unpaid months before its month) charged in cells of
    the unit's subtree, most owed first. One query, whatever the size of the subtree."""
    charges = DuesCharge.objects.filter(
        cell__in=OrgUnit.all_objects.within(unit).values("pk"), month__lt=months.first(as_of)
    )
    rows = (
        owing(charges)
        .values("member_id", "member__full_name", "member__code", "member__home_unit_id")
        .annotate(total=Sum("owed"), n=Count("pk"), first=Min("month"), last=Max("month"))
        .values_list(
            "member_id",
            "member__full_name",
            "member__code",
            "member__home_unit_id",
            "total",
            "n",
            "first",
            "last",
        )
    )
    out = [ArrearsRow(*row) for row in rows]
    out.sort(key=lambda r: (-r.owed, r.full_name, r.member_id))
    return out


@dataclass
class CellSummary:
    cell_id: int
    cell_name: str
    members: int = 0  # charged in the month
    due: int = 0
    paid: int = 0  # toward the month's charges
    unpaid: int = 0


def cells_month(unit: OrgUnit, month: dt.date) -> list[CellSummary]:
    """The month's figures of each cell in the unit's subtree that has charges: members
    charged, due, paid toward it, and unpaid (waived months excluded). One query."""
    month = months.first(month)
    charges = with_paid(
        DuesCharge.objects.filter(
            month=month, cell__in=OrgUnit.all_objects.within(unit).values("pk")
        )
    )
    paid_toward = Case(
        When(paid__gt=F("amount"), then=F("amount")),
        default=F("paid"),
        output_field=IntegerField(),
    )
    rows = (
        charges.values("cell_id", "cell__name")
        .annotate(
            n=Count("pk"),
            due_sum=Sum(
                Case(
                    When(is_waived=True, then=Value(0)),
                    default=F("amount"),
                    output_field=IntegerField(),
                )
            ),
            paid_sum=Sum(paid_toward),
            unpaid=Sum("owed"),
        )
        .values_list("cell_id", "cell__name", "n", "due_sum", "paid_sum", "unpaid")
    )
    out = [CellSummary(*row) for row in rows]
    out.sort(key=lambda c: (c.cell_name, c.cell_id))
    return out


@dataclass
class NoBasisRow:
    member_id: int
    full_name: str
    code: str
    cell_id: int
    cell_name: str = ""


def without_basis(unit: OrgUnit, month: dt.date) -> list[NoBasisRow]:
    """Members on the unit's roll for the month (chibo.dues.roll) with no basis in force, so
    no charge can be posted for them; by cell, then name. A fixed number of queries."""
    month = months.first(month)
    roll = month_roll(month, unit)
    scope = candidates(month, unit)
    covered = DuesBasis.objects.filter(member_id__in=scope, valid_from__lte=month)
    found = (
        Member.all_objects.filter(pk__in=scope)
        .exclude(pk__in=covered.values("member_id"))
        .values_list("pk", "full_name", "code", "search_name")
    )
    rows = [
        (folded, NoBasisRow(pk, name, code, roll[pk]))
        for pk, name, code, folded in found
        if pk in roll
    ]
    out = [row for _folded, row in sorted(rows, key=lambda r: (r[0], r[1].member_id))]
    name_cells(out)
    out.sort(key=lambda r: r.cell_name)  # stable: by name within each cell
    return out
