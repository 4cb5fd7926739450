"""Fill the new derived columns for members recorded before them: party age per status
period, and the latest admission (no ceremonies were recorded before this migration)."""

from django.db import migrations

IN_PARTY = {"probationary", "official"}


def fill(apps, schema_editor):
    from chibo.members.derive import Period, _with_party_age

    StatusPeriod = apps.get_model("members", "StatusPeriod")
    MemberEvent = apps.get_model("members", "MemberEvent")
    Member = apps.get_model("members", "Member")
    by_member: dict[int, list] = {}
    for row in StatusPeriod.objects.order_by("member_id", "valid_from"):
        by_member.setdefault(row.member_id, []).append(row)
    for rows in by_member.values():
        periods = _with_party_age(
            [Period(r.status, r.valid_from, r.valid_to) for r in rows]
        )
        for row, period in zip(rows, periods):
            if row.party_age_from != period.party_age_from:
                row.party_age_from = period.party_age_from
                row.save(update_fields=["party_age_from"])
    last: dict[int, object] = {}
    admissions = MemberEvent.objects.filter(
        kind__in=["admitted", "readmitted"], deleted_at__isnull=True
    ).values_list("member_id", "date")
    for member_id, date in admissions:
        if member_id not in last or date > last[member_id]:
            last[member_id] = date
    for member_id, date in last.items():
        Member.objects.filter(pk=member_id).update(last_admitted_on=date)


class Migration(migrations.Migration):
    dependencies = [("members", "0003_lifecycle_fields")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
