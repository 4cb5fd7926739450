"""Indexes that match how notices are read (docs/growth.md): a person's list newest first,
their unread ones, the daily job's "already told?" by key, the purge of old read ones. The
index on (user, read_at) they replace matched none of these orders.

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops): nationally the table holds
hundreds of millions of rows, and a plain CREATE INDEX would stop every notice being written
or marked read for as long as it reads them. Hence a migration outside a transaction."""

from django.conf import settings
from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline, RemoveIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("notices", "0004_job_runs_are_the_sites"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexOnline(
            model_name="notice",
            index=models.Index(fields=["user", "-created_at", "-id"], name="notice_user_new_idx"),
        ),
        AddIndexOnline(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["user", "-created_at", "-id"],
                name="notice_unread_idx",
            ),
        ),
        AddIndexOnline(
            model_name="notice",
            index=models.Index(fields=["key", "user"], name="notice_key_idx"),
        ),
        AddIndexOnline(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("read_at__isnull", False)),
                fields=["created_at"],
                name="notice_read_created_idx",
            ),
        ),
        RemoveIndexOnline(model_name="notice", name="notices_not_user_id_3be34e_idx"),
    ]
