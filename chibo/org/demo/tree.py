"""The organisation tree of the demo, planned in memory: province → commune and ward base
committees → cells (with their villages and, in large cells, party groups), plus a few
enterprises, hospitals and colleges directly under the province (2025 structure)."""

import random
from dataclasses import dataclass, field

from chibo.core.demo import Ids
from chibo.org.models import (
    BEGINNING,
    Ancestry,
    CellType,
    Kind,
    OrgUnit,
    Sector,
    Village,
    VillageKind,
    unit_sort_name,
)

from . import places
from .places import Place

MEMBERS_PER_CELL = 40
# Members a cell of each type usually has: (fewest, most), before scaling to the total asked.
CELL_SIZES: dict[str, tuple[int, int]] = {
    CellType.RURAL: (22, 80),
    CellType.URBAN: (20, 70),
    CellType.SCHOOL: (8, 26),
    CellType.POLICE: (10, 30),
    CellType.MILITARY: (5, 12),
    CellType.HEALTH: (6, 16),
    CellType.AGENCY: (12, 32),
    CellType.ENTERPRISE: (8, 30),
}
# The sector of a base organisation outside the communes, from the type of its cells.
SECTOR_OF_TYPE: dict[str, str] = {
    CellType.RURAL: Sector.COMMUNE,
    CellType.URBAN: Sector.COMMUNE,
    CellType.SCHOOL: Sector.PUBLIC_SERVICE,
    CellType.HEALTH: Sector.PUBLIC_SERVICE,
    CellType.POLICE: Sector.ARMED,
    CellType.MILITARY: Sector.ARMED,
    CellType.AGENCY: Sector.AGENCY,
    CellType.ENTERPRISE: Sector.ENTERPRISE,
}
MIN_CELL_SIZE = 5  # a cell needs 3 official members; leave room for probationary ones
PARTY_GROUP_FROM = 75  # cells this large split into party groups (tổ đảng)


@dataclass(eq=False)
class Unit:
    id: int
    code: str
    name: str
    kind: str
    parent: "Unit | None"
    province: Place
    commune: Place | None = None
    cell_type: str = ""
    sector: str = ""  # base organisations only
    depth: int = 0
    size: int = 0  # members to place here (cells only)
    villages: list["VillagePlan"] = field(default_factory=list)
    groups: list["Unit"] = field(default_factory=list)

    def chain(self) -> list["Unit"]:
        """The unit and its ancestors, nearest first."""
        chain: list[Unit] = []
        unit: Unit | None = self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def base(self) -> "Unit":
        """The base organisation of a cell: its base committee, or itself as a base cell."""
        for unit in self.chain():
            if unit.kind in (Kind.BASE_COMMITTEE, Kind.BASE_CELL):
                return unit
        return self

    def row(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "sort_name": unit_sort_name(self.name),
            "kind": self.kind,
            "cell_type": self.cell_type,
            "sector": self.sector,
            "parent_id": self.parent.id if self.parent else None,
            "depth": self.depth,
        }


@dataclass(eq=False)
class VillagePlan:
    id: int
    cell: Unit
    name: str
    kind: str

    def row(self) -> dict:
        return {"id": self.id, "cell_id": self.cell.id, "name": self.name, "kind": self.kind}


@dataclass
class Tree:
    units: list[Unit] = field(default_factory=list)  # parents before children
    villages: list[VillagePlan] = field(default_factory=list)

    @property
    def provinces(self) -> list[Unit]:
        return [u for u in self.units if u.kind == Kind.PROVINCE]

    @property
    def communes(self) -> list[Unit]:
        return [u for u in self.units if u.commune is not None and u.kind == Kind.BASE_COMMITTEE]

    @property
    def cells(self) -> list[Unit]:
        return [u for u in self.units if u.kind in (Kind.CELL, Kind.BASE_CELL)]

    def closure_rows(self, ids: Ids) -> list[dict]:
        """What org.services.orgunit_create opens for each unit: itself at distance 0 and one
        row per ancestor, valid from the founding date (unknown here, so BEGINNING)."""
        return [
            {
                "id": ids.next(Ancestry),
                "ancestor_id": ancestor.id,
                "descendant_id": unit.id,
                "distance": distance,
                "valid_from": BEGINNING,
                "valid_to": None,
            }
            for unit in self.units
            for distance, ancestor in enumerate(unit.chain())
        ]


