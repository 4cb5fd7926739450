"""Who reads and writes the annual evaluation. Built on chibo.org.scope: the same scopes,
filtered in SQL, used by the pages and the API alike.

- read a campaign: a reading role (office, viewer, secretary) on its unit, on a unit above it,
  or on a unit below it (a cell's secretary reads the campaign that rates the cell); the rows
  shown are those of the units in the reader's scope (the cell's members, for its secretary);
- open a campaign, decide, record an override, publish, refresh: an office on the campaign's
  unit or above it;
- propose a level (the cell's discussion and vote): a writing role on the cell a member is
  rated in, or on the unit rated (its secretary, or an office above it);
- a self-assessment: a member reads and writes only their own; the readers of a row read the
  member's self-assessment (never write it).

Outside the scope a record does not exist (404); readable but not writable is 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from chibo.accounts.models import Role, RoleGrant
from chibo.org import access as org_access
from chibo.org.models import Ancestry, Kind, OrgUnit
from chibo.org.scope import fetch, granted, scope_units

from .models import Campaign, Evaluation, SelfAssessment

# Units that open a campaign (the base cell rates its members; the others their members and
# the party organisations below them).
CAMPAIGN_KINDS = {Kind.PROVINCE, Kind.DISTRICT, Kind.BASE_COMMITTEE, Kind.BASE_CELL}


def require_staff(user) -> None:
    org_access.require_staff(user)


def _office_grants(user) -> QuerySet:
    return RoleGrant.objects.filter(user_id=user.pk, role=Role.OFFICE).values("unit_id")


def managed_units(user) -> QuerySet | None:
    """Ids of the units whose campaigns the user manages (an office on them or above them);
    None: all (superuser)."""
    if user.is_superuser:
        return None
    return (
        Ancestry.objects.valid()
        .filter(ancestor_id__in=_office_grants(user))
        .values("descendant_id")
    )


def can_manage_unit(user, unit: OrgUnit | int) -> bool:
    """Opens, decides, overrides and publishes the campaigns of `unit`."""
    if user.is_superuser:
        return True
    pk = unit if isinstance(unit, int) else unit.pk
    return (
        Ancestry.objects.valid()
        .filter(descendant_id=pk, ancestor_id__in=_office_grants(user))
        .exists()
    )


def can_manage(user, campaign: Campaign) -> bool:
    return can_manage_unit(user, campaign.unit_id)


def can_open(user, unit: OrgUnit) -> bool:
    return unit.kind in CAMPAIGN_KINDS and can_manage_unit(user, unit)


def units_to_open(user) -> QuerySet[OrgUnit]:
    """The units the user may open a campaign for."""
    qs = OrgUnit.objects.filter(kind__in=CAMPAIGN_KINDS)
    managed = managed_units(user)
    return qs if managed is None else qs.filter(pk__in=managed)


# Campaigns ------------------------------------------------------------------------------------


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns whose unit is in the user's reading scope, or above a unit in it."""
    qs = Campaign.objects.select_related("unit")
    if user.is_superuser:
        return qs
    above = Ancestry.objects.valid().filter(descendant_id__in=granted(user)).values("ancestor_id")
    return qs.filter(Q(unit_id__in=scope_units(user)) | Q(unit_id__in=above))


def campaigns_managed(user) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("unit")
    managed = managed_units(user)
    return qs if managed is None else qs.filter(unit_id__in=managed)


def get_campaign_for(user, pk, *, write: bool = False) -> Campaign:
    """A campaign the user reads (404 otherwise; 403 for a member with no unit role); with
    `write`, one they manage (403 otherwise)."""
    require_staff(user)
    return fetch(campaigns_for(user), campaigns_managed(user), pk, write=write)


# Evaluations ----------------------------------------------------------------------------------


def _rows_in(scope: QuerySet) -> Q:
    """A member's row by the cell they are rated in; a unit's row by the unit."""
    return Q(cell_id__in=scope) | Q(unit_id__in=scope)


def evaluations_for(user, campaign: Campaign | None = None) -> QuerySet[Evaluation]:
    """The rows the user reads: those of the units in their reading scope; a manager of the
    campaign reads all its rows."""
    qs = Evaluation.objects.all()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
        if can_manage(user, campaign):
            return qs
    scope, managed_ids = scope_units(user), managed_units(user)
    if scope is None or managed_ids is None:
        return qs
    managed = Campaign.objects.filter(unit_id__in=managed_ids).values("pk")
    return qs.filter(_rows_in(scope) | Q(campaign_id__in=managed))


def proposals_for(user) -> QuerySet[Evaluation]:
    """The rows whose proposal the user records: a writing role on the member's cell, or on
    the unit rated."""
    qs = Evaluation.objects.all()
    scope = scope_units(user, write=True)
    return qs if scope is None else qs.filter(_rows_in(scope))


def decisions_for(user) -> QuerySet[Evaluation]:
    """The rows the user decides: those of the campaigns they manage."""
    qs = Evaluation.objects.all()
    managed = managed_units(user)
    return qs if managed is None else qs.filter(campaign__unit_id__in=managed)


def get_evaluation_for(user, pk, *, write: str = "") -> Evaluation:
    """A row the user reads (404 otherwise); `write`: "propose" or "decide", 403 unless the
    user may do it."""
    require_staff(user)
    readable = evaluations_for(user).select_related("campaign", "campaign__unit", "member", "unit")
    writable = {"propose": proposals_for, "decide": decisions_for}.get(write)
    if write and writable is None:
        raise ValueError(f"unknown write {write!r}")
    return fetch(readable, writable(user) if writable else readable, pk, write=bool(write))


def can_propose(user, evaluation: Evaluation) -> bool:
    return proposals_for(user).filter(pk=evaluation.pk).exists()


def can_decide(user, evaluation: Evaluation) -> bool:
    return decisions_for(user).filter(pk=evaluation.pk).exists()


# Self-assessments -----------------------------------------------------------------------------


def self_assessments_for(user) -> QuerySet[SelfAssessment]:
    """The user's own self-assessments, and those of the members whose row they read."""
    qs = SelfAssessment.objects.all()
    if user.is_superuser:
        return qs
    own = Q(member_id=user.member_id) if user.member_id else Q(pk__in=[])
    if not org_access.is_staff_anywhere(user):
        return qs.filter(own)
    rows = evaluations_for(user).filter(member_id=OuterRef("member_id"), year=OuterRef("year"))
    return qs.filter(own | Q(Exists(rows)))


def get_self_assessment_for(user, pk) -> SelfAssessment:
    try:
        return self_assessments_for(user).select_related("member", "campaign").get(pk=pk)
    except (SelfAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_own_member(user):
    """The member record the user is: the only one whose self-assessment they write (404 for
    an account linked to no member)."""
    if user.member_id is None:
        raise Http404
    return user.member


def check_self_write(user, member_id: int) -> None:
    """A self-assessment is written by the member alone."""
    if user.member_id != member_id:
        raise PermissionDenied
