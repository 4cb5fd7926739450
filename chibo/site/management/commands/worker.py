"""`chibo worker`: run the background tasks (e-mails, the daily reminders job)."""

import logging
import time

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from chibo.site.recovery import recover, worker_id
from chibo.site.scheduler import due


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue, and enqueue the daily jobs once a day. "
        "Keep one running beside the web server (systemd, supervisor...)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue what is due, run every waiting task, then exit (for cron or tests).",
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between polls (default 5)."
        )

    def handle(self, *, once: bool, interval: float, verbosity: int, **options) -> None:
        logging.basicConfig(level=logging.INFO if verbosity else logging.WARNING)
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,  # run what is waiting, then come back here to check the clock
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id(),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        for task in recover():  # what a stopped worker of this host left running
            self.stdout.write(f"failed task {task}: its worker had stopped")
        while worker.running:
            for name in due():
                self.stdout.write(f"enqueued {name}")
            worker.run()
            if once:
                return
            time.sleep(interval)
