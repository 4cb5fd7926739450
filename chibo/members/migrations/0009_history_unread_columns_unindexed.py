"""History rows are written on every change and read by record id (and member id, for the
member page) only: the indexes the history tables copied from the records' own columns (code,
national id, card number, unit, village, party group, deletion) are dropped, as nothing reads
history by them and every change wrote them (docs/growth.md). DROP INDEX only."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_member_counts"),
        ("org", "0004_orgunit_sector_of_base_organisations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmember",
            name="card_number",
            field=models.CharField(
                blank=True, max_length=20, null=True, verbose_name="party card number"
            ),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="code",
            field=models.CharField(
                help_text="The office's code for this member's record; used to match imports.",
                max_length=32,
                verbose_name="record code",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="national_id",
            field=models.CharField(
                blank=True,
                max_length=12,
                null=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]{9}([0-9]{3})?$", "A national ID has 9 or 12 digits."
                    )
                ],
                verbose_name="national ID",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmemberevent",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="historicalmemberevent",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalplacement",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="historicalplacement",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalplacement",
            name="party_group",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.orgunit",
                verbose_name="party group",
            ),
        ),
        migrations.AlterField(
            model_name="historicalplacement",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.orgunit",
                verbose_name="cell",
            ),
        ),
        migrations.AlterField(
            model_name="historicalposition",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="historicalposition",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalposition",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.orgunit",
                verbose_name="unit",
            ),
        ),
        migrations.AlterField(
            model_name="historicalposition",
            name="village",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="org.village",
                verbose_name="village",
            ),
        ),
    ]
