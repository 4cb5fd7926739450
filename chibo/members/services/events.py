"""Writes to a member's events (admitted, official, exempted, disciplined...)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.core.versions import check_version

from ..models import (
    PERIOD_EVENTS,
    EventKind,
    Member,
    MemberEvent,
)
from .refresh import member_refresh

EVENT_RECORDED = audit.kind(
    "members.event_recorded", gettext_lazy("Event recorded: %(kind)s on %(date)s")
)
EVENT_CHANGED = audit.kind(
    "members.event_changed", gettext_lazy("Event changed: %(kind)s on %(date)s")
)
EVENT_DELETED = audit.kind(
    "members.event_deleted", gettext_lazy("Event deleted: %(kind)s on %(date)s")
)
EVENT_RESTORED = audit.kind(
    "members.event_restored", gettext_lazy("Event restored: %(kind)s on %(date)s")
)


def _facts(e: MemberEvent) -> dict:
    return {"kind": EventKind(e.kind), "date": e.date}


def _check_event(e: MemberEvent) -> None:
    today = timezone.localdate()
    if e.date > today:
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if e.date < e.member.birth_date:
        raise ValidationError({"date": _("The date is before the member's birth date.")})
    if e.reason and e.kind != EventKind.EXEMPTED:
        raise ValidationError({"reason": _("Only an exemption has a reason.")})
    if e.end_date is not None:
        if e.kind not in PERIOD_EVENTS:
            raise ValidationError(
                {"end_date": _("Only an exemption or a suspension has an end date.")}
            )
        if e.end_date < e.date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
    if e.kind == EventKind.OFFICIAL:
        admitted = MemberEvent.objects.filter(
            member_id=e.member_id,
            kind__in=[EventKind.ADMITTED, EventKind.READMITTED],
            date__lte=e.date,
        ).exclude(pk=e.pk)
        if not admitted.exists():
            raise ValidationError(
                {"date": _("Official recognition needs an admission on or before that date.")}
            )
    if e.kind == EventKind.READMITTED:
        earlier = MemberEvent.objects.filter(
            member_id=e.member_id, kind=EventKind.ADMITTED, date__lte=e.date
        ).exclude(pk=e.pk)
        if not earlier.exists():
            raise ValidationError(
                {"date": _("A readmission needs an admission on or before that date.")}
            )
    if e.kind in (EventKind.ADMITTED, EventKind.READMITTED) and e.pk is not None:
        # Moved later: each official recognition still needs an admission on or before it
        # (party age counts from the admission; the badge lists rely on it).
        entries = MemberEvent.objects.filter(
            member_id=e.member_id, kind__in=[EventKind.ADMITTED, EventKind.READMITTED]
        ).exclude(pk=e.pk)
        for official in MemberEvent.objects.filter(member_id=e.member_id, kind=EventKind.OFFICIAL):
            if e.date > official.date and not entries.filter(date__lte=official.date).exists():
                raise ValidationError(
                    {
                        "date": _(
                            "The official recognition of %(date)s needs an admission on or "
                            "before it."
                        )
                        % {"date": formats.date(official.date)}
                    }
                )
    duplicate = MemberEvent.objects.filter(member_id=e.member_id, kind=e.kind, date=e.date).exclude(
        pk=e.pk
    )
    if duplicate.exists():
        raise ValidationError({"date": _("This event is already recorded on that date.")})


@audit.write
def event_create(
    *,
    actor,
    member: Member,
    kind: str,
    date: dt.date,
    end_date: dt.date | None = None,
    decision_number: str = "",
    note: str = "",
    reason: str = "",
) -> MemberEvent:
    e = MemberEvent(
        member=member,
        kind=kind,
        date=date,
        end_date=end_date,
        reason=reason,
        decision_number=decision_number.strip(),
        note=note.strip(),
    )
    _check_event(e)
    e.full_clean()
    e.save()
    member_refresh(member)
    audit.record(EVENT_RECORDED, actor=actor, obj=e, about=member, **_facts(e))
    return e


@audit.write
def event_update(*, actor, event: MemberEvent, version: int | None = None, **fields) -> MemberEvent:
    check_version(event, version)  # stale: refused; else the fields on the row as it is now
    for key, value in fields.items():
        setattr(event, key, value)
    _check_event(event)
    event.full_clean()
    event.save()
    member_refresh(event.member)
    audit.record(EVENT_CHANGED, actor=actor, obj=event, about=event.member, **_facts(event))
    return event


@audit.write
def event_delete(*, event: MemberEvent, actor) -> None:
    if event.kind in (EventKind.ADMITTED, EventKind.READMITTED):
        later_official = MemberEvent.objects.filter(
            member_id=event.member_id, kind=EventKind.OFFICIAL, date__gte=event.date
        )
        others = MemberEvent.objects.filter(
            member_id=event.member_id, kind__in=[EventKind.ADMITTED, EventKind.READMITTED]
        ).exclude(pk=event.pk)
        if later_official.exists() and not others.exists():
            raise ValidationError(_("Delete the official recognition before the admission."))
    event.mark_deleted(actor)
    member_refresh(event.member)
    audit.record(EVENT_DELETED, actor=actor, obj=event, about=event.member, **_facts(event))


@audit.write
def event_restore(*, event: MemberEvent, actor) -> None:
    event.mark_restored(actor)
    try:
        _check_event(event)
    except ValidationError:
        event.mark_deleted(actor)
        raise
    member_refresh(event.member)
    audit.record(EVENT_RESTORED, actor=actor, obj=event, about=event.member, **_facts(event))
