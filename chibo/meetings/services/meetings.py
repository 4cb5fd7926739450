"""Writes to meetings. Each is a service (`@audit.write`: one transaction, one audit event
about the meeting); each that changes a meeting names the version the person saw (optimistic
locking), so two secretaries saving at once lose nothing: the second save is refused with a
clear message instead of silently overwriting the first."""

import datetime as dt
import secrets
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import rules
from chibo.core import audit
from chibo.core.formats import datetime as vn_datetime
from chibo.core.versions import check_version
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind, Status
from chibo.org.models import OrgUnit

from ..models import (
    Amendment,
    Attendance,
    Ballot,
    Choice,
    Guest,
    Kind,
    Meeting,
    Presence,
    QualityScore,
    Schedule,
    State,
    Vote,
    VoteKind,
    VoteMethod,
)
from ..reminders import meeting_changed

# The parts of adopted minutes an amendment may change, with their names in its event.
AMENDABLE = {"resolution": gettext_lazy("resolution")}

SCHEDULE_SET = audit.kind(
    "meetings.schedule_set",
    gettext_lazy("Usual meeting day set: day %(day)s of the month at %(time)s, at %(place)s"),
)
PLANNED = audit.kind(
    "meetings.planned",
    gettext_lazy("%(count)s regular meetings planned, from %(first)s to %(last)s"),
)
CREATED = audit.kind(
    "meetings.created", gettext_lazy("Meeting created: %(kind)s, planned for %(planned_at)s")
)
MOVED = audit.kind(
    "meetings.moved", gettext_lazy("Meeting moved from %(old)s to %(new)s: %(reason)s")
)
CANCELLED = audit.kind("meetings.cancelled", gettext_lazy("Meeting cancelled: %(reason)s"))
ROSTER_FROZEN = audit.kind(
    "meetings.roster_frozen", gettext_lazy("Roster frozen with %(count)s members")
)
ATTENDANCE_MARKED = audit.kind(
    "meetings.attendance_marked", gettext_lazy("Attendance of %(member)s marked: %(presence)s")
)
CHECKED_IN = audit.kind("meetings.checked_in", gettext_lazy("%(member)s checked in at the meeting"))
VOTE_RECORDED = audit.kind(
    "meetings.vote_recorded",
    gettext_lazy(
        "Vote on “%(subject)s” recorded: %(votes_for)s for, %(votes_against)s against,"
        " %(abstained)s abstaining; %(outcome)s"
    ),
)
PASSED, NOT_PASSED = gettext_lazy("passed"), gettext_lazy("not passed")
HELD = audit.kind(
    "meetings.held",
    gettext_lazy("Meeting recorded as held on %(day)s, from %(started)s to %(ended)s"),
)
ADOPTED = audit.kind("meetings.adopted", gettext_lazy("Minutes adopted"))
RECORDED_ADOPTED = audit.kind(
    "meetings.recorded_adopted", gettext_lazy("Minutes recorded as adopted on %(day)s")
)
AMENDED = audit.kind(
    "meetings.amended", gettext_lazy("Adopted minutes amended (%(field)s): %(reason)s")
)
GUEST_ADDED = audit.kind("meetings.guest_added", gettext_lazy("Guest added: %(name)s"))
GUEST_REMOVED = audit.kind("meetings.guest_removed", gettext_lazy("Guest removed: %(name)s"))


def claim(meeting: Meeting, version: int) -> Meeting:
    """Lock the meeting row for this change, or refuse if it moved on since `version`."""
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ValidationError(
            _("Someone else changed this meeting since you opened it. Reload it and try again."),
            code="stale",
        )
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.__dict__.update(fresh.__dict__)
    return meeting


def check_not_locked(meeting: Meeting) -> None:
    if meeting.locked:
        raise ValidationError(
            _("The minutes of this meeting are adopted and locked; record an amendment instead."),
            code="locked",
        )


# Planning -------------------------------------------------------------------------------------


