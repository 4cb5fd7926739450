"""Who is officially placed in a subtree on a day, from an index alone: (unit, start, end,
member) of the official placements not deleted. A province's deadline board asks it several
times (the probationary list, unpaid dues, the development lists); each read its 100,000
placements from the table through the unit's index, 30 ms each in the 1,000,000-member demo
(bench/README.md, issue 13).

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0018_member_badge_cut_idx")]

    operations = [
        AddIndexOnline(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("kind", "official")),
                fields=["unit", "start", "end", "member"],
                name="placement_official_unit_idx",
            ),
        ),
    ]
