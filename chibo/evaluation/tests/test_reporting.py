"""The evaluation section of the unit reports: every figure against counts made in the test
from the raw rating rows (and written out by hand), the same figures for a root alone and
with others, a fixed number of queries, and the rows behind each figure.

Province P; base committees A (cells CA1 rural, CA2 school) and B (cell CB urban). CA2 moves
from A to B on 01/03/2026, after the 2025 ratings: its 2025 ratings stay with A.

2025, campaign of A (published): members of CA1: excellent, good, complete, one not rated
(a rule's code), one with no level decided yet, one in the trash (excellent); members of CA2:
excellent, incomplete, and `moved`, rated in CA2 then transferred to CB in 2026 (good). Units:
CA1 excellent, CA2 good.
2025, campaign of P (published): A excellent, B good; P itself rated good by its own parent's
campaign (it is the root of the tree: not counted in its own report).
2025, campaign of B (not published): a member of CB excellent, CB complete: not counted.
2024, campaign of A imported from Excel (history, no publication date): a member of CA1 good,
CA1 complete.
"""

import datetime as dt
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from docx import Document
from openpyxl import load_workbook

from chibo.accounts.models import Role
from chibo.core.reporting import Period, section, share
from chibo.evaluation.models import Campaign, Evaluation
from chibo.evaluation.reporting import EvaluationSection
from chibo.members.transfers import member_transfer
from chibo.org import services as org_services
from chibo.org.models import CellType
from chibo.org.models import Kind as UnitKind
from chibo.reports.files import excel, word
from chibo.reports.files.report import collect
from chibo.testing import factories as f

D = dt.date
SECTION = EvaluationSection()
LEVELS = ("excellent", "good", "complete", "incomplete")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def campaign(unit, year: int, *, published: bool = True, imported: bool = False) -> Campaign:
    return Campaign.objects.create(
        unit=unit,
        year=year,
        regulation="124-QĐ/TW",
        self_due=D(year, 12, 1),
        cell_due=D(year, 12, 10),
        decision_due=D(year, 12, 20),
        publish_due=D(year, 12, 31),
        imported=imported,
        published_at=timezone.now() if published else None,
    )


def rate(c: Campaign, *, member=None, unit=None, cell=None, level="", not_rated="", score=None):
    return Evaluation.objects.create(
        campaign=c,
        year=c.year,
        member=member,
        unit=unit,
        cell=cell if member is not None else None,
        level=level,
        not_rated=not_rated,
        score=score,
    )


@pytest.fixture
def tree(db):
    p = f.unit(UnitKind.PROVINCE, name="Tỉnh P")
    a = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã A")
    b = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã B")
    ca1 = f.unit(UnitKind.CELL, a, name="Chi bộ A1", cell_type=CellType.RURAL)
    ca2 = f.unit(UnitKind.CELL, a, name="Chi bộ A2", cell_type=CellType.SCHOOL)
    cb = f.unit(UnitKind.CELL, b, name="Chi bộ B", cell_type=CellType.URBAN)
    members = {
        name: f.member(cell, full_name=name, admitted_on=D(2010, 5, 19))
        for name, cell in (
            ("A1 Xuất Sắc", ca1),
            ("A1 Tốt", ca1),
            ("A1 Hoàn Thành", ca1),
            ("A1 Mới", ca1),
            ("A1 Chưa", ca1),
            ("A1 Thùng Rác", ca1),
            ("A2 Xuất Sắc", ca2),
            ("A2 Không", ca2),
            ("A2 Chuyển", ca2),
            ("B Nháp", cb),
        )
    }
    m = members
    ca = campaign(a, 2025)
    rate(ca, member=m["A1 Xuất Sắc"], cell=ca1, level="excellent", score=92)
    rate(ca, member=m["A1 Tốt"], cell=ca1, level="good", score=80)
    rate(ca, member=m["A1 Hoàn Thành"], cell=ca1, level="complete")
    rate(ca, member=m["A1 Mới"], cell=ca1, not_rated="admitted_recently")
    rate(ca, member=m["A1 Chưa"], cell=ca1)
    rate(ca, member=m["A1 Thùng Rác"], cell=ca1, level="excellent")
    rate(ca, member=m["A2 Xuất Sắc"], cell=ca2, level="excellent")
    rate(ca, member=m["A2 Không"], cell=ca2, level="incomplete")
    rate(ca, member=m["A2 Chuyển"], cell=ca2, level="good")
    rate(ca, unit=ca1, level="excellent")
    rate(ca, unit=ca2, level="good")
    cp = campaign(p, 2025)
    rate(cp, unit=a, level="excellent")
    rate(cp, unit=b, level="good")
    rate(cp, unit=p, level="good")
    draft = campaign(b, 2025, published=False)
    rate(draft, member=m["B Nháp"], cell=cb, level="excellent")
    rate(draft, unit=cb, level="complete")
    old = campaign(a, 2024, published=False, imported=True)
    rate(old, member=m["A1 Xuất Sắc"], cell=ca1, level="good")
    rate(old, unit=ca1, level="complete")
    m["A1 Thùng Rác"].mark_deleted(None)
    member_transfer(actor=None, member=m["A2 Chuyển"], to_unit=cb, left_on=D(2026, 2, 1))
    org_services.orgunit_move(actor=None, unit=ca2, new_parent=b, on=D(2026, 3, 1))
    return {"p": p, "a": a, "b": b, "ca1": ca1, "ca2": ca2, "cb": cb, "m": members}