@audit.write
def schedule_set(
    *, cell: OrgUnit, day: int, time: dt.time, place: str, version: int | None = None, actor
) -> Schedule:
    """Set the cell's usual meeting day, time and place (replacing the previous ones).
    `version`: the one of the schedule the person read (core.versions), 0 when the cell had
    none yet, so that two first saves (the secretary on a phone and the commune office) do
    not overwrite each other; None sets it as it is now."""
    if not cell.holds_members:
        raise ValidationError({"cell": _("Only a cell has a meeting schedule.")})
    if not 1 <= day <= 28:
        raise ValidationError({"day": _("Choose a day from 1 to 28, so that every month has it.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the cell meets.")})
    current = Schedule.objects.filter(cell=cell).first()
    values = {"day": day, "time": time, "place": place.strip()}
    schedule = None
    if current is None:
        try:
            with transaction.atomic():
                schedule = Schedule.objects.create(cell=cell, **values)
        except IntegrityError:
            # The first save from another device, at the same moment: with the version 0
            # read, that one stays (check_version refuses); without one, this replaces it.
            current = Schedule.objects.filter(cell=cell).first()
            if current is None:
                raise
    if schedule is None:
        assert current is not None
        schedule = check_version(current, version)
        for name, value in values.items():
            setattr(schedule, name, value)
        schedule.save()
    audit.record(
        SCHEDULE_SET,
        actor=actor,
        obj=schedule,
        about=cell,
        day=day,
        time=f"{time:%H:%M}",
        place=schedule.place,
    )
    return schedule


