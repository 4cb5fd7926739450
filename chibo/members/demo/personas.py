"""Where the demo logins (chibo.accounts.demo) sit in the generated tree: the province, the
first commune with a village cell whose secretary and one plain member can stand for the cell
personas, that cell."""

from dataclasses import dataclass

from chibo.accounts.demo import COMMUNE, FOLLOWER, MEMBER, PROVINCE, SECRETARY, VIEWER, Seat
from chibo.core.demo import Namer
from chibo.org.demo import Tree, Unit
from chibo.org.models import CellType

from .people import Person


@dataclass
class Cast:
    """Where the personas sit in a generated tree."""

    province: Unit
    commune: Unit
    cell: Unit
    secretary: Person
    member: Person


def pick_cast(tree: Tree, people: list[Person], secretaries: dict[int, Person], posts) -> Cast:
    """The first commune with a village cell whose secretary and one plain member (no post,
    active, never transferred) can stand for the cell personas."""
    holders = {row["member_id"] for row in posts}
    by_cell: dict[int, list[Person]] = {}
    for p in people:
        by_cell.setdefault(p.cell.id, []).append(p)
    residential = (CellType.RURAL, CellType.URBAN)
    for cell in tree.cells:
        commune = cell.parent
        if (
            cell.cell_type not in residential
            or cell.id not in secretaries
            or commune is None
            or commune.commune is None  # a commune or ward, not an enterprise committee
        ):
            continue
        plain = [
            p
            for p in by_cell[cell.id]
            if p.id not in holders
            and not p.moved
            and p.exempt_from is None
            and p.official
            and p.deceased is None
        ]
        if plain:
            return Cast(tree.provinces[0], commune, cell, secretaries[cell.id], plain[0])
    raise ValueError("No village cell with a secretary and a plain member to log in as.")


def seats(cast: Cast, namer: Namer) -> dict[str, Seat]:
    """Each persona's seat; the officers above the cell get a name of the province."""
    return {
        PROVINCE.username: Seat(cast.province.id, namer.full_name(female=False, birth_year=1972)),
        COMMUNE.username: Seat(cast.commune.id, namer.full_name(female=True, birth_year=1981)),
        VIEWER.username: Seat(cast.commune.id, namer.full_name(female=False, birth_year=1968)),
        SECRETARY.username: Seat(cast.cell.id, cast.secretary.full_name, cast.secretary.id),
        MEMBER.username: Seat(cast.cell.id, cast.member.full_name, cast.member.id),
        FOLLOWER.username: Seat(cast.commune.id, namer.full_name(female=True, birth_year=1975)),
    }
