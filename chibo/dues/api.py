"""/api/v1/dues: a cell's month, a member's ledger, payments, a member's basis and waivers,
a unit's arrears and members without a basis, and the payment statement's import. Scoped as
the pages are (chibo.dues.access): 404 outside the scope, 403 for a read-only role."""

import datetime as dt
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema, Page, today
from chibo.org.queries import name_cells

from . import access, months, queries, services
from .models import Area, Category, DuesBasis, DuesPayment, DuesWaiver, Source
from .statement import BadRow, StatementRow, statement_plan

dues = Router(tags=["dues"])


def _month(value: Any) -> Any:
    """A month as "YYYY-MM" (a whole date is accepted too), read as its first day."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value.strip()):
        found = months.read(value.strip())
        if found is not None:
            return found
    raise PydanticCustomError("month", _("Give the month as YYYY-MM."))


Month = Annotated[
    dt.date,
    BeforeValidator(_month),
    PlainSerializer(lambda d: f"{d:%Y-%m}", return_type=str),
]


def _month_param(value: str | None) -> dt.date:
    """?month=YYYY-MM (default: this month)."""
    if not value:
        return months.first(today())
    try:
        return _month(value)
    except PydanticCustomError:
        raise ValidationError({"month": _("Give the month as YYYY-MM.")}) from None


# A cell's month -------------------------------------------------------------------------------


class MonthRowOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    due: int | None = Field(description="The month's charge (null: not posted).")
    paid: int
    paid_on: dt.date | None = Field(description="The latest payment for the month.")
    source: str = Field(description="Of the latest payment: meeting, treasurer, statement, import.")
    status: str = Field(description="paid, part, unpaid, waived, or none (nothing posted).")
    to_pay: int = Field(description="What is left to pay for the month.")
    arrears: int = Field(description="Unpaid dues of earlier months (đồng).")
    arrears_months: int
    has_basis: bool


class CellMonthOut(Schema):
    cell: int
    month: Month
    due: int
    paid: int
    unpaid: int
    arrears: int
    members: list[MonthRowOut]


@dues.get("/cells/{cell_id}", response=CellMonthOut)
def cell_month(request: HttpRequest, cell_id: int, month: str | None = None) -> dict:
    """The cell's members in the month (`YYYY-MM`, default this month): the charge, what was
    paid and when, what is left, and their arrears of earlier months."""
    cell = access.get_cell_for(user_of(request), cell_id)
    data = queries.cell_month(cell, _month_param(month))
    return {
        "cell": cell.pk,
        "month": data.month,
        "due": data.due,
        "paid": data.paid,
        "unpaid": data.unpaid,
        "arrears": data.arrears,
        "members": data.rows,
    }


# A member's ledger ----------------------------------------------------------------------------


class PaymentOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    month: Month
    amount: int
    paid_on: dt.date
    source: str
    reference: str
    recorded_by: int | None = Field(validation_alias="recorded_by_id")


class LedgerMonthOut(Schema):
    month: Month
    due: int | None
    paid: int
    arrears: int = Field(description="Owed for a month already over (đồng).")
    owed: int = Field(description="Owed, the month in progress included.")
    waived: bool
    imported: bool
    cell_name: str
    payments: list[PaymentOut]


class BasisOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    valid_from: Month
    category: str
    base_amount: int | None
    area: str
    note: str


class WaiverOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    start: Month
    end: Month
    reason: str


class LedgerOut(Schema):
    member: int
    due: int
    paid: int
    arrears: int
    arrears_months: int
    months: list[LedgerMonthOut]
    bases: list[BasisOut]
    waivers: list[WaiverOut]


@dues.get("/members/{member_id}", response=LedgerOut)
def member_ledger(request: HttpRequest, member_id: int) -> dict:
    """Every month the member was charged, paid or excused (newest first), their bases and
    waivers. A member reads their own."""
    member = access.get_member_for(user_of(request), member_id)
    ledger = queries.member_ledger(member, today())
    return {
        "member": member.pk,
        "due": ledger.due,
        "paid": ledger.paid,
        "arrears": ledger.arrears,
        "arrears_months": ledger.arrears_months,
        "months": ledger.months,
        "bases": DuesBasis.objects.filter(member=member).order_by("-valid_from"),
        "waivers": DuesWaiver.objects.filter(member=member).order_by("-start"),
    }


# Payments -------------------------------------------------------------------------------------


class PaymentIn(InSchema):
    member: int
    month: Month = Field(description='The month paid for, "YYYY-MM".')
    amount: int = Field(ge=1, description="Đồng.")
    paid_on: dt.date | None = Field(None, description="Default: today.")
    reference: str = Field("", max_length=120, description="Receipt or transaction number.")


@dues.post("/payments", response={201: PaymentOut})
def payment_create(request: HttpRequest, payload: PaymentIn) -> tuple[int, DuesPayment]:
    """Record a payment (source `treasurer`): the cell's secretary or an office above it."""
    user = user_of(request)
    member = access.get_member_for(user, payload.member, write=True)
    payment = services.payment_record(
        member=member,
        month=payload.month,
        amount=payload.amount,
        paid_on=payload.paid_on or today(),
        source=Source.TREASURER,
        reference=payload.reference,
        actor=user,
    )
    return 201, payment


