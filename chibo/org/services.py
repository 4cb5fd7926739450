"""Writes to the organisation tree. Each is a write (`@audit.write`: one transaction, one
audit event about the unit) and keeps the dated closure table true."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.versions import check_version

from .hooks import DELETE_CHECKS, MERGE_STEPS
from .models import (
    ALLOWED_PARENTS,
    BASE_KINDS,
    BEGINNING,
    TYPED_KINDS,
    Ancestry,
    Kind,
    OrgUnit,
    Village,
    VillageKind,
    unit_sort_name,
)

CREATED = audit.kind("org.created", gettext_lazy("Unit created: %(name)s (%(code)s)"))
UPDATED = audit.kind("org.updated", gettext_lazy("Unit details updated: %(name)s"))
MOVED = audit.kind("org.moved", gettext_lazy("Moved from %(source)s to %(target)s on %(date)s"))
MERGED = audit.kind(
    "org.merged",
    gettext_lazy(
        "Merged into %(target)s on %(date)s (moved: sub-units %(units)s, villages "
        "%(villages)s, members %(members)s)"
    ),
)
DELETED = audit.kind("org.deleted", gettext_lazy("Unit deleted"))
RESTORED = audit.kind("org.restored", gettext_lazy("Unit restored"))
VILLAGE_ADDED = audit.kind("org.village_added", gettext_lazy("Village %(name)s added (%(kind)s)"))
VILLAGE_UPDATED = audit.kind(
    "org.village_updated", gettext_lazy("Village %(old)s changed to %(name)s (%(kind)s)")
)
VILLAGE_DELETED = audit.kind("org.village_deleted", gettext_lazy("Village %(name)s deleted"))
VILLAGE_RESTORED = audit.kind("org.village_restored", gettext_lazy("Village %(name)s restored"))


def _check_shape(*, kind: str, parent: OrgUnit | None, cell_type: str, sector: str = "") -> None:
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
    # Refused rather than silently dropped: a sector typed on a cell is a mistake to see.
    if sector and kind not in BASE_KINDS:
        raise ValidationError({"sector": _("Only base committees and base cells have a sector.")})
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


@audit.write
def orgunit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    cell_type: str = "",
    sector: str = "",
    founded_on: dt.date | None = None,
) -> OrgUnit:
    code = code.strip()
    _check_shape(kind=kind, parent=parent, cell_type=cell_type, sector=sector)
    if OrgUnit.all_objects.filter(code__iexact=code).exists():
        raise ValidationError(
            {"code": _("A unit with code %(code)s already exists.") % {"code": code}}
        )
    unit = OrgUnit(
        code=code,
        name=name.strip(),
        sort_name=unit_sort_name(name),
        kind=kind,
        parent=parent,
        cell_type=cell_type,
        sector=sector,
        founded_on=founded_on,
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.full_clean()
    unit.save()
    _link_under(unit, parent, founded_on or BEGINNING)
    audit.record(
        CREATED,
        actor=actor,
        obj=unit,
        name=unit.name,
        code=unit.code,
        kind=Kind(kind),
        parent=parent.name if parent else None,
    )
    return unit


# What orgunit_update changes.
UNIT_FIELDS = ("name", "cell_type", "sector", "founded_on", "dissolved_on")


@audit.write
def orgunit_update(*, actor, unit: OrgUnit, version: int | None = None, **changes: Any) -> OrgUnit:
    """Change a unit's own fields (UNIT_FIELDS): those in `changes`, on the unit as it is now
    (a change of its name keeps a concurrent change of its dates). Its place in the tree
    changes only through orgunit_move. `version`: the one the person read (core.versions)."""
    check_version(unit, version)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"not a unit field: {', '.join(sorted(unknown))}")
    values = {key: getattr(unit, key) for key in UNIT_FIELDS} | changes
    name, cell_type, sector = values["name"], values["cell_type"], values["sector"]
    founded_on, dissolved_on = values["founded_on"], values["dissolved_on"]
    _check_shape(kind=unit.kind, parent=unit.parent, cell_type=cell_type, sector=sector)
    if dissolved_on and founded_on and dissolved_on < founded_on:
        raise ValidationError(
            {"dissolved_on": _("A unit cannot be dissolved before it was founded.")}
        )
    unit.name = name.strip()
    unit.sort_name = unit_sort_name(unit.name)
    unit.cell_type = cell_type
    unit.sector = sector
    unit.founded_on = founded_on
    unit.dissolved_on = dissolved_on
    unit.full_clean()
    unit.save()
    audit.record(UPDATED, actor=actor, obj=unit, name=unit.name)
    return unit


@audit.write
def orgunit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit, on: dt.date) -> OrgUnit:
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
    old_parent = unit.parent
    unit.parent = new_parent
    unit._change_reason = f"moved on {on.isoformat()}"
    unit.save(update_fields=["parent"])
    audit.record(
        MOVED,
        actor=actor,
        obj=unit,
        source=old_parent.name if old_parent else None,
        target=new_parent.name,
        date=on,
    )
    return unit


@audit.write
def orgunit_merge(*, actor, source: OrgUnit, target: OrgUnit, on: dt.date) -> OrgUnit:
    """Merge `source` into `target` from `on`: its sub-units move under the target, its
    villages go to the target, what the apps above keep in the source moves too (members'
    placements: chibo.org.hooks.MERGE_STEPS), and the source is dissolved. Every row moved
    is saved one by one, so each keeps its history row; the merge is one event about the
    source, with how much moved."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("A unit cannot be merged into itself.")})
    if source.kind != target.kind and not (source.holds_members and target.holds_members):
        raise ValidationError({"target": _("Only units of the same kind can be merged.")})
    if target.pk in Ancestry.objects.valid().filter(ancestor=source).values_list(
        "descendant_id", flat=True
    ):
        raise ValidationError({"target": _("A unit cannot be merged into its own sub-unit.")})
    counts: dict[str, Any] = {"units": 0, "villages": 0, "members": 0}
    for child in OrgUnit.objects.filter(parent=source):
        orgunit_move(actor=actor, unit=child, new_parent=target, on=on)
        counts["units"] += 1
    for village in Village.objects.filter(cell=source):
        village.cell = target
        village._change_reason = f"merged into {target.code}"
        village.save(update_fields=["cell"])
        counts["villages"] += 1
    for step in MERGE_STEPS:
        for name, n in (step(source=source, target=target, on=on, actor=actor) or {}).items():
            counts[name] = counts.get(name, 0) + n
    source.dissolved_on = on
    source._change_reason = f"merged into {target.code}"
    source.save(update_fields=["dissolved_on"])
    audit.record(
        MERGED,
        actor=actor,
        obj=source,
        source=source.name,
        target=target.name,
        date=on,
        **counts,
    )
    return target


