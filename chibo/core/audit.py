"""Audit events: who did what, said in words.

Every write is a service (`services.py`) that takes the person doing it as `actor`
(keyword-only; `None` only for the system itself: the daily job, the demo) and is decorated
with `@audit.write`, which runs it in one transaction. Inside, the service records one event::

    TRANSFERRED = audit.kind("member.transferred", gettext_lazy(
        "Transferred from %(source)s to %(target)s, received on %(date)s"))

    @audit.write
    def member_transfer(*, member, target, actor): ...
        audit.record(TRANSFERRED, actor=actor, obj=transfer, about=member,
                     source=old_unit, target=target, date=received_on)

A service that calls other services records the one event of the whole write: the events of
the writes it calls are not recorded (a member created with a placement and two events is
"record created", not four lines). The kind is declared where it is recorded, in the app's
`services`; its text is rendered when shown, in the reader's language, from the facts kept
with the event (names as they were on the day, dates as dd/mm/yyyy, choices translated)."""

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from .formats import date as vn_date
from .models import AuditEvent
from .registry import Registry


@dataclass(frozen=True)
class Kind:
    key: str
    text: str | Promise  # the sentence; each %(fact)s in it is filled from the event's facts


KINDS: Registry[Kind] = Registry("audit event kinds", discover="services")

KEY_LENGTH = AuditEvent._meta.get_field("kind").max_length or 60

# The writes in progress in this context: 1 inside a service, 2 inside a service it calls...
_depth: ContextVar[int] = ContextVar("audit_depth", default=0)
# Inside `silenced()`: the demo writing a generated past, an import's preview.
_silenced: ContextVar[bool] = ContextVar("audit_silenced", default=False)
# Every function decorated with `write`, for the test that each takes `actor` keyword-only.
SERVICES: list[Callable] = []


def kind(key: str, text: str | Promise) -> str:
    """Declare a kind of event; returns its key, to pass to `record`."""
    if len(key) > KEY_LENGTH:
        raise ValueError(f"audit event kind {key!r} is longer than {KEY_LENGTH} characters")
    KINDS.register(key, Kind(key, text))
    return key


def write[F: Callable[..., Any]](func: F) -> F:
    """A service: runs in one transaction, and the event it records is the only one of the
    whole write, whatever services it calls."""

    @functools.wraps(func)
    def service(*args, **kwargs):
        token = _depth.set(_depth.get() + 1)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            _depth.reset(token)

    SERVICES.append(service)
    return service  # type: ignore[return-value]


def record(
    key: str, *, actor, obj: models.Model, about: models.Model | None = None, **facts: Any
) -> AuditEvent | None:
    """Record the event of the write in progress; `about` is whose record it belongs to
    (the object itself when omitted). Facts are kept as they are today: a model as its name,
    a date as dd/mm/yyyy, a choice as its label (translated when shown)."""
    depth = _depth.get()
    if depth == 0:
        raise RuntimeError("audit.record() is called from a service decorated with @audit.write")
    if depth > 1 or _silenced.get():
        return None  # the enclosing write records the event; or a generated past
    if key not in KINDS:
        raise ValueError(f"unknown audit event kind {key!r}")
    about = about if about is not None else obj
    # The models by `_meta`, not `type()`: a view's request.user is a lazy proxy of its user.
    obj_model, about_model = obj._meta.model, about._meta.model
    types = ContentType.objects.get_for_models(obj_model, about_model, for_concrete_models=False)
    return AuditEvent.objects.create(
        kind=key,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=types[obj_model],
        object_id=obj.pk,
        about_type=types[about_model],
        about_id=about.pk,
        facts={name: _fact(value) for name, value in facts.items()},
    )


@contextmanager
def silenced() -> Iterator[None]:
    """Writes without events: for the demo generator, which writes years of a made-up past
    through the services today (an event says when it was done, and it was not), and for an
    import's preview, whose writes are rolled back (the upload records its own event)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def _fact(value: Any) -> Any:
    if isinstance(value, models.Choices):
        return {"t": _msgid(value.label)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return vn_date(local.date())
    if isinstance(value, dt.date):
        return vn_date(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Promise):
        return {"t": _msgid(value)}
    return str(value)


def _msgid(label: Any) -> str:
    with translation.override(None):
        return str(label)


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return gettext(value["t"])
    return "" if value is None else value


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def sentence(event: AuditEvent) -> str:
    """What the event says, in the reader's language."""
    known = KINDS.get(event.kind)
    if known is None:
        return event.kind
    facts = _Facts({name: _shown(value) for name, value in (event.facts or {}).items()})
    try:
        return str(known.text) % facts
    except (KeyError, TypeError, ValueError):
        return event.kind


def about(objs: Iterable[models.Model]) -> "models.QuerySet[AuditEvent]":
    """The events about these records (same model), newest first, with their actors."""
    objs = list(objs)
    if not objs:
        return AuditEvent.objects.none()
    ct = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    return (
        AuditEvent.objects.filter(about_type=ct, about_id__in=[o.pk for o in objs])
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def of(obj: models.Model) -> "models.QuerySet[AuditEvent]":
    """The events whose object is this record, newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(object_type=ct, object_id=obj.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
