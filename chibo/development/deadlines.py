"""The two working-day deadlines of the pipeline, each counted with the rules in force on the
day that starts it (a regulation adopted later never moves a deadline already running):

- the admission ceremony, within `ceremony_working_days` after the admission decision;
- the cell's consideration of official membership, within `review_working_days` after the
  probation ends (Quy định 294-QĐ/TW, 2025).

`ceremony_deadline` and `review_deadline` answer for one date; lists count the same in SQL
with `chibo.rules.queries.value_by_date` and `chibo.rules.calendar.with_deadline`."""

import datetime as dt

from chibo import rules
from chibo.rules.calendar import working_days_after


def _deadline(start: dt.date | None, rule: str) -> dt.date | None:
    if start is None:
        return None
    n = getattr(rules.at(start), rule)
    return None if n is None else working_days_after(start, n)


def ceremony_deadline(decision_on: dt.date | None) -> dt.date | None:
    """The last day for the admission ceremony; None when no rule was in force that day."""
    return _deadline(decision_on, "ceremony_working_days")


def review_deadline(probation_ends_on: dt.date | None) -> dt.date | None:
    """The last day for the cell to consider official membership."""
    return _deadline(probation_ends_on, "review_working_days")
