"""Rows of the attendance sheet: the roster of the meeting day, frozen as Chibo freezes it,
and each member marked through the attendance service."""

from typing import NoReturn

from django.utils.translation import gettext as _

from chibo.core.formats import date
from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Outcome,
    Values,
    changes,
    fail,
    merged,
    record,
)
from chibo.members.importing import writable_members
from chibo.members.models import IN_PARTY, Placement

from ..models import Attendance, Meeting, Presence
from ..services import attendance_mark, roster_freeze
from ..services.attendance import EXEMPT_REASON
from .aliases import EXEMPT
from .meetings import locked, meeting_key, meeting_label, meeting_of
from .sheets import ATTENDANCE


def _not_on_roster(ctx: Context, meeting: Meeting, code: str) -> NoReturn:
    """Say why: the roster is frozen from the placements and statuses of the meeting day."""
    member = writable_members(ctx).filter(code=code).first()
    if member is None:
        fail(_("Unknown member code %(code)s.") % {"code": code}, "member_code")
    day = meeting.day
    names = {
        "name": member.full_name,
        "code": member.code,
        "cell": meeting.cell.code,
        "day": date(day),
    }
    if not Placement.objects.active_on(day).filter(member=member, unit=meeting.cell).exists():
        fail(_("%(name)s (%(code)s) was not placed in %(cell)s on %(day)s.") % names, "member_code")
    if member.status_on(day) not in IN_PARTY:
        fail(_("%(name)s (%(code)s) was not a Party member on %(day)s.") % names, "member_code")
    fail(_("This member is not on the meeting's roster."), "member_code")


def _apply_attendance(ctx: Context, v: Values) -> Outcome:
    meeting = meeting_of(ctx, v)
    if not meeting.roster.exists():
        if meeting.locked:
            fail(locked(), "member_code")
        roster_freeze(meeting=meeting, version=meeting.version, actor=ctx.actor)
    row = (
        Attendance.objects.filter(meeting=meeting, member__code=v["member_code"])
        .select_related("member")
        .first()
    )
    if row is None:
        _not_on_roster(ctx, meeting, v["member_code"])
    member = row.member
    label = record(
        member.code, member.full_name, meeting_label(meeting.cell.code, meeting.day, meeting.kind)
    )
    presence, reason = v["presence"], v["reason"]
    if presence == EXEMPT:
        if not row.exempt:
            fail(
                _(
                    "%(name)s was not exempt from activities on %(day)s; record the exemption "
                    "in the events sheet, or give the absence as excused."
                )
                % {"name": member.full_name, "day": date(meeting.day)},
                "presence",
            )
        if EXEMPT not in Presence.values:
            presence, reason = Presence.EXCUSED, reason or EXEMPT_REASON
    current = {
        "presence": row.presence,
        "reason": row.reason,
        "late": row.late,
        "left_early": row.left_early,
    }
    if presence == row.presence:  # empty cells keep what is stored
        wanted = merged({**v, "presence": presence, "reason": reason}, current)
    else:  # another presence: the row says it all
        wanted = {
            "presence": presence,
            "reason": reason,
            "late": v["late"] is True,
            "left_early": v["left_early"] is True,
        }
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    if meeting.locked:
        fail(locked(), diff[0][0])
    attendance_mark(
        meeting=meeting, version=meeting.version, member=member, actor=ctx.actor, **wanted
    )
    if not row.presence:
        return Outcome(CREATE, label)
    return Outcome(UPDATE, label, diff)


ATTENDANCE_HANDLER = Handler(
    sheet=ATTENDANCE,
    key=lambda v: (*meeting_key(v), v["member_code"]),
    apply=_apply_attendance,
    fields={
        "member": "member_code",
        "presence": "presence",
        "reason": "reason",
        "late": "late",
        "left_early": "left_early",
    },
)
