"""Party age (tuổi đảng): counted from the first admission, less the time out of the Party;
and as people read it ("35 năm 2 tháng", `party_age_text`).

`members.derive` stores, on each in-Party status period, the day party age counts from
(`StatusPeriod.party_age_from`); everything here reads that. Years and months follow
`chibo.rules.calendar.add_months`: a period of years ends on the same day of the month, or on
the month's last day when that day does not exist (admitted 29/02/1996: 30 years on
28/02/2026). The same arithmetic is written three ways, for one member in Python, as cut-off
dates for a CASE over many members, and as a SQL expression where the reference date varies
per row; the tests check they agree."""

import datetime as dt
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Expression,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import ngettext

from chibo.rules.calendar import add_months

from .models import IN_PARTY, Member, StatusPeriod, period_valid_on

ONE_DAY = dt.timedelta(days=1)


class PartyAge(NamedTuple):
    years: int
    months: int
    days: int


def age_between(start: dt.date, on: dt.date) -> PartyAge:
    """Whole years, months and days from `start` to `on` (on >= start)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if add_months(start, months) > on:
        months -= 1
    anchor = add_months(start, months)
    return PartyAge(months // 12, months % 12, (on - anchor).days)


def party_age_from(member: Member | int, on: dt.date) -> dt.date | None:
    """The day party age counts from, as it stood on `on`; None when not in the Party then."""
    member_id = member if isinstance(member, int) else member.pk
    return (
        StatusPeriod.objects.filter(member_id=member_id, status__in=IN_PARTY)
        .filter(period_valid_on(on))
        .values_list("party_age_from", flat=True)
        .first()
    )


def party_age(member: Member | int, on: dt.date) -> PartyAge | None:
    """Party age on `on`, or None when the member was not in the Party that day."""
    start = party_age_from(member, on)
    return age_between(start, on) if start is not None else None


def reached_on(start: dt.date, years: int) -> dt.date:
    """The day party age reaches `years`."""
    return add_months(start, 12 * years)


def latest_start(on: dt.date, months: int) -> dt.date:
    """The latest start from which `months` whole months have passed by `on`, i.e. the
    largest d with add_months(d, months) <= on. Usually `on` less `months`, one day later when
    that falls just before a 29 February (on 28/02/2026, a start of 29/02/1996 has 30 years)."""
    cut = add_months(on, -months)
    while add_months(cut + ONE_DAY, months) <= on:
        cut += ONE_DAY
    return cut


def milestone_case(field: str, on: dt.date, years: dict[int, int]) -> Case:
    """SQL: the highest N of `years` reached by `on` + years[N] months by a party age counted
    from `field` (NULL when none). years = {N: months ahead}; all zeros: reached on `on`."""
    whens = [
        When(**{f"{field}__lte": latest_start(add_months(on, ahead), 12 * n)}, then=Value(n))
        for n, ahead in sorted(years.items(), reverse=True)
    ]
    return Case(*whens, default=None, output_field=IntegerField())


def with_party_age_from(qs: QuerySet, on: dt.date, name: str = "party_age_from") -> QuerySet:
    """Annotate members with the day their party age counts from, as it stood on `on` (NULL
    when not in the Party that day): one outer join to the status period holding that day."""
    return qs.annotate(
        age_period=FilteredRelation(
            "status_periods", condition=period_valid_on(on, "status_periods__")
        )
    ).annotate(**{name: F("age_period__party_age_from")})


# Whole months in SQL, for a reference date that differs from row to row ---------------------


class WholeMonths(Func):
    """SQL: whole months from the date `start` to add_months(the date `end`, `ahead`), as
    age_between counts them; `ahead` >= 0 a constant. Written out as one SQL expression
    rather than a tree of Django expressions: milestones compare it a dozen times, and the
    tree took longer to compile than the query took to run."""

    output_field = IntegerField()

    # The target month, as an index year * 12 + month - 1; its year and month; its length; the
    # last month counts unless the start's day comes later in the month than the end's and the
    # target is not the month's last day (add_months puts both on that last day).
    TEMPLATE = (
        "(({ti}) - ({sy} * 12 + {sm} - 1) - CASE WHEN {sd} > {ed} AND {ed} < ("
        "CASE ({ti}) % 12 + 1 WHEN 2 THEN CASE WHEN ({ty}) % 4 = 0 AND (({ty}) % 100 <> 0 "
        "OR ({ty}) % 400 = 0) THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 "
        "WHEN 11 THEN 30 ELSE 31 END) THEN 1 ELSE 0 END)"
    )

    def __init__(self, start: Expression | str, end: Expression | str, ahead: int = 0) -> None:
        if ahead < 0:
            raise ValueError(ahead)
        self.ahead = int(ahead)
        super().__init__(start, end)

    @staticmethod
    def _part(connection, sql: str, unit: str) -> str:
        if connection.vendor == "sqlite":  # ISO text YYYY-MM-DD
            start, length = {"YEAR": (1, 4), "MONTH": (6, 2), "DAY": (9, 2)}[unit]
            return f"CAST(substr({sql}, {start}, {length}) AS integer)"
        return f"CAST(EXTRACT({unit} FROM {sql}) AS integer)"

    def as_sql(self, compiler, connection, **extra: Any):  # type: ignore[override]
        (start_sql, start_params), (end_sql, end_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        if start_params or end_params:
            raise ValueError("WholeMonths takes two date columns")
        target = f"({self._part(connection, end_sql, 'YEAR')} * 12 + "
        target += f"{self._part(connection, end_sql, 'MONTH')} - 1 + {self.ahead})"
        sql = self.TEMPLATE.format(
            ti=target,
            ty=f"({target} / 12)",
            sy=self._part(connection, start_sql, "YEAR"),
            sm=self._part(connection, start_sql, "MONTH"),
            sd=self._part(connection, start_sql, "DAY"),
            ed=self._part(connection, end_sql, "DAY"),
        )
        # `%` is the modulo operator here, not a placeholder.
        return sql.replace("%", "%%"), []


def whole_months(start: Expression | str, end: Expression | str, ahead: int = 0) -> WholeMonths:
    return WholeMonths(start, end, ahead)


def party_age_text(age: PartyAge | None) -> str:
    """Years and months; days only under a month. Empty when not in the Party."""
    if age is None:
        return ""
    parts = []
    if age.years:
        parts.append(ngettext("%(n)s year", "%(n)s years", age.years) % {"n": age.years})
    if age.months:
        parts.append(ngettext("%(n)s month", "%(n)s months", age.months) % {"n": age.months})
    if not parts:
        return ngettext("%(n)s day", "%(n)s days", age.days) % {"n": age.days}
    return " ".join(parts)
