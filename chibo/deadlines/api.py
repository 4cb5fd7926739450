"""/api/v1/deadlines: a unit's deadline lists on a day, its removal review for a year, and a
member's timeline; scoped like the pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chibo.accounts.authentication import user_of
from chibo.core.api import today
from chibo.members import access as member_access
from chibo.members.models import Status
from chibo.org import access as org_access

from .forms import FIRST_YEAR
from .removal import RemovalReview, removal_review
from .services import Board, MemberRow, deadline_board
from .timeline import Timeline, member_timeline

deadlines = Router(tags=["deadlines"])


class MemberDueOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    start: dt.date | None = Field(description="The day the deadline counts from.")
    deadline: dt.date | None = Field(description="Null when no rule was in force on `start`.")
    overdue: bool
    voted_on: dt.date | None = Field(description="Reviews: the day the cell voted.")


class MemberListOut(Schema):
    count: int
    overdue: int
    items: list[MemberDueOut]


class TaskOut(Schema):
    id: int = Field(validation_alias="task_id")
    text: str
    member: int | None = Field(validation_alias="member_id")
    assignee: str
    cell: int = Field(validation_alias="cell_id")
    cell_name: str
    meeting: int = Field(validation_alias="meeting_id")
    given_on: dt.date
    due_on: dt.date


class TaskListOut(Schema):
    count: int
    items: list[TaskOut]


class MissedOut(Schema):
    meeting: int = Field(validation_alias="meeting_id")
    day: dt.date
    cell: int = Field(validation_alias="cell_id")
    cell_name: str


class RemovalRowOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    count: int
    missed: list[MissedOut]


class RemovalOut(Schema):
    year: int
    as_of: dt.date = Field(description="31/12 of the year, or the day asked in a year not over.")
    threshold: int | None = Field(description="Missed meetings that start a review (the rule).")
    count: int
    items: list[RemovalRowOut]


class BadgesOut(Schema):
    occasion: dt.date
    name: str
    due: int = Field(description="Due, early (illness) or posthumous, not held back.")
    held: int = Field(description="Held back by a discipline.")


class BoardOut(Schema):
    unit: int
    on: dt.date
    ceremonies: MemberListOut = Field(description="Admission ceremonies not yet held.")
    probations: MemberListOut = Field(description="Probations ending within 30 days.")
    reviews: MemberListOut = Field(description="Probation ended, the cell has not voted.")
    decisions: MemberListOut = Field(description="The cell has voted, the decision awaited.")
    tasks: TaskListOut = Field(description="Meeting tasks open past their due date.")
    removal: RemovalOut = Field(description="The removal review for the year of `on`.")
    badges: BadgesOut | None = Field(description="Counts for the next award occasion.")


class EntryOut(Schema):
    day: dt.date
    what: str
    title: str
    detail: str
    decision: str


class DueOut(Schema):
    ceremonies: list[MemberDueOut]
    probations: list[MemberDueOut]
    reviews: list[MemberDueOut]
    decisions: list[MemberDueOut]
    tasks: list[TaskOut]
    year: int
    absences: int = Field(description="Monthly meetings missed without a valid reason.")
    removal_threshold: int | None


class TimelineOut(Schema):
    member: int
    full_name: str
    on: dt.date
    status: Status | None
    exempt: bool
    party_age_from: dt.date | None
    party_age_years: int | None
    party_age_months: int | None
    entries: list[EntryOut]
    due: DueOut


def _members(rows: list[MemberRow]) -> dict:
    return {"count": len(rows), "overdue": Board.overdue(rows), "items": rows}


def _removal(result: RemovalReview) -> dict:
    return {
        "year": result.year,
        "as_of": result.as_of,
        "threshold": result.threshold,
        "count": len(result.rows),
        "items": result.rows,
    }


def _unit(request: HttpRequest, unit: int):
    user = user_of(request)
    org_access.require_staff(user)
    return org_access.get_unit_for(user, unit)


@deadlines.get("", response=BoardOut)
def board(request: HttpRequest, unit: int, on: dt.date | None = None) -> dict:
    """Every deadline list of the unit's subtree on `on` (default today), every row."""
    scope = _unit(request, unit)
    on = on or today()
    if on.year < FIRST_YEAR:
        raise ValidationError({"on": _("Choose a day from %(year)s on.") % {"year": FIRST_YEAR}})
    result = deadline_board(scope, on)
    return {
        "unit": scope.pk,
        "on": on,
        "ceremonies": _members(result.ceremonies),
        "probations": _members(result.probations),
        "reviews": _members(result.reviews),
        "decisions": _members(result.decisions),
        "tasks": {"count": len(result.tasks), "items": result.tasks},
        "removal": _removal(removal_review(scope, on.year, on)),
        "badges": result.badges,
    }


@deadlines.get("/removal-review", response=RemovalOut)
def removal(request: HttpRequest, unit: int, year: int | None = None) -> dict:
    """Members of the subtree who missed the rule's number of monthly meetings without a valid
    reason in `year` (default this year), with those meetings."""
    scope = _unit(request, unit)
    on = today()
    year = year or on.year
    if not FIRST_YEAR <= year <= on.year:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": on.year}
            }
        )
    return _removal(removal_review(scope, year, on))


@deadlines.get("/timeline/{member_id}", response=TimelineOut)
def timeline(request: HttpRequest, member_id: int, on: dt.date | None = None) -> dict:
    """A member's life in the Party in date order, status and party age on `on` (default
    today), what is due. Read like the full record: a read from outside the member's cell is
    audited."""
    user = user_of(request)
    member = member_access.get_member_for(user, member_id)
    member_access.record_read(user, member, "api")
    result: Timeline = member_timeline(member, on or today())
    age = result.party_age
    return {
        "member": member.pk,
        "full_name": member.full_name,
        "on": result.on,
        "status": result.status or None,
        "exempt": result.exempt,
        "party_age_from": result.party_age_from,
        "party_age_years": age.years if age else None,
        "party_age_months": age.months if age else None,
        "entries": result.entries,
        "due": result.due,
    }
