"""Builders for the dues tests: a member's basis, charges and payments as an office records
them (through the services, by the system)."""

import datetime as dt

from chibo.dues import services
from chibo.dues.models import Category, DuesBasis, DuesCharge, DuesPayment, Source
from chibo.dues.paid import refresh
from chibo.members.models import Member

D = dt.date


def basis(
    member: Member,
    month: dt.date,
    category: str = Category.SALARIED,
    base: int | None = 5_000_000,
    area: str = "",
) -> DuesBasis:
    return services.basis_set(
        member=member, valid_from=month, category=category, base_amount=base, area=area, actor=None
    )


def charge(member: Member, month: dt.date, amount: int, cell=None) -> DuesCharge:
    """A charge written as it stands (the record the reads start from), with what was paid
    for its month already (as the services post it)."""
    made = DuesCharge.objects.create(
        member=member, month=month, amount=amount, cell=cell or member.home_unit
    )
    refresh(DuesCharge.objects.filter(pk=made.pk))
    made.refresh_from_db()
    return made


def pay(
    member: Member, month: dt.date, amount: int, on: dt.date | None = None, **kw
) -> DuesPayment:
    return services.payment_record(
        member=member,
        month=month,
        amount=amount,
        paid_on=on or month,
        source=kw.pop("source", Source.TREASURER),
        actor=None,
        **kw,
    )
