"""The dues section of the unit reports: every figure against sums made in the test from the
raw ledger rows (and written out by hand), the same figures for a root alone and with others,
a fixed number of queries, and the rows behind each figure.

Province P; base committees A (cells CA1, CA2) and B (cell CB). CA2 moves from A to B on
01/12/2025: its October and November charges count under A, December's under B.

Charges (đồng) and payments, 2025 unless said:
- an: CA1, 10.000 a month for 10, 11, 12 and 01/2026; October paid in full (05/10); November
  in two parts, 4.000 and 3.000; December overpaid, 15.000 on 20/12; 01/2026 paid in advance
  on 28/12/2025 (its month is outside 2025); 5.000 paid for September, which has no charge.
- binh: CA2, 20.000 for 10, 11, 12; October paid on 10/01/2026 (after 2025 ended), November
  paid 20.000 on 15/11, December in two parts of 10.000 on 05/01 and 06/01/2026 (unpaid in
  2025).
- chau: CA1 in October (10.000, paid), CB from November (8.000 each; November paid 8.000,
  December overpaid in two parts of 5.000): the ledger charged each month to the cell of
  that month.
- gone: CA1, 50.000 for October, in the trash: not counted.
Remittances: A handed up 30.000 for October, 25.000 for November and 40.000 for 01/2026; CA1
handed 9.000 for October to A.
"""

import datetime as dt
import io
import json
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from openpyxl import load_workbook

from chibo.accounts.models import Role
from chibo.core.reporting import Period, section
from chibo.dues.models import DuesCharge, DuesPayment, Remittance
from chibo.dues.paid import refresh
from chibo.dues.reporting import DuesSection
from chibo.org import services as org_services
from chibo.org.models import Kind as UnitKind
from chibo.reports.files import excel, word
from chibo.reports.files.report import collect
from chibo.testing import factories as f

D = dt.date
SECTION = DuesSection()
YEAR = Period.year(2025)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def charge(member, month: dt.date, cell, amount: int) -> None:
    DuesCharge.objects.create(member=member, month=month, cell=cell, amount=amount)


def pay(member, month: dt.date, amount: int, on: dt.date, reference: str = "") -> None:
    DuesPayment.objects.create(
        member=member,
        month=month,
        amount=amount,
        paid_on=on,
        source="treasurer",
        reference=reference,
    )


@pytest.fixture
def ledger(db):
    p = f.unit(UnitKind.PROVINCE, name="Tỉnh P")
    a = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã A")
    b = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã B")
    ca1 = f.unit(UnitKind.CELL, a, name="Chi bộ A1")
    ca2 = f.unit(UnitKind.CELL, a, name="Chi bộ A2")
    cb = f.unit(UnitKind.CELL, b, name="Chi bộ B")
    an = f.member(ca1, full_name="Nguyễn An")
    binh = f.member(ca2, full_name="Trần Bình")
    chau = f.member(ca1, full_name="Lê Châu")
    gone = f.member(ca1, full_name="Đã Xóa")
    oct_, nov, dec, jan = D(2025, 10, 1), D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)
    for month in (oct_, nov, dec, jan):
        charge(an, month, ca1, 10_000)
    pay(an, oct_, 10_000, D(2025, 10, 5))
    pay(an, nov, 4_000, D(2025, 11, 6), "r1")
    pay(an, nov, 3_000, D(2025, 11, 20), "r2")
    pay(an, dec, 15_000, D(2025, 12, 20))
    pay(an, jan, 10_000, D(2025, 12, 28))
    pay(an, D(2025, 9, 1), 5_000, D(2025, 9, 5))
    for month in (oct_, nov, dec):
        charge(binh, month, ca2, 20_000)
    pay(binh, oct_, 20_000, D(2026, 1, 10))
    pay(binh, nov, 20_000, D(2025, 11, 15))
    pay(binh, dec, 10_000, D(2026, 1, 5), "r5")  # December paid in two parts, in 2026
    pay(binh, dec, 10_000, D(2026, 1, 6), "r6")
    charge(chau, oct_, ca1, 10_000)
    pay(chau, oct_, 10_000, D(2025, 10, 8))
    charge(chau, nov, cb, 8_000)
    charge(chau, dec, cb, 8_000)
    pay(chau, nov, 8_000, D(2025, 11, 9))
    pay(chau, dec, 5_000, D(2025, 12, 3), "r3")
    pay(chau, dec, 5_000, D(2025, 12, 4), "r4")
    charge(gone, oct_, ca1, 50_000)
    gone.mark_deleted(None)
    for unit, month, amount in ((a, oct_, 30_000), (a, nov, 25_000), (a, jan, 40_000)):
        Remittance.objects.create(unit=unit, month=month, amount=amount, paid_on=month)
    Remittance.objects.create(unit=ca1, month=oct_, amount=9_000, paid_on=D(2025, 10, 20))
    org_services.orgunit_move(actor=None, unit=ca2, new_parent=b, on=dec)
    refresh(DuesCharge.objects.all())  # what is paid on each charge, as the services keep it
    return {"p": p, "a": a, "b": b, "ca1": ca1, "ca2": ca2, "cb": cb}


