"""Dates by the Party's rules, for the demo planners of members and of the apps above: the
rules in force on a day and the working-day calendar, each read once (the planners ask for tens
of thousands of deadlines; chibo.rules.calendar.working_days_after would query the office's day
changes every time).

Every number comes from the rule versions (`chibo.rules`), read on the day of the event that
starts each deadline. Before the first recorded regulation (the data start in 2011) the
earliest version's values stand in: the Charter's steps were the same in substance, and a
member admitted in 1975 still had a ceremony and a year of probation."""

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from chibo import rules
from chibo.core.demo import between
from chibo.rules.calendar import add_months, add_years, is_working
from chibo.rules.models import DayChange, RuleVersion

DAY = dt.timedelta(days=1)
FIRST_DAY = dt.date(1950, 1, 1)  # before the oldest admission the demo plans
# From the 2025 reorganisation commune committees decide admissions; before, the district did.
REFORM = dt.date(2025, 7, 1)
# A probation that ended this recently is not reviewed yet (the cell meets monthly).
REVIEW_AFTER = dt.timedelta(days=20)


def decision(rng: random.Random, on: dt.date, kind: str = "QĐ") -> str:
    issuer = "ĐU" if on >= REFORM else "HU"
    return f"{rng.randint(1, 480)}-{kind}/{issuer}"


@dataclass(slots=True)
class Stint:
    """One admission (or readmission) and what followed: the ceremony, the probation, the
    cell's review vote and the recognition decision (the OFFICIAL event is dated the day the
    probation ended, as development.services.review_decide records it)."""

    admitted: dt.date
    decision: str
    ceremony: dt.date | None = None
    ends: dt.date | None = None  # probation ends
    vote: dt.date | None = None  # the cell's review vote
    decided: dt.date | None = None  # the recognition decision
    official_decision: str = ""

    @property
    def official(self) -> dt.date | None:
        return self.ends if self.decided is not None else None


class Timeline:
    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._book = rules.RuleBook()
        # The national rules change only on these days: the rules of a day are those of the
        # latest start on or before it (RuleBook.at builds them once per start).
        self._starts = sorted(
            set(RuleVersion.objects.filter(province=None).values_list("effective_from", flat=True))
        )
        # The first regulation of members on record (the Charter, 2011): its values stand in
        # before it, even where another app's rules start earlier (dues: 01/01/2011).
        firsts = [
            day
            for day, values in RuleVersion.objects.filter(province=None).values_list(
                "effective_from", "values"
            )
            if "probation_months" in values
        ]
        if not firsts:
            raise ValueError("The demo needs the national rule versions (run the migrations).")
        self._first = min(firsts)
        changes = dict(DayChange.objects.values_list("date", "working"))
        last = add_years(as_of, 3)
        days, day = [], FIRST_DAY
        while day <= last:
            if is_working(day, changes):
                days.append(day)
            day += DAY
        self._days = days

    # Rules ------------------------------------------------------------------------------------

    @property
    def starts(self) -> list[dt.date]:
        """The days national rule versions take effect, oldest first."""
        return self._starts

    def rules(self, day: dt.date) -> rules.Rules:
        if day < self._first:
            return self._book.at(self._first, None)
        start = self._starts[bisect_right(self._starts, day) - 1]
        return self._book.at(start, None)

    def rule(self, day: dt.date, name: str) -> Any:
        value = getattr(self.rules(day), name)
        if value is None:
            raise ValueError(f"No rule {name} in force on {day}.")
        return value

    # Working days ----------------------------------------------------------------------------

    def working_after(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (calendar.working_days_after)."""
        return self._days[bisect_right(self._days, start) + n - 1]

    def working_before(self, day: dt.date, n: int) -> dt.date:
        """The working day whose n-th working day after is the last working day <= `day`."""
        return self._days[bisect_right(self._days, day) - 1 - n]

    def working_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        return max(0, bisect_right(self._days, end) - bisect_right(self._days, start))

    def ceremony_due(self, admitted: dt.date) -> dt.date:
        return self.working_after(admitted, self.rule(admitted, "ceremony_working_days"))

    def review_due(self, ends: dt.date) -> dt.date:
        return self.working_after(ends, self.rule(ends, "review_working_days"))

    def probation_end(self, ceremony: dt.date) -> dt.date:
        return add_months(ceremony, self.rule(ceremony, "probation_months"))

    # Planning a stint -------------------------------------------------------------------------

    def ceremony_after(self, rng: random.Random, admitted: dt.date) -> dt.date | None:
        """A ceremony within its deadline and before as_of, mostly in the first weeks; None
        when no working day is left before as_of."""
        n = self.rule(admitted, "ceremony_working_days")
        room = min(n, self.working_between(admitted, self.as_of - DAY))
        if room < 1:
            return None
        k = min(room, max(1, round(rng.triangular(1, n, n / 3))))
        return self.working_after(admitted, k)

    def review(self, rng: random.Random, s: Stint) -> None:
        """The probation's end; the cell's vote within its deadline and the decision days or
        weeks later, when the probation ended long enough before as_of."""
        if s.ceremony is None:
            return
        s.ends = self.probation_end(s.ceremony)
        if s.ends > self.as_of - REVIEW_AFTER:
            return
        n = self.rule(s.ends, "review_working_days")
        room = min(n, self.working_between(s.ends, self.as_of - 7 * DAY))
        s.vote = self.working_after(s.ends, rng.randint(1, max(1, room)))
        s.decided = min(s.vote + dt.timedelta(days=rng.randint(3, 30)), self.as_of - DAY)
        s.official_decision = decision(rng, s.decided)

    def stint(self, rng: random.Random, admitted: dt.date) -> Stint:
        s = Stint(admitted, decision(rng, admitted), self.ceremony_after(rng, admitted))
        self.review(rng, s)
        return s

    def stint_ending(self, rng: random.Random, first: dt.date, last: dt.date) -> Stint | None:
        """A stint whose probation ends between `first` and `last` (inclusive), the ceremony
        within its deadline; not reviewed."""
        lengths = sorted({self.rule(start, "probation_months") for start in self._starts})
        for _try in range(20):
            target = between(rng, first, last)
            # The length in force on the ceremony day, which depends on that day: try each.
            for months in rng.sample(lengths, len(lengths)):
                ceremony = self.working_before(add_months(target, -months), 0)
                ends = self.probation_end(ceremony)
                if not first <= ends <= last:
                    continue
                n = self.rule(ceremony - 60 * DAY, "ceremony_working_days")
                for k in range(min(n, rng.randint(3, 25)), 0, -1):
                    admitted = self.working_before(ceremony, k)
                    if ceremony <= self.ceremony_due(admitted):
                        return Stint(admitted, decision(rng, admitted), ceremony, ends)
        return None
