"""Writes to placements: where a member takes part, from when to when."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.versions import check_version
from chibo.org.models import Kind, OrgUnit

from ..models import (
    Member,
    Placement,
    PlacementKind,
)
from .refresh import check_cell, member_refresh

# An open end in a sentence: "01/02/2020 – present".
# Translators: the open end of a period ("01/02/2020 – present"), not attendance: "nay".
PRESENT = gettext_lazy("present")

PLACED = audit.kind("members.placed", gettext_lazy("Placed in %(unit)s from %(start)s (%(kind)s)"))
PLACEMENT_CHANGED = audit.kind(
    "members.placement_changed",
    gettext_lazy("Placement in %(unit)s (%(kind)s) changed: %(start)s – %(end)s"),
)
PLACEMENT_DELETED = audit.kind(
    "members.placement_deleted", gettext_lazy("Placement in %(unit)s from %(start)s deleted")
)
PLACEMENT_RESTORED = audit.kind(
    "members.placement_restored", gettext_lazy("Placement in %(unit)s from %(start)s restored")
)
PLACEMENTS_MOVED = audit.kind(
    "members.placements_moved",
    gettext_lazy("Members' placements moved from %(source)s to %(target)s on %(date)s (%(count)s)"),
)


def _facts(p: Placement) -> dict:
    return {
        "unit": p.unit.name,
        "kind": PlacementKind(p.kind),
        "start": p.start,
        "end": p.end or PRESENT,
    }


def _check_placement(p: Placement) -> None:
    check_cell(p.unit)
    group = p.party_group
    if group is not None and (group.kind != Kind.PARTY_GROUP or group.parent_id != p.unit_id):
        raise ValidationError({"party_group": _("The party group must belong to that cell.")})
    if p.end is not None and p.end < p.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    if p.kind == PlacementKind.OFFICIAL:
        # Only one official placement at a time; ranges are [start, end). The member's row
        # is locked first, so that two writes at once cannot both pass: the lists find a
        # subtree's members by the open placement being the record's (members.derive).
        Member.all_objects.select_for_update().filter(pk=p.member_id).values("pk").first()
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


@audit.write
def placement_create(
    *,
    actor,
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
    audit.record(PLACED, actor=actor, obj=p, about=member, **_facts(p))
    return p


@audit.write
def placement_update(
    *, actor, placement: Placement, version: int | None = None, **fields
) -> Placement:
    check_version(placement, version)  # stale: refused; else the fields on the row as it is now
    left = placement.unit_id  # moved to another cell: the one it leaves is recounted too
    for key, value in fields.items():
        setattr(placement, key, value)
    _check_placement(placement)
    placement.full_clean()
    placement.save()
    member_refresh(placement.member, left_cells=[left] if left != placement.unit_id else [])
    audit.record(
        PLACEMENT_CHANGED, actor=actor, obj=placement, about=placement.member, **_facts(placement)
    )
    return placement


@audit.write
def placement_delete(*, placement: Placement, actor) -> None:
    placement.mark_deleted(actor)
    member_refresh(placement.member)
    audit.record(
        PLACEMENT_DELETED, actor=actor, obj=placement, about=placement.member, **_facts(placement)
    )


@audit.write
def placement_restore(*, placement: Placement, actor) -> None:
    placement.mark_restored(actor)
    try:
        _check_placement(placement)
    except ValidationError:
        placement.mark_deleted(actor)
        raise
    member_refresh(placement.member)
    audit.record(
        PLACEMENT_RESTORED, actor=actor, obj=placement, about=placement.member, **_facts(placement)
    )


@audit.write
def placement_move_all(*, actor, source: OrgUnit, target: OrgUnit, on: dt.date) -> int:
    """Move every open placement in `source` to `target` from `on` (a merge). Each placement
    is saved through the placement services, so each keeps its history row."""
    check_cell(target, "target")
    moved = 0
    for p in Placement.objects.select_for_update().filter(unit=source, end__isnull=True):
        if p.start >= on:
            placement_update(actor=actor, placement=p, unit=target, party_group=None)
        else:
            placement_update(actor=actor, placement=p, end=on)
            placement_create(
                actor=actor,
                member=p.member,
                unit=target,
                start=on,
                kind=p.kind,
                note=_("Merged from %(unit)s") % {"unit": source.name},
            )
        moved += 1
    audit.record(
        PLACEMENTS_MOVED,
        actor=actor,
        obj=source,
        source=source.name,
        target=target.name,
        date=on,
        count=moved,
    )
    return moved
