"""Rows of the meetings sheet, and how the three sheets of past meetings find a meeting.

Past meetings are recorded through the meetings services in the order a secretary records
them on the day: create and hold (here), freeze the roster and mark attendance
(attendance.py), score (ratings.py); the minutes are adopted once every sheet is done.
A meeting is found by its cell, its day and its kind, in every sheet."""

import datetime as dt

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.formats import date, number
from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Key,
    Outcome,
    Values,
    changes,
    fail,
    merged,
    record,
    show,
)
from chibo.org.importing import writable_unit
from chibo.org.models import OrgUnit

from ..models import Kind, Meeting, State
from ..services import meeting_create, meeting_hold, meeting_record_adopted
from .sheets import ATTENDANCE, MEETINGS

SHOWN_MISSING = 5  # names listed when a roster lacks attendance rows


def to_adopt(ctx: Context) -> dict[int, Key]:
    """Meetings held by this import whose minutes are to be adopted once the attendance and
    rating sheets are done (meeting pk -> the row's key)."""
    return ctx.state.setdefault(MEETINGS.key, {})


def locked() -> str:
    return _("The minutes of this meeting are adopted and locked; record an amendment instead.")


# Finding a meeting ----------------------------------------------------------------------------


def meeting_key(v: Values) -> Key:
    return (v["cell_code"].upper(), v["date"], v["kind"] or Kind.REGULAR)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def meeting_label(cell_code: str, day: dt.date, kind: str) -> str:
    return record(cell_code, date(day), show(MEETINGS, "kind", kind))


def _find(cell: OrgUnit, day: dt.date, kind: str) -> Meeting | None:
    """The cell's meeting of that kind on that day (its `day`: when it started, else when it
    was planned), whatever its state; one in the trash is an error."""
    found = list(
        Meeting.all_objects.filter(cell=cell, kind=kind)
        .annotate(at=Coalesce("started_at", "planned_at"))
        .filter(at__gte=_at(day, dt.time.min), at__lt=_at(day + dt.timedelta(days=1), dt.time.min))
        .select_related("cell")
    )
    # A meeting cancelled or deleted beside the one that took place is not the one meant.
    for keep in (lambda m: not m.is_deleted, lambda m: m.state != State.CANCELLED):
        if len(found) > 1:
            found = [m for m in found if keep(m)] or found
    if len(found) > 1:
        fail(
            _(
                "Chibo has several meetings of this kind in this cell on this day; an import "
                "cannot tell which one the row means."
            ),
            "date",
        )
    if found and found[0].is_deleted:
        fail(_("This meeting is in the trash; restore it before importing it again."), "date")
    return found[0] if found else None


def meeting_of(ctx: Context, v: Values) -> Meeting:
    """The meeting an attendance or rating row names: from the meetings sheet, or in Chibo."""
    cell = writable_unit(ctx, v["cell_code"], "cell_code")
    kind = v["kind"] or Kind.REGULAR
    meeting = _find(cell, v["date"], kind)
    if meeting is None:
        fail(
            _("%(cell)s has no meeting of this kind on %(day)s; add it to the meetings sheet.")
            % {"cell": cell.code, "day": date(v["date"])},
            "date",
        )
    return meeting


# Meetings -------------------------------------------------------------------------------------


def _check_day(cell: OrgUnit, day: dt.date, started: dt.datetime, ended: dt.datetime) -> None:
    if day > timezone.localdate():
        fail(_("The date cannot be in the future."), "date")
    if ended <= started:
        fail(_("The meeting must end after it starts."), "end")
    if ended > timezone.now():
        fail(_("The meeting has not ended yet: the end time is still to come."), "end")
    if cell.founded_on and day < cell.founded_on:
        fail(
            _("%(cell)s was founded on %(day)s, after this meeting.")
            % {"cell": cell.code, "day": date(cell.founded_on)},
            "date",
        )
    if cell.dissolved_on and day > cell.dissolved_on:
        fail(
            _("%(cell)s was dissolved on %(day)s, before this meeting.")
            % {"cell": cell.code, "day": date(cell.dissolved_on)},
            "date",
        )


