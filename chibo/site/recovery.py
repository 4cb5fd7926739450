"""Tasks a stopped worker left running. A worker killed in the middle of a task (a restart, the
out-of-memory killer, a power cut) leaves the task's row RUNNING for ever: its transaction was
rolled back with the process, so nothing it wrote is there, but whoever waits for it (an import's
uploader watching the progress bar) would wait for ever, and the import could not be tried again.

When `chibo worker` starts, it looks for tasks left RUNNING by workers of its own host (worker ids
are `<host>-<pid>`) whose process is gone, marks them failed, and lets the task's owner know
(`ABANDONED`: an import's job turns failed, its uploader is told and may commit it again). A
worker on another host is not judged from here: its own host's next worker does it."""

import logging
import os
import socket
from collections.abc import Callable

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from chibo.imports import tasks as import_tasks
from chibo.imports.services import job_failed

logger = logging.getLogger(__name__)

STOPPED = "chibo.site.recovery.WorkerStopped"


def _import_abandoned(args: list, kwargs: dict) -> None:
    with translation.override("vi"):  # as the import's own tasks write their messages
        error = _(
            "The background worker stopped while working on this file (it was restarted or "
            "shut down); nothing was written. Try again."
        )
        job_failed(job_id=int(kwargs.get("job_id", args[0] if args else 0)), error=error)


# What to do for the owner of a task of each kind (its path) that a stopped worker left.
ABANDONED: dict[str, Callable[[list, dict], None]] = {
    import_tasks.preview_import.module_path: _import_abandoned,
    import_tasks.commit_import.module_path: _import_abandoned,
}


def worker_id() -> str:
    """This process's worker id, as `chibo worker` names it (host and process id)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


def _gone(pid: int) -> bool:
    """Whether no process `pid` runs on this host (this process counts as gone: it has just
    started and runs no task yet, and in a container a restarted worker gets its old pid)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: alive
        return False
    return False


def recover(host: str | None = None) -> list[str]:
    """Mark the tasks that stopped workers of `host` (this one) left running as failed and
    tell their owners; returns their ids."""
    host = (host or socket.gethostname())[:40]
    recovered = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    for result in running:
        last = result.worker_ids[-1] if result.worker_ids else ""
        name, _sep, pid = last.rpartition("-")
        if name != host or not pid.isdigit() or not _gone(int(pid)):
            continue
        with transaction.atomic():
            still = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
            claimed = still.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=STOPPED,
                traceback=f"The worker {last} stopped while running this task.",
            )
            if not claimed:  # another starting worker of this host got there first
                continue
            stopped = DBTaskResult.objects.get(pk=result.pk)
            owner = ABANDONED.get(stopped.task_path)
            if owner is not None:
                owner(stopped.args_kwargs.get("args", []), stopped.args_kwargs.get("kwargs", {}))
        path = stopped.task_path
        logger.warning("task %s (%s) left running by %s: failed", result.pk, path, last)
        recovered.append(str(result.pk))
    return recovered