@dues.delete("/payments/{payment_id}", response={204: None})
def payment_remove(request: HttpRequest, payment_id: int) -> tuple[int, None]:
    """Delete a payment recorded by mistake (one collected at a meeting is corrected in the
    meeting's record)."""
    user = user_of(request)
    services.payment_delete(
        payment=access.get_payment_for(user, payment_id, write=True), actor=user
    )
    return 204, None


# Basis and waivers ----------------------------------------------------------------------------


class BasisIn(InSchema):
    member: int
    valid_from: Month = Field(description='From the month of, "YYYY-MM".')
    category: Category
    base_amount: int | None = Field(
        None, ge=1, description="Salaried and pensioners: the salary or pension (đồng)."
    )
    area: Area | None = Field(None, description="Others (and students before 01-QĐ/TW).")
    note: str = Field("", max_length=300)


@dues.post("/bases", response={201: BasisOut})
def basis_create(request: HttpRequest, payload: BasisIn) -> tuple[int, DuesBasis]:
    """Set a member's dues basis from a month on (the same month again corrects it): an
    office over the member's cell. The member's charges from that month are worked out
    again."""
    user = user_of(request)
    member = access.get_member_to_manage(user, payload.member)
    basis = services.basis_set(
        member=member,
        valid_from=payload.valid_from,
        category=payload.category,
        base_amount=payload.base_amount,
        area=payload.area or "",
        note=payload.note,
        actor=user,
    )
    return 201, basis


@dues.get("/waivers", response=list[WaiverOut])
def waiver_list(request: HttpRequest, member: int) -> Any:
    m = access.get_member_for(user_of(request), member)
    return DuesWaiver.objects.filter(member=m).order_by("-start")


class WaiverIn(InSchema):
    member: int
    start: Month
    end: Month
    reason: str = Field(max_length=300)


@dues.post("/waivers", response={201: WaiverOut})
def waiver_create(request: HttpRequest, payload: WaiverIn) -> tuple[int, DuesWaiver]:
    """Excuse a member from dues for the months from `start` to `end`: an office over the
    member's cell."""
    user = user_of(request)
    member = access.get_member_to_manage(user, payload.member)
    waiver = services.waiver_add(
        member=member, start=payload.start, end=payload.end, reason=payload.reason, actor=user
    )
    return 201, waiver


@dues.delete("/waivers/{waiver_id}", response={204: None})
def waiver_remove(request: HttpRequest, waiver_id: int) -> tuple[int, None]:
    user = user_of(request)
    services.waiver_delete(waiver=access.get_waiver_for(user, waiver_id, write=True), actor=user)
    return 204, None


