"""Who may see and change what. The one place where scope is decided; pages and API both
call these helpers. Scope is a role granted on a unit, inherited by the unit's whole subtree,
and always applied as a SQL filter, never by checking rows one by one in Python.

- office: read and write the subtree     - viewer: read the subtree
- secretary: read and write the cell     - member: own record (and, later, own cell's schedule)

Outside the scope: 404 (we do not tell what exists). Readable but not writable: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from chibo.accounts.models import READ_ROLES, WRITE_ROLES, RecordRead, RoleGrant
from chibo.members.models import (
    EventKind,
    Member,
    MemberEvent,
    MemberQuerySet,
    Placement,
    Position,
    Transfer,
)
from chibo.org.models import Ancestry, OrgUnit, OrgUnitQuerySet, Village


def _granted(user, write: bool) -> QuerySet:
    roles = WRITE_ROLES if write else READ_ROLES
    return RoleGrant.objects.filter(user_id=user.pk, role__in=roles).values("unit_id")


def _scope(user, write: bool) -> QuerySet | None:
    """Subquery of unit ids in the user's scope, or None for everything (superuser)."""
    if user.is_superuser:
        return None
    granted = _granted(user, write)
    return Ancestry.objects.valid().filter(ancestor_id__in=granted).values("descendant_id")


# Above this many units in scope, members are filtered row by row with an indexed EXISTS on the
# closure table; below it, the database starts from the few cells in scope. SQLite cannot pick
# between the two plans for an IN (subquery) by itself: for a province of 100,000 members
# EXISTS is 2-3 times faster, for a commune 5 times slower (bench/member_search.py).
LARGE_SCOPE_UNITS = 300


def _in_scope(user, write: bool, column: str) -> Q | Exists | None:
    """A filter keeping rows whose `column` (a unit id) is in the user's scope."""
    scope = _scope(user, write)
    if scope is None:
        return None
    if scope.count() <= LARGE_SCOPE_UNITS:
        return Q(**{f"{column}__in": scope})
    return Exists(
        Ancestry.objects.valid().filter(
            descendant_id=OuterRef(column), ancestor_id__in=_granted(user, write)
        )
    )


def is_staff_anywhere(user) -> bool:
    """Holds a role that reads units (office, viewer or secretary) somewhere."""
    return (
        user.is_superuser or RoleGrant.objects.filter(user_id=user.pk, role__in=READ_ROLES).exists()
    )


def require_staff(user) -> None:
    """Unit and member-list pages are for people with a unit role; a plain member has only
    their own record."""
    if not is_staff_anywhere(user):
        raise PermissionDenied


def is_writer_anywhere(user) -> bool:
    """Holds a role that writes (office or secretary) somewhere: may import, sees the trash."""
    return (
        user.is_superuser
        or RoleGrant.objects.filter(user_id=user.pk, role__in=WRITE_ROLES).exists()
    )


# Units ----------------------------------------------------------------------------------------


def units_for(user, *, write: bool = False, deleted: bool = False) -> OrgUnitQuerySet:
    qs = OrgUnit.all_objects.filter(deleted_at__isnull=not deleted)
    scope = _scope(user, write)
    return qs if scope is None else qs.filter(pk__in=scope)


def root_units_for(user) -> OrgUnitQuerySet:
    """The highest units the user can read (the tops of their scope)."""
    if user.is_superuser:
        return OrgUnit.objects.filter(parent__isnull=True)
    granted = RoleGrant.objects.filter(user_id=user.pk, role__in=READ_ROLES).values("unit_id")
    # A granted unit that lies under another granted unit is not a top.
    covered = Ancestry.objects.valid().filter(ancestor_id__in=granted, distance__gt=0)
    return OrgUnit.objects.filter(pk__in=granted).exclude(pk__in=covered.values("descendant_id"))


