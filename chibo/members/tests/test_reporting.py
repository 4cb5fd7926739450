"""The members' report sections (members.reporting) on a small tree with a known 2025:
every figure compared with a count done by hand below, the rows behind each figure, and the
number of queries.

The tree: province P; base committee B with cells A (rural), S (school) and M (rural, merged
into A on 01/06/2025); base committee O with cell X (urban). Everyone is admitted in 2010 and
recognised in 2011 unless said otherwise.

    a1  A  secretary of A; head of village vA1 from 01/07/2025
    a2  A  exempt from activities since 2020
    a3  A  admitted on 31/12/2025, probationary
    s1  S  secretary of S; head of village vA2 (a village of A, not of his cell)
    s2  S  head of vA1 until 01/07/2025; removed on 15/06/2025
    s3  S  admitted 01/06/2024, recognised official 01/06/2025
    m1  M  moved to A by the merger; head of village vM1 (moved to A too)
    t1  A  transfer to X sent 20/12/2025, received 10/01/2026
    t2  X  transfer to S sent 15/12/2024, received 05/01/2025
    p1  S  transfer to X sent 01/11/2025, still pending
    r1  A  admitted 2000, removed 2015, readmitted 10/04/2025 (probationary)
    i1  A  transfer to S sent 01/03/2025, received 10/03/2025 (inside B)
    d1  X  deceased 08/08/2025
    o1  X  head of village vX1

Villages: vA1, vA2 (A), vS1 (S, no head), vM1 (M, then A), vX1 (X), vA3 (A, in the trash).
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.core.reporting import Link, Period, lookup, section, share
from chibo.members import reporting, services, transfers
from chibo.members.models import EventKind, Member, PlacementKind, PositionKind
from chibo.members.reporting import MembersSection, MovementsSection, VillagePostsSection
from chibo.org import services as org_services
from chibo.org.models import CellType, Kind, OrgUnit, Village
from chibo.testing import factories as f

D = dt.date
Y2025 = Period.year(2025)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@dataclass
class Tree:
    P: OrgUnit
    B: OrgUnit
    A: OrgUnit
    S: OrgUnit
    M: OrgUnit
    O: OrgUnit  # noqa: E741
    X: OrgUnit
    people: dict[str, Member]
    villages: dict[str, Village]


def _village(cell: OrgUnit, name: str) -> Village:
    return org_services.village_create(actor=None, cell=cell, name=name, kind="village")


def _head(member: Member, village: Village, start: dt.date, end: dt.date | None = None) -> None:
    services.position_create(
        actor=None,
        member=member,
        kind=PositionKind.VILLAGE_HEAD,
        village=village,
        start=start,
        end=end,
    )


@pytest.fixture
def tree(db) -> Tree:
    P = f.unit(Kind.PROVINCE, code="P")
    B = f.unit(Kind.BASE_COMMITTEE, P, code="B")
    A = f.unit(Kind.CELL, B, code="A", cell_type=CellType.RURAL)
    S = f.unit(Kind.CELL, B, code="S", cell_type=CellType.SCHOOL)
    M = f.unit(Kind.CELL, B, code="M", cell_type=CellType.RURAL)
    O = f.unit(Kind.BASE_COMMITTEE, P, code="O")  # noqa: E741
    X = f.unit(Kind.CELL, O, code="X", cell_type=CellType.URBAN)
    people = {
        "a1": f.member(A, full_name="a1"),
        "a2": f.member(A, full_name="a2"),
        "a3": f.member(A, full_name="a3", admitted_on=D(2025, 12, 31), official_on=None),
        "s1": f.member(S, full_name="s1"),
        "s2": f.member(S, full_name="s2"),
        "s3": f.member(S, full_name="s3", admitted_on=D(2024, 6, 1), official_on=D(2025, 6, 1)),
        "m1": f.member(M, full_name="m1"),
        "t1": f.member(A, full_name="t1"),
        "t2": f.member(X, full_name="t2"),
        "p1": f.member(S, full_name="p1"),
        "r1": f.member(A, full_name="r1", admitted_on=D(2000, 5, 1)),
        "i1": f.member(A, full_name="i1"),
        "d1": f.member(X, full_name="d1"),
        "o1": f.member(X, full_name="o1"),
    }
    p = people

    def event(who: str, kind: str, day: dt.date) -> None:
        services.event_create(actor=None, member=p[who], kind=kind, date=day)

    event("a2", EventKind.EXEMPTED, D(2020, 1, 1))
    event("s2", EventKind.REMOVED, D(2025, 6, 15))
    event("r1", EventKind.REMOVED, D(2015, 3, 1))
    event("r1", EventKind.READMITTED, D(2025, 4, 10))
    event("d1", EventKind.DECEASED, D(2025, 8, 8))

    transfers.member_transfer(
        actor=None, member=p["t2"], to_unit=S, left_on=D(2024, 12, 15), arrived_on=D(2025, 1, 5)
    )
    transfers.member_transfer(
        actor=None, member=p["i1"], to_unit=S, left_on=D(2025, 3, 1), arrived_on=D(2025, 3, 10)
    )
    sent = transfers.transfer_send(
        actor=None,
        member=p["t1"],
        kind=PlacementKind.OFFICIAL,
        to_unit=X,
        letter_number="12-CV",
        sent_on=D(2025, 12, 20),
        notify=False,
    )
    transfers.transfer_accept(actor=None, transfer=sent, received_on=D(2026, 1, 10))
    transfers.transfer_send(
        actor=None,
        member=p["p1"],
        kind=PlacementKind.OFFICIAL,
        to_unit=X,
        letter_number="13-CV",
        sent_on=D(2025, 11, 1),
        notify=False,
    )

    villages = {
        "vA1": _village(A, "vA1"),
        "vA2": _village(A, "vA2"),
        "vA3": _village(A, "vA3"),
        "vS1": _village(S, "vS1"),
        "vM1": _village(M, "vM1"),
        "vX1": _village(X, "vX1"),
    }
    v = villages
    services.position_create(
        actor=None, member=p["a1"], kind=PositionKind.SECRETARY, unit=A, start=D(2020, 1, 1)
    )
    services.position_create(
        actor=None, member=p["s1"], kind=PositionKind.SECRETARY, unit=S, start=D(2020, 1, 1)
    )
    _head(p["s2"], v["vA1"], D(2020, 1, 1), D(2025, 7, 1))
    _head(p["a1"], v["vA1"], D(2025, 7, 1))
    _head(p["s1"], v["vA2"], D(2020, 1, 1))
    _head(p["a1"], v["vA3"], D(2020, 1, 1))
    _head(p["m1"], v["vM1"], D(2020, 1, 1))
    _head(p["o1"], v["vX1"], D(2020, 1, 1))
    org_services.village_delete(actor=None, village=v["vA3"])

    org_services.orgunit_merge(actor=None, source=M, target=A, on=D(2025, 6, 1))
    for unit in (A, M):
        unit.refresh_from_db()
    return Tree(P=P, B=B, A=A, S=S, M=M, O=O, X=X, people=people, villages=villages)


def types(**counts: int) -> dict[str, int]:
    return {t: counts.get(t, 0) for t in CellType.values}


# Members ---------------------------------------------------------------------------------


def test_members_of_2025(tree: Tree) -> None:
    t = tree
    got = MembersSection().figures([u.pk for u in (t.P, t.B, t.A, t.S, t.M, t.O, t.X)], Y2025)
    # B on 01/01/2025: a1 a2 t1 i1 (A), s1 s2 p1 s3 (S), m1 (M); not a3 (later), t2 (in
    # transit), r1 (removed then). On 31/12/2025: a1 a2 a3 m1 r1 (A, rural; m1 by the merger,
    # a3 admitted that day, r1 readmitted), s1 t2 i1 s3 (S, school); not s2 (removed), t1 (in
    # transit), p1 (pending transfer). Probationary: a3, r1.
    assert got[t.B.pk] == {
        "start": 9,
        "end": 9,
        "official_end": 7,
        "probationary_end": 2,
        "end_by_cell_type": types(rural=5, school=4),
    }
    assert got[t.A.pk] == {
        "start": 4,  # a1 a2 t1 i1
        "end": 5,  # a1 a2 a3 m1 r1
        "official_end": 3,
        "probationary_end": 2,
        "end_by_cell_type": types(rural=5),
    }
    assert got[t.S.pk]["start"] == 4  # s1 s2 p1 s3
    assert got[t.S.pk]["end"] == 4  # s1 t2 i1 s3
    assert got[t.M.pk]["start"] == 1  # m1
    assert got[t.M.pk]["end"] == 0  # merged into A
    # O: d1 o1 at the start (t2 in transit); o1 at the end (p1 pending, t1 in transit).
    assert got[t.O.pk] == {
        "start": 2,
        "end": 1,
        "official_end": 1,
        "probationary_end": 0,
        "end_by_cell_type": types(urban=1),
    }
    assert got[t.X.pk]["end"] == 1
    # The province: both; t2 in transit on the 1st, t1 in transit and p1 pending on the 31st.
    assert (got[t.P.pk]["start"], got[t.P.pk]["end"]) == (11, 10)


def test_an_admission_on_the_last_day_counts_at_the_end_only(tree: Tree) -> None:
    t = tree
    day = MembersSection().figures([t.A.pk], Period(D(2025, 1, 1), D(2025, 12, 30)))
    assert day[t.A.pk]["end"] == 4  # a1 a2 m1 r1: a3 is admitted the next day
    assert day[t.A.pk]["probationary_end"] == 1


def test_the_exempt_member_counts(tree: Tree) -> None:
    services.event_delete(actor=None, event=tree.people["a2"].events.get(kind=EventKind.EXEMPTED))
    assert MembersSection().figures([tree.A.pk], Y2025)[tree.A.pk]["end"] == 5


def test_a_removed_member_no_longer_counts(tree: Tree) -> None:
    june = MembersSection().figures([tree.S.pk], Period(D(2025, 6, 1), D(2025, 6, 14)))
    assert june[tree.S.pk]["end"] == 6  # s1 s2 s3 p1, t2 since January, i1 since March
    # s2 is removed on 15/06.
    assert MembersSection().figures([tree.S.pk], Period.month(2025, 6))[tree.S.pk]["end"] == 5


def test_the_year_of_a_transfer_across_new_year(tree: Tree) -> None:
    t = tree
    got = MovementsSection().figures([t.B.pk, t.O.pk], Period.year(2024))
    assert got[t.O.pk]["transferred_out"] == 1  # t2, sent 15/12/2024
    assert got[t.B.pk]["transferred_in"] == 0  # received in 2025
    later = MovementsSection().figures([t.B.pk, t.O.pk], Period.year(2026))
    assert later[t.O.pk]["transferred_in"] == 1  # t1, received 10/01/2026
    assert later[t.B.pk]["transferred_out"] == 0  # sent in 2025


# Movements -------------------------------------------------------------------------------


def test_movements_of_2025(tree: Tree) -> None:
    t = tree
    got = MovementsSection().figures([t.P.pk, t.B.pk, t.A.pk, t.S.pk, t.O.pk], Y2025)
    # B: admitted a3 (31/12) and r1 (readmitted 10/04), of the 9 at the start; s3 recognised;
    # in: t2 (from X, received 05/01); out: t1 (sent 20/12 to X) and p1 (pending to X); i1
    # moved inside B: neither. Removed: s2.
    assert got[t.B.pk] == {
        "admitted": share(2, 9),
        "recognised_official": 1,
        "transferred_in": 1,
        "transferred_out": 2,
        "removed": 1,
        "expelled": 0,
        "withdrew": 0,
        "deceased": 0,
    }
    assert got[t.B.pk]["admitted"]["percent"] == 22.22
    # A: the same admissions, of 4; out: t1, and i1 to S (outside A); s2 was in S.
    assert got[t.A.pk] == {
        "admitted": share(2, 4),
        "recognised_official": 0,
        "transferred_in": 0,
        "transferred_out": 2,
        "removed": 0,
        "expelled": 0,
        "withdrew": 0,
        "deceased": 0,
    }
    # S: in: t2 (from X), i1 (from A); out: p1; s2 removed, s3 recognised.
    assert got[t.S.pk]["transferred_in"] == 2
    assert got[t.S.pk]["transferred_out"] == 1
    assert (got[t.S.pk]["removed"], got[t.S.pk]["recognised_official"]) == (1, 1)
    # O: d1 died; t2 was sent in 2024 and t1 received in 2026; p1 not received.
    assert got[t.O.pk] == {
        "admitted": share(0, 2),
        "recognised_official": 0,
        "transferred_in": 0,
        "transferred_out": 0,
        "removed": 0,
        "expelled": 0,
        "withdrew": 0,
        "deceased": 1,
    }
    # The province: every transfer stays inside it.
    assert (got[t.P.pk]["transferred_in"], got[t.P.pk]["transferred_out"]) == (0, 0)
    assert got[t.P.pk]["admitted"] == share(2, 11)
    assert (got[t.P.pk]["removed"], got[t.P.pk]["deceased"]) == (1, 1)


def test_a_cancelled_transfer_is_no_movement(tree: Tree) -> None:
    pending = tree.people["p1"].transfers.get()
    transfers.transfer_cancel(actor=None, transfer=pending)
    got = MovementsSection().figures([tree.B.pk], Y2025)[tree.B.pk]
    assert got["transferred_out"] == 1  # t1 only
    assert MembersSection().figures([tree.B.pk], Y2025)[tree.B.pk]["end"] == 10  # p1 is back


def test_a_removal_counts_where_the_member_was_the_day_before(tree: Tree) -> None:
    """The merger moves m1 to A on 01/06; m1 dies that day: it counts in M, where m1 was on
    31/05, and not in A."""
    services.event_create(
        actor=None, member=tree.people["m1"], kind=EventKind.DECEASED, date=D(2025, 6, 1)
    )
    got = MovementsSection().figures([tree.M.pk, tree.A.pk, tree.B.pk], Y2025)
    assert [got[u.pk]["deceased"] for u in (tree.M, tree.A, tree.B)] == [1, 0, 1]


def test_movements_with_the_period_s_events_read_first(tree: Tree, monkeypatch) -> None:
    """On SQLite a large subtree reads the period's events first (members.reporting
    MANY_CELLS): the same figures as through the placements."""
    monkeypatch.setattr(reporting, "MANY_CELLS", 0)
    services.event_create(
        actor=None, member=tree.people["m1"], kind=EventKind.DECEASED, date=D(2025, 6, 1)
    )
    t = tree
    got = MovementsSection().figures([t.P.pk, t.B.pk, t.A.pk, t.M.pk, t.S.pk, t.O.pk], Y2025)
    # As in test_movements_of_2025, and m1's death on the merger's day counts in M (the day
    # before), not in A.
    assert got[t.B.pk]["admitted"] == share(2, 9)  # a3, r1
    assert (got[t.B.pk]["recognised_official"], got[t.B.pk]["removed"]) == (1, 1)  # s3; s2
    assert got[t.A.pk]["admitted"] == share(2, 4)
    assert [got[u.pk]["deceased"] for u in (t.M, t.A, t.B, t.O, t.P)] == [1, 0, 1, 1, 2]
    assert (got[t.S.pk]["removed"], got[t.S.pk]["recognised_official"]) == (1, 1)
    assert got[t.P.pk]["admitted"] == share(2, 11)


def test_a_member_in_the_trash_counts_nowhere(tree: Tree) -> None:
    t, p = tree, tree.people
    for who in ("r1", "s3", "m1"):
        services.member_delete(actor=None, member=p[who])
    members = MembersSection().figures([t.B.pk, t.A.pk], Y2025)
    # B at the start: a1 a2 t1 i1 s1 s2 p1 (not s3, m1); at the end a1 a2 a3 s1 t2 i1 (not
    # m1, r1, s3): probationary a3 only.
    assert (members[t.B.pk]["start"], members[t.B.pk]["end"]) == (7, 6)
    assert members[t.B.pk]["probationary_end"] == 1
    assert members[t.A.pk]["end_by_cell_type"] == types(rural=3)  # a1 a2 a3
    moves = MovementsSection().figures([t.B.pk], Y2025)[t.B.pk]
    assert moves["admitted"] == share(1, 7)  # a3; not r1's readmission
    assert moves["recognised_official"] == 0  # s3
    # vM1's head m1 is in the trash: no head any more.
    villages = VillagePostsSection().figures([t.B.pk], Y2025)[t.B.pk]
    assert villages == {"heads_members": share(2, 4), "secretaries_heads": share(1, 4)}


# Village posts ---------------------------------------------------------------------------


def test_village_posts_at_the_end_of_2025(tree: Tree) -> None:
    t = tree
    got = VillagePostsSection().figures([t.B.pk, t.A.pk, t.S.pk, t.M.pk, t.O.pk], Y2025)
    # B: vA1 (head a1, member, secretary of A), vA2 (head s1, member, secretary of S, not A),
    # vS1 (no head), vM1 (head m1, now in A); vA3 is in the trash.
    assert got[t.B.pk] == {"heads_members": share(3, 4), "secretaries_heads": share(1, 4)}
    assert got[t.B.pk]["heads_members"]["percent"] == 75.0
    assert got[t.A.pk] == {"heads_members": share(3, 3), "secretaries_heads": share(1, 3)}
    assert got[t.S.pk] == {"heads_members": share(0, 1), "secretaries_heads": share(0, 1)}
    assert got[t.M.pk] == {"heads_members": share(0, 0), "secretaries_heads": share(0, 0)}
    assert got[t.M.pk]["heads_members"]["percent"] is None
    assert got[t.O.pk] == {"heads_members": share(1, 1), "secretaries_heads": share(0, 1)}


def test_a_village_whose_head_changed_mid_year(tree: Tree) -> None:
    # 30/06/2025: vA1's head is s2, removed on 15/06: not a member, not the secretary.
    got = VillagePostsSection().figures([tree.B.pk], Period.month(2025, 6))[tree.B.pk]
    assert got == {"heads_members": share(2, 4), "secretaries_heads": share(0, 4)}
    # 31/05/2025: s2 was still a member.
    may = VillagePostsSection().figures([tree.B.pk], Period.month(2025, 5))[tree.B.pk]
    assert may["heads_members"] == share(3, 4)


# Rows behind the figures -------------------------------------------------------------------


def _rows(sec, figure: str, root: OrgUnit, period: Period = Y2025, rest: bool = False) -> list:
    rows = sec.rows(figure, root=root.pk, period=period, rest=rest)
    assert rows is not None, figure
    items = list(rows.items)
    for item in items:
        assert len(rows.row(item)) == len(rows.headers)
    return items


def _names(sec, figure: str, root: OrgUnit, rest: bool = False) -> list[str]:
    rows = sec.rows(figure, root=root.pk, period=Y2025, rest=rest)
    return sorted(str(rows.row(i)[0].text) for i in rows.items)


@pytest.mark.parametrize("root", ["P", "B", "A", "S", "M", "O", "X"])
def test_rows_count_what_the_figures_count(tree: Tree, root: str) -> None:
    unit = getattr(tree, root)
    for sec in (MembersSection(), MovementsSection(), VillagePostsSection()):
        figures = sec.figures([unit.pk], Y2025)[unit.pk]
        for path in sec.labels:
            value = lookup(figures, path)
            if isinstance(value, dict):
                assert len(_rows(sec, path, unit)) == value["count"], (root, path)
                if sec.key == "village_posts":
                    rest = _rows(sec, path, unit, rest=True)
                    assert len(rest) == value["of"] - value["count"], (root, path)
            else:
                assert len(_rows(sec, path, unit)) == value, (root, path)


def test_the_rows_name_the_records(tree: Tree) -> None:
    t, members, movements, posts = tree, MembersSection(), MovementsSection(), VillagePostsSection()
    assert _names(members, "probationary_end", t.B) == ["a3", "r1"]
    assert _names(movements, "admitted", t.B) == ["a3", "r1"]
    assert _names(movements, "transferred_out", t.B) == ["p1", "t1"]
    assert _names(movements, "transferred_in", t.B) == ["t2"]
    assert _names(movements, "transferred_out", t.A) == ["i1", "t1"]
    rows = members.rows("end", root=t.A.pk, period=Y2025)
    assert rows is not None
    first = rows.row(list(rows.items)[0])
    assert isinstance(first[0], Link) and first[0].url == reverse(
        "members:detail", args=[t.people["a1"].pk]
    )
    assert first[1:] == [t.A.name, "Official", D(2010, 5, 19)]
    exempt = [rows.row(i) for i in rows.items if rows.row(i)[0].text == "a2"][0]
    assert exempt[2] == "Official, exempt from activities"
    # The villages whose head is not a member: vS1 has none.
    rest = posts.rows("heads_members", root=t.B.pk, period=Y2025, rest=True)
    assert rest is not None
    assert [rest.row(i) for i in rest.items] == [["vS1", t.S.name, None]]
    # Not the secretary of the village's cell: s1 heads vA2 but is the secretary of S.
    rest = posts.rows("secretaries_heads", root=t.B.pk, period=Y2025, rest=True)
    assert rest is not None
    heads = {rest.row(i)[0]: rest.row(i)[2] for i in rest.items}
    assert set(heads) == {"vA2", "vS1", "vM1"}
    assert heads["vA2"].text == "s1"


# Registry, many roots, queries -------------------------------------------------------------


def test_the_sections_are_registered() -> None:
    assert [section(k).order for k in ("members", "movements", "village_posts")] == [20, 30, 40]
    for key in ("members", "movements", "village_posts"):
        sec = section(key)
        assert sec is not None and set(sec.table) <= set(sec.labels)
        assert set(sec.headline) <= set(sec.labels)


def test_a_base_committee_and_its_cell_at_once(tree: Tree) -> None:
    both = {
        sec.key: sec.figures([tree.B.pk, tree.A.pk], Y2025)
        for sec in (MembersSection(), MovementsSection(), VillagePostsSection())
    }
    for root in (tree.B, tree.A):
        for sec in (MembersSection(), MovementsSection(), VillagePostsSection()):
            assert both[sec.key][root.pk] == sec.figures([root.pk], Y2025)[root.pk]


def test_no_roots_and_units_with_nothing(tree: Tree) -> None:
    empty = f.unit(Kind.CELL, tree.O, code="E")
    for sec in (MembersSection(), MovementsSection(), VillagePostsSection()):
        assert sec.figures([], Y2025) == {}
    assert MovementsSection().figures([empty.pk], Y2025)[empty.pk]["admitted"] == share(0, 0)


def _queries(sec, roots: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        sec.figures(roots, Y2025)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_roots(tree: Tree) -> None:
    t = tree
    many = [t.P.pk, t.B.pk, t.A.pk, t.S.pk, t.O.pk]
    for sec, n in ((MembersSection(), 2), (MovementsSection(), 5), (VillagePostsSection(), 1)):
        assert _queries(sec, [t.X.pk]) == n, sec.key
        assert _queries(sec, many) == n, sec.key


# The chart ---------------------------------------------------------------------------------


def test_members_and_admissions_over_ten_years(tree: Tree) -> None:
    with CaptureQueriesContext(connection) as captured:
        (chart,) = MembersSection().series(tree.B.pk, Y2025)
    assert len(captured.captured_queries) == 11  # one per year-end, one for the admissions
    assert chart.key == "members_years"
    assert chart.labels == [str(y) for y in range(2016, 2026)]
    members, admissions = (s["data"] for s in chart.series)
    # 2016-2023: a1 a2 s1 s2 m1 t1 p1 i1 (r1 removed in 2015); 2024: and s3 (t2 in transit);
    # 2025: the year's end.
    assert members == [8] * 8 + [9, 9]
    assert admissions == [0] * 8 + [1, 2]  # s3 in 2024; a3 and r1 in 2025
