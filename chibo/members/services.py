"""Writes to member records. Each is atomic; each keeps the member's derived copies
(`home_unit`, `admitted_on`, `official_on`) in step through `member_refresh`."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import rules
from chibo.core.search import fold
from chibo.org.models import Kind, OrgUnit, Village

from . import derive
from .models import (
    CIVIC_POSITIONS,
    PARTY_POSITIONS,
    PERIOD_EVENTS,
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    StatusPeriod,
)

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


def _probation_months(day: dt.date) -> int | None:
    return rules.at(day).probation_months


def member_refresh(member: Member) -> None:
    """Recompute what is derived from the member's placements and events: the copies on the
    member row and the status periods (see members.derive)."""
    placements = [
        derive.PlacementFact(*row)
        for row in Placement.objects.filter(member=member).values_list(
            "pk", "unit_id", "kind", "start"
        )
    ]
    events = [
        derive.EventFact(*row)
        for row in MemberEvent.objects.filter(member=member).values_list("pk", "kind", "date")
    ]
    copies = derive.copies(placements, events, _probation_months)
    if tuple(getattr(member, f) for f in derive.Copies._fields) != copies:
        Member.all_objects.filter(pk=member.pk).update(**copies._asdict())
        for field, value in copies._asdict().items():
            setattr(member, field, value)
    periods = derive.status_periods(events)
    stored = [
        derive.Period(*row)
        for row in StatusPeriod.objects.filter(member=member)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to", "party_age_from")
    ]
    if stored != periods:
        StatusPeriod.objects.filter(member=member).delete()
        StatusPeriod.objects.bulk_create(
            StatusPeriod(member=member, **p._asdict()) for p in periods
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


def check_cell(unit: OrgUnit, field: str = "unit") -> None:
    if not unit.holds_members:
        raise ValidationError({field: _("Members are placed in a cell or a base cell.")})
    if unit.is_deleted:
        raise ValidationError({field: _("That unit has been deleted.")})


@transaction.atomic
def member_create(
    *,
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
    member = Member(**_clean_profile(profile))
    member.search_name = fold(member.full_name)
    if admitted_on < member.birth_date:
        raise ValidationError({"admitted_on": _("The admission date is before the birth date.")})
    if official_on and official_on < admitted_on:
        raise ValidationError(
            {"official_on": _("Official membership cannot come before admission.")}
        )
    _check_unique(member)
    member.full_clean(exclude=["search_name"], validate_unique=False)
    member.save()
    placement_create(member=member, unit=unit, start=placed_since)
    event_create(
        member=member, kind=EventKind.ADMITTED, date=admitted_on, decision_number=admission_decision
    )
    if official_on:
        event_create(
            member=member,
            kind=EventKind.OFFICIAL,
            date=official_on,
            decision_number=official_decision,
        )
    return member


@transaction.atomic
def member_update(*, member: Member, profile: dict) -> Member:
    for key, value in _clean_profile(profile).items():
        if key not in PROFILE_FIELDS:
            raise ValueError(key)
        setattr(member, key, value)
    member.search_name = fold(member.full_name)
    _check_unique(member)
    member.full_clean(exclude=["search_name"], validate_unique=False)
    member.save()
    return member


@transaction.atomic
def member_delete(*, member: Member, actor) -> None:
    member.mark_deleted(actor)


@transaction.atomic
def member_restore(*, member: Member, actor) -> None:
    member.mark_restored(actor)


# Placements -----------------------------------------------------------------------------------


def _check_placement(p: Placement) -> None:
    check_cell(p.unit)
    group = p.party_group
    if group is not None and (group.kind != Kind.PARTY_GROUP or group.parent_id != p.unit_id):
        raise ValidationError({"party_group": _("The party group must belong to that cell.")})
    if p.end is not None and p.end < p.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    if p.kind == PlacementKind.OFFICIAL:
        # Only one official placement at a time; ranges are [start, end).
        others = Placement.objects.filter(member_id=p.member_id, kind=PlacementKind.OFFICIAL)
        if p.pk:
            others = others.exclude(pk=p.pk)
        for o in others:
            if (o.end is None or o.end > p.start) and (p.end is None or p.end > o.start):
                raise ValidationError(
                    {
                        "start": _(
                            "This overlaps the member's official placement in %(unit)s "
                            "from %(start)s; end that one first."
                        )
                        % {"unit": o.unit.name, "start": o.start.strftime("%d/%m/%Y")}
                    }
                )


@transaction.atomic
def placement_create(
    *,
    member: Member,
    unit: OrgUnit,
    start: dt.date,
    end: dt.date | None = None,
    kind: str = PlacementKind.OFFICIAL,
    party_group: OrgUnit | None = None,
    letter_number: str = "",
    note: str = "",
) -> Placement:
    p = Placement(
        member=member,
        unit=unit,
        start=start,
        end=end,
        kind=kind,
        party_group=party_group,
        letter_number=letter_number,
        note=note,
    )
    _check_placement(p)
    p.full_clean()
    p.save()
    member_refresh(member)
    return p


@transaction.atomic
def placement_update(*, placement: Placement, **fields) -> Placement:
    for key, value in fields.items():
        setattr(placement, key, value)
    _check_placement(placement)
    placement.full_clean()
    placement.save()
    member_refresh(placement.member)
    return placement


@transaction.atomic
def placement_delete(*, placement: Placement, actor) -> None:
    placement.mark_deleted(actor)
    member_refresh(placement.member)


@transaction.atomic
def placement_restore(*, placement: Placement, actor) -> None:
    placement.mark_restored(actor)
    try:
        _check_placement(placement)
    except ValidationError:
        placement.mark_deleted(actor)
        raise
    member_refresh(placement.member)


@transaction.atomic
def placement_move_all(*, source: OrgUnit, target: OrgUnit, on: dt.date) -> int:
    """Move every open placement in `source` to `target` from `on` (a merge)."""
    check_cell(target, "target")
    moved = 0
    for p in Placement.objects.select_for_update().filter(unit=source, end__isnull=True):
        if p.start >= on:
            placement_update(placement=p, unit=target, party_group=None)
        else:
            placement_update(placement=p, end=on)
            placement_create(
                member=p.member,
                unit=target,
                start=on,
                kind=p.kind,
                note=_("Merged from %(unit)s") % {"unit": source.name},
            )
        moved += 1
    return moved


# Events ---------------------------------------------------------------------------------------


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
            raise ValidationError({"end_date": _("Only an exemption has an end date.")})
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
    duplicate = MemberEvent.objects.filter(member_id=e.member_id, kind=e.kind, date=e.date).exclude(
        pk=e.pk
    )
    if duplicate.exists():
        raise ValidationError({"date": _("This event is already recorded on that date.")})


@transaction.atomic
def event_create(
    *,
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
    return e


@transaction.atomic
def event_update(*, event: MemberEvent, **fields) -> MemberEvent:
    for key, value in fields.items():
        setattr(event, key, value)
    _check_event(event)
    event.full_clean()
    event.save()
    member_refresh(event.member)
    return event


@transaction.atomic
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


@transaction.atomic
def event_restore(*, event: MemberEvent, actor) -> None:
    event.mark_restored(actor)
    try:
        _check_event(event)
    except ValidationError:
        event.mark_deleted(actor)
        raise
    member_refresh(event.member)


# Positions ------------------------------------------------------------------------------------


def _check_position(p: Position) -> None:
    if p.kind in PARTY_POSITIONS:
        if p.unit_id is None or p.village_id is not None:
            raise ValidationError({"unit": _("A party post is held in a party unit.")})
    elif p.kind in CIVIC_POSITIONS and (p.village_id is None or p.unit_id is not None):
        raise ValidationError({"village": _("A village post is held in a village.")})
    if p.end is not None and p.end < p.start:
        raise ValidationError({"end": _("The end date is before the start date.")})


@transaction.atomic
def position_create(
    *,
    member: Member,
    kind: str,
    start: dt.date,
    unit: OrgUnit | None = None,
    village: Village | None = None,
    end: dt.date | None = None,
    decision_number: str = "",
) -> Position:
    p = Position(
        member=member,
        kind=kind,
        unit=unit,
        village=village,
        start=start,
        end=end,
        decision_number=decision_number.strip(),
    )
    _check_position(p)
    p.full_clean()
    p.save()
    return p


@transaction.atomic
def position_update(*, position: Position, **fields) -> Position:
    for key, value in fields.items():
        setattr(position, key, value)
    _check_position(position)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_delete(*, position: Position, actor) -> None:
    position.mark_deleted(actor)


@transaction.atomic
def position_restore(*, position: Position, actor) -> None:
    position.mark_restored(actor)
