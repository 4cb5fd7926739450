"""Who may see and change meetings (built on chibo.org.scope: the same scopes, filtered in
SQL). The cells in scope read and write their meetings; a member reads the schedule of their
own cell, and of any meeting whose frozen roster lists them (a member hosted on transfer)."""

from django.db.models import Q, QuerySet

from chibo.accounts.models import Role, RoleGrant
from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.org.scope import fetch, scope_units

from .models import Attendance, Meeting


def _own_meetings(user) -> Q:
    """The meetings a member attends: those of the cell they hold the member role on, of their
    official cell, and any whose frozen roster lists them (a member hosted on transfer)."""
    own = Q(
        cell_id__in=RoleGrant.objects.filter(user_id=user.pk, role=Role.MEMBER).values("unit_id")
    )
    if user.member_id:
        own |= Q(cell_id__in=Member.all_objects.filter(pk=user.member_id).values("home_unit_id"))
        own |= Q(pk__in=Attendance.objects.filter(member_id=user.member_id).values("meeting_id"))
    return own


def own_meetings_for(user) -> QuerySet[Meeting]:
    """Meetings of the user's own cell, whatever unit roles they hold (the member's schedule)."""
    return Meeting.objects.filter(_own_meetings(user))


def meetings_for(user, *, write: bool = False) -> QuerySet[Meeting]:
    """Meetings of the cells in scope; a member also reads their own cell's meetings."""
    qs = Meeting.objects.all()
    scope = scope_units(user, write=write)
    if scope is None:
        return qs
    condition = Q(cell_id__in=scope)
    if not write:
        condition |= _own_meetings(user)
    return qs.filter(condition)


def get_meeting_for(user, pk, *, write: bool = False) -> Meeting:
    return fetch(
        meetings_for(user).select_related("cell"), meetings_for(user, write=True), pk, write=write
    )


def can_read_meeting_record(user, meeting: Meeting) -> bool:
    """Reads the whole record (roster, votes, minutes), not only the schedule a member sees."""
    scope = scope_units(user)
    return scope is None or OrgUnit.all_objects.filter(pk=meeting.cell_id, pk__in=scope).exists()


def can_write_meeting(user, meeting: Meeting) -> bool:
    return meetings_for(user, write=True).filter(pk=meeting.pk).exists()
