"""Helpers for the tests of the demo planners, each app's in its own tests: the demo generated
through `chibo demo`, and the rules and statuses recomputed from the raw rows, never read from
the generator's plan."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from chibo import rules
from chibo.members.models import Member
from chibo.rules.models import RuleVersion

AS_OF = dt.date(2026, 6, 15)
MEMBERS = 300
TWO_YEARS_AGO = AS_OF - dt.timedelta(days=730)


def run_demo(*extra: str, seed: int = 7) -> str:
    out = StringIO()
    call_command(
        "demo",
        "--members",
        str(MEMBERS),
        "--seed",
        str(seed),
        "--as-of",
        AS_OF.isoformat(),
        "--no-serve",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def rule(day: dt.date, name: str):
    """The rule in force on `day`; before the first regulation on record, the earliest's."""
    value = getattr(rules.at(day), name)
    if value is None:
        first = next(
            v
            for v in RuleVersion.objects.filter(province=None).order_by("effective_from", "pk")
            if name in v.values
        )
        value = getattr(rules.at(first.effective_from), name)
    assert value is not None, (day, name)
    return value


def status_on(member_id: int, day: dt.date) -> str:
    return Member.all_objects.with_status(day).get(pk=member_id).status
