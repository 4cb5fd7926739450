"""Nothing reads the roster's history by meeting or member: their two indexes, which every
attendance mark wrote (about 80 million rows a year nationally), are dropped: 400,000
history rows inserted in 13.6 s instead of 24 s on PostgreSQL, 28% less index space
(docs/growth.md). DROP INDEX only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0013_attendance_unexcused_covering"),
        ("members", "0007_event_suspended"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalattendance",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
        migrations.AlterField(
            model_name="historicalattendance",
            name="member",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.member",
            ),
        ),
    ]
