"""The dated records of a member: placements, events and positions. Each is scoped through
its member (access.get_*_for); places it points at need write scope of their own."""

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.accounts.models import User
from chibo.core.api import (
    Conflict,
    Filters,
    InSchema,
    Page,
    patch_data,
    today,
    unset,
    version_field,
)
from chibo.members import access
from chibo.org import access as org_access
from chibo.org.models import OrgUnit, Village

from .. import services
from ..models import (
    EventKind,
    ExemptionReason,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    PositionKind,
)

events = Router(tags=["events"])
placements = Router(tags=["placements"])
positions = Router(tags=["positions"])


def _writable_unit(user: User, pk: int | None) -> OrgUnit | None:
    return None if pk is None else org_access.get_unit_for(user, pk, write=True)


def _writable_village(user: User, pk: int | None) -> Village | None:
    return None if pk is None else org_access.get_village_for(user, pk, write=True)


# Placements -----------------------------------------------------------------------------------


class PlacementOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    unit: int = Field(validation_alias="unit_id")
    party_group: int | None = Field(validation_alias="party_group_id")
    kind: PlacementKind
    start: dt.date
    end: dt.date | None
    letter_number: str
    note: str
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class PlacementIn(InSchema):
    member: int
    unit: int
    kind: PlacementKind = PlacementKind.OFFICIAL
    start: dt.date
    end: dt.date | None = None
    party_group: int | None = None
    letter_number: str = ""
    note: str = ""


class PlacementPatch(InSchema):
    unit: int = unset()
    party_group: int | None = unset()
    kind: PlacementKind = unset()
    start: dt.date = unset()
    end: dt.date | None = unset()
    letter_number: str = unset()
    note: str = unset()
    version: int = version_field()


class PlacementFilters(Filters):
    member: int | None = None
    unit: int | None = None
    kind: PlacementKind | None = None
    current: bool | None = Field(None, description="true: only those active today.")


@placements.get("", response=list[PlacementOut])
@paginate(Page)
def placement_list(request: HttpRequest, filters: Query[PlacementFilters]) -> QuerySet[Placement]:
    qs = access.placements_for(user_of(request))
    if filters.member is not None:
        qs = qs.filter(member_id=filters.member)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.current:
        qs = qs.active_on(today())  # type: ignore[attr-defined]
    return qs.order_by("start", "pk")


@placements.get("/{placement_id}", response=PlacementOut)
def placement_read(request: HttpRequest, placement_id: int) -> Placement:
    return access.get_placement_for(user_of(request), placement_id)


@placements.post("", response={201: PlacementOut})
def placement_create(request: HttpRequest, payload: PlacementIn) -> Placement:
    user = user_of(request)
    member = access.get_member_for(user, payload.member, write=True)
    return services.placement_create(
        actor=user,
        member=member,
        unit=org_access.get_unit_for(user, payload.unit, write=True),
        party_group=_writable_unit(user, payload.party_group),
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        letter_number=payload.letter_number,
        note=payload.note,
    )


@placements.patch("/{placement_id}", response={200: PlacementOut, 409: Conflict})
def placement_update(request: HttpRequest, placement_id: int, payload: PlacementPatch) -> Placement:
    user = user_of(request)
    placement = access.get_placement_for(user, placement_id, write=True)
    data = patch_data(payload)
    for field in ("unit", "party_group"):
        if field in data:
            data[field] = _writable_unit(user, data[field])
    return services.placement_update(actor=user, placement=placement, **data)


@placements.delete("/{placement_id}", response={204: None})
def placement_delete(request: HttpRequest, placement_id: int) -> None:
    user = user_of(request)
    placement = access.get_placement_for(user, placement_id, write=True)
    services.placement_delete(placement=placement, actor=user)


# Events ---------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    kind: EventKind
    date: dt.date
    end_date: dt.date | None
    reason: ExemptionReason | Literal[""]
    decision_number: str
    note: str
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class EventIn(InSchema):
    member: int
    kind: EventKind
    date: dt.date
    end_date: dt.date | None = None
    reason: ExemptionReason | Literal[""] = Field("", description="An exemption's reason.")
    decision_number: str = ""
    note: str = ""


class EventPatch(InSchema):
    kind: EventKind = unset()
    date: dt.date = unset()
    end_date: dt.date | None = unset()
    reason: ExemptionReason | Literal[""] = unset()
    decision_number: str = unset()
    note: str = unset()
    version: int = version_field()


