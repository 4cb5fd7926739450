"""The dues ledger, the writes: a member's basis, the month's charges, payments (by the
treasurer, at the meeting, from a payment statement, from an imported ledger), waivers.

Each is a service (`@audit.write`: one transaction, one audit event, keyword-only arguments,
`actor` among them). The reads are chibo.dues.queries; the amounts chibo.dues.amounts."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from chibo import rules
from chibo.core import audit, formats
from chibo.core.formats import number
from chibo.core.sql import chunks
from chibo.members.models import Member
from chibo.org.models import Ancestry, OrgUnit

from . import amounts, months
from .models import Area, Category, DuesBasis, DuesCharge, DuesPayment, DuesWaiver, Source
from .paid import add as add_paid
from .paid import refresh as refresh_paid
from .roll import candidates, cell_of, month_roll
from .statement import BadRow, NamedFile, StatementPlan, statement_plan

NOTE_MAX = DuesBasis._meta.get_field("note").max_length or 300
REASON_MAX = DuesWaiver._meta.get_field("reason").max_length or 300
REFERENCE_MAX = DuesPayment._meta.get_field("reference").max_length or 120
# Dues paid ahead: a pensioner often pays the year at once; no further than this.
AHEAD_MONTHS = 12

BASIS_SET = audit.kind(
    "dues.basis_set",
    gettext_lazy("Dues basis from %(month)s: %(category)s, %(amount)s đồng"),
)
BASIS_SET_AREA = audit.kind(
    "dues.basis_set_area", gettext_lazy("Dues basis from %(month)s: %(category)s, %(area)s")
)
CHARGES_POSTED = audit.kind(
    "dues.charges_posted", gettext_lazy("Dues for %(month)s posted: %(count)s members")
)
PAYMENT_RECORDED = audit.kind(
    "dues.payment_recorded",
    gettext_lazy("Dues for %(month)s recorded: %(amount)s đồng, %(source)s"),
)
PAYMENT_DELETED = audit.kind(
    "dues.payment_deleted",
    gettext_lazy("Dues payment for %(month)s deleted: %(amount)s đồng, %(source)s"),
)
WAIVER_ADDED = audit.kind(
    "dues.waiver_added",
    gettext_lazy("Excused from dues from %(start)s to %(end)s: %(reason)s"),
)
WAIVER_DELETED = audit.kind(
    "dues.waiver_deleted", gettext_lazy("Dues waiver from %(start)s to %(end)s deleted")
)
STATEMENT_IMPORTED = audit.kind(
    "dues.statement_imported",
    gettext_lazy(
        "Payment statement %(file)s imported: %(recorded)s payments recorded, "
        "%(already)s already recorded"
    ),
)
LEDGER_IMPORTED = audit.kind(
    "dues.ledger_imported",
    gettext_lazy("Dues ledger of %(month)s imported: %(due)s đồng due, %(paid)s đồng paid"),
)


def _saved(obj: Any, actor, fields: list[str] | None = None) -> None:
    obj._history_user = actor if getattr(actor, "pk", None) else None  # read by simple_history
    obj.save(update_fields=fields)


# The basis ------------------------------------------------------------------------------------


@audit.write
def basis_set(
    *,
    member: Member,
    valid_from: dt.date,
    category: str,
    base_amount: int | None = None,
    area: str = "",
    note: str = "",
    actor,
) -> DuesBasis:
    """The member's dues category and base from the month of `valid_from` on (the same month
    again corrects it). The member's charges posted by Chibo from that month until their next
    basis are worked out again; imported charges are the past ledger's and stay as they are.
    The current month's charge is posted when it is missing."""
    month = months.first(valid_from)
    note = " ".join((note or "").split())
    book = rules.at(month, member.home_unit)
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if book.dues_fixed_amounts is None:
        errors["valid_from"] = _("No dues rule was in force in %(month)s.") % {
            "month": months.text(month)
        }
    if category in (Category.SALARIED, Category.PENSIONER):
        if isinstance(base_amount, bool) or not isinstance(base_amount, int) or base_amount <= 0:
            errors["base_amount"] = _("Give the salary or pension in đồng, a whole number above 0.")
        area = ""
    else:
        base_amount = None
        if area and area not in Area.values:
            errors["area"] = _("Choose an area.")
        elif (
            category in Category.values
            and not area
            and "valid_from" not in errors
            and amounts.needs_area(category, book)
        ):
            errors["area"] = _("Choose the area whose fixed amount the member pays.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note has at most %(limit)d characters.") % {"limit": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    basis = DuesBasis.objects.filter(member=member, valid_from=month).first()
    if basis is None:
        basis = DuesBasis(member=member, valid_from=month)
    basis.category = category
    basis.base_amount = base_amount
    basis.area = area
    basis.note = note
    basis.recorded_by = actor if getattr(actor, "pk", None) else None
    _saved(basis, actor)
    _repost(member, month, actor)
    today = months.first(timezone.localdate())
    if month <= today:
        _post(today, members=[member.pk], actor=actor)
    facts = {"month": months.text(month), "category": Category(category)}
    if base_amount is not None:
        audit.record(
            BASIS_SET, actor=actor, obj=basis, about=member, amount=number(base_amount), **facts
        )
    else:
        audit.record(
            BASIS_SET_AREA,
            actor=actor,
            obj=basis,
            about=member,
            area=Area(area) if area else "",
            **facts,
        )
    return basis


def _repost(member: Member, month: dt.date, actor) -> None:
    """Work out again the member's posted (not imported) charges from `month` until their
    next basis, each under the rules of its own month."""
    bases = list(DuesBasis.objects.filter(member=member).order_by("valid_from"))
    charges = list(
        DuesCharge.objects.filter(member=member, month__gte=month, imported=False).order_by("month")
    )
    if not charges:
        return
    provinces = amounts.provinces_of({c.cell_id for c in charges}, charges[0].month)
    book = rules.RuleBook()
    for charge in charges:
        basis = next((b for b in reversed(bases) if b.valid_from <= charge.month), None)
        if basis is None or basis.valid_from != month:
            continue  # a later basis rules this month (or none does)
        value = amounts.amount(basis, book.at(charge.month, provinces.get(charge.cell_id)))
        if value is not None and (value, basis.category) != (charge.amount, charge.category):
            # One save each (with its history row): a member has at most a few hundred.
            charge.amount, charge.category = value, basis.category
            _saved(charge, actor, ["amount", "category"])  # not `paid`: the payments' own


def _user(actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


# Charges --------------------------------------------------------------------------------------


def _post(
    month: dt.date,
    unit: OrgUnit | None = None,
    members: list[int] | None = None,
    actor=None,
) -> list[DuesCharge]:
    """Create the month's missing charges of the roll (chibo.dues.roll) for the members with
    a basis in force whose amount works out."""
    month = months.first(month)
    roll = month_roll(month, unit, members)
    if not roll:
        return []
    scope: QuerySet | list[int] | None = None
    if unit is not None:
        scope = candidates(month, unit)
    elif members is not None:
        scope = list(members)
    charged = DuesCharge.objects.filter(month=month)
    if scope is not None:
        charged = charged.filter(member_id__in=scope)
    posted = set(charged.values_list("member_id", flat=True))
    found = amounts.bases_in_force(month, scope)
    bases = {m: b for m, b in found.items() if m in roll and m not in posted}
    dues = amounts.amounts_due(month, {m: (b, roll[m]) for m, b in bases.items()})
    objs = [
        DuesCharge(
            member_id=m, month=month, cell_id=roll[m], amount=due.amount, category=due.category
        )
        for m, due in dues.items()
    ]
    if not objs:
        return []
    try:
        made = bulk_create_with_history(objs, DuesCharge, batch_size=500, default_user=_user(actor))
    except IntegrityError:
        # Posted meanwhile (the daily job and an office at once): the caller tries again.
        raise ValidationError(
            _("The month's dues were being posted meanwhile; try again.")
        ) from None
    # What was paid ahead for the month, kept on the new charges (one statement: the month's
    # charges still at 0 whose member paid something for it).
    paid_ahead = DuesPayment.objects.filter(month=month).values("member_id")
    refresh_paid(DuesCharge.objects.filter(month=month, paid=0, member_id__in=paid_ahead))
    return made  # their `paid` as created (0): the callers count them


@audit.write
def charges_post(*, month: dt.date, unit: OrgUnit | None = None, actor=None) -> int:
    """Post the dues of the month of `month` for every member who owes them (chibo.dues.roll:
    in the Party and officially placed during the month, in `unit`'s subtree when given) and
    has a basis in force, in their cell of the month, unless already posted. Idempotent.
    Returns how many charges were created. One event on the unit, or (every unit) on each
    top unit that got charges."""
    made = _post(month, unit, actor=actor)
    if not made:
        return 0
    shown = months.text(months.first(month))
    if unit is not None:
        audit.record(CHARGES_POSTED, actor=actor, obj=unit, count=number(len(made)), month=shown)
        return len(made)
    counts: dict[int, int] = {}
    cells = {c.cell_id for c in made}
    tops: dict[int, int] = {}
    for part in chunks(cells):
        links = Ancestry.objects.valid(months.last_day(months.first(month))).filter(
            descendant_id__in=part, ancestor__parent__isnull=True
        )
        tops |= dict(links.values_list("descendant_id", "ancestor_id"))
    for charge in made:
        top = tops.get(charge.cell_id, charge.cell_id)
        counts[top] = counts.get(top, 0) + 1
    for top_unit in OrgUnit.all_objects.filter(pk__in=counts):
        audit.record(
            CHARGES_POSTED,
            actor=actor,
            obj=top_unit,
            count=number(counts[top_unit.pk]),
            month=shown,
        )
    return len(made)


# Payments -------------------------------------------------------------------------------------


def check_payment(
    *, amount: Any, month: dt.date, paid_on: dt.date | None, today: dt.date
) -> dict[str, str]:
    """What is wrong with a payment's amount, month and day (by field); shared by the
    services and the statement's check of each row."""
    errors: dict[str, str] = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = _("Give the amount in đồng, a whole number above 0.")
    if paid_on is not None and paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    elif month > months.shift(months.first(paid_on or today), AHEAD_MONTHS):
        errors["month"] = _("Dues are paid at most %(n)d months ahead.") % {"n": AHEAD_MONTHS}
    return errors


def paid_total(member_id: int, month: dt.date) -> int:
    return (
        DuesPayment.objects.filter(member_id=member_id, month=month).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def _new_payment(
    *,
    member: Member,
    month: dt.date,
    amount: int,
    paid_on: dt.date,
    source: str,
    reference: str,
    actor,
) -> DuesPayment:
    payment = DuesPayment(
        member=member,
        month=month,
        amount=amount,
        paid_on=paid_on,
        source=source,
        reference=reference,
        recorded_by=_user(actor),
    )
    _saved(payment, actor)
    add_paid({(member.pk, month): amount})
    audit.record(
        PAYMENT_RECORDED,
        actor=actor,
        obj=payment,
        about=member,
        month=months.text(month),
        amount=number(amount),
        source=Source(source),
    )
    return payment


def _remove_payment(payment: DuesPayment, actor) -> None:
    # Recorded before the row goes (it keeps the id the event names).
    audit.record(
        PAYMENT_DELETED,
        actor=actor,
        obj=payment,
        about=payment.member,
        month=months.text(payment.month),
        amount=number(payment.amount),
        source=Source(payment.source),
    )
    add_paid({(payment.member_id, payment.month): -payment.amount})
    payment._history_user = _user(actor)  # type: ignore[attr-defined]  # read by simple_history
    payment.delete()


@audit.write
def payment_record(
    *,
    member: Member,
    month: dt.date,
    amount: int,
    paid_on: dt.date,
    source: str = Source.TREASURER,
    reference: str = "",
    paid_before: int | None = None,
    actor,
) -> DuesPayment:
    """Money received from the member for the month of `month`. `reference` (a receipt or
    transaction number) makes the same payment recorded twice an error. `paid_before`: the
    total paid for the month that the person saw (the one-tap button on the cell page);
    refused as stale when it changed meanwhile, so a double tap records one payment."""
    month = months.first(month)
    reference = " ".join((reference or "").split())
    errors = check_payment(amount=amount, month=month, paid_on=paid_on, today=timezone.localdate())
    if source not in Source.values:
        errors["source"] = _("Choose a source.")
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = _("The reference has at most %(limit)d characters.") % {
            "limit": REFERENCE_MAX
        }
    if errors:
        raise ValidationError(errors)
    # Serialise the writes for one member: two taps at once see each other's payment.
    Member.all_objects.select_for_update().filter(pk=member.pk).first()
    if paid_before is not None and paid_total(member.pk, month) != paid_before:
        raise ValidationError(
            _("Dues of %(name)s for %(month)s were recorded meanwhile; check the list again.")
            % {"name": member.full_name, "month": months.text(month)},
            code="stale",
        )
    if (
        reference
        and DuesPayment.objects.filter(
            source=source, reference=reference, member=member, month=month
        ).exists()
    ):
        raise ValidationError({"reference": _("This payment is already recorded.")})
    return _new_payment(
        member=member,
        month=month,
        amount=amount,
        paid_on=paid_on,
        source=source,
        reference=reference,
        actor=actor,
    )


@audit.write
def payment_delete(*, payment: DuesPayment, actor) -> None:
    """Delete a payment recorded by mistake. A payment collected at a meeting belongs to the
    meeting's record: it is corrected there."""
    if payment.source == Source.MEETING:
        raise ValidationError(
            _("This payment was collected at a meeting: correct it in the meeting's record.")
        )
    _remove_payment(payment, actor)


def meeting_reference(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


@audit.write
def meeting_payment_set(
    *,
    member: Member,
    month: dt.date,
    amount: int,
    paid_on: dt.date,
    meeting_id: int,
    collected: bool,
    actor,
) -> DuesPayment | None:
    """The ledger's side of a meeting's dues record (chibo.meetings.services.record): dues
    collected write or correct the payment "meeting:<id>" (paid on the meeting's day); not
    collected remove it. Refused when the month is already paid in the ledger another way
    (the treasurer, a statement, an imported ledger), so it is not counted twice."""
    month = months.first(month)
    reference = meeting_reference(meeting_id)
    mine = DuesPayment.objects.filter(
        source=Source.MEETING, reference=reference, member=member, month=month
    ).first()
    if not collected:
        if mine is not None:
            _remove_payment(mine, actor)
        return None
    other = DuesPayment.objects.filter(member=member, month=month)
    if mine is not None:
        other = other.exclude(pk=mine.pk)
    found = other.order_by("pk").first()
    if found is not None:
        raise ValidationError(
            {
                "month": _("Dues for %(month)s are already in the ledger: %(source)s, %(date)s.")
                % {
                    "month": months.text(month),
                    "source": found.get_source_display(),
                    "date": formats.date(found.paid_on),
                }
            }
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("Give the amount in đồng, a whole number above 0.")})
    if mine is None:
        return _new_payment(
            member=member,
            month=month,
            amount=amount,
            paid_on=paid_on,
            source=Source.MEETING,
            reference=reference,
            actor=actor,
        )
    add_paid({(member.pk, month): amount - mine.amount})
    mine.amount, mine.paid_on, mine.recorded_by = amount, paid_on, _user(actor)
    _saved(mine, actor)
    audit.record(
        PAYMENT_RECORDED,
        actor=actor,
        obj=mine,
        about=member,
        month=months.text(month),
        amount=number(amount),
        source=Source.MEETING,
    )
    return mine


# Waivers --------------------------------------------------------------------------------------


@audit.write
def waiver_add(*, member: Member, start: dt.date, end: dt.date, reason: str, actor) -> DuesWaiver:
    """Excuse the member from dues from the month of `start` to the month of `end` (both
    included) for a valid reason: the months are not in arrears and not in the removal
    review."""
    start, end = months.first(start), months.first(end)
    reason = " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if end < start:
        errors["end"] = _("The last month cannot be before the first.")
    if not reason:
        errors["reason"] = _("Give the reason.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason has at most %(limit)d characters.") % {"limit": REASON_MAX}
    if not errors:
        clash = DuesWaiver.objects.filter(member=member, start__lte=end, end__gte=start).first()
        if clash is not None:
            errors["start"] = _("The member is already excused from %(start)s to %(end)s.") % {
                "start": months.text(clash.start),
                "end": months.text(clash.end),
            }
    if errors:
        raise ValidationError(errors)
    waiver = DuesWaiver(
        member=member, start=start, end=end, reason=reason, recorded_by=_user(actor)
    )
    _saved(waiver, actor)
    audit.record(
        WAIVER_ADDED,
        actor=actor,
        obj=waiver,
        about=member,
        start=months.text(start),
        end=months.text(end),
        reason=reason,
    )
    return waiver


@audit.write
def waiver_delete(*, waiver: DuesWaiver, actor) -> None:
    audit.record(
        WAIVER_DELETED,
        actor=actor,
        obj=waiver,
        about=waiver.member,
        start=months.text(waiver.start),
        end=months.text(waiver.end),
    )
    waiver._history_user = _user(actor)  # type: ignore[attr-defined]  # read by simple_history
    waiver.delete()


# Payment statements ---------------------------------------------------------------------------


@dataclass
class StatementResult:
    recorded: int = 0
    already: int = 0
    bad: list[BadRow] = field(default_factory=list)
    plan: StatementPlan | None = None


@audit.write
def statement_import(*, file: NamedFile, unit: OrgUnit, actor) -> StatementResult:
    """Record the payments of a payment statement (chibo.dues.statement: the national public
    service portal's CSV or xlsx export) for the members of `unit`'s subtree. Every row is
    checked first; when any row is bad, nothing is written and the result lists the bad rows.
    A row already recorded (the same reference, member and month) is counted, not recorded
    again, so the same statement imported twice records each payment once."""
    plan = statement_plan(file=file, unit=unit, today=timezone.localdate())
    if plan.bad:
        return StatementResult(0, len(plan.already), plan.bad, plan)
    user = _user(actor)
    objs = [
        DuesPayment(
            member_id=row.member_id,
            month=row.month,
            amount=row.amount,
            paid_on=row.paid_on,
            source=Source.STATEMENT,
            reference=row.reference,
            recorded_by=user,
        )
        for row in plan.to_record
    ]
    try:
        bulk_create_with_history(objs, DuesPayment, batch_size=500, default_user=user)
    except IntegrityError:
        raise ValidationError(
            {"file": _("Some of these payments were recorded meanwhile; import the file again.")}
        ) from None
    deltas: dict[tuple[int, dt.date], int] = {}
    for obj in objs:
        key = (obj.member_id, obj.month)
        deltas[key] = deltas.get(key, 0) + obj.amount
    add_paid(deltas)
    audit.record(
        STATEMENT_IMPORTED,
        actor=actor,
        obj=unit,
        file=plan.name,
        recorded=number(len(objs)),
        already=number(len(plan.already)),
    )
    return StatementResult(len(objs), len(plan.already), [], plan)


# An imported ledger (the `dues` sheet, chibo.dues.importing) ---------------------------------


def import_reference(member_code: str, month: dt.date) -> str:
    """The reference of an imported payment: the sheet row's key, so a re-import finds it."""
    return f"sheet:{member_code}:{months.iso(month)}"


@audit.write
def ledger_import(
    *,
    member: Member,
    month: dt.date,
    amount_due: int | None,
    amount_paid: int | None,
    paid_on: dt.date | None,
    actor,
) -> tuple[bool, list[tuple[str, Any, Any]]]:
    """One month of a member's past ledger: the charge (imported) and what was paid (source
    IMPORT, reference from the row's key). Imported again, the same row changes nothing;
    another amount updates the imported rows. A charge Chibo posted is not replaced by an
    imported one. Returns (created, the changes as (field, old, new))."""
    month = months.first(month)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if amount_due is None and not amount_paid:
        errors["amount_due"] = _("Give the amount due or the amount paid.")
    if amount_paid and paid_on is None:
        paid_on = min(months.last_day(month), today)
    if amount_paid:
        errors |= {
            ("amount_paid" if k == "amount" else k): v
            for k, v in check_payment(
                amount=amount_paid, month=month, paid_on=paid_on, today=today
            ).items()
        }
    if month > months.first(today):
        errors["month"] = _("An imported ledger stops at the current month.")
    if errors:
        raise ValidationError(errors)
    created = False
    changes: list[tuple[str, Any, Any]] = []
    if amount_due is not None:
        charge = DuesCharge.objects.filter(member=member, month=month).first()
        if charge is not None and not charge.imported and charge.amount != amount_due:
            raise ValidationError(
                {
                    "amount_due": _(
                        "Chibo already posted %(amount)s đồng for %(month)s; the import does "
                        "not change it."
                    )
                    % {"amount": number(charge.amount), "month": months.text(month)}
                }
            )
        if charge is None:
            cell = cell_of(member.pk, month)
            if cell is None:
                raise ValidationError(
                    {
                        "month": _("The member was not placed in any cell in %(month)s.")
                        % {"month": months.text(month)}
                    }
                )
            charge = DuesCharge(
                member=member, month=month, cell_id=cell, amount=amount_due, imported=True
            )
            _saved(charge, actor)
            refresh_paid(DuesCharge.objects.filter(pk=charge.pk))  # what was paid before it
            created = True
        elif charge.imported and charge.amount != amount_due:
            changes.append(("amount_due", charge.amount, amount_due))
            charge.amount = amount_due
            _saved(charge, actor, ["amount"])  # not `paid`: the payments' own
    if amount_paid:
        assert paid_on is not None
        reference = import_reference(member.code, month)
        payment = DuesPayment.objects.filter(
            source=Source.IMPORT, reference=reference, member=member, month=month
        ).first()
        if payment is None:
            payment = DuesPayment(
                member=member,
                month=month,
                amount=amount_paid,
                paid_on=paid_on,
                source=Source.IMPORT,
                reference=reference,
                recorded_by=_user(actor),
            )
            _saved(payment, actor)
            add_paid({(member.pk, month): amount_paid})
            created = True
        elif (payment.amount, payment.paid_on) != (amount_paid, paid_on):
            if payment.amount != amount_paid:
                changes.append(("amount_paid", payment.amount, amount_paid))
            if payment.paid_on != paid_on:
                changes.append(("paid_on", payment.paid_on, paid_on))
            add_paid({(member.pk, month): amount_paid - payment.amount})
            payment.amount, payment.paid_on = amount_paid, paid_on
            _saved(payment, actor)
    audit.record(
        LEDGER_IMPORTED,
        actor=actor,
        obj=member,
        month=months.text(month),
        due=number(amount_due or 0),
        paid=number(amount_paid or 0),
    )
    return created, changes
