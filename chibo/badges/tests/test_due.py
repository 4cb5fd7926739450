"""Who is due a badge on an occasion: every list against members counted by hand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.badges.models import BadgeAward
from chibo.badges.queries.due import Reason, due_counts, due_list
from chibo.members import services as ms
from chibo.members.models import EventKind, ExemptionReason, Member, MemberEvent
from chibo.members.transfers import member_transfer
from chibo.rules.calendar import add_months
from chibo.rules.models import RuleVersion

from .helpers import D, awarded, event, ill, veteran

FEB3 = D(2026, 2, 3)  # 3/2/2026


def names(rows) -> set[str]:
    return {r.full_name for r in rows}


def listing(unit, on=FEB3):
    return due_list(unit, on)


def test_due_on_the_day_of_the_milestone_not_the_day_after(world):
    veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")  # 30 years on 3/2/2026
    veteran(world.cell, D(1996, 2, 2), "Hơn Một Ngày")  # 30 years on 2/2/2026
    late = veteran(world.cell2, D(1996, 2, 4), "Thiếu Một Ngày")  # 30 years on 4/2/2026
    veteran(world.other_cell, D(1996, 1, 1), "Đơn Vị Khác")  # another base committee
    result = listing(world.base)
    assert [(y, names(rows)) for y, rows in result.groups] == [(30, {"Đúng Ngày", "Hơn Một Ngày"})]
    row = result.find(result.due[0].member_id)
    assert row is not None and row.cell_id == world.cell.pk and row.reason == Reason.DUE
    assert {r.qualifies_on for r in result.due} == {D(2026, 2, 3), D(2026, 2, 2)}
    # The next occasion, 19/5/2026, catches the one a day short (the others are still due).
    later = listing(world.base, D(2026, 5, 19))
    assert names(later.due) == {"Đúng Ngày", "Hơn Một Ngày", "Thiếu Một Ngày"}
    assert later.find(late.pk).qualifies_on == D(2026, 2, 4)
    # The province sees the other base committee too; one cell sees its own.
    assert len(listing(world.province).due) == 3
    assert names(listing(world.cell2, D(2026, 5, 19)).due) == {"Thiếu Một Ngày"}


def test_highest_milestone_and_awards_already_recorded(world):
    forty = veteran(world.cell, D(1986, 1, 1), "Bốn Mươi Có Ba Mươi")
    awarded(forty, 30, D(2016, 2, 3))
    done = veteran(world.cell, D(1986, 1, 1), "Đã Có Bốn Mươi")
    awarded(done, 40, D(2026, 1, 1))
    veteran(world.cell, D(1985, 6, 1), "Chưa Có Huy Hiệu Nào")  # 40 years: due 40, not 30
    veteran(world.cell, D(1980, 11, 7), "Bốn Lăm")  # 45 years on 7/11/2025
    result = listing(world.cell)
    assert [(y, names(rows)) for y, rows in result.groups] == [
        (40, {"Bốn Mươi Có Ba Mươi", "Chưa Có Huy Hiệu Nào"}),
        (45, {"Bốn Lăm"}),
    ]


def test_member_out_of_the_party_on_the_day_is_not_listed(world):
    m = veteran(world.cell, D(1990, 1, 1), "Bị Xóa Tên")
    event(m, EventKind.REMOVED, D(2025, 1, 1))
    assert listing(world.cell).rows == []
    gone = veteran(world.cell, D(1990, 1, 1), "Chuyển Đi")
    member_transfer(actor=None, member=gone, to_unit=world.other_cell, left_on=D(2026, 1, 10))
    assert listing(world.cell).rows == []
    assert names(listing(world.other_cell).due) == {"Chuyển Đi"}
    # Before the transfer the member was in the first cell.
    assert names(listing(world.cell, D(2025, 11, 7)).due) == {"Chuyển Đi"}


def test_early_for_serious_illness_within_and_just_outside(world):
    # 30-65 years: up to 12 months early; 70-90: up to 24 months.
    ill(veteran(world.cell, D(1997, 2, 3), "Ốm Đủ Mười Hai Tháng"), D(2025, 12, 1))
    ill(veteran(world.cell, D(1997, 2, 4), "Ốm Quá Một Ngày"), D(2025, 12, 1))
    seventy = veteran(world.cell, D(1958, 2, 3), "Ốm Bảy Mươi")
    awarded(seventy, 65, D(2023, 2, 3))
    ill(seventy, D(2025, 1, 1))
    past = veteran(world.cell, D(1958, 2, 4), "Ốm Bảy Mươi Quá Một Ngày")
    awarded(past, 65, D(2023, 5, 19))
    ill(past, D(2025, 1, 1))
    ill(
        veteran(world.cell, D(1997, 2, 3), "Miễn Vì Tuổi Cao"),
        D(2025, 12, 1),
        reason=ExemptionReason.OLD_AGE,
    )
    ill(veteran(world.cell, D(1997, 2, 3), "Đã Hết Ốm"), D(2025, 6, 1), D(2026, 2, 2))
    ill(veteran(world.cell, D(1997, 2, 3), "Ốm Đến Đúng Ngày"), D(2025, 6, 1), D(2026, 2, 3))
    ill(veteran(world.cell, D(1996, 1, 1), "Ốm Mà Đã Đủ"), D(2025, 6, 1))
    result = listing(world.cell)
    assert names(result.early) == {"Ốm Đủ Mười Hai Tháng", "Ốm Bảy Mươi", "Ốm Đến Đúng Ngày"}
    assert {(r.full_name, r.years, r.qualifies_on) for r in result.early} == {
        ("Ốm Đủ Mười Hai Tháng", 30, D(2027, 2, 3)),
        ("Ốm Bảy Mươi", 70, D(2028, 2, 3)),
        ("Ốm Đến Đúng Ngày", 30, D(2027, 2, 3)),
    }
    assert names(result.due) == {"Ốm Mà Đã Đủ"}  # reached already: due, not early
    assert len(result.rows) == 4


@pytest.mark.parametrize("total", [1, 10**9], ids=["deaths-first", "members-first"])
def test_posthumous(world, monkeypatch, total):
    """The same hand counts whether the list starts from the window's deaths (a subtree that
    is a large part of the database) or from the subtree's members."""
    from chibo.org import subtree

    monkeypatch.setattr(subtree, "unit_total", lambda: total)

    # The window: died from 3/2/2025 to 3/2/2026; the badge falls at most 12 months after death.
    def died(name, admitted, on, cell=world.cell):
        m = veteran(cell, admitted, name)
        event(m, EventKind.DECEASED, on)
        return m

    died("Mất Đã Đủ", D(1995, 6, 1), D(2025, 3, 1))  # 30 on 1/6/2025
    died("Mất Đủ Đúng Mười Hai Tháng", D(1996, 3, 1), D(2025, 3, 1))  # 30 on 1/3/2026
    died("Mất Thiếu Một Ngày", D(1996, 3, 2), D(2025, 3, 1))  # 30 on 2/3/2026
    died("Mất Quá Lâu", D(1995, 6, 1), D(2025, 2, 2))  # died before the window
    died("Mất Đầu Cửa Sổ", D(1990, 1, 1), D(2025, 2, 3))  # on its first day
    died("Mất Ở Đơn Vị Khác", D(1990, 1, 1), D(2025, 3, 1), cell=world.other_cell)
    after_gap = died("Mất Sau Khi Tái Kết Nạp", D(1994, 6, 1), D(2025, 6, 1))
    # Out of the Party from 1/1/2000 to 2/1/2002: 366 + 365 + 1 = 732 days, so party age
    # counts from 1/6/1994 + 732 days = 2/6/1996: 30 years on 2/6/2026, a day too late.
    event(after_gap, EventKind.REMOVED, D(2000, 1, 1))
    event(after_gap, EventKind.READMITTED, D(2002, 1, 2))
    with CaptureQueriesContext(connection) as ctx:
        result = listing(world.base)
    # The posthumous query: the window's deaths by day (`date >= ...`), or the placements.
    (window,) = [q["sql"] for q in ctx.captured_queries if 'AS "death"' in q["sql"]]
    assert ('"date" >= ' in window) == (total == 1), window
    assert {(r.full_name, r.years, r.death_on) for r in result.posthumous} == {
        ("Mất Đã Đủ", 30, D(2025, 3, 1)),
        ("Mất Đủ Đúng Mười Hai Tháng", 30, D(2025, 3, 1)),
        ("Mất Đầu Cửa Sổ", 30, D(2025, 2, 3)),  # 35 years: 30 is the highest badge reached
    }
    assert all(r.cell_id == world.cell.pk for r in result.posthumous)
    assert result.due == [] and result.early == []
    assert names(listing(world.other_base).posthumous) == {"Mất Ở Đơn Vị Khác"}
    # The province starts from the periods rather than the placements: the same people.
    assert names(listing(world.province).posthumous) == {
        "Mất Đã Đủ",
        "Mất Đủ Đúng Mười Hai Tháng",
        "Mất Đầu Cửa Sổ",
        "Mất Ở Đơn Vị Khác",
    }
    # One day less out of the Party and the badge falls exactly 12 months after the death.
    readmitted = MemberEvent.objects.get(member=after_gap, kind=EventKind.READMITTED)
    ms.event_update(actor=None, event=readmitted, date=D(2002, 1, 1))
    assert "Mất Sau Khi Tái Kết Nạp" in names(listing(world.base).posthumous)


