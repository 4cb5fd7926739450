"""Transfers of a member's activities between cells (chuyển sinh hoạt đảng).

The sending side writes the letter (`transfer_send`); the member is then in transit until
the receiving side accepts (`transfer_accept`). Official: the member leaves the sending cell
on the sending day and counts in no cell until received. Temporary: the record stays where
it is and the member also takes part in the receiving cell from receiving day until `until`.
The placements that make members count in cells are written here and nowhere else, through
members.services, so every count and report sees the transfer the same way."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit, formats
from chibo.core.versions import check_version
from chibo.org.models import OrgUnit

from . import services
from .models import (
    IN_PARTY,
    EventKind,
    Member,
    Placement,
    PlacementKind,
    Transfer,
    TransferState,
)
from .reminders import transfer_sent
from .services.transfer_kinds import (  # declared among the services: see that module
    TEMPORARY_ENDED,
    TRANSFER_CANCELLED,
    TRANSFER_SENT,
    TRANSFERRED,
    TRANSFERRED_TEMPORARILY,
)


def _record(key: str, t: Transfer, *, actor, date: dt.date, **facts) -> None:
    audit.record(
        key,
        actor=actor,
        obj=t,
        about=t.member,
        source=t.from_unit.name,
        target=t.to_unit.name,
        kind=PlacementKind(t.kind),
        date=date,
        **facts,
    )


def _date(day: dt.date) -> str:
    return formats.date(day)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _in_party(member: Member, day: dt.date, field: str) -> None:
    status = (
        Member.all_objects.with_status(day)
        .filter(pk=member.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status not in IN_PARTY:
        raise ValidationError(
            {field: _("The member is not in the Party on %(date)s.") % {"date": _date(day)}}
        )


@contextmanager
def _fields_as(**names: str) -> Iterator[None]:
    """The placement and event services name their dates `start` and `date`; here they are
    the transfer's own dates."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()}) from None


def _send(
    *,
    actor,
    member: Member,
    kind: str,
    to_unit: OrgUnit,
    letter_number: str,
    sent_on: dt.date,
    until: dt.date | None,
    note: str,
    letter_required: bool,
) -> Transfer:
    letter_number = " ".join(letter_number.split())
    note = note.strip()
    if kind not in PlacementKind.values:
        raise ValidationError({"kind": _("Choose an official or a temporary transfer.")})
    if letter_required and not letter_number:
        raise ValidationError({"letter_number": _("Give the number of the transfer letter.")})
    _not_future(sent_on, "sent_on")
    # One transfer at a time per member: lock the member so that two senders cannot both
    # find no pending transfer.
    Member.all_objects.select_for_update().filter(pk=member.pk).first()
    if Transfer.objects.filter(member=member, state=TransferState.PENDING).exists():
        raise ValidationError(
            _(
                "This member already has a transfer waiting to be received: receive or "
                "cancel it first."
            )
        )
    current = (
        Placement.objects.select_for_update()
        .filter(member=member, kind=PlacementKind.OFFICIAL, end__isnull=True)
        .select_related("unit")
        .first()
    )
    if current is None:
        raise ValidationError(_("The member has no current official placement to transfer from."))
    services.check_cell(to_unit, "to_unit")
    if current.unit_id == to_unit.pk:
        raise ValidationError({"to_unit": _("The member is already placed in that cell.")})
    if kind == PlacementKind.OFFICIAL and sent_on <= current.start:
        raise ValidationError(
            {"sent_on": _("The leaving date must be after the current placement began.")}
        )
    if kind == PlacementKind.TEMPORARY and sent_on < current.start:
        raise ValidationError(
            {"sent_on": _("The sending date is before the current placement began.")}
        )
    _in_party(member, sent_on, "sent_on")
    if kind == PlacementKind.TEMPORARY:
        if until is None:
            raise ValidationError({"until": _("Give the date the temporary transfer ends.")})
        if until <= sent_on:
            raise ValidationError(
                {"until": _("A temporary transfer must end after the sending date.")}
            )
    elif until is not None:
        raise ValidationError({"until": _("Only a temporary transfer has an end date.")})
    transfer = Transfer(
        member=member,
        kind=kind,
        from_unit=current.unit,
        to_unit=to_unit,
        letter_number=letter_number,
        sent_on=sent_on,
        until=until,
        note=note,
    )
    transfer.full_clean(exclude=[] if letter_required else ["letter_number"])
    transfer.save()
    if kind == PlacementKind.OFFICIAL:
        # The member leaves the sending cell today and is in transit until received.
        services.placement_update(actor=actor, placement=current, end=sent_on)
    return transfer


@audit.write
def transfer_send(
    *,
    actor,
    member: Member,
    kind: str,
    to_unit: OrgUnit,
    letter_number: str,
    sent_on: dt.date,
    until: dt.date | None = None,
    note: str = "",
    notify: bool = True,
) -> Transfer:
    """The sending side's letter. Official: the member's official placement ends on
    `sent_on`. Temporary: nothing changes until the receiving cell accepts. `notify`: tell
    the receiving side (not for a transfer entered as history, received already)."""
    transfer = _send(
        actor=actor,
        member=member,
        kind=kind,
        to_unit=to_unit,
        letter_number=letter_number,
        sent_on=sent_on,
        until=until,
        note=note,
        letter_required=True,
    )
    if notify:
        transfer_sent(transfer)
    _record(TRANSFER_SENT, transfer, actor=actor, date=sent_on)
    return transfer


def _pending(transfer: Transfer, message: str, version: int | None) -> Transfer:
    # Claimed first (core.versions): a step taken from a page read before another person's
    # step is refused as stale, and the row is locked until the end of the transaction.
    check_version(transfer, version)
    locked = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
    if locked.state != TransferState.PENDING:
        raise ValidationError(message)
    return locked


