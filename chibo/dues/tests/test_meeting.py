"""The meeting's dues record feeds the ledger: collected writes the payment "meeting:<id>"
paid on the meeting's day, a correction updates it, not collected removes it; a month
already paid in the ledger another way is refused; the ledger's pages cannot delete it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.dues import services
from chibo.dues.models import DuesPayment, Source
from chibo.meetings import services as ms
from chibo.meetings.models import DuesCollection, Kind, Meeting
from chibo.meetings.services import record

from .helpers import D, pay


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def meeting(cell, day: dt.date) -> Meeting:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))
    return ms.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at, actor=None)


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def ledger() -> list[tuple]:
    return list(
        DuesPayment.objects.order_by("pk").values_list(
            "member_id", "month", "amount", "paid_on", "source", "reference"
        )
    )


def test_the_meetings_dues_record_writes_the_payment(world):
    m = meeting(world.cell, D(2026, 3, 5))
    record.dues_record(
        meeting=m, version=v(m), member=world.member, month=D(2026, 3, 9), amount=30_000, actor=None
    )
    ref = f"meeting:{m.pk}"
    assert ledger() == [
        (world.member.pk, D(2026, 3, 1), 30_000, D(2026, 3, 5), Source.MEETING, ref)
    ]
    # Corrected at the same meeting: the same payment, the new amount.
    record.dues_record(
        meeting=m, version=v(m), member=world.member, month=D(2026, 3, 1), amount=35_000, actor=None
    )
    assert ledger() == [
        (world.member.pk, D(2026, 3, 1), 35_000, D(2026, 3, 5), Source.MEETING, ref)
    ]
    # Not collected after all: the payment goes, the meeting's row stays.
    record.dues_record(
        meeting=m,
        version=v(m),
        member=world.member,
        month=D(2026, 3, 1),
        amount=0,
        collected=False,
        actor=None,
    )
    assert ledger() == [] and DuesCollection.objects.get().collected is False
    # Collected again: back in the ledger.
    record.dues_record(
        meeting=m, version=v(m), member=world.member, month=D(2026, 3, 1), amount=35_000, actor=None
    )
    payment = DuesPayment.objects.get()
    with pytest.raises(ValidationError, match="correct it in the meeting's record"):
        services.payment_delete(payment=payment, actor=None)


def test_a_month_paid_to_the_treasurer_is_not_collected_again_at_the_meeting(world):
    pay(world.member, D(2026, 4, 1), 50_000, on=D(2026, 4, 1))
    m = meeting(world.cell, D(2026, 4, 2))
    with pytest.raises(ValidationError) as e:
        record.dues_record(
            meeting=m,
            version=v(m),
            member=world.member,
            month=D(2026, 4, 1),
            amount=50_000,
            actor=None,
        )
    assert e.value.message_dict == {
        "month": [
            "Dues for 04/2026 are already in the ledger: Recorded by the treasurer, 01/04/2026."
        ]
    }
    # Nothing half-written: neither the meeting's row nor a second payment.
    assert not DuesCollection.objects.exists()
    assert DuesPayment.objects.count() == 1


def test_the_data_migration_writes_the_payments_of_earlier_collections(world):
    """meetings 0012: the collections recorded before the ledger existed, once."""
    from importlib import import_module

    from django.apps import apps

    m = meeting(world.cell, D(2026, 2, 4))
    DuesCollection.objects.create(
        meeting=m, member=world.member, month=D(2026, 1, 1), amount=20_000, collected=True
    )
    DuesCollection.objects.create(
        meeting=m, member=world.member2, month=D(2026, 2, 1), amount=20_000, collected=False
    )
    migration = import_module("chibo.meetings.migrations.0012_dues_ledger_payments")
    migration.forward(apps, None)
    migration.forward(apps, None)
    expected = [
        (world.member.pk, D(2026, 1, 1), 20_000, D(2026, 2, 4), Source.MEETING, f"meeting:{m.pk}")
    ]
    assert ledger() == expected
    assert DuesPayment.history.count() == 1
