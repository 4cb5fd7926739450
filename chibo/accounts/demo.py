"""Demo logins, one per kind of person who uses Chibo, with passwords everyone may know.

The members' demo planner (chibo.members.demo) chooses where each sits in the generated tree
and calls `personas_create`; `chibo demo` prints `login_rows`, and `--reset` deletes them."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import Permission

from chibo.accounts.models import Role, RoleGrant, User


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    role: str
    about: str


PROVINCE = Persona("province", "province-demo", Role.OFFICE, "province party office")
COMMUNE = Persona("commune", "commune-demo", Role.OFFICE, "base committee office")
VIEWER = Persona("viewer", "viewer-demo", Role.VIEWER, "read-only viewer of the commune")
SECRETARY = Persona("secretary", "secretary-demo", Role.SECRETARY, "cell secretary")
MEMBER = Persona("member", "member-demo", Role.MEMBER, "party member")
# A member of the commune's committee assigned to follow the secretary's cell and two others
# (chibo.meetings.demo.persona_cell): reads the commune, confirms the scores.
FOLLOWER = Persona("follower", "follower-demo", Role.VIEWER, "superior follower of cells")
PERSONAS = (PROVINCE, COMMUNE, VIEWER, SECRETARY, MEMBER, FOLLOWER)
RULE_KEEPER_PERMISSIONS = ("add_ruleversion", "add_daychange")


@dataclass(frozen=True)
class Seat:
    """Where a persona sits: the unit its role is granted on, its name, and for a member of a
    cell, the member record."""

    unit_id: int
    full_name: str
    member_id: int | None = None


def personas_create(seats: Mapping[str, Seat]) -> None:
    """Create (or reset) the demo users and their role grants, by username."""
    for persona in PERSONAS:
        seat = seats[persona.username]
        user = User.objects.filter(username=persona.username).first() or User(
            username=persona.username
        )
        # Vietnamese order reads right through get_full_name(): "Nguyễn Văn" + " " + "Hùng".
        family_and_middle, given = seat.full_name.rsplit(" ", 1)
        user.first_name, user.last_name = family_and_middle, given
        user.member_id = seat.member_id
        user.is_active = True
        user.set_password(persona.password)
        user.save()
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, unit_id=seat.unit_id, role=persona.role)
        if persona is PROVINCE:
            # The province office keeps the rules and the working-day calendar (docs/rules.md).
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="rules", codename__in=RULE_KEEPER_PERMISSIONS
                )
            )


def personas_delete() -> int:
    """Delete the demo users (other users stay); returns the rows deleted."""
    deleted, _by_model = User.objects.filter(username__in=[p.username for p in PERSONAS]).delete()
    return deleted


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
