"""Who may read and change the rules. Everyone with a unit role reads them (they are the
Party's published regulations). Adding a version or a working-day change takes the Django
permission for it AND the office role on a province (the province office keeps the rules
for its installation); a superuser may do anything."""

from django.db.models import QuerySet

from chibo.accounts.models import Role
from chibo.org.models import Kind, OrgUnit
from chibo.org.scope import is_staff_anywhere, require_staff

__all__ = ["is_staff_anywhere", "require_staff", "provinces_for_rules", "can_add_days"]


def _province_offices(user) -> QuerySet[OrgUnit]:
    if user.is_superuser:
        return OrgUnit.objects.filter(kind=Kind.PROVINCE)
    return OrgUnit.objects.filter(
        kind=Kind.PROVINCE, grants__user_id=user.pk, grants__role=Role.OFFICE
    ).distinct()


def provinces_for_rules(user) -> QuerySet[OrgUnit] | None:
    """The provinces whose own versions the user may add (and, when there is any, the user
    may add nationwide versions too); None when the user may add no version at all."""
    if not user.is_superuser and not user.has_perm("rules.add_ruleversion"):
        return None
    provinces = _province_offices(user)
    if not user.is_superuser and not provinces.exists():
        return None
    return provinces


def can_add_days(user) -> bool:
    if user.is_superuser:
        return True
    return user.has_perm("rules.add_daychange") and _province_offices(user).exists()
