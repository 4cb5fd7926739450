"""`chibo rebuild-counts [--org CODE] [--from-unit ID] [--chunk N]`: rewrite the kept member
counts (chibo.members.counts) from the placements and events, for repairs and after bulk
writes that bypass the services. Units go in id order, `--chunk` units a transaction, with a
line of progress after each; a run that stops is resumed with `--from-unit` = the last id
printed (plus one), and running it again changes nothing."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.members import counts
from chibo.org.models import OrgUnit


class Command(BaseCommand):
    help = "Rebuild the kept member counts (every unit, or a unit's subtree)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="The unit's code (default: every unit).")
        parser.add_argument(
            "--from-unit", type=int, metavar="ID", help="Start at this unit id (resume a run)."
        )
        parser.add_argument("--chunk", type=int, default=200, help="Units per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = None
        if options["org"]:
            root = OrgUnit.all_objects.filter(code__iexact=options["org"]).first()
            if root is None:
                raise CommandError(f"No unit with the code {options['org']!r}.")
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1.")
        start = options["from_unit"]
        started = time.perf_counter()
        written = counts.rebuild(
            root=root,
            after=start - 1 if start is not None else None,
            chunk=options["chunk"],
            progress=lambda line: self.stdout.write(line),
        )
        self.stdout.write(
            f"Kept counts rebuilt: {written} rows in {time.perf_counter() - started:.1f} s."
        )
