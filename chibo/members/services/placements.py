"""Writes to placements: where a member takes part, from when to when."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chibo.org.models import Kind, OrgUnit

from ..models import (
    Member,
    Placement,
    PlacementKind,
)
from .refresh import check_cell, member_refresh


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
