"""Rows of the transfers sheet, through chibo.members.transfers as on the transfer pages: the
sending side sends the letter (the member leaves the sending cell that day, for an official
transfer); the receiving side takes the member in on the receiving day, or the transfer stays
pending. The same access as the pages: the member's record in the user's units to send; the
receiving cell in them to record the reception."""

from typing import Any

from django.utils.translation import gettext as _

from chibo.core.formats import date
from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Key,
    Outcome,
    Parsed,
    Values,
    day_of,
    fail,
    kept,
    on_column,
    record,
)
from chibo.org.importing import writable_unit, writable_units

from ..access import transfer_targets
from ..models import Placement, PlacementKind, Transfer, TransferState
from ..transfers import transfer_accept, transfer_send
from .lookups import writable_member
from .sheets import TRANSFERS


def transfer_key(v: Values) -> Key:
    return (v["member_code"], v["letter_number"], v["sent_on"])


def _by_sending_date(items: list[Parsed]) -> list[Parsed]:
    """A member's transfers in the order they were sent: each leaves from where the one
    before arrived."""
    return sorted(items, key=lambda i: (day_of(i.values.get("sent_on")), i.number))


def _receive(ctx: Context, transfer: Transfer, received_on) -> None:
    if not writable_units(ctx).filter(pk=transfer.to_unit_id).exists():
        fail(
            _(
                "%(cell)s is not one of your units: its office records the reception. Leave "
                "the receiving date empty."
            )
            % {"cell": transfer.to_unit.code},
            "received_on",
        )
    with on_column("received_on"):
        transfer_accept(actor=ctx.actor, transfer=transfer, received_on=received_on)


def _check_sender(member, from_unit) -> None:
    """The sending cell is the one holding the record when the letter is sent (the service
    sends from there: a row naming another cell is a mistake, not a wish)."""
    if Transfer.objects.filter(member=member, state=TransferState.PENDING).exists():
        return  # the service says so
    current = (
        Placement.objects.filter(member=member, kind=PlacementKind.OFFICIAL, end__isnull=True)
        .select_related("unit")
        .first()
    )
    if current is not None and current.unit_id != from_unit.pk:
        fail(
            _(
                "The member's record is held in %(held)s (%(code)s), not in the sending cell "
                "of this row. List a member's transfers in the order they were sent."
            )
            % {"held": current.unit.name, "code": current.unit.code},
            "from_code",
        )


def _apply_transfer(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    from_unit = writable_unit(ctx, v["from_code"], "from_code")
    to_unit = transfer_targets().filter(code__iexact=v["to_code"]).first()
    if to_unit is None:
        fail(_("No cell with code %(code)s.") % {"code": v["to_code"]}, "to_code")
    label = record(
        member.code, member.full_name, f"{from_unit.code} → {to_unit.code}", date(v["sent_on"])
    )
    existing = (
        Transfer.objects.filter(
            member=member, letter_number=v["letter_number"], sent_on=v["sent_on"]
        )
        .select_related("from_unit", "to_unit")
        .first()
    )
    if existing is None:
        _check_sender(member, from_unit)
        with on_column("sent_on"):
            transfer = transfer_send(
                actor=ctx.actor,
                member=member,
                kind=v["kind"],
                to_unit=to_unit,
                letter_number=v["letter_number"],
                sent_on=v["sent_on"],
                until=v["until"],
                notify=not v["received_on"],  # history already received tells no one
            )
        if v["received_on"]:
            _receive(ctx, transfer, v["received_on"])
        return Outcome(CREATE, label)

    if existing.state == TransferState.CANCELLED:
        fail(_("This transfer was cancelled in Chibo."), "letter_number")
    stored: dict[str, Any] = {
        "kind": existing.kind,
        "from_code": existing.from_unit.code,
        "to_code": existing.to_unit.code,
        "until": existing.until,
    }
    given = {"kind": v["kind"], "from_code": from_unit.code, "to_code": to_unit.code}
    given["until"] = v["until"]
    for key, value in given.items():
        if value not in ("", None) and value != stored[key]:
            kept(TRANSFERS, key, stored[key])
    if not v["received_on"]:
        return Outcome(UNCHANGED, label)
    if existing.received_on is not None:
        if existing.received_on != v["received_on"]:
            kept(TRANSFERS, "received_on", existing.received_on)
        return Outcome(UNCHANGED, label)
    _receive(ctx, existing, v["received_on"])
    return Outcome(UPDATE, label, [("received_on", None, v["received_on"])])


TRANSFER_HANDLER = Handler(
    sheet=TRANSFERS,
    key=transfer_key,
    apply=_apply_transfer,
    order=_by_sending_date,
    fields={
        "member": "member_code",
        "kind": "kind",
        "from_unit": "from_code",
        "to_unit": "to_code",
        "letter_number": "letter_number",
        "sent_on": "sent_on",
        "received_on": "received_on",
        "until": "until",
        # The placements the transfer writes.
        "start": "received_on",
        "end": "until",
    },
)
