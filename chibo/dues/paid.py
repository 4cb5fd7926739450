"""What is paid on each charge, kept (`DuesCharge.paid`): the sum of the payments for its
member and month. The arrears, the unpaid months of the removal review and the reports read
it instead of summing the payments of every charge (a province's year: a million of each).

A payment and its charge are linked by (member, month), not by a key: a payment may come
before its charge (dues paid ahead) or for a month with no charge. So:
- a payment recorded, corrected or deleted adds its difference to its charge, if any (`add`,
  in the same transaction as the payment: `paid + amount` reads the row as it is when the
  update runs, so two payments recorded at once both count);
- a charge created takes what was already paid for its month (`refresh`);
- `refresh` over every charge (or a unit's) repairs the kept sums: `chibo dues-repair-paid`.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import (
    BigIntegerField,
    Case,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from chibo.core.sql import chunks

from .models import DuesCharge, DuesPayment


def payments_total() -> Coalesce:
    """The sum of the payments for the charge's member and month (0 when none)."""
    total = (
        DuesPayment.objects.filter(member=OuterRef("member"), month=OuterRef("month"))
        .order_by()
        .values("member")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0))


def refresh(charges: QuerySet[DuesCharge]) -> int:
    """Set the kept `paid` of these charges from their payments (one statement); returns how
    many charges were updated."""
    return charges.update(paid=payments_total())


def add(deltas: dict[tuple[int, dt.date], int]) -> None:
    """Add to the kept `paid` of the charges of these (member id, month) pairs: a payment
    recorded adds its amount, one deleted takes it away. One statement per month and 500
    members; member-months without a charge change nothing."""
    by_month: dict[dt.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (member_id, month), delta in deltas.items():
        by_month[month][member_id] += delta
    for month, members in by_month.items():
        for part in chunks(m for m, d in members.items() if d):
            change: Case | Value
            if len(part) == 1:
                change = Value(members[part[0]])
            else:
                change = Case(
                    *(When(member_id=m, then=Value(members[m])) for m in part),
                    default=Value(0),
                    output_field=BigIntegerField(),
                )
            # Never below 0 (the column is unsigned): a kept sum gone wrong is repaired by
            # `refresh`, not made an error for the person recording a payment.
            DuesCharge.objects.filter(month=month, member_id__in=part).update(
                paid=Greatest(F("paid") + change, Value(0))
            )


def repair(charges: QuerySet[DuesCharge] | None = None) -> int:
    """Put right the kept `paid` of the charges (every one by default) that differ from the
    sum of their payments; returns how many were wrong. Two statements; a correlated sum per
    charge (a few seconds for a million), then the wrong ones by 500."""
    scope = DuesCharge.objects.all() if charges is None else charges
    wrong = scope.alias(recount=payments_total()).exclude(paid=F("recount"))
    return sum(
        refresh(DuesCharge.objects.filter(pk__in=part))
        for part in chunks(wrong.values_list("pk", flat=True))
    )
