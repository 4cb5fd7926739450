"""The worker's part of an import (`chibo worker`): preview and commit a large file, saying
how far it is as it goes, then tell the uploader in the notification centre."""

import logging

from django.tasks import task
from django.utils import translation

from . import services

logger = logging.getLogger(__name__)


@task()
def preview_import(job_id: int) -> str:
    """Preview a queued upload; returns the job's state."""
    with translation.override("vi"):  # the report's messages, as the page shows them
        try:
            job = services.job_preview(job_id=job_id)
        except Exception:
            logger.exception("import %s could not be previewed", job_id)
            services.job_failed(job_id=job_id)
            return "failed"
    return job.state if job else ""


@task()
def commit_import(job_id: int) -> str:
    """Commit a job queued for it; returns whether it was committed."""
    with translation.override("vi"):
        report = services.job_commit_run(job_id=job_id)
    return "committed" if report is not None and report.committed else ""
