"""Who reads and records badges, and who adds special occasions. Built on chibo.org.scope:
the same scopes, filtered in SQL.

- read a unit's badge list and awards: a reading role on the unit (office, viewer, secretary);
- record awards: an office of a base committee or a level above it (the base organisation
  proposes, the committee above decides); a cell's secretary reads the list but does not
  record the decision;
- add or delete a special occasion: the central level (superuser) for the whole country, a
  province's office for its own province (an occasion changes the lists of every unit under
  it, so no office below a province adds one)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from chibo.accounts.models import READ_ROLES, Role, RoleGrant
from chibo.members import access as member_access
from chibo.org import access as org_access
from chibo.org.models import Ancestry, Kind, OrgUnit

from .models import BadgeAward, BadgeOccasion

# Units whose office records badge awards for the units below them.
OFFICE_KINDS = {Kind.PROVINCE, Kind.DISTRICT, Kind.BASE_COMMITTEE, Kind.BASE_CELL}


def _office_grants(user) -> QuerySet:
    return RoleGrant.objects.filter(
        user_id=user.pk, role=Role.OFFICE, unit__kind__in=OFFICE_KINDS
    ).values("unit_id")


def require_staff(user) -> None:
    org_access.require_staff(user)


def can_record_awards(user, unit: OrgUnit) -> bool:
    if user.is_superuser:
        return True
    above = Ancestry.objects.valid().filter(descendant=unit, ancestor_id__in=_office_grants(user))
    return above.exists()


def get_unit_for(user, pk, *, write: bool = False) -> OrgUnit:
    """A unit whose badge list the user reads (404 outside the scope, 403 for a member with
    no unit role); with write, whose awards they record (403 otherwise)."""
    org_access.require_staff(user)
    unit = org_access.get_unit_for(user, pk)
    if write and not can_record_awards(user, unit):
        raise PermissionDenied
    return unit


def awards_for(user) -> QuerySet[BadgeAward]:
    """Awards of the member records the user reads."""
    return BadgeAward.objects.filter(member__in=member_access.members_for(user))


# Special occasions ----------------------------------------------------------------------------


def provinces_read(user) -> QuerySet[OrgUnit] | None:
    """Provinces whose occasions the user sees: those above or at any unit they read (None:
    all, for a superuser)."""
    if user.is_superuser:
        return None
    granted = RoleGrant.objects.filter(user_id=user.pk, role__in=READ_ROLES).values("unit_id")
    tops = Ancestry.objects.valid().filter(descendant_id__in=granted, ancestor__kind=Kind.PROVINCE)
    return OrgUnit.objects.filter(pk__in=tops.values("ancestor_id"))


def provinces_written(user) -> QuerySet[OrgUnit]:
    """Provinces for which the user adds special occasions."""
    provinces = OrgUnit.objects.filter(kind=Kind.PROVINCE)
    if user.is_superuser:
        return provinces
    own = RoleGrant.objects.filter(user_id=user.pk, role=Role.OFFICE).values("unit_id")
    return provinces.filter(pk__in=own)


def can_add_occasion(user, province: OrgUnit | None) -> bool:
    if user.is_superuser:
        return True
    return province is not None and provinces_written(user).filter(pk=province.pk).exists()


def may_add_occasions(user) -> bool:
    return user.is_superuser or provinces_written(user).exists()


def occasions_for(user) -> QuerySet[BadgeOccasion]:
    qs = BadgeOccasion.objects.all()
    provinces = provinces_read(user)
    if provinces is None:
        return qs
    return qs.filter(Q(province__isnull=True) | Q(province__in=provinces))


def get_occasion_for(user, pk, *, write: bool = False) -> BadgeOccasion:
    org_access.require_staff(user)
    try:
        occasion = occasions_for(user).select_related("province").get(pk=pk)
    except (BadgeOccasion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_add_occasion(user, occasion.province):
        raise PermissionDenied
    return occasion
