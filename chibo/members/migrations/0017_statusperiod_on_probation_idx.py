"""Who is on probation today, from the index alone: the development lists match a subtree's
placements with the periods open on probation. As `status = 'probationary' AND (valid_to IS
NULL OR valid_to > day)` PostgreSQL read each such period's row of the whole database
(15,000 pages in the 1,000,000-member demo, 110 ms from disk); the open ones are now a
partial index of (member, valid_from) read alone, and the few ending later a second part
(chibo.development.queries.probationary; bench/README.md, issue 13).

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0016_statusperiod_status_statistics")]

    operations = [
        AddIndexOnline(
            model_name="statusperiod",
            index=models.Index(
                condition=models.Q(("status", "probationary"), ("valid_to__isnull", True)),
                fields=["member", "valid_from"],
                name="statusperiod_on_probation_idx",
            ),
        ),
    ]
