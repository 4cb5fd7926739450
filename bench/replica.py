"""Which database each page's queries run on with a read replica, and what the routing costs.

    .venv/bin/python bench/replica.py [URL] [--replica URL] [--repeat 7]

URL: a database with the demo logins (default postgres://postgres@127.0.0.1:5432/bench_100k);
--replica: the replica (default: the same database, as a second connection: what is measured
is the routing, not a second server). For each page, as its demo reader, through the test
client: the queries on the primary and on the replica, and the median time with the replica
alias and without it (the alias removed: Django's single-database behaviour). Read-only, as
bench/scale.py.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_100k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--replica")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["DATABASE_REPLICA_URL"] = args.replica or args.url
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale import _setup, _urls  # the same read-only set-up and readers

    _setup(args.url)
    from django.db import connections
    from django.db.backends.signals import connection_created
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from chibo.core import db

    def read_only(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    connection_created.connect(read_only)
    setup_test_environment()
    urls, users, _facts = _urls()
    commune = urls["board_commune"].rstrip("/").rsplit("/", 1)[-1]
    pages = [
        ("figures and reports, commune", "commune", f"/reports/{commune}/"),
        ("summary API, commune", "commune", None),
        ("compliance, commune", "commune", f"/compliance/{commune}/"),
        ("deadline board, commune", "commune", urls["board_commune"]),
        ("deadline board, cell", "secretary", urls["board_cell"]),
        ("meeting page (not routed)", "secretary", urls["meeting"]),
    ]
    from chibo.org.models import OrgUnit

    code = OrgUnit.objects.get(pk=commune).code
    clients = {}
    for login in ("commune", "secretary"):
        clients[login] = Client()
        clients[login].force_login(users[login])
    replica_settings = connections.settings[db.REPLICA]
    print(
        f"primary {args.url}, replica {os.environ['DATABASE_REPLICA_URL']}, "
        f"median of {args.repeat}, load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| page | queries on the primary | on the replica | ms with the replica | ms without |")
    print("|---|---|---|---|---|")
    for label, login, url in pages:
        url = url or f"/api/v1/reports/summary?org={code}&year=2026"
        c = clients[login]
        found = {}
        for with_replica in (True, False):
            if with_replica:
                connections.settings[db.REPLICA] = replica_settings
            else:
                connections.settings.pop(db.REPLICA, None)
            c.get(url)
            if with_replica:
                with (
                    CaptureQueriesContext(connections["default"]) as primary,
                    CaptureQueriesContext(connections[db.REPLICA]) as replica,
                ):
                    assert c.get(url).status_code == 200
                counts = (len(primary.captured_queries), len(replica.captured_queries))
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                c.get(url)
                times.append((time.perf_counter() - started) * 1000)
            found[with_replica] = statistics.median(times)
        print(f"| {label} | {counts[0]} | {counts[1]} | {found[True]:.0f} | {found[False]:.0f} |")


if __name__ == "__main__":
    main()
