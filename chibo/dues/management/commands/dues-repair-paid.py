"""`chibo dues-repair-paid [--org CODE]`: put right what is kept as paid on each charge
(`DuesCharge.paid`, chibo.dues.paid) where it differs from the sum of its payments, for every
charge or those of a unit's subtree's cells; prints how many were wrong. The services keep the
sums in the same transaction as each payment; this is for rows written around them (a restore,
a hand-made fix in SQL). Idempotent. Run by an operator: no scope applies."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chibo.dues.models import DuesCharge
from chibo.dues.paid import repair
from chibo.org.models import OrgUnit


class Command(BaseCommand):
    help = "Put right the amount paid kept on each dues charge from its payments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="The unit's code (default: every charge).")

    def handle(self, *args: Any, **options: Any) -> None:
        charges = None
        where = "every unit"
        if options["org"]:
            unit = OrgUnit.objects.filter(code__iexact=options["org"]).first()
            if unit is None:
                raise CommandError(f"No unit with the code {options['org']!r}.")
            charges = DuesCharge.objects.filter(
                cell_id__in=OrgUnit.all_objects.within(unit).values("pk")
            )
            where = unit.code
        with transaction.atomic():
            n = repair(charges)
        self.stdout.write(f"{where}: {n} charges put right.")
