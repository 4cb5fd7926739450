"""The writes of remittances: what a unit handed to the level above for a month (one record per
unit and month: recording it again corrects it), and its deletion."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.dues.models import Remittance
from chibo.org.models import OrgUnit

from .queries import FLOWING_KINDS

RECEIPT_NUMBER_MAX = Remittance._meta.get_field("receipt_number").max_length or 40
# Far above any unit's monthly dues (a province's are some billions of đồng): a larger
# amount is a typing slip.
AMOUNT_MAX = 999_999_999_999

RECORDED = audit.kind(
    "dues.remittance_recorded",
    gettext_lazy(
        "Dues of %(month)s handed to the level above: %(amount)s đồng on %(date)s, "
        "receipt %(number)s"
    ),
)
CORRECTED = audit.kind(
    "dues.remittance_corrected",
    gettext_lazy(
        "Dues handed up for %(month)s corrected from %(old)s đồng to %(amount)s đồng on "
        "%(date)s, receipt %(number)s"
    ),
)
DELETED = audit.kind(
    "dues.remittance_deleted",
    gettext_lazy("Dues handed up for %(month)s deleted (%(amount)s đồng)"),
)
NO_NUMBER = gettext_lazy("without a number")


def month_text(month: dt.date) -> str:
    """'03/2026'."""
    return f"{month:%m/%Y}"


def _check(
    *,
    unit: OrgUnit,
    month: dt.date,
    amount: object,
    paid_on: dt.date,
    number: str,
    today: dt.date,
) -> None:
    errors: dict[str, str] = {}
    if unit.kind not in FLOWING_KINDS:
        errors["unit"] = _("A party group hands no dues up: its members pay at their cell.")
    elif unit.is_deleted:
        errors["unit"] = _("The unit is deleted.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = _("Enter the amount as a positive whole number of đồng.")
    elif amount > AMOUNT_MAX:
        errors["amount"] = _("The amount is at most %(max)s đồng.") % {
            "max": formats.number(AMOUNT_MAX)
        }
    if month > today.replace(day=1):
        errors["month"] = _("%(month)s has not begun: dues are handed up for a month begun.") % {
            "month": month_text(month)
        }
    if paid_on > today:
        errors["paid_on"] = _("The day the dues were handed over cannot be in the future.")
    elif paid_on < month:
        errors["paid_on"] = _("The dues of %(month)s are handed over from %(date)s on.") % {
            "month": month_text(month),
            "date": formats.date(month),
        }
    if len(number) > RECEIPT_NUMBER_MAX:
        errors["receipt_number"] = _("The receipt number has at most %(limit)d characters.") % {
            "limit": RECEIPT_NUMBER_MAX
        }
    if errors:
        raise ValidationError(errors)


@audit.write
def remittance_record(
    *,
    unit: OrgUnit,
    month: dt.date,
    amount: int,
    paid_on: dt.date,
    receipt_number: str = "",
    actor,
    today: dt.date | None = None,
) -> Remittance:
    """Record what `unit` handed up for `month` (any day of it: the month is kept as its
    first day). A unit hands a month's dues up once: recording the month again corrects the
    record (amount, day, receipt), whose history keeps the earlier values."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    number = " ".join((receipt_number or "").split())
    _check(unit=unit, month=month, amount=amount, paid_on=paid_on, number=number, today=today)
    existing = Remittance.objects.select_for_update().filter(unit=unit, month=month).first()
    recorded_by = actor if getattr(actor, "pk", None) else None
    facts = {
        "month": month_text(month),
        "amount": formats.number(amount),  # type: ignore[arg-type]  # checked above
        "date": paid_on,
        "number": number or NO_NUMBER,
    }
    if existing is not None:
        old = existing.amount
        existing.amount, existing.paid_on = amount, paid_on
        existing.receipt_number, existing.recorded_by = number, recorded_by
        existing._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
        existing.save()
        audit.record(
            CORRECTED, actor=actor, obj=existing, about=unit, old=formats.number(old), **facts
        )
        return existing
    remittance = Remittance(
        unit=unit,
        month=month,
        amount=amount,
        paid_on=paid_on,
        receipt_number=number,
        recorded_by=recorded_by,
    )
    remittance._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    try:
        with transaction.atomic():
            remittance.save()
    except IntegrityError:  # recorded by someone else between our read and our write
        raise ValidationError(
            {"month": _("The remittance of this month was just recorded: try again.")}
        ) from None
    audit.record(RECORDED, actor=actor, obj=remittance, about=unit, **facts)
    return remittance


@audit.write
def remittance_delete(*, remittance: Remittance, actor) -> None:
    """Delete a remittance recorded by mistake (its history keeps it)."""
    # Recorded before the row goes (it keeps the id the event names).
    audit.record(
        DELETED,
        actor=actor,
        obj=remittance,
        about=remittance.unit,
        month=month_text(remittance.month),
        amount=formats.number(remittance.amount),
    )
    remittance._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    remittance.delete()