def _apply_meeting(ctx: Context, v: Values) -> Outcome:
    cell = writable_unit(ctx, v["cell_code"], "cell_code")
    day, kind = v["date"], v["kind"] or Kind.REGULAR
    label = meeting_label(cell.code, day, kind)
    started, ended = _at(day, v["start"]), _at(day, v["end"])
    _check_day(cell, day, started, ended)
    meeting = _find(cell, day, kind)
    if meeting is not None:
        return _update_meeting(ctx, v, meeting, label)
    meeting = meeting_create(
        cell=cell,
        kind=kind,
        planned_at=started,
        place=v["place"],
        topic=v["topic"],
        combined=v["combined"] is True,
        actor=ctx.actor,
    )
    meeting_hold(
        meeting=meeting,
        version=meeting.version,
        started_at=started,
        ended_at=ended,
        resolution=v["resolution"],
        actor=ctx.actor,
    )
    if (v["state"] or State.ADOPTED) == State.ADOPTED:
        to_adopt(ctx)[meeting.pk] = meeting_key(v)
    return Outcome(CREATE, label)


def _update_meeting(ctx: Context, v: Values, meeting: Meeting, label: str) -> Outcome:
    def local(moment: dt.datetime | None) -> dt.time | None:
        return timezone.localtime(moment).time() if moment else None

    current = {
        "start": local(meeting.started_at),
        "end": local(meeting.ended_at),
        "topic": meeting.topic,
        "place": meeting.place,
        "combined": meeting.combined,
        "resolution": meeting.resolution,
        "state": meeting.state,
    }
    wanted = merged(v, current)
    if not v["state"] and meeting.state not in (State.HELD, State.ADOPTED):
        wanted["state"] = State.ADOPTED  # a planned meeting the file says took place
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    if meeting.state == State.CANCELLED:
        fail(_("This meeting was cancelled."), "state")
    if meeting.locked:
        fail(locked(), diff[0][0])
    for key in ("topic", "place", "combined"):
        if current[key] != wanted[key]:
            # The meetings app has no change for these once a meeting exists.
            fail(
                _(
                    "An import does not change this on an existing meeting (now: “%(value)s”); "
                    "leave the cell empty to keep it."
                )
                % {"value": show(MEETINGS, key, current[key])},
                key,
            )
    if any(current[k] != wanted[k] for k in ("start", "end", "resolution")) or current[
        "state"
    ] not in (State.HELD, State.ADOPTED):
        meeting_hold(
            meeting=meeting,
            version=meeting.version,
            started_at=_at(v["date"], wanted["start"]),
            ended_at=_at(v["date"], wanted["end"]),
            resolution=wanted["resolution"],
            actor=ctx.actor,
        )
    if wanted["state"] == State.ADOPTED:
        to_adopt(ctx)[meeting.pk] = meeting_key(v)
    return Outcome(UPDATE, label, diff)


def _adopt(ctx: Context) -> dict[Key, list[tuple[str, str]]]:
    """Adopt the minutes of the meetings the file gives as adopted, now that their attendance
    and scores are in: as `meeting_adopt` does, every member on the roster must be marked.

    Not through `meeting_adopt`: a past meeting's resolution has no vote in Chibo to check,
    and the minutes were adopted when the meeting closed, not today."""
    problems: dict[Key, list[tuple[str, str]]] = {}
    actor = ctx.actor
    for pk, key in to_adopt(ctx).items():
        meeting = Meeting.all_objects.get(pk=pk)
        unmarked = [r for r in meeting.roster.select_related("member") if not r.presence]
        if unmarked:
            # A member whose own row failed has that row's error already.
            rows = ctx.keys.get(ATTENDANCE.key, set())
            missing = [r.member for r in unmarked if (*key, r.member.code) not in rows]
            if missing:
                names = ", ".join(f"{m.full_name} ({m.code})" for m in missing[:SHOWN_MISSING])
                if len(missing) > SHOWN_MISSING:
                    names += ", …"
                problems[key] = [
                    (
                        _(
                            "Members on the roster without attendance (%(count)s): %(names)s. "
                            "Minutes are adopted only when everyone is marked: add their rows "
                            "to the attendance sheet, or import the meeting as held."
                        )
                        % {"count": number(len(missing)), "names": names},
                        "state",
                    )
                ]
            continue
        meeting_record_adopted(meeting=meeting, version=meeting.version, actor=actor)
    return problems


MEETING_HANDLER = Handler(
    sheet=MEETINGS,
    key=meeting_key,
    apply=_apply_meeting,
    fields={
        "cell": "cell_code",
        "kind": "kind",
        "topic": "topic",
        "place": "place",
        "combined": "combined",
        "planned_at": "start",
        "started_at": "start",
        "ended_at": "end",
        "resolution": "resolution",
    },
    finish=_adopt,
)
