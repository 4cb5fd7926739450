"""The compliance page: access helper, form, report, render."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.core import access
from chibo.core.pages import HtmxHttpRequest

from .compliance import compliance_report
from .forms import PeriodForm


def _meeting_url(pk: int) -> str:
    # Resolved once and filled in: a province's quarter has thousands of meetings, and a
    # reverse() for each was a third of the report's time.
    return _meeting_url_pattern().replace("/0/", f"/{pk}/")


@cache
def _meeting_url_pattern() -> str:
    return reverse("meetings:detail", args=[0])


ROWS_PER_PAGE = 100


@require_GET
@login_required
def report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    unit = access.get_unit_for(request.user, pk)
    form = PeriodForm(request.GET, today=timezone.localdate())
    context: dict = {"unit": unit, "form": form, "report": None, "rows": []}
    if form.is_valid():
        result = compliance_report(unit, form.cleaned_data["period"], meeting_url=_meeting_url)
        missing = form.cleaned_data["missing"]
        rows = result.cells
        if missing == "any":
            rows = [r for r in rows if r.missing]
        elif missing:
            rows = [r for r in rows if missing in r.missing]
        # Totals cover every cell; the table shows a page of them (a province has thousands).
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(report=result, rows=page.object_list, page=page, missing=missing)
    if request.htmx:
        return render(request, "compliance/report.html#results", context)
    return render(request, "compliance/report.html", context)
