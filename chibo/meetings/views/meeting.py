"""The meeting page and the changes made on it: moving, cancelling, the roster and attendance,
guests, votes, holding the meeting and its minutes.

Each change goes through change.page_form (bind, call the service, redirect or show the
errors; a stale version said plainly); the page itself is built section by section
(sections.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.pages import HtmxHttpRequest, is_stale
from chibo.meetings import access
from chibo.members.models import Member

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
from ..models import Attendance, Meeting
from ..services.attendance import attendance_mark_all
from ..services.prepare import agenda_of
from .change import page_form
from .page import PAGE, Page, follows_of
from .parts import GROUPS, group_context, page_context
from .sections import roster_rows, row_options, summaries


@require_GET
@login_required
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    # Who writes the meeting reads its record (the write scope lies inside the read scope):
    # one check for the secretary, two for a reader.
    can_write = access.can_write_meeting(request.user, meeting)
    if not can_write and not access.can_read_meeting_record(request.user, meeting):
        # A member reads the schedule of their own cell, not the roster or the minutes.
        documents = meeting.documents.defer("content").order_by("posted_at", "pk")
        context = {"meeting": meeting, "agenda": agenda_of(meeting), "documents": documents}
        return render(request, "meetings/meeting_basic.html", context)
    part = request.GET.get("part")
    if request.htmx and part in GROUPS:
        # A folded part opened: its body alone.
        page = Page(request, meeting.pk, whole=False, can_write=can_write)
        return render(request, f"{PAGE}#part_{part}", group_context(page, part))
    page = Page(request, meeting.pk, whole=True, can_write=can_write)
    return render(request, PAGE, page_context(page, request.GET.get("open")))


def _reloaded(request: HtmxHttpRequest, response: HttpResponse, message: str) -> HttpResponse:
    """Moved, cancelled or held: the whole page changes (its date, its state, its next step),
    so HTMX reloads it once saved, the message said on the page reloaded."""
    if request.htmx and response.status_code == 200:
        messages.success(request, message)
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def meeting_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    response = page_form(
        request,
        meeting,
        MoveForm(request.POST),
        name="move_form",
        section="move",
        save=lambda d: services.meeting_move(
            meeting=meeting,
            version=d["version"],
            planned_at=aware(d["date"], d["time"]),
            reason=d["reason"],
            actor=request.user,
        ),
        message=_("Meeting moved."),
    )
    return _reloaded(request, response, _("Meeting moved."))


@require_POST
@login_required
def meeting_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    response = page_form(
        request,
        meeting,
        CancelForm(request.POST),
        name="cancel_form",
        section="move",
        save=lambda d: services.meeting_cancel(meeting=meeting, actor=request.user, **d),
        message=_("Meeting cancelled."),
    )
    return _reloaded(request, response, _("Meeting cancelled."))


@require_POST
@login_required
def roster_freeze(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        VersionedForm(request.POST),
        name="action_form",
        save=lambda d: services.roster_freeze(meeting=meeting, actor=request.user, **d),
        message=_("Roster frozen from the placements of the meeting day."),
    )


@require_POST
@login_required
def attendance_all(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Everyone not yet marked: present, exempt members exempt; the roster comes back."""
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        VersionedForm(request.POST),
        name="mark_all_form",
        section="roster",
        save=lambda d: attendance_mark_all(meeting=meeting, actor=request.user, **d),
        message=_("Everyone not yet marked is marked. Change the exceptions row by row."),
    )


