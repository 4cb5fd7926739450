"""What the meeting endpoints share: the stale-version answer, times and months, the meeting
for a reader of its record or a writer, the output schemas."""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, PlainSerializer, field_serializer
from pydantic_core import PydanticCustomError

from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema, SchemaName
from chibo.meetings import access

from ..models import (
    Attendance,
    Choice,
    Kind,
    Meeting,
    Presence,
    State,
    VoteKind,
    VoteMethod,
)

# Components named apart from the unit kinds and the official reviews' outcomes.
MeetingKind = Annotated[Kind, SchemaName("MeetingKind")]


@contextmanager
def versioned() -> Iterator[None]:
    """A service refusing a stale version is a conflict (409), not bad input (422): the
    client reloads the meeting and tries again."""
    try:
        yield
    except ValidationError as exc:
        if any(e.code == "stale" for e in getattr(exc, "error_list", [])):
            raise HttpError(409, " ".join(exc.messages)) from None
        raise


def aware(value: dt.datetime) -> dt.datetime:
    """A time without an offset is Vietnam's (TIME_ZONE), as on the pages."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _month(value: Any) -> Any:
    """A month as "YYYY-MM" (a whole date is accepted too), read as its first day."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value.strip()):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01").replace(day=1)
        except ValueError:
            pass
    raise PydanticCustomError("month", _("Give the month as YYYY-MM."))


Month = Annotated[
    dt.date,
    BeforeValidator(_month),
    PlainSerializer(lambda d: f"{d:%Y-%m}", return_type=str),
]


def _time(value: Any) -> Any:
    """A time of day as "HH:MM" (or "HH:MM:SS"), as the pages take it."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).time()
            except ValueError:
                continue
    raise PydanticCustomError("time", _("Enter a valid time."))


TimeOfDay = Annotated[
    dt.time,
    BeforeValidator(_time),
    PlainSerializer(lambda t: f"{t:%H:%M}", return_type=str),
]


class Versioned(InSchema):
    version: int


class MeetingVersion(Schema):
    meeting_version: int


def with_version[T](obj: T, meeting: Meeting) -> T:
    """A change to part of a meeting answers that part and the meeting's new version."""
    meeting.refresh_from_db(fields=["version"])
    obj.meeting_version = meeting.version  # type: ignore[attr-defined]
    return obj


def writable(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting, for a writer (office, secretary): a reader gets 403, an outsider 404."""
    return access.get_meeting_for(user_of(request), meeting_id, write=True)


def get_record_for(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting, for a reader of its whole record (roster, votes, minutes). A member reads
    the schedule of their own cell, not the record: 403."""
    user = user_of(request)
    meeting = access.get_meeting_for(user, meeting_id)
    if not access.can_read_meeting_record(user, meeting):
        raise HttpError(403, _("You may see this meeting's schedule but not its record."))
    return meeting


class MeetingOut(Schema):
    id: int
    cell: int = Field(validation_alias="cell_id")
    kind: MeetingKind
    topic: str
    combined: bool
    prepares: int | None = Field(validation_alias="prepares_id")
    planned_at: dt.datetime
    place: str
    state: State
    note: str = Field(description="The reason for the last move or the cancellation.")
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    adopted_at: dt.datetime | None
    version: int = Field(description="Send it back with every change to this meeting.")

    @field_serializer("planned_at", "started_at", "ended_at", "adopted_at")
    def local(self, value: dt.datetime | None) -> dt.datetime | None:
        # In Vietnam's time, as on the pages and in the minutes.
        return value and timezone.localtime(value)


class TurnoutOut(Schema):
    present: int
    expected: int


class MeetingDetail(MeetingOut):
    # Set by meetings._detail: the record's figures are for a reader of the record only.
    resolution: str | None = Field(
        validation_alias="record_resolution", description="Null for a reader of the schedule."
    )
    duration_minutes: int | None
    turnout: TurnoutOut | None = Field(
        validation_alias="record_turnout", description="Null until the roster is frozen."
    )
    counted_for_vote: int | None = Field(
        validation_alias="record_counted",
        description="Official members counted for a vote; null until the roster is frozen.",
    )
    minimum_minutes: int | None = Field(
        validation_alias="record_minimum",
        description="The least length in force on the meeting day, once it is held "
        "(null: no rule, or not for this kind of meeting).",
    )
    long_enough: bool | None = Field(
        validation_alias="record_long_enough",
        description="Lasted at least minimum_minutes (null when either is unknown).",
    )
    checkin_code: str | None = Field(
        validation_alias="record_checkin_code",
        description="The code members check in with, for a writer of the meeting while the "
        "roster is open; null otherwise.",
    )


class AttendanceOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str = Field(validation_alias="member.full_name")
    official: bool
    exempt: bool
    away: bool
    hosted: bool
    presence: Presence | None

    reason: str
    late: bool
    left_early: bool
    checked_in_at: dt.datetime | None

    @staticmethod
    def resolve_presence(obj: Attendance) -> str | None:
        return obj.presence or None


class AttendanceChanged(AttendanceOut):
    meeting_version: int


class BallotOut(Schema):
    member: int = Field(validation_alias="member_id")
    choice: Choice
    counted: bool


class VoteOut(Schema):
    id: int
    subject: str
    kind: VoteKind
    method: VoteMethod
    votes_for: int
    votes_against: int
    abstained: int
    on_resolution: bool
    counted: int
    passed: bool
    recorded_at: dt.datetime
    ballots: list[BallotOut]


class VoteRecorded(VoteOut):
    meeting_version: int


class AmendmentOut(Schema):
    id: int
    field: str
    before: str
    after: str
    reason: str
    by: int = Field(validation_alias="by_id")
    at: dt.datetime


class AmendmentRecorded(AmendmentOut):
    meeting_version: int
