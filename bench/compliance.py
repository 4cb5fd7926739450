"""The meeting compliance page for a whole province (about 2,000 cells, twelve months of
demo meetings): time and query count for the last complete month and quarter.

    .venv/bin/python bench/compliance.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/compliance.py --postgres URL [--keep]
    .venv/bin/python bench/compliance.py --url URL [--repeat 7]

with URL postgres://postgres@127.0.0.1:5432/bench_compliance, for example. `--url` (or
DATABASE_URL) measures an existing database holding the demo (its `province` login) as it
is: nothing is migrated, written or dropped; e.g. the shared 100,000-member bench databases
postgres://postgres@127.0.0.1:5432/bench_100k or sqlite:////tmp/chibo-bench-100k.sqlite3.

SQLite: builds /tmp/chibo-bench-compliance-80k.sqlite3 with the demo generator (80,000 members)
if missing, and keeps it. PostgreSQL: creates the named database, fills it, measures, drops it;
with --keep it reuses that database when it is there and leaves it for the next run.
Target: under 300 ms for the page (median), a query count that does not depend on the cells
(the page is also counted for one base committee's cells: the two counts must be equal).
"""

import os
import statistics
import sys
import time
from pathlib import Path

from _setup import arguments, read_only, run
from _setup import use_url as setup

TARGET_MS = 300
MEMBERS = 80_000
DEFAULT_DB = Path("/tmp/chibo-bench-compliance-80k.sqlite3")


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill() -> None:
    from chibo.demo.generate import demo_generate

    migrate()
    summary = demo_generate(members=MEMBERS, seed=1)
    print(f"generate: {summary}")


def page_queries(client, unit_pk: int, period) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("compliance:report", args=[unit_pk]), {"period": period.key})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from chibo.accounts.models import User
    from chibo.meetings.compliance.queries import compliance_report, recent_periods
    from chibo.meetings.models import Meeting
    from chibo.org.models import Kind, OrgUnit

    setup_test_environment()
    province = OrgUnit.objects.get(parent__isnull=True)
    # A small tree to count the page's queries against: the first base committee.
    small = OrgUnit.objects.filter(kind=Kind.BASE_COMMITTEE).order_by("pk").first()
    assert small is not None
    user = User.objects.get(username="province")
    client = Client()
    client.force_login(user)
    url = reverse("compliance:report", args=[province.pk])
    today = timezone.localdate()
    periods = recent_periods(today)
    # The last complete month and quarter (the list also offers the ones in progress), and the
    # year so far when the code offers years: the widest period a page shows.
    done = [p for p in periods if p.end < today]
    month = next(p for p in done if not p.is_quarter and "-" in p.key)
    quarter = next(p for p in done if p.is_quarter)
    year = next((p for p in periods if "-" not in p.key and p.start.year == today.year), None)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{Meeting.objects.count():,} meetings; {connection.vendor}; "
        f"load average {load} on {os.cpu_count()} cores"
    )
    for period in (month, quarter, year):
        if period is None:
            continue
        report = compliance_report(province, period)
        client.get(url, {"period": period.key})  # warm caches
        page_ms, report_ms = [], []
        for _i in range(repeat):
            started = time.perf_counter()
            compliance_report(province, period)
            report_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get(url, {"period": period.key})
            page_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as page_q:
            client.get(url, {"period": period.key})
        with CaptureQueriesContext(connection) as report_q:
            compliance_report(province, period)
        median = statistics.median(page_ms)
        verdict = "OK" if median < TARGET_MS else "TOO SLOW"
        monthly = report.totals["monthly"]
        small_cells = len(compliance_report(small, period).cells)
        small_q = page_queries(client, small.pk, period)
        same = "constant" if small_q == len(page_q.captured_queries) else "GROWS WITH CELLS"
        print(
            f"  {period.key:8} {len(report.cells):,} cells, monthly {monthly.met:,}/"
            f"{monthly.judged:,}: report median {statistics.median(report_ms):.0f} ms "
            f"({len(report_q.captured_queries)} queries), page median {median:.0f} ms "
            f"(range {min(page_ms):.0f}-{max(page_ms):.0f}; target < {TARGET_MS} ms): {verdict}\n"
            f"           page queries: {len(page_q.captured_queries)} for {len(report.cells):,} "
            f"cells, {small_q} for {small_cells:,} cells: {same}"
        )


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if "--url" in sys.argv:  # the options of _setup.arguments, plus this one
        at = sys.argv.index("--url")
        url = sys.argv[at + 1]
        del sys.argv[at : at + 2]
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    if url:
        setup(url)
        with read_only():
            measure(args.repeat)
        return
    run(args, setup=setup, fill=fill, measure=measure)


if __name__ == "__main__":
    main()
