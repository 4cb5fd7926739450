"""OrgUnit.sort_name: the name as lists sort it ("khu phố 2" before "khu phố 10"), filled in
for the units that exist."""

from django.db import migrations, models

from chibo.core.search import sort_key

SORT_NAME_LENGTH = 300  # chibo.org.models.SORT_NAME_LENGTH when this was written


def fill(apps, schema_editor):
    OrgUnit = apps.get_model("org", "OrgUnit")
    units = list(OrgUnit._base_manager.only("pk", "name"))
    for unit in units:
        unit.sort_name = sort_key(unit.name)[:SORT_NAME_LENGTH]
    OrgUnit._base_manager.bulk_update(units, ["sort_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_ancestry_related_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="orgunit",
            name="sort_name",
            field=models.CharField(db_index=True, editable=False, max_length=300),
        ),
        migrations.AlterModelOptions(
            name="orgunit",
            options={
                "base_manager_name": "all_objects",
                "ordering": ["depth", "sort_name", "pk"],
                "verbose_name": "party unit",
                "verbose_name_plural": "party units",
            },
        ),
    ]
