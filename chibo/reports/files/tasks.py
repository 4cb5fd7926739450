"""The worker's part: build a report file that someone asked for (`chibo worker`), saying
how far it is as it goes, then tell them in the notification centre."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.core import db, export
from chibo.core.formats import date as vn_date
from chibo.core.reporting import Period
from chibo.notices.services import notify

from ..models import FileFormat, FileState, ReportFile
from ..reminders import REPORT_FILE_FAILED, REPORT_FILE_READY
from . import excel, word
from .report import collect

logger = logging.getLogger(__name__)

# Percent done once the figures are computed (the rest is writing the file).
COMPUTED = 90
FORMAT_NAMES = {FileFormat.XLSX: "Excel", FileFormat.DOCX: "Word"}


@task()
def build_report_file(file_id: int) -> str:
    """Build the file; returns its state ("done" or "failed")."""
    return build(file_id)


def file_name(file: ReportFile, period: Period) -> str:
    """'bao-cao-x01-2026.xlsx', 'bao-cao-x01-2026-q1.docx'."""
    return export.filename(
        "bao-cao", file.unit.code, period.key.replace("..", "-"), ext=file.format
    )


def _progress(file: ReportFile, percent: int) -> None:
    # Committed at once (the worker runs outside any transaction), so the page polling the
    # file sees it move.
    # Its rows are no figure's: the rest of the report may still read the replica.
    with db.bookkeeping():
        ReportFile.objects.filter(pk=file.pk).update(progress=percent)


def build(file_id: int) -> str:
    file = ReportFile.objects.select_related("unit", "requested_by").filter(pk=file_id).first()
    if file is None:  # removed before the worker got to it
        return ""
    if file.state in (FileState.DONE, FileState.FAILED):
        return file.state  # enqueued twice: built once
    ReportFile.objects.filter(pk=file.pk).update(state=FileState.RUNNING, progress=1)
    period = Period.between(file.start, file.end)
    # The file's texts, and any refusal (no committee term recorded...), in Vietnamese.
    with translation.override("vi"):
        try:
            with db.scope():  # the file's own state, written above, is no figure
                report = collect(
                    file.unit,
                    period,
                    progress=lambda done, total: _progress(file, max(1, COMPUTED * done // total)),
                )
            # The Word report's number is taken in this transaction: a failure gives it back.
            with transaction.atomic():
                if file.format == FileFormat.XLSX:
                    content = excel.workbook(file.unit, period, report=report)
                else:
                    content = word.build_docx(
                        file.unit, period, actor=file.requested_by, report=report
                    )
                file.content = content
                file.name = file_name(file, period)
                file.state = FileState.DONE
                file.progress = 100
                file.error = ""
                file.finished_at = timezone.now()
                file.save()
                _tell(file, REPORT_FILE_READY, url=reverse("reports:file_download", args=[file.pk]))
        except ValidationError as e:
            _failed(file, " ".join(e.messages))
        except Exception:
            logger.exception("report file %s could not be built", file.pk)
            _failed(
                file,
                _("An unexpected error stopped the work. Try again, or tell the administrator."),
            )
    return file.state


def _failed(file: ReportFile, error: str) -> None:
    file.state = FileState.FAILED
    file.error = error[:500]
    file.content = None
    file.finished_at = timezone.now()
    file.save(update_fields=["state", "error", "content", "finished_at"])
    _tell(file, REPORT_FILE_FAILED, error=file.error)


def _tell(file: ReportFile, kind: str, *, url: str = "", **params: str) -> None:
    notify(
        [file.requested_by_id],
        kind=kind,
        key=f"report_file:{file.pk}",
        params={
            "format": FORMAT_NAMES[FileFormat(file.format)],
            "unit": file.unit.name,
            "start": vn_date(file.start),
            "end": vn_date(file.end),
            **params,
        },
        url=url,
    )
