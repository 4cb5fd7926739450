"""`chibo import FILE [FILE...] [--dry-run] [--user USERNAME]`: the upload page's import
from a shell. Prints every error as sheet, row, column, message; exits non-zero whenever
nothing was written (errors, or a dry run)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.formats import number
from chibo.core.sheets import sheets
from chibo.imports.services import import_commit, import_preview
from chibo.org.scope import is_writer_anywhere

EXIT_ERRORS = 1
EXIT_DRY_RUN = 2


@dataclass(frozen=True)
class Operator:
    """Whoever runs the command on the server without --user: they hold the database
    already, so the import has the whole tree in scope, as a superuser would. Not a user:
    rows that name who did something (a meeting's score) need --user."""

    pk: None = None
    member_id: None = None
    is_superuser: bool = True
    is_authenticated: bool = True


class Command(BaseCommand):
    help = (
        "Import records from the Chibo template (an .xlsx workbook or CSV files named after "
        "their sheet)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # The sheets are the apps' own (chibo.core.sheets): named from the registry.
        names = ", ".join(s.key for s in sheets())
        self.help = (
            f"Import {names} from the Chibo template (an .xlsx workbook or CSV files named "
            "after their sheet)."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing."
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Print a progress line every tenth (on a terminal it is always shown).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this user, within their write scope (default: everything).",
        )

    def handle(
        self,
        *args,
        files: list[str],
        dry_run: bool,
        user: str | None,
        progress: bool = False,
        **options,
    ) -> None:
        actor = self._actor(user)
        self._dry_run = dry_run
        contents = []
        for name in files:
            try:
                contents.append((Path(name).name, Path(name).read_bytes()))
            except OSError as e:
                raise CommandError(
                    _("Cannot read %(file)s: %(error)s") % {"file": name, "error": e.strerror}
                ) from e
        run = import_preview if dry_run else import_commit
        terminal = self.stderr.isatty()
        shown = self._progress(terminal) if terminal or progress else None
        report = run(actor=actor, files=contents, progress=shown)
        if terminal:
            self.stderr.write("")  # end the progress line

        for sheet, row, column, message in report.issues():
            where = ", ".join(
                part for part in (sheet, _("row %(n)d") % {"n": row} if row else "", column) if part
            )
            self.stderr.write(f"{where}: {message}" if where else message)
        for sheet, row, column, message in report.warnings():
            where = ", ".join(part for part in (sheet, _("row %(n)d") % {"n": row}, column) if part)
            self.stderr.write(
                _("Warning: %(where)s: %(message)s") % {"where": where, "message": message}
            )
        for note in [*report.notes, *(n for s in report.sheets for n in s.notes)]:
            self.stdout.write(note)
        counts = {k: number(v) for k, v in report.counts().items()}
        if report.committed:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
                    % counts
                )
            )
            return
        self.stdout.write(
            _(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                "%(error)s errors."
            )
            % counts
        )
        if report.has_errors:
            raise CommandError(
                _("Nothing was written: correct the errors above."), returncode=EXIT_ERRORS
            )
        raise CommandError(_("Dry run: nothing was written."), returncode=EXIT_DRY_RUN)

    def _progress(self, terminal: bool) -> Callable[[int], None]:
        """A progress line on stderr: rewritten in place on a terminal, a line every tenth
        in a log (--progress)."""
        shown = -1
        label = _("Checking") if self._dry_run else _("Importing")

        def progress(percent: int) -> None:
            nonlocal shown
            if terminal and percent != shown:
                self.stderr.write(f"\r{label}: {percent}%", ending="")
                self.stderr.flush()
            elif not terminal and percent // 10 != shown // 10:
                self.stderr.write(f"{label}: {percent}%")
            shown = percent

        return progress

    def _actor(self, username: str | None):
        if username is None:
            return Operator()
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user named %(name)s.") % {"name": username})
        if not is_writer_anywhere(actor):
            raise CommandError(
                _("%(name)s holds no role that may write records.") % {"name": username}
            )
        return actor
