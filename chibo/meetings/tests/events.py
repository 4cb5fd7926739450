"""Checking the audit event of one write: what was recorded, against what the test knows."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import translation

from chibo.core.models import AuditEvent


def the_event(write: Callable[[], Any]) -> tuple[Any, AuditEvent]:
    """Run the write; it recorded exactly one event, returned with the write's result."""
    before = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    result = write()
    events = list(AuditEvent.objects.filter(pk__gt=before))
    assert len(events) == 1, [e.kind for e in events]
    return result, events[0]


def no_event(write: Callable[[], Any]) -> Any:
    """Run the write; it recorded nothing (it failed, or wrote nothing)."""
    before = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    result = write()
    assert list(AuditEvent.objects.filter(pk__gt=before).values_list("kind", flat=True)) == []
    return result


def check(
    event: AuditEvent,
    kind: str,
    *,
    actor,
    obj: tuple[type[models.Model], int],
    about: models.Model,
    facts: dict[str, Any],
) -> None:
    """`obj` as (model, id): a removed row is gone, its id is what the event keeps."""
    assert event.kind == kind
    assert event.actor_id == (actor.pk if actor is not None else None)
    assert (event.object_type.model_class(), event.object_id) == obj
    assert (event.about_type.model_class(), event.about_id) == (type(about), about.pk)
    assert event.facts == facts


def refused(write: Callable[[], Any], match: str) -> None:
    """The write is refused with this message, and leaves no event."""
    before = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    with translation.override("en"), pytest.raises(ValidationError, match=match):
        write()
    assert not AuditEvent.objects.filter(pk__gt=before).exists()
