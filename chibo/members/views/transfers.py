"""Transfer pages: send from the member's page, accept or cancel, end a temporary transfer
early, and the transfers in and out of a unit over a period. Each view: access helper, form,
service, render or redirect."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core import export
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest, form_page, is_stale
from chibo.org import access as org_access

from .. import access, queries, transfers
from ..exports import transfer_table
from ..forms import (
    TemporaryEndForm,
    TransferAcceptForm,
    TransferPeriodForm,
    TransferSendForm,
)
from ..models import PlacementKind, Transfer, TransferState

ROWS_PER_PAGE = 50


@dataclass
class Row:
    t: Transfer
    days: int | None
    can_accept: bool
    can_cancel: bool


@require_http_methods(["GET", "POST"])
@login_required
def transfer_send(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    form = TransferSendForm(
        request.POST or None,
        targets=access.transfer_targets(),
        initial={"sent_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda d: transfers.transfer_send(actor=request.user, member=member, **d),
        template="members/child_form.html",
        success=lambda t: reverse("members:transfer_detail", args=[t.pk]),
        message=_("Transfer sent: it waits for the receiving cell to accept it."),
        context={"member": member, "title": _("Send a transfer")},
    )


def _actions(request: HttpRequest, t: Transfer) -> dict:
    user = request.user
    pending = t.state == TransferState.PENDING
    # Ending early may also be recorded afterwards, once `until` is past.
    running = (
        t.state == TransferState.ACCEPTED
        and t.kind == PlacementKind.TEMPORARY
        and t.placement_id is not None
    )
    return {
        "can_accept": pending and access.can_accept_transfer(user, t),
        "can_cancel": pending and access.can_cancel_transfer(user, t),
        "can_end": running and access.can_end_transfer(user, t),
    }


def _detail_page(
    request: HttpRequest, t: Transfer, *, status: int = 200, **forms_and_errors
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "t": t,
        "days": queries.days_in_transit(t),
        "today": today,
        "member_readable": access.members_for(request.user).filter(pk=t.member_id).exists(),
        "accept_form": TransferAcceptForm(initial={"received_on": today, "version": t.version}),
        "end_form": TemporaryEndForm(initial={"on": today, "version": t.version}),
        "next": _next(request),
        **_actions(request, t),
        **forms_and_errors,
    }
    return render(request, "members/transfer_detail.html", context, status=status)


def _next(request: HttpRequest) -> str:
    """Where to go back after an action: the list the button was on, if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return ""


def _stale(request: HttpRequest, t: Transfer, error: ValidationError) -> HttpResponse:
    """Someone else took a step since the page was read: the page as it is now, with the
    message (the form of the step may be gone)."""
    t.refresh_from_db()
    return _detail_page(request, t, status=422, errors=error.messages)


def _version(request: HttpRequest) -> int | None:
    """The version the cancel button was shown at (core.versions); None if absent."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _done(request: HttpRequest, t: Transfer, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(_next(request) or reverse("members:transfer_detail", args=[t.pk]))


@require_GET
@login_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, access.get_transfer_for(request.user, pk))


@require_POST
@login_required
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    t = access.get_transfer_for(request.user, pk, side="receiving")
    form = TransferAcceptForm(request.POST)
    if form.is_valid():
        try:
            transfers.transfer_accept(
                actor=request.user,
                transfer=t,
                received_on=form.cleaned_data["received_on"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            if is_stale(e):
                return _stale(request, t, e)
            apply_validation_error(form, e)
        else:
            return _done(request, t, _("Transfer received: the member now counts in this cell."))
    return _detail_page(request, t, status=422, accept_form=form)


@require_POST
@login_required
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    t = access.get_transfer_for(request.user, pk, side="sending")
    try:
        transfers.transfer_cancel(actor=request.user, transfer=t, version=_version(request))
    except ValidationError as e:
        return _detail_page(request, t, status=422, errors=e.messages)
    return _done(request, t, _("Transfer cancelled."))


@require_POST
@login_required
def transfer_end(request: HttpRequest, pk: int) -> HttpResponse:
    t = access.get_transfer_for(request.user, pk, write=True)
    form = TemporaryEndForm(request.POST)
    if form.is_valid():
        try:
            transfers.temporary_end(
                actor=request.user,
                transfer=t,
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            if is_stale(e):
                return _stale(request, t, e)
            apply_validation_error(form, e)
        else:
            return _done(request, t, _("The temporary transfer ends on the date given."))
    return _detail_page(request, t, status=422, end_form=form)


@require_GET
@login_required
def unit_transfers(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Transfers in and out of the unit's subtree over a period, as they stood on its last
    day: the pending ones first with their days in transit, then the received ones."""
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    today = timezone.localdate()
    form = TransferPeriodForm(request.GET, today=today)
    context: dict = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "rows": [],
        "counts": {},
        "page": None,
        "today": today,
    }
    status = 200
    if form.is_valid():
        start, end = form.cleaned_data["from"], form.cleaned_data["to"]
        qs = queries.transfer_list(
            access.transfers_for(request.user), unit=unit, start=start, end=end
        )
        page = Paginator(qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        transfers_shown: list[Transfer] = list(page.object_list)
        writable = set(
            org_access.units_for(request.user, write=True)
            .filter(pk__in={u for t in transfers_shown for u in (t.from_unit_id, t.to_unit_id)})
            .values_list("pk", flat=True)
        )
        rows = [
            Row(
                t=t,
                days=queries.days_in_transit(t),
                can_accept=t.state == TransferState.PENDING and t.to_unit_id in writable,
                can_cancel=t.state == TransferState.PENDING and t.from_unit_id in writable,
            )
            for t in transfers_shown
        ]
        context.update(
            start=start,
            end=end,
            rows=rows,
            page=page,
            counts=queries.transfer_counts(qs),
            here=request.get_full_path(),
        )
    else:
        status = 422
    template = "members/transfer_unit.html"
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    if request.htmx:
        template += "#results"
    return render(request, template, context, status=status)


@require_GET
@login_required
def unit_transfers_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's transfers as Excel: the same period, scope and order as the page."""
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    form = TransferPeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return redirect(
            f"{reverse('members:transfers_unit', args=[unit.pk])}?{request.GET.urlencode()}"
        )
    start, end = form.cleaned_data["from"], form.cleaned_data["to"]
    qs = queries.transfer_list(access.transfers_for(request.user), unit=unit, start=start, end=end)
    table = transfer_table(qs, unit=unit, start=start, end=end, counts=queries.transfer_counts(qs))
    name = export.filename(
        "chuyen-sinh-hoat", unit.code, f"{start:%Y%m%d}-{end:%Y%m%d}", ext="xlsx"
    )
    return export.download(export.xlsx(table), name)
