"""Transfers between cells: the list of a unit's transfers in and out over a period, one
transfer, and the four actions on it (send, accept, cancel, end a temporary one early).
Both sides read a transfer; the sending side cancels it, the receiving side accepts it."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Conflict, Filters, InSchema, Page, UnitRef, today, version_field
from chibo.members import access
from chibo.org import access as org_access

from .. import queries
from .. import transfers as services
from ..models import PlacementKind, Transfer, TransferState

transfers = Router(tags=["transfers"])


class MemberRef(Schema):
    """Who is transferred: enough for the receiving side to know whom it accepts; the full
    record stays with the cell that holds it."""

    id: int
    code: str
    full_name: str


class TransferOut(Schema):
    id: int
    member: MemberRef
    kind: PlacementKind
    from_unit: UnitRef
    to_unit: UnitRef
    letter_number: str
    sent_on: dt.date
    received_on: dt.date | None
    until: dt.date | None = Field(description="Temporary: the first day the member is back.")
    state: TransferState = Field(description="As of now.")
    note: str
    version: int = Field(description="Send it back with the next step to detect a conflict.")
    placement: int | None = Field(
        validation_alias="placement_id", description="The placement made on receiving."
    )
    days_in_transit: int | None = Field(
        description="Sending to receiving; while pending, the days so far (to the list's "
        "date, or today). Null when cancelled."
    )

    @staticmethod
    def resolve_days_in_transit(obj: Transfer) -> int | None:
        return queries.days_in_transit(obj)


class TransferListItem(TransferOut):
    as_of: dt.date = Field(description="The list's report date (`to`).")
    state_on_date: TransferState = Field(
        validation_alias="phase", description="The state as it stood on `as_of`."
    )
    direction: Literal["in", "out", "internal"] | None = Field(
        None, description="Seen from `unit`'s subtree; null without a unit."
    )


class TransferFilters(Filters):
    unit: int | None = Field(None, description="Transfers in and out of this unit's subtree.")
    direction: Literal["in", "out", "internal"] | None = Field(None, description="Needs unit.")
    state: TransferState | None = Field(None, description="The state as it stood on `to`.")
    from_: dt.date | None = Field(
        None, alias="from", description="Start of the period; 1 January of `to`'s year if unset."
    )
    to: dt.date | None = Field(None, description="End of the period and report date; today.")


class TransferIn(InSchema):
    member: int
    kind: PlacementKind = PlacementKind.OFFICIAL
    to_unit: int = Field(description="Any cell in the country; its side accepts.")
    letter_number: str = Field("", max_length=40)
    sent_on: dt.date
    until: dt.date | None = Field(None, description="Temporary only: the first day back.")
    note: str = Field("", max_length=300)


class AcceptIn(InSchema):
    received_on: dt.date
    version: int = version_field()


class EndIn(InSchema):
    on: dt.date = Field(description="The first day the member no longer takes part there.")
    version: int = version_field()


@transfers.get("", response=list[TransferListItem])
@paginate(Page)
def transfer_list(request: HttpRequest, filters: Query[TransferFilters]) -> QuerySet[Transfer]:
    user = user_of(request)
    unit = org_access.get_unit_for(user, filters.unit) if filters.unit is not None else None
    if filters.direction and unit is None:
        raise ValidationError({"direction": _("Give a unit to filter by direction.")})
    end = filters.to or today()
    start = filters.from_ or end.replace(month=1, day=1)
    if start > end:
        raise ValidationError({"from": _("The start of the period is after its end.")})
    return queries.transfer_list(
        access.transfers_for(user),
        unit=unit,
        start=start,
        end=end,
        direction=filters.direction,
        state=filters.state,
    )


@transfers.get("/{transfer_id}", response=TransferOut)
def transfer_read(request: HttpRequest, transfer_id: int) -> Transfer:
    return access.get_transfer_for(user_of(request), transfer_id)


@transfers.post("", response={201: TransferOut})
def transfer_send(request: HttpRequest, payload: TransferIn) -> Transfer:
    """The sending side's letter: needs write access to the member's record."""
    user = user_of(request)
    member = access.get_member_for(user, payload.member, write=True)
    to_unit = access.transfer_targets().filter(pk=payload.to_unit).first()
    if to_unit is None:
        raise ValidationError({"to_unit": _("There is no cell with that id.")})
    return services.transfer_send(
        actor=user,
        member=member,
        kind=payload.kind,
        to_unit=to_unit,
        letter_number=payload.letter_number,
        sent_on=payload.sent_on,
        until=payload.until,
        note=payload.note,
    )


@transfers.post("/{transfer_id}/accept", response={200: TransferOut, 409: Conflict})
def transfer_accept(request: HttpRequest, transfer_id: int, payload: AcceptIn) -> Transfer:
    """By the receiving side."""
    user = user_of(request)
    t = access.get_transfer_for(user, transfer_id, side="receiving")
    return services.transfer_accept(
        actor=user, transfer=t, received_on=payload.received_on, version=payload.version
    )


@transfers.post("/{transfer_id}/cancel", response={200: TransferOut, 409: Conflict})
def transfer_cancel(request: HttpRequest, transfer_id: int, version: int | None = None) -> Transfer:
    """By the sending side, while the transfer waits to be received. No body; `?version=`
    the transfer was read at (409 if it changed since)."""
    user = user_of(request)
    t = access.get_transfer_for(user, transfer_id, side="sending")
    return services.transfer_cancel(actor=user, transfer=t, version=version)


@transfers.post("/{transfer_id}/end", response={200: TransferOut, 409: Conflict})
def transfer_end(request: HttpRequest, transfer_id: int, payload: EndIn) -> Transfer:
    """A received temporary transfer ends early; either side may record it."""
    user = user_of(request)
    t = access.get_transfer_for(user, transfer_id, write=True)
    return services.temporary_end(actor=user, transfer=t, on=payload.on, version=payload.version)
