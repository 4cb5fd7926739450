"""Party age: one member in Python, cut-off dates, and the SQL arithmetic, all agreeing."""

import datetime as dt
import itertools

import pytest
from django.utils import translation

from chibo.badges.tests.helpers import D, event, veteran
from chibo.members.age import (
    PartyAge,
    age_between,
    latest_start,
    party_age,
    party_age_from,
    party_age_text,
    whole_months,
    with_party_age_from,
)
from chibo.members.models import EventKind, Member, StatusPeriod
from chibo.rules.calendar import add_months


def test_anniversary_day_before_of_after(world):
    m = veteran(world.cell, D(1996, 2, 3), "Ngày Kỷ Niệm")
    # 03/01/2026 -> 02/02/2026 is 30 days (January has 31).
    assert party_age(m, D(2026, 2, 2)) == PartyAge(29, 11, 30)
    assert party_age(m, D(2026, 2, 3)) == PartyAge(30, 0, 0)
    assert party_age(m, D(2026, 2, 4)) == PartyAge(30, 0, 1)
    assert party_age(m, D(1996, 2, 3)) == PartyAge(0, 0, 0)
    assert party_age(m, D(1996, 2, 2)) is None  # not yet admitted


def test_admitted_on_29_february(world):
    m = veteran(world.cell, D(1996, 2, 29), "Nhuận")
    # 2026 has no 29 February: the 30 years end on the month's last day, 28/02/2026.
    assert party_age(m, D(2026, 2, 27)) == PartyAge(29, 11, 29)  # 29/01 -> 27/02: 29 days
    assert party_age(m, D(2026, 2, 28)) == PartyAge(30, 0, 0)
    assert party_age(m, D(2026, 3, 1)) == PartyAge(30, 0, 1)
    # 2028 has one: 32 years on 29/02/2028, not before.
    assert party_age(m, D(2028, 2, 28)) == PartyAge(31, 11, 30)  # 29/01 -> 28/02: 30 days
    assert party_age(m, D(2028, 2, 29)) == PartyAge(32, 0, 0)


def test_readmitted_after_two_years_out(world):
    m = veteran(world.cell, D(1990, 3, 10), "Tái Kết Nạp")
    event(m, EventKind.REMOVED, D(2000, 6, 15))
    event(m, EventKind.READMITTED, D(2002, 6, 15))
    # Out from 15/06/2000 to 15/06/2002: 365 + 365 days (no 29 February in between).
    # 10/03/1990 + 730 days = 10/03/1991 + 365 days = 09/03/1992 (1992 has a 29 February).
    assert party_age_from(m, D(2010, 1, 1)) == D(1992, 3, 9)
    assert party_age(m, D(2001, 1, 1)) is None  # out of the Party that day
    assert party_age_from(m, D(2000, 6, 14)) == D(1990, 3, 10)  # before the gap: no gap yet
    assert party_age(m, D(2022, 3, 8)) == PartyAge(29, 11, 27)  # 09/02 -> 08/03/2022: 27 days
    assert party_age(m, D(2022, 3, 9)) == PartyAge(30, 0, 0)


def test_sql_party_age_from_follows_the_periods(world):
    m = veteran(world.cell, D(1990, 3, 10), "Tái Kết Nạp")
    event(m, EventKind.REMOVED, D(2000, 6, 15))
    event(m, EventKind.READMITTED, D(2002, 6, 15))
    qs = with_party_age_from(Member.objects.filter(pk=m.pk), D(2001, 1, 1))
    assert qs.get().party_age_from is None
    qs = with_party_age_from(Member.objects.filter(pk=m.pk), D(2010, 1, 1))
    assert qs.get().party_age_from == D(1992, 3, 9)
    assert (
        with_party_age_from(Member.objects.all(), D(2010, 1, 1)).count() == Member.objects.count()
    )


def test_latest_start_is_the_last_day_that_reaches():
    for on in (D(2026, 2, 28), D(2028, 2, 29), D(2026, 3, 31), D(2026, 2, 3), D(2025, 12, 31)):
        for years in (1, 30, 45):
            cut = latest_start(on, 12 * years)
            assert age_between(cut, on).years >= years
            assert age_between(cut + dt.timedelta(days=1), on).years < years
    # Counted by hand: on 28/02/2026, 30 years back is 28/02/1996, but 29/02/1996 reaches too.
    assert latest_start(D(2026, 2, 28), 360) == D(1996, 2, 29)
    assert latest_start(D(2026, 3, 1), 360) == D(1996, 3, 1)


STARTS = [
    D(1996, 2, 29),
    D(2000, 1, 31),
    D(1990, 4, 30),
    D(1999, 2, 28),
    D(1995, 3, 1),
    D(1999, 12, 31),
    D(1980, 6, 15),
    D(2000, 2, 29),
]
ENDS = [
    D(2025, 2, 28),
    D(2024, 2, 29),
    D(2025, 1, 31),
    D(2025, 11, 30),
    D(2025, 12, 31),
    D(2025, 3, 1),
    D(2025, 6, 15),
    D(2023, 1, 29),
    D(2024, 1, 30),
    D(2025, 4, 30),
]


@pytest.mark.parametrize("ahead", [0, 1, 11, 12, 13, 24, 25])
def test_whole_months_in_sql_match_python(world, ahead):
    m = world.member
    StatusPeriod.objects.filter(member=m).delete()
    rows = [
        StatusPeriod(member=m, status="official", valid_from=s, valid_to=e, party_age_from=s)
        for s, e in itertools.product(STARTS, ENDS)
    ]
    StatusPeriod.objects.bulk_create(rows)
    got = StatusPeriod.objects.filter(member=m).annotate(
        n=whole_months("party_age_from", "valid_to", ahead)
    )
    for p in got:
        age = age_between(p.party_age_from, add_months(p.valid_to, ahead))
        assert p.n == age.years * 12 + age.months, (p.party_age_from, p.valid_to, ahead)


def test_party_age_text():
    with translation.override("en"):
        assert party_age_text(PartyAge(35, 2, 10)) == "35 years 2 months"
        assert party_age_text(PartyAge(1, 1, 0)) == "1 year 1 month"
        assert party_age_text(PartyAge(30, 0, 0)) == "30 years"
        assert party_age_text(PartyAge(0, 3, 1)) == "3 months"
        assert party_age_text(PartyAge(0, 0, 12)) == "12 days"
        assert party_age_text(None) == ""
