"""/api/v1/dues/remittances: a unit's remittance report for a year; a remittance recorded (or
corrected), read and deleted."""

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema, Year, today
from chibo.dues.models import Remittance

from . import access, queries, services
from .queries import FIRST_YEAR, Flow

remittances = Router(tags=["dues"])


class RemittanceOut(Schema):
    id: int
    unit: int = Field(validation_alias="unit_id")
    month: dt.date
    amount: int
    paid_on: dt.date
    receipt_number: str
    recorded_by: int | None = Field(None, validation_alias="recorded_by_id")


class RecordedOut(Schema):
    id: int
    amount: int
    paid_on: dt.date
    receipt_number: str


class FlowOut(Schema):
    unit: int
    code: str
    name: str
    kind: str
    share_key: str | None = Field(description="The key of dues_kept_share for its level.")
    share: int | None = Field(description="% kept of what it receives; null: no rule.")
    due: int = Field(description="What its own members owed (their charges).")
    collected: int = Field(description="What its own members paid.")
    from_below: int = Field(description="What the units directly below recorded handing up.")
    received: int
    kept: int | None
    to_hand_up: int | None
    handed_up: int
    difference: int | None = Field(description="handed_up - to_hand_up.")
    remittance: RecordedOut | None


class MonthOut(FlowOut):
    month: dt.date
    children: list[FlowOut]


class TotalsOut(Schema):
    due: int
    collected: int
    from_below: int
    received: int
    kept: int
    to_hand_up: int
    handed_up: int
    difference: int


class ReportOut(Schema):
    unit: int
    year: int
    months: list[MonthOut]
    totals: TotalsOut


class RemittanceIn(InSchema):
    unit: int
    month: dt.date = Field(description="Any day of the month (kept as its first day).")
    amount: int = Field(description="Whole đồng, more than 0.")
    paid_on: dt.date
    receipt_number: str = Field("", max_length=services.RECEIPT_NUMBER_MAX)


def _flow(f: Flow) -> dict:
    r = f.remittance
    return {
        "unit": f.unit.id,
        "code": f.unit.code,
        "name": f.unit.name,
        "kind": f.unit.kind,
        "share_key": f.key,
        "share": f.share,
        "due": f.due,
        "collected": f.collected,
        "from_below": f.from_below,
        "received": f.received,
        "kept": f.kept,
        "to_hand_up": f.to_hand_up,
        "handed_up": f.handed_up,
        "difference": f.difference,
        "remittance": None
        if r is None
        else {
            "id": r.id,
            "amount": r.amount,
            "paid_on": r.paid_on,
            "receipt_number": r.receipt_number,
        },
    }


@remittances.get("/report", response=ReportOut)
def report(request: HttpRequest, unit: int, year: Year | None = None) -> dict:
    """The unit's months of `year` (default this year; the months begun so far), each with the
    units directly below it."""
    u = access.get_unit_for(user_of(request), unit)
    now = today()
    year = now.year if year is None else year
    if not FIRST_YEAR <= year <= now.year:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": now.year}
            }
        )
    found = queries.year_report(u, year, now)
    return {
        "unit": u.pk,
        "year": year,
        "months": [
            {**_flow(m.own), "month": m.month, "children": [_flow(c) for c in m.children]}
            for m in found.months
        ],
        "totals": dataclasses.asdict(found.totals),
    }


@remittances.post("", response={200: RemittanceOut, 201: RemittanceOut})
def remittance_record(request: HttpRequest, payload: RemittanceIn) -> tuple[int, Remittance]:
    """Record what a unit handed up for a month (201); the month recorded again is corrected
    (200)."""
    user = user_of(request)
    unit = access.get_unit_for(user, payload.unit, write=True)
    existed = Remittance.objects.filter(unit=unit, month=payload.month.replace(day=1)).exists()
    made = services.remittance_record(
        unit=unit,
        month=payload.month,
        amount=payload.amount,
        paid_on=payload.paid_on,
        receipt_number=payload.receipt_number,
        actor=user,
    )
    return (200 if existed else 201), made


@remittances.get("/{remittance_id}", response=RemittanceOut)
def remittance_detail(request: HttpRequest, remittance_id: int) -> Remittance:
    return access.get_remittance_for(user_of(request), remittance_id)


@remittances.delete("/{remittance_id}", response={204: None})
def remittance_delete(request: HttpRequest, remittance_id: int) -> tuple[int, None]:
    user = user_of(request)
    services.remittance_delete(
        remittance=access.get_remittance_for(user, remittance_id, write=True), actor=user
    )
    return 204, None
