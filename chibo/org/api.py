"""JSON API for the organisation tree: units and villages. Each endpoint: access helper,
service, schema."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import (
    Conflict,
    Filters,
    InSchema,
    Page,
    SchemaName,
    today,
    unset,
    version_field,
    versioned_patch,
)

from . import access, services
from .models import CellType, Kind, OrgUnit, Sector, Village, VillageKind

units = Router(tags=["units"])
villages = Router(tags=["villages"])

# The component is "UnitKind": a meeting has its `Kind` too.
UnitKind = Annotated[Kind, SchemaName("UnitKind")]


# Units ----------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    cell_type: CellType | Literal[""]
    sector: Sector | Literal[""]
    parent: int | None = Field(validation_alias="parent_id")
    depth: int
    founded_on: dt.date | None
    dissolved_on: dt.date | None
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class UnitIn(InSchema):
    code: str
    name: str
    kind: UnitKind
    parent: int | None = None
    cell_type: CellType | Literal[""] = ""
    sector: Sector | Literal[""] = Field(
        "", description="Base committees and base cells only (khối, loại hình)."
    )
    founded_on: dt.date | None = None


class UnitPatch(InSchema):
    name: str = unset()
    cell_type: CellType | Literal[""] = unset()
    sector: Sector | Literal[""] = unset()
    founded_on: dt.date | None = unset()
    dissolved_on: dt.date | None = unset()
    version: int = version_field()


class UnitFilters(Filters):
    kind: UnitKind | None = None
    parent: int | None = Field(None, description="Only the direct sub-units of this unit id.")
    within: str | None = Field(None, description="Only this unit (by code) and its subtree.")


class UnitMoveIn(InSchema):
    parent: int
    on: dt.date | None = Field(None, description="The day the move takes effect; today if unset.")


def _ordered(qs: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    # Names repeat across the tree; the pk makes pages stable.
    return qs.order_by("depth", "sort_name", "pk")


@units.get("", response=list[UnitOut])
@paginate(Page)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> QuerySet[OrgUnit]:
    user = user_of(request)
    qs = access.units_for(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.within:
        top = access.get_unit_by_code_for(user, filters.within)
        qs = qs.filter(pk__in=OrgUnit.objects.within(top).values("pk"))
    return _ordered(qs)


@units.get("/{unit_id}", response=UnitOut)
def unit_read(request: HttpRequest, unit_id: int) -> OrgUnit:
    return access.get_unit_for(user_of(request), unit_id)


@units.post("", response={201: UnitOut})
def unit_create(request: HttpRequest, payload: UnitIn) -> OrgUnit:
    user = user_of(request)
    if payload.parent is not None:
        parent = access.get_unit_for(user, payload.parent, write=True)
    elif access.can_create_root(user):
        parent = None
    else:
        raise PermissionDenied
    return services.orgunit_create(
        actor=user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        cell_type=payload.cell_type,
        sector=payload.sector,
        founded_on=payload.founded_on,
    )


@units.patch("/{unit_id}", response={200: UnitOut, 409: Conflict})
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatch) -> OrgUnit:
    user = user_of(request)
    unit = access.get_unit_for(user, unit_id, write=True)
    changes, version = versioned_patch(payload)
    if (
        "dissolved_on" in changes
        and changes["dissolved_on"] != unit.dissolved_on
        and not access.can_restructure(user, unit)
    ):
        raise PermissionDenied  # dissolving changes the tree (as the edit page, access.py)
    # Only the fields sent: the service applies them to the unit as it is now.
    return services.orgunit_update(actor=user, unit=unit, version=version, **changes)


@units.delete("/{unit_id}", response={204: None})
def unit_delete(request: HttpRequest, unit_id: int) -> None:
    user = user_of(request)
    unit = access.get_unit_to_restructure(user, unit_id)
    services.orgunit_delete(unit=unit, actor=user)


@units.get("/{unit_id}/children", response=list[UnitOut])
@paginate(Page)
def unit_children(request: HttpRequest, unit_id: int) -> QuerySet[OrgUnit]:
    user = user_of(request)
    unit = access.get_unit_for(user, unit_id)
    return _ordered(access.units_for(user).filter(parent=unit))


@units.post("/{unit_id}/move", response=UnitOut)
def unit_move(request: HttpRequest, unit_id: int, payload: UnitMoveIn) -> OrgUnit:
    """Put the unit, with its subtree, under another parent from a date; reports on earlier
    dates still see it where it was."""
    user = user_of(request)
    unit = access.get_unit_to_restructure(user, unit_id)
    parent = access.get_unit_for(user, payload.parent, write=True)
    return services.orgunit_move(actor=user, unit=unit, new_parent=parent, on=payload.on or today())


# Villages -------------------------------------------------------------------------------------


class VillageOut(Schema):
    id: int
    cell: int = Field(validation_alias="cell_id")
    name: str
    kind: VillageKind
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class VillageIn(InSchema):
    cell: int
    name: str
    kind: VillageKind = VillageKind.VILLAGE


class VillagePatch(InSchema):
    name: str = unset()
    kind: VillageKind = unset()
    version: int = version_field()


class VillageFilters(Filters):
    cell: int | None = None


@villages.get("", response=list[VillageOut])
@paginate(Page)
def village_list(request: HttpRequest, filters: Query[VillageFilters]) -> QuerySet[Village]:
    qs = access.villages_for(user_of(request))
    if filters.cell is not None:
        qs = qs.filter(cell_id=filters.cell)
    return qs.order_by("name", "pk")


@villages.get("/{village_id}", response=VillageOut)
def village_read(request: HttpRequest, village_id: int) -> Village:
    return access.get_village_for(user_of(request), village_id)


@villages.post("", response={201: VillageOut})
def village_create(request: HttpRequest, payload: VillageIn) -> Village:
    user = user_of(request)
    cell = access.get_unit_for(user, payload.cell, write=True)
    return services.village_create(actor=user, cell=cell, name=payload.name, kind=payload.kind)


@villages.patch("/{village_id}", response={200: VillageOut, 409: Conflict})
def village_update(request: HttpRequest, village_id: int, payload: VillagePatch) -> Village:
    user = user_of(request)
    village = access.get_village_for(user, village_id, write=True)
    changes, version = versioned_patch(payload)
    return services.village_update(actor=user, village=village, version=version, **changes)


@villages.delete("/{village_id}", response={204: None})
def village_delete(request: HttpRequest, village_id: int) -> None:
    user = user_of(request)
    village = access.get_village_for(user, village_id, write=True)
    services.village_delete(village=village, actor=user)
