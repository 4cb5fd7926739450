"""The charges' index on (month, cell) now holds every column the dues report sums by cell and
month read (member, amount, paid): a province's year of charges (1.2 million at 100,000
members) is read from the index alone on PostgreSQL (an index-only scan, with the visibility
map autovacuum keeps) and on SQLite (a covering index), not from the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dues", "0003_kept_paid")]

    operations = [
        migrations.AddIndex(
            model_name="duescharge",
            index=models.Index(
                fields=["month", "cell", "member", "amount", "paid"],
                name="dues_charge_month_cell",
            ),
        ),
        migrations.RemoveIndex(model_name="duescharge", name="dues_duesch_month_d610cf_idx"),
    ]
