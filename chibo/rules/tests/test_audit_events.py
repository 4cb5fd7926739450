"""Each write to the rules records one audit event: who added a version or changed a day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.rules import services
from chibo.testing.audited import check, no_event, one_event

D = dt.date


def english(event: AuditEvent) -> str:
    with translation.override("en"):
        return audit.sentence(event)


def test_a_new_version_is_one_event(world, cast):
    keeper = cast.province_officer
    today = timezone.localdate()
    with one_event() as got:
        version = services.version_add(
            actor=keeper,
            effective_from=today,
            source="Quy định 24-QĐ/TW (thử)",
            province=None,
            values={"probation_months": 18},
        )
    check(
        got.event,
        services.VERSION_ADDED,
        actor=keeper,
        obj=version,
        about=version,
        source="Quy định 24-QĐ/TW (thử)",
        date=today.strftime("%d/%m/%Y"),
        count=1,
        province=None,
    )
    assert english(got.event) == (
        f"Rule version added: Quy định 24-QĐ/TW (thử), in force from {today:%d/%m/%Y}"
    )
    with no_event(), pytest.raises(ValidationError):
        services.version_add(
            actor=keeper,
            effective_from=today - dt.timedelta(days=1),
            source="Quy định cũ",
            province=None,
            values={"probation_months": 12},
        )


def test_working_day_changes_are_one_event_each(cast):
    keeper = cast.province_officer
    first = D(2026, 1, 1)
    with one_event() as got:
        off = services.day_change_add(
            actor=keeper, date=D(2026, 2, 23), working=False, name="Nghỉ bù Tết", today=first
        )
    check(
        got.event,
        services.DAY_OFF_ADDED,
        actor=keeper,
        obj=off,
        about=off,
        date="23/02/2026",
        name="Nghỉ bù Tết",
    )
    assert english(got.event) == "23/02/2026 made a day off: Nghỉ bù Tết"

    with one_event() as got:
        worked = services.day_change_add(
            actor=keeper, date=D(2026, 2, 28), working=True, name="Làm bù", today=first
        )
    check(got.event, services.WORKING_DAY_ADDED, actor=keeper, obj=worked, about=worked)
    assert english(got.event) == "28/02/2026 made a working day: Làm bù"

    pk = off.pk
    with one_event() as got:
        services.day_change_delete(actor=keeper, change=off, today=first)
    assert got.event.kind == services.DAY_CHANGE_DELETED
    assert (got.event.object_id, got.event.actor_id) == (pk, keeper.pk)
    assert english(got.event) == "Working-day change on 23/02/2026 deleted: Nghỉ bù Tết"

    with no_event(), pytest.raises(ValidationError):
        services.day_change_add(
            actor=keeper, date=D(2026, 2, 17), working=False, name="Tết", today=first
        )  # already a day off
