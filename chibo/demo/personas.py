"""Demo logins, one per kind of person who uses Chibo, with passwords everyone may know."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission

from chibo.accounts.models import Role, RoleGrant, User
from chibo.org.models import CellType

from .names import Namer
from .people import Person
from .tree import Tree, Unit


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    role: str
    about: str


PROVINCE = Persona("province", "province-demo", Role.OFFICE, "province party office")
COMMUNE = Persona("commune", "commune-demo", Role.OFFICE, "base committee office")
VIEWER = Persona("viewer", "viewer-demo", Role.VIEWER, "read-only follower of the commune")
SECRETARY = Persona("secretary", "secretary-demo", Role.SECRETARY, "cell secretary")
MEMBER = Persona("member", "member-demo", Role.MEMBER, "party member")
PERSONAS = (PROVINCE, COMMUNE, VIEWER, SECRETARY, MEMBER)
RULE_KEEPER_PERMISSIONS = ("add_ruleversion", "add_daychange")


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


def personas_create(cast: Cast, namer: Namer) -> None:
    """Create (or reset) the demo users and their role grants."""
    officers = {
        PROVINCE.username: namer.full_name(female=False, birth_year=1972),
        COMMUNE.username: namer.full_name(female=True, birth_year=1981),
        VIEWER.username: namer.full_name(female=False, birth_year=1968),
        SECRETARY.username: cast.secretary.full_name,
        MEMBER.username: cast.member.full_name,
    }
    places = {
        PROVINCE.username: cast.province,
        COMMUNE.username: cast.commune,
        VIEWER.username: cast.commune,
        SECRETARY.username: cast.cell,
        MEMBER.username: cast.cell,
    }
    records = {SECRETARY.username: cast.secretary.id, MEMBER.username: cast.member.id}
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first() or User(
            username=persona.username
        )
        # Vietnamese order reads right through get_full_name(): "Nguyễn Văn" + " " + "Hùng".
        family_and_middle, given = officers[persona.username].rsplit(" ", 1)
        user.first_name, user.last_name = family_and_middle, given
        user.member_id = records.get(persona.username)
        user.is_active = True
        user.set_password(persona.password)
        user.save()
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, unit_id=places[persona.username].id, role=persona.role)
        if persona is PROVINCE:
            # The province office keeps the rules and the working-day calendar (docs/rules.md).
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="rules", codename__in=RULE_KEEPER_PERMISSIONS
                )
            )


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, what the login is, where it applies) for personas that exist."""
    rows = []
    users = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])
    }
    for persona in PERSONAS:
        user = users.get(persona.username)
        if user is None:
            continue
        grant = RoleGrant.objects.filter(user=user).select_related("unit").first()
        where = grant.unit.name if grant else "-"
        about = persona.about
        if user.member_id:
            about += f" ({user.get_full_name()})"
        rows.append((persona.username, persona.password, about, where))
    return rows
