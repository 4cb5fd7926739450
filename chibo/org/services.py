"""Writes to the organisation tree. Each is atomic and keeps the dated closure table true."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .hooks import DELETE_CHECKS, MERGE_STEPS
from .models import ALLOWED_PARENTS, BEGINNING, TYPED_KINDS, Ancestry, Kind, OrgUnit, Village


def _check_shape(*, kind: str, parent: OrgUnit | None, cell_type: str) -> None:
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise ValidationError({"kind": _("Unknown unit kind.")})
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            raise ValidationError({"parent": _("This kind of unit needs a parent unit.")})
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be placed under a %(parent)s.")
                % {"kind": Kind(kind).label, "parent": parent.get_kind_display()}
            }
        )
    if cell_type and kind not in TYPED_KINDS:
        raise ValidationError({"cell_type": _("Only cells have a cell type.")})
    if parent is not None and parent.is_deleted:
        raise ValidationError({"parent": _("The parent unit has been deleted.")})


def _link_under(unit: OrgUnit, parent: OrgUnit | None, since: dt.date) -> None:
    """Open closure rows for `unit` (a single new unit) under `parent` from `since`."""
    rows = [Ancestry(ancestor=unit, descendant=unit, distance=0, valid_from=since)]
    if parent is not None:
        for link in Ancestry.objects.valid().filter(descendant=parent):
            rows.append(
                Ancestry(
                    ancestor_id=link.ancestor_id,
                    descendant=unit,
                    distance=link.distance + 1,
                    valid_from=since,
                )
            )
    Ancestry.objects.bulk_create(rows)


@transaction.atomic
def orgunit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    cell_type: str = "",
    founded_on: dt.date | None = None,
) -> OrgUnit:
    code = code.strip()
    _check_shape(kind=kind, parent=parent, cell_type=cell_type)
    if OrgUnit.all_objects.filter(code__iexact=code).exists():
        raise ValidationError(
            {"code": _("A unit with code %(code)s already exists.") % {"code": code}}
        )
    unit = OrgUnit(
        code=code,
        name=name.strip(),
        kind=kind,
        parent=parent,
        cell_type=cell_type,
        founded_on=founded_on,
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.full_clean()
    unit.save()
    _link_under(unit, parent, founded_on or BEGINNING)
    return unit


@transaction.atomic
def orgunit_update(
    *, unit: OrgUnit, name: str, cell_type: str = "", founded_on=None, dissolved_on=None
) -> OrgUnit:
    """Change a unit's own fields. Its place in the tree changes only through orgunit_move."""
    _check_shape(kind=unit.kind, parent=unit.parent, cell_type=cell_type)
    if dissolved_on and founded_on and dissolved_on < founded_on:
        raise ValidationError(
            {"dissolved_on": _("A unit cannot be dissolved before it was founded.")}
        )
    unit.name = name.strip()
    unit.cell_type = cell_type
    unit.founded_on = founded_on
    unit.dissolved_on = dissolved_on
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def orgunit_move(*, unit: OrgUnit, new_parent: OrgUnit, on: dt.date) -> OrgUnit:
    """Put `unit` (with everything below it) under `new_parent` from `on`.

    Reports for dates before `on` still see the unit where it was."""
    unit = OrgUnit.all_objects.select_for_update().get(pk=unit.pk)
    if new_parent.pk == unit.parent_id:
        raise ValidationError({"parent": _("The unit is already there.")})
    subtree = list(
        Ancestry.objects.valid().filter(ancestor=unit).values_list("descendant_id", "distance")
    )
    subtree_ids = [d for d, _ in subtree]
    if new_parent.pk in subtree_ids:
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or its own sub-units.")}
        )
    _check_shape(kind=unit.kind, parent=new_parent, cell_type=unit.cell_type)

    outside = (
        Ancestry.objects.valid()
        .filter(descendant_id__in=subtree_ids)
        .exclude(ancestor_id__in=subtree_ids)
    )
    # Rows that began on or after `on` never held: drop them instead of leaving empty ranges.
    outside.filter(valid_from__gte=on).delete()
    outside.update(valid_to=on)
    new_ancestors = list(
        Ancestry.objects.valid()
        .filter(descendant=new_parent)
        .values_list("ancestor_id", "distance")
    )
    Ancestry.objects.bulk_create(
        [
            Ancestry(ancestor_id=a, descendant_id=d, distance=da + dd + 1, valid_from=on)
            for a, da in new_ancestors
            for d, dd in subtree
        ]
    )
    shift = new_parent.depth + 1 - unit.depth
    if shift:
        OrgUnit.all_objects.filter(pk__in=subtree_ids).update(depth=F("depth") + shift)
    unit.refresh_from_db()
    unit.parent = new_parent
    unit._change_reason = f"moved on {on.isoformat()}"
    unit.save(update_fields=["parent"])
    return unit


