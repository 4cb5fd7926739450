"""The dues reads that summed the payments of every charge, on a demo database (issue 13: what
is paid kept on each charge, `DuesCharge.paid`): the removal review of the demo province (its
unpaid months alone, and whole), the province's arrears list, and the dues report section of
the province for the demo's year, a past half-year (payments received after its end are taken
off) and a month, with query counts; then a check of the kept sums against a recount.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/dues_paid.py
    DATABASE_URL=sqlite:////tmp/NAME.sqlite3 .venv/bin/python bench/dues_paid.py [--repeat 5]

Read-only. It runs on code with or without the kept column (before and after), so the same
script measures both; the check runs only when the column is there.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(runs), len(ctx.captured_queries), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from chibo.accounts.models import RoleGrant
    from chibo.core.reporting import Period
    from chibo.dues.models import DuesCharge
    from chibo.dues.queries import arrears_under, unpaid_in_year
    from chibo.dues.reporting import DuesSection
    from chibo.meetings.queries import removal_as_of, removal_review
    from chibo.members.models import Placement, PlacementKind
    from chibo.org.subtree import subtree_of

    today = timezone.localdate()
    grant = RoleGrant.objects.select_related("unit").filter(user__username="province").first()
    assert grant is not None, "Not a demo database: no `province` login."
    province = grant.unit
    year = today.year
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}; load {load}; "
        f"{DuesCharge.objects.filter(month__year=year).count():,} charges of {year}; "
        f"province {province.name}; median of {args.repeat} after a warm-up"
    )

    def unpaid_months():
        """The removal review's dues part: members with 3+ unpaid months of the year."""
        as_of = removal_as_of(year, today)
        units = subtree_of(province, as_of)
        placed = Placement.objects.active_on(as_of).filter(
            units.q("unit_id"), kind=PlacementKind.OFFICIAL
        )
        return list(
            unpaid_in_year(year, as_of)
            .filter(member_id__in=placed.values("member_id"))
            .values("member_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=3)
            .values_list("member_id", flat=True)
        )

    section = DuesSection()
    root = [province.pk]
    whole = Period.year(year)
    half = Period.between(dt.date(year, 1, 1), dt.date(year, 6, 30))
    last = Period.month(year, max(1, today.month - 1))
    cases = [
        ("removal review: unpaid months alone", unpaid_months),
        ("removal review, whole", lambda: removal_review(province, year, today)),
        ("arrears list of the province", lambda: arrears_under(province, today)),
        (f"dues report, province, {year}", lambda: section.figures(root, whole)),
        ("dues report, province, first half", lambda: section.figures(root, half)),
        (f"dues report, province, {last.start:%m/%Y}", lambda: section.figures(root, last)),
    ]  # fmt: skip
    for label, fn in cases:
        ms, queries, result = timed(fn, args.repeat)
        shown = (
            result if isinstance(result, dict) else f"{len(getattr(result, 'rows', result)):,} rows"
        )
        print(f"  {label:42} {ms:9.0f} ms  {queries:3} queries  {shown}")

    if any(f.name == "paid" for f in DuesCharge._meta.concrete_fields):
        from chibo.dues.paid import payments_total

        started = time.perf_counter()
        wrong = (
            DuesCharge.objects.annotate(recount=payments_total())
            .exclude(paid=django.db.models.F("recount"))
            .count()
        )
        print(
            f"  check: {wrong:,} charges whose kept `paid` differs from the sum of their "
            f"payments ({(time.perf_counter() - started):.0f} s)"
        )


if __name__ == "__main__":
    main()
