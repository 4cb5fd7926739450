"""The member and badge rules Chibo reads (shared/DOMAIN.md, Members and Badges), and the
working-day calendar built from the `holidays` package."""

import datetime as dt

from django.db import migrations

MEMBER_RULES = {
    "admission_min_age": 18,
    "admission_max_age": 60,
    "introducer_min_months": 12,
    "ceremony_working_days": 30,
    "probation_months": 12,
    "review_working_days": 30,
    "removal_missed_meetings": 3,
}
BADGE_RULES = {
    "badge_years": [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
    "badge_occasions": ["03/02", "19/05", "02/09", "07/11"],
    "badge_early_ill_months": {
        "30": 12, "40": 12, "45": 12, "50": 12, "55": 12, "60": 12, "65": 12,
        "70": 24, "75": 24, "80": 24, "85": 24, "90": 24,
    },
    "badge_posthumous_months": 12,
    "badge_discipline_wait_months": {"reprimand": 6, "warning": 9, "dismissal": 12},
}
VERSIONS = [
    (dt.date(2011, 1, 19), "Điều lệ Đảng (2011) and its guidance on admission", MEMBER_RULES),
    (dt.date(2011, 1, 19), "Quy định về tặng Huy hiệu Đảng", BADGE_RULES),
    (dt.date(2025, 7, 1), "Quy định 294-QĐ/TW (2025)", MEMBER_RULES),
]


def load(apps, schema_editor):
    from chibo.rules.calendar import FIRST, LAST, is_working

    RuleVersion = apps.get_model("rules", "RuleVersion")
    for effective_from, source, values in VERSIONS:
        RuleVersion.objects.get_or_create(
            effective_from=effective_from, source=source, province=None,
            defaults={"values": values},
        )
    CalendarDay = apps.get_model("rules", "CalendarDay")
    rows, seq, day = [], 0, FIRST
    while day <= LAST:
        working = is_working(day, {})
        seq += working
        rows.append(CalendarDay(date=day, working=working, seq=seq))
        day += dt.timedelta(days=1)
    CalendarDay.objects.all().delete()
    CalendarDay.objects.bulk_create(rows, batch_size=2000)


def unload(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    RuleVersion.objects.filter(province=None, source__in=[v[1] for v in VERSIONS]).delete()
    apps.get_model("rules", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_working_days")]
    operations = [migrations.RunPython(load, unload)]
