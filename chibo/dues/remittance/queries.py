"""The monthly remittance report of a unit: the dues it received (from its own members and from
the units directly below it), the share it keeps, what it owes the level above and what it
recorded handing up; and the same for each unit directly below it, against what that unit
recorded.

The money flow (docs/dues-remittance.md): members pay at their cell, the cell of their charge
that month (DuesCharge.cell). Each unit keeps the share of the rule `dues_kept_share` for its
level (`share_key`) of what it receives, and hands the rest to the unit above it. Rules are
those in force on the month's first day for the unit's province (`rules.at(day, unit)`); the
tree is the tree as it stood on the month's last day (a cell founded or moved during the month
hands that month's dues to the committee it belongs to at its end).

Every sum is made in SQL, and a report costs the same few queries (six) whatever the size of
the subtree and the number of months: a province of 2,000 cells reads its year in six."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Case, DateField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from chibo.dues.models import DuesCharge, Remittance
from chibo.org.models import Ancestry, Kind, OrgUnit
from chibo.rules import RuleBook
from chibo.rules.calendar import add_months

# The share key of `dues_kept_share` for each level (see `share_key`).
CELL, BASE, DISTRICT, PROVINCE = "cell", "base", "district", "province"
# Kinds through which dues flow: a party group's members pay at their cell.
FLOWING_KINDS = {
    Kind.PROVINCE,
    Kind.DISTRICT,
    Kind.BASE_COMMITTEE,
    Kind.BASE_CELL,
    Kind.CELL,
}
# Years a report may be asked for: the dues rules begin in 2011 (342-QĐ/TW), ledgers imported
# from Excel may go back further.
FIRST_YEAR = 1990


def share_key(kind: str, parent_kind: str | None) -> str | None:
    """The key of `dues_kept_share` that applies to a unit of `kind` under a unit of
    `parent_kind`. A base committee under another one (a partial committee, đảng bộ bộ phận)
    is a level under a base organisation like a cell: the base organisation's share is kept
    once, by the base organisation itself. None: a party group, through which no dues flow."""
    if kind == Kind.CELL:
        return CELL
    if kind == Kind.BASE_COMMITTEE:
        return CELL if parent_kind == Kind.BASE_COMMITTEE else BASE
    if kind == Kind.BASE_CELL:
        return BASE
    if kind == Kind.DISTRICT:
        return DISTRICT
    if kind == Kind.PROVINCE:
        return PROVINCE
    return None


def kept_of(received: int, share: int) -> int:
    """The part of `received` a unit keeping `share` % keeps, rounded half up to the đồng; the
    rest is handed up, so the two always add up to what was received."""
    return (received * share + 50) // 100


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def months_of(year: int, today: dt.date | None = None) -> list[dt.date]:
    """The months of `year` a report shows: all twelve of a past year, those begun so far of
    the current one, none of a later year."""
    today = today or timezone.localdate()
    if year > today.year:
        return []
    last = 12 if year < today.year else today.month
    return [dt.date(year, m, 1) for m in range(1, last + 1)]


# The report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemittanceRow:
    """A remittance recorded (the fields the report shows)."""

    id: int
    amount: int
    paid_on: dt.date
    receipt_number: str


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    code: str
    kind: str


@dataclass
class Flow:
    """One unit's dues for one month."""

    unit: UnitRef
    month: dt.date
    key: str | None  # the share's key (share_key)
    share: int | None  # % kept; None: no rule in force that month
    due: int = 0  # what its own members owed (their charges)
    collected: int = 0  # what its own members paid
    from_below: int = 0  # what the units directly below it recorded handing up to it
    remittance: RemittanceRow | None = None  # what it recorded handing up

    @property
    def received(self) -> int:
        return self.collected + self.from_below

    @property
    def kept(self) -> int | None:
        return None if self.share is None else kept_of(self.received, self.share)

    @property
    def to_hand_up(self) -> int | None:
        """What it owes the level above (for a unit below the report's unit: the remittance
        expected from it)."""
        kept = self.kept
        return None if kept is None else self.received - kept

    @property
    def handed_up(self) -> int:
        return self.remittance.amount if self.remittance is not None else 0

    @property
    def difference(self) -> int | None:
        """Handed up less owed: below zero, short; above, more than owed."""
        owed = self.to_hand_up
        return None if owed is None else self.handed_up - owed


