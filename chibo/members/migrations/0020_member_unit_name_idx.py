"""A search for a name in a small part of a large database reads that part's names, by unit,
from an index alone: (home_unit, search_name, id) of the members not deleted. It replaces
(home_unit, search_name), which served the name order of a cell's list and now has the id
too. Through the trigram index a province's search read every match of the database: 4,107
members for the province's 455 in the 1,000,000-member demo (bench/README.md, issue 13).

Built CONCURRENTLY on PostgreSQL (chibo.core.migration_ops), outside a transaction; the new
index is made before the old one is dropped."""

from django.db import migrations, models

from chibo.core.migration_ops import AddIndexOnline, RemoveIndexOnline


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0019_placement_official_unit_idx")]

    operations = [
        AddIndexOnline(
            model_name="member",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["home_unit", "search_name", "id"],
                name="member_unit_name_idx",
            ),
        ),
        RemoveIndexOnline(model_name="member", name="members_mem_home_un_c4a9b7_idx"),
    ]
