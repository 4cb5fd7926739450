"""Member search on the 100,000-member demo database, exactly as the member list page and the
API run it (chibo.members.queries.member_list: scope, diacritic-free search, status on today,
name order), one page of 25 plus the total count.

    .venv/bin/python bench/member_search.py [--db PATH] [--repeat 15] [--explain]

Builds the database with bench/demo_generation.py first if it is missing.
Target: median under 50 ms per search (page and count together).
"""

import argparse
import statistics
import time
from pathlib import Path

from _setup import DEFAULT_DB, use_database

TARGET_MEDIAN_MS = 50
PAGE = 25
# Diacritic-free, as people type them: full names, family + middle, a given name alone.
QUERIES = ["nguyen van hung", "tran thi", "le duc", "hung", "lan", "pham minh", "thi thu ha"]


def search_once(user, q: str, today) -> tuple[float, int]:
    from chibo.members.queries import IN_PARTY_FILTER, member_list

    started = time.perf_counter()
    qs = member_list(user, on=today, q=q, status=IN_PARTY_FILTER)
    page = list(qs[:PAGE])
    total = qs.count() if len(page) == PAGE else len(page)
    return (time.perf_counter() - started) * 1000, total


def run(user, repeat: int, explain: bool) -> None:
    from django.utils import timezone

    from chibo.members.queries import IN_PARTY_FILTER, member_list

    today = timezone.localdate()
    timings: list[float] = []
    for q in QUERIES:
        search_once(user, q, today)  # warm the page cache
        runs = [search_once(user, q, today) for _ in range(repeat)]
        ms = [t for t, _ in runs]
        timings += ms
        print(f"    {q!r:20} {runs[0][1]:6,} found   median {statistics.median(ms):6.1f} ms")
        if explain:
            qs = member_list(user, on=today, q=q, status=IN_PARTY_FILTER)
            print("      page:  " + qs[:PAGE].explain().replace("\n", "\n             "))
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    verdict = "OK" if median < TARGET_MEDIAN_MS else "TOO SLOW"
    print(
        f"    all: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(target median < {TARGET_MEDIAN_MS} ms): {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="Print the page query plans.")
    args = parser.parse_args()
    if not args.db.exists():
        from demo_generation import build

        build(args.db, 100_000, 1)
    else:
        use_database(args.db)

    from chibo.accounts.models import User
    from chibo.members import access
    from chibo.members.models import Member

    print(f"{Member.objects.count():,} members in {args.db}")
    for username in ("province", "commune"):
        user = User.objects.get(username=username)
        scope = user.grants.get().unit.name
        print(f"\n{username} ({scope}, {access.members_for(user).count():,} records in scope)")
        run(user, args.repeat, args.explain)


if __name__ == "__main__":
    main()
