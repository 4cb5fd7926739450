"""Who may see and change member records, the records hanging off them, and transfers (built
on chibo.org.scope: the same scopes, filtered in SQL). A record is held in scope by the
member's official cell; a member reads their own."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from chibo.accounts.models import RecordRead
from chibo.org.access import can_write_unit
from chibo.org.models import OrgUnit, OrgUnitQuerySet
from chibo.org.scope import InIds, fetch, is_staff_anywhere, scope_filter, scope_units

from .models import EventKind, Member, MemberEvent, MemberQuerySet, Placement, Position, Transfer


def members_for(user, *, write: bool = False, deleted: bool = False) -> MemberQuerySet:
    """Members whose record is held in the scope (by their official cell).

    A plain member (no unit role) reads only their own record. Kept free of OR conditions on
    purpose: `home_unit IN (scope)` alone lets the database use its indexes for a whole
    province (see bench/member_search.py). A cell hosting a member on temporary transfer
    sees them on its rosters, not their full record, which stays with the official cell."""
    return members_and_units(user, write=write, deleted=deleted)[0]


def members_and_units(
    user, *, write: bool = False, deleted: bool = False
) -> tuple[MemberQuerySet, list[int] | None]:
    """`members_for`, and the ids of the units it keeps the records of when it is filtered by
    a list of them (None otherwise: a superuser, a plain member, SQLite's large scope), so
    that a list can weigh its scope without reading it twice (members.queries.member_list)."""
    qs = Member.all_objects.filter(deleted_at__isnull=not deleted)
    if user.is_superuser:
        return qs, None
    if not write and user.member_id and not is_staff_anywhere(user):
        return qs.filter(pk=user.member_id), None
    condition = scope_filter(user, "home_unit_id", write=write)
    if condition is None:
        return qs, None
    return qs.filter(condition), list(condition.rhs) if isinstance(condition, InIds) else None


def get_member_for(user, pk, *, write: bool = False, deleted: bool = False) -> Member:
    """A member record the user may read; anyone linked to a member reads their own record."""
    readable = members_for(user, deleted=deleted)
    if user.member_id and not write:
        readable = readable | Member.all_objects.filter(
            pk=user.member_id, deleted_at__isnull=not deleted
        )
    return fetch(readable, members_for(user, write=True, deleted=deleted), pk, write=write)


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


# Records hanging off a member: scoped through the member -------------------------------------


def _member_child_for(model, user, pk, write: bool, deleted: bool):
    qs = model.all_objects.filter(deleted_at__isnull=not deleted)
    read = qs.filter(member__in=members_for(user))
    writable = qs.filter(member__in=members_for(user, write=True))
    return fetch(read.select_related("member"), writable, pk, write=write)


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
    scope = scope_units(user, write=write)
    if scope is None:
        return qs
    condition = Q(from_unit_id__in=scope) | Q(to_unit_id__in=scope)
    if not write and user.member_id:
        condition |= Q(member_id=user.member_id)
    return qs.filter(condition)


# Who acts on a transfer: the sending side cancels it, the receiving side accepts it.
TRANSFER_SIDES = {"sending": "from_unit_id", "receiving": "to_unit_id"}


def _transfers_written_by(user, side: str) -> QuerySet[Transfer]:
    scope = scope_units(user, write=True)
    qs = Transfer.objects.all()
    return qs if scope is None else qs.filter(**{f"{TRANSFER_SIDES[side]}__in": scope})


def get_transfer_for(user, pk, *, write: bool = False, side: str | None = None) -> Transfer:
    """A transfer the user may read. `write`: one they may act on from either side; `side`
    ("sending" or "receiving"): from that side only (implies write)."""
    writable = _transfers_written_by(user, side) if side else transfers_for(user, write=True)
    readable = transfers_for(user).select_related("member", "from_unit", "to_unit")
    return fetch(readable, writable, pk, write=write or side is not None)


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
