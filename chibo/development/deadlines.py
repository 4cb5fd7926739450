"""The two working-day deadlines of the pipeline, each counted with the rules in force on the
day that starts it (a regulation adopted later never moves a deadline already running):

- the admission ceremony, within `ceremony_working_days` after the admission decision;
- the cell's consideration of official membership, within `review_working_days` after the
  probation ends (Quy định 294-QĐ/TW, 2025).

`ceremony_deadline` and `review_deadline` answer for one date; `rule_by_date` gives the same
count as a SQL expression over a date column, for lists (`with_deadline`)."""

import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import Expression

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


def rule_by_date(rule: str, column: str) -> Expression:
    """The nationwide value of `rule` in force on each row's `column` date, as a CASE over
    the days the rule versions take effect (a handful of rows, read once)."""
    from chibo.rules.models import RuleVersion

    book = rules.RuleBook()
    starts = sorted(
        set(RuleVersion.objects.filter(province=None).values_list("effective_from", flat=True))
    )
    steps: list[tuple[dt.date, int | None]] = []
    for day in starts:
        value = getattr(book.at(day, None), rule)
        if not steps or steps[-1][1] != value:
            steps.append((day, value))
    whens = [When(**{f"{column}__gte": day}, then=Value(value)) for day, value in reversed(steps)]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=Value(None), output_field=IntegerField())
