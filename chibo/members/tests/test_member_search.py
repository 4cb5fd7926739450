"""Member search (chibo.members.queries.member_list with `q`): the rows found, their order and
their count are the same whichever way the database finds them. On PostgreSQL a word of 3
characters or more can be found through the trigram index on search_name (members migration
0010) and the list is then sorted by an expression rather than read in the name index's
order; shorter words keep the name index. The expected lists are filtered in Python from the
stored names, independently of the query code."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.members.models import Member
from chibo.members.queries import IN_PARTY_FILTER, member_list
from chibo.org.models import Kind
from chibo.testing import factories as f

INDEX = "members_member_search_name_trgm"
NAMES = [
    "Nguyễn Văn Hùng",
    "Nguyễn Văn Hưng",
    "Trần Thị Lan",
    "Lê Đức Hùng",
    "Lê Thị Thu Hà",
    "Phạm Minh Châu",
    "Nguyễn Thị Lan Anh",
    "Đặng Văn Lâm",
    "Hùng Lê",
    "Trần Lê",
]
# Long words (the trigram index's), short ones (the name index's), mixed, diacritics typed,
# one that matches nothing, and a word that is only part of a name.
QUERIES = [
    "hung",
    "nguyen van hung",
    "Nguyễn Văn",
    "tran thi",
    "le",
    "le duc",
    "le thi thu ha",
    "an",
    "dang",
    "lan anh",
    "xyz",
    "ng",
    "u",
    None,
]


@pytest.fixture
def people(db):
    """Two communes of a province, each member's name given twice in each cell (so the order
    by id within a name matters), a deleted record, and a record outside the reader's scope."""
    province = f.unit(Kind.PROVINCE)
    communes = [f.unit(Kind.BASE_COMMITTEE, province) for _ in range(2)]
    cells = [f.unit(Kind.CELL, c) for c in communes for _ in range(2)]
    for n, cell in enumerate(cells):
        for i, name in enumerate(NAMES):
            f.member(cell, full_name=name if (n + i) % 3 else f"{name} {n}")
            if i % 4 == n:
                f.member(cell, full_name=name)
    Member.objects.filter(home_unit=cells[0]).first().mark_deleted(None)
    outside = f.unit(Kind.PROVINCE)
    f.member(f.unit(Kind.CELL, f.unit(Kind.BASE_COMMITTEE, outside)), full_name="Nguyễn Văn Hùng")
    reader = f.user(grants=[(Role.OFFICE, province)])
    commune = f.user(grants=[(Role.VIEWER, communes[1])])
    return reader, commune, province, communes


