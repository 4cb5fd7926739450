"""Tasks a stopped worker left running (chibo.site.recovery): the next worker of the same host
fails them, and an import's uploader is told and may commit the file again."""

import os
import socket
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chibo.imports.models import ImportJob
from chibo.imports.reminders import IMPORT_FAILED
from chibo.imports.tasks import commit_import, preview_import
from chibo.notices.models import Notice
from chibo.site import recovery
from chibo.testing.workbooks import snapshot, valid_sheets, xlsx

HOST = socket.gethostname()[:40]


def _dead_pid() -> int:
    """The id of a process that has ended (started, waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def office(cast, settings):
    settings.CHIBO_IMPORT_BACKGROUND_BYTES = 0  # every upload goes to the worker
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(cast.base_officer)
    return client


def _committing(client, captured) -> tuple[ImportJob, DBTaskResult]:
    """An uploaded, previewed job whose commit a worker had claimed (RUNNING)."""
    with captured(execute=True):
        client.post(
            reverse("imports:upload"),
            {"uploads": [SimpleUploadedFile("tinh.xlsx", xlsx(valid_sheets()))]},
        )
    job = ImportJob.objects.get()
    preview_import.call(job.pk)
    with captured(execute=True):
        client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTING
    task = DBTaskResult.objects.get(task_path=commit_import.module_path)
    return job, task


def _claimed_by(task: DBTaskResult, worker: str) -> None:
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, worker_ids=[worker]
    )


def test_a_commit_left_by_a_stopped_worker_fails_and_can_be_tried_again(
    world, cast, office, django_capture_on_commit_callbacks
):
    job, task = _committing(office, django_capture_on_commit_callbacks)
    _claimed_by(task, f"{HOST}-{_dead_pid()}")
    before = snapshot()

    assert recovery.recover() == [str(task.pk)]

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == recovery.STOPPED
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "chưa có dữ liệu nào được ghi" in job.error and "dừng" in job.error
    assert Notice.objects.filter(user=cast.base_officer, kind=IMPORT_FAILED).count() == 1
    assert snapshot() == before
    # The page no longer polls a job nobody works on, and offers the commit again.
    page = office.get(reverse("imports:preview", args=[job.pk])).text
    assert "every 1s" not in page and job.error in page
    assert reverse("imports:commit", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTING
    assert commit_import.call(job.pk) == "committed"
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and snapshot() != before
    # Run once more, nothing is left to recover.
    assert recovery.recover() == []


def test_tasks_of_live_workers_and_of_other_hosts_are_left_alone(
    world, cast, office, django_capture_on_commit_callbacks
):
    job, task = _committing(office, django_capture_on_commit_callbacks)
    for worker in (f"{HOST}-{os.getppid()}", f"another-host-{_dead_pid()}", f"{HOST}-x"):
        _claimed_by(task, worker)
        assert recovery.recover() == [], worker
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTING


# Transactional: the worker closes its old connections between runs (close_old_connections),
# which on PostgreSQL would end a test's own transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_recovers_when_it_starts(
    world, cast, office, django_capture_on_commit_callbacks, capsys
):
    job, task = _committing(office, django_capture_on_commit_callbacks)
    _claimed_by(task, f"{HOST}-{_dead_pid()}")
    DBTaskResult.objects.exclude(pk=task.pk).delete()
    call_command("worker", "--once")
    assert f"failed task {task.pk}" in capsys.readouterr().out
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
