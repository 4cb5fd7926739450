"""The units and villages sheets of the import template (chibo.core.sheets), and the unit
lookup every other sheet uses: a unit by code, within what the importing user may write."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.sheets import (
    CHOICE,
    CREATE,
    DATE,
    DATE_HELP,
    UNCHANGED,
    UPDATE,
    Column,
    Context,
    Handler,
    Outcome,
    Parsed,
    Sheet,
    Values,
    changes,
    fail,
    labels,
    limit,
    merged,
    record,
    register,
)

from .access import can_create_root, units_for
from .models import CellType, Kind, OrgUnit, Sector, Village, VillageKind
from .services import orgunit_create, orgunit_update, village_create, village_update

# Scope ------------------------------------------------------------------------------------------


def writable_units(ctx: Context, *, deleted: bool = False) -> QuerySet[OrgUnit]:
    """Re-read on every lookup: rows create units that later rows refer to, and those must
    count as in scope."""
    return units_for(ctx.user, write=True, deleted=deleted)


def writable_unit(ctx: Context, code: str, column: str) -> OrgUnit:
    """A writable unit by code. Outside the scope reads as unknown: we do not tell people
    what exists beyond their units (the 404 rule)."""
    unit = writable_units(ctx).filter(code__iexact=code).first()
    if unit is None:
        fail(_("Unknown unit code %(code)s.") % {"code": code}, column)
    return unit


# Vietnamese spellings of the choices: data, as offices write them --------------------------------

KINDS = labels(
    Kind,
    {
        Kind.PROVINCE: [
            "Đảng bộ tỉnh",
            "Đảng bộ thành phố trực thuộc Trung ương",
            "Đảng bộ thành phố trực thuộc TW",
            "Đảng bộ thành phố thuộc Trung ương",
        ],
        # A provincial city's committee (Hạ Long, Cẩm Phả...) and the province's block
        # committees (of agencies, of enterprises) sit at the district level.
        Kind.DISTRICT: [
            "Đảng bộ huyện",
            "Đảng bộ quận",
            "Đảng bộ thị xã",
            "Đảng bộ thành phố",
            "Đảng bộ thành phố thuộc tỉnh",
            "Đảng bộ khối",
            "Đảng bộ khối các cơ quan",
            "Đảng bộ khối cơ quan",
            "Đảng bộ khối doanh nghiệp",
            "Đảng bộ khối các cơ quan tỉnh",
            "Đảng bộ khối doanh nghiệp tỉnh",
        ],
        Kind.BASE_COMMITTEE: [
            "Đảng bộ cơ sở",
            "Đảng bộ xã",
            "Đảng bộ phường",
            "Đảng bộ thị trấn",
            "Đảng bộ đặc khu",
        ],
        Kind.BASE_CELL: ["Chi bộ cơ sở"],
        Kind.CELL: ["Chi bộ", "Chi bộ trực thuộc"],
        Kind.PARTY_GROUP: ["Tổ đảng"],
    },
)
CELL_TYPES = labels(
    CellType,
    {
        CellType.RURAL: ["Nông thôn", "Thôn"],
        CellType.URBAN: ["Khu phố", "Đô thị", "Tổ dân phố"],
        CellType.SCHOOL: ["Trường học", "Nhà trường"],
        CellType.POLICE: ["Công an"],
        CellType.MILITARY: ["Quân sự", "Quân đội"],
        CellType.HEALTH: ["Y tế"],
        CellType.AGENCY: ["Cơ quan"],
        CellType.ENTERPRISE: ["Doanh nghiệp"],
    },
)
SECTORS = labels(
    Sector,
    {
        Sector.COMMUNE: ["Xã, phường, đặc khu", "Xã", "Phường", "Thị trấn", "Đặc khu", "Xã phường"],
        Sector.AGENCY: ["Cơ quan", "Khối cơ quan", "Cơ quan hành chính", "Cơ quan đảng"],
        Sector.ENTERPRISE: ["Doanh nghiệp", "Khối doanh nghiệp", "Công ty"],
        Sector.PUBLIC_SERVICE: ["Đơn vị sự nghiệp", "Sự nghiệp", "Đơn vị sự nghiệp công lập"],
        Sector.ARMED: ["Lực lượng vũ trang", "Vũ trang", "Quân đội", "Quân sự", "Công an"],
        Sector.OTHER: ["Khác"],
    },
)
VILLAGE_KINDS = labels(
    VillageKind,
    {
        VillageKind.VILLAGE: ["Thôn", "Làng", "Bản", "Ấp", "Xóm", "Buôn", "Sóc"],
        VillageKind.QUARTER: ["Khu phố", "Tổ dân phố", "Khu dân cư"],
    },
)


# Sheets -----------------------------------------------------------------------------------------

UNITS = Sheet(
    "units",
    "Đơn vị",
    gettext_lazy("Units"),
    gettext_lazy("the unit code"),
    (
        Column(
            "code",
            "Mã đơn vị",
            gettext_lazy("Unique code of the unit; used to match existing units."),
            required=True,
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên đơn vị",
            gettext_lazy("Full name of the unit."),
            required=True,
            max_length=limit(OrgUnit, "name"),
        ),
        Column(
            "kind",
            "Loại đơn vị",
            gettext_lazy("Kind of unit."),
            CHOICE,
            required=True,
            choices=KINDS,
        ),
        Column(
            "parent_code",
            "Mã đơn vị cấp trên",
            gettext_lazy(
                "Code of the unit directly above (in Chibo or in this sheet, in any order). "
                "Empty only for a top-level unit."
            ),
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "cell_type",
            "Loại hình chi bộ",
            gettext_lazy("Only for cells and base cells."),
            CHOICE,
            choices=CELL_TYPES,
        ),
        Column(
            "sector",
            "Khối, loại hình",
            gettext_lazy(
                "Only for base committees and base cells: commune (xã, phường, thị trấn, đặc "
                "khu), agency, enterprise, public service unit, armed forces or other."
            ),
            CHOICE,
            choices=SECTORS,
            aliases=("Khối", "Loại hình tổ chức cơ sở", "Loại hình cơ sở"),
        ),
        Column("founded_on", "Ngày thành lập", DATE_HELP, DATE),
        Column("dissolved_on", "Ngày giải thể", DATE_HELP, DATE),
    ),
    aliases=("Đơn vị", "Tổ chức đảng", "Don vi"),
    order=10,
)

VILLAGES = Sheet(
    "villages",
    "Thôn, khu phố",
    gettext_lazy("Villages"),
    gettext_lazy("the cell code and the village name"),
    (
        Column(
            "cell_code",
            "Mã chi bộ",
            gettext_lazy("Code of the cell that covers the village."),
            required=True,
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên thôn, khu phố",
            gettext_lazy("Name of the village or quarter; unique within the cell."),
            required=True,
            max_length=limit(Village, "name"),
            aliases=("Tên thôn", "Tên khu phố"),
        ),
        Column(
            "kind",
            "Loại",
            gettext_lazy("Village or urban quarter (default: village)."),
            CHOICE,
            choices=VILLAGE_KINDS,
        ),
    ),
    aliases=("Thôn", "Thôn - khu phố", "Thôn khu phố", "Thôn, tổ dân phố"),
    after=("units",),  # the cell may be a unit of the same file
    order=20,
)


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
    if not writable_units(ctx, deleted=existing.is_deleted).filter(pk=existing.pk).exists():
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
        "sector": existing.sector,
        "founded_on": existing.founded_on,
        "dissolved_on": existing.dissolved_on,
    }
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    orgunit_update(actor=ctx.actor, unit=existing, **wanted)
    return Outcome(UPDATE, label, diff)


def _create_unit(ctx: Context, v: Values, label: str) -> Outcome:
    parent = None
    if v["parent_code"]:
        parent = writable_unit(ctx, v["parent_code"], "parent_code")
    elif not can_create_root(ctx.user):
        fail(
            _("Only an administrator can create a top-level unit; fill in the parent unit's code."),
            "parent_code",
        )
    unit = orgunit_create(
        actor=ctx.actor,
        code=v["code"],
        name=v["name"],
        kind=v["kind"],
        parent=parent,
        cell_type=v["cell_type"],
        sector=v["sector"],
        founded_on=v["founded_on"],
    )
    if v["dissolved_on"]:
        orgunit_update(
            actor=ctx.actor,
            unit=unit,
            name=unit.name,
            cell_type=unit.cell_type,
            sector=unit.sector,
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
    cell = writable_unit(ctx, v["cell_code"], "cell_code")
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
        village_create(
            actor=ctx.actor, cell=cell, name=v["name"], kind=v["kind"] or VillageKind.VILLAGE
        )
        return Outcome(CREATE, label)
    if existing.is_deleted:
        fail(_("This village is in the trash; restore it before importing it again."), "name")
    current = {"name": existing.name, "kind": existing.kind}
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    village_update(actor=ctx.actor, village=existing, **wanted)
    return Outcome(UPDATE, label, diff)


VILLAGE_HANDLER = Handler(
    sheet=VILLAGES,
    key=_village_key,
    apply=_apply_village,
    fields={"cell": "cell_code", "name": "name", "kind": "kind"},
)


register(UNIT_HANDLER)
register(VILLAGE_HANDLER)
