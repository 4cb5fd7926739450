"""/api/v1/deadlines: a unit's deadline lists on a day and a member's timeline, scoped like
the pages. Their fields are the parts the domains register (chibo.core.deadlines), each with
its schema, in their order. (The removal review for a year, /deadlines/removal-review, is
meetings' endpoint.)"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import create_model

from chibo.accounts.authentication import user_of
from chibo.core.api import Day, today
from chibo.core.deadlines import BOARD, DUE, Part, ordered
from chibo.members import access as member_access
from chibo.members.models import Status
from chibo.org import access as org_access

from .forms import FIRST_YEAR
from .queries import Timeline, deadline_board, member_timeline

deadlines = Router(tags=["deadlines"])


def _fields(parts: list[Part]) -> dict[str, Any]:
    return {p.key: (p.schema, Field(description=p.description or None)) for p in parts}


DeadlineBoardOut = create_model(
    "DeadlineBoardOut",
    __base__=Schema,
    unit=(int, ...),
    on=(dt.date, ...),
    **_fields([p for source in ordered(BOARD) for p in source.parts]),
)
TimelineDueOut = create_model(
    "TimelineDueOut",
    __base__=Schema,
    year=(int, ...),
    **_fields([p for source in ordered(DUE) for p in source.parts]),
)


class EntryOut(Schema):
    day: dt.date
    what: str
    title: str
    detail: str
    decision: str


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
    due: TimelineDueOut  # type: ignore[valid-type]


def _unit(request: HttpRequest, unit: int):
    user = user_of(request)
    org_access.require_staff(user)
    return org_access.get_unit_for(user, unit)


@deadlines.get("", response=DeadlineBoardOut)
def board(request: HttpRequest, unit: int, on: Day | None = None) -> dict:
    """Every deadline list of the unit's subtree on `on` (default today), every row."""
    scope = _unit(request, unit)
    on = on or today()
    if on.year < FIRST_YEAR:
        raise ValidationError({"on": _("Choose a day from %(year)s on.") % {"year": FIRST_YEAR}})
    result = deadline_board(scope, on)
    out: dict[str, Any] = {"unit": scope.pk, "on": on}
    for source, values in result.sources:
        for part in source.parts:
            out[part.key] = part.api(values[part.key])
    return out


@deadlines.get("/timeline/{member_id}", response=TimelineOut)
def timeline(request: HttpRequest, member_id: int, on: Day | None = None) -> dict:
    """A member's life in the Party in date order, status and party age on `on` (default
    today), what is due. Read like the full record: a read from outside the member's cell is
    audited."""
    user = user_of(request)
    member = member_access.get_member_for(user, member_id)
    member_access.record_read(user, member, "api")
    result: Timeline = member_timeline(member, on or today())
    age = result.party_age
    due: dict[str, Any] = {"year": result.on.year}
    for source, values in result.due:
        for part in source.parts:
            due[part.key] = part.api(values[part.key])
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
        "due": due,
    }
