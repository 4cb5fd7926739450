"""Meeting pages. Each view: access helper, form, service, render or redirect.

Every change to a meeting carries the version the person saw. When someone else saved first
the service refuses ("stale"): the page says so and reloads (HTMX: status 409 and the row
with the message) instead of overwriting the other person's change."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core import access
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest, form_page
from chibo.members.models import Member

from . import services
from .forms import (
    AmendForm,
    AttendanceForm,
    CancelForm,
    CheckInForm,
    GuestForm,
    HoldForm,
    MeetingCreateForm,
    MoveForm,
    ScheduleForm,
    VersionedForm,
    VoteForm,
    aware,
)
from .models import Attendance, Meeting, Schedule, State, Vote

# The cell's meetings --------------------------------------------------------------------------


def _cell_for(request: HttpRequest, pk: int, *, write: bool = False):
    access.require_staff(request.user)
    cell = access.get_unit_for(request.user, pk, write=write)
    if not cell.holds_members:
        raise Http404
    return cell


def _cell_context(request: HttpRequest, cell, **forms: BaseForm) -> dict[str, Any]:
    schedule = Schedule.objects.filter(cell=cell).first()
    initial = {}
    if schedule is not None:
        initial = {"day": schedule.day, "time": schedule.time, "place": schedule.place}
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
        "can_write": access.can_write_unit(request.user, cell),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(initial=initial),
        "create_form": forms.get("create_form")
        or MeetingCreateForm(cell=cell, initial={"place": schedule.place if schedule else ""}),
    }


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
    form = ScheduleForm(request.POST)
    return form_page(
        request,
        form,
        save=lambda d: services.schedule_set(cell=cell, **d),
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
        created = services.meetings_plan(cell=cell, start=timezone.localdate(), months=3)
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
        save=lambda _d: services.meeting_create(cell=cell, **form.meeting_data()),
        template="meetings/cell.html",
        success=lambda m: reverse("meetings:detail", args=[m.pk]),
        message=_("Meeting created."),
        context=_cell_context(request, cell, create_form=form),
    )


# A member's own schedule and check-in ----------------------------------------------------------


@require_GET
@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    meetings = (
        access.own_meetings_for(request.user)
        .filter(planned_at__gte=start)
        .select_related("cell")
        .order_by("planned_at", "pk")
    )
    return render(request, "meetings/mine.html", {"meetings": meetings})


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
        save=lambda d: services.attendance_check_in(meeting=meeting, member=member, code=d["code"]),
        template="meetings/check_in.html",
        success=lambda _row: reverse("meetings:check_in", args=[meeting.pk]),
        message=_("You are checked in. Welcome to the meeting."),
        context={"meeting": meeting, "row": row},
    )


# The meeting ----------------------------------------------------------------------------------


def _reverse_or_none(name: str, pk: int) -> str | None:
    """Word downloads come from the documents app; until it has them the page goes without."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _roster(meeting: Meeting) -> list[Attendance]:
    return list(meeting.roster.all())


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms: BaseForm) -> dict[str, Any]:
    meeting = (
        Meeting.objects.select_related("cell", "prepares", "adopted_by")
        .prefetch_related(
            Prefetch("roster", queryset=Attendance.objects.select_related("member")),
            Prefetch("votes", queryset=Vote.objects.order_by("recorded_at", "pk")),
            "guests",
            "amendments__by",
        )
        .get(pk=meeting.pk)
    )
    roster = _roster(meeting)
    v = {"version": meeting.version}
    present = [r for r in roster if r.present]
    minimum = services.minimum_minutes(meeting) if meeting.started_at else None
    here = meeting.day
    day_start = {"date": here, "started": None, "ended": None}
    return {
        "meeting": meeting,
        "cell": meeting.cell,
        "ancestors": list(meeting.cell.ancestors()),
        "roster": roster,
        "turnout": services.turnout(meeting) if roster else None,
        "counted": services.counted_for_vote(meeting) if roster else None,
        "minimum": minimum,
        "long_enough": services.long_enough(meeting) if meeting.started_at else None,
        "can_write": access.can_write_meeting(request.user, meeting),
        "presences": Attendance._meta.get_field("presence").choices,
        "minutes_docx": _reverse_or_none("documents:minutes_docx", meeting.pk),
        "resolution_docx": _reverse_or_none("documents:resolution_docx", meeting.pk),
        "move_form": forms.get("move_form")
        or MoveForm(
            initial={**v, "date": here, "time": timezone.localtime(meeting.planned_at).time()}
        ),
        "cancel_form": forms.get("cancel_form") or CancelForm(initial=v),
        "guest_form": forms.get("guest_form") or GuestForm(initial=v),
        "vote_form": forms.get("vote_form") or VoteForm(initial=v, voters=present),
        "hold_form": forms.get("hold_form")
        or HoldForm(
            initial={
                **v,
                **day_start,
                "started": meeting.started_at and timezone.localtime(meeting.started_at).time(),
                "ended": meeting.ended_at and timezone.localtime(meeting.ended_at).time(),
                "resolution": meeting.resolution,
            }
        ),
        "action_form": forms.get("action_form") or VersionedForm(initial=v),
        "amend_form": forms.get("amend_form")
        or AmendForm(initial={**v, "value": meeting.resolution}),
    }


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    if not access.can_read_meeting_record(request.user, meeting):
        # A member reads the schedule of their own cell, not the roster or the minutes.
        return render(request, "meetings/meeting_basic.html", {"meeting": meeting})
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting))


def _is_stale(error: ValidationError) -> bool:
    return any(e.code == "stale" for e in getattr(error, "error_list", []))


