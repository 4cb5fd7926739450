"""The amount a member owes for a month: their DuesBasis in force that month (the latest from
its first day or before) and the dues rules of that month, `rules.at(first day, cell)`:

- salaried: base amount × `dues_salary_rate` (1% under 342-QĐ/TW and 01-QĐ/TW);
- pensioner: base amount × `dues_pension_rate` (0.5%);
- student: `dues_fixed_amounts["student"]` where the rules have it (01-QĐ/TW, 5.000 đ),
  else the fixed amount of the member's area (342-QĐ/TW had no student amount);
- other: `dues_fixed_amounts[area]`.

Rounding: a percentage is rounded half up to the nearest 1.000 đ (52.340 đ → 52.000 đ,
52.500 đ → 53.000 đ). Cells collect dues in cash, a month at a time; the guidance on both
regulations and the cells' own books round the monthly amount to whole thousands of đồng,
and the fixed amounts are whole thousands already. The step is `ROUNDING`, in one place.

The month's rules are read on its first day, so a regulation taking effect during a month
applies from the next month: 01-QĐ/TW (03/02/2026) sets the dues of March 2026 onwards.

Many members at once (`amounts_due`): the bases in one query, the cells' provinces in one
query per 500 cells, the rules once per province (chibo.rules.RuleBook)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from django.db.models import OuterRef, QuerySet, Subquery

from chibo import rules
from chibo.core.sql import chunks
from chibo.org.models import Ancestry, Kind

from .models import Category, DuesBasis

ROUNDING = 1000  # đồng: percentages are rounded half up to whole thousands


class Basis(Protocol):
    """What the amount reads of a DuesBasis (or of a basis not saved yet)."""

    category: str
    base_amount: int | None
    area: str


def rounded(exact: Fraction) -> int:
    """Half up to the nearest ROUNDING đồng."""
    steps = exact / ROUNDING
    return int(steps + Fraction(1, 2)) * ROUNDING  # int() floors a positive Fraction


def amount(basis: Basis, book: Any) -> int | None:
    """The month's amount from a basis and the rules of the month (`rules.at(...)`); None when
    it cannot be worked out: no rule in force, or the basis lacks what its category needs."""
    fixed = book.dues_fixed_amounts or {}
    rates = {Category.SALARIED: "dues_salary_rate", Category.PENSIONER: "dues_pension_rate"}
    if basis.category in rates:
        rate = getattr(book, rates[Category(basis.category)])
        if rate is None or basis.base_amount is None:
            return None
        return rounded(Fraction(basis.base_amount) * Fraction(rate))
    if basis.category == Category.STUDENT and "student" in fixed:
        return fixed["student"]
    if basis.category in (Category.STUDENT, Category.OTHER):
        return fixed.get(basis.area) if basis.area else None
    return None


def needs_area(category: str, book: Any) -> bool:
    """Whether a basis of `category` must name an area under the rules `book`: the others
    always; students while the rules have no amount of their own (before 01-QĐ/TW)."""
    if category == Category.OTHER:
        return True
    return category == Category.STUDENT and "student" not in (book.dues_fixed_amounts or {})


def basis_on(member_id: int, month: dt.date) -> DuesBasis | None:
    """The member's basis in force in the month of `month`."""
    return (
        DuesBasis.objects.filter(member_id=member_id, valid_from__lte=month.replace(day=1))
        .order_by("-valid_from")
        .first()
    )


def bases_in_force(
    month: dt.date, members: QuerySet | Iterable[int] | None = None
) -> dict[int, DuesBasis]:
    """member id -> basis in force in the month, for `members` (a subquery of ids: one query;
    a list of ids: one per 500; None: every member)."""
    month = month.replace(day=1)
    latest = (
        DuesBasis.objects.filter(member=OuterRef("member"), valid_from__lte=month)
        .order_by("-valid_from", "-pk")
        .values("pk")[:1]
    )
    rows = DuesBasis.objects.filter(valid_from__lte=month, pk=Subquery(latest))
    if members is None or isinstance(members, QuerySet):
        parts: Iterable[Any] = [members]
    else:
        parts = chunks(members)
    found: dict[int, DuesBasis] = {}
    for part in parts:
        chosen = rows if part is None else rows.filter(member_id__in=part)
        found |= {b.member_id: b for b in chosen}
    return found


def provinces_of(cells: Iterable[int], on: dt.date) -> dict[int, int | None]:
    """cell id -> the id of the province above it on `on` (None: no province above)."""
    out: dict[int, int | None] = {}
    for part in chunks(cells):
        out |= dict.fromkeys(part)
        links = Ancestry.objects.valid(on).filter(
            descendant_id__in=part, ancestor__kind=Kind.PROVINCE
        )
        out |= dict(links.values_list("descendant_id", "ancestor_id"))
    return out


@dataclass(frozen=True)
class Due:
    amount: int
    category: str


def amounts_due(month: dt.date, bases: dict[int, tuple[Basis, int]]) -> dict[int, Due]:
    """member id -> what they owe in the month, from (basis, cell id) by member id; members
    whose amount cannot be worked out are left out. Rules: one read per province."""
    month = month.replace(day=1)
    provinces = provinces_of({cell for _basis, cell in bases.values()}, month)
    book = rules.RuleBook()
    out: dict[int, Due] = {}
    for member_id, (basis, cell) in bases.items():
        value = amount(basis, book.at(month, provinces.get(cell)))
        if value is not None:
            out[member_id] = Due(value, basis.category)
    return out


def due_for(member_id: int, month: dt.date, cell=None) -> int | None:
    """What one member owes for a month (None: no basis, or no amount works out), under the
    rules of `cell`'s province (national rules without a cell)."""
    basis = basis_on(member_id, month)
    if basis is None:
        return None
    return amount(basis, rules.at(month.replace(day=1), cell))
