"""Who reads a unit's remittance report and who records its remittances. Built on chibo.org
(the same scopes, filtered in SQL).

- read: a reading role on the unit (office, viewer, secretary of a cell); a member with no
  unit role gets 403, a unit outside the scope 404;
- record or delete a unit's remittance: an office on the unit or on a unit above it (the
  committee that receives it records it as often as the unit that hands it up), or the
  secretary of a cell for their own cell (the cell's committee hands its dues up). A viewer,
  or a secretary for the units above their cell, reads only (403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from chibo.accounts.models import Role, RoleGrant
from chibo.dues.models import Remittance
from chibo.org import access as org_access
from chibo.org.models import CELL_KINDS, Ancestry, OrgUnit
from chibo.org.scope import scope_filter

from .queries import FLOWING_KINDS


def can_record(user, unit: OrgUnit) -> bool:
    if user.is_superuser:
        return True
    above = Ancestry.objects.valid().filter(descendant=unit).values("ancestor_id")
    office = Q(role=Role.OFFICE, unit_id__in=above)
    if unit.kind in CELL_KINDS:
        office |= Q(role=Role.SECRETARY, unit_id=unit.pk)
    return RoleGrant.objects.filter(office, user_id=user.pk).exists()


def get_unit_for(user, pk, *, write: bool = False) -> OrgUnit:
    """A unit whose report the user reads (404 outside the scope, or for a party group, which
    hands no dues up; 403 for a member with no unit role); with `write`, whose remittances
    they record (403 otherwise)."""
    org_access.require_staff(user)
    unit = org_access.get_unit_for(user, pk)
    if unit.kind not in FLOWING_KINDS:
        raise Http404
    if write and not can_record(user, unit):
        raise PermissionDenied
    return unit


def remittances_for(user) -> QuerySet[Remittance]:
    """Remittances of the units the user reads."""
    qs = Remittance.objects.all()
    condition = scope_filter(user, "unit_id")
    return qs if condition is None else qs.filter(condition)


def get_remittance_for(user, pk, *, write: bool = False) -> Remittance:
    """A remittance of a unit the user reads (404 otherwise; 403 for a member with no unit
    role); with `write`, of a unit whose remittances they record (403 otherwise)."""
    org_access.require_staff(user)
    try:
        remittance = remittances_for(user).select_related("unit").get(pk=pk)
    except (Remittance.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_record(user, remittance.unit):
        raise PermissionDenied
    return remittance
