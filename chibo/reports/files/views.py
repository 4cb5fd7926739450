"""The files panel of the dashboard: ask for the Excel or Word report of a unit and period,
watch its progress (HTMX polls the status every second), download it when ready.

A file is its requester's: anyone else, and the requester once the unit is out of their
scope, gets 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.export import XLSX
from chibo.core.pages import HtmxHttpRequest
from chibo.core.reporting import Period
from chibo.org.models import OrgUnit

from ..access import get_unit_for_report
from ..models import FileFormat, FileState, ReportFile
from ..periods import period_of_key
from .services import report_file_request

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {FileFormat.XLSX: XLSX, FileFormat.DOCX: DOCX}
RECENT = 5  # files listed in the panel


def _next(request: HttpRequest) -> str:
    """Where the panel is shown (the dashboard), if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return ""


def panel_context(request: HttpRequest, unit: OrgUnit, period: Period) -> dict:
    """The context of templates/reports/files/panel.html: the buttons and the person's
    recent files of this unit and period."""
    files = (
        ReportFile.objects.defer("content")
        .filter(requested_by_id=request.user.pk, unit=unit, start=period.start, end=period.end)
        .order_by("-created_at", "-pk")[:RECENT]
    )
    return {
        "files_unit": unit,
        "files_period": period,
        "files_next": _next(request) or request.get_full_path(),
        "files_buttons": [
            (FileFormat.XLSX.value, _("Download Excel")),
            (FileFormat.DOCX.value, _("Download Word")),
        ],
        "report_files": list(files),
    }


def _own_file(request: HttpRequest, pk: int) -> ReportFile:
    """The requester's file, while its unit is in their scope; 404 otherwise."""
    file = ReportFile.objects.defer("content").filter(pk=pk, requested_by_id=request.user.pk)
    found = file.first()
    if found is None:
        raise Http404
    get_unit_for_report(request.user, found.unit_id)
    return found


@require_POST
@login_required
def file_request(request: HtmxHttpRequest) -> HttpResponse:
    unit = get_unit_for_report(request.user, _int(request.POST.get("unit")))
    try:
        period = period_of_key(request.POST.get("period", ""))
        report_file_request(
            unit=unit, period=period, format=request.POST.get("format", ""), actor=request.user
        )
    except ValidationError as e:
        return HttpResponseBadRequest(" ".join(e.messages))
    if request.htmx:
        return render(request, "reports/files/panel.html", panel_context(request, unit, period))
    return redirect(_next(request) or "/")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@require_GET
@login_required
def file_status(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reports/files/status.html", {"file": _own_file(request, pk)})


@require_GET
@login_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    file = _own_file(request, pk)
    if file.state != FileState.DONE:
        raise Http404
    content = ReportFile.objects.values_list("content", flat=True).get(pk=file.pk)
    kind = CONTENT_TYPES[FileFormat(file.format)]
    response = HttpResponse(bytes(content or b""), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