@dataclass
class MonthReport:
    month: dt.date
    own: Flow
    children: list[Flow] = field(default_factory=list)

    @property
    def children_short(self) -> int:
        """Units below that handed up less than they owe (or recorded nothing)."""
        return sum(1 for c in self.children if (c.difference or 0) < 0)


@dataclass(frozen=True)
class Totals:
    due: int
    collected: int
    from_below: int
    received: int
    kept: int
    to_hand_up: int
    handed_up: int
    difference: int


@dataclass
class Report:
    unit: OrgUnit
    months: list[MonthReport]

    @property
    def totals(self) -> Totals:
        own = [m.own for m in self.months]
        return Totals(
            due=sum(f.due for f in own),
            collected=sum(f.collected for f in own),
            from_below=sum(f.from_below for f in own),
            received=sum(f.received for f in own),
            kept=sum(f.kept or 0 for f in own),
            to_hand_up=sum(f.to_hand_up or 0 for f in own),
            handed_up=sum(f.handed_up for f in own),
            difference=sum(f.difference or 0 for f in own),
        )

    def month(self, month: dt.date) -> MonthReport | None:
        for m in self.months:
            if m.month == month:
                return m
        return None


def _valid(valid_from: dt.date, valid_to: dt.date | None, on: dt.date) -> bool:
    """An Ancestry row's validity on `on` (AncestryQuerySet.valid, for rows already read)."""
    return valid_from <= on and (valid_to is None or valid_to > on)


def _overlapping(links: QuerySet, first: dt.date, last: dt.date) -> QuerySet:
    """Ancestry rows valid on some day between `first` and `last`."""
    return links.filter(valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    )


