"""Members' dues bases in the demo (chibo.dues.models.DuesBasis): the category by the member's
age and cell (agencies, schools, the armed forces and enterprises pay on a salary; villages have
pensioners, pupils and students, and others paying the fixed amount of their area), the
social-insurance salary or the pension, and a few raises and retirements during the year."""

import datetime as dt
import random
from dataclasses import dataclass

from chibo.dues.models import Area, Category
from chibo.members.demo import RESIDENTIAL, Person
from chibo.org.demo import Unit
from chibo.org.models import CellType

PAY_SCALE_BASE = 2_340_000  # lương cơ sở from 01/07/2024 (Nghị định 73/2024/NĐ-CP)
SALARY_RANGE = (5_000_000, 20_000_000)
STATE_TYPES = {CellType.SCHOOL, CellType.HEALTH, CellType.AGENCY, CellType.POLICE,
               CellType.MILITARY}  # fmt: skip
RAISE_SHARE = 0.04  # of salaried members with a new salary during the window
RETIRE_SHARE = 0.3  # of salaried members aged 59 or more retiring during the window
# Areas of the fixed amounts by where the commune lies: the north-west's mountains, the other
# mountain and highland provinces, the islands (đặc khu).
MOUNTAIN_FAR = {11, 12, 14}
MOUNTAIN = {4, 8, 15, 19, 20, 52, 66, 68}


def area_of(cell: Unit) -> str:
    """The area of the fixed amounts where the cell's commune lies (province-level units and
    their enterprises: area 1)."""
    place = cell.base().commune
    if place is None or place.level == "phường":
        return Area.AREA1
    if place.level == "đặc khu" or cell.province.code in MOUNTAIN_FAR:
        return Area.AREA4
    if cell.province.code in MOUNTAIN:
        return Area.AREA3
    return Area.AREA2


@dataclass(slots=True)
class Basis:
    month: int  # index in the ledger's months
    category: str
    base: int | None = None
    area: str = ""
    note: str = ""


class Bases:
    """Draws the bases of members, in the ledger's months (`current`: the month in progress)."""

    def __init__(self, rng: random.Random, months: list[dt.date]) -> None:
        self.rng, self.months, self.current = rng, months, len(months) - 1
        self.areas: dict[int, str] = {}

    def draw(self, p: Person, first: int, cell: Unit) -> list[Basis]:
        """The member's bases: one from their first month, and a raise or a retirement."""
        rng, month = self.rng, self.months[first]
        age = p.age(month)
        residential = cell.cell_type in RESIDENTIAL
        retired = age >= (57 if p.female else 60)
        if not residential:  # agencies, schools, the armed forces, enterprises
            category = Category.SALARIED
        elif retired:
            urban = cell.cell_type == CellType.URBAN
            pensioned = rng.random() < (0.75 if urban else 0.55)
            category = Category.PENSIONER if pensioned else Category.OTHER
        elif age <= 23 and rng.random() < 0.6:
            category = Category.STUDENT
        elif rng.random() < (0.5 if cell.cell_type == CellType.URBAN else 0.3):
            category = Category.SALARIED
        else:
            category = Category.OTHER
        first_basis = Basis(first, category)
        if category == Category.SALARIED:
            first_basis.base = self.salary(cell, residential)
        elif category == Category.PENSIONER:
            first_basis.base = int(round(rng.triangular(3_000_000, 12_000_000, 5_000_000), -2))
        else:
            first_basis.area = self.area(cell)
        out = [first_basis]
        later = first + 1 + rng.randrange(max(1, self.current - first))
        if category != Category.SALARIED or later > self.current:
            return out
        assert first_basis.base is not None
        if age >= 59 and rng.random() < RETIRE_SHARE:
            pension = int(round(first_basis.base * rng.uniform(0.6, 0.75), -2))
            out.append(Basis(later, Category.PENSIONER, pension, note="Nghỉ hưu"))
        elif rng.random() < RAISE_SHARE:
            raised = int(round(first_basis.base * rng.uniform(1.05, 1.12), -3))
            raised = min(SALARY_RANGE[1], raised)
            out.append(Basis(later, Category.SALARIED, raised, note="Nâng bậc lương"))
        return out

    def salary(self, cell: Unit, residential: bool) -> int:
        """A social-insurance salary: state staff by the pay scale (coefficient × the base
        salary, with seniority for the armed forces), others a round sum."""
        rng = self.rng
        low, high = SALARY_RANGE
        if cell.cell_type in STATE_TYPES:
            coefficient = rng.choice([2.34, 2.67, 3.0, 3.33, 3.66, 3.99, 4.32, 4.4, 4.74,
                                      5.08, 5.42, 6.2, 6.56])  # fmt: skip
            armed = cell.cell_type in (CellType.POLICE, CellType.MILITARY)
            seniority = rng.randint(5, 25) / 100 if armed else 0.0
            value = round(coefficient * PAY_SCALE_BASE * (1 + seniority))
        else:
            mode = 6_500_000 if residential else 8_000_000
            value = int(round(rng.triangular(low, 15_000_000 if residential else high, mode), -4))
        return min(high, max(low, value))

    def area(self, cell: Unit) -> str:
        if cell.id not in self.areas:
            self.areas[cell.id] = area_of(cell)
        return self.areas[cell.id]

    # Payments --------------------------------------------------------------------------------
