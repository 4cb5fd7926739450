"""The demo planner's calendar and rules agree with chibo.rules at the boundaries: across Tết,
with a day an office records, on the day a regulation takes effect, and before any."""

import datetime as dt
import random

from chibo import rules
from chibo.members.demo import Timeline
from chibo.rules.calendar import add_months, working_days_after
from chibo.rules.models import DayChange, RuleVersion

AS_OF = dt.date(2026, 6, 15)


def test_working_days_are_the_calendar_modules(db):
    life = Timeline(AS_OF)
    # Tết 2026 falls on 17/02: a 30-day deadline from mid-January runs past the days off.
    for start in [dt.date(2026, 1, 14), dt.date(2026, 1, 15), dt.date(2026, 1, 16)]:
        for n in (1, 5, 30):
            assert life.working_after(start, n) == working_days_after(start, n), (start, n)
    # Counted by hand: Tết days off 16-20/02/2026 (Mon-Fri), so from Friday 13/02 the first
    # working day after is Monday 23/02.
    assert life.working_after(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert life.working_between(dt.date(2026, 2, 13), dt.date(2026, 2, 23)) == 1
    day = life.working_after(dt.date(2026, 3, 2), 10)
    assert life.working_after(life.working_before(day, 10), 10) == day


def test_a_day_an_office_records_counts(db):
    # Saturday 28/02/2026 worked in exchange: a working day for the planner too.
    DayChange.objects.create(date=dt.date(2026, 2, 28), working=True, name="Làm bù")
    life = Timeline(AS_OF)
    assert life.working_after(dt.date(2026, 2, 27), 1) == dt.date(2026, 2, 28)
    assert working_days_after(dt.date(2026, 2, 27), 1) == dt.date(2026, 2, 28)


def test_rules_of_the_day_and_before_any_regulation(db):
    change = dt.date(2026, 1, 1)
    RuleVersion.objects.create(
        effective_from=change, source="Test", values={"ceremony_working_days": 20}
    )
    life = Timeline(AS_OF)
    day_before = change - dt.timedelta(days=1)
    assert life.rule(day_before, "ceremony_working_days") == 30
    assert life.rule(change, "ceremony_working_days") == 20
    assert life.rule(change + dt.timedelta(days=1), "ceremony_working_days") == 20
    assert life.rules(change) == rules.at(change)
    # Before the first recorded regulation of members the earliest stands in, though the dues
    # rules (342-QĐ/TW, 01/01/2011) start a few days before it.
    versions = RuleVersion.objects.filter(province=None).order_by("effective_from", "pk")
    first = next(v for v in versions if "probation_months" in v.values)
    assert versions.first().effective_from < first.effective_from
    assert life.rules(versions.first().effective_from) == rules.at(first.effective_from)
    assert rules.at(dt.date(1980, 5, 1)).probation_months is None
    assert life.rules(dt.date(1980, 5, 1)) == rules.at(first.effective_from)
    assert life.probation_end(dt.date(1980, 2, 29)) == dt.date(1981, 2, 28)


def test_a_probation_ending_in_a_window(db):
    life = Timeline(AS_OF)
    rng = random.Random(3)
    first, last = AS_OF + dt.timedelta(days=1), AS_OF + dt.timedelta(days=30)
    for _i in range(20):
        s = life.stint_ending(rng, first, last)
        assert s is not None and s.ceremony is not None and s.ends is not None
        assert first <= s.ends <= last
        assert s.ends == add_months(s.ceremony, rules.at(s.ceremony).probation_months)
        n = rules.at(s.admitted).ceremony_working_days
        assert s.admitted < s.ceremony <= working_days_after(s.admitted, n)
