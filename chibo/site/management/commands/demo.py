"""`chibo demo`: migrate, fill the database with a demo province, print the logins, and
serve."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chibo.accounts.demo import login_rows
from chibo.core.formats import number
from chibo.demo.generate import DEFAULT_MEMBERS, DEFAULT_SEED, MIN_MEMBERS, demo_generate
from chibo.demo.reset import demo_present, demo_wipe


class Command(BaseCommand):
    help = (
        "Generate a realistic, repeatable demo province (cells, villages, members, posts) "
        "with one login per persona, print the logins, then run the development server. "
        "Migrates the database first. If it already holds units, generation is skipped "
        "unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--members",
            type=int,
            default=DEFAULT_MEMBERS,
            help=f"How many members to generate (about 40 a cell; default {DEFAULT_MEMBERS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The same seed gives the same data (on the same --as-of day).",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="Generate as if today were this date (YYYY-MM-DD; default: today).",
        )
        parser.add_argument(
            "--provinces",
            type=int,
            default=None,
            help=(
                "Generate a country of this many provinces (1 to 34), --members shared evenly, "
                "one province per transaction with bounded memory. Run again to resume: "
                "provinces already generated are skipped."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all units, members and demo logins first, then generate.",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Do not run the server afterwards."
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="Address for the development server."
        )

    def handle(self, *args, members, seed, as_of, provinces, reset, no_serve, addr, **options):
        if members < MIN_MEMBERS:
            raise CommandError(f"--members must be at least {MIN_MEMBERS}.")
        if provinces is not None and not 1 <= provinces <= 34:
            raise CommandError("--provinces must be from 1 to 34.")
        if provinces is not None and members < MIN_MEMBERS * provinces:
            raise CommandError(f"--members must be at least {MIN_MEMBERS} a province.")
        self.migrate()
        if reset:
            deleted = demo_wipe()
            self.stdout.write(f"Reset: {number(deleted)} rows deleted.")
        if provinces is not None:
            self.stdout.write(
                f"Generating a country: {number(members)} members in {provinces} provinces, "
                f"seed {seed} (provinces already generated are skipped)..."
            )
            summary = demo_generate(
                members=members,
                seed=seed,
                as_of=as_of,
                provinces=provinces,
                progress=self.stdout.write,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{number(summary.rows)} rows written in {number(summary.seconds, 1)} s; "
                    f"peak memory {number(summary.peak_mib)} MiB"
                )
            )
        elif demo_present():
            self.stdout.write(
                "The database already holds data: generation skipped (--reset starts over)."
            )
        else:
            self.stdout.write(f"Generating the demo: {number(members)} members, seed {seed}...")
            summary = demo_generate(members=members, seed=seed, as_of=as_of)
            self.stdout.write(self.style.SUCCESS(str(summary)))
        self.print_logins()
        if settings.STATIC_MANIFEST and not no_serve:
            # Hashed, compressed static files (production settings): written before serving.
            call_command("collectstatic", interactive=False, verbosity=0)
        if not no_serve:
            call_command("runserver", addr, use_reloader=False)

    def migrate(self) -> None:
        """A fresh database (a first `chibo demo`, or after an update) is migrated first;
        quietly, and not at all when nothing is pending."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Migrating the database...")
            call_command("migrate", interactive=False, verbosity=0)

    def print_logins(self) -> None:
        rows = login_rows()
        if not rows:
            self.stdout.write("No demo logins in this database (generate with --reset).")
            return
        header = ("Username", "Password", "Who", "Scope")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(line.format(*header)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write("")
