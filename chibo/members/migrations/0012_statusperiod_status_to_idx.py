"""Status periods by (status, valid_to): "who is probationary (or any status) on a day" reads
the periods still open that day, two index ranges (valid_to IS NULL, valid_to > day), instead
of every period of that status ever begun (the index on (status, valid_from, valid_to)): a
province's deadline board read 100,000 index entries for 3,771 probationary members, and the
ended periods grow with every year of history (bench/README.md, issue 13).

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0011_versions")]

    operations = [
        AddIndexOnline(
            model_name="statusperiod",
            index=models.Index(fields=["status", "valid_to"], name="statusperiod_status_to_idx"),
        ),
    ]
