"""`chibo restore FILE [--force] [--migrate] [--check]`: put a backup of `chibo backup` back
(chibo.core.backup; docs/backup.md). Refuses a database that is not empty unless --force, and
a backup from newer code; all or nothing."""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core import backup
from chibo.core.formats import datetime


class Command(BaseCommand):
    help = "Restore a backup made by `chibo backup` into the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that is not empty.",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Then apply this version's migrations to a backup made by an older version.",
        )
        parser.add_argument(
            "--database-url",
            metavar="URL",
            help="Restore into this database instead of Chibo's own (to test a restore); "
            "without a password: libpq reads PGPASSWORD or ~/.pgpass.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Say what the backup holds and whether it can be restored; write nothing.",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        force: bool,
        migrate: bool,
        check: bool,
        database_url: str | None,
        **options: Any,
    ) -> None:
        source = Path(file)
        if migrate and database_url:
            raise CommandError(
                _(
                    "--migrate applies to Chibo's own database: run `chibo migrate` with that "
                    "DATABASE_URL instead."
                )
            )
        target = dict(dj_database_url.parse(database_url)) if database_url else None
        try:
            if check:
                manifest = backup.inspect(source)
                pending = backup.migration_check(manifest.migrations)
            else:
                # Our own connections would hold the old database (SQLite's file, a
                # PostgreSQL session) while it is replaced.
                connections.close_all()
                done = backup.restore(source=source, target=target, force=force)
                manifest, pending = done.manifest, done.pending
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        when = datetime(timezone.localtime(manifest.created))
        if check:
            self.stdout.write(_("%(file)s: a backup of %(when)s.") % {"file": source, "when": when})
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Restored %(file)s, a backup of %(when)s; every table's rows checked.")
                    % {"file": source, "when": when}
                )
            )
        for line in backup.describe(manifest):
            self.stdout.write(line)
        if not pending:
            return
        if migrate and not check:
            call_command("migrate", interactive=False, verbosity=options.get("verbosity", 1))
            return
        self.stdout.write(
            self.style.WARNING(
                ngettext(
                    "This backup comes from an older version of Chibo: %(count)d migration of "
                    "this version is not applied. Run `chibo migrate` before starting Chibo.",
                    "This backup comes from an older version of Chibo: %(count)d migrations of "
                    "this version are not applied. Run `chibo migrate` before starting Chibo.",
                    len(pending),
                )
                % {"count": len(pending)}
            )
        )
