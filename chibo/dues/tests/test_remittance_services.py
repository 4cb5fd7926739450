"""Recording a remittance: one per unit and month (recording it again corrects it), refused
for a month not begun, a day in the future, an amount that is not a positive whole number;
each write is one audit event, a refused one writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.dues.models import Remittance
from chibo.dues.remittance import services
from chibo.org.models import Kind
from chibo.testing import factories as f

from .remittance_helpers import D

MAR = D(2026, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def written() -> tuple[int, int, int]:
    return (
        Remittance.objects.count(),
        Remittance.history.count(),  # type: ignore[attr-defined]
        AuditEvent.objects.count(),
    )


def test_record_then_correct_then_delete(world, cast):
    r = services.remittance_record(
        unit=world.cell,
        month=D(2026, 3, 17),  # any day of the month: kept as its first day
        amount=48_500,
        paid_on=D(2026, 4, 5),
        receipt_number="  PT   11 ",
        actor=cast.secretary,
    )
    assert (r.month, r.amount, r.paid_on, r.receipt_number) == (MAR, 48_500, D(2026, 4, 5), "PT 11")
    assert r.recorded_by == cast.secretary
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.about_id) == (
        "dues.remittance_recorded",
        cast.secretary,
        world.cell.pk,
    )
    assert audit.sentence(event) == (
        "Dues of 03/2026 handed to the level above: 48.500 đồng on 05/04/2026, receipt PT 11"
    )
    # The same month again corrects the record; its history keeps the first values.
    again = services.remittance_record(
        unit=world.cell, month=MAR, amount=50_000, paid_on=D(2026, 4, 6), actor=cast.base_officer
    )
    assert again.pk == r.pk and Remittance.objects.count() == 1
    assert (again.amount, again.receipt_number, again.recorded_by) == (
        50_000,
        "",
        cast.base_officer,
    )
    assert [h.amount for h in Remittance.history.order_by("history_id")] == [48_500, 50_000]  # type: ignore[attr-defined]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None and event.kind == "dues.remittance_corrected"
    assert audit.sentence(event) == (
        "Dues handed up for 03/2026 corrected from 48.500 đồng to 50.000 đồng on 06/04/2026, "
        "receipt without a number"
    )
    services.remittance_delete(remittance=again, actor=cast.base_officer)
    assert not Remittance.objects.exists()
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None and event.kind == "dues.remittance_deleted"
    assert audit.sentence(event) == "Dues handed up for 03/2026 deleted (50.000 đồng)"
    assert [e.kind for e in audit.about([world.cell])] == [
        "dues.remittance_deleted",
        "dues.remittance_corrected",
        "dues.remittance_recorded",
    ]


def test_the_current_month_is_accepted_the_next_refused(world):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    r = services.remittance_record(
        unit=world.base, month=this_month, amount=1, paid_on=today, actor=None
    )
    assert r.month == this_month
    before = written()
    next_month = (this_month + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError) as e:
        services.remittance_record(
            unit=world.base, month=next_month, amount=1, paid_on=today, actor=None
        )
    assert e.value.message_dict["month"] == [
        f"{next_month:%m/%Y} has not begun: dues are handed up for a month begun."
    ]
    assert written() == before


@pytest.mark.parametrize(
    "amount, message",
    [
        (0, "Enter the amount as a positive whole number of đồng."),
        (-5_000, "Enter the amount as a positive whole number of đồng."),
        (1.5, "Enter the amount as a positive whole number of đồng."),
        ("12000", "Enter the amount as a positive whole number of đồng."),
        (True, "Enter the amount as a positive whole number of đồng."),
        (10**12, "The amount is at most 999.999.999.999 đồng."),
    ],
)
def test_the_amount_is_a_positive_whole_number(world, amount, message):
    before = written()
    with pytest.raises(ValidationError) as e:
        services.remittance_record(
            unit=world.cell, month=MAR, amount=amount, paid_on=D(2026, 4, 1), actor=None
        )
    assert e.value.message_dict == {"amount": [message]}
    assert written() == before


def test_other_refusals_write_nothing(world):
    today = timezone.localdate()
    group = f.unit(Kind.PARTY_GROUP, world.cell)
    cases = [
        (
            {"unit": world.cell, "paid_on": today + dt.timedelta(days=1)},
            {"paid_on": ["The day the dues were handed over cannot be in the future."]},
        ),
        (
            {"unit": world.cell, "paid_on": D(2026, 2, 28)},
            {"paid_on": ["The dues of 03/2026 are handed over from 01/03/2026 on."]},
        ),
        (
            {"unit": world.cell, "receipt_number": "x" * 41},
            {"receipt_number": ["The receipt number has at most 40 characters."]},
        ),
        (
            {"unit": group},
            {"unit": ["A party group hands no dues up: its members pay at their cell."]},
        ),
    ]
    before = written()
    for changes, errors in cases:
        kwargs = {"month": MAR, "amount": 10_000, "paid_on": D(2026, 4, 1), **changes}
        with pytest.raises(ValidationError) as e:
            services.remittance_record(actor=None, **kwargs)
        assert e.value.message_dict == errors
    assert written() == before
