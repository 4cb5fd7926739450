"""Exemptions by day: the badge list asks, for every candidate of a subtree, whether an
exemption for illness holds on the occasion day, and PostgreSQL answers it once for the whole
list (a hashed subquery) by reading the index on (member, kind, date) from end to end, every
event of the database, 142 ms a time and four times a page in the 1,000,000-member demo. A
partial index of the exemptions alone (a few thousand rows), covering what the test reads,
answers it in 13 ms (bench/README.md, issue 13).

The columns read are key columns, not `INCLUDE` (which SQLite has not). Built CONCURRENTLY on
PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0012_statusperiod_status_to_idx")]

    operations = [
        AddIndexOnline(
            model_name="memberevent",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("kind", "exempted")),
                fields=["date", "member", "end_date", "reason"],
                name="memberevent_exempted_idx",
            ),
        ),
    ]