# Counted independently: the raw rows, filtered and placed by the test's own reading --------


def parent_on_31_12(tree, unit_pk: int, year: int) -> list[int]:
    """The units above (and including) a unit on 31/12 of `year`, as the test built the tree
    (CA2 moved to B only in 2026)."""
    t = tree
    up = {
        t["ca1"].pk: [t["ca1"].pk, t["a"].pk, t["p"].pk],
        t["ca2"].pk: [t["ca2"].pk, t["a"].pk, t["p"].pk],
        t["cb"].pk: [t["cb"].pk, t["b"].pk, t["p"].pk],
        t["a"].pk: [t["a"].pk, t["p"].pk],
        t["b"].pk: [t["b"].pk, t["p"].pk],
        t["p"].pk: [t["p"].pk],
    }
    return up[unit_pk]


def expected(tree, root: int, years: list[int]) -> dict[str, Any]:
    """The figures from every Evaluation row, filtered and counted in plain Python."""
    counts: dict[str, Counter] = {"members": Counter(), "units": Counter()}
    for e in Evaluation.objects.select_related("campaign", "member", "unit"):
        if e.year not in years or not e.level or e.not_rated:
            continue
        if e.campaign.published_at is None and not e.campaign.imported:
            continue
        if e.member is not None:
            if e.member.deleted_at is not None:
                continue
            if root in parent_on_31_12(tree, e.cell_id, e.year):
                counts["members"][e.level] += 1
        elif root in parent_on_31_12(tree, e.unit_id, e.year)[1:]:  # strictly below
            counts["units"][e.level] += 1
    out = {}
    for who, c in counts.items():
        rated = sum(c.values())
        out[who] = {"rated": rated, **{lv: share(c[lv], rated) for lv in LEVELS}}
    return out


def block(rated: int, **levels: int) -> dict[str, Any]:
    return {"rated": rated, **{lv: share(levels.get(lv, 0), rated) for lv in LEVELS}}


def test_registered(db):
    found = section("evaluation")
    assert found is not None and found.title
    assert {"members.rated", "members.excellent", "units.rated", "units.incomplete"} <= set(
        found.labels
    )


def test_figures_by_hand(tree):
    t = tree
    keys = ("p", "a", "b", "ca1", "ca2", "cb")
    roots = [t[k].pk for k in keys]
    year = Period.year(2025)
    got = SECTION.figures(roots, year)
    for k in keys:
        assert got[t[k].pk] == expected(t, t[k].pk, [2025]), k
    # Written out: A has its five rated members of CA1 and CA2 (the moved one where rated);
    # its two cells rated; P has A's members and the two base committees and two cells.
    assert got[t["a"].pk] == {
        "members": block(6, excellent=2, good=2, complete=1, incomplete=1),
        "units": block(2, excellent=1, good=1),
    }
    assert got[t["p"].pk] == {
        "members": block(6, excellent=2, good=2, complete=1, incomplete=1),
        "units": block(4, excellent=2, good=2),
    }
    assert got[t["p"].pk]["members"]["excellent"] == {"count": 2, "of": 6, "percent": 33.33}
    # B: its draft campaign counts nothing; CA2 was not B's on 31/12/2025.
    assert got[t["b"].pk] == {"members": block(0), "units": block(0)}
    assert got[t["b"].pk]["units"]["excellent"] == {"count": 0, "of": 0, "percent": None}
    # A cell: its members; no unit below it (its own rating is A's to count).
    assert got[t["ca2"].pk] == {
        "members": block(3, excellent=1, good=1, incomplete=1),
        "units": block(0),
    }