@pytest.mark.parametrize(
    ("kind", "months"),
    [(EventKind.REPRIMAND, 6), (EventKind.WARNING, 9), (EventKind.DISMISSAL, 12)],
)
def test_discipline_wait_ends_on_the_exact_day(world, kind, months):
    waited = veteran(world.cell, D(1996, 1, 1), "Đã Chờ Đủ")
    event(waited, kind, add_months(FEB3, -months))  # e.g. reprimand 3/8/2025: free on 3/2/2026
    waiting = veteran(world.cell, D(1996, 1, 1), "Còn Phải Chờ")
    decided = add_months(FEB3, -months) + dt.timedelta(days=1)
    event(waiting, kind, decided)
    result = listing(world.cell)
    assert names(result.due) == {"Đã Chờ Đủ"}
    assert [(r.full_name, r.held_until, r.held_by) for r in result.held] == [
        ("Còn Phải Chờ", D(2026, 2, 4), kind)
    ]


def test_held_back_until_the_longest_wait(world):
    m = veteran(world.cell, D(1996, 1, 1), "Hai Lần Kỷ Luật")
    event(m, EventKind.WARNING, D(2025, 12, 1))  # free on 1/9/2026
    event(m, EventKind.REPRIMAND, D(2026, 1, 1))  # free on 1/7/2026
    sick = veteran(world.cell, D(1997, 1, 1), "Ốm Bị Cảnh Cáo")
    ill(sick, D(2025, 1, 1))
    event(sick, EventKind.WARNING, D(2025, 6, 1))  # free on 1/3/2026
    result = listing(world.cell)
    assert {(r.full_name, r.held_until, r.held_by, r.reason) for r in result.held} == {
        ("Hai Lần Kỷ Luật", D(2026, 9, 1), EventKind.WARNING, Reason.DUE),
        ("Ốm Bị Cảnh Cáo", D(2026, 3, 1), EventKind.WARNING, Reason.ILLNESS),
    }
    assert result.awardable == []