def report(unit: OrgUnit, months: Sequence[dt.date]) -> Report:
    """The remittance report of `unit` for `months` (first days, in order). Six queries."""
    months = sorted({m.replace(day=1) for m in months})
    if not months:
        return Report(unit=unit, months=[])
    first, last = months[0], month_end(months[-1])
    ends = {m: month_end(m) for m in months}

    # 1. Above the unit: its parent (whose kind picks its share key) and its province.
    above = list(
        _overlapping(
            Ancestry.objects.filter(descendant=unit).filter(
                Q(distance=1) | Q(ancestor__kind=Kind.PROVINCE)
            ),
            first,
            last,
        ).values_list("ancestor_id", "ancestor__kind", "distance", "valid_from", "valid_to")
    )
    # 2. The rules, every version at once.
    book = RuleBook()
    # 3. The units directly below it, as the tree stood in those months (party groups aside).
    below = list(
        _overlapping(Ancestry.objects.filter(ancestor=unit, distance=1), first, last)
        .filter(descendant__kind__in=FLOWING_KINDS)
        .values_list(
            "descendant_id",
            "descendant__name",
            "descendant__code",
            "descendant__kind",
            "descendant__sort_name",
            "valid_from",
            "valid_to",
        )
        .order_by("descendant__sort_name", "descendant_id")
    )
    # The unit and the units below it, as a subquery (the figures of each are needed).
    itself_and_below = _overlapping(
        Ancestry.objects.filter(ancestor=unit, distance__lte=1), first, last
    ).values("descendant_id")

    # 4. What their own members owed and paid (kept on each charge), by cell and month.
    members: dict[tuple[int, dt.date], tuple[int, int]] = {}
    charges = (
        DuesCharge.objects.filter(cell_id__in=itself_and_below, month__in=months)
        .order_by()
        .values("cell_id", "month")
        .annotate(due=Sum("amount"), collected=Sum("paid"))
        .values_list("cell_id", "month", "due", "collected")
    )
    for cell_id, month, due, collected in charges:
        members[(cell_id, month)] = (due or 0, collected or 0)

    # 5. What the units below each of them recorded handing up, by the unit they handed it to
    # (its parent on the month's last day) and month.
    next_first = Case(
        *(When(month=m, then=Value(add_months(m, 1))) for m in months), output_field=DateField()
    )
    from_below: dict[tuple[int, dt.date], int] = defaultdict(int)
    handed = (
        Remittance.objects.filter(month__in=months)
        .annotate(next_first=next_first)
        .filter(
            Q(unit__ancestor_links__distance=1)
            & Q(unit__ancestor_links__ancestor_id__in=itself_and_below)
            & Q(unit__ancestor_links__valid_from__lt=F("next_first"))
            & (
                Q(unit__ancestor_links__valid_to__isnull=True)
                | Q(unit__ancestor_links__valid_to__gte=F("next_first"))
            )
        )
        .order_by()
        .values("unit__ancestor_links__ancestor_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("unit__ancestor_links__ancestor_id", "month", "total")
    )
    for parent_id, month, total in handed:
        from_below[(parent_id, month)] = total or 0

    # 6. What the unit and each unit below it recorded handing up.
    recorded: dict[tuple[int, dt.date], RemittanceRow] = {}
    for pk, unit_id, month, amount, paid_on, number in Remittance.objects.filter(
        unit_id__in=itself_and_below, month__in=months
    ).values_list("pk", "unit_id", "month", "amount", "paid_on", "receipt_number"):
        recorded[(unit_id, month)] = RemittanceRow(pk, amount, paid_on, number)

    def flow(ref: UnitRef, month: dt.date, key: str | None, province: int | None) -> Flow:
        shares = book.at(month, province).dues_kept_share if key is not None else None
        share = shares.get(key) if shares else None
        due, collected = members.get((ref.id, month), (0, 0))
        return Flow(
            unit=ref,
            month=month,
            key=key,
            share=share,
            due=due,
            collected=collected,
            from_below=from_below[(ref.id, month)],
            remittance=recorded.get((ref.id, month)),
        )

    own_ref = UnitRef(unit.pk, unit.name, unit.code, unit.kind)
    out: list[MonthReport] = []
    for month in months:
        end = ends[month]
        parent_kind = next(
            (k for _a, k, d, vf, vt in above if d == 1 and _valid(vf, vt, end)), None
        )
        province = next(
            (a for a, k, _d, vf, vt in above if k == Kind.PROVINCE and _valid(vf, vt, month)),
            None,
        )
        children = [
            flow(UnitRef(pk, name, code, kind), month, share_key(kind, unit.kind), province)
            for pk, name, code, kind, _sort, vf, vt in below
            if _valid(vf, vt, end)
        ]
        own = flow(own_ref, month, share_key(unit.kind, parent_kind), province)
        out.append(MonthReport(month=month, own=own, children=children))
    return Report(unit=unit, months=out)


def year_report(unit: OrgUnit, year: int, today: dt.date | None = None) -> Report:
    return report(unit, months_of(year, today))


def years_offered(unit: OrgUnit, today: dt.date | None = None) -> list[int]:
    """Years to offer on the unit's page, latest first: this year back to the year of the
    unit's earliest remittance or own members' charge (at least this year and the last)."""
    today = today or timezone.localdate()
    found = [
        qs.order_by("month").values_list("month", flat=True).first()
        for qs in (Remittance.objects.filter(unit=unit), DuesCharge.objects.filter(cell=unit))
    ]
    start = min([d.year for d in found if d is not None] + [today.year - 1])
    return list(range(today.year, max(start, FIRST_YEAR) - 1, -1))