def fold(text: str) -> str:
    """The oracle's own fold: "Nguyễn Văn Hùng" -> "nguyen van hung"."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    ).lower()


def expected(reader_units: set[int], q: str | None) -> set[int]:
    words = fold(q or "").split()
    return {
        pk
        for pk, name, unit in Member.objects.values_list("pk", "full_name", "home_unit_id")
        if unit in reader_units and all(w in fold(name) for w in words)
    }


def units_under(top) -> set[int]:
    from chibo.org.models import OrgUnit

    return set(OrgUnit.all_objects.within(top).values_list("pk", flat=True))


def listed(user, q, status=None) -> tuple[list[int], int]:
    qs = member_list(user, on=timezone.localdate(), q=q, status=status)
    return list(qs.values_list("pk", flat=True)), qs.count()


def in_name_order(pks: list[int]) -> list[int]:
    """The same records in the database's own name order (the plain ORDER BY)."""
    return list(
        Member.all_objects.filter(pk__in=pks)
        .order_by("search_name", "pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("q", QUERIES)
def test_search_finds_the_same_rows_in_name_order(people, q):
    reader, commune, province, communes = people
    for user, top in ((reader, province), (commune, communes[1])):
        want = expected(units_under(top), q)
        for status in (None, IN_PARTY_FILTER):  # every record here is in the Party
            found, count = listed(user, q, status)
            assert set(found) == want, (q, status)
            assert count == len(want)
            assert found == in_name_order(found), (q, status)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
@pytest.mark.parametrize("q", QUERIES)
def test_with_and_without_the_trigram_index(people, monkeypatch, q):
    """The trigram index forced (no sequential scan), then kept out (no bitmap scan): the same
    rows, order and count. The readers' units taken as most of the database's, so that the
    list searches through the trigram index (a small scope searches by unit: below)."""
    from chibo.org import subtree

    monkeypatch.setattr(subtree, "unit_total", lambda: 1)
    reader, commune, province, communes = people
    results = []
    for setting in ("enable_seqscan", "enable_bitmapscan"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {setting} = off")
        try:
            results.append((listed(reader, q), listed(commune, q)))
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"RESET {setting}")
    assert results[0] == results[1]
    assert set(results[0][0][0]) == expected(units_under(province), q)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_search_can_use_the_trigram_index(people):
    """The search's filter as Django writes it (`search_name::text LIKE '%hung%'`) matches
    the index's operator class: with sequential and plain index scans off, the plan reads it.
    (On a test database the planner prefers other paths; bench/member_search.py --explain
    shows the list's own plans on 100,000 members.)"""
    off = ("enable_seqscan", "enable_indexscan")  # bitmap scans are left
    with connection.cursor() as cursor:
        for setting in off:
            cursor.execute(f"SET LOCAL {setting} = off")
    try:
        for q in ("nguyen hung", "le duc"):
            plan = Member.all_objects.search(q).explain()
            assert f"Bitmap Index Scan on {INDEX}" in plan, plan
    finally:
        with connection.cursor() as cursor:
            for setting in off:
                cursor.execute(f"RESET {setting}")


def test_the_index_is_postgresql_only(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "gin_trgm_ops" in definition
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = %s", [INDEX])
            assert cursor.fetchone() == (0,)


@pytest.mark.parametrize("q", ["nguyen van hung", "le", None])
def test_search_query_count(people, q):
    """Scope ids, page, count: whichever path the search takes."""
    reader, *_ = people
    with CaptureQueriesContext(connection) as ctx:
        qs = member_list(reader, on=dt.date.today(), q=q, status=IN_PARTY_FILTER)
        list(qs[:25])
        qs.count()
    assert len(ctx.captured_queries) == 3


@pytest.mark.parametrize("q", [*QUERIES, "ng_yen", "%", "hung%"])  # LIKE's wildcards, typed
def test_searching_by_unit_finds_what_the_trigram_path_finds(people, q):
    """`search(q, by_unit=True)` matches each word on the name in the "C" collation (so that
    PostgreSQL reads the scope's names from member_unit_name_idx): the same records as the
    plain filter, checked against the oracle."""
    reader, commune, province, communes = people
    units = units_under(province)
    plain = set(Member.objects.search(q).values_list("pk", flat=True))
    by_unit = set(Member.objects.search(q, by_unit=True).values_list("pk", flat=True))
    assert plain == by_unit
    assert {pk for pk in by_unit if Member.objects.get(pk=pk).home_unit_id in units} == expected(
        units, q
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the choice is PostgreSQL's")
@pytest.mark.parametrize("q", ["nguyen van hung", "Nguyễn Văn", "lan anh", "le", None])
def test_a_small_scope_searches_its_own_names(people, monkeypatch, q):
    """A reader whose units are a small part of the database's searches by unit; one whose
    units are most of them (a province alone on its server) through the trigram index.
    Either way: the oracle's records, in name order, with the same count."""
    from chibo.org import subtree

    reader, commune, province, communes = people
    seen = {}
    for total, path in ((10**9, "by unit"), (1, "trigram")):
        monkeypatch.setattr(subtree, "unit_total", lambda total=total: total)
        for user, top in ((reader, province), (commune, communes[1])):
            qs = member_list(user, on=timezone.localdate(), q=q, status=IN_PARTY_FILTER)
            sql = str(qs.query)
            words = fold(q or "").split()
            # Short words alone keep the name index's walk on either path.
            by_unit = path == "by unit" and any(len(w) >= 3 for w in words)
            # The words on the name (the trigram index's) or on the name in the "C" collation.
            where = sql.split("WHERE", 1)[1].split("ORDER BY")[0]
            assert ('"search_name"::text LIKE' in where) == (bool(words) and not by_unit), sql
            assert ('COLLATE "C"' in where) == by_unit, sql
            found, count = listed(user, q, IN_PARTY_FILTER)
            assert set(found) == expected(units_under(top), q)
            assert found == in_name_order(found) and count == len(found)
            seen[(path, user.pk)] = found
    assert seen[("by unit", reader.pk)] == seen[("trigram", reader.pk)]
    assert seen[("by unit", commune.pk)] == seen[("trigram", commune.pk)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_searching_by_unit_reads_the_names_in_the_index_alone(people):
    """The search by unit never uses the trigram index, and can read the scope's names in
    member_unit_name_idx alone, which holds every column it needs.

    The trigram index is read only by bitmap scans: with those alone left on, the plain
    search reads it and the search by unit does not. Then, bitmap scans off: a test database
    is tiny, so the planner would rather read the table or the trash index (all its rows
    are NULL); those paths are taken away, inside the test's transaction."""
    reader, commune, province, communes = people
    units = sorted(units_under(province))
    from chibo.org.scope import unit_in

    def plan(by_unit: bool, records=None) -> str:
        return (
            (Member.objects.filter(unit_in("home_unit_id", units)) if records is None else records)
            .search("nguyen van hung", by_unit=by_unit)
            .order_by()
            .values("pk")
            .explain()
        )

    off = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
        for setting in off:
            cursor.execute(f"SET LOCAL {setting} = off")
    try:
        # Every record, so that the words are the only condition an index could serve.
        plain, by_unit = plan(False, Member.all_objects), plan(True, Member.all_objects)
    finally:
        with connection.cursor() as cursor:
            for setting in off:
                cursor.execute(f"RESET {setting}")
    assert INDEX in plain, plain
    assert INDEX not in by_unit, by_unit

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX members_member_deleted_at_44ff5a68")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    try:
        by_unit = plan(True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    assert "Index Only Scan using member_unit_name_idx" in by_unit, by_unit
    assert INDEX not in by_unit, by_unit


@pytest.mark.parametrize("q", [None, "le", "an"])
def test_a_scope_of_few_units_is_sorted_not_walked(people, monkeypatch, q):
    """The list (no word the trigram index can find) of a scope holding a small share of
    the database's units is sorted by an expression on PostgreSQL (its records are read by
    unit), and walks the name index otherwise: the same records in the same order either
    way, those of the oracle."""
    from chibo.members import queries
    from chibo.org import subtree

    reader, commune, province, communes = people
    for user, top in ((reader, province), (commune, communes[1])):
        n = len(units_under(top))
        seen = []
        # Half the share (FEW_UNITS) of the database's units, and twice it.
        share = queries.FEW_UNITS
        for total, few in ((round(2 * n / share), True), (round(n / share / 2), False)):
            monkeypatch.setattr(subtree, "unit_total", lambda total=total: total)
            qs = member_list(user, on=timezone.localdate(), q=q)
            order = str(qs.query).split("ORDER BY", 1)[1]
            sorted_by_expression = connection.vendor == "postgresql" and few
            assert (" || " in order) == sorted_by_expression, order
            found, count = listed(user, q)
            assert set(found) == expected(units_under(top), q)
            assert found == in_name_order(found) and count == len(found)
            seen.append(found)
        assert seen[0] == seen[1]
