"""Unpaid charges by member: the removal review counts, for the members of a subtree, their
unpaid months of the year. PostgreSQL takes `paid < amount` for a third of the charges (it
cannot estimate a comparison of two columns), so it read every charge of the database
(1.8 s in the 1,000,000-member demo); with this partial index it looks up each member's few
unpaid months instead: 52 ms there and 53 ms in the 100,000-member demo (bench/README.md,
issue 13).

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("dues", "0004_charges_covering")]

    operations = [
        AddIndexOnline(
            model_name="duescharge",
            index=models.Index(
                condition=models.Q(("paid__lt", models.F("amount"))),
                fields=["member", "month"],
                name="dues_charge_unpaid_member",
            ),
        ),
    ]
