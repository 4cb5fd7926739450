"""`chibo report --org CODE --year YYYY` (or --from/--to): a unit's figures as the JSON of
/api/v1/reports/summary (docs/reports.md), or as the Excel or Word file the next level asks
for (--format xlsx|docx --output FILE). Run by an operator: no scope applies."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.core.reporting import Period
from chibo.org.models import OrgUnit

from ...files import excel, word
from ...periods import period_from
from ...queries import summary

FORMATS = ("json", "xlsx", "docx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Print a unit's report for a period as JSON, or write it as an Excel or Word file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The unit's code.")
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, help="With --year: 1 to 4.")
        parser.add_argument("--month", type=int, help="With --year: 1 to 12.")
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD, with --to.")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD, with --from.")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="The file to write (required for xlsx and docx).")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = OrgUnit.objects.filter(code__iexact=options["org"]).first()
        if unit is None:
            raise CommandError(f"No unit with the code {options['org']!r}.")
        try:
            period = period_from(
                year=options["year"],
                quarter=options["quarter"],
                month=options["month"],
                start=_date(options["start"]) if options["start"] else None,
                end=_date(options["end"]) if options["end"] else None,
            )
        except ValidationError as error:
            messages = [f"--{k}: {m}" for k, ms in error.message_dict.items() for m in ms]
            raise CommandError("; ".join(messages)) from None
        fmt = options["format"]
        if fmt == "json":
            text = json.dumps(summary(unit, period), ensure_ascii=False, indent=2)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as out:
                    out.write(text + "\n")
            else:
                self.stdout.write(text)
            return
        if not options["output"]:
            raise CommandError(f"--format {fmt} needs --output FILE.")
        content = self._file(fmt, unit, period)
        with open(options["output"], "wb") as out:
            out.write(content)
        self.stderr.write(f"Wrote {options['output']} ({len(content):,} bytes).")

    def _file(self, fmt: str, unit: OrgUnit, period: Period) -> bytes:
        if fmt == "xlsx":
            return excel.workbook(unit, period)
        # No number is taken from the command line: the office numbers the report it sends.
        return word.build_docx(unit, period, actor=None)
