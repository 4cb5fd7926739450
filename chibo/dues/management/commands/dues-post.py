"""`chibo dues-post --month mm/yyyy [--org CODE]`: post a past month's dues (the daily job
posts the current month's), for every unit or a unit's subtree. Idempotent: a month posted
again creates only the charges missing. Run by an operator: no scope applies."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.dues import months
from chibo.dues.services import charges_post
from chibo.org.models import OrgUnit


class Command(BaseCommand):
    help = "Post the dues of a month for the members with a basis (the whole tree or a unit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month, mm/yyyy.")
        parser.add_argument("--org", help="The unit's code (default: every unit).")

    def handle(self, *args: Any, **options: Any) -> None:
        month = months.read(options["month"])
        if month is None:
            raise CommandError(f"Not a month (mm/yyyy): {options['month']!r}")
        unit = None
        if options["org"]:
            unit = OrgUnit.objects.filter(code__iexact=options["org"]).first()
            if unit is None:
                raise CommandError(f"No unit with the code {options['org']!r}.")
        try:
            n = charges_post(month=month, unit=unit, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        where = unit.code if unit is not None else "every unit"
        self.stdout.write(f"{months.text(month)}, {where}: {n} charges posted.")
