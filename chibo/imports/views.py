"""Upload, preview, commit, and the template download. Thin: access, form, service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core import audit
from chibo.core.formats import number

from .access import check_can_import, get_job_for, jobs_for
from .forms import UploadForm
from .services import in_background, job_commit, job_commit_queue, job_create
from .tasks import commit_import, preview_import
from .template import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    check_can_import(request.user)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        job = job_create(actor=request.user, files=form.cleaned_data["uploads"])
        if job.running:
            transaction.on_commit(lambda: preview_import.enqueue(job.pk))
        return redirect("imports:preview", pk=job.pk)
    jobs = jobs_for(request.user).defer("content", "summary").order_by("-created_at")[:10]
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs})


@require_GET
@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    context = {"job": job, "report": job.summary, "audit": list(audit.of(job)[:10])}
    return render(request, "imports/preview.html", context)


@require_GET
@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of a job the worker is on, polled by the page (HTMX); once the work
    is done, the page reloads to show the report."""
    job = get_job_for(request.user, pk)
    response = render(request, "imports/status.html", {"job": job})
    if not job.running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for(request.user, pk)
    if in_background(job):
        if job_commit_queue(job=job):
            transaction.on_commit(lambda: commit_import.enqueue(job.pk))
        else:
            messages.info(request, _("This file has already been imported."))
        return redirect("imports:preview", pk=job.pk)
    report = job_commit(job=job, actor=request.user)
    if report is None:
        messages.info(request, _("This file has already been imported."))
    elif report.committed:
        counts = report.counts()
        messages.success(
            request,
            _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
            % {k: number(counts[k]) for k in ("create", "update", "unchanged")},
        )
    else:
        messages.error(
            request,
            _(
                "Nothing was imported: the file has errors now "
                "(the data changed since the preview)."
            ),
        )
    return redirect("imports:preview", pk=job.pk)


@require_GET
@login_required
def template(request: HttpRequest) -> HttpResponse:
    check_can_import(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chibo-import-template.xlsx"'
    return response
