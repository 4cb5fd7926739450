"""The regulations Chibo knows, as rule versions (shared/DOMAIN.md gives the sources)."""

import datetime as dt

from django.db import migrations

VERSIONS = [
    (
        dt.date(2011, 1, 19),
        "Điều lệ Đảng (2011)",
        {
            "min_official_members": 3,
            "ordinary_majority": "1/2",
            "special_majority": "2/3",
        },
    ),
    (
        dt.date(2018, 7, 6),
        "Hướng dẫn 12-HD/BTCTW (06/7/2018) and the common provincial scoring on its criteria",
        {
            "quality_max": {"preparation": 15, "attendance": 20, "conduct": 45, "closing": 20},
            "quality_good": 90,
            "quality_fair": 70,
            "quality_average": 50,
            "good_meeting_attendance": "17/20",
            "year_good_min_good_meetings": 7,
        },
    ),
    (
        dt.date(2025, 10, 28),
        "Hướng dẫn 42-HD/BTCTW (28/10/2025)",
        {
            "meeting_min_minutes": 90,
            "meeting_min_minutes_combined": 120,
            "documents_days_before": 1,
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
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
