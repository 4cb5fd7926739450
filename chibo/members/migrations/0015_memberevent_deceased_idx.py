"""Deaths by day: a province's posthumous badge list starts from the deaths of the window in
the whole database (1,246 in the 1,000,000-member demo) rather than from the province's
100,000 members (chibo.badges.queries.due.deceased). No index found them by day: the
events' index starts with the member. A partial index of the deaths alone, built
CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0014_member_badge_years")]

    operations = [
        AddIndexOnline(
            model_name="memberevent",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("kind", "deceased")),
                fields=["date", "member"],
                name="memberevent_deceased_idx",
            ),
        ),
    ]
