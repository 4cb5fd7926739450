"""Checking the audit events a write records: `with one_event() as got: service(...)`, then
`check(got.event, KIND, actor=..., obj=..., about=..., facts...)`."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Model

from chibo.core.models import AuditEvent


def _last() -> int:
    return AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0


@dataclass
class Recorded:
    events: list[AuditEvent] = field(default_factory=list)

    @property
    def event(self) -> AuditEvent:
        assert len(self.events) == 1, [e.kind for e in self.events]
        return self.events[0]


@contextmanager
def recorded() -> Iterator[Recorded]:
    """The events recorded inside the block (also when it raises)."""
    last = _last()
    got = Recorded()
    try:
        yield got
    finally:
        got.events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))


@contextmanager
def one_event() -> Iterator[Recorded]:
    """The block records exactly one event: `got.event`."""
    with recorded() as got:
        yield got
    assert len(got.events) == 1, [e.kind for e in got.events]


@contextmanager
def no_event() -> Iterator[None]:
    """The block records nothing (a refused write)."""
    with recorded() as got:
        yield
    assert got.events == []


def check(event: AuditEvent, key: str, /, *, actor, obj: Model, about: Model, **facts: Any) -> None:
    """The event's kind, who did it, the row written, whose record it is, and these facts
    (each as stored: a date as dd/mm/yyyy, a choice as {"t": its English label})."""
    assert event.kind == key
    assert event.actor_id == (actor.pk if actor is not None else None)
    assert event.object_type.model_class() is type(obj)
    assert event.object_id == obj.pk
    assert event.about_type.model_class() is type(about)
    assert event.about_id == about.pk
    assert {k: event.facts.get(k) for k in facts} == facts
