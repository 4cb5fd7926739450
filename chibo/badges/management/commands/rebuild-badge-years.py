"""`chibo rebuild-badge-years [--chunk N]`: write again every member's kept copy of the
highest badge recorded (`Member.badge_years`, chibo.badges.services.keep_badge_years), for
repairs after awards were written by hand or by SQL. Members go in id order, `--chunk` a
transaction, with a line of progress after each; running it again changes nothing."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chibo.badges.services import keep_badge_years
from chibo.members.models import Member


class Command(BaseCommand):
    help = "Rebuild each member's kept copy of the highest Party badge recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=20_000, help="Members per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        chunk = options["chunk"]
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        started, last, written = time.perf_counter(), 0, 0
        while True:
            ids = list(
                Member.all_objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                break
            with transaction.atomic():
                written += keep_badge_years(
                    Member.all_objects.filter(pk__gte=ids[0], pk__lte=ids[-1]), repair=True
                )
            last = ids[-1]
            self.stdout.write(f"{written} members, last id {last}")
        self.stdout.write(f"Done: {written} members in {time.perf_counter() - started:.1f} s.")
