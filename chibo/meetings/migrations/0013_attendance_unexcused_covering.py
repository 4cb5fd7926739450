"""The removal review's index on unexcused absences, member first, now holds every column
the review reads (away, exempt, id): a base committee's review probes its members' rows in the
index alone (17 ms on the 100,000-member demo on PostgreSQL) instead of reading every
unexcused absence of the database, of every year, through the table (214 ms, and growing
with the country and the years). It replaces (member, meeting) WHERE unexcused.

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops): the roster grows by about 80
million rows a year nationally, and a plain CREATE INDEX would stop attendance being marked
while it reads them. Hence a migration outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline, RemoveIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("meetings", "0012_dues_ledger_payments")]

    operations = [
        AddIndexOnline(
            model_name="attendance",
            index=models.Index(
                condition=models.Q(("presence", "unexcused")),
                fields=["member", "meeting", "away", "exempt", "id"],
                name="attendance_unexcused_m_idx",
            ),
        ),
        RemoveIndexOnline(model_name="attendance", name="attendance_unexcused_idx"),
    ]
