"""The superior followers of a cell: who follows it, assigned by an office above it."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.core.forms import apply_validation_error
from chibo.org import access as org_access

from . import access, services
from .forms import AssignForm, FinishForm
from .models import FollowAssignment


def _cell(request: HttpRequest, pk: int):
    org_access.require_staff(request.user)
    cell = org_access.get_unit_for(request.user, pk)
    if not cell.holds_members:
        raise Http404
    return cell


@login_required
def cell_followers(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _cell(request, pk)
    writer = access.can_assign_followers(request.user, cell)
    people = services.candidates(cell) if writer else []
    form = AssignForm(initial={"start": timezone.localdate()}, people=people)
    status = 200
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        form = AssignForm(request.POST, people=people)
        if form.is_valid():
            follower = next(u for u in people if u.pk == form.cleaned_data["follower"])
            try:
                services.assign(
                    cell=cell,
                    follower=follower,
                    start=form.cleaned_data["start"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("Follower assigned."))
                return redirect("follow:cell", cell.pk)
        status = 422
    today = timezone.localdate()
    rows = list(
        FollowAssignment.objects.filter(cell=cell).select_related("follower", "assigned_by")
    )
    return render(
        request,
        "follow/cell.html",
        {
            "cell": cell,
            "ancestors": list(cell.ancestors()),
            "current": [a for a in rows if a.start <= today and (a.end is None or a.end > today)],
            "other": [
                a for a in rows if not (a.start <= today and (a.end is None or a.end > today))
            ],
            "can_assign": writer,
            "form": form,
            "finish_form": FinishForm(initial={"end": today + dt.timedelta(days=1)}),
        },
        status=status,
    )


@require_POST
@login_required
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(FollowAssignment, pk=pk)
    cell = _cell(request, assignment.cell_id)
    if not access.can_assign_followers(request.user, cell):
        raise PermissionDenied
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            services.finish(assignment=assignment, end=form.cleaned_data["end"], actor=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Assignment ended."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("end", [])))
    return redirect("follow:cell", cell.pk)
