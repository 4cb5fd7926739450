"""Writes to the member record itself: create (with the first placement and events), update,
delete and restore."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.search import fold
from chibo.core.versions import check_version
from chibo.org.models import OrgUnit

from .. import counts
from ..models import (
    EventKind,
    Member,
)
from .events import event_create
from .placements import placement_create

CREATED = audit.kind(
    "members.created", gettext_lazy("Record created in %(unit)s, admitted on %(admitted)s")
)
UPDATED = audit.kind("members.updated", gettext_lazy("Record details updated"))
DELETED = audit.kind("members.deleted", gettext_lazy("Record deleted"))
RESTORED = audit.kind("members.restored", gettext_lazy("Record restored"))

PROFILE_FIELDS = (
    "code",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "phone",
    "email",
    "national_id",
    "card_number",
)


def _clean_profile(data: dict) -> dict:
    data = dict(data)
    for key in ("national_id", "card_number"):
        if key in data:
            data[key] = (data[key] or "").strip() or None
    for key in ("full_name", "code", "ethnicity", "phone", "email"):
        if key in data and isinstance(data[key], str):
            data[key] = " ".join(data[key].split())
    return data


def _check_unique(member: Member) -> None:
    clashes = {
        "code": _("Another member already has record code %(value)s."),
        "national_id": _("Another member already has national ID %(value)s."),
        "card_number": _("Another member already has party card number %(value)s."),
    }
    for field, message in clashes.items():
        value = getattr(member, field)
        if value and Member.all_objects.filter(**{field: value}).exclude(pk=member.pk).exists():
            raise ValidationError({field: message % {"value": value}})


def member_build(profile: dict) -> Member:
    """The unsaved member of `profile`, as `member_create` builds it (not yet checked)."""
    member = Member(**_clean_profile(profile))
    member.search_name = fold(member.full_name)
    return member


@audit.write
def member_create(
    *,
    actor,
    profile: dict,
    unit: OrgUnit,
    placed_since: dt.date,
    admitted_on: dt.date,
    official_on: dt.date | None = None,
    admission_decision: str = "",
    official_decision: str = "",
) -> Member:
    """A new member record: profile, official placement in `unit`, admission (and official
    recognition) events."""
    member = member_build(profile)
    if admitted_on < member.birth_date:
        raise ValidationError({"admitted_on": _("The admission date is before the birth date.")})
    if official_on and official_on < admitted_on:
        raise ValidationError(
            {"official_on": _("Official membership cannot come before admission.")}
        )
    _check_unique(member)
    member.full_clean(exclude=["search_name"], validate_unique=False)
    member.save()
    placement_create(actor=actor, member=member, unit=unit, start=placed_since)
    event_create(
        actor=actor,
        member=member,
        kind=EventKind.ADMITTED,
        date=admitted_on,
        decision_number=admission_decision,
    )
    if official_on:
        event_create(
            actor=actor,
            member=member,
            kind=EventKind.OFFICIAL,
            date=official_on,
            decision_number=official_decision,
        )
    audit.record(
        CREATED,
        actor=actor,
        obj=member,
        unit=unit.name,
        start=placed_since,
        admitted=admitted_on,
        official=official_on,
    )
    return member


@audit.write
def member_update(*, actor, member: Member, profile: dict, version: int | None = None) -> Member:
    """Change the profile fields in `profile`, and only those, on the record as it is now;
    `version`: the one the person read (core.versions), refused as stale if it moved on."""
    check_version(member, version)
    changed = set()
    for key, value in _clean_profile(profile).items():
        if key not in PROFILE_FIELDS:
            raise ValueError(key)
        if getattr(member, key) != value:
            changed.add(key)
        setattr(member, key, value)
    member.search_name = fold(member.full_name)
    _check_unique(member)
    member.full_clean(exclude=["search_name"], validate_unique=False)
    member.save()
    # The names of the fields, not their values: a phone number or an ID stays out of the
    # audit (the field-level history keeps the values, where the record's readers see them).
    fields = ", ".join(f for f in PROFILE_FIELDS if f in changed)
    audit.record(UPDATED, actor=actor, obj=member, fields=fields)
    return member


@audit.write
def member_delete(*, member: Member, actor) -> None:
    member.mark_deleted(actor)
    counts.recount_member(member)  # a member in the trash counts nowhere
    audit.record(DELETED, actor=actor, obj=member)


@audit.write
def member_restore(*, member: Member, actor) -> None:
    member.mark_restored(actor)
    counts.recount_member(member)
    audit.record(RESTORED, actor=actor, obj=member)