# A unit's subtree -----------------------------------------------------------------------------


class CellSummaryOut(Schema):
    cell: int = Field(validation_alias="cell_id")
    cell_name: str
    members: int
    due: int
    paid: int
    unpaid: int


class UnitMonthOut(Schema):
    unit: int
    month: Month
    cells: list[CellSummaryOut]


@dues.get("/units/{unit_id}", response=UnitMonthOut)
def unit_month(request: HttpRequest, unit_id: int, month: str | None = None) -> dict:
    """The month's figures of each cell of the unit's subtree with dues posted."""
    unit = access.get_unit_for(user_of(request), unit_id)
    chosen = _month_param(month)
    return {"unit": unit.pk, "month": chosen, "cells": queries.cells_month(unit, chosen)}


class ArrearsOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    owed: int = Field(description="Unpaid dues of months before this one (đồng).")
    months: int
    first_month: Month
    last_month: Month


@dues.get("/arrears", response=list[ArrearsOut])
@paginate(Page)
def arrears(request: HttpRequest, unit: int) -> list[queries.ArrearsRow]:
    """Members charged in the unit's subtree with unpaid months before this one, most owed
    first."""
    u = access.get_unit_for(user_of(request), unit)
    rows = queries.arrears_under(u, today())
    name_cells(rows)
    return rows


class NoBasisOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int = Field(validation_alias="cell_id")
    cell_name: str


@dues.get("/without-basis", response=list[NoBasisOut])
@paginate(Page)
def without_basis(
    request: HttpRequest, unit: int, month: str | None = None
) -> list[queries.NoBasisRow]:
    """Members on the unit's roll for the month (default this month) with no dues basis."""
    u = access.get_unit_for(user_of(request), unit)
    return queries.without_basis(u, _month_param(month))


# The payment statement ------------------------------------------------------------------------


class StatementRowOut(Schema):
    row: int = Field(validation_alias="number")
    reference: str
    member: int = Field(validation_alias="member_id")
    month: Month
    amount: int
    paid_on: dt.date


class BadRowOut(Schema):
    row: int = Field(validation_alias="number")
    reference: str
    member_code: str
    month: str
    amount: str
    reasons: list[str]


class StatementOut(Schema):
    file: str
    recorded: int = Field(description="Payments recorded now (0 for a dry run or bad rows).")
    already: int = Field(description="Rows already recorded by an earlier import.")
    to_record: list[StatementRowOut] = Field(description="A dry run: the rows it would record.")
    bad: list[BadRowOut] = Field(description="Rows refused; when any, nothing was recorded.")


def _statement_out(
    name: str, recorded: int, already: int, to_record: list[StatementRow], bad: list[BadRow]
) -> dict:
    return {
        "file": name,
        "recorded": recorded,
        "already": already,
        "to_record": to_record,
        "bad": bad,
    }


@dues.post("/units/{unit_id}/statement", response={200: StatementOut, 422: StatementOut})
def statement_import(
    request: HttpRequest,
    unit_id: int,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
) -> tuple[int, dict]:
    """Multipart form: `file`, the payment statement (.xlsx or CSV: reference, member code,
    month, amount, optionally the day paid); `dry_run` checks it without recording. Every
    row is checked first: with any bad row nothing is recorded (422, the rows and reasons).
    A row already recorded is counted, not recorded again. An office over the unit."""
    user = user_of(request)
    unit = access.get_statement_unit_for(user, unit_id)
    if dry_run:
        plan = statement_plan(file=file, unit=unit, today=today())
        body = _statement_out(plan.name, 0, len(plan.already), plan.to_record, plan.bad)
        return (422 if plan.bad else 200), body
    result = services.statement_import(file=file, unit=unit, actor=user)
    assert result.plan is not None
    body = _statement_out(result.plan.name, result.recorded, result.already, [], result.bad)
    return (422 if result.bad else 200), body