# Counted independently: every ledger row, in plain Python ------------------------------------


def above(t, cell_pk: int, month: dt.date) -> set[int]:
    """The units a cell lay under (itself included) on the month's last day, as the test built
    the tree: CA2 under A until 30/11/2025, under B from 01/12/2025."""
    if cell_pk == t["ca2"].pk:
        base = t["a"].pk if month < D(2025, 12, 1) else t["b"].pk
    else:
        base = t["a"].pk if cell_pk == t["ca1"].pk else t["b"].pk
    return {cell_pk, base, t["p"].pk}


def expected(t, root: int, period: Period) -> dict[str, Any]:
    first = period.start.replace(day=1)
    received: dict[tuple[int, dt.date], int] = defaultdict(int)
    for payment in DuesPayment.objects.all():
        if payment.paid_on <= period.end:
            received[(payment.member_id, payment.month)] += payment.amount
    due = paid = arrears = 0
    for c in DuesCharge.objects.select_related("member"):
        if c.member.deleted_at is not None or not first <= c.month <= period.end:
            continue
        if root not in above(t, c.cell_id, c.month):
            continue
        got = received[(c.member_id, c.month)]
        due, paid, arrears = due + c.amount, paid + got, arrears + max(0, c.amount - got)
    remitted = sum(
        r.amount for r in Remittance.objects.filter(unit_id=root) if first <= r.month <= period.end
    )
    return {"due": due, "paid": paid, "arrears": arrears, "remitted": remitted}


KEYS = ("p", "a", "b", "ca1", "ca2", "cb")
PERIODS = (
    YEAR,
    Period.quarter(2025, 4),
    Period.month(2025, 11),
    Period.month(2025, 12),
    Period(D(2025, 11, 15), D(2026, 1, 10)),
    Period.year(2026),
)


def test_registered(db):
    found = section("dues")
    assert found is not None and found.table == ("due", "paid", "arrears", "remitted")


def test_figures_by_hand(ledger):
    t = ledger
    roots = [t[k].pk for k in KEYS]
    for period in PERIODS:
        got = SECTION.figures(roots, period)
        for k in KEYS:
            assert got[t[k].pk] == expected(t, t[k].pk, period), (period, k)
    got = SECTION.figures(roots, YEAR)
    # A: an 30.000 due (paid 10.000 + 7.000 + 15.000, short 3.000 in November); binh's
    # October and November 40.000 (October paid only in 2026: 20.000 short); chau's October
    # 10.000 (paid). Remitted: October and November.
    assert got[t["a"].pk] == {"due": 80_000, "paid": 62_000, "arrears": 23_000, "remitted": 55_000}
    # B: binh's December 20.000 (unpaid), chau's November and December 16.000 (8.000 and
    # 10.000 paid: December's overpayment covers no other month).
    assert got[t["b"].pk] == {"due": 36_000, "paid": 18_000, "arrears": 20_000, "remitted": 0}
    # P: all of it; it remitted nothing itself (A's remittances are A's).
    assert got[t["p"].pk] == {"due": 116_000, "paid": 80_000, "arrears": 43_000, "remitted": 0}
    assert got[t["ca1"].pk]["remitted"] == 9_000
    # A range from 15/11/2025 to 10/01/2026: November, December and January whole; binh's
    # October payment of 10/01/2026 is for a month outside it.
    a = t["a"].pk
    # B over that range: binh's December was paid in two parts by 10/01/2026.
    b = t["b"].pk
    assert SECTION.figures([b], Period(D(2025, 11, 15), D(2026, 1, 10)))[b] == {
        "due": 36_000,
        "paid": 38_000,  # chau 8.000 + 10.000, binh 20.000
        "arrears": 0,
        "remitted": 0,
    }
    assert SECTION.figures([a], Period(D(2025, 11, 15), D(2026, 1, 10)))[a] == {
        "due": 50_000,  # an 10, 11, 12, 01 and binh's November
        "paid": 52_000,  # 7.000 + 15.000 + 10.000 (January, in advance) + binh's 20.000
        "arrears": 3_000,
        "remitted": 65_000,
    }


