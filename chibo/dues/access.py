"""Who reads and writes the dues ledger, built on chibo.org.scope and chibo.members.access
(the same scopes, filtered in SQL), for the pages and the API alike.

- a cell's month and a unit's arrears: a reading role on the unit (office, viewer, secretary);
- payments (one tap on the cell page, or on the member's page): a writing role over the
  member's cell: its secretary (who also keeps the cell's dues) or an office above it;
- a member's basis and waivers: an office over the member's cell (the committee decides the
  category and the excuses; the cell proposes them);
- a payment statement: an office over the unit it is imported for (the base committee's
  office receives the portal's statement);
- a member reads their own ledger."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from chibo.accounts.models import Role, RoleGrant
from chibo.members import access as member_access
from chibo.members.models import Member
from chibo.org import access as org_access
from chibo.org.models import CELL_KINDS, Ancestry, OrgUnit

from .models import DuesPayment, DuesWaiver


def require_staff(user) -> None:
    org_access.require_staff(user)


def is_staff(user) -> bool:
    """Holds a unit role somewhere (reads unit pages), not only their own record."""
    return org_access.is_staff_anywhere(user)


def is_office_over(user, unit_id: int | None) -> bool:
    """Holds the office role on the unit or a unit above it."""
    if user.is_superuser:
        return True
    if unit_id is None:
        return False
    offices = RoleGrant.objects.filter(user_id=user.pk, role=Role.OFFICE).values("unit_id")
    return Ancestry.objects.valid().filter(descendant_id=unit_id, ancestor_id__in=offices).exists()


def get_unit_for(user, pk, *, write: bool = False) -> OrgUnit:
    """A unit whose dues the user reads (404 outside the scope, 403 without a unit role);
    with `write`, whose dues they record (403 otherwise)."""
    org_access.require_staff(user)
    return org_access.get_unit_for(user, pk, write=write)


def get_cell_for(user, pk, *, write: bool = False) -> OrgUnit:
    """A cell (or base cell) whose month the user reads; 404 for any other kind of unit."""
    unit = get_unit_for(user, pk)
    if unit.kind not in CELL_KINDS:
        raise Http404
    if write and not org_access.can_write_unit(user, unit):
        raise PermissionDenied
    return unit


def can_write_cell(user, cell: OrgUnit) -> bool:
    return org_access.can_write_unit(user, cell)


def get_statement_unit_for(user, pk) -> OrgUnit:
    """The unit a payment statement is imported for: read (404), and an office over it
    (403)."""
    unit = get_unit_for(user, pk)
    if not is_office_over(user, unit.pk):
        raise PermissionDenied
    return unit


def can_import_statement(user, unit: OrgUnit) -> bool:
    return is_office_over(user, unit.pk)


# Members --------------------------------------------------------------------------------------


def get_member_for(user, pk, *, write: bool = False) -> Member:
    """A member whose ledger the user reads (a member reads their own); with `write`, whose
    payments they record."""
    return member_access.get_member_for(user, pk, write=write)


def can_record_payments(user, member: Member) -> bool:
    return member_access.can_write_member(user, member)


def can_manage_basis(user, member: Member) -> bool:
    """Sets the member's basis and waivers: an office over the member's cell."""
    return is_office_over(user, member.home_unit_id)


def get_member_to_manage(user, pk) -> Member:
    member = get_member_for(user, pk)
    if not can_manage_basis(user, member):
        raise PermissionDenied
    return member


def members_for(user, *, write: bool = False) -> QuerySet[Member]:
    return member_access.members_for(user, write=write)


def payments_for(user) -> QuerySet[DuesPayment]:
    """Payments of the members whose ledger the user reads."""
    return DuesPayment.objects.filter(member__in=member_access.members_for(user))


def get_payment_for(user, pk, *, write: bool = False) -> DuesPayment:
    readable = DuesPayment.objects.filter(member__in=_readable_members(user))
    try:
        payment = readable.select_related("member").get(pk=pk)
    except (DuesPayment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_record_payments(user, payment.member):
        raise PermissionDenied
    return payment


def get_waiver_for(user, pk, *, write: bool = False) -> DuesWaiver:
    readable = DuesWaiver.objects.filter(member__in=_readable_members(user))
    try:
        waiver = readable.select_related("member").get(pk=pk)
    except (DuesWaiver.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_basis(user, waiver.member):
        raise PermissionDenied
    return waiver


def _readable_members(user) -> QuerySet[Member]:
    """members_for, and the user's own record."""
    qs = member_access.members_for(user)
    if user.member_id:
        qs = qs | Member.all_objects.filter(pk=user.member_id, deleted_at__isnull=True)
    return qs
