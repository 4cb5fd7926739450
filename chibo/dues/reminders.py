"""The dues ledger's part of the daily job (chibo.core.deadlines.REMINDERS, run by
chibo.site.tasks.daily): post the month's dues of every member with a basis. Idempotent:
the day's second run, and every later day of the month, posts only what is missing (a
member placed or given a basis since)."""

import datetime as dt

from chibo.core.deadlines import REMINDERS

from . import months
from .services import charges_post


def post_month(today: dt.date) -> int:
    """The month of `today`'s charges (created now; the daily job reports the count)."""
    return charges_post(month=months.first(today), actor=None)


REMINDERS.register("dues.charges", post_month)
