"""Assigning superior followers to cells. Who may assign: an office above the cell (a writer
of its parent unit): a cell does not choose who follows it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import READ_ROLES, RoleGrant, User
from chibo.core import audit
from chibo.org.models import OrgUnit

from .models import FollowAssignment

# About the cell: the follower is an account, not a member with a record of their own.
ASSIGNED = audit.kind(
    "follow.assigned", gettext_lazy("%(follower)s assigned to follow %(cell)s from %(start)s")
)
FINISHED = audit.kind(
    "follow.finished", gettext_lazy("%(follower)s no longer follows %(cell)s from %(end)s")
)


def candidates(cell: OrgUnit) -> list[User]:
    """Accounts that may follow the cell: holding a reading role on a unit above it (the
    superior committee's members), so that they read its meetings."""
    above = cell.ancestors().values("pk")
    grants = RoleGrant.objects.filter(unit_id__in=above, role__in=READ_ROLES).values("user_id")
    rows = User.objects.filter(pk__in=grants, is_active=True)
    return list(rows.order_by("last_name", "first_name", "username"))


@audit.write
def assign(
    *, cell: OrgUnit, follower: User, start: dt.date, actor, end: dt.date | None = None, note=""
) -> FollowAssignment:
    if not cell.holds_members:
        raise ValidationError(_("A superior follower is assigned to a cell."))
    if follower.pk not in {u.pk for u in candidates(cell)}:
        raise ValidationError(
            {"follower": _("Choose a member of a superior committee who reads this cell.")}
        )
    if end is not None and end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    overlap = FollowAssignment.objects.filter(cell=cell, follower=follower).filter(
        Q(end__isnull=True) | Q(end__gt=start)
    )
    if end is not None:
        overlap = overlap.filter(start__lt=end)
    if overlap.exists():
        raise ValidationError(_("This person already follows the cell over these dates."))
    assignment = FollowAssignment.objects.create(
        cell=cell, follower=follower, start=start, end=end, note=note.strip(), assigned_by=actor
    )
    audit.record(
        ASSIGNED,
        actor=actor,
        obj=assignment,
        about=cell,
        follower=assignment.follower_name,
        cell=cell.name,
        start=start,
    )
    return assignment


@audit.write
def finish(*, assignment: FollowAssignment, end: dt.date, actor) -> FollowAssignment:
    """The follower stops following the cell from `end` on (not included). The assignment is
    read again under a lock: of two finishes at once (or one made from a page opened before
    another person's), the second finds it ended and is refused."""
    assignment = FollowAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end is not None:
        raise ValidationError(_("This assignment has already ended."))
    if end <= assignment.start:
        raise ValidationError({"end": _("The end must come after the start.")})
    assignment.end = end
    assignment.save(update_fields=["end"])
    audit.record(
        FINISHED,
        actor=actor,
        obj=assignment,
        about=assignment.cell,
        follower=assignment.follower_name,
        cell=assignment.cell.name,
        end=end,
    )
    return assignment


def follows(user, cell_id: int, day: dt.date) -> FollowAssignment | None:
    return (
        FollowAssignment.objects.active_on(day).filter(cell_id=cell_id, follower_id=user.pk).first()
    )
