"""Meeting times as integers, for the compliance report.

A province's quarter is some 7,000 meetings. Read as datetimes, each value went through a
Python converter (Django's on SQLite, and on PostgreSQL the loader Django installs to attach
the connection's time zone), and each meeting's local day took a time zone conversion more:
together most of the report's time. As microseconds since 1970 (UTC) they arrive as plain
integers, a length in minutes is an integer division, exact like `Meeting.duration_minutes`,
and a local day is found by bisecting the instants at which the period's days begin.
"""

import datetime as dt
from bisect import bisect_right

from django.db import NotSupportedError
from django.db.models import BigIntegerField, Field, Func

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
MINUTE_US = 60_000_000


def epoch_us(moment: dt.datetime) -> int:
    """What `EpochMicroseconds` gives for an aware datetime."""
    return (moment - EPOCH) // MICROSECOND


class EpochMicroseconds(Func):
    """A datetime expression as whole microseconds since 1970-01-01 UTC (NULL stays NULL)."""

    output_field = BigIntegerField()

    def get_db_converters(self, connection):
        return []  # both databases return an integer already

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django writes a UTC datetime as text, "YYYY-MM-DD HH:MM:SS[.ffffff]": the whole
        # seconds from the first 19 characters, the fraction from the rest (SQLite's date
        # functions keep only milliseconds). "%%s" is strftime's "%s" once Django has put in
        # the parameters.
        sql, params = compiler.compile(self.source_expressions[0])
        whole = f"CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER)"
        fraction = f"CAST(ROUND(CAST(substr({sql}, 20, 7) AS REAL) * 1000000) AS INTEGER)"
        return f"({whole} * 1000000 + {fraction})", (*params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(EPOCH FROM {sql}) * 1000000)::bigint", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"EpochMicroseconds is not written for {connection.vendor}.")


class AsFetched(Func):
    """A column as the driver returns it, with no Django converter: a boolean is a bool from
    both drivers already (on SQLite through the converter Django registers for its declared
    type). With no converter on any column, Django does not walk the rows a second time."""

    template = "%(expressions)s"
    output_field = Field()  # a plain Field has no converter on any backend


def whole_minutes(start_us: int | None, end_us: int | None) -> int | None:
    """`Meeting.duration_minutes` from two `EpochMicroseconds` values."""
    if start_us is None or end_us is None:
        return None
    return (end_us - start_us) // MINUTE_US


class LocalDays:
    """The local calendar day, from `first` to `last`, of `EpochMicroseconds` values: the day
    whose local midnight is the last at or before the value, as `localtime(value).date()`
    gives it, with no time zone arithmetic per value."""

    def __init__(self, first: dt.date, last: dt.date, tz: dt.tzinfo) -> None:
        self.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        # When each day begins, and when the last one ends; local midnight as make_aware
        # makes it.
        ends = [*self.days, self.days[-1] + dt.timedelta(days=1)]
        self.starts = [epoch_us(dt.datetime.combine(d, dt.time.min, tzinfo=tz)) for d in ends]

    def of(self, value_us: int) -> dt.date:
        index = bisect_right(self.starts, value_us) - 1
        if not 0 <= index < len(self.days):
            raise ValueError(
                f"{value_us} microseconds is not between {self.days[0]} and {self.days[-1]}"
            )
        return self.days[index]
