"""The badges section of the unit reports: every figure against a count written by hand below,
from awards recorded with the service.

Province P, base committees A (cell CA) and B (cell CB); the year 2025:
- m30: CA, the 30-year badge on 3/2/2025;
- m40: CA, the 40-year badge on 2/9/2025, transferred to CB on 1/10/2025 (after the award,
  before the report): counts in A;
- m55: CB, the 55-year badge on 3/2/2025;
- late: CA, the 30-year badge on 7/11/2024, outside the period;
- came: CB until 1/5/2025, then CA; the 30-year badge on 2/9/2025: counts in A.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chibo.badges.reporting import BadgesSection
from chibo.badges.services import award_record
from chibo.badges.tests.helpers import veteran
from chibo.core.reporting import Period, section
from chibo.members.transfers import member_transfer
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

D = dt.date
YEAR = Period.year(2025)
SECTION = BadgesSection()
# The badge ages of the rules (the data migration's national list), with no award: 0.
AGES = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def award(cell, occasion: dt.date, member, years: int, number: str) -> None:
    award_record(
        unit=cell,
        occasion=occasion,
        awards=[(member, years)],
        decision_number=number,
        decision_on=occasion,
        actor=None,
        as_recorded=True,
    )


@pytest.fixture
def tree(db):
    p = f.unit(UnitKind.PROVINCE, name="Tỉnh P")
    a = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã A")
    b = f.unit(UnitKind.BASE_COMMITTEE, p, name="Xã B")
    ca = f.unit(UnitKind.CELL, a, name="Chi bộ A")
    cb = f.unit(UnitKind.CELL, b, name="Chi bộ B")
    m30 = veteran(ca, D(1994, 1, 1), "Ba Mươi")
    m40 = veteran(ca, D(1984, 1, 1), "Bốn Mươi")
    m55 = veteran(cb, D(1969, 1, 1), "Năm Lăm")
    late = veteran(ca, D(1994, 1, 1), "Muộn")
    came = veteran(cb, D(1994, 1, 1), "Chuyển Đến")
    member_transfer(actor=None, member=came, to_unit=ca, left_on=D(2025, 5, 1))
    award(ca, D(2025, 2, 3), m30, 30, "1-QĐ/TU")
    award(ca, D(2025, 9, 2), m40, 40, "2-QĐ/TU")
    award(cb, D(2025, 2, 3), m55, 55, "3-QĐ/TU")
    award(ca, D(2024, 11, 7), late, 30, "4-QĐ/TU")
    award(ca, D(2025, 9, 2), came, 30, "5-QĐ/TU")
    member_transfer(actor=None, member=m40, to_unit=cb, left_on=D(2025, 10, 1))
    return {"p": p, "a": a, "b": b, "ca": ca, "cb": cb, "m40": m40}


def by_years(**given: int) -> dict[str, int]:
    out = {str(y): 0 for y in AGES}
    out.update({k.removeprefix("y"): n for k, n in given.items()})
    return out


def test_registered(db):
    found = section("badges")
    assert found is not None and found.order == 60
    assert {"awarded", "occasions"} <= set(found.labels)


def test_figures_by_hand(tree):
    p, a, b = tree["p"].pk, tree["a"].pk, tree["b"].pk
    got = SECTION.figures([p, a, b], YEAR)
    # A: m30 (3/2), m40 (2/9, in CA that day), came (2/9, in CA since 1/5): 3 awards on 2 days.
    assert got[a] == {"awarded": 3, "occasions": 2, "by_years": by_years(y30=2, y40=1)}
    # B: m55 (3/2) only: m40 was in A on the occasion, came had left B by then.
    assert got[b] == {"awarded": 1, "occasions": 1, "by_years": by_years(y55=1)}
    # P: all four of 2025; the 2024 award is outside the period.
    assert got[p] == {"awarded": 4, "occasions": 2, "by_years": by_years(y30=2, y40=1, y55=1)}
    # The year before: the 2024 award only, in A.
    before = SECTION.figures([a, b], Period.year(2024))
    assert before[a] == {"awarded": 1, "occasions": 1, "by_years": by_years(y30=1)}
    assert before[b] == {"awarded": 0, "occasions": 0, "by_years": by_years()}


def test_queries_do_not_grow_with_the_roots(tree):
    with CaptureQueriesContext(connection) as one:
        SECTION.figures([tree["p"].pk], YEAR)
    with CaptureQueriesContext(connection) as five:
        SECTION.figures([tree[k].pk for k in ("p", "a", "b", "ca", "cb")], YEAR)
    assert len(one) == len(five) <= 3


def test_rows_match_the_figures(tree):
    a = tree["a"].pk
    got = SECTION.figures([a], YEAR)[a]
    rows = SECTION.rows("awarded", root=a, period=YEAR)
    assert rows is not None
    cells = [rows.row(item) for item in rows.items]
    assert len(cells) == got["awarded"] == 3
    assert [(c[0].text, c[1], c[2], c[3], c[4].text) for c in cells] == [
        ("Ba Mươi", 30, D(2025, 2, 3), "1-QĐ/TU", "Chi bộ A"),
        ("Bốn Mươi", 40, D(2025, 9, 2), "2-QĐ/TU", "Chi bộ A"),  # its cell on the occasion
        ("Chuyển Đến", 30, D(2025, 9, 2), "5-QĐ/TU", "Chi bộ A"),
    ]
    assert cells[1][0].url == f"/members/{tree['m40'].pk}/"
    thirty = SECTION.rows("by_years.30", root=a, period=YEAR)
    assert thirty is not None and len(thirty.items) == got["by_years"]["30"] == 2
    assert SECTION.rows("nothing", root=a, period=YEAR) is None