def _change(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str,
    make_form: Callable[[Meeting], BaseForm],
    save: Callable[[Meeting, BaseForm], Any],
    message: str,
) -> HttpResponse:
    """The shape of every change on the meeting page: bind, call the service, redirect; a
    stale version is said plainly and the page reloaded, other errors shown in the form."""
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = make_form(meeting)
    if form.is_valid():
        try:
            save(meeting, form)
        except ValidationError as e:
            if _is_stale(e):
                messages.error(request, " ".join(e.messages))
                return redirect("meetings:detail", meeting.pk)
            apply_validation_error(form, e)
        else:
            messages.success(request, message)
            return redirect("meetings:detail", meeting.pk)
    context = _meeting_context(request, meeting, **{form_name: form})
    return render(request, "meetings/meeting_detail.html", context, status=422)


@require_POST
@login_required
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="move_form",
        make_form=lambda m: MoveForm(request.POST),
        save=lambda m, f: services.meeting_move(
            meeting=m,
            version=f.cleaned_data["version"],
            planned_at=aware(f.cleaned_data["date"], f.cleaned_data["time"]),
            reason=f.cleaned_data["reason"],
        ),
        message=_("Meeting moved."),
    )


@require_POST
@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="cancel_form",
        make_form=lambda m: CancelForm(request.POST),
        save=lambda m, f: services.meeting_cancel(meeting=m, **f.cleaned_data),
        message=_("Meeting cancelled."),
    )


@require_POST
@login_required
def roster_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="action_form",
        make_form=lambda m: VersionedForm(request.POST),
        save=lambda m, f: services.roster_freeze(meeting=m, **f.cleaned_data),
        message=_("Roster frozen from the placements of the meeting day."),
    )


@require_POST
@login_required
def attendance_mark(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """One roster row. HTMX gets the row back (409 when stale, 422 when invalid) and the new
    version in a header so the page's other forms stay current; without HTMX, a redirect."""
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = AttendanceForm(request.POST)
    status, error = 200, ""
    if not form.is_valid():
        status, error = 422, " ".join(str(e) for errs in form.errors.values() for e in errs)
    else:
        try:
            _mark(meeting, member_pk, form)
        except ValidationError as e:
            status, error = (409 if _is_stale(e) else 422), " ".join(e.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Attendance saved."))
        return redirect("meetings:detail", meeting.pk)
    meeting.refresh_from_db()
    row = (
        Attendance.objects.select_related("member")
        .filter(meeting=meeting, member_id=member_pk)
        .first()
    )
    if row is None:
        raise Http404
    context = {
        "meeting": meeting,
        "r": row,
        "row_error": error,
        "row_stale": status == 409,
        "presences": Attendance._meta.get_field("presence").choices,
        "can_write": True,
    }
    # The turnout above the table changes with the row: sent along, swapped out of band.
    counts = Meeting.objects.prefetch_related("roster").get(pk=meeting.pk)
    turnout = {"turnout": services.turnout(counts), "counted": services.counted_for_vote(counts)}
    html = render_to_string("meetings/meeting_detail.html#row", context, request)
    html += render_to_string("meetings/meeting_detail.html#turnout", {**turnout, "oob": True})
    response = HttpResponse(html, status=status)
    if status == 200:
        response["X-Meeting-Version"] = str(meeting.version)
    return response


def _mark(meeting: Meeting, member_pk: int, form: BaseForm) -> Attendance:
    member = Member.all_objects.filter(pk=member_pk).first()
    if member is None:
        raise ValidationError(_("This member is not on the meeting's roster."))
    return services.attendance_mark(meeting=meeting, member=member, **form.cleaned_data)


@require_POST
@login_required
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="guest_form",
        make_form=lambda m: GuestForm(request.POST),
        save=lambda m, f: services.guest_add(meeting=m, **f.cleaned_data),
        message=_("Guest added."),
    )


@require_POST
@login_required
def guest_remove(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="action_form",
        make_form=lambda m: VersionedForm(request.POST),
        save=lambda m, f: services.guest_remove(meeting=m, guest_id=guest_pk, **f.cleaned_data),
        message=_("Guest removed."),
    )


@require_POST
@login_required
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    def make(meeting: Meeting) -> VoteForm:
        present = meeting.roster.select_related("member").filter(presence="present")
        return VoteForm(request.POST, voters=present)

    return _change(
        request,
        pk,
        form_name="vote_form",
        make_form=make,
        save=lambda m, f: services.vote_record(
            meeting=m,
            version=f.cleaned_data["version"],
            **f.vote_data(),  # type: ignore[attr-defined]
        ),
        message=_("Vote recorded."),
    )


@require_POST
@login_required
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    def save(meeting: Meeting, form: BaseForm) -> Meeting:
        d = form.cleaned_data
        return services.meeting_hold(
            meeting=meeting,
            version=d["version"],
            started_at=aware(d["date"], d["started"]),
            ended_at=aware(d["date"], d["ended"]),
            resolution=d["resolution"],
        )

    return _change(
        request,
        pk,
        form_name="hold_form",
        make_form=lambda m: HoldForm(request.POST),
        save=save,
        message=_("Meeting recorded as held; the minutes are in draft."),
    )


@require_POST
@login_required
def meeting_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="action_form",
        make_form=lambda m: VersionedForm(request.POST),
        save=lambda m, f: services.meeting_adopt(meeting=m, actor=request.user, **f.cleaned_data),
        message=_("Minutes adopted. They are now locked; corrections are recorded as amendments."),
    )


@require_POST
@login_required
def meeting_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        form_name="amend_form",
        make_form=lambda m: AmendForm(request.POST),
        save=lambda m, f: services.meeting_amend(
            meeting=m, field="resolution", actor=request.user, **f.cleaned_data
        ),
        message=_("Amendment recorded beside the original."),
    )
