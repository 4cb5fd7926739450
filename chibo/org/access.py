"""Who may see and change units and villages, and grant roles on them (built on
chibo.org.scope: the same scopes, filtered in SQL)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from chibo.accounts.models import READ_ROLES, Role, RoleGrant

from .models import Ancestry, OrgUnit, OrgUnitQuerySet, Village
from .scope import fetch, holders, is_staff_anywhere, require_staff, scope_units

__all__ = [
    "GRANTABLE",
    "can_create_root",
    "can_restructure",
    "can_write_unit",
    "get_unit_by_code_for",
    "get_unit_for",
    "get_unit_to_restructure",
    "get_village_for",
    "grantable_roles",
    "grants_within",
    "is_staff_anywhere",
    "require_staff",
    "root_units_for",
    "units_for",
    "villages_for",
]


def units_for(user, *, write: bool = False, deleted: bool = False) -> OrgUnitQuerySet:
    qs = OrgUnit.all_objects.filter(deleted_at__isnull=not deleted)
    scope = scope_units(user, write=write)
    return qs if scope is None else qs.filter(pk__in=scope)


def root_units_for(user) -> OrgUnitQuerySet:
    """The highest units the user can read (the tops of their scope)."""
    if user.is_superuser:
        return OrgUnit.objects.filter(parent__isnull=True)
    granted = RoleGrant.objects.filter(user_id=user.pk, role__in=READ_ROLES).values("unit_id")
    # A granted unit that lies under another granted unit is not a top.
    covered = Ancestry.objects.valid().filter(ancestor_id__in=granted, distance__gt=0)
    return OrgUnit.objects.filter(pk__in=granted).exclude(pk__in=covered.values("descendant_id"))


def can_create_root(user) -> bool:
    """A unit with no parent starts a new tree, which no grant on a unit covers."""
    return user.is_superuser


def get_unit_for(user, pk, *, write: bool = False, deleted: bool = False) -> OrgUnit:
    return fetch(
        units_for(user, deleted=deleted),
        units_for(user, write=True, deleted=deleted),
        pk,
        write=write,
    )


def get_unit_by_code_for(user, code: str, *, write: bool = False) -> OrgUnit:
    unit = units_for(user).filter(code__iexact=code).first()
    if unit is None:
        raise Http404
    return get_unit_for(user, unit.pk, write=write)


def can_write_unit(user, unit: OrgUnit) -> bool:
    return units_for(user, write=True, deleted=unit.is_deleted).filter(pk=unit.pk).exists()


def can_restructure(user, unit: OrgUnit) -> bool:
    """Moving, merging or deleting a unit changes its parent's tree, so it takes a writing
    role on the parent: a secretary does not restructure their own cell, nor a commune's
    office its commune, nor the province's office the province (a root: superusers only)."""
    if user.is_superuser:
        return True
    if unit.parent_id is None:
        return False
    return units_for(user, write=True).filter(pk=unit.parent_id).exists()


def get_unit_to_restructure(user, pk) -> OrgUnit:
    """The unit `pk` to move, merge or delete: 404 outside the scope, 403 unless the user
    writes its parent (`can_restructure`)."""
    unit = get_unit_for(user, pk, write=True)
    if not can_restructure(user, unit):
        raise PermissionDenied
    return unit


# Villages -------------------------------------------------------------------------------------


def villages_for(user, *, write: bool = False, deleted: bool = False) -> QuerySet[Village]:
    qs = Village.all_objects.filter(deleted_at__isnull=not deleted)
    scope = scope_units(user, write=write)
    return qs if scope is None else qs.filter(cell_id__in=scope)


def get_village_for(user, pk, *, write: bool = False, deleted: bool = False) -> Village:
    return fetch(
        villages_for(user, deleted=deleted),
        villages_for(user, write=True, deleted=deleted),
        pk,
        write=write,
    )


# Roles ----------------------------------------------------------------------------------------

# Which roles a granter may hand out: an office any role in its subtree, a secretary only the
# member role in its cell.
GRANTABLE: dict[str, set[str]] = {
    Role.OFFICE: {Role.OFFICE, Role.VIEWER, Role.SECRETARY, Role.MEMBER},
    Role.SECRETARY: {Role.MEMBER},
}


def grantable_roles(user, unit: OrgUnit) -> set[str]:
    """The roles `user` may grant (or revoke) on `unit`: by the roles they hold over it."""
    if user.is_superuser:
        return set(GRANTABLE[Role.OFFICE])
    held = holders([unit.pk], GRANTABLE, users=[user.pk])[unit.pk].get(user.pk, set())
    return {role for h in held for role in GRANTABLE[h]}


def grants_within(unit: OrgUnit) -> QuerySet[RoleGrant]:
    """The grants on the unit and everything below it (the unit's Access page)."""
    return RoleGrant.objects.filter(unit__in=OrgUnit.objects.within(unit))
