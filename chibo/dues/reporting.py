"""The dues section of the unit reports (chibo.core.reporting, docs/reports.md), in đồng.

The months of a period are the calendar months it touches (a range from 15/01 to 10/03 has
January, February and March, each whole: a charge is for a month).

- `due`: the charges (`DuesCharge`) of those months whose cell lay in the root's subtree on
  the month's last day (cut to the period's end), the tree as it stood that day, of members
  not in the trash. The charge's cell is where the ledger placed the member that month, so a
  member moved since counts where they owed it.
- `paid`: the payments (`DuesPayment`) for the member-months of those charges (same member,
  same month), received by the period's last day (`paid_on`): what had come in for them when
  the period ended, whole, an overpayment included. A payment for a month with no charge is
  in no unit's figures (the ledger places a member-month through its charge); one received
  after the period's end counts in the next report of that period, not in this one.
- `arrears`: over those charges, the charge less what was paid for its member-month by the
  period's end, when positive: an overpaid month does not make up for another.
- `remitted`: what the root itself handed up for those months (`Remittance` of the root). Its
  sub-units' remittances went to it, not out of its subtree: they are theirs.

Four queries whatever the roots: the closure rows under the roots valid some time in the
period; the charges of those months under them, with what is paid as kept on each
(`DuesCharge.paid`), summed by cell and month; the payments for those months received after
the period's end, joined to their charges, to take them off (see `by_cell_month`); and the
roots' remittances. The sums by cell and month then count for the roots whose closure row
to the cell held on the month's last day, in Python. The two middle statements are written
around the querysets' own SQL: the ORM cannot join a derived table.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, connections
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.reporting import (
    Cell,
    Chart,
    Figures,
    Link,
    Period,
    Rows,
    Section,
    register,
    shared,
)
from chibo.members.models import Member
from chibo.org.models import Ancestry

from .models import DuesCharge, DuesPayment, Remittance

FIGURES = ("due", "paid", "arrears", "remitted")

# A closure row: root, descendant, valid from, valid until (excluded).
LinkRow = tuple[int, int, dt.date, dt.date | None]


def first_month(period: Period) -> dt.date:
    """The first day of the period's first month: charges are dated on their month's first."""
    return period.start.replace(day=1)


def _month_key(value: Any) -> str:
    """'YYYY-MM' of a month as the driver gives it (a date, or ISO text on SQLite)."""
    return str(value)[:7]


def _under(roots: Sequence[int], period: Period) -> QuerySet[Ancestry]:
    """The closure rows under `roots` valid some time in the period."""
    return Ancestry.objects.filter(ancestor_id__in=list(roots), valid_from__lte=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=period.start)
    )


def _links(roots: Sequence[int], period: Period) -> dict[int, list[LinkRow]]:
    """descendant -> its closure rows under the roots (one query)."""
    out: dict[int, list[LinkRow]] = {}
    rows = _under(roots, period).values_list(
        "ancestor_id", "descendant_id", "valid_from", "valid_to"
    )
    for root, descendant, valid_from, valid_to in rows:
        out.setdefault(descendant, []).append((root, descendant, valid_from, valid_to))
    return out


def _valid(link: LinkRow, on: dt.date) -> bool:
    return link[2] <= on and (link[3] is None or link[3] > on)


def _charges(period: Period) -> QuerySet[DuesCharge]:
    """The charges of the period's months, of members not in the trash (the few members in
    the trash are left out by a list, not by a join of every charge to its member)."""
    trashed = Member.all_objects.filter(deleted_at__isnull=False).values("pk")
    return DuesCharge.objects.filter(month__gte=first_month(period), month__lte=period.end).exclude(
        member_id__in=trashed
    )


def _with_paid(charges: QuerySet[DuesCharge], period: Period) -> QuerySet[DuesCharge]:
    """Each charge with `paid_by_end`: its member-month's payments received by the period's
    end (one join; a charge appears once, whatever the number of payments). For the rows
    behind a figure; the figures read the kept `paid` (`by_cell_month`)."""
    return charges.annotate(
        payment=FilteredRelation(
            "member__dues_payments",
            condition=Q(
                member__dues_payments__month=F("month"),
                member__dues_payments__paid_on__lte=period.end,
            ),
        )
    ).annotate(paid_by_end=Sum("payment__amount", default=0))


# The sums by cell and month read what is paid as kept on each charge (`DuesCharge.paid`,
# chibo.dues.paid): one pass over the charges. The report counts what had come in by the
# period's end, so a second query lists the payments for those months received after it (none
# for a period not over; a few in a hundred of a past one, found through the payments' index
# on (month, paid_on), month by month), and Python takes them off their charges.


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


# Up to this many units under the roots, they are named: the database starts from their
# charges (the index on month and cell). A larger subtree holds most of the charges of the
# months: they are read in one pass.
MAX_LISTED = 1_000


def by_cell_month(
    roots: Sequence[int], period: Period, *, units: Sequence[int] | None = None
) -> list[tuple[int, str, int, int, int]]:
    """(cell, 'YYYY-MM', due, paid, arrears) of the charges under `roots` (two queries);
    `units`: the units under them, when known."""
    listed = units is not None and len(units) <= MAX_LISTED
    below: Any = list(units or ()) if listed else _under(roots, period).values("descendant_id")
    charges = _charges(period).filter(cell_id__in=below)
    c_sql, c_params = _sql(
        charges.values("member_id", "month", "cell_id", "amount", "paid").order_by()
    )
    q = connection.ops.quote_name
    cell, month, member, amount, paid = (
        q(name) for name in ("cell_id", "month", "member_id", "amount", "paid")
    )
    # PostgreSQL sums bigints as numeric: cast back, read as plain integers.
    sums = (
        f"SELECT c.{cell}, c.{month}, CAST(SUM(c.{amount}) AS BIGINT), "
        f"CAST(SUM(c.{paid}) AS BIGINT), "
        f"CAST(SUM(CASE WHEN c.{paid} < c.{amount} THEN c.{amount} - c.{paid} ELSE 0 END) "
        f"AS BIGINT) FROM ({c_sql}) c GROUP BY c.{cell}, c.{month}"
    )
    # The payments for the period's months received after its end, by member-month.
    late = (
        DuesPayment.objects.filter(
            month__in=[m.start.replace(day=1) for m in period.months], paid_on__gt=period.end
        )
        .values("member_id", "month")
        .annotate(late=Sum("amount"))
        .values("member_id", "month", "late")
        .order_by()
    )
    l_sql, l_params = _sql(late)
    after = (
        f"SELECT c.{cell}, c.{month}, c.{amount}, c.{paid}, l.late "
        f"FROM ({l_sql}) l JOIN ({c_sql}) c ON c.{member} = l.{member} AND c.{month} = l.{month}"
    )
    found: dict[tuple[int, str], list[int]] = {}
    keys: dict[Any, str] = {}  # a month as the driver gives it -> 'YYYY-MM', made once
    # The charges' database: the read replica inside a report when there is one.
    with connections[charges.db].cursor() as cursor:
        cursor.execute(sums, c_params)
        for cell_id, m, due, got, owed in cursor.fetchall():
            key = keys.get(m) or keys.setdefault(m, _month_key(m))
            found[(cell_id, key)] = [due, got, owed]
        cursor.execute(after, (*l_params, *c_params))
        for cell_id, m, charged, kept, late_paid in cursor.fetchall():
            key = keys.get(m) or keys.setdefault(m, _month_key(m))
            by_end = max(0, kept - int(late_paid))
            sums_of = found[(cell_id, key)]
            sums_of[1] -= kept - by_end
            sums_of[2] += max(0, charged - by_end) - max(0, charged - kept)
    return [(cell_id, key, due, got, owed) for (cell_id, key), (due, got, owed) in found.items()]


@dataclass
class Tally:
    """One root's sums, by month of the period (for the chart) and in all."""

    due: list[int]
    paid: list[int]
    arrears: list[int]
    remitted: int = 0
    months: list[Period] = field(default_factory=list)

    def itself(self) -> "Tally":
        """The tally already made, as `shared` asks for it (a function giving the value)."""
        return self


