"""Attendance in a few taps: everyone not yet marked is marked at once, then the secretary
changes the exceptions row by row (services.meetings.attendance_mark)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit

from ..models import Attendance, Meeting, Presence, State
from .meetings import _refresh_turnout, check_not_locked, claim

# Stored as the minute book writes them (the demo and the import sheet use the same words).
EXEMPT_REASON = "Miễn sinh hoạt"
AWAY_REASON = "Sinh hoạt tạm thời ở chi bộ khác"

ALL_MARKED = audit.kind(
    "meetings.attendance_all_marked",
    gettext_lazy(
        "Everyone not yet marked: %(present)s present, %(exempt)s exempt, "
        "%(away)s on temporary transfer elsewhere"
    ),
)


@audit.write
def attendance_mark_all(*, meeting: Meeting, version: int, actor) -> list[Attendance]:
    """Mark every row of the roster not marked yet: present, except exempt members (absent,
    excused as exempt: they are left out of the turnout unless they attend) and members on
    temporary transfer elsewhere (they attend in the other cell). Rows already marked, by
    the secretary or by a member's check-in, are left as they are. One event for all."""
    claim(meeting, version)
    check_not_locked(meeting)
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    rows = list(meeting.roster.select_related("member"))
    if not rows:
        raise ValidationError(_("Freeze the roster first."))
    todo = [r for r in rows if not r.presence]
    if not todo:
        raise ValidationError(_("Every member on the roster is marked already."))
    counts: dict[str, Any] = {"present": 0, "exempt": 0, "away": 0}
    for row in todo:
        if row.away:
            row.presence, row.reason = Presence.EXCUSED, AWAY_REASON
            counts["away"] += 1
        elif row.exempt:
            row.presence, row.reason = Presence.EXCUSED, EXEMPT_REASON
            counts["exempt"] += 1
        else:
            row.presence = Presence.PRESENT
            counts["present"] += 1
        # Saved one by one: each row's history says it was marked, as when marked alone.
        row.save(update_fields=["presence", "reason"])
    _refresh_turnout(meeting)
    audit.record(ALL_MARKED, actor=actor, obj=meeting, **counts)
    return rows
