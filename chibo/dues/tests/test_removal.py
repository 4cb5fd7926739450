"""The removal review's dues half: three months of the year unpaid without a valid reason
list a member (two do not; a waiver is a valid reason), with the months, once with the
missed meetings when on both lists; in the API and on the board."""

import pytest
from django.utils import translation

from chibo.dues import services
from chibo.meetings.models import Presence
from chibo.meetings.queries import removal_review
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f
from chibo.testing.api import call
from chibo.testing.deadlines import held

from .helpers import D, charge, pay

U = Presence.UNEXCUSED


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def listed(review) -> dict[str, tuple[list, list]]:
    return {
        r.full_name: ([m.day for m in r.missed], [(u.month, u.due, u.paid) for u in r.unpaid])
        for r in review.rows
    }


@pytest.fixture
def ledger(world):
    """2025 in cell X01-CB01: each member charged 20.000 đ a month from January to June."""
    names = ("Ba Tháng", "Hai Tháng", "Miễn Phí", "Trả Thiếu", "Đủ Cả")
    m = {n: f.member(world.cell, full_name=n, admitted_on=D(2015, 3, 2)) for n in names}
    for member in m.values():
        for month in range(1, 7):
            charge(member, D(2025, month, 1), 20_000)
    paid = {
        "Ba Tháng": (1, 2, 3),  # April, May, June unpaid
        "Hai Tháng": (1, 2, 3, 4),  # May, June
        "Miễn Phí": (1, 2, 3),  # April-June, but excused April-May
        "Trả Thiếu": (1, 2, 3, 4),  # and 10.000 đ of 20.000 in May and June (below)
        "Đủ Cả": (1, 2, 3, 4, 5, 6),
    }
    for name, months in paid.items():
        for month in months:
            pay(m[name], D(2025, month, 1), 20_000, on=D(2025, month, 5))
    for month in (5, 6):
        pay(m["Trả Thiếu"], D(2025, month, 1), 10_000, on=D(2025, month, 5))
    services.waiver_add(
        member=m["Miễn Phí"], start=D(2025, 4, 1), end=D(2025, 5, 1), reason="Ốm", actor=None
    )
    return m


def test_three_unpaid_months_list_a_member_two_do_not_nor_waived_ones(world, ledger):
    review = removal_review(world.base, 2025, D(2026, 3, 1))
    assert (review.threshold, review.unpaid_threshold, review.as_of) == (3, 3, D(2025, 12, 31))
    assert listed(review) == {
        "Ba Tháng": (
            [],
            [(D(2025, 4, 1), 20_000, 0), (D(2025, 5, 1), 20_000, 0), (D(2025, 6, 1), 20_000, 0)],
        ),
    }
    row = review.rows[0]
    assert (row.unpaid_count, row.count, row.cell_name) == (3, 0, "Chi bộ thôn Đông")
    assert row.unpaid[0].cell_name == "Chi bộ thôn Đông"
    # Paying part of a month leaves it unpaid: a third partly paid month lists the member.
    charge(ledger["Trả Thiếu"], D(2025, 7, 1), 20_000)
    assert set(listed(removal_review(world.base, 2025, D(2026, 3, 1)))) == {
        "Ba Tháng",
        "Trả Thiếu",
    }
    # A month counts once it is over: on 29/06/2025 June is not, on 30/06 it is.
    assert listed(removal_review(world.base, 2025, D(2025, 6, 29))) == {}
    assert set(listed(removal_review(world.base, 2025, D(2025, 6, 30)))) == {"Ba Tháng"}
    # Another year, another commune: nobody.
    assert removal_review(world.base, 2026, D(2026, 3, 1)).rows == []
    assert removal_review(world.other_base, 2025, D(2026, 3, 1)).rows == []
    # Paying a month late (in 2026) takes the member off the 2025 list.
    pay(ledger["Ba Tháng"], D(2025, 4, 1), 20_000, on=D(2026, 1, 10))
    assert set(listed(removal_review(world.base, 2025, D(2026, 3, 1)))) == {"Trả Thiếu"}


def test_a_member_on_both_lists_is_one_row_with_both_reasons(world, ledger):
    m = ledger["Ba Tháng"]
    two = ledger["Hai Tháng"]
    for day in (D(2025, 3, 5), D(2025, 6, 5), D(2025, 9, 5)):
        held(world.cell, day, {m: U, two: U} if day.month != 9 else {m: U})
    review = removal_review(world.cell, 2025, D(2026, 3, 1))
    assert listed(review) == {
        "Ba Tháng": (
            [D(2025, 3, 5), D(2025, 6, 5), D(2025, 9, 5)],
            [(D(2025, 4, 1), 20_000, 0), (D(2025, 5, 1), 20_000, 0), (D(2025, 6, 1), 20_000, 0)],
        ),
    }
    # Two missed meetings and two unpaid months: on neither list.
    assert "Hai Tháng" not in listed(review)
    # A rule of two months (a province's own version) lists the member for the months alone.
    RuleVersion.objects.create(
        effective_from=D(2025, 1, 1), source="Thử", values={"removal_unpaid_months": 2}
    )
    review = removal_review(world.cell, 2025, D(2026, 3, 1))
    assert listed(review)["Hai Tháng"] == (
        [],
        [(D(2025, 5, 1), 20_000, 0), (D(2025, 6, 1), 20_000, 0)],
    )


def test_the_api_and_the_board_show_the_unpaid_months(world, cast, client_for, en, ledger):
    r = call(
        client_for(cast.base_officer),
        "GET",
        f"/deadlines/removal-review?unit={world.base.pk}&year=2025",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["threshold"], body["unpaid_threshold"], body["count"]) == (3, 3, 1)
    item = body["items"][0]
    assert (item["full_name"], item["count"], item["unpaid_count"]) == ("Ba Tháng", 0, 3)
    assert item["unpaid"][0] == {
        "month": "2025-04-01",
        "due": 20_000,
        "paid": 0,
        "cell": world.cell.pk,
        "cell_name": "Chi bộ thôn Đông",
    }
    page = en(cast.base_officer).get(
        f"/deadlines/unit/{world.base.pk}/?on=31/12/2025", headers={"Accept-Language": "en"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 months of dues unpaid:</a> 04/2025, 05/2025, 06/2025" in html
    assert f"/dues/member/{item['member']}/" in html