def tally(roots: Sequence[int], period: Period) -> dict[int, Tally]:
    """Four queries whatever the roots (see the module's docstring)."""
    months = period.months
    n = len(months)
    out = {root: Tally([0] * n, [0] * n, [0] * n, 0, months) for root in roots}
    if not roots:
        return out
    index = {f"{m.start:%Y-%m}": i for i, m in enumerate(months)}
    links = _links(roots, period)
    for cell, month, due, paid, arrears in by_cell_month(roots, period, units=list(links)):
        i = index.get(month)
        if i is None:
            continue
        on = months[i].end  # the month's last day, cut to the period's end
        for link in links.get(cell, ()):
            if _valid(link, on):
                t = out[link[0]]
                t.due[i] += due
                t.paid[i] += paid
                t.arrears[i] += arrears
    remitted = (
        Remittance.objects.filter(
            unit_id__in=list(roots), month__gte=first_month(period), month__lte=period.end
        )
        .values("unit_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("unit_id", "total")
    )
    for unit, total in remitted:
        out[unit].remitted = int(total)
    return out


def tallies(roots: Sequence[int], period: Period) -> dict[int, Tally]:
    """`tally`, each root's kept for the rest of the report (`chibo.core.reporting.shared`):
    the dashboard's chart and tables of the unit then count nothing again."""
    found = tally(roots, period)
    for root, t in found.items():
        shared(("dues.tally", root, period), t.itself)
    return found


def tally_of(root: int, period: Period) -> Tally:
    return shared(("dues.tally", root, period), lambda: tally([root], period)[root])


class DuesSection(Section):
    key = "dues"
    order = 80
    title = gettext_lazy("Party dues")
    labels = {
        "due": gettext_lazy("Dues due (đồng)"),
        "paid": gettext_lazy("Dues paid for those months (đồng)"),
        "arrears": gettext_lazy("Dues in arrears (đồng)"),
        "remitted": gettext_lazy("Dues handed to the level above (đồng)"),
    }
    table = FIGURES
    headline = ("due", "paid", "arrears")

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        return {
            root: {
                "due": sum(t.due),
                "paid": sum(t.paid),
                "arrears": sum(t.arrears),
                "remitted": t.remitted,
            }
            for root, t in tallies(roots, period).items()
        }

    def series(self, root: int, period: Period) -> list[Chart]:
        t = tally_of(root, period)
        if not any(t.due) and not any(t.paid):
            return []
        return [
            Chart(
                key="dues_months",
                title=_("Party dues by month (đồng)"),
                kind="bar",
                labels=[f"{m.start:%m/%Y}" for m in t.months],
                series=[
                    {"label": _("Dues due"), "data": t.due},
                    {"label": _("Dues paid"), "data": t.paid},
                    {"label": _("Dues in arrears"), "data": t.arrears},
                ],
            )
        ]

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        if rest or figure not in FIGURES:
            return None
        if figure == "remitted":
            items = Remittance.objects.filter(
                unit_id=root, month__gte=first_month(period), month__lte=period.end
            ).order_by("month", "pk")
            return Rows(
                headers=[_("Month"), _("Amount (đồng)"), _("Handed over on"), _("Receipt")],
                items=items,
                row=_remittance_row,
            )
        charges = _charges(period).filter(_placed(root, period))
        if figure == "paid":
            payments = DuesPayment.objects.filter(
                Exists(charges.filter(member_id=OuterRef("member_id"), month=OuterRef("month"))),
                month__gte=first_month(period),
                month__lte=period.end,
                paid_on__lte=period.end,
            )
            return Rows(
                headers=[_("Member"), _("Month"), _("Amount (đồng)"), _("Paid on"), _("Source")],
                items=payments.select_related("member").order_by(
                    "month", "member__search_name", "pk"
                ),
                row=_payment_row,
            )
        with_paid = _with_paid(charges, period)
        if figure == "arrears":
            with_paid = with_paid.filter(paid_by_end__lt=F("amount"))  # type: ignore[misc]
        return Rows(
            headers=[
                _("Member"),
                _("Month"),
                _("Cell"),
                _("Due (đồng)"),
                _("Paid (đồng)"),
                _("In arrears (đồng)"),
            ],
            items=with_paid.select_related("member", "cell").order_by(
                "month", "cell__sort_name", "member__search_name", "pk"
            ),
            row=_charge_row,
        )


def _placed(root: int, period: Period) -> Q:
    """Charges whose cell lay under `root` on their month's last day (cut to the period's
    end): the months with the same subtree share one condition (one query to group them)."""
    links = _links([root], period)
    groups: dict[frozenset[int], list[Period]] = {}
    for month in period.months:
        cells = frozenset(c for c, rows in links.items() if any(_valid(r, month.end) for r in rows))
        groups.setdefault(cells, []).append(month)
    conditions = [
        Q(
            month__in=[m.start.replace(day=1) for m in months],
            cell_id__in=Ancestry.objects.valid(months[0].end)
            .filter(ancestor_id=root)
            .values("descendant_id"),
        )
        for months in groups.values()
    ]
    return reduce(or_, conditions)


def _member_link(member: Any) -> Link:
    return Link(member.full_name, reverse("members:detail", args=[member.pk]))


def _charge_row(charge: DuesCharge) -> list[Cell]:
    paid: int = charge.paid_by_end  # type: ignore[attr-defined]
    return [
        _member_link(charge.member),
        f"{charge.month:%m/%Y}",
        Link(charge.cell.name, reverse("org:unit", args=[charge.cell_id])),
        charge.amount,
        paid,
        max(0, charge.amount - paid),
    ]


def _payment_row(payment: DuesPayment) -> list[Cell]:
    return [
        _member_link(payment.member),
        f"{payment.month:%m/%Y}",
        payment.amount,
        payment.paid_on,
        payment.get_source_display(),
    ]


def _remittance_row(remittance: Remittance) -> list[Cell]:
    return [
        f"{remittance.month:%m/%Y}",
        remittance.amount,
        remittance.paid_on,
        remittance.receipt_number,
    ]


register(DuesSection())