def _get(qs_read: QuerySet, qs_write: QuerySet, pk, write: bool):
    try:
        obj = qs_read.get(pk=pk)
    except (qs_read.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not qs_write.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def can_create_root(user) -> bool:
    """A unit with no parent starts a new tree, which no grant on a unit covers."""
    return user.is_superuser


def get_unit_for(user, pk, *, write: bool = False, deleted: bool = False) -> OrgUnit:
    return _get(
        units_for(user, deleted=deleted), units_for(user, write=True, deleted=deleted), pk, write
    )


def get_unit_by_code_for(user, code: str, *, write: bool = False) -> OrgUnit:
    unit = units_for(user).filter(code__iexact=code).first()
    if unit is None:
        raise Http404
    return get_unit_for(user, unit.pk, write=write)


def can_write_unit(user, unit: OrgUnit) -> bool:
    return units_for(user, write=True, deleted=unit.is_deleted).filter(pk=unit.pk).exists()


# Events recorded by the committee above the member's cell, not by the cell itself: the
# admission ceremony it holds (as on the development pages).
ABOVE_CELL_EVENTS = {EventKind.CEREMONY}


def check_event_kind(user, member: Member, *kinds: str) -> None:
    """403 unless the user may record events of these kinds for the member."""
    if user.is_superuser or not ABOVE_CELL_EVENTS.intersection(kinds):
        return
    cell = member.home_unit
    if cell is None or cell.parent is None or not can_write_unit(user, cell.parent):
        raise PermissionDenied


# Villages -------------------------------------------------------------------------------------


def villages_for(user, *, write: bool = False, deleted: bool = False) -> QuerySet[Village]:
    qs = Village.all_objects.filter(deleted_at__isnull=not deleted)
    scope = _scope(user, write)
    return qs if scope is None else qs.filter(cell_id__in=scope)


def get_village_for(user, pk, *, write: bool = False, deleted: bool = False) -> Village:
    return _get(
        villages_for(user, deleted=deleted),
        villages_for(user, write=True, deleted=deleted),
        pk,
        write,
    )


# Members --------------------------------------------------------------------------------------


def members_for(user, *, write: bool = False, deleted: bool = False) -> MemberQuerySet:
    """Members whose record is held in the scope (by their official cell).

    A plain member (no unit role) reads only their own record. Kept free of OR conditions on
    purpose: `home_unit IN (scope)` alone lets the database use its indexes for a whole
    province (see bench/member_search.py). A cell hosting a member on temporary transfer
    sees them on its rosters, not their full record, which stays with the official cell."""
    qs = Member.all_objects.filter(deleted_at__isnull=not deleted)
    if user.is_superuser:
        return qs
    if not write and user.member_id and not is_staff_anywhere(user):
        return qs.filter(pk=user.member_id)
    condition = _in_scope(user, write, "home_unit_id")
    return qs if condition is None else qs.filter(condition)


def get_member_for(user, pk, *, write: bool = False, deleted: bool = False) -> Member:
    """A member record the user may read; anyone linked to a member reads their own record."""
    readable = members_for(user, deleted=deleted)
    if user.member_id and not write:
        readable = readable | Member.all_objects.filter(
            pk=user.member_id, deleted_at__isnull=not deleted
        )
    return _get(readable, members_for(user, write=True, deleted=deleted), pk, write)


def can_write_member(user, member: Member) -> bool:
    return members_for(user, write=True, deleted=member.is_deleted).filter(pk=member.pk).exists()


def record_read(user, member: Member, channel: str) -> None:
    """Leave a trace when a member's full record is read from outside the member's own cell."""
    own = getattr(user, "member", None)
    if own is not None and own.pk == member.pk:
        return
    if own is not None and own.home_unit_id and own.home_unit_id == member.home_unit_id:
        return
    RecordRead.objects.create(user=user, member=member, channel=channel)


# Records hanging off a member: scoped through the member -------------------------------------


def _member_child_for(model, user, pk, write: bool, deleted: bool):
    qs = model.all_objects.filter(deleted_at__isnull=not deleted)
    read = qs.filter(member__in=members_for(user))
    writable = qs.filter(member__in=members_for(user, write=True))
    return _get(read.select_related("member"), writable, pk, write)


def get_event_for(user, pk, *, write: bool = False, deleted: bool = False) -> MemberEvent:
    return _member_child_for(MemberEvent, user, pk, write, deleted)


def get_placement_for(user, pk, *, write: bool = False, deleted: bool = False) -> Placement:
    return _member_child_for(Placement, user, pk, write, deleted)


def get_position_for(user, pk, *, write: bool = False, deleted: bool = False) -> Position:
    return _member_child_for(Position, user, pk, write, deleted)


def events_for(user, *, deleted: bool = False) -> QuerySet[MemberEvent]:
    return MemberEvent.all_objects.filter(
        deleted_at__isnull=not deleted, member__in=members_for(user)
    )


def placements_for(user, *, deleted: bool = False) -> QuerySet[Placement]:
    return Placement.all_objects.filter(
        deleted_at__isnull=not deleted, member__in=members_for(user)
    )


def positions_for(user, *, deleted: bool = False) -> QuerySet[Position]:
    return Position.all_objects.filter(deleted_at__isnull=not deleted, member__in=members_for(user))


# Transfers ------------------------------------------------------------------------------------


def transfers_for(user, *, write: bool = False) -> QuerySet[Transfer]:
    """Transfers sent from or to a cell in scope: the letter concerns both sides, and the
    receiving side sees what it is asked to accept before the record is theirs. A member
    reads their own."""
    qs = Transfer.objects.all()
    scope = _scope(user, write)
    if scope is None:
        return qs
    condition = Q(from_unit_id__in=scope) | Q(to_unit_id__in=scope)
    if not write and user.member_id:
        condition |= Q(member_id=user.member_id)
    return qs.filter(condition)


# Who acts on a transfer: the sending side cancels it, the receiving side accepts it.
TRANSFER_SIDES = {"sending": "from_unit_id", "receiving": "to_unit_id"}


def _transfers_written_by(user, side: str) -> QuerySet[Transfer]:
    scope = _scope(user, True)
    qs = Transfer.objects.all()
    return qs if scope is None else qs.filter(**{f"{TRANSFER_SIDES[side]}__in": scope})


def get_transfer_for(user, pk, *, write: bool = False, side: str | None = None) -> Transfer:
    """A transfer the user may read. `write`: one they may act on from either side; `side`
    ("sending" or "receiving"): from that side only (implies write)."""
    writable = _transfers_written_by(user, side) if side else transfers_for(user, write=True)
    readable = transfers_for(user).select_related("member", "from_unit", "to_unit")
    return _get(readable, writable, pk, write or side is not None)


def can_accept_transfer(user, transfer: Transfer) -> bool:
    return _transfers_written_by(user, "receiving").filter(pk=transfer.pk).exists()


def can_cancel_transfer(user, transfer: Transfer) -> bool:
    return _transfers_written_by(user, "sending").filter(pk=transfer.pk).exists()


def can_end_transfer(user, transfer: Transfer) -> bool:
    return transfers_for(user, write=True).filter(pk=transfer.pk).exists()


def transfer_targets() -> OrgUnitQuerySet:
    """Units a transfer may be sent to: any live unit, in scope or not (the service refuses
    one that holds no members). A letter names the receiving organisation wherever it is in
    the tree; that side decides by accepting, and the sender learns only the cell's name."""
    return OrgUnit.objects.all()


# Meetings -------------------------------------------------------------------------------------


def _own_meetings(user) -> Q:
    """The meetings a member attends: those of the cell they hold the member role on, of their
    official cell, and any whose frozen roster lists them (a member hosted on transfer)."""
    from chibo.accounts.models import Role
    from chibo.meetings.models import Attendance

    own = Q(
        cell_id__in=RoleGrant.objects.filter(user_id=user.pk, role=Role.MEMBER).values("unit_id")
    )
    if user.member_id:
        own |= Q(cell_id__in=Member.all_objects.filter(pk=user.member_id).values("home_unit_id"))
        own |= Q(pk__in=Attendance.objects.filter(member_id=user.member_id).values("meeting_id"))
    return own


def own_meetings_for(user):
    """Meetings of the user's own cell, whatever unit roles they hold (the member's schedule)."""
    from chibo.meetings.models import Meeting

    return Meeting.objects.filter(_own_meetings(user))


def meetings_for(user, *, write: bool = False):
    """Meetings of the cells in scope; a member also reads their own cell's meetings."""
    from chibo.meetings.models import Meeting

    qs = Meeting.objects.all()
    scope = _scope(user, write)
    if scope is None:
        return qs
    condition = Q(cell_id__in=scope)
    if not write:
        condition |= _own_meetings(user)
    return qs.filter(condition)


def get_meeting_for(user, pk, *, write: bool = False):
    return _get(
        meetings_for(user).select_related("cell"), meetings_for(user, write=True), pk, write
    )


def can_read_meeting_record(user, meeting) -> bool:
    """Reads the whole record (roster, votes, minutes), not only the schedule a member sees."""
    scope = _scope(user, False)
    return scope is None or OrgUnit.all_objects.filter(pk=meeting.cell_id, pk__in=scope).exists()


def can_assign_followers(user, cell) -> bool:
    """An office above the cell (a writer of its parent) assigns the superior followers who
    follow it; the cell's own secretary does not choose who follows it."""
    return cell.parent_id is not None and can_write_unit(user, cell.parent)


def can_write_meeting(user, meeting) -> bool:
    return meetings_for(user, write=True).filter(pk=meeting.pk).exists()
