"""The meeting page and its changes.

Every change to a meeting carries the version the person saw. When someone else saved first
the service refuses ("stale"): the page says so and reloads (HTMX: status 409 and the row
with the message) instead of overwriting the other person's change."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.meetings import access
from chibo.members.models import Member
from chibo.org.models import Kind as UnitKind

from .. import services
from ..forms import (
    AmendForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    HoldForm,
    MoveForm,
    VersionedForm,
    VoteForm,
    aware,
)
from ..models import (
    Attendance,
    Meeting,
    Vote,
)
from . import record as record_views


def _reverse_or_none(name: str, pk: int) -> str | None:
    """Word downloads come from the documents app; until it has them the page goes without."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _follows(meeting: Meeting) -> list:
    """The followers assigned to the cell on the meeting day, for the guest list."""
    from chibo.follow.models import FollowAssignment

    rows = FollowAssignment.objects.active_on(meeting.day).filter(cell_id=meeting.cell_id)
    return list(rows.select_related("follower"))


def _roster(meeting: Meeting) -> list[Attendance]:
    return list(meeting.roster.all())


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms: BaseForm) -> dict[str, Any]:
    meeting = (
        Meeting.objects.select_related("cell", "prepares", "adopted_by", "chair", "minute_taker")
        .prefetch_related(
            Prefetch("roster", queryset=Attendance.objects.select_related("member")),
            Prefetch("votes", queryset=Vote.objects.order_by("recorded_at", "pk")),
            "guests",
            "amendments__by",
            "pre_meetings",
        )
        .get(pk=meeting.pk)
    )
    roster = _roster(meeting)
    ancestors = list(meeting.cell.ancestors())
    province = next((u.pk for u in ancestors if u.kind == UnitKind.PROVINCE), None)
    v = {"version": meeting.version}
    present = [r for r in roster if r.present]
    minimum = services.minimum_minutes(meeting) if meeting.started_at else None
    here = meeting.day
    day_start = {"date": here, "started": None, "ended": None}
    return {
        "meeting": meeting,
        "cell": meeting.cell,
        "ancestors": ancestors,
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
        "guest_form": forms.get("guest_form") or GuestForm(initial=v, follows=_follows(meeting)),
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
        **record_views._record_context(request, meeting, roster, forms, province),
    }


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    if not access.can_read_meeting_record(request.user, meeting):
        # A member reads the schedule of their own cell, not the roster or the minutes.
        from ..prepare import agenda_of

        documents = meeting.documents.defer("content").order_by("posted_at", "pk")
        context = {"meeting": meeting, "agenda": agenda_of(meeting), "documents": documents}
        return render(request, "meetings/meeting_basic.html", context)
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
        make_form=lambda m: GuestForm(request.POST, follows=_follows(m)),
        save=lambda m, f: services.guest_add(
            meeting=m,
            version=f.cleaned_data["version"],
            name=f.cleaned_data["name"],
            role=f.cleaned_data["role"],
            follow=next((a for a in _follows(m) if a.pk == f.cleaned_data["follow"]), None),
        ),
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


# The record of the meeting (biên bản) and its quality score -----------------------------------
#
# Each section of the record is its own template; an HTMX form gets its section back (409 when
# stale, 422 when refused) with the meeting's new version in a header, like the roster rows.