@audit.write
def orgunit_delete(*, unit: OrgUnit, actor) -> None:
    if OrgUnit.objects.filter(parent=unit).exists():
        raise ValidationError(_("This unit still has sub-units; move or delete them first."))
    for check in DELETE_CHECKS:
        reason = check(unit)
        if reason:
            raise ValidationError(reason)
    unit.mark_deleted(actor)
    audit.record(DELETED, actor=actor, obj=unit, name=unit.name)


@audit.write
def orgunit_restore(*, unit: OrgUnit, actor) -> None:
    if unit.parent is not None and unit.parent.is_deleted:
        raise ValidationError(_("Restore the parent unit first."))
    unit.mark_restored(actor)
    audit.record(RESTORED, actor=actor, obj=unit, name=unit.name)


def _check_village_name(cell: OrgUnit, name: str, exclude: int | None) -> None:
    # Compared in Python: SQLite's case folding is ASCII-only ("Đông" vs "đông").
    others = Village.all_objects.filter(cell=cell)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if any(n.casefold() == name.casefold() for n in others.values_list("name", flat=True)):
        raise ValidationError({"name": _("This cell already has a village with that name.")})


def _village_facts(village: Village) -> dict:
    return {"name": village.name, "kind": VillageKind(village.kind), "cell": village.cell.name}


@audit.write
def village_create(*, actor, cell: OrgUnit, name: str, kind: str) -> Village:
    if not cell.holds_members:
        raise ValidationError({"cell": _("Villages are attached to a cell.")})
    name = name.strip()
    _check_village_name(cell, name, exclude=None)
    village = Village(cell=cell, name=name, kind=kind)
    village.full_clean()
    village.save()
    audit.record(VILLAGE_ADDED, actor=actor, obj=village, about=cell, **_village_facts(village))
    return village


@audit.write
def village_update(
    *,
    actor,
    village: Village,
    name: str | None = None,
    kind: str | None = None,
    version: int | None = None,
) -> Village:
    """Rename or re-kind a village: what is given, on the village as it is now."""
    check_version(village, version)
    name = village.name if name is None else name
    kind = village.kind if kind is None else kind
    old = village.name
    name = name.strip()
    _check_village_name(village.cell, name, exclude=village.pk)
    village.name = name
    village.kind = kind
    village.full_clean()
    village.save()
    audit.record(
        VILLAGE_UPDATED,
        actor=actor,
        obj=village,
        about=village.cell,
        old=old,
        **_village_facts(village),
    )
    return village


@audit.write
def village_delete(*, village: Village, actor) -> None:
    village.mark_deleted(actor)
    audit.record(
        VILLAGE_DELETED, actor=actor, obj=village, about=village.cell, **_village_facts(village)
    )


@audit.write
def village_restore(*, village: Village, actor) -> None:
    _check_village_name(village.cell, village.name, exclude=village.pk)
    village.mark_restored(actor)
    audit.record(
        VILLAGE_RESTORED, actor=actor, obj=village, about=village.cell, **_village_facts(village)
    )


# Two-step login required by units: its own module, whose audit kinds are discovered with
# this one's.
from . import second_factor  # noqa: E402, F401