class _Builder:
    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids
        self.tree = Tree()

    def unit(self, code: str, name: str, kind: str, parent: Unit | None, **kw) -> Unit:
        province: Place | None = kw.pop("province", None) or (parent.province if parent else None)
        assert province is not None
        u = Unit(
            id=self.ids.next(OrgUnit),
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            province=province,
            depth=parent.depth + 1 if parent else 0,
            **kw,
        )
        self.tree.units.append(u)
        return u

    def village(self, cell: Unit, name: str, kind: str) -> None:
        v = VillagePlan(self.ids.next(Village), cell, name, kind)
        cell.villages.append(v)
        self.tree.villages.append(v)

    def commune(self, province: Unit, place: Place) -> Unit:
        return self.unit(
            f"{province.code}-{place.code:05d}",
            f"Đảng bộ {place.level} {place.short}",
            Kind.BASE_COMMITTEE,
            province,
            commune=place,
            sector=Sector.COMMUNE,
        )

    def commune_cells(self, base: Unit, count: int) -> None:
        """`count` cells of a commune: its institutions first, then its villages or quarters."""
        rng, place, pcode = self.rng, base.commune, base.province.code
        assert place is not None
        where = f"{place.level} {place.short}"
        schools = [("school", f"Chi bộ {lvl} {p}") for lvl, p in places.school_names(place)]
        institutions = [
            ("police", f"Chi bộ Công an {where}"),
            ("military", f"Chi bộ Quân sự {where}"),
            *schools[:1],
            ("health", f"Chi bộ Trạm Y tế {where}"),
            *schools[1:3],
            ("agency", f"Chi bộ Cơ quan Ủy ban nhân dân {where}"),
            ("agency", f"Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể {where}"),
            *([] if place.urban else [("enterprise", f"Chi bộ Hợp tác xã Nông nghiệp {where}")]),
            *schools[3:],
        ]
        n_institutions = min(len(institutions), max(1, round(count * 0.3)), max(count - 1, 1))
        n = 0
        for cell_type, name in institutions[:n_institutions]:
            n += 1
            self.unit(f"{base.code}-CB{n:02d}", name, Kind.CELL, base, cell_type=cell_type)
        if place.urban:
            word = places.quarter_word(pcode)
            for number in range(1, count - n_institutions + 1):
                label = f"{word} số {number}" if word == "tổ dân phố" else f"{word} {number}"
                n += 1
                cell = self.unit(
                    f"{base.code}-CB{n:02d}",
                    f"Chi bộ {label}",
                    Kind.CELL,
                    base,
                    cell_type=CellType.URBAN,
                )
                self.village(cell, label[0].upper() + label[1:], VillageKind.QUARTER)
            return
        word = places.village_word(pcode)
        n_cells = count - n_institutions
        numbered = rng.random() < 0.35 or n_cells > 40
        # After the 2019-2020 village mergers some cells still cover two villages (liên thôn).
        n_shared = 0 if numbered else sum(1 for _ in range(n_cells) if rng.random() < 0.1)
        names = places.village_names(rng, n_cells + n_shared, numbered=numbered)
        for i in range(n_cells):
            first = names.pop(0)
            covered = [first] + ([names.pop()] if i < n_shared else [])
            label = f"{word} {first}" if len(covered) == 1 else f"liên {word} {' - '.join(covered)}"
            n += 1
            cell = self.unit(
                f"{base.code}-CB{n:02d}",
                f"Chi bộ {label}",
                Kind.CELL,
                base,
                cell_type=CellType.RURAL,
            )
            for v in covered:
                self.village(cell, f"{word.capitalize()} {v}", VillageKind.VILLAGE)


def _split(rng: random.Random, total: int, parts: int, lo: float, hi: float) -> list[int]:
    """`total` split into `parts` positive integers in proportion to random weights."""
    weights = [rng.uniform(lo, hi) for _ in range(parts)]
    return _apportion(weights, total)


