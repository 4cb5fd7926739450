"""The ledger's reads keep a fixed number of queries whatever the size of the unit, and
their figures match counts worked out by hand from the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.dues import queries, services
from chibo.dues.models import Area, Category, DuesCharge, DuesPayment
from chibo.testing import factories as f

from .helpers import D, basis, pay

MARCH = D(2026, 3, 1)


def grow(world, n: int) -> None:
    """n more members in each cell of the commune, each with a basis, charged January to
    March 2026, paying January."""
    for cell in (world.cell, world.cell2):
        for _ in range(n):
            m = f.member(cell)
            basis(m, D(2025, 1, 1), Category.OTHER, None, Area.AREA1)
    for month in (D(2026, 1, 1), D(2026, 2, 1), MARCH):
        services.charges_post(month=month, unit=world.base, actor=None)
    for charge in DuesCharge.objects.filter(month=D(2026, 1, 1)):
        pay(charge.member, charge.month, charge.amount, on=D(2026, 1, 5))


def counted(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def reads(world) -> dict[str, int]:
    member = DuesCharge.objects.filter(cell=world.cell).first().member
    return {
        "cell_month": counted(lambda: queries.cell_month(world.cell, MARCH)),
        "arrears_under": counted(lambda: queries.arrears_under(world.province, D(2026, 4, 1))),
        "cells_month": counted(lambda: queries.cells_month(world.province, MARCH)),
        "without_basis": counted(lambda: queries.without_basis(world.province, MARCH)),
        "member_ledger": counted(lambda: queries.member_ledger(member, D(2026, 4, 1))),
    }


def test_queries_do_not_grow_with_the_unit(world):
    grow(world, 2)
    small = reads(world)
    grow(world, 6)
    assert reads(world) == small


def test_figures_against_the_rows(world):
    grow(world, 3)
    f.member(world.cell, full_name="Không Căn Cứ")
    # By hand: every member charged 10.000 đ for Jan-Mar, paid January only.
    charged = DuesCharge.objects.filter(month=MARCH).count()
    assert charged == 6
    cells = queries.cells_month(world.base, MARCH)
    assert sum(c.members for c in cells) == charged
    assert sum(c.due for c in cells) == 10_000 * charged
    assert sum(c.paid for c in cells) == 0
    arrears = queries.arrears_under(world.base, D(2026, 4, 1))
    assert len(arrears) == charged and {a.owed for a in arrears} == {20_000}
    assert {a.months for a in arrears} == {2}
    paid = DuesPayment.objects.count()
    assert paid == charged
    month = queries.cell_month(world.cell, MARCH)
    assert {r.full_name for r in month.without_basis} >= {"Không Căn Cứ"}
    names = {r.full_name for r in queries.without_basis(world.base, MARCH)}
    assert "Không Căn Cứ" in names and "Nguyễn Văn Hùng" in names
