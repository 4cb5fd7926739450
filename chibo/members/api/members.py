"""Members: the list (search and filters), the audited full record, writes and transfers."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import (
    Conflict,
    Filters,
    InSchema,
    Page,
    UnitRef,
    fields_as,
    today,
    unset,
    version_field,
    versioned_patch,
)
from chibo.members import access
from chibo.org import access as org_access

from .. import queries, services, transfers
from ..models import (
    Gender,
    Member,
    MemberQuerySet,
    Placement,
    Status,
)
from .records import PlacementOut

members = Router(tags=["members"])


class MemberSummary(Schema):
    """What a list shows. Contact details and identity numbers are only in the full record,
    whose every read is audited."""

    id: int
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    home_unit: UnitRef | None
    admitted_on: dt.date | None
    official_on: dt.date | None
    status: Status | None = Field(description="As of today; null before admission.")
    exempt: bool = Field(description="Exempt from activities today.")

    @staticmethod
    def resolve_status(obj: Member) -> str | None:
        return getattr(obj, "status", "") or None


class MemberOut(MemberSummary):
    ethnicity: str
    phone: str
    email: str
    national_id: str | None
    card_number: str | None
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")


class MemberIn(InSchema):
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    ethnicity: str = "Kinh"
    phone: str = ""
    email: str = ""
    national_id: str | None = None
    card_number: str | None = None
    unit: int = Field(description="The cell that will hold the record.")
    admitted_on: dt.date
    official_on: dt.date | None = None
    placed_since: dt.date | None = Field(None, description="Defaults to admitted_on.")
    admission_decision: str = ""
    official_decision: str = ""


class MemberPatch(InSchema):
    code: str = unset()
    full_name: str = unset()
    gender: Gender = unset()
    birth_date: dt.date = unset()
    ethnicity: str = unset()
    phone: str = unset()
    email: str = unset()
    national_id: str | None = unset()
    card_number: str | None = unset()
    version: int = version_field()


class MemberFilters(Filters):
    q: str | None = Field(None, description="Name words, without accents or case.")
    org: str | None = Field(None, description="Unit code: records held in its subtree.")
    status: Status | None = None
    gender: Gender | None = None
    on: dt.date | None = Field(None, description="Date for the status filter; today if unset.")


class MemberTransferIn(InSchema):
    to_unit: int
    left_on: dt.date
    arrived_on: dt.date | None = Field(None, description="Defaults to left_on.")
    letter_number: str = ""


def _member_out(member: Member) -> Member:
    # Status and exemption as of today, computed in SQL exactly as the list does.
    return Member.all_objects.with_status(today()).select_related("home_unit").get(pk=member.pk)


@members.get("", response=list[MemberSummary])
@paginate(Page)
def member_list(request: HttpRequest, filters: Query[MemberFilters]) -> MemberQuerySet:
    user = user_of(request)
    unit = org_access.get_unit_by_code_for(user, filters.org) if filters.org else None
    # The status filter is on `on` (today by default); the status shown is today's.
    qs = queries.member_list(
        user,
        on=filters.on or today(),
        q=filters.q,
        unit=unit,
        status=filters.status,
        gender=filters.gender,
    )
    if filters.on and filters.on != today():
        qs = qs.with_status(today())
    return qs


@members.get("/{member_id}", response=MemberOut)
def member_read(request: HttpRequest, member_id: int) -> Member:
    user = user_of(request)
    member = access.get_member_for(user, member_id)
    access.record_read(user, member, "api")
    return _member_out(member)


@members.post("", response={201: MemberOut})
def member_create(request: HttpRequest, payload: MemberIn) -> Member:
    user = user_of(request)
    unit = org_access.get_unit_for(user, payload.unit, write=True)
    # The service names its event errors `date`: the admission's, unless that date is fine
    # and the official recognition is the one in the future.
    date_field = "official_on" if payload.admitted_on <= today() else "admitted_on"
    with fields_as(date=date_field, start="placed_since"):
        member = services.member_create(
            actor=user,
            profile=payload.model_dump(include=set(services.PROFILE_FIELDS)),
            unit=unit,
            placed_since=payload.placed_since or payload.admitted_on,
            admitted_on=payload.admitted_on,
            official_on=payload.official_on,
            admission_decision=payload.admission_decision,
            official_decision=payload.official_decision,
        )
    return _member_out(member)


@members.patch("/{member_id}", response={200: MemberOut, 409: Conflict})
def member_update(request: HttpRequest, member_id: int, payload: MemberPatch) -> Member:
    user = user_of(request)
    member = access.get_member_for(user, member_id, write=True)
    # Only the fields sent, applied to the record as it is now (two PATCHes of different
    # fields both stay); with `version`, a PATCH made from an older read is refused (409).
    profile, version = versioned_patch(payload)
    return _member_out(
        services.member_update(actor=user, member=member, profile=profile, version=version)
    )


@members.delete("/{member_id}", response={204: None})
def member_delete(request: HttpRequest, member_id: int) -> None:
    user = user_of(request)
    services.member_delete(member=access.get_member_for(user, member_id, write=True), actor=user)


@members.post("/{member_id}/transfer", response={201: PlacementOut})
def member_transfer(request: HttpRequest, member_id: int, payload: MemberTransferIn) -> Placement:
    """Official transfer: the current placement ends on left_on, a new one starts on
    arrived_on in to_unit. Answers the new placement."""
    user = user_of(request)
    member = access.get_member_for(user, member_id, write=True)
    to_unit = org_access.get_unit_for(user, payload.to_unit, write=True)
    with fields_as(unit="to_unit", start="arrived_on", date="left_on"):
        return transfers.member_transfer(
            actor=user,
            member=member,
            to_unit=to_unit,
            left_on=payload.left_on,
            arrived_on=payload.arrived_on,
            letter_number=payload.letter_number,
        )