def test_a_root_counts_the_same_alone_and_together(ledger):
    t = ledger
    roots = [t[k].pk for k in KEYS]
    for period in PERIODS:
        together = SECTION.figures(roots, period)
        for root in roots:
            assert SECTION.figures([root], period)[root] == together[root]


def test_queries_do_not_grow_with_the_roots(ledger):
    t = ledger
    with CaptureQueriesContext(connection) as one:
        SECTION.figures([t["cb"].pk], YEAR)
    with CaptureQueriesContext(connection) as six:
        SECTION.figures([t[k].pk for k in KEYS], YEAR)
    assert len(one) == len(six) == 4


def test_rows_match_the_figures(ledger):
    t = ledger
    a = t["a"].pk
    got = SECTION.figures([a], YEAR)[a]
    due = SECTION.rows("due", root=a, period=YEAR)
    assert due is not None
    cells = [due.row(item) for item in due.items]
    assert sum(c[3] for c in cells) == got["due"]
    assert sum(c[4] for c in cells) == got["paid"]
    assert sum(c[5] for c in cells) == got["arrears"]
    assert [(c[0].text, c[1], c[2].text, c[3], c[4], c[5]) for c in cells] == [
        ("Lê Châu", "10/2025", "Chi bộ A1", 10_000, 10_000, 0),
        ("Nguyễn An", "10/2025", "Chi bộ A1", 10_000, 10_000, 0),
        ("Trần Bình", "10/2025", "Chi bộ A2", 20_000, 0, 20_000),
        ("Nguyễn An", "11/2025", "Chi bộ A1", 10_000, 7_000, 3_000),
        ("Trần Bình", "11/2025", "Chi bộ A2", 20_000, 20_000, 0),
        ("Nguyễn An", "12/2025", "Chi bộ A1", 10_000, 15_000, 0),
    ]
    arrears = SECTION.rows("arrears", root=a, period=YEAR)
    assert arrears is not None
    assert sum(arrears.row(c)[5] for c in arrears.items) == got["arrears"]
    assert len(arrears.items) == 2
    paid = SECTION.rows("paid", root=a, period=YEAR)
    assert paid is not None
    payments = [paid.row(p) for p in paid.items]
    assert sum(p[2] for p in payments) == got["paid"]
    assert len(payments) == 6  # an: 1 + 2 + 1; binh: November; chau: October
    remitted = SECTION.rows("remitted", root=a, period=YEAR)
    assert remitted is not None
    assert [remitted.row(r)[:2] for r in remitted.items] == [
        ["10/2025", 30_000],
        ["11/2025", 25_000],
    ]
    # B, across the move of CA2: December's charge only.
    b_due = SECTION.rows("due", root=t["b"].pk, period=YEAR)
    assert b_due is not None
    assert sum(b_due.row(c)[3] for c in b_due.items) == 36_000
    assert SECTION.rows("due", root=a, period=YEAR, rest=True) is None
    assert SECTION.rows("nothing", root=a, period=YEAR) is None


def test_chart(ledger):
    t = ledger
    (chart,) = SECTION.series(t["p"].pk, Period.quarter(2025, 4))
    assert chart.labels == ["10/2025", "11/2025", "12/2025"]
    due, paid, arrears = (s["data"] for s in chart.series)
    assert due == [40_000, 38_000, 38_000]
    assert paid == [20_000, 35_000, 25_000]
    assert arrears == [20_000, 3_000, 20_000]
    assert SECTION.series(t["p"].pk, Period.year(2024)) == []


