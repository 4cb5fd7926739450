"""The meeting compliance page for a whole province (about 2,000 cells, twelve months of
demo meetings): time and query count for the last complete month and quarter.

    .venv/bin/python bench/compliance.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/compliance.py --postgres postgres://postgres@127.0.0.1:5432/bench_compliance

SQLite: builds /tmp/chibo-bench-compliance-80k.sqlite3 with the demo generator (80,000 members)
if missing, and keeps it. PostgreSQL: creates the named database, fills it, measures, drops it.
Target: under 300 ms for the page (median), a query count that does not depend on the cells.
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


def fill() -> None:
    from django.core.management import call_command

    from chibo.demo.generate import demo_generate

    call_command("migrate", verbosity=0)
    summary = demo_generate(members=MEMBERS, seed=1)
    print(f"generate: {summary}")


def postgres_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from chibo.accounts.models import User
    from chibo.meetings.compliance.compliance import compliance_report, recent_periods
    from chibo.meetings.models import Meeting
    from chibo.org.models import OrgUnit

    setup_test_environment()
    province = OrgUnit.objects.get(parent__isnull=True)
    user = User.objects.get(username="province")
    client = Client()
    client.force_login(user)
    url = reverse("compliance:report", args=[province.pk])
    periods = recent_periods(timezone.localdate())
    month, quarter = periods[0], next(p for p in periods if p.is_quarter)
    print(f"{Meeting.objects.count():,} meetings; {connection.vendor}")
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
        print(
            f"  {period.key:8} {len(report.cells):,} cells, monthly {monthly.met:,}/"
            f"{monthly.judged:,}: report median {statistics.median(report_ms):.0f} ms "
            f"({len(report_q.captured_queries)} queries), page median {median:.0f} ms "
            f"({len(page_q.captured_queries)} queries; target < {TARGET_MS} ms): {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rebuild", action="store_true", help="Regenerate the SQLite file.")
    parser.add_argument("--postgres", metavar="URL", help="Measure on a fresh PostgreSQL database.")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.postgres:
        name = urlsplit(args.postgres).path.lstrip("/")
        assert name and name.isidentifier(), "Name a database to create and drop."
        postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
        try:
            setup(args.postgres)
            fill()
            measure(args.repeat)
        finally:
            from django.db import connections

            connections.close_all()
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        return
    if args.rebuild or not args.db.exists():
        remove_database(args.db)
        setup(f"sqlite:///{args.db}")
        fill()
    else:
        setup(f"sqlite:///{args.db}")
    measure(args.repeat)


if __name__ == "__main__":
    main()