def test_the_period_counts_the_ratings_of_its_years(tree):
    t = tree
    a = t["a"].pk
    # The imported 2024 history counts (no publication date: imported is published).
    y2024 = SECTION.figures([a], Period.year(2024))[a]
    assert y2024 == expected(t, a, [2024])
    assert y2024 == {"members": block(1, good=1), "units": block(1, complete=1)}
    # A quarter or a month counts the ratings of its year.
    assert (
        SECTION.figures([a], Period.quarter(2025, 1))[a]
        == SECTION.figures([a], Period.year(2025))[a]
    )
    assert SECTION.figures([a], Period.month(2025, 12))[a]["members"]["rated"] == 6
    # A range over two years: both years' ratings.
    both = SECTION.figures([a], Period(D(2024, 7, 1), D(2025, 6, 30)))[a]
    assert both == expected(t, a, [2024, 2025])
    assert both["members"] == block(7, excellent=2, good=3, complete=1, incomplete=1)
    assert SECTION.figures([a], Period.year(2023))[a] == {
        "members": block(0),
        "units": block(0),
    }


def test_publication_makes_ratings_count(tree):
    t = tree
    b = t["b"].pk
    draft = Campaign.objects.get(unit=t["b"], year=2025)
    draft.published_at = timezone.now()
    draft.save()
    got = SECTION.figures([b, t["p"].pk], Period.year(2025))
    assert got[b] == expected(t, b, [2025])
    assert got[b]["members"] == block(1, excellent=1)
    assert got[b]["units"] == block(1, complete=1)
    assert got[t["p"].pk]["units"]["rated"] == 5


def test_a_root_counts_the_same_alone_and_together(tree):
    t = tree
    roots = [t[k].pk for k in ("p", "a", "b", "ca1", "ca2", "cb")]
    for period in (Period.year(2025), Period(D(2024, 1, 1), D(2025, 12, 31))):
        together = SECTION.figures(roots, period)
        for root in roots:
            assert SECTION.figures([root], period)[root] == together[root]


def test_queries_do_not_grow_with_the_roots(tree):
    t = tree
    year = Period.year(2025)
    with CaptureQueriesContext(connection) as one:
        SECTION.figures([t["ca1"].pk], year)
    with CaptureQueriesContext(connection) as six:
        SECTION.figures([t[k].pk for k in ("p", "a", "b", "ca1", "ca2", "cb")], year)
    with CaptureQueriesContext(connection) as years:
        SECTION.figures([t["p"].pk], Period(D(2020, 1, 1), D(2025, 12, 31)))
    assert len(one) == len(six) == len(years) == 2


def test_rows_match_the_figures(tree):
    t = tree
    a, year = t["a"].pk, Period.year(2025)
    got = SECTION.figures([a], year)[a]
    rows = SECTION.rows("members.rated", root=a, period=year)
    assert rows is not None
    cells = [rows.row(item) for item in rows.items]
    assert len(cells) == got["members"]["rated"] == 6
    by_name = {c[0].text: c for c in cells}
    moved = by_name["A2 Chuyển"]
    assert (moved[1], moved[2].text, moved[3]) == (2025, "Chi bộ A2", "Well completed duties")
    assert moved[0].url == f"/members/{t['m']['A2 Chuyển'].pk}/"
    assert by_name["A1 Xuất Sắc"][4] == 92
    for level in LEVELS:
        listed = SECTION.rows(f"members.{level}", root=a, period=year)
        rest = SECTION.rows(f"members.{level}", root=a, period=year, rest=True)
        assert listed is not None and rest is not None
        assert len(listed.items) == got["members"][level]["count"]
        assert len(rest.items) == 6 - got["members"][level]["count"]
    units = SECTION.rows("units.rated", root=a, period=year)
    assert units is not None
    assert sorted((r[0].text, r[2]) for r in map(units.row, units.items)) == [
        ("Chi bộ A1", "Excellently completed duties"),
        ("Chi bộ A2", "Well completed duties"),
    ]
    p_units = SECTION.rows("units.excellent", root=t["p"].pk, period=year)
    assert p_units is not None
    assert sorted(r[0].text for r in map(p_units.row, p_units.items)) == ["Chi bộ A1", "Xã A"]
    assert SECTION.rows("members.rated", root=a, period=year, rest=True) is None
    assert SECTION.rows("members.nothing", root=a, period=year) is None
    assert SECTION.rows("other.rated", root=a, period=year) is None


