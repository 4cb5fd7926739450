"""/api/v1/badges: who is due a badge on an occasion, the awards recorded (and recording a
decision's awards at once), the award occasions (and the special ones offices add)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo import rules
from chibo.accounts.authentication import user_of
from chibo.core.api import Day, InSchema, Page, Year, today
from chibo.members import access as member_access
from chibo.org import access as org_access
from chibo.org.models import Kind, OrgUnit

from . import access, queries, services
from .models import BadgeAward, BadgeOccasion
from .queries import awards_under

badges = Router(tags=["badges"])


class DueRowOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    years: int = Field(description="The badge: years of party age.")
    reason: str = Field(description="due, illness (early) or posthumous.")
    party_age_from: dt.date
    qualifies_on: dt.date = Field(description="The day party age reaches `years`.")
    death_on: dt.date | None
    held_until: dt.date | None = Field(
        description="Held back by a discipline decision until this day (not awardable now)."
    )
    held_by: str


class CountOut(Schema):
    years: int
    reason: str
    held: bool
    count: int


class BadgesDueOut(Schema):
    unit: int
    occasion: dt.date
    occasion_name: str
    counts: list[CountOut]
    rows: list[DueRowOut]


class AwardOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    member_name: str
    years: int
    occasion_date: dt.date
    decision_number: str
    decision_on: dt.date | None
    early: str
    recorded_by: int | None = Field(validation_alias="recorded_by_id")

    @staticmethod
    def resolve_member_name(obj: BadgeAward) -> str:
        return obj.member.full_name


class AwardChoiceIn(InSchema):
    member: int
    years: int


class AwardsIn(InSchema):
    unit: int = Field(description="The unit whose list the members are due in.")
    occasion: dt.date
    decision_number: str = Field(max_length=40)
    decision_on: dt.date
    awards: list[AwardChoiceIn]


class OccasionOut(Schema):
    date: dt.date
    name: str
    special: bool
    id: int | None = Field(validation_alias="pk")
    province: int | None = Field(validation_alias="province_id")


class OccasionIn(InSchema):
    date: dt.date
    name: str = Field(max_length=120)
    province: int | None = Field(None, description="Empty: nationwide (central level only).")


@badges.get("/due", response=BadgesDueOut)
def due(request: HttpRequest, unit: int, occasion: Day | None = None) -> dict:
    """Members of the unit's subtree due a badge on `occasion` (default: the next occasion
    from today on), with early, posthumous and held-back cases."""
    u = access.get_unit_for(user_of(request), unit)
    province = rules.province_of(u, today())
    found = (
        queries.occasion_on(occasion, province)
        if occasion is not None
        else queries.next_occasion(today() - dt.timedelta(days=1), province)
    )
    if found is None:
        raise ValidationError({"occasion": _("Choose a badge award occasion.")})
    listing = queries.due_list(u, found.date)
    counts: dict[tuple[int, str, bool], int] = {}
    for row in listing.rows:
        key = (row.years, row.reason, row.held_until is not None)
        counts[key] = counts.get(key, 0) + 1
    return {
        "unit": u.pk,
        "occasion": found.date,
        "occasion_name": found.name,
        "counts": [
            {"years": y, "reason": r, "held": h, "count": n}
            for (y, r, h), n in sorted(counts.items())
        ],
        "rows": listing.rows,
    }


@badges.get("/awards", response=list[AwardOut])
@paginate(Page)
def award_list(
    request: HttpRequest,
    unit: int | None = None,
    member: int | None = None,
    occasion: Day | None = None,
) -> QuerySet[BadgeAward]:
    """Awards of the member records in scope; `unit` keeps those of its subtree."""
    user = user_of(request)
    rows = access.awards_for(user)
    if unit is not None:
        rows = awards_under(access.get_unit_for(user, unit), rows)
    if member is not None:
        rows = rows.filter(member_id=member)
    if occasion is not None:
        rows = rows.filter(occasion_date=occasion)
    return rows.select_related("member").order_by("-occasion_date", "years", "pk")


@badges.post("/awards", response={201: list[AwardOut]})
def award_create(request: HttpRequest, payload: AwardsIn) -> tuple[int, list[BadgeAward]]:
    """Record one decision's badges; all or nothing."""
    user = user_of(request)
    unit = access.get_unit_for(user, payload.unit, write=True)
    ids = [a.member for a in payload.awards]
    members = member_access.members_for(user).in_bulk(ids)
    unknown = [str(i) for i in ids if i not in members]
    if unknown:
        raise ValidationError(
            {"awards": _("Unknown members: %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    made = services.award_record(
        unit=unit,
        occasion=payload.occasion,
        awards=[(members[a.member], a.years) for a in payload.awards],
        decision_number=payload.decision_number,
        decision_on=payload.decision_on,
        actor=user,
    )
    return 201, made


@badges.get("/occasions", response=list[OccasionOut])
def occasion_list(
    request: HttpRequest, year: Year | None = None, unit: int | None = None
) -> list[queries.Occasion]:
    """The occasions of `year` (default: this year): nationwide, or those of the unit's
    province with `unit`."""
    user = user_of(request)
    org_access.require_staff(user)
    province = None
    if unit is not None:
        province = rules.province_of(access.get_unit_for(user, unit), today())
    return queries.occasions(year or today().year, province)


@badges.post("/occasions", response={201: OccasionOut})
def occasion_create(request: HttpRequest, payload: OccasionIn) -> tuple[int, queries.Occasion]:
    user = user_of(request)
    org_access.require_staff(user)
    province = None
    if payload.province is not None:
        readable = access.provinces_read(user)
        provinces = OrgUnit.objects.filter(kind=Kind.PROVINCE)
        if readable is not None:
            provinces = provinces & readable
        province = provinces.filter(pk=payload.province).first()
        if province is None:
            raise Http404
    if not access.can_add_occasion(user, province):
        raise PermissionDenied
    o: BadgeOccasion = services.occasion_create(
        date=payload.date, name=payload.name, province=province, actor=user
    )
    return 201, queries.Occasion(o.date, o.name, True, o.pk, o.province_id)


@badges.delete("/occasions/{occasion_id}", response={204: None})
def occasion_delete(request: HttpRequest, occasion_id: int) -> tuple[int, None]:
    user = user_of(request)
    services.occasion_delete(
        occasion=access.get_occasion_for(user, occasion_id, write=True), actor=user
    )
    return 204, None
