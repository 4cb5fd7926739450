"""`chibo archive-history --before YYYY-MM-DD [--dry-run]`: move the history rows written
before a date out of the live history tables, into per-year archive tables
(chibo.core.archive; docs/growth.md). Each record keeps its last row before the date. Safe to
interrupt and run again. Run by an operator."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core.archive import BATCH, Moved, archive_history


class Command(BaseCommand):
    help = "Move history rows older than a date into per-year archive tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="The cut-off date, YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would move; change nothing."
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="Rows per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            before = dt.date.fromisoformat(options["before"])
        except ValueError:
            raise CommandError(f"Not a date (YYYY-MM-DD): {options['before']!r}") from None
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        verb = "would move" if options["dry_run"] else "moved"

        def show(done: Moved) -> None:
            if done.rows or done.kept:
                self.stdout.write(
                    f"{done.table}: {done.rows} rows {verb}, {done.kept} kept as last rows"
                )

        try:
            report = archive_history(
                before=before, dry_run=options["dry_run"], batch=options["batch"], progress=show
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{sum(r.rows for r in report)} history rows {verb} in all.")