# Shown: the JSON of the API and the command, the dashboard, the files ------------------------


def _vi(text: str) -> str:
    with translation.override("vi"):
        return gettext(text)


def test_in_the_json_the_dashboard_and_the_files(ledger, client_for):
    t = ledger
    office = f.user(username="tinh", grants=[(Role.OFFICE, t["p"])])
    c = client_for(office)
    r = c.get(f"/api/v1/reports/summary?org={t['a'].code}&year=2025")
    assert r.status_code == 200
    assert r.json()["dues"] == {
        "due": 80_000,
        "paid": 62_000,
        "arrears": 23_000,
        "remitted": 55_000,
    }
    out = io.StringIO()
    call_command("report", "--org", t["a"].code, "--year", "2025", stdout=out)
    assert json.loads(out.getvalue())["dues"] == r.json()["dues"]

    html = c.get(f"/reports/{t['p'].pk}/?period=2025").content.decode()
    assert 'data-figure="dues.arrears"' in html and "43.000" in html
    assert '"dues_months"' in html
    table = html[html.index('id="subunit-table"') :]
    table = table[: table.index("</table>")]
    for label in ("Dues due (đồng)", "Dues paid for those months (đồng)", "Dues in arrears (đồng)"):
        assert _vi(label) in table
    # A's row: 80.000 due, 23.000 in arrears, 55.000 remitted, each linked to its rows.
    assert f'/reports/{t["a"].pk}/rows/dues/arrears/?period=2025">23.000</a>' in table
    assert f'/reports/{t["a"].pk}/rows/dues/remitted/?period=2025">55.000</a>' in table
    r = c.get(f"/reports/{t['a'].pk}/rows/dues/arrears/?period=2025")
    assert r.status_code == 200
    page = r.content.decode()
    assert "Trần Bình" in page and "Lê Châu" not in page

    report = collect(t["p"], YEAR)
    book = load_workbook(io.BytesIO(excel.workbook(t["p"], YEAR, report=report)))
    with translation.override("vi"):
        title = excel._sheet_title(str(SECTION.title), set())
    grid = [list(row) for row in book[title].iter_rows(values_only=True)]
    figures = {row[1]: row[2] for row in grid if row[1]}
    assert figures[_vi("Dues in arrears (đồng)")] == 43_000
    assert figures[_vi("Dues due (đồng)")] == 116_000
    sub = [list(row) for row in book["Đơn vị trực thuộc"].iter_rows(values_only=True)]
    header = next(row for row in sub if row[0] == "TT")
    a_row = next(row for row in sub if row[0] == 1)  # Xã A, the first sub-unit
    column = header.index(_vi("Dues in arrears (đồng)"))
    assert a_row[column] == 23_000
    doc = Document(
        io.BytesIO(word.report_docx(t["p"], YEAR, number="Số 1", day=D(2026, 1, 5), report=report))
    )
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert any(_vi("Dues in arrears (đồng)") in row and "43.000" in row for row in cells)
    # The sub-units with their dues: in a table of their own when the others fill one.
    heads = [row for row in cells if row[:2] == ["TT", "Đơn vị"]]
    assert any(_vi("Dues handed to the level above (đồng)") in row for row in heads)
    assert all(len(row) <= 2 + 6 for row in heads)


def test_a_large_subtree_counts_the_same(ledger, monkeypatch):
    """Past MAX_LISTED units the charges are read through the closure table and every
    payment of the months is searched for several parts: the same figures."""
    t = ledger
    roots = [t[k].pk for k in KEYS]
    small = {period: SECTION.figures(roots, period) for period in PERIODS}
    monkeypatch.setattr("chibo.dues.reporting.MAX_LISTED", 0)
    for period in PERIODS:
        assert SECTION.figures(roots, period) == small[period]


def test_in_one_report_the_chart_counts_nothing_again(ledger):
    from chibo.core.reporting import one_report

    t = ledger
    with one_report():
        got = SECTION.figures([t["p"].pk, t["a"].pk], YEAR)
        with CaptureQueriesContext(connection) as again:
            (chart,) = SECTION.series(t["a"].pk, YEAR)
    assert len(again) == 0 and sum(chart.series[0]["data"]) == got[t["a"].pk]["due"]