@audit.write
def transfer_accept(
    *, actor, transfer: Transfer, received_on: dt.date, version: int | None = None
) -> Transfer:
    """The receiving cell takes the member in from `received_on`. `version`: the one the
    person read (core.versions), here and in the other steps."""
    t = _pending(transfer, _("Only a transfer waiting to be received can be accepted."), version)
    _not_future(received_on, "received_on")
    if received_on < t.sent_on:
        raise ValidationError({"received_on": _("The receiving date is before the sending date.")})
    if t.until is not None and received_on >= t.until:
        raise ValidationError(
            {
                "received_on": _(
                    "The temporary transfer ends on %(date)s: it cannot be received that day "
                    "or later."
                )
                % {"date": _date(t.until)}
            }
        )
    services.check_cell(t.to_unit, "to_unit")
    _in_party(t.member, received_on, "received_on")
    with _fields_as(start="received_on", end="until"):
        if t.kind == PlacementKind.OFFICIAL:
            t.placement = services.placement_create(
                actor=actor,
                member=t.member,
                unit=t.to_unit,
                start=received_on,
                letter_number=t.letter_number,
            )
            services.event_create(
                actor=actor,
                member=t.member,
                kind=EventKind.TRANSFERRED,
                date=t.sent_on,
                decision_number=t.letter_number,
                note=f"{t.from_unit.code} → {t.to_unit.code}",
            )
        else:
            t.placement = services.placement_create(
                actor=actor,
                member=t.member,
                unit=t.to_unit,
                kind=PlacementKind.TEMPORARY,
                start=received_on,
                end=t.until,
                letter_number=t.letter_number,
                note=t.note,
            )
    t.received_on = received_on
    t.state = TransferState.ACCEPTED
    t.save()
    if t.kind == PlacementKind.OFFICIAL:
        _record(TRANSFERRED, t, actor=actor, date=received_on, sent=t.sent_on)
    else:
        _record(TRANSFERRED_TEMPORARILY, t, actor=actor, date=received_on, until=t.until)
    return t


@audit.write
def member_transfer(
    *,
    actor,
    member: Member,
    to_unit: OrgUnit,
    left_on: dt.date,
    arrived_on: dt.date | None = None,
    letter_number: str = "",
) -> Placement:
    """Official transfer sent and received at once (an office that writes both cells, or a
    past transfer entered afterwards): the current official placement ends on `left_on`; the
    new one starts on `arrived_on` (the gap between them is the time in transit). Goes
    through the steps of any transfer; the letter number may be missing here."""
    arrived_on = arrived_on or left_on
    if arrived_on < left_on:
        raise ValidationError({"arrived_on": _("The arrival date is before the leaving date.")})
    names = {"sent_on": "left_on", "received_on": "arrived_on"}
    try:
        sent = _send(
            actor=actor,
            member=member,
            kind=PlacementKind.OFFICIAL,
            to_unit=to_unit,
            letter_number=letter_number,
            sent_on=left_on,
            until=None,
            note="",
            letter_required=False,
        )
        received = transfer_accept(actor=actor, transfer=sent, received_on=arrived_on)
    except ValidationError as e:
        if not hasattr(e, "error_dict"):
            raise
        raise ValidationError({names.get(k, k): v for k, v in e.error_dict.items()}) from None
    assert received.placement is not None
    # One event for the whole move (the letter and its reception are one write here).
    _record(TRANSFERRED, received, actor=actor, date=arrived_on, sent=left_on)
    return received.placement


@audit.write
def transfer_cancel(*, actor, transfer: Transfer, version: int | None = None) -> Transfer:
    """The letter is withdrawn before it was received. Official: the member is back in the
    sending cell as if never sent (the placement ended on sending day runs on)."""
    t = _pending(transfer, _("Only a transfer waiting to be received can be cancelled."), version)
    if t.kind == PlacementKind.OFFICIAL:
        sending = (
            Placement.objects.select_for_update()
            .filter(member=t.member, kind=PlacementKind.OFFICIAL, unit=t.from_unit, end=t.sent_on)
            .order_by("-start", "-pk")
            .first()
        )
        if sending is None:
            raise ValidationError(
                _(
                    "The placement in the sending cell was changed after the transfer was "
                    "sent; correct the placements on the member's page."
                )
            )
        services.placement_update(actor=actor, placement=sending, end=None)
    t.state = TransferState.CANCELLED
    t.save()
    _record(TRANSFER_CANCELLED, t, actor=actor, date=t.sent_on)
    return t


@audit.write
def temporary_end(
    *, actor, transfer: Transfer, on: dt.date, version: int | None = None
) -> Transfer:
    """A received temporary transfer ends early: the member stops taking part in the
    receiving cell on `on`."""
    check_version(transfer, version)
    t = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
    placement = (
        Placement.all_objects.select_for_update().filter(pk=t.placement_id).first()
        if t.placement_id
        else None
    )
    if (
        t.kind != PlacementKind.TEMPORARY
        or t.state != TransferState.ACCEPTED
        or placement is None
        or placement.is_deleted
    ):
        raise ValidationError(_("Only a received temporary transfer can be ended early."))
    _not_future(on, "on")
    if on <= placement.start:
        raise ValidationError(
            {
                "on": _("The end must come after the member was received, on %(date)s.")
                % {"date": _date(placement.start)}
            }
        )
    if placement.end is not None and on >= placement.end:
        raise ValidationError(
            {
                "on": _("The temporary transfer already ends on %(date)s.")
                % {"date": _date(placement.end)}
            }
        )
    services.placement_update(actor=actor, placement=placement, end=on)
    t.until = on
    t.save()
    _record(TEMPORARY_ENDED, t, actor=actor, date=on)
    return t