def test_regulation_changing_badge_years_between_two_occasions(world):
    m = veteran(world.cell, D(1991, 1, 1), "Ba Mươi Lăm")
    awarded(m, 30, D(2021, 2, 3))
    assert listing(world.cell).rows == []
    assert listing(world.cell, D(2026, 5, 19)).rows == []
    years = [30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
    RuleVersion.objects.create(
        effective_from=D(2026, 4, 1), source="Quy định thử (2026)", values={"badge_years": years}
    )
    assert listing(world.cell).rows == []  # 3/2/2026 keeps the rules it had
    after = listing(world.cell, D(2026, 5, 19))
    assert [(y, names(rows)) for y, rows in after.groups] == [(35, {"Ba Mươi Lăm"})]


def test_counts_match_the_list_and_hand_counts(world):
    for i in range(3):
        veteran(world.cell, D(1996, 1, 1 + i), f"Ba Mươi {i}")
    veteran(world.cell2, D(1986, 1, 1), "Bốn Mươi")
    ill(veteran(world.cell, D(1996, 12, 1), "Ốm"), D(2025, 1, 1))
    held = veteran(world.cell2, D(1996, 1, 1), "Bị Khiển Trách")
    event(held, EventKind.REPRIMAND, D(2025, 12, 1))
    dead = veteran(world.cell, D(1990, 1, 1), "Đã Mất")
    event(dead, EventKind.DECEASED, D(2025, 10, 1))
    expected = {
        (30, Reason.DUE, False): 3,
        (40, Reason.DUE, False): 1,
        (30, Reason.ILLNESS, False): 1,
        (30, Reason.DUE, True): 1,
        (30, Reason.POSTHUMOUS, False): 1,  # 35 years at death: the 30-year badge
    }
    assert dict(due_counts(world.base, FEB3)) == expected
    result = listing(world.base)
    assert len(result.rows) == 7 and len(result.held) == 1 and len(result.awardable) == 6


def test_no_rule_in_force_no_list(world):
    veteran(world.cell, D(1970, 1, 1), "Trước Quy Định")
    # The seeded badge rules take effect on 19/01/2011.
    assert listing(world.cell, D(2010, 9, 2)).rows == []
    assert BadgeAward.objects.count() == 0
    assert len(listing(world.cell, D(2011, 2, 3)).rows) == 1


def test_admitted_on_29_february_is_due_on_28_february(world):
    veteran(world.cell, D(1996, 2, 29), "Nhuận")
    # 2026 has no 29 February: the 30 years are complete on 28/02/2026 (a special occasion
    # that day would list the member), not on 27/02.
    assert listing(world.cell, D(2026, 2, 27)).rows == []
    (row,) = listing(world.cell, D(2026, 2, 28)).rows
    assert (row.years, row.qualifies_on) == (30, D(2026, 2, 28))
    # Early for illness: 12 months ahead of 28/02/2025 is 28/02/2026, the day it is complete.
    ill(Member.objects.get(full_name="Nhuận"), D(2025, 1, 1))
    (row,) = listing(world.cell, D(2025, 2, 28)).early
    assert row.qualifies_on == D(2026, 2, 28)
    assert listing(world.cell, D(2025, 2, 27)).rows == []


@pytest.mark.parametrize("total", [1, 10**9], ids=["most-of-the-database", "small-part"])
def test_both_plans_list_the_same_members(world, monkeypatch, total):
    """The subtree's members joined whole, or read first (chibo.core.sql.InFirst): the same
    hand counts either way; on PostgreSQL the second form is what is sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.org import subtree

    monkeypatch.setattr(subtree, "unit_total", lambda: total)
    for i in range(2):
        veteran(world.cell, D(1996, 1, 1 + i), f"Ba Mươi {i}")
    veteran(world.cell2, D(1986, 1, 1), "Bốn Mươi")
    veteran(world.other_cell, D(1986, 1, 1), "Đơn Vị Khác")
    ill(veteran(world.cell, D(1996, 12, 1), "Ốm"), D(2025, 1, 1))
    with CaptureQueriesContext(connection) as ctx:
        result = listing(world.base)
    assert names(result.due) == {"Ba Mươi 0", "Ba Mươi 1", "Bốn Mươi"}
    assert names(result.early) == {"Ốm"}
    assert dict(due_counts(world.base, FEB3)) == {
        (30, Reason.DUE, False): 2,
        (40, Reason.DUE, False): 1,
        (30, Reason.ILLNESS, False): 1,
    }
    read_first = any("= ANY(ARRAY(" in q["sql"] for q in ctx.captured_queries)
    assert read_first == (connection.vendor == "postgresql" and total > 1)
