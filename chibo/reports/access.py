"""Who may read a unit's reports and close its years: the tree's scopes (chibo.org.scope),
filtered in SQL. A report covers what its reader may read: a unit in the reader's scope and
its subtree; outside it the unit does not exist (404). A plain member reads no report."""

from django.core.exceptions import PermissionDenied

from chibo.accounts.models import Role, RoleGrant
from chibo.org import access as org_access
from chibo.org.models import Ancestry, OrgUnit


def get_unit_for_report(user, pk) -> OrgUnit:
    """The unit `pk` if the user may read its reports; 404 otherwise (members included: they
    hold no reading role on units)."""
    return org_access.get_unit_for(user, pk)


def get_unit_by_code_for_report(user, code: str) -> OrgUnit:
    return org_access.get_unit_by_code_for(user, code)


def can_close_year(user, unit: OrgUnit) -> bool:
    """Closing and re-opening a year is an office's act: an office role on the unit or above
    it (a secretary writes their cell's records but does not publish its figures)."""
    if user.is_superuser:
        return True
    above = Ancestry.objects.valid().filter(descendant=unit).values("ancestor_id")
    return RoleGrant.objects.filter(user_id=user.pk, role=Role.OFFICE, unit_id__in=above).exists()


def require_can_close_year(user, unit: OrgUnit) -> None:
    if not can_close_year(user, unit):
        raise PermissionDenied
