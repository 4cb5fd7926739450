"""A randomly generated mix of users and units never shows anything outside scope.

The oracle walks parent links in Python from each user's grants; it never calls
chibo.org.scope, so a bug there cannot hide itself."""

import random
import re

import pytest
from django.urls import reverse

from chibo.accounts.models import Role
from chibo.members.models import Member
from chibo.org.models import Kind, OrgUnit
from chibo.testing import factories as f

MEMBER_LINK = re.compile(r'href="/members/(\d+)/"')


def build(rng: random.Random):
    province = f.unit(Kind.PROVINCE)
    units = [province]
    cells = []
    for _ in range(rng.randint(2, 3)):
        base = f.unit(Kind.BASE_COMMITTEE, province)
        units.append(base)
        for _ in range(rng.randint(1, 3)):
            cell = f.unit(Kind.CELL, base)
            units.append(cell)
            cells.append(cell)
    base_cell = f.unit(Kind.BASE_CELL, province)
    units.append(base_cell)
    cells.append(base_cell)
    members = [f.member(rng.choice(cells)) for _ in range(rng.randint(8, 16))]
    return units, cells, members


def oracle(user, grants, units, members):
    """Unit ids readable, member ids readable, by walking parents."""

    def under(unit, top):
        node = unit
        while node is not None:
            if node.pk == top.pk:
                return True
            node = node.parent
        return False

    readable_roles = {Role.OFFICE, Role.VIEWER, Role.SECRETARY}
    tops = [u for role, u in grants if role in readable_roles]
    unit_ids = {u.pk for u in units if any(under(u, t) for t in tops)}
    listed = {m.pk for m in members if m.home_unit_id in unit_ids}
    readable = listed | ({user.member_id} if user.member_id else set())
    return unit_ids, listed, readable


def listed_members(c) -> set[int]:
    found, page = set(), 1
    while True:
        r = c.get(reverse("members:list"), {"status": "all", "page": page})
        if r.status_code != 200:
            return found
        results = r.text[r.text.index('id="results"') :]  # not the menu's "My record"
        found |= {int(x) for x in MEMBER_LINK.findall(results)}
        if 'rel="next"' not in r.text and f"page={page + 1}" not in r.text:
            return found
        page += 1


@pytest.mark.slow  # eight random worlds, every page fetched by every user
@pytest.mark.parametrize("large_scope_units", [300, 0])  # both forms of the scope filter
@pytest.mark.parametrize("seed", range(4))
def test_random_users_never_see_outside_scope(db, client_for, seed, large_scope_units, monkeypatch):
    monkeypatch.setattr("chibo.org.scope.LARGE_SCOPE_UNITS", large_scope_units)
    rng = random.Random(seed)
    units, cells, members = build(rng)
    unlinked = list(members)
    rng.shuffle(unlinked)
    for i in range(5):
        grants = [(rng.choice(list(Role)), rng.choice(units)) for _ in range(rng.randint(0, 3))]
        linked = unlinked.pop() if rng.random() < 0.6 else None  # one account per member
        user = f.user(username=f"u{seed}-{i}", grants=grants, member=linked)
        unit_ids, listed, readable = oracle(user, grants, units, Member.objects.all())
        c = client_for(user)
        staff = any(role != Role.MEMBER for role, _ in grants)
        if staff:
            assert listed_members(c) == listed
        for unit in OrgUnit.objects.all():
            r = c.get(reverse("org:unit", args=[unit.pk]))
            expected = 200 if unit.pk in unit_ids else (404 if staff else 403)
            assert r.status_code == expected, (grants, unit.code)
        for m in Member.objects.all():
            r = c.get(reverse("members:detail", args=[m.pk]))
            assert r.status_code == (200 if m.pk in readable else 404), (grants, m.pk)


def holders_oracle(units, grants_of, roles, *, nearest=None):
    """unit id -> {user id: roles} by walking parent links in Python."""

    def chain(unit):
        node = unit
        while node is not None:
            yield node
            node = node.parent

    out = {}
    for unit in units:
        above = list(chain(unit))
        if nearest is not None:
            above = [u for u in above if u.kind in nearest][:1]
        found = {}
        for node in above:
            for user, role in grants_of.get(node.pk, []):
                if role in roles and user.is_active:
                    found.setdefault(user.pk, set()).add(role)
        out[unit.pk] = found
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_holders_match_the_parent_walk(db, seed):
    """Who holds a role over each unit (org.scope.holders), in the three ways the apps ask:
    over the unit, on the unit itself, on the nearest base committee above it."""
    from chibo.org.scope import HERE, holders

    rng = random.Random(1000 + seed)
    units, cells, _members = build(rng)
    grants_of: dict[int, list] = {}
    for i in range(8):
        grants = [(rng.choice(list(Role)), rng.choice(units)) for _ in range(rng.randint(1, 3))]
        user = f.user(username=f"h{seed}-{i}", grants=grants, is_active=rng.random() < 0.85)
        for role, unit in grants:
            grants_of.setdefault(unit.pk, []).append((user, role))
    units = list(OrgUnit.objects.all())  # parents loaded as stored
    ids = [u.pk for u in units]
    for roles in ({Role.OFFICE}, {Role.SECRETARY, Role.MEMBER}, set(Role)):
        assert holders(ids, roles) == holders_oracle(units, grants_of, roles)
        assert holders(ids, roles, nearest=HERE) == {
            u.pk: {
                user.pk: {r for usr, r in grants_of.get(u.pk, []) if usr == user and r in roles}
                for user, role in grants_of.get(u.pk, [])
                if role in roles and user.is_active
            }
            for u in units
        }
        assert holders(ids, roles, nearest={Kind.BASE_COMMITTEE}) == holders_oracle(
            units, grants_of, roles, nearest={Kind.BASE_COMMITTEE}
        )