def test_by_cell_type(tree):
    t = tree
    p, year = t["p"].pk, Period.year(2025)
    members, units = SECTION.breakdowns(p, year)
    assert members.key == "members_by_cell_type" and units.key == "units_by_cell_type"
    # Members: CA1 rural (excellent, good, complete), CA2 school (excellent, incomplete, good).
    assert list(members.parts) == ["rural", "school"]
    assert members.parts["rural"][1] == block(3, excellent=1, good=1, complete=1)
    assert members.parts["school"][1] == block(3, excellent=1, good=1, incomplete=1)
    assert str(members.parts["school"][0]) == "School"
    # Units: the two cells by their type, the base committees with none.
    assert list(units.parts) == ["rural", "school", "none"]
    assert units.parts["none"][1] == block(2, excellent=1, good=1)
    assert members.value("members_by_cell_type.school.excellent") == share(1, 3)
    assert members.value("members_by_cell_type.health.excellent") is None
    # The parts add up to the figures.
    got = SECTION.figures([p], year)[p]
    assert sum(part[1]["rated"] for part in units.parts.values()) == got["units"]["rated"]
    # Their rows.
    rows = SECTION.rows("members_by_cell_type.school.excellent", root=p, period=year)
    assert rows is not None
    assert [r[0].text for r in map(rows.row, rows.items)] == ["A2 Xuất Sắc"]
    rows = SECTION.rows("units_by_cell_type.none.rated", root=p, period=year)
    assert rows is not None and len(rows.items) == 2
    assert SECTION.rows("members_by_cell_type.spaceship.rated", root=p, period=year) is None


def test_sentence_and_chart(tree):
    t = tree
    year = Period.year(2025)
    p = t["p"].pk
    got = SECTION.figures([p], year)[p]
    assert SECTION.sentence(got) == (
        "2 party organisations excellently completed their duties (50,00%); "
        "2 members excellently completed their duties (33,33% of those rated)"
    )
    nothing = SECTION.figures([t["b"].pk], year)[t["b"].pk]
    assert SECTION.sentence(nothing) == ""
    (chart,) = SECTION.series(p, year)
    assert chart.labels == [
        "Excellently completed duties",
        "Well completed duties",
        "Completed duties",
        "Did not complete duties",
    ]
    assert [s["data"] for s in chart.series] == [
        [33.33, 33.33, 16.67, 16.67],
        [50.0, 50.0, 0.0, 0.0],
    ]
    assert SECTION.series(t["b"].pk, year) == []


def _vi(text: str) -> str:
    """A label as the files write it, in Vietnamese (the catalogue's, once it has it)."""
    with translation.override("vi"):
        return gettext(text)


def _sheet(title: str) -> str:
    return excel._sheet_title(title, set())


# Shown: the JSON of the API and the command, the dashboard, the rows page, the files --------


@pytest.fixture
def office(tree):
    return f.user(username="tinh", grants=[(Role.OFFICE, tree["p"])])


def test_in_the_json_of_the_api_and_the_command(tree, office, client_for):
    t = tree
    r = client_for(office).get(f"/api/v1/reports/summary?org={t['a'].code}&year=2025")
    assert r.status_code == 200
    body = r.json()
    assert body["evaluation"] == SECTION.figures([t["a"].pk], Period.year(2025))[t["a"].pk]
    assert body["evaluation"]["members"]["excellent"] == {"count": 2, "of": 6, "percent": 33.33}
    assert set(body["evaluation"]) == {"members", "units"}
    assert set(body["evaluation"]["units"]) == {"rated", *LEVELS}
    out = io.StringIO()
    call_command("report", "--org", t["a"].code, "--year", "2025", stdout=out)
    assert json.loads(out.getvalue())["evaluation"] == body["evaluation"]


