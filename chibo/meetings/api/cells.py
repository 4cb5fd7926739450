"""A cell's meetings as a whole: its usual schedule, planning the coming months from it, the
rating of its year; and a member's own meetings. Scoped like the cell's meetings page: a
person with a unit role reads the cells in scope (outside: 404) and a writer changes them; a
plain member has only their own meetings (403 here)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Conflict, Filters, InSchema, Page
from chibo.meetings import access
from chibo.org import access as org_access
from chibo.org.models import OrgUnit

from .. import services
from ..models import Meeting, Rating, Schedule
from ..services import quality
from .common import MeetingOut, TimeOfDay


def cell_for(request: HttpRequest, cell_id: int, *, write: bool = False) -> OrgUnit:
    """As the cell's meetings page: a unit role first, then the cell in scope, then a cell."""
    user = user_of(request)
    try:
        org_access.require_staff(user)
    except PermissionDenied:
        raise HttpError(
            403, _("A member sees their own meetings (GET /meetings/mine), not the cell's plan.")
        ) from None
    cell = org_access.get_unit_for(user, cell_id, write=write)
    if not cell.holds_members:
        raise Http404
    return cell


class ScheduleIn(InSchema):
    day: int = Field(description="Day of the month, 1-28 (every month has it).")
    time: TimeOfDay = Field(description='"HH:MM", Vietnam\'s time.')
    place: str = Field(max_length=200)
    version: int | None = Field(
        None,
        ge=0,
        description="The version read (GET), 0 when the cell had no schedule: if it was set "
        "since, 409 and nothing is written. Without it the schedule is set as it is now.",
    )


class ScheduleOut(Schema):
    cell: int = Field(validation_alias="cell_id")
    day: int
    time: TimeOfDay
    place: str
    version: int = Field(description="Send it back with a change (PUT) to detect a conflict.")


class YearRatingFilters(Filters):
    year: int | None = Field(None, ge=1900, le=2100, description="This year if omitted.")


class YearRatingOut(Schema):
    cell: int
    year: int
    rating: Rating | None = Field(
        description="Null when no regular meeting was held, or some are not scored yet."
    )
    meetings: int = Field(description="Regular monthly meetings held (not cancelled).")
    good: int = Field(description="Of which rated good.")
    unscored: int = Field(description="Held but not scored yet.")


def add_cell_routes(router: Router) -> None:
    @router.get("/mine", response=list[MeetingOut])
    @paginate(Page)
    def my_meetings(request: HttpRequest) -> QuerySet[Meeting]:
        """The caller's own meetings from today on (their cell's, and any whose roster lists
        them), whatever unit roles they hold: a member's schedule."""
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            access.own_meetings_for(user_of(request))
            .filter(planned_at__gte=start)
            .order_by("planned_at", "pk")
        )

    @router.get("/cells/{cell_id}/schedule", response=ScheduleOut)
    def schedule_read(request: HttpRequest, cell_id: int) -> Schedule:
        cell = cell_for(request, cell_id)
        schedule = Schedule.objects.filter(cell=cell).first()
        if schedule is None:
            raise HttpError(404, _("This cell has no usual meeting day yet."))
        return schedule

    @router.put("/cells/{cell_id}/schedule", response={200: ScheduleOut, 409: Conflict})
    def schedule_set(request: HttpRequest, cell_id: int, payload: ScheduleIn) -> Schedule:
        """Set the cell's usual meeting day, time and place (replaces the previous one).
        With the `version` read, a schedule changed since is not overwritten: 409."""
        cell = cell_for(request, cell_id, write=True)
        if not payload.place.strip():
            raise ValidationError({"place": _("This field is required.")})
        return services.schedule_set(
            cell=cell,
            day=payload.day,
            time=payload.time,
            place=payload.place,
            version=payload.version,
            actor=user_of(request),
        )

    @router.post("/cells/{cell_id}/plan", response=list[MeetingOut])
    def meetings_plan(request: HttpRequest, cell_id: int) -> list[Meeting]:
        """Plan the regular meetings of the next 3 months from the schedule, as the page does;
        a month that already has its regular meeting is left alone. Answers those created."""
        cell = cell_for(request, cell_id, write=True)
        return services.meetings_plan(
            cell=cell, start=timezone.localdate(), months=3, actor=user_of(request)
        )

    @router.get("/cells/{cell_id}/year-rating", response=YearRatingOut)
    def year_rating(request: HttpRequest, cell_id: int, filters: Query[YearRatingFilters]) -> dict:
        """The rating of the cell's year of regular meetings, on the rules of that year."""
        cell = cell_for(request, cell_id)
        year = filters.year or timezone.localdate().year
        try:
            result = quality.year_rating(cell=cell, year=year)
        except ValidationError as e:
            # No rule in force that year: said about the year asked for.
            errors = [{"type": "no_rule", "loc": ["query", "year"], "msg": m} for m in e.messages]
            raise NinjaValidationError(errors) from None
        return {
            "cell": cell.pk,
            "year": year,
            "rating": result.rating,
            "meetings": result.meetings,
            "good": result.good,
            "unscored": result.unscored,
        }
