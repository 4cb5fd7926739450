"""The compliance page and its downloads: access helper, form, report, render (or the file)."""

from collections.abc import Iterable
from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from chibo.core import export
from chibo.core.db import replica_reads
from chibo.core.pages import HtmxHttpRequest
from chibo.org import access as org_access
from chibo.org.models import OrgUnit

from .export import compliance_table
from .forms import PeriodForm
from .queries import CellRow, Report, compliance_report


@cache
def _url_pattern(name: str) -> str:
    return reverse(name, args=[0])


def _show(rows: Iterable[CellRow]) -> None:
    """Links and lengths for the rows on the page, and only those (a province's quarter has
    some 7,000 meetings): resolved once and filled in, where a {% url %} and a
    {% blocktranslate %} for each were a third of the table's rendering."""
    unit_url, meeting_url = _url_pattern("org:unit"), _url_pattern("meetings:detail")
    length = gettext("%(n)s min")
    for row in rows:
        row.url = unit_url.replace("/0/", f"/{row.pk}/")
        for m in row.meetings:
            m.url = meeting_url.replace("/0/", f"/{m.pk}/")
            if m.minutes is not None:
                m.length = length % {"n": m.minutes}


ROWS_PER_PAGE = 100


def _report(unit: OrgUnit, form: PeriodForm) -> tuple[Report, list[CellRow], str]:
    """The report and the rows the filter keeps (every page of them), for a valid form."""
    result = compliance_report(unit, form.cleaned_data["period"], today=form.today)
    missing = form.cleaned_data["missing"]
    rows = result.cells
    if missing == "any":
        rows = [r for r in rows if r.missing]
    elif missing:
        rows = [r for r in rows if missing in r.missing]
    return result, rows, missing


def _unit(request: HtmxHttpRequest, pk: int) -> OrgUnit:
    org_access.require_staff(request.user)
    return org_access.get_unit_for(request.user, pk)


@require_GET
@login_required
@replica_reads()
def report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = PeriodForm(request.GET, today=timezone.localdate())
    context: dict = {"unit": unit, "form": form, "report": None, "rows": []}
    if form.is_valid():
        result, rows, missing = _report(unit, form)
        # Totals cover every cell; the table shows a page of them (a province has thousands).
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        _show(page.object_list)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            report=result,
            rows=page.object_list,
            page=page,
            missing=missing,
            query=query.urlencode(),
        )
    if request.htmx:
        return render(request, "compliance/report.html#results", context)
    return render(request, "compliance/report.html", context)


@require_GET
@login_required
@replica_reads()
def download(request: HtmxHttpRequest, pk: int, ext: str) -> HttpResponse:
    """What the page shows for the same filter, every row, as Excel or CSV."""
    unit = _unit(request, pk)
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        # The page shows the form's message.
        return redirect(f"{reverse('compliance:report', args=[unit.pk])}?{request.GET.urlencode()}")
    result, rows, missing = _report(unit, form)
    table = compliance_table(result, rows, missing, form.today)
    name = export.filename("tuan-thu-sinh-hoat", unit.code, result.period.key, missing, ext=ext)
    if ext == "csv":
        return export.download(export.csv_text(table), name)
    return export.download(export.xlsx(table), name)