@audit.write
def meetings_plan(*, cell: OrgUnit, start: dt.date, months: int = 3, actor) -> list[Meeting]:
    """Create the regular meetings of the coming `months` from the cell's schedule; a month
    that already has a regular meeting (planned, moved or cancelled) is left as it is (when
    every month has one, nothing is written and no event recorded)."""
    schedule = Schedule.objects.filter(cell=cell).first()
    if schedule is None:
        raise ValidationError(_("Set the cell's usual meeting day first."))
    created = []
    year, month = start.year, start.month
    for _i in range(months):
        day = dt.date(year, month, schedule.day)
        exists = Meeting.all_objects.filter(
            cell=cell, kind=Kind.REGULAR, planned_at__year=year, planned_at__month=month
        ).exists()
        if day >= start and not exists:
            at = timezone.make_aware(dt.datetime.combine(day, schedule.time))
            created.append(
                Meeting.objects.create(
                    cell=cell, kind=Kind.REGULAR, planned_at=at, place=schedule.place
                )
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if created:
        audit.record(
            PLANNED,
            actor=actor,
            obj=schedule,
            about=cell,
            count=len(created),
            first=created[0].day,
            last=created[-1].day,
        )
    return created


@audit.write
def meeting_create(
    *,
    cell: OrgUnit,
    kind: str,
    planned_at: dt.datetime,
    place: str = "",
    topic: str = "",
    combined: bool = False,
    prepares: Meeting | None = None,
    actor,
) -> Meeting:
    if not cell.holds_members:
        raise ValidationError({"cell": _("Meetings are held by a cell.")})
    if kind == Kind.THEMATIC and not topic.strip():
        raise ValidationError({"topic": _("A thematic meeting needs a topic.")})
    if combined and kind != Kind.THEMATIC:
        raise ValidationError(
            {"combined": _("Only a thematic meeting is held together with the monthly one.")}
        )
    if prepares is not None and (kind != Kind.COMMITTEE or prepares.cell_id != cell.pk):
        raise ValidationError(
            {"prepares": _("A committee pre-meeting prepares a meeting of its own cell.")}
        )
    meeting = Meeting(
        cell=cell,
        kind=kind,
        planned_at=planned_at,
        place=place.strip(),
        topic=topic.strip(),
        combined=combined,
        prepares=prepares,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(
        CREATED,
        actor=actor,
        obj=meeting,
        kind=Kind(kind),
        planned_at=vn_datetime(planned_at),
    )
    return meeting


@audit.write
def meeting_move(
    *, meeting: Meeting, version: int, planned_at: dt.datetime, reason: str, actor
) -> Meeting:
    claim(meeting, version)
    if meeting.state != State.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    old, meeting.planned_at = meeting.planned_at, planned_at
    meeting.note = reason.strip()
    meeting.save(update_fields=["planned_at", "note"])
    audit.record(
        MOVED,
        actor=actor,
        obj=meeting,
        old=vn_datetime(old),
        new=vn_datetime(planned_at),
        reason=meeting.note,
    )
    _tell_members(meeting, old_planned_at=old)
    return meeting


@audit.write
def meeting_cancel(*, meeting: Meeting, version: int, reason: str, actor) -> Meeting:
    claim(meeting, version)
    if meeting.state != State.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    meeting.state = State.CANCELLED
    meeting.note = reason.strip()
    meeting.save(update_fields=["state", "note"])
    audit.record(CANCELLED, actor=actor, obj=meeting, reason=meeting.note)
    _tell_members(meeting)
    return meeting


def _tell_members(meeting: Meeting, old_planned_at: dt.datetime | None = None) -> None:
    """After the change is saved, notify who attends, unless the meeting is already past."""
    if max(meeting.planned_at, old_planned_at or meeting.planned_at) < timezone.now():
        return
    transaction.on_commit(lambda: meeting_changed(meeting, old_planned_at=old_planned_at))


# The roster -----------------------------------------------------------------------------------


@audit.write
def roster_freeze(*, meeting: Meeting, version: int, actor) -> list[Attendance]:
    """Freeze the roster from the placements on the meeting day: members officially placed in
    the cell (official, probationary; exempt or away on temporary transfer noted) and members
    temporarily placed here from other cells. Done once; later placements do not change it."""
    claim(meeting, version)
    check_not_locked(meeting)
    if meeting.roster.exists():
        raise ValidationError(_("The roster of this meeting is already frozen."))
    day = meeting.day
    in_party = [s.value for s in IN_PARTY]
    placed = Placement.objects.active_on(day).filter(unit=meeting.cell)
    home_ids = set(placed.filter(kind=PlacementKind.OFFICIAL).values_list("member_id", flat=True))
    hosted_ids = set(
        placed.filter(kind=PlacementKind.TEMPORARY).values_list("member_id", flat=True)
    )
    away_ids = set(
        Placement.objects.active_on(day)
        .filter(kind=PlacementKind.TEMPORARY, member_id__in=home_ids)
        .exclude(unit=meeting.cell)
        .values_list("member_id", flat=True)
    )
    members = (
        Member.objects.filter(pk__in=home_ids | hosted_ids)
        .with_status(day)
        .filter(status__in=in_party)
    )
    rows = [
        Attendance(
            meeting=meeting,
            member=m,
            official=m.status == Status.OFFICIAL,
            exempt=m.exempt,
            away=m.pk in away_ids,
            hosted=m.pk in hosted_ids and m.pk not in home_ids,
        )
        for m in members
    ]
    Attendance.objects.bulk_create(rows)
    if not meeting.checkin_code:
        meeting.checkin_code = f"{secrets.randbelow(10**6):06d}"
        meeting.save(update_fields=["checkin_code"])
    _refresh_turnout(meeting)
    audit.record(ROSTER_FROZEN, actor=actor, obj=meeting, count=len(rows))
    return list(meeting.roster.select_related("member"))


@audit.write
def attendance_mark(
    *,
    meeting: Meeting,
    version: int,
    member: Member,
    presence: str,
    reason: str = "",
    late: bool = False,
    left_early: bool = False,
    actor,
) -> Attendance:
    claim(meeting, version)
    check_not_locked(meeting)
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError({"member": _("This member is not on the meeting's roster.")})
    if presence == Presence.EXCUSED and not reason.strip():
        raise ValidationError({"reason": _("An excused absence needs its reason.")})
    if presence != Presence.PRESENT and (late or left_early):
        raise ValidationError({"late": _("Only someone present can arrive late or leave early.")})
    row.presence, row.reason = presence, reason.strip()
    row.late, row.left_early = late, left_early
    row.full_clean()
    row.save()
    _refresh_turnout(meeting)
    audit.record(
        ATTENDANCE_MARKED,
        actor=actor,
        obj=row,
        about=meeting,
        member=member.full_name,
        presence=Presence(presence),
    )
    return row


@audit.write
def attendance_check_in(*, meeting: Meeting, member: Member, code: str, actor) -> Attendance:
    """A member marks themself present with the code the secretary shows at the meeting
    (`actor`: the member's own account)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_not_locked(meeting)
    if not meeting.checkin_code or not secrets.compare_digest(meeting.checkin_code, code.strip()):
        raise ValidationError({"code": _("That code is not this meeting's code.")})
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError({"code": _("You are not on this meeting's roster.")})
    row.presence, row.checked_in_at = Presence.PRESENT, timezone.now()
    row.save(update_fields=["presence", "checked_in_at"])
    _refresh_turnout(meeting)
    audit.record(CHECKED_IN, actor=actor, obj=row, about=meeting, member=member.full_name)
    return row


@dataclass(frozen=True)
class Turnout:
    present: int
    expected: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.present, self.expected) if self.expected else Fraction(0)


def turnout(meeting: Meeting) -> Turnout:
    """Attendance rate: exempt members count only when they attend; members away on temporary
    transfer attend in the other cell and are not expected here."""
    rows = [r for r in meeting.roster.all() if not r.away]
    expected = [r for r in rows if r.present or not r.exempt]
    return Turnout(present=sum(1 for r in expected if r.present), expected=len(expected))


def _refresh_turnout(meeting: Meeting) -> None:
    """Store `turnout` of the roster rows as they now are on the meeting row (for reports).
    An UPDATE, not save(): the meeting's version and history are left alone."""
    rows = Attendance.objects.filter(meeting_id=meeting.pk, away=False)
    present = Q(presence=Presence.PRESENT)
    counts = rows.aggregate(
        present=Count("pk", filter=present), expected=Count("pk", filter=present | Q(exempt=False))
    )
    Meeting.all_objects.filter(pk=meeting.pk).update(
        present_count=counts["present"], expected_count=counts["expected"]
    )
    meeting.present_count, meeting.expected_count = counts["present"], counts["expected"]


def counted_for_vote(meeting: Meeting) -> int:
    """Official members counted for a vote: the cell's official members that day, less those
    away on temporary transfer, exempt members who are absent, and excused absentees.
    Probationary members never count."""
    count = 0
    for r in meeting.roster.all():
        if not r.official or r.away:
            continue
        if not r.present and (r.exempt or r.presence == Presence.EXCUSED):
            continue
        count += 1
    return count


def vote_passes(*, kind: str, votes_for: int, counted: int, on: dt.date, cell: OrgUnit) -> bool:
    r = rules.at(on, cell)
    if r.ordinary_majority is None or r.special_majority is None:
        raise ValidationError(_("No voting rule was in force on that date."))
    if counted == 0:
        return False
    share = Fraction(votes_for, counted)
    if kind == VoteKind.ORDINARY:
        return share > r.ordinary_majority  # more than half
    return share >= r.special_majority  # at least two thirds


@audit.write
def vote_record(
    *,
    meeting: Meeting,
    version: int,
    subject: str,
    kind: str,
    method: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstained: int = 0,
    ballots: dict[int, str] | None = None,
    on_resolution: bool = False,
    actor,
) -> Vote:
    """Record a vote. By show of hands the counts are given; by name, each member's ballot,
    of which only official members present are counted."""
    claim(meeting, version)
    check_not_locked(meeting)
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    roster = {r.member_id: r for r in meeting.roster.all()}
    if not roster:
        raise ValidationError(_("Freeze the roster and mark attendance before voting."))
    if any(not r.presence for r in roster.values()):
        raise ValidationError(_("Mark everyone's attendance before voting."))
    voters = [r for r in roster.values() if r.official and r.present and not r.away]
    counted = counted_for_vote(meeting)
    keep: list[Ballot] = []
    if method == VoteMethod.NAMED:
        ballots = ballots or {}
        unknown = set(ballots) - set(roster)
        if unknown:
            raise ValidationError({"ballots": _("A ballot names someone not on the roster.")})
        tally = dict.fromkeys(Choice.values, 0)
        voter_ids = {r.member_id for r in voters}
        for member_id, choice in ballots.items():
            if choice not in tally:
                raise ValidationError({"ballots": _("Unknown choice in a ballot.")})
            counts = member_id in voter_ids  # probationary or absent: kept, not counted
            keep.append(Ballot(member_id=member_id, choice=choice, counted=counts))
            if counts:
                tally[choice] += 1
        votes_for, votes_against, abstained = tally["for"], tally["against"], tally["abstain"]
    if min(votes_for, votes_against, abstained) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    if votes_for + votes_against + abstained > len(voters):
        raise ValidationError(
            _("More votes (%(n)s) than official members present who may vote (%(m)s).")
            % {"n": votes_for + votes_against + abstained, "m": len(voters)}
        )
    vote = Vote.objects.create(
        meeting=meeting,
        subject=subject.strip(),
        kind=kind,
        method=method,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        counted=counted,
        on_resolution=on_resolution and kind == VoteKind.ORDINARY,
        passed=vote_passes(
            kind=kind, votes_for=votes_for, counted=counted, on=meeting.day, cell=meeting.cell
        ),
    )
    for b in keep:
        b.vote = vote
    Ballot.objects.bulk_create(keep)
    audit.record(
        VOTE_RECORDED,
        actor=actor,
        obj=vote,
        about=meeting,
        subject=vote.subject,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        outcome=PASSED if vote.passed else NOT_PASSED,
    )
    return vote


# Holding, adopting, amending ------------------------------------------------------------------


@audit.write
def meeting_hold(
    *,
    meeting: Meeting,
    version: int,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    resolution: str = "",
    actor,
) -> Meeting:
    claim(meeting, version)
    check_not_locked(meeting)
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The meeting must end after it starts.")})
    meeting.started_at, meeting.ended_at = started_at, ended_at
    meeting.resolution = resolution
    meeting.state = State.HELD
    meeting.save(update_fields=["started_at", "ended_at", "resolution", "state"])
    audit.record(
        HELD,
        actor=actor,
        obj=meeting,
        day=meeting.day,
        started=f"{timezone.localtime(started_at):%H:%M}",
        ended=f"{timezone.localtime(ended_at):%H:%M}",
    )
    return meeting


def minimum_minutes(meeting: Meeting) -> int | None:
    """The minimum length in force on the meeting day (None: no rule then)."""
    r = rules.at(meeting.day, meeting.cell)
    if meeting.kind == Kind.COMMITTEE or meeting.kind == Kind.EXTRAORDINARY:
        return None
    return r.meeting_min_minutes_combined if meeting.combined else r.meeting_min_minutes


def long_enough(meeting: Meeting) -> bool | None:
    minimum, length = minimum_minutes(meeting), meeting.duration_minutes
    if minimum is None or length is None:
        return None
    return length >= minimum


def _ends_in_future(meeting: Meeting) -> bool:
    return meeting.ended_at is not None and meeting.ended_at > timezone.now()


def _future_end_message(meeting: Meeting) -> str:
    assert meeting.ended_at is not None
    return _(
        "The minutes say the meeting ended at %(end)s, which is later than now: correct the"
        " end time before adopting them."
    ) % {"end": vn_datetime(meeting.ended_at)}


def adoption_warnings(meeting: Meeting) -> list[str]:
    """What the person adopting the minutes is warned of on the confirm step: no quality
    score yet (it can still be given after adoption), no vote on record, an end time later
    than now (then adoption is refused: `meeting_adopt`)."""
    warnings = []
    if _ends_in_future(meeting):
        warnings.append(_future_end_message(meeting))
    if not meeting.votes.exists():
        warnings.append(_("No vote is recorded at this meeting."))
    if not QualityScore.objects.filter(meeting=meeting).exists():
        warnings.append(
            _("The meeting has no quality score yet; it can still be given after adoption.")
        )
    return warnings


@audit.write
def meeting_adopt(*, meeting: Meeting, version: int, actor) -> Meeting:
    """The minutes are read back and adopted at the meeting: from now on they are locked.
    Minutes that say the meeting ended later than now are not adopted (correct the end time
    first): they would record a time that has not come."""
    claim(meeting, version)
    if meeting.state != State.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be adopted."))
    if _ends_in_future(meeting):
        raise ValidationError(_future_end_message(meeting), code="ends_in_future")
    if meeting.roster.filter(presence="").exists():
        raise ValidationError(_("Mark everyone's attendance before adopting the minutes."))
    if meeting.resolution.strip():
        last = meeting.votes.filter(on_resolution=True).order_by("-recorded_at", "-pk").first()
        if last is None:
            raise ValidationError(_("The resolution has not been voted on."))
        if not last.passed:
            raise ValidationError(_("The resolution did not pass and cannot be issued."))
    meeting.state, meeting.adopted_at, meeting.adopted_by = State.ADOPTED, timezone.now(), actor
    meeting.save(update_fields=["state", "adopted_at", "adopted_by"])
    audit.record(ADOPTED, actor=actor, obj=meeting)
    return meeting


@audit.write
def meeting_record_adopted(*, meeting: Meeting, version: int, actor) -> Meeting:
    """Minutes adopted in the past, brought in from the paper book or a workbook: their vote
    is not on record, so none is asked for; attendance must still be complete. Adopted at the
    end of the meeting, by whoever recorded it."""
    claim(meeting, version)
    if meeting.state != State.HELD or meeting.ended_at is None:
        raise ValidationError(_("Only the minutes of a held meeting can be adopted."))
    if _ends_in_future(meeting):
        raise ValidationError(_future_end_message(meeting), code="ends_in_future")
    if meeting.roster.filter(presence="").exists():
        raise ValidationError(_("Mark everyone's attendance before adopting the minutes."))
    meeting.state, meeting.adopted_at, meeting.adopted_by = State.ADOPTED, meeting.ended_at, actor
    meeting.save(update_fields=["state", "adopted_at", "adopted_by"])
    day = timezone.localtime(meeting.ended_at).date()
    audit.record(RECORDED_ADOPTED, actor=actor, obj=meeting, day=day)
    return meeting


@audit.write
def meeting_amend(
    *, meeting: Meeting, version: int, field: str, value: str, reason: str, actor
) -> Amendment:
    """Correct adopted minutes: the change is recorded beside the original, with who and why."""
    claim(meeting, version)
    if meeting.state != State.ADOPTED:
        raise ValidationError(_("Only adopted minutes are amended; edit the draft instead."))
    if field not in AMENDABLE:
        raise ValidationError({"field": _("That part of the minutes cannot be amended.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    before = getattr(meeting, field)
    amendment = Amendment.objects.create(
        meeting=meeting, field=field, before=before, after=value, reason=reason.strip(), by=actor
    )
    setattr(meeting, field, value)
    meeting.save(update_fields=[field])
    audit.record(
        AMENDED,
        actor=actor,
        obj=amendment,
        about=meeting,
        field=AMENDABLE[field],
        reason=amendment.reason,
    )
    return amendment


# Guests ---------------------------------------------------------------------------------------


@audit.write
def guest_add(
    *,
    meeting: Meeting,
    version: int,
    name: str = "",
    role: str = "",
    follower: bool = False,
    follow=None,
    actor,
) -> Guest:
    """A guest by name and role; or the superior follower assigned to the cell on the meeting
    day (`follow`), named from their account, who may then confirm the meeting's score."""
    claim(meeting, version)
    check_not_locked(meeting)
    if follow is not None:
        if follow.cell_id != meeting.cell_id or not (
            follow.start <= meeting.day and (follow.end is None or follow.end > meeting.day)
        ):
            raise ValidationError(
                {"follow": _("This follower is not assigned to the cell on the meeting day.")}
            )
        if meeting.guests.filter(follow=follow).exists():
            raise ValidationError({"follow": _("This follower is already on the guest list.")})
        name = name.strip() or follow.follower_name
        role = role.strip() or "Cấp ủy viên cấp trên theo dõi chi bộ"
        follower = True
    if not name.strip():
        raise ValidationError({"name": _("Give the guest's name.")})
    guest = Guest(
        meeting=meeting, name=name.strip(), role=role.strip(), follower=follower, follow=follow
    )
    guest.full_clean()
    guest.save()
    audit.record(GUEST_ADDED, actor=actor, obj=guest, about=meeting, name=guest.name)
    return guest


@audit.write
def guest_remove(*, meeting: Meeting, version: int, guest_id: int, actor) -> None:
    claim(meeting, version)
    check_not_locked(meeting)
    guest = meeting.guests.filter(pk=guest_id).first()
    if guest is None:
        raise ValidationError(_("This guest is not on the meeting's list."))
    # Recorded while the row still has its id, which its history keeps after the delete.
    audit.record(GUEST_REMOVED, actor=actor, obj=guest, about=meeting, name=guest.name)
    guest.delete()
