"""The badge lists find a subtree's members by the record's cell (`home_unit`) and cut them on
their own row in one index: (home_unit, admitted_on, badge_years) with the id, of the members
not deleted. A province's list read its 100,000 members one by one, by id, to keep the 10,000
whose recorded badges do not reach what their admission allows (chibo.badges.queries.due;
bench/README.md, issue 13).

That is exact only if the placement a member is in on a day, when still open, is the record's.
members.derive.home_unit now takes, among official placements starting the same day, one that
holds a day before one that ends on its first day; the members with such a placement get
their copy again here (the rule as members.derive states it).

With it, an index of the few official placements that have ended, by unit: the members
placed in the subtree on the day who have moved on since (3,000 of the 1,000,000-member demo's
1,002,000 placements; read from the unit's index, the province's 100,300 placements were
visited to find none: 31 ms).

The indexes are built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a
transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


def home_units_again(apps, schema_editor) -> None:
    Member = apps.get_model("members", "Member")
    Placement = apps.get_model("members", "Placement")
    official = Placement.objects.filter(kind="official", deleted_at__isnull=True)
    members = set(
        official.filter(end=models.F("start")).values_list("member_id", flat=True).distinct()
    )
    for pk in sorted(members):
        rows = official.filter(member_id=pk).values_list("start", "end", "pk", "unit_id")
        latest = max(rows, key=lambda p: (p[0], p[1] != p[0], p[2]))
        Member.objects.filter(pk=pk).exclude(home_unit_id=latest[3]).update(
            home_unit_id=latest[3]
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0017_statusperiod_on_probation_idx")]

    operations = [
        migrations.RunPython(home_units_again, migrations.RunPython.noop, atomic=True),
        AddIndexOnline(
            model_name="member",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["home_unit", "admitted_on", "badge_years", "id"],
                name="member_badge_cut_idx",
            ),
        ),
        AddIndexOnline(
            model_name="placement",
            index=models.Index(
                condition=models.Q(
                    ("deleted_at__isnull", True), ("end__isnull", False), ("kind", "official")
                ),
                fields=["unit", "end", "start", "member"],
                name="placement_ended_idx",
            ),
        ),
    ]
