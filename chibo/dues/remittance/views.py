"""The remittance pages: a unit's report by month for a year, with the units below it for a
month; a remittance recorded (or corrected) and deleted; the report as an Excel file."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core import export
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.org.models import OrgUnit

from . import access, excel, queries, services
from .forms import PeriodForm, RemittanceForm
from .queries import Report
from .services import month_text


def _period(request: HttpRequest, data) -> tuple[PeriodForm, int, dt.date | None]:
    """The year asked for (this year when empty or wrong) and the month (the year's latest
    begun month when empty, or not one of the year's)."""
    today = timezone.localdate()
    form = PeriodForm(data, today=today)
    year, month = today.year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        month = form.cleaned_data["month"]
    months = queries.months_of(year, today)
    if month not in months:
        month = months[-1] if months else None
    return form, year, month


def page_url(unit_pk: int, month: dt.date) -> str:
    return (
        f"{reverse('dues_remittance:unit', args=[unit_pk])}"
        f"?year={month.year}&month={month_text(month)}"
    )


def _page(
    request: HtmxHttpRequest,
    unit: OrgUnit,
    *,
    period: PeriodForm,
    year: int,
    month: dt.date | None,
    form: RemittanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    report: Report = queries.year_report(unit, year, today)
    shown = report.month(month) if month is not None else None
    can_record = access.can_record(request.user, unit)
    if can_record and form is None and shown is not None:
        owed = shown.own.to_hand_up
        initial = {"month": month_text(shown.month), "paid_on": today}
        if shown.own.remittance is not None:
            initial |= {
                "amount": shown.own.remittance.amount,
                "paid_on": shown.own.remittance.paid_on,
                "receipt_number": shown.own.remittance.receipt_number,
            }
        elif owed:
            initial["amount"] = owed
        form = RemittanceForm(initial=initial, months=[m.month for m in report.months])
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "period": period,
        "year": year,
        "years": queries.years_offered(unit, today),
        "report": report,
        "totals": report.totals,
        "shown": shown,
        "can_record": can_record,
        "form": form,
        "has_parent": unit.parent_id is not None,
    }
    template = "dues/remittance/unit.html#report" if request.htmx else "dues/remittance/unit.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def unit_report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    period, year, month = _period(request, request.GET)
    status = 422 if period.errors else 200
    return _page(request, unit, period=period, year=year, month=month, status=status)


@require_POST
@login_required
def unit_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk, write=True)
    period, year, _month = _period(request, {"year": request.POST.get("year", "")})
    months = queries.months_of(year, timezone.localdate())
    form = RemittanceForm(request.POST, months=months)
    if form.is_valid():
        data = form.cleaned_data
        try:
            remittance = services.remittance_record(
                unit=unit,
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                receipt_number=data["receipt_number"],
                actor=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("The dues handed up for %(month)s are recorded.")
                % {"month": month_text(remittance.month)},
            )
            return redirect(page_url(unit.pk, remittance.month))
    month = None
    if form.is_bound and "month" in form.cleaned_data:
        month = form.cleaned_data["month"]
    return _page(
        request,
        unit,
        period=period,
        year=year,
        month=month or (months[-1] if months else None),
        form=form,
        status=422,
    )


@require_POST
@login_required
def remittance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    remittance = access.get_remittance_for(request.user, pk, write=True)
    unit_pk, month = remittance.unit_id, remittance.month
    services.remittance_delete(remittance=remittance, actor=request.user)
    messages.success(
        request,
        _("The dues handed up for %(month)s are deleted.") % {"month": month_text(month)},
    )
    return redirect(page_url(unit_pk, month))


@require_GET
@login_required
def unit_export(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    _form, year, _month = _period(request, request.GET)
    report = queries.year_report(unit, year)
    name = export.filename("nop-dang-phi", unit.code, str(year), ext="xlsx")
    return export.download(excel.report_workbook(report, year), name)
