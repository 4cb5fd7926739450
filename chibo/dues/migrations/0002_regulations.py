"""The dues rules (shared/DOMAIN.md, Dues): Quyết định 342-QĐ/TW (28/12/2010) and
Quy định 01-QĐ/TW (03/02/2026). The shares kept are the common ones (commune base
organisations keep 90%, cells under a base committee 30%); a province sets its own."""

import datetime as dt

from django.db import migrations

AREAS = {"area1": 10000, "area2": 8000, "area3": 6000, "area4": 4000}
SHARES = {"cell": 30, "base": 90, "district": 50, "province": 50}
VERSIONS = [
    (
        dt.date(2011, 1, 1),
        "Quyết định 342-QĐ/TW (28/12/2010)",
        {
            "dues_salary_rate": "1/100",
            "dues_pension_rate": "1/200",
            "dues_fixed_amounts": AREAS,
            "dues_kept_share": SHARES,
            "removal_unpaid_months": 3,
        },
    ),
    (
        dt.date(2026, 2, 3),
        "Quy định 01-QĐ/TW (03/02/2026)",
        {
            "dues_salary_rate": "1/100",
            "dues_pension_rate": "1/200",
            "dues_fixed_amounts": {"student": 5000, **AREAS},
            "dues_kept_share": SHARES,
            "removal_unpaid_months": 3,
        },
    ),
]


def load(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for effective_from, source, values in VERSIONS:
        RuleVersion.objects.get_or_create(
            effective_from=effective_from, source=source, province=None,
            defaults={"values": values},
        )


def unload(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    RuleVersion.objects.filter(province=None, source__in=[v[1] for v in VERSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial"), ("rules", "0005_sources_in_vietnamese")]
    operations = [migrations.RunPython(load, unload)]
