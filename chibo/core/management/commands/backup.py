"""`chibo backup [--output FILE] [--keep N]`: the whole database in one file
(chibo.core.backup; docs/backup.md). Prints the file, its size and what it holds."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.core import backup


class Command(BaseCommand):
    help = "Back up the whole database (records and documents) into one file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="The file to write (default: chibo-YYYYMMDD-HHMMSS.backup.tar in "
            "CHIBO_BACKUP_DIR).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Then remove all but the N newest backups with default names in the directory.",
        )

    def handle(self, *args: Any, output: str | None, keep: int | None, **options: Any) -> None:
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        path = Path(output) if output else backup.default_output()
        try:
            manifest = backup.backup(output=path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(file)s (%(size)s).")
                % {"file": path, "size": backup.size(path.stat().st_size)}
            )
        )
        for line in backup.describe(manifest):
            self.stdout.write(line)
        if keep is not None:
            removed = backup.prune(path.parent, keep=keep)
            if removed:
                self.stdout.write(
                    _("Older backups removed (%(count)s kept): %(files)s")
                    % {"count": keep, "files": ", ".join(p.name for p in removed)}
                )