@require_POST
@login_required
def attendance_mark(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """One roster row, saved as soon as it changes. HTMX gets the row back (409 when stale,
    422 when invalid, the row then showing what was chosen and the field in error) and the
    new version in a header so the page's other forms stay current; without HTMX, a redirect
    either way, the outcome said in a message (the row is not a form of the page's own)."""
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = AttendanceForm(request.POST)
    status, error, invalid = 200, "", ""
    if not form.is_valid():
        status, error = 422, " ".join(str(e) for errs in form.errors.values() for e in errs)
        invalid = next(iter(form.errors), "")
    else:
        try:
            _mark(request, meeting, member_pk, form)
        except ValidationError as e:
            status, error = (409 if is_stale(e) else 422), " ".join(e.messages)
            invalid = next(iter(getattr(e, "error_dict", {})), "")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Attendance saved."))
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "?open=roster#part-roster")
    page = Page(request, meeting.pk, whole=False, can_write=True)
    row = next((r for r in roster_rows(page) if r.member_id == member_pk), None)
    if row is None:
        raise Http404
    if status == 422 and form.is_valid():
        # Shown as chosen, not as stored: the reason that is missing is asked for next to it.
        row.presence = form.cleaned_data["presence"]
        row.mark = request.POST.get("presence", "")  # type: ignore[attr-defined]
        row.options = row_options(row, {})  # type: ignore[attr-defined]
    context = {
        "meeting": page.meeting,
        "r": row,
        "row_error": error,
        "row_stale": status == 409,
        "row_invalid": invalid,
        "can_write": True,
    }
    # The turnout above the table and in the part's summary change with the row: sent
    # along, swapped out of band.
    m = page.meeting
    turnout = {"turnout": services.turnout(m), "counted": services.counted_for_vote(m)}
    html = render_to_string(f"{PAGE}#row", context, request)
    html += render_to_string(f"{PAGE}#turnout", {**turnout, "oob": True})
    html += render_to_string(f"{PAGE}#roster_summary", {"summary": summaries(page), "oob": True})
    response = HttpResponse(html, status=status)
    if status == 200:
        response["X-Meeting-Version"] = str(m.version)
    return response


def _mark(request: HttpRequest, meeting: Meeting, member_pk: int, form: BaseForm) -> Attendance:
    member = Member.all_objects.filter(pk=member_pk).first()
    if member is None:
        raise ValidationError(_("This member is not on the meeting's roster."))
    return services.attendance_mark(
        meeting=meeting, member=member, actor=request.user, **form.cleaned_data
    )


@require_POST
@login_required
def guest_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    follows = follows_of(meeting)
    return page_form(
        request,
        meeting,
        GuestForm(request.POST, follows=follows),
        name="guest_form",
        section="guests",
        save=lambda d: services.guest_add(
            meeting=meeting,
            version=d["version"],
            name=d["name"],
            role=d["role"],
            follow=next((a for a in follows if a.pk == d["follow"]), None),
            actor=request.user,
        ),
        message=_("Guest added."),
    )


@require_POST
@login_required
def guest_remove(request: HtmxHttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        VersionedForm(request.POST),
        name="action_form",
        save=lambda d: services.guest_remove(
            meeting=meeting, guest_id=guest_pk, **d, actor=request.user
        ),
        message=_("Guest removed."),
    )


@require_POST
@login_required
def vote_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    present = meeting.roster.select_related("member").filter(presence="present")
    form = VoteForm(request.POST, voters=present)
    return page_form(
        request,
        meeting,
        form,
        name="vote_form",
        section="votes",
        save=lambda d: services.vote_record(
            meeting=meeting, version=d["version"], **form.vote_data(), actor=request.user
        ),
        message=_("Vote recorded."),
    )


@require_POST
@login_required
def meeting_hold(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    response = page_form(
        request,
        meeting,
        HoldForm(request.POST),
        name="hold_form",
        section="minutes",
        save=lambda d: services.meeting_hold(
            meeting=meeting,
            version=d["version"],
            started_at=aware(d["date"], d["started"]),
            ended_at=aware(d["date"], d["ended"]),
            resolution=d["resolution"],
            actor=request.user,
        ),
        message=_("Meeting recorded as held; the minutes are in draft."),
    )
    return _reloaded(request, response, _("Meeting recorded as held; the minutes are in draft."))


@require_POST
@login_required
def meeting_adopt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        VersionedForm(request.POST),
        name="action_form",
        save=lambda d: services.meeting_adopt(meeting=meeting, actor=request.user, **d),
        message=_("Minutes adopted. They are now locked; corrections are recorded as amendments."),
    )


@require_POST
@login_required
def meeting_amend(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        AmendForm(request.POST),
        name="amend_form",
        section="minutes",
        save=lambda d: services.meeting_amend(
            meeting=meeting, field="resolution", actor=request.user, **d
        ),
        message=_("Amendment recorded beside the original."),
    )
