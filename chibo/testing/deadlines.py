"""Builders for the deadline tests: members at a stage of probation, meetings with attendance."""

import datetime as dt

from django.utils import timezone

from chibo.development.models import OfficialReview, Outcome
from chibo.meetings import services as ms
from chibo.meetings.models import Kind, Meeting, Presence
from chibo.meetings.services import record
from chibo.members.models import EventKind, Member
from chibo.members.services import event_create
from chibo.org.models import OrgUnit
from chibo.testing import factories as f


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def probationary(cell: OrgUnit, admitted: dt.date, ceremony: dt.date | None = None, **kw) -> Member:
    """A member admitted on `admitted`, not yet official; with the ceremony when given."""
    m = f.member(cell, admitted_on=admitted, official_on=None, **kw)
    if ceremony is not None:
        event_create(actor=None, member=m, kind=EventKind.CEREMONY, date=ceremony)
        m.refresh_from_db()
    return m


def vote(member: Member, on: dt.date, decided: dt.date | None = None) -> OfficialReview:
    """The cell's review vote on `member` (recognition), decided on `decided` if given."""
    assert member.probation_ends_on is not None
    return OfficialReview.objects.create(
        member=member,
        probation_ended_on=member.probation_ends_on,
        vote_on=on,
        votes_for=3,
        votes_eligible=3,
        outcome=Outcome.RECOGNISE,
        decision_number="12-QĐ/ĐU" if decided else "",
        decision_on=decided,
    )


def held(
    cell: OrgUnit,
    day: dt.date,
    marks: dict[Member, str] | None = None,
    kind: str = Kind.REGULAR,
) -> Meeting:
    """A meeting held on `day`, its roster frozen; `marks` gives some members' presence
    (excused absences get a reason), everyone else is present."""
    m = ms.meeting_create(
        cell=cell,
        kind=kind,
        planned_at=at(day),
        topic="Chuyên đề" if kind == Kind.THEMATIC else "",
        actor=None,
    )
    ms.roster_freeze(meeting=m, version=m.version, actor=None)
    marks = marks or {}
    for row in m.roster.select_related("member"):
        m.refresh_from_db()
        presence = marks.get(row.member, Presence.PRESENT)
        reason = "Ốm" if presence == Presence.EXCUSED else ""
        ms.attendance_mark(
            meeting=m,
            version=m.version,
            member=row.member,
            presence=presence,
            reason=reason,
            actor=None,
        )
    m.refresh_from_db()
    ms.meeting_hold(
        meeting=m,
        version=m.version,
        started_at=at(day),
        ended_at=at(day, hour=21, minute=30),
        actor=None,
    )
    m.refresh_from_db()
    return m


def task(meeting: Meeting, due: dt.date, *, member=None, group=None, text: str = "Việc"):
    meeting.refresh_from_db()
    return record.task_create(
        meeting=meeting,
        version=meeting.version,
        text=text,
        due_on=due,
        member=member,
        group=group,
        actor=None,
    )
