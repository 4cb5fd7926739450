"""Asking for a report file: the row the worker fills in, and the task that fills it.

Not an audit event: a report file is a reading of figures the person may read anyway (like
the lists' Excel exports); the Word report's number, when the worker takes it, is audited
by chibo.documents.services.document_number."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chibo.core.reporting import Period
from chibo.org.models import OrgUnit

from ..models import FileFormat, FileState, ReportFile
from .tasks import build_report_file

PENDING = (FileState.QUEUED, FileState.RUNNING)


@transaction.atomic
def report_file_request(*, unit: OrgUnit, period: Period, format: str, actor) -> ReportFile:
    """A file of `unit`'s report for `period`, built in the background for `actor`. Asking
    again while the same file is still being built returns that one (a double click does
    not build twice, nor take two numbers for one Word report)."""
    if format not in FileFormat.values:
        raise ValidationError(_("Unknown file format: %(format)s.") % {"format": format})
    waiting = (
        ReportFile.objects.defer("content")
        .filter(
            requested_by=actor,
            unit=unit,
            start=period.start,
            end=period.end,
            format=format,
            state__in=PENDING,
        )
        .first()
    )
    if waiting is not None:
        return waiting
    file = ReportFile.objects.create(
        requested_by=actor, unit=unit, start=period.start, end=period.end, format=format
    )
    transaction.on_commit(lambda: build_report_file.enqueue(file.pk))
    return file
