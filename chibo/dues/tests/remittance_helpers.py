"""Ledger rows for the remittance tests, written directly (the ledger's own services are the
dues pages' business): charges, payments, remittances."""

import datetime as dt

from chibo.dues.models import DuesCharge, DuesPayment, Remittance, Source
from chibo.dues.paid import refresh
from chibo.rules.models import RuleVersion

D = dt.date
_refs = iter(range(1, 10**6))


def charge(member, month: dt.date, cell, amount: int) -> DuesCharge:
    made = DuesCharge.objects.create(member=member, month=month, cell=cell, amount=amount)
    refresh(DuesCharge.objects.filter(pk=made.pk))  # what is paid, kept as the services do
    return made


def pay(member, month: dt.date, amount: int, *, paid_on: dt.date | None = None) -> DuesPayment:
    made = DuesPayment.objects.create(
        member=member,
        month=month,
        amount=amount,
        paid_on=paid_on or month,
        source=Source.TREASURER,
        reference=f"test:{next(_refs)}",
    )
    refresh(DuesCharge.objects.filter(member=member, month=month))  # as the services keep it
    return made


def remit(unit, month: dt.date, amount: int, number: str = "") -> Remittance:
    return Remittance.objects.create(
        unit=unit,
        month=month,
        amount=amount,
        paid_on=month + dt.timedelta(days=20),
        receipt_number=number,
    )


def province_shares(province, since: dt.date, shares: dict[str, int]) -> RuleVersion:
    """The province's own shares kept (a provincial rule) from `since`."""
    return RuleVersion.objects.create(
        effective_from=since,
        source="Hướng dẫn của Ban Tổ chức Tỉnh ủy về đảng phí",
        province=province,
        values={"dues_kept_share": shares},
    )
