"""A cell's meetings: its schedule, planning, a member's own schedule, checking in."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.pages import form_page
from chibo.follow import queries as follow_queries
from chibo.meetings import access
from chibo.org import access as org_access

from .. import queries, services
from ..forms import (
    CheckInForm,
    MeetingCreateForm,
    ScheduleForm,
)
from ..models import (
    Attendance,
    Meeting,
    Presence,
    Schedule,
    State,
)
from ..services import quality

# The cell's meetings --------------------------------------------------------------------------


def _cell_for(request: HttpRequest, pk: int, *, write: bool = False):
    org_access.require_staff(request.user)
    cell = org_access.get_unit_for(request.user, pk, write=write)
    if not cell.holds_members:
        raise Http404
    return cell


def _cell_context(request: HttpRequest, cell, **forms: BaseForm) -> dict[str, Any]:
    schedule = Schedule.objects.filter(cell=cell).first()
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(cell=cell).prefetch_related("roster").order_by("planned_at", "pk")
    )
    turnouts = {m.pk: services.turnout(m) for m in meetings if m.roster.all()}
    upcoming = [m for m in meetings if m.planned_at >= now and m.state == State.PLANNED]
    past = [m for m in reversed(meetings) if m not in upcoming]
    return {
        "cell": cell,
        "ancestors": list(cell.ancestors()),
        "schedule": schedule,
        "upcoming": upcoming,
        "past": past,
        "turnouts": turnouts,
        "can_write": org_access.can_write_unit(request.user, cell),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(initial=_initial(schedule)),
        "create_form": forms.get("create_form")
        or MeetingCreateForm(cell=cell, initial={"place": schedule.place if schedule else ""}),
        "year_ratings": _year_ratings(cell),
    }


def _initial(schedule: Schedule | None) -> dict[str, Any]:
    """The schedule as it is, with its version (the form of a cell without one is empty,
    with version 0: none read)."""
    if schedule is None:
        return {"version": 0}
    return {
        "day": schedule.day,
        "time": schedule.time,
        "place": schedule.place,
        "version": schedule.version,
    }


def _year_ratings(cell) -> list[dict[str, Any]]:
    """This year's and last year's rating; a year without a rule in force says so."""
    this = timezone.localdate().year
    out = []
    for year in (this, this - 1):
        try:
            out.append({"year": year, "rating": quality.year_rating(cell=cell, year=year)})
        except ValidationError as e:
            out.append({"year": year, "rating": None, "error": " ".join(e.messages)})
    return out


def _to_cell(cell) -> Callable[[Any], str]:
    return lambda _result: reverse("meetings:cell", args=[cell.pk])


@require_GET
@login_required
def cell_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _cell_for(request, pk)
    return render(request, "meetings/cell.html", _cell_context(request, cell))


@require_POST
@login_required
def schedule_set(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _cell_for(request, pk, write=True)
    # Read before the save: a stale save shows what the schedule is now (core.versions).
    initial = _initial(Schedule.objects.filter(cell=cell).first())
    form = ScheduleForm(request.POST, initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.schedule_set(cell=cell, actor=request.user, **d),
        template="meetings/cell.html",
        success=_to_cell(cell),
        message=_("Meeting schedule saved."),
        context=_cell_context(request, cell, schedule_form=form),
    )


@require_POST
@login_required
def meetings_plan(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _cell_for(request, pk, write=True)
    try:
        created = services.meetings_plan(
            cell=cell, start=timezone.localdate(), months=3, actor=request.user
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("%(n)s meetings planned for the next 3 months.") % {"n": len(created)}
        )
    return redirect("meetings:cell", cell.pk)


@require_POST
@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _cell_for(request, pk, write=True)
    form = MeetingCreateForm(request.POST, cell=cell)
    return form_page(
        request,
        form,
        save=lambda _d: services.meeting_create(
            cell=cell, actor=request.user, **form.meeting_data()
        ),
        template="meetings/cell.html",
        success=lambda m: reverse("meetings:detail", args=[m.pk]),
        message=_("Meeting created."),
        context=_cell_context(request, cell, create_form=form),
    )


# A member's own schedule and check-in ----------------------------------------------------------


# How far back the schedule lists past meetings: a year of monthly meetings, and a quarter of
# the cells a follower follows (several cells: a shorter span keeps the page short).
PAST_OWN = 12
PAST_FOLLOWED_DAYS = 92


def _past(meeting: Meeting, start: dt.datetime) -> bool:
    return meeting.planned_at < start or meeting.state in (State.HELD, State.ADOPTED)


@require_GET
@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """A member's schedule: their cell's coming meetings, the past ones with the adopted
    resolution and their own attendance, and their tasks; a superior follower's: the meetings
    of the cells they follow, coming and recent."""
    user = request.user
    today = timezone.localdate()
    start = queries.day_start(today)
    own = access.own_meetings_for(user).select_related("cell")
    member_id = user.member_id  # type: ignore[union-attr]  # login_required: never anonymous
    # Held today is past already: its resolution and attendance are what members look for.
    done = Q(state__in=[State.HELD, State.ADOPTED])
    past = own.filter(Q(planned_at__lt=start) | done)
    if member_id:
        mine = Attendance.objects.filter(meeting=OuterRef("pk"), member_id=member_id)
        past = past.annotate(my_presence=Subquery(mine.values("presence")[:1]))
    followed = [a.cell for a in follow_queries.assignments_of(user, today)]
    followed_meetings = list(
        access.meetings_for(user)
        .filter(cell__in=[c.pk for c in followed])
        .filter(planned_at__gte=start - dt.timedelta(days=PAST_FOLLOWED_DAYS))
        .select_related("cell")
        .order_by("planned_at", "pk")
    )
    past_rows = list(past.order_by("-planned_at", "-pk")[:PAST_OWN])
    for m in past_rows:
        presence = getattr(m, "my_presence", None)
        m.my_presence_label = Presence(presence).label if presence else ""  # type: ignore[attr-defined]
    context = {
        "meetings": own.filter(planned_at__gte=start).exclude(done).order_by("planned_at", "pk"),
        "past": past_rows,
        "tasks": queries.member_tasks(member_id, today) if member_id else [],
        "is_member": bool(member_id),
        "followed": followed,
        "followed_upcoming": [m for m in followed_meetings if not _past(m, start)],
        "followed_recent": [m for m in reversed(followed_meetings) if _past(m, start)],
        "today": today,
    }
    return render(request, "meetings/mine.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    member = request.user.member if request.user.member_id else None  # type: ignore[union-attr]
    if member is None:
        raise PermissionDenied
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    return form_page(
        request,
        CheckInForm(request.POST or None),
        save=lambda d: services.attendance_check_in(
            meeting=meeting, member=member, code=d["code"], actor=request.user
        ),
        template="meetings/check_in.html",
        success=lambda _row: reverse("meetings:check_in", args=[meeting.pk]),
        message=_("You are checked in. Welcome to the meeting."),
        context={"meeting": meeting, "row": row},
    )
