"""Member search and the member list on the 100,000-member demo database, exactly as the
member list page and the API run them (chibo.members.queries.member_list: scope,
diacritic-free search, status on today, name order): one page of 25 plus the total count,
for the demo's province office, commune office, commune viewer and cell secretary; then the
first page of the list rendered (`GET /members/`) for each.

    .venv/bin/python bench/member_search.py [--db PATH] [--repeat 15] [--explain]
    .venv/bin/python bench/member_search.py --url postgres://postgres@127.0.0.1:5432/bench_100k

`--url` (or DATABASE_URL) measures an existing database as it is: nothing is migrated or
written. Without either, the SQLite file is built with bench/demo_generation.py if missing.
Targets: median under 50 ms per search (page and count together); the first page of the
list under 500 ms for the province, under 100 ms for a commune or a cell.
"""

import argparse
import os
import statistics
import time
from pathlib import Path

from _setup import DEFAULT_DB, read_only, use_database, use_url

TARGET_MEDIAN_MS = 50
TARGET_PAGE_MS = {"province": 500}  # others: 100
PAGE = 25
# Diacritic-free, as people type them: full names, family + middle, a given name alone.
QUERIES = ["nguyen van hung", "tran thi", "le duc", "hung", "lan", "pham minh", "thi thu ha"]
USERS = ("province", "commune", "viewer", "secretary")


def search_once(user, q: str | None, today) -> tuple[float, int, int]:
    """(ms, records found, queries) for one page and its count, as the page runs them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.members.queries import IN_PARTY_FILTER, member_list

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        qs = member_list(user, on=today, q=q, status=IN_PARTY_FILTER)
        page = list(qs[:PAGE])
        total = qs.count() if len(page) == PAGE else len(page)
        ms = (time.perf_counter() - started) * 1000
    return ms, total, len(ctx.captured_queries)


def searches(user, repeat: int, explain: bool) -> None:
    from django.utils import timezone

    from chibo.members.queries import IN_PARTY_FILTER, member_list

    today = timezone.localdate()
    timings: list[float] = []
    for q in QUERIES:
        search_once(user, q, today)  # warm the page cache
        runs = [search_once(user, q, today) for _ in range(repeat)]
        ms = [t for t, _, _ in runs]
        timings += ms
        print(
            f"    {q!r:20} {runs[0][1]:6,} found   median {statistics.median(ms):6.1f} ms"
            f"   ({runs[0][2]} queries)"
        )
        if explain:
            qs = member_list(user, on=today, q=q, status=IN_PARTY_FILTER)
            print("      page:  " + qs[:PAGE].explain().replace("\n", "\n             "))
            print("      count: " + qs.order_by().explain().replace("\n", "\n             "))
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    verdict = "OK" if median < TARGET_MEDIAN_MS else "TOO SLOW"
    print(
        f"    search, all: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(target median < {TARGET_MEDIAN_MS} ms): {verdict}"
    )


def first_page(user, repeat: int) -> None:
    """The list with no search (status in the Party, the page's default): the query alone,
    then the page rendered through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    search_once(user, None, today)
    runs = [search_once(user, None, today) for _ in range(repeat)]
    client = Client()
    client.force_login(user)
    url = reverse("members:list")
    assert client.get(url).status_code == 200
    page_ms = []
    for _i in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    median = statistics.median(page_ms)
    target = TARGET_PAGE_MS.get(user.username, 100)
    verdict = "OK" if median < target else "TOO SLOW"
    print(
        f"    first page: query median {statistics.median(t for t, _, _ in runs):.1f} ms "
        f"({runs[0][1]:,} in the Party); page rendered median {median:.1f} ms "
        f"(range {min(page_ms):.0f}-{max(page_ms):.0f}, {len(ctx.captured_queries)} queries; "
        f"target < {target} ms): {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument(
        "--url", default=os.environ.get("DATABASE_URL"), help="An existing database to measure."
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="Print the page query plans.")
    parser.add_argument("--users", default=",".join(USERS), help="Demo logins, comma-separated.")
    args = parser.parse_args()
    where: object = args.db
    if args.url:
        use_url(args.url)
        where = args.url
    elif not args.db.exists():
        from demo_generation import build

        build(args.db, 100_000, 1)
    else:
        use_database(args.db)

    from django.db import connection
    from django.test.utils import setup_test_environment

    from chibo.accounts.models import User
    from chibo.members import access
    from chibo.members.models import Member

    setup_test_environment()  # the test client's page timings
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{Member.objects.count():,} members in {where} ({connection.vendor}); "
        f"load average {load} on {os.cpu_count()} cores"
    )
    with read_only():
        for username in args.users.split(","):
            user = User.objects.get(username=username)
            scope = ", ".join(g.unit.name for g in user.grants.select_related("unit"))
            print(f"\n{username} ({scope}, {access.members_for(user).count():,} in scope)")
            searches(user, args.repeat, args.explain)
            first_page(user, args.repeat)


if __name__ == "__main__":
    main()
