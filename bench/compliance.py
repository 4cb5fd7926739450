"""The meeting compliance page for a whole province (about 2,000 cells, twelve months of
demo meetings): time and query count for the last complete month and quarter.

    .venv/bin/python bench/compliance.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/compliance.py --postgres URL [--keep]

with URL postgres://postgres@127.0.0.1:5432/bench_compliance, for example.

SQLite: builds /tmp/chibo-bench-compliance-80k.sqlite3 with the demo generator (80,000 members)
if missing, and keeps it. PostgreSQL: creates the named database, fills it, measures, drops it;
with --keep it reuses that database when it is there and leaves it for the next run.
Target: under 300 ms for the page (median), a query count that does not depend on the cells
(the page is also counted for one base committee's cells: the two counts must be equal).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _setup import ROOT, remove_database

TARGET_MS = 300
MEMBERS = 80_000
DEFAULT_DB = Path("/tmp/chibo-bench-compliance-80k.sqlite3")


def setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill() -> None:
    from chibo.demo.generate import demo_generate

    migrate()
    summary = demo_generate(members=MEMBERS, seed=1)
    print(f"generate: {summary}")


def postgres_admin(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


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
    from chibo.meetings.compliance.compliance import compliance_report, recent_periods
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
    periods = recent_periods(timezone.localdate())
    month, quarter = periods[0], next(p for p in periods if p.is_quarter)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{Meeting.objects.count():,} meetings; {connection.vendor}; "
        f"load average {load} on {os.cpu_count()} cores"
    )
    for period in (month, quarter):
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rebuild", action="store_true", help="Regenerate the SQLite file.")
    parser.add_argument("--postgres", metavar="URL", help="Measure on a fresh PostgreSQL database.")
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: reuse the database and leave it there."
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.postgres:
        name = urlsplit(args.postgres).path.lstrip("/")
        assert name and name.isidentifier(), "Name a database to create and drop."
        # test_* databases belong to test runs (CHIBO_TEST_DB_NAME); never drop one of those.
        assert not name.startswith("test"), "Choose a name that test runs do not use."
        exists = postgres_admin(
            args.postgres, "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        )
        fresh = not (args.keep and exists)
        if fresh:
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
            postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
        filled = not fresh
        try:
            setup(args.postgres)
            if fresh:
                fill()
                filled = True
            else:
                migrate()  # a kept database follows the code's models
            measure(args.repeat)
        finally:
            from django.db import connections

            connections.close_all()
            if not (args.keep and filled):  # a half-filled database is not kept
                postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        return
    if args.rebuild or not args.db.exists():
        remove_database(args.db)
        setup(f"sqlite:///{args.db}")
        fill()
    else:
        setup(f"sqlite:///{args.db}")
        migrate()
    measure(args.repeat)


if __name__ == "__main__":
    main()
