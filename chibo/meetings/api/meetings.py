"""Meetings: list, details, planning changes, the roster and attendance, votes, holding,
adopting and amending the minutes, and a member's check-in. Each endpoint: access helper,
service, schema. The cell's schedule, guests, the record and the quality score are added from
their own modules."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Filters, InSchema, Page, unset
from chibo.meetings import access
from chibo.members.models import Member
from chibo.org import access as org_access

from .. import services
from ..models import (
    Amendment,
    Attendance,
    Ballot,
    Choice,
    Kind,
    Meeting,
    Presence,
    State,
    Vote,
    VoteKind,
    VoteMethod,
)
from .cells import add_cell_routes
from .common import (
    AmendmentOut,
    AmendmentRecorded,
    AttendanceChanged,
    AttendanceOut,
    MeetingDetail,
    MeetingKind,
    MeetingOut,
    Versioned,
    VoteOut,
    VoteRecorded,
    aware,
    get_record_for,
    versioned,
    with_version,
    writable,
)
from .guests import add_guest_routes
from .prepare import add_prepare_routes
from .record import add_record_routes
from .scores import add_quality_routes

meetings = Router(tags=["meetings"])
# First: their literal paths (/mine, /cells/...) must come before /{meeting_id}.
add_cell_routes(meetings)


class MeetingFilters(Filters):
    cell: int | None = None
    from_: dt.date | None = Field(None, alias="from", description="Planned on or after.")
    to: dt.date | None = Field(None, description="Planned on or before.")
    state: State | None = None


class MeetingIn(InSchema):
    cell: int
    kind: MeetingKind = Kind.REGULAR
    planned_at: dt.datetime
    place: str = Field("", max_length=200)
    topic: str = Field("", max_length=300)
    combined: bool = False
    prepares: int | None = None


class MeetingMoveIn(Versioned):
    planned_at: dt.datetime
    reason: str = Field(max_length=300)


class CancelIn(Versioned):
    reason: str = Field(max_length=300)


class AttendancePatch(Versioned):
    presence: Presence = unset()
    reason: str = Field(None, max_length=200)  # type: ignore[assignment]
    late: bool = unset()
    left_early: bool = unset()


class MeetingVoteIn(Versioned):
    subject: str = Field(max_length=300)
    kind: VoteKind
    method: VoteMethod
    votes_for: int = Field(0, ge=0)
    votes_against: int = Field(0, ge=0)
    abstained: int = Field(0, ge=0)
    ballots: dict[int, Choice] | None = Field(
        None, description='By name: {"member id": "for" | "against" | "abstain"}.'
    )
    on_resolution: bool = False


class HoldIn(Versioned):
    started_at: dt.datetime
    ended_at: dt.datetime
    resolution: str = ""


class AmendIn(Versioned):
    field: str = "resolution"
    value: str
    reason: str = Field(max_length=300)


class CheckInIn(InSchema):
    code: str = Field(max_length=20)


def _detail(request: HttpRequest, meeting: Meeting) -> Meeting:
    """The meeting, fresh; the figures and the resolution only for a reader of its record,
    the check-in code only for a writer (as on the meeting page)."""
    user = user_of(request)
    meeting = Meeting.objects.prefetch_related("roster").get(pk=meeting.pk)
    record: dict[str, Any] = dict.fromkeys(
        ("resolution", "turnout", "counted", "minimum", "long_enough", "checkin_code")
    )
    if access.can_read_meeting_record(user, meeting):
        record["resolution"] = meeting.resolution
        if meeting.roster.all():
            t = services.turnout(meeting)
            record["turnout"] = {"present": t.present, "expected": t.expected}
            record["counted"] = services.counted_for_vote(meeting)
        if meeting.started_at:
            record["minimum"] = services.minimum_minutes(meeting)
            record["long_enough"] = services.long_enough(meeting)
        roster_open = not meeting.locked and meeting.state != State.CANCELLED
        if meeting.checkin_code and roster_open and access.can_write_meeting(user, meeting):
            record["checkin_code"] = meeting.checkin_code
    for name, value in record.items():
        setattr(meeting, f"record_{name}", value)
    return meeting


@meetings.get("", response=list[MeetingOut])
@paginate(Page)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> QuerySet[Meeting]:
    qs = access.meetings_for(user_of(request))
    if filters.cell is not None:
        qs = qs.filter(cell_id=filters.cell)
    if filters.from_:
        qs = qs.filter(planned_at__date__gte=filters.from_)
    if filters.to:
        qs = qs.filter(planned_at__date__lte=filters.to)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("planned_at", "pk")


@meetings.get("/{meeting_id}", response=MeetingDetail)
def meeting_read(request: HttpRequest, meeting_id: int) -> Meeting:
    return _detail(request, access.get_meeting_for(user_of(request), meeting_id))


@meetings.post("", response={201: MeetingDetail})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> tuple[int, Meeting]:
    user = user_of(request)
    cell = org_access.get_unit_for(user, payload.cell, write=True)
    prepares = None
    if payload.prepares is not None:
        prepares = access.get_meeting_for(user, payload.prepares, write=True)
    meeting = services.meeting_create(
        cell=cell,
        kind=payload.kind,
        planned_at=aware(payload.planned_at),
        place=payload.place,
        topic=payload.topic,
        combined=payload.combined,
        prepares=prepares,
        actor=user_of(request),
    )
    return 201, _detail(request, meeting)


@meetings.post("/{meeting_id}/move", response=MeetingDetail)
def meeting_move(request: HttpRequest, meeting_id: int, payload: MeetingMoveIn) -> Meeting:
    meeting = writable(request, meeting_id)
    with versioned():
        services.meeting_move(
            meeting=meeting,
            version=payload.version,
            planned_at=aware(payload.planned_at),
            reason=payload.reason,
            actor=user_of(request),
        )
    return _detail(request, meeting)


@meetings.post("/{meeting_id}/cancel", response=MeetingDetail)
def meeting_cancel(request: HttpRequest, meeting_id: int, payload: CancelIn) -> Meeting:
    meeting = writable(request, meeting_id)
    with versioned():
        services.meeting_cancel(
            meeting=meeting, version=payload.version, reason=payload.reason, actor=user_of(request)
        )
    return _detail(request, meeting)


@meetings.post("/{meeting_id}/freeze", response=MeetingDetail)
def roster_freeze(request: HttpRequest, meeting_id: int, payload: Versioned) -> Meeting:
    """Freeze the roster from the placements of the meeting day (once)."""
    meeting = writable(request, meeting_id)
    with versioned():
        services.roster_freeze(meeting=meeting, version=payload.version, actor=user_of(request))
    return _detail(request, meeting)


@meetings.patch("/{meeting_id}/attendance/{member_id}", response=AttendanceChanged)
def attendance_mark(
    request: HttpRequest, meeting_id: int, member_id: int, payload: AttendancePatch
) -> Attendance:
    meeting = writable(request, meeting_id)
    row = Attendance.objects.filter(meeting=meeting, member_id=member_id).first()
    if row is None:
        raise Http404  # not on the roster: no such attendance
    current = {
        "presence": row.presence,
        "reason": row.reason,
        "late": row.late,
        "left_early": row.left_early,
    }
    data: dict[str, Any] = current | payload.model_dump(exclude_unset=True, exclude={"version"})
    with versioned():
        row = services.attendance_mark(
            meeting=meeting,
            version=payload.version,
            member=row.member,
            actor=user_of(request),
            **data,
        )
    return with_version(row, meeting)


@meetings.post("/{meeting_id}/votes", response={201: VoteRecorded})
def vote_record(request: HttpRequest, meeting_id: int, payload: MeetingVoteIn) -> tuple[int, Vote]:
    meeting = writable(request, meeting_id)
    with versioned():
        vote = services.vote_record(
            meeting=meeting,
            version=payload.version,
            subject=payload.subject,
            kind=payload.kind,
            method=payload.method,
            votes_for=payload.votes_for,
            votes_against=payload.votes_against,
            abstained=payload.abstained,
            ballots={k: str(v) for k, v in (payload.ballots or {}).items()},
            on_resolution=payload.on_resolution,
            actor=user_of(request),
        )
    return 201, with_version(Vote.objects.prefetch_related("ballots").get(pk=vote.pk), meeting)


@meetings.post("/{meeting_id}/hold", response=MeetingDetail)
def meeting_hold(request: HttpRequest, meeting_id: int, payload: HoldIn) -> Meeting:
    """The meeting took place: its times and draft resolution; the minutes are in draft."""
    meeting = writable(request, meeting_id)
    with versioned():
        services.meeting_hold(
            meeting=meeting,
            version=payload.version,
            started_at=aware(payload.started_at),
            ended_at=aware(payload.ended_at),
            resolution=payload.resolution,
            actor=user_of(request),
        )
    return _detail(request, meeting)


@meetings.post("/{meeting_id}/adopt", response=MeetingDetail)
def meeting_adopt(request: HttpRequest, meeting_id: int, payload: Versioned) -> Meeting:
    """Adopt the minutes; from now on they are locked and only amended."""
    meeting = writable(request, meeting_id)
    with versioned():
        services.meeting_adopt(meeting=meeting, version=payload.version, actor=user_of(request))
    return _detail(request, meeting)


@meetings.post("/{meeting_id}/amend", response={201: AmendmentRecorded})
def meeting_amend(request: HttpRequest, meeting_id: int, payload: AmendIn) -> tuple[int, Amendment]:
    """Correct adopted minutes; the original stays beside the change, with who and why."""
    meeting = writable(request, meeting_id)
    with versioned():
        amendment = services.meeting_amend(
            meeting=meeting,
            version=payload.version,
            field=payload.field,
            value=payload.value,
            reason=payload.reason,
            actor=user_of(request),
        )
    return 201, with_version(amendment, meeting)


@meetings.get("/{meeting_id}/amendments", response=list[AmendmentOut])
@paginate(Page)
def amendment_list(request: HttpRequest, meeting_id: int) -> QuerySet[Amendment]:
    """The corrections of the adopted minutes, oldest first, each beside the original."""
    meeting = get_record_for(request, meeting_id)
    return meeting.amendments.order_by("at", "pk")


@meetings.get("/{meeting_id}/roster", response=list[AttendanceOut])
@paginate(Page)
def roster_read(request: HttpRequest, meeting_id: int) -> QuerySet[Attendance]:
    meeting = get_record_for(request, meeting_id)
    return meeting.roster.select_related("member").order_by("member__search_name", "pk")


@meetings.get("/{meeting_id}/votes", response=list[VoteOut])
@paginate(Page)
def vote_list(request: HttpRequest, meeting_id: int) -> QuerySet[Vote]:
    meeting = get_record_for(request, meeting_id)
    ballots = Prefetch("ballots", queryset=Ballot.objects.order_by("member_id", "pk"))
    return meeting.votes.prefetch_related(ballots).order_by("recorded_at", "pk")


@meetings.post("/{meeting_id}/check-in", response=AttendanceOut)
def check_in(request: HttpRequest, meeting_id: int, payload: CheckInIn) -> Attendance:
    """A member marks themself present with the code shown at the meeting."""
    user = user_of(request)
    meeting = access.get_meeting_for(user, meeting_id)
    member = Member.all_objects.filter(pk=user.member_id).first() if user.member_id else None
    if member is None:
        raise PermissionDenied
    return services.attendance_check_in(
        meeting=meeting, member=member, code=payload.code, actor=user_of(request)
    )


add_guest_routes(meetings)
add_record_routes(meetings)
add_prepare_routes(meetings)
add_quality_routes(meetings)