@transaction.atomic
def orgunit_merge(*, source: OrgUnit, target: OrgUnit, on: dt.date, actor=None) -> OrgUnit:
    """Merge `source` into `target` from `on`: its sub-units move under the target, its
    villages go to the target, what the apps above keep in the source moves too (members'
    placements: chibo.org.hooks.MERGE_STEPS), and the source is dissolved."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("A unit cannot be merged into itself.")})
    if source.kind != target.kind and not (source.holds_members and target.holds_members):
        raise ValidationError({"target": _("Only units of the same kind can be merged.")})
    if target.pk in Ancestry.objects.valid().filter(ancestor=source).values_list(
        "descendant_id", flat=True
    ):
        raise ValidationError({"target": _("A unit cannot be merged into its own sub-unit.")})
    for child in OrgUnit.objects.filter(parent=source):
        orgunit_move(unit=child, new_parent=target, on=on)
    for village in Village.objects.filter(cell=source):
        village.cell = target
        village._change_reason = f"merged into {target.code}"
        village.save(update_fields=["cell"])
    for step in MERGE_STEPS:
        step(source=source, target=target, on=on, actor=actor)
    source.dissolved_on = on
    source._change_reason = f"merged into {target.code}"
    source.save(update_fields=["dissolved_on"])
    return target


@transaction.atomic
def orgunit_delete(*, unit: OrgUnit, actor) -> None:
    if OrgUnit.objects.filter(parent=unit).exists():
        raise ValidationError(_("This unit still has sub-units; move or delete them first."))
    for check in DELETE_CHECKS:
        reason = check(unit)
        if reason:
            raise ValidationError(reason)
    unit.mark_deleted(actor)


@transaction.atomic
def orgunit_restore(*, unit: OrgUnit, actor) -> None:
    if unit.parent is not None and unit.parent.is_deleted:
        raise ValidationError(_("Restore the parent unit first."))
    unit.mark_restored(actor)


def _check_village_name(cell: OrgUnit, name: str, exclude: int | None) -> None:
    # Compared in Python: SQLite's case folding is ASCII-only ("Đông" vs "đông").
    others = Village.all_objects.filter(cell=cell)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if any(n.casefold() == name.casefold() for n in others.values_list("name", flat=True)):
        raise ValidationError({"name": _("This cell already has a village with that name.")})


@transaction.atomic
def village_create(*, cell: OrgUnit, name: str, kind: str) -> Village:
    if not cell.holds_members:
        raise ValidationError({"cell": _("Villages are attached to a cell.")})
    name = name.strip()
    _check_village_name(cell, name, exclude=None)
    village = Village(cell=cell, name=name, kind=kind)
    village.full_clean()
    village.save()
    return village


@transaction.atomic
def village_update(*, village: Village, name: str, kind: str) -> Village:
    name = name.strip()
    _check_village_name(village.cell, name, exclude=village.pk)
    village.name = name
    village.kind = kind
    village.full_clean()
    village.save()
    return village


@transaction.atomic
def village_delete(*, village: Village, actor) -> None:
    village.mark_deleted(actor)


@transaction.atomic
def village_restore(*, village: Village, actor) -> None:
    _check_village_name(village.cell, village.name, exclude=village.pk)
    village.mark_restored(actor)
