"""A cell's month: each member's dues, what they paid and when, their arrears, who has no
basis; one tap records that a member paid what is left of the month."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.core import formats
from chibo.core.pages import HtmxHttpRequest
from chibo.org.models import OrgUnit

from .. import access, months, queries, services
from ..forms import MonthPickForm, QuickPayForm


def cell_url(cell: OrgUnit, month: dt.date) -> str:
    return f"{reverse('dues:cell', args=[cell.pk])}?month={months.text(month)}"


def _page(
    request: HtmxHttpRequest,
    cell: OrgUnit,
    month: dt.date,
    *,
    form: MonthPickForm | None = None,
    error: str = "",
    saved: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "unit": cell,
        "ancestors": list(cell.ancestors()),
        "month": month,
        "form": form or MonthPickForm(initial={"month": month}),
        "data": queries.cell_month(cell, month),
        "previous": months.shift(month, -1),
        "next": months.shift(month, 1) if month < months.first(today) else None,
        "today": today,
        "can_write": access.can_write_cell(request.user, cell),
        "can_manage": access.is_office_over(request.user, cell.pk),
        "error": error,
        "saved": saved,
    }
    template = "dues/cell.html#ledger" if request.htmx else "dues/cell.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def cell_month(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    cell = access.get_cell_for(request.user, pk)
    form = MonthPickForm(request.GET)
    status = 200 if form.is_valid() else 422
    return _page(request, cell, form.month_or_current(), form=form, status=status)


@require_POST
@login_required
def cell_pay(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One tap: the member paid what was left of the month, today, to the treasurer."""
    cell = access.get_cell_for(request.user, pk, write=True)
    form = QuickPayForm(request.POST)
    if not form.is_valid():
        month = form.cleaned_data.get("month") or months.first(timezone.localdate())
        return _page(request, cell, month, error=_("The payment could not be read."), status=422)
    d = form.cleaned_data
    month = d["month"]
    member = access.members_for(request.user, write=True).filter(pk=d["member"]).first()
    if member is None:
        return _page(request, cell, month, error=_("Choose a member of the list."), status=422)
    try:
        payment = services.payment_record(
            member=member,
            month=month,
            amount=d["amount"],
            paid_on=timezone.localdate(),
            paid_before=d["paid_before"],
            actor=request.user,
        )
    except ValidationError as e:
        return _page(request, cell, month, error=" ".join(e.messages), status=422)
    saved = _("%(name)s paid %(amount)s đồng for %(month)s.") % {
        "name": member.full_name,
        "amount": formats.number(payment.amount),
        "month": months.text(month),
    }
    if request.htmx:
        return _page(request, cell, month, saved=saved)
    messages.success(request, saved)
    return redirect(cell_url(cell, month))


@require_POST
@login_required
def cell_post(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Post the month's charges of the cell (the daily job posts the current month; a month
    before, after a basis was set late, is posted here)."""
    cell = access.get_cell_for(request.user, pk, write=True)
    form = MonthPickForm(request.POST)
    month = form.month_or_current()
    try:
        n = services.charges_post(month=month, unit=cell, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            ngettext("%(n)s charge posted for %(month)s.", "%(n)s charges posted for %(month)s.", n)
            % {"n": formats.number(n), "month": months.text(month)},
        )
    return redirect(cell_url(cell, month))