def _apportion(weights: list[float], total: int, minimum: int = 1) -> list[int]:
    """Integers proportional to `weights`, summing to `total`, each at least `minimum`
    (largest remainders first, so the result is exact and deterministic)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    sizes = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (sizes[i] - raw[i], i))
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    for i in range(len(sizes)):
        while sizes[i] < minimum:
            donor = max(range(len(sizes)), key=lambda j: (sizes[j], -j))
            sizes[donor] -= 1
            sizes[i] += 1
    return sizes


def plan_tree(
    rng: random.Random, *, members: int, ids: Ids, province_code: int | None = None
) -> Tree:
    """The tree of `members` members: in the province `province_code` alone when given (a
    country is generated province by province; a small province then gets more cells per
    commune), otherwise in one province the seed picks (more when it has too few communes)."""
    n_cells = max(2, round(members / MEMBERS_PER_CELL))
    n_base_cells = min(len(places.BASE_CELLS), n_cells // 25)
    n_committees = min(len(places.BASE_COMMITTEES), max(1 if n_cells >= 30 else 0, n_cells // 60))
    committee_cells = [rng.randint(3, len(c[2])) for c in places.BASE_COMMITTEES[:n_committees]]
    remaining = n_cells - n_base_cells - sum(committee_cells)
    n_communes = max(1, round(remaining / 22), min(3, remaining // 4))

    # One province when it has enough communes (the seed picks which); more when it has not.
    all_provinces = places.provinces()
    if province_code is not None:
        chosen = [p for p in all_provinces if p.code == province_code]
        if not chosen:
            raise ValueError(f"No province has the code {province_code}.")
        n_communes = min(n_communes, len(places.communes(province_code)))
    else:
        counts = {p.code: len(places.communes(p.code)) for p in all_provinces}
        roomy = [p for p in all_provinces if counts[p.code] >= n_communes]
        chosen = [rng.choice(roomy or all_provinces)]
        while sum(counts[p.code] for p in chosen) < n_communes:
            chosen.append(rng.choice([p for p in all_provinces if p not in chosen]))

    b = _Builder(rng, ids)
    commune_units: list[Unit] = []
    left = n_communes
    for place in chosen:
        province = b.unit(
            f"T{place.code:02d}",
            f"Đảng bộ {places.province_title(place)}",
            Kind.PROVINCE,
            None,
            province=place,
        )
        pool = places.communes(place.code)
        picked = sorted(rng.sample(pool, min(left, len(pool))), key=lambda c: c.code)
        commune_units += [b.commune(province, c) for c in picked]
        left -= len(picked)
    for base, count in zip(commune_units, _split(rng, remaining, n_communes, 15, 30), strict=True):
        b.commune_cells(base, count)

    top = b.tree.units[0]
    words = {"p": places.province_title(top.province), "short": top.province.short}
    for i, (cell_type, template) in enumerate(places.BASE_CELLS[:n_base_cells], 1):
        b.unit(
            f"{top.code}-CS{i:02d}",
            template.format(**words),
            Kind.BASE_CELL,
            top,
            cell_type=cell_type,
            sector=SECTOR_OF_TYPE[cell_type],
        )
    for i, ((cell_type, template, cell_names), count) in enumerate(
        zip(places.BASE_COMMITTEES, committee_cells, strict=False), 1
    ):
        committee = b.unit(
            f"{top.code}-DB{i:02d}",
            template.format(**words),
            Kind.BASE_COMMITTEE,
            top,
            sector=SECTOR_OF_TYPE[cell_type],
        )
        for j, name in enumerate(cell_names[:count], 1):
            b.unit(
                f"{committee.code}-CB{j:02d}",
                f"Chi bộ {name}",
                Kind.CELL,
                committee,
                cell_type=cell_type,
            )

    cells = b.tree.cells
    weights = [rng.uniform(*CELL_SIZES[c.cell_type]) for c in cells]
    for cell, size in zip(
        cells, _apportion(weights, members, min(MIN_CELL_SIZE, members // len(cells))), strict=True
    ):
        cell.size = size
        if size >= PARTY_GROUP_FROM:
            for k in range(1, min(3, size // 30) + 1):
                cell.groups.append(
                    b.unit(f"{cell.code}-T{k}", f"Tổ đảng số {k}", Kind.PARTY_GROUP, cell)
                )
    return b.tree
