"""The scope filter (chibo.org.scope.scope_filter) keeps exactly the rows in a reader's scope,
in both of its forms: the scope's unit ids read first and given to the query as values (every
scope on PostgreSQL; a small one on SQLite), and, on SQLite above LARGE_SCOPE_UNITS units, an
EXISTS on the closure table. `large_scope_units` sets that threshold: 300 (every scope here is
small), 3 (the province is large, a commune small), 0 (every scope large).

The expected sets are computed in Python by walking parent links from the grants: the oracle
never calls chibo.org.scope."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.accounts.models import Role, RoleGrant
from chibo.core.search import terms
from chibo.members.models import Member
from chibo.members.queries import member_list
from chibo.org import services as org_services
from chibo.org.models import Kind, OrgUnit
from chibo.org.scope import InIds, scope_filter, scope_unit_ids, unit_in
from chibo.testing import factories as f

READ = {Role.OFFICE, Role.VIEWER, Role.SECRETARY}
WRITE = {Role.OFFICE, Role.SECRETARY}
NAMES = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Đức Hùng", "Phạm Minh Châu", "Nguyễn Thị Hà"]


@pytest.fixture
def tree(db):
    """A province with three base committees (five cells and a party group below one of
    them), a base cell directly under it, and a cell moved from one commune to another, so
    that closed closure rows lie in the table. Two to four members in every unit that holds
    members, one of them deleted."""
    province = f.unit(Kind.PROVINCE)
    bases = [f.unit(Kind.BASE_COMMITTEE, province) for _ in range(3)]
    cells = [f.unit(Kind.CELL, bases[0]) for _ in range(3)]
    cells += [f.unit(Kind.CELL, bases[1]) for _ in range(2)]
    moved = f.unit(Kind.CELL, bases[0])
    org_services.orgunit_move(actor=None, unit=moved, new_parent=bases[2], on=dt.date(2024, 1, 1))
    cells.append(moved)
    cells.append(f.unit(Kind.BASE_CELL, province))
    for n, cell in enumerate(cells):
        for i in range(2 + n % 3):
            f.member(cell, full_name=f"{NAMES[(n + i) % len(NAMES)]} {n}-{i}")
    Member.objects.filter(home_unit=cells[1]).first().mark_deleted(None)
    return province, bases, cells, moved


def expected(grants, roles) -> tuple[set[int], set[int]]:
    """(unit ids, live member ids) under the grants of `roles`, walking parent links."""
    tops = {unit.pk for role, unit in grants if role in roles}
    units = {}
    for u in OrgUnit.all_objects.all():
        units[u.pk] = u.parent_id

    def under(pk):
        while pk is not None:
            if pk in tops:
                return True
            pk = units[pk]
        return False

    unit_ids = {pk for pk in units if under(pk)}
    members = {
        pk for pk, home in Member.objects.values_list("pk", "home_unit_id") if home in unit_ids
    }
    return unit_ids, members


def cases(province, bases, cells, moved):
    """(name, grants) for the readers the scope must serve, small and large scopes."""
    return [
        ("province office", [(Role.OFFICE, province)]),
        ("commune office", [(Role.OFFICE, bases[0])]),
        ("commune viewer", [(Role.VIEWER, bases[1])]),
        ("cell secretary", [(Role.SECRETARY, cells[0])]),
        ("moved cell's commune", [(Role.OFFICE, bases[2])]),
        ("moved cell's old commune", [(Role.VIEWER, bases[0])]),
        ("overlapping grants", [(Role.VIEWER, province), (Role.OFFICE, bases[1])]),
        ("two communes", [(Role.VIEWER, bases[0]), (Role.SECRETARY, moved)]),
        ("member role only", [(Role.MEMBER, cells[0])]),
        ("no grant", []),
    ]


@pytest.mark.parametrize("large_scope_units", [300, 3, 0])
def test_scope_filter_keeps_exactly_the_scope(tree, monkeypatch, large_scope_units):
    monkeypatch.setattr("chibo.org.scope.LARGE_SCOPE_UNITS", large_scope_units)
    everyone = set(Member.objects.values_list("pk", flat=True))
    all_units = set(OrgUnit.all_objects.values_list("pk", flat=True))
    for name, grants in cases(*tree):
        user = f.user(grants=grants)
        for write, roles in ((False, READ), (True, WRITE)):
            units, members = expected(grants, roles)
            found = Member.objects.filter(scope_filter(user, "home_unit_id", write=write))
            assert set(found.values_list("pk", flat=True)) == members, (name, write)
            assert found.count() == len(members), (name, write)
            found_units = OrgUnit.all_objects.filter(scope_filter(user, "id", write=write))
            assert set(found_units.values_list("pk", flat=True)) == units, (name, write)
            assert set(scope_unit_ids(user, write=write)) == units, (name, write)
        assert members <= everyone and units <= all_units
    admin = f.user(is_superuser=True)
    assert scope_filter(admin, "home_unit_id") is None
    assert scope_unit_ids(admin) is None


@pytest.mark.parametrize("large_scope_units", [300, 3, 0])
def test_member_list_counts_the_scope(tree, monkeypatch, large_scope_units):
    """The member list (page, API, bench) for each reader: the same rows and the same count
    as the oracle, with and without a search, and within a unit."""
    monkeypatch.setattr("chibo.org.scope.LARGE_SCOPE_UNITS", large_scope_units)
    province, bases, cells, moved = tree
    today = timezone.localdate()
    names = dict(Member.objects.values_list("pk", "search_name"))
    readers = [(name, f.user(grants=grants), grants) for name, grants in cases(*tree)]
    readers.append(("superuser", f.user(is_superuser=True), [(Role.OFFICE, province)]))
    for name, user, grants in readers:
        if not any(role in READ for role, _ in grants):
            continue  # no unit role: the list is not theirs (a member reads their own record)
        _units, members = expected(grants, READ)
        rows = member_list(user, on=today)
        assert set(rows.values_list("pk", flat=True)) == members, name
        assert rows.count() == len(members), name
        for q in ("hung", "nguyen thi"):
            want = {pk for pk in members if all(t in names[pk] for t in terms(q))}
            found = member_list(user, on=today, q=q)
            assert set(found.values_list("pk", flat=True)) == want, (name, q)
            assert found.count() == len(want), (name, q)
        within, in_unit = expected([(Role.OFFICE, bases[0])], READ)
        found = member_list(user, on=today, unit=bases[0])
        assert set(found.values_list("pk", flat=True)) == in_unit & members, name
        assert found.count() == len(in_unit & members), name


def test_the_scope_is_read_in_one_query(tree, django_assert_num_queries):
    province, bases, cells, moved = tree
    user = f.user(grants=[(Role.OFFICE, province), (Role.VIEWER, bases[0])])
    with django_assert_num_queries(1):
        condition = scope_filter(user, "home_unit_id")
    everyone = Member.objects.count()
    with django_assert_num_queries(1):
        assert Member.objects.filter(condition).count() == everyone


@pytest.mark.parametrize(
    ("grants", "queries"),
    [
        # scope ids, page, count
        ([(Role.OFFICE, "province")], 3),
        ([(Role.VIEWER, "base")], 3),
    ],
)
def test_member_list_query_count(tree, grants, queries):
    province, bases, cells, moved = tree
    units = {"province": province, "base": bases[0]}
    user = f.user(grants=[(role, units[u]) for role, u in grants])
    for unit, more in ((None, 0), (bases[0], 1)):  # the unit's subtree: one query more
        with CaptureQueriesContext(connection) as ctx:
            qs = member_list(user, on=timezone.localdate(), q="nguyen", unit=unit)
            list(qs[:2])
            qs.count()
        assert len(ctx.captured_queries) == queries + more


def test_no_grant_reads_nothing_without_a_query(tree, django_assert_num_queries):
    user = f.user()
    RoleGrant.objects.filter(user=user).delete()
    condition = scope_filter(user, "home_unit_id")
    with django_assert_num_queries(0):
        assert list(Member.objects.filter(condition)) == []


def test_in_ids(tree, django_assert_num_queries):
    """One parameter on PostgreSQL whatever the length; duplicates and order do not matter;
    an empty list reads nothing, also inside an OR."""
    province, bases, cells, moved = tree
    ids = [cells[0].pk, cells[0].pk, cells[1].pk]
    want = set(Member.objects.filter(home_unit__in=ids).values_list("pk", flat=True))
    assert (
        set(Member.objects.filter(unit_in("home_unit_id", ids)).values_list("pk", flat=True))
        == want
    )
    backwards = InIds(F("home_unit_id"), reversed(ids))
    assert set(Member.objects.filter(backwards).values_list("pk", flat=True)) == want
    with django_assert_num_queries(0):
        assert list(Member.objects.filter(unit_in("home_unit_id", []))) == []
    either = Member.objects.filter(Q(unit_in("home_unit_id", [])) | Q(home_unit=cells[0]))
    assert set(either.values_list("pk", flat=True)) == set(
        Member.objects.filter(home_unit=cells[0]).values_list("pk", flat=True)
    )
    sql = str(Member.objects.filter(unit_in("home_unit_id", range(1000))).query)
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (" in sql