def test_on_the_dashboard(tree, office, client_for):
    t = tree
    c = client_for(office)
    r = c.get(f"/reports/{t['p'].pk}/?period=2025")
    assert r.status_code == 200
    html = r.content.decode()  # in Vietnamese, the reader's language
    with translation.override("vi"):
        sentence = SECTION.sentence(SECTION.figures([t["p"].pk], Period.year(2025))[t["p"].pk])
    assert f'data-sentence="evaluation">{sentence}.</p>' in html
    # The cards, the chart, the table by cell type with its links, the sub-units' columns.
    assert 'data-figure="evaluation.units.excellent"' in html
    assert '"evaluation_levels"' in html
    table = html[html.index('id="breakdown-members_by_cell_type"') :]
    table = table[: table.index("</table>")]
    assert _vi("School") in table and "1/3 (33,33%)" in table
    link = f"/reports/{t['p'].pk}/rows/evaluation/members_by_cell_type.school.excellent/"
    assert link in table
    subunits = html[html.index('id="subunit-table"') :]
    members_excellent = _vi("Members rated: excellently completed duties")
    assert members_excellent in subunits
    # The base committee's sub-units are cells: no organisation is rated inside a cell, so
    # the column of organisations is left out of its table.
    html = c.get(f"/reports/{t['a'].pk}/?period=2025").content.decode()
    subunits = html[html.index('id="subunit-table"') :]
    subunits = subunits[: subunits.index("</table>")]
    assert _vi("Party organisations rated: excellently completed duties") not in subunits
    assert members_excellent in subunits
    # The rows behind a cell of the table by cell type.
    r = c.get(f"{link}?period=2025")
    assert r.status_code == 200
    page = r.content.decode()
    assert "A2 Xuất Sắc" in page and "A1 Xuất Sắc" not in page
    label = ": ".join(
        _vi(text)
        for text in (
            "Members rated, by the type of their cell",
            "School",
            "Excellently completed duties",
        )
    )
    assert f'<h1 class="h4 mb-1">{label}</h1>' in page
    r = c.get(f"/reports/{t['p'].pk}/rows/evaluation/members.excellent/?period=2025&rest=1")
    assert r.status_code == 200 and "A1 Tốt" in r.content.decode()
    unknown = f"/reports/{t['p'].pk}/rows/evaluation/members_by_cell_type.x.rated/?period=2025"
    assert c.get(unknown).status_code == 404
    outsider = f.user(username="ngoai", grants=[(Role.OFFICE, t["b"])])
    assert client_for(outsider).get(f"{link}?period=2025").status_code == 404


def test_in_the_files(tree):
    t = tree
    report = collect(t["p"], Period.year(2025))
    with translation.override("vi"):
        title = str(SECTION.title)
    book = load_workbook(io.BytesIO(excel.workbook(t["p"], Period.year(2025), report=report)))
    ws = book[_sheet(title)]
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    rows = {row[1]: row for row in grid if row[1]}
    # Each level: its count, of those rated, its percentage.
    members_rated = next(
        r for label, r in rows.items() if str(label).startswith(_vi("Members rated"))
    )
    assert members_rated[2] == 6
    excellent = rows[_vi("Members rated: excellently completed duties")]
    assert excellent[2:5] == [2, 6, pytest.approx(0.3333)]
    # The table by cell type under the figures: rated, then each level as count and share.
    school = next(r for r in grid if r[1] == _vi("School"))
    assert school[2:5] == [3, 1, pytest.approx(0.3333)]
    doc = Document(
        io.BytesIO(
            word.report_docx(
                t["p"], Period.year(2025), number="Số 01", day=D(2026, 1, 5), report=report
            )
        )
    )
    texts = [p.text for p in doc.paragraphs]
    with translation.override("vi"):
        sentence = SECTION.sentence(report.of(t["p"], SECTION))
    assert f"{sentence}." in texts
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["2", _vi("Members rated: excellently completed duties"), "2/6 (33,33%)"] in cells
    assert any(row[0] == _vi("School") and "1/3 (33,33%)" in row for row in cells)


def test_a_large_subtree_counts_the_same(tree, monkeypatch):
    """Past MAX_LISTED units the ratings are found through the closure table: the same."""
    t = tree
    roots = [t[k].pk for k in ("p", "a", "b", "ca1", "ca2", "cb")]
    period = Period(D(2024, 1, 1), D(2025, 12, 31))
    small = SECTION.figures(roots, period)
    monkeypatch.setattr("chibo.evaluation.reporting.MAX_LISTED", 0)
    assert SECTION.figures(roots, period) == small


def test_in_one_report_the_chart_and_tables_count_nothing_again(tree):
    from chibo.core.reporting import one_report

    t = tree
    year = Period.year(2025)
    with one_report():
        SECTION.figures([t["p"].pk, t["a"].pk], year)
        with CaptureQueriesContext(connection) as again:
            SECTION.series(t["p"].pk, year)
            SECTION.breakdowns(t["p"].pk, year)
    assert len(again) == 0