class EventFilters(Filters):
    member: int | None = None
    kind: EventKind | None = None


@events.get("", response=list[EventOut])
@paginate(Page)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[MemberEvent]:
    qs = access.events_for(user_of(request))
    if filters.member is not None:
        qs = qs.filter(member_id=filters.member)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("date", "pk")


@events.get("/{event_id}", response=EventOut)
def event_read(request: HttpRequest, event_id: int) -> MemberEvent:
    return access.get_event_for(user_of(request), event_id)


@events.post("", response={201: EventOut})
def event_create(request: HttpRequest, payload: EventIn) -> MemberEvent:
    user = user_of(request)
    member = access.get_member_for(user, payload.member, write=True)
    access.check_event_kind(user, member, payload.kind)
    return services.event_create(
        actor=user, member=member, **payload.model_dump(exclude={"member"})
    )


@events.patch("/{event_id}", response={200: EventOut, 409: Conflict})
def event_update(request: HttpRequest, event_id: int, payload: EventPatch) -> MemberEvent:
    user = user_of(request)
    event = access.get_event_for(user, event_id, write=True)
    changes = patch_data(payload)
    access.check_event_kind(user, event.member, event.kind, changes.get("kind", event.kind))
    return services.event_update(actor=user, event=event, **changes)


@events.delete("/{event_id}", response={204: None})
def event_delete(request: HttpRequest, event_id: int) -> None:
    user = user_of(request)
    event = access.get_event_for(user, event_id, write=True)
    access.check_event_kind(user, event.member, event.kind)
    services.event_delete(event=event, actor=user)


# Positions ------------------------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    kind: PositionKind
    unit: int | None = Field(validation_alias="unit_id")
    village: int | None = Field(validation_alias="village_id")
    start: dt.date
    end: dt.date | None
    decision_number: str
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class PositionIn(InSchema):
    member: int
    kind: PositionKind
    unit: int | None = Field(None, description="For a party post.")
    village: int | None = Field(None, description="For a village post.")
    start: dt.date
    end: dt.date | None = None
    decision_number: str = ""


class PositionPatch(InSchema):
    kind: PositionKind = unset()
    unit: int | None = unset()
    village: int | None = unset()
    start: dt.date = unset()
    end: dt.date | None = unset()
    decision_number: str = unset()
    version: int = version_field()


class PositionFilters(Filters):
    member: int | None = None
    unit: int | None = None
    village: int | None = None
    kind: PositionKind | None = None
    current: bool | None = Field(None, description="true: only those held today.")


@positions.get("", response=list[PositionOut])
@paginate(Page)
def position_list(request: HttpRequest, filters: Query[PositionFilters]) -> QuerySet[Position]:
    qs = access.positions_for(user_of(request))
    for field in ("member", "unit", "village"):
        if getattr(filters, field) is not None:
            qs = qs.filter(**{f"{field}_id": getattr(filters, field)})
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.current:
        qs = qs.held_on(today())  # type: ignore[attr-defined]
    return qs.order_by("-start", "pk")


@positions.get("/{position_id}", response=PositionOut)
def position_read(request: HttpRequest, position_id: int) -> Position:
    return access.get_position_for(user_of(request), position_id)


@positions.post("", response={201: PositionOut})
def position_create(request: HttpRequest, payload: PositionIn) -> Position:
    user = user_of(request)
    member = access.get_member_for(user, payload.member, write=True)
    return services.position_create(
        actor=user,
        member=member,
        kind=payload.kind,
        unit=_writable_unit(user, payload.unit),
        village=_writable_village(user, payload.village),
        start=payload.start,
        end=payload.end,
        decision_number=payload.decision_number,
    )


@positions.patch("/{position_id}", response={200: PositionOut, 409: Conflict})
def position_update(request: HttpRequest, position_id: int, payload: PositionPatch) -> Position:
    user = user_of(request)
    position = access.get_position_for(user, position_id, write=True)
    data = patch_data(payload)
    if "unit" in data:
        data["unit"] = _writable_unit(user, data["unit"])
    if "village" in data:
        data["village"] = _writable_village(user, data["village"])
    return services.position_update(actor=user, position=position, **data)


@positions.delete("/{position_id}", response={204: None})
def position_delete(request: HttpRequest, position_id: int) -> None:
    user = user_of(request)
    position = access.get_position_for(user, position_id, write=True)
    services.position_delete(position=position, actor=user)
