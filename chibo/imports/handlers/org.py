"""Rows of the units and villages sheets."""

from django.utils.translation import gettext as _

from chibo.org.access import can_create_root
from chibo.org.models import OrgUnit, Village, VillageKind
from chibo.org.services import orgunit_create, orgunit_update, village_create, village_update

from ..report import CREATE, UNCHANGED, UPDATE
from ..sheets import UNITS, VILLAGES
from .base import Context, Handler, Outcome, Parsed, Values, changes, fail, merged, record

# Units ------------------------------------------------------------------------------------------


def _unit_key(v: Values) -> tuple:
    return (v["code"].upper(),)


def _order_units(items: list[Parsed]) -> list[Parsed]:
    """Parents before children, whatever order the sheet lists them in; a loop of parent
    codes is an error on every row in it."""
    by_code: dict[str, Parsed] = {}
    for p in items:
        if not p.problems:
            by_code.setdefault(p.values["code"].upper(), p)
    depth: dict[int, int] = {}
    for p in items:
        chain: list[Parsed] = []
        node: Parsed | None = p
        while node is not None and node.number not in depth:
            numbers = [q.number for q in chain]
            if node.number in numbers:
                start = numbers.index(node.number)
                loop = chain[start:]
                for q in loop:
                    q.problems.append((_("The parent unit codes form a loop."), "parent_code"))
                    depth[q.number] = 0
                chain = chain[:start]
                break
            chain.append(node)
            parent_code = (node.values.get("parent_code") or "").upper()
            node = by_code.get(parent_code) if parent_code else None
        level = depth[node.number] if node is not None else -1
        for q in reversed(chain):
            level += 1
            depth[q.number] = level
    return sorted(items, key=lambda p: (depth.get(p.number, 0), p.number))


def _apply_unit(ctx: Context, v: Values) -> Outcome:
    code = v["code"]
    label = record(code, v["name"])
    existing = OrgUnit.all_objects.filter(code__iexact=code).select_related("parent").first()
    if existing is None:
        return _create_unit(ctx, v, label)
    if not ctx.units(deleted=existing.is_deleted).filter(pk=existing.pk).exists():
        # Codes are unique across the country, so this much cannot be hidden.
        fail(_("The code %(code)s is already in use.") % {"code": code}, "code")
    if existing.is_deleted:
        fail(_("This unit is in the trash; restore it before importing it again."), "code")
    if existing.kind != v["kind"]:
        fail(_("The kind of an existing unit cannot be changed by an import."), "kind")
    parent_code = v["parent_code"]
    if parent_code and (
        existing.parent is None or existing.parent.code.upper() != parent_code.upper()
    ):
        fail(
            _("This unit is under another unit; move it on the unit's page, not by an import."),
            "parent_code",
        )
    current = {
        "name": existing.name,
        "cell_type": existing.cell_type,
        "founded_on": existing.founded_on,
        "dissolved_on": existing.dissolved_on,
    }
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    orgunit_update(unit=existing, **wanted)
    return Outcome(UPDATE, label, diff)


def _create_unit(ctx: Context, v: Values, label: str) -> Outcome:
    parent = None
    if v["parent_code"]:
        parent = ctx.unit(v["parent_code"], "parent_code")
    elif not can_create_root(ctx.user):
        fail(
            _("Only an administrator can create a top-level unit; fill in the parent unit's code."),
            "parent_code",
        )
    unit = orgunit_create(
        code=v["code"],
        name=v["name"],
        kind=v["kind"],
        parent=parent,
        cell_type=v["cell_type"],
        founded_on=v["founded_on"],
    )
    if v["dissolved_on"]:
        orgunit_update(
            unit=unit,
            name=unit.name,
            cell_type=unit.cell_type,
            founded_on=unit.founded_on,
            dissolved_on=v["dissolved_on"],
        )
    return Outcome(CREATE, label)


UNIT_HANDLER = Handler(
    sheet=UNITS,
    key=_unit_key,
    apply=_apply_unit,
    fields={"parent": "parent_code", "code": "code", "name": "name", "kind": "kind"},
    order=_order_units,
)


# Villages ---------------------------------------------------------------------------------------


def _village_key(v: Values) -> tuple:
    return (v["cell_code"].upper(), v["name"].casefold())


def _apply_village(ctx: Context, v: Values) -> Outcome:
    cell = ctx.unit(v["cell_code"], "cell_code")
    label = record(v["name"], cell.code)
    # Compared in Python: SQLite folds the case of ASCII letters only.
    existing = next(
        (
            x
            for x in Village.all_objects.filter(cell=cell)
            if x.name.casefold() == v["name"].casefold()
        ),
        None,
    )
    if existing is None:
        village_create(cell=cell, name=v["name"], kind=v["kind"] or VillageKind.VILLAGE)
        return Outcome(CREATE, label)
    if existing.is_deleted:
        fail(_("This village is in the trash; restore it before importing it again."), "name")
    current = {"name": existing.name, "kind": existing.kind}
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    village_update(village=existing, **wanted)
    return Outcome(UPDATE, label, diff)


VILLAGE_HANDLER = Handler(
    sheet=VILLAGES,
    key=_village_key,
    apply=_apply_village,
    fields={"cell": "cell_code", "name": "name", "kind": "kind"},
)
