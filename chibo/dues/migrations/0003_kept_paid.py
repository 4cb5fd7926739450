"""What is paid on each charge, kept (`DuesCharge.paid`, chibo.dues.paid): the column, filled
from the payments in one set-based statement (PostgreSQL and SQLite 3.33+ both take UPDATE ...
FROM), then the index of the charges not paid in full, built on the filled column. The
payments' index on month becomes one on (month, paid_on) for the reports' late payments."""

from django.db import migrations, models

FILL = """
UPDATE dues_duescharge SET paid = s.total
FROM (
    SELECT member_id, month, SUM(amount) AS total
    FROM dues_duespayment GROUP BY member_id, month
) AS s
WHERE dues_duescharge.member_id = s.member_id AND dues_duescharge.month = s.month
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0002_regulations"),
    ]

    operations = [
        migrations.AddField(
            model_name="duescharge",
            name="paid",
            field=models.PositiveBigIntegerField(default=0, verbose_name="paid (đồng)"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name="duescharge",
            index=models.Index(
                condition=models.Q(("paid__lt", models.F("amount"))),
                fields=["month", "member"],
                name="dues_charge_unpaid",
            ),
        ),
        migrations.RemoveIndex(
            model_name="duespayment",
            name="dues_duespa_month_f64b4f_idx",
        ),
        migrations.AddIndex(
            model_name="duespayment",
            index=models.Index(fields=["month", "paid_on"], name="dues_payment_month_paid_on"),
        ),
    ]
