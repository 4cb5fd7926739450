"""The evaluation rules of each regulation (shared/DOMAIN.md, Annual evaluation): 132-QĐ/TW
(2018), 124-QĐ/TW (04/10/2023), 366-QĐ/TW with Hướng dẫn 43-HD/BTCTW (30/8/2025).

The readings a province may change (the cap's base and group) start as the common one: the
cap counts those rated good only, within each cell; a province adds its own version to read
it otherwise."""

import datetime as dt

from django.db import migrations

COMMON = {
    "evaluation_excellent_cap": "1/5",
    "evaluation_cap_base": "good",
    "evaluation_cap_group": "cell",
    "evaluation_min_months": 6,
    "evaluation_ill_months": 3,
    "evaluation_exempt": "if_assessed",
    # Disciplined in the year: not rated good or above (3: completed duties at best).
    "evaluation_discipline_best": {"reprimand": 3, "warning": 3, "dismissal": 3},
    "evaluation_unit_meetings": "good",
    "evaluation_unit_members": 100,
}
VERSIONS = [
    (dt.date(2018, 3, 8), "Quy định 132-QĐ/TW (08/3/2018)", {**COMMON, "evaluation_form": "132"}),
    (dt.date(2023, 10, 4), "Quy định 124-QĐ/TW (04/10/2023)", {**COMMON, "evaluation_form": "124"}),
    (
        dt.date(2025, 8, 30),
        "Quy định 366-QĐ/TW (30/8/2025), Hướng dẫn 43-HD/BTCTW",
        {
            **COMMON,
            "evaluation_form": "366",
            "evaluation_points": {"general": 30, "results": 70},
            "evaluation_thresholds": {"excellent": 90, "good": 70, "complete": 50},
            "evaluation_exceeded_share": 30,
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
    dependencies = [("evaluation", "0001_initial"), ("rules", "0005_sources_in_vietnamese")]
    operations = [migrations.RunPython(load, unload)]
