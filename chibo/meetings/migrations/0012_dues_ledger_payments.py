"""The dues ledger (chibo.dues) from the dues meetings already collected: one DuesPayment per
collected DuesCollection, as chibo.meetings.services.record.dues_record now writes them
(source "meeting", reference "meeting:<id>", paid on the meeting's day). Here and not in
chibo.dues: the ledger sits below the meetings and knows nothing of them."""

from django.db import migrations
from django.utils import timezone

BATCH = 1000


def forward(apps, schema_editor):
    DuesCollection = apps.get_model("meetings", "DuesCollection")
    DuesPayment = apps.get_model("dues", "DuesPayment")
    HistoricalDuesPayment = apps.get_model("dues", "HistoricalDuesPayment")
    done = set(
        DuesPayment.objects.filter(source="meeting").values_list("reference", "member_id", "month")
    )
    rows = (
        DuesCollection.objects.filter(collected=True)
        .select_related("meeting")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for row in rows:
        reference = f"meeting:{row.meeting_id}"
        if (reference, row.member_id, row.month) in done:
            continue
        at = row.meeting.started_at or row.meeting.planned_at
        batch.append(
            DuesPayment(
                member_id=row.member_id,
                month=row.month,
                amount=row.amount,
                paid_on=timezone.localtime(at).date(),
                source="meeting",
                reference=reference,
            )
        )
        if len(batch) == BATCH:
            _write(DuesPayment, HistoricalDuesPayment, batch)
            batch = []
    if batch:
        _write(DuesPayment, HistoricalDuesPayment, batch)


def _write(DuesPayment, HistoricalDuesPayment, batch):
    made = DuesPayment.objects.bulk_create(batch)
    # Their first history row, as the services write it ("+": created).
    now = timezone.now()
    HistoricalDuesPayment.objects.bulk_create(
        HistoricalDuesPayment(
            id=p.pk,
            member_id=p.member_id,
            month=p.month,
            amount=p.amount,
            paid_on=p.paid_on,
            source=p.source,
            reference=p.reference,
            recorded_by_id=None,
            history_date=now,
            history_type="+",
            history_change_reason="collected at the meeting",
        )
        for p in made
    )


def backward(apps, schema_editor):
    DuesPayment = apps.get_model("dues", "DuesPayment")
    DuesPayment.objects.filter(source="meeting", reference__startswith="meeting:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_attendance_unexcused_index"),
        ("dues", "0002_regulations"),
    ]
    # Its payments are in the sums the dues migration 0003 keeps on each charge.
    run_before = [("dues", "0003_kept_paid")]
    operations = [migrations.RunPython(forward, backward)]
