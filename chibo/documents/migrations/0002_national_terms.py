"""The national calendar of committee terms: five-year terms from the year of the party
congresses (đại hội đảng bộ các cấp). A unit that records its own congress date in Term
numbers from that date instead."""

import datetime as dt

from django.db import migrations

YEARS = [2010, 2015, 2020, 2025, 2030]


def seed(apps, schema_editor):
    Term = apps.get_model("documents", "Term")
    for year in YEARS:
        Term.objects.get_or_create(
            unit=None,
            starts_on=dt.date(year, 1, 1),
            defaults={"source": f"Nhiệm kỳ {year}-{year + 5}"},
        )


def unseed(apps, schema_editor):
    Term = apps.get_model("documents", "Term")
    Term.objects.filter(unit=None, starts_on__in=[dt.date(y, 1, 1) for y in YEARS]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
