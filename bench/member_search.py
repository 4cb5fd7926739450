"""Member search on the 100,000-member demo database, through the member list's code path:
access.members_for(user).search(q), ordered, one page of 25 plus the total count.

    .venv/bin/python bench/member_search.py [--db PATH] [--repeat 15] [--explain] [--what-if]

Builds the database with bench/demo_generation.py first if it is missing.
Target: median under 50 ms per search (page and count together).
--what-if also times the changes proposed in bench/README.md, without making them.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from _setup import DEFAULT_DB, use_database

TARGET_MEDIAN_MS = 50
PAGE = 25
# Diacritic-free, as people type them: full names, family + middle, a given name alone.
QUERIES = ["nguyen van hung", "tran thi", "le duc", "hung", "lan", "pham minh", "thi thu ha"]


def search_once(members, q: str, search: Callable) -> tuple[float, int]:
    started = time.perf_counter()
    qs = search(members(), q).order_by("search_name", "pk")
    page = list(qs[:PAGE])
    total = qs.count() if len(page) == PAGE else len(page)
    return (time.perf_counter() - started) * 1000, total


def run(label: str, members, search, repeat: int, explain: bool = False) -> None:
    print(f"  {label}")
    timings: list[float] = []
    for q in QUERIES:
        search_once(members, q, search)  # warm the page cache
        runs = [search_once(members, q, search) for _ in range(repeat)]
        ms = [t for t, _ in runs]
        timings += ms
        print(f"    {q!r:20} {runs[0][1]:6,} found   median {statistics.median(ms):6.1f} ms")
        if explain:
            qs = search(members(), q).order_by("search_name", "pk")
            print("      page:  " + qs[:PAGE].explain().replace("\n", "\n             "))
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    verdict = "OK" if median < TARGET_MEDIAN_MS else "TOO SLOW"
    print(
        f"    all: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(target median < {TARGET_MEDIAN_MS} ms): {verdict}"
    )


def what_if(user) -> dict[str, tuple[Callable, Callable]]:
    """The proposed changes, as (members, search) pairs built outside the app's code."""
    from django.db import connection
    from django.db.models import Exists, OuterRef, Q
    from django.db.models.expressions import RawSQL

    from chibo.accounts.models import READ_ROLES, RoleGrant
    from chibo.core import access
    from chibo.core.search import terms
    from chibo.members.models import Member, Placement, PlacementKind
    from chibo.org.models import Ancestry, OrgUnit

    def plain(qs, q):
        return qs.search(q)

    granted = RoleGrant.objects.filter(user_id=user.pk, role__in=READ_ROLES).values("unit_id")
    uncovered_roots = OrgUnit.objects.filter(parent__isnull=True).exclude(pk__in=granted)

    def covers_every_root():
        # A read grant on every root unit reads everything: no scope filter at all.
        return Member.objects.all()

    def scoped():
        return access.members_for(user)

    def exists_scope():
        # The scope tested per row with EXISTS on the ancestry, instead of IN (subquery).
        links = Ancestry.objects.valid().filter(ancestor_id__in=granted)
        home = links.filter(descendant_id=OuterRef("home_unit_id"))
        hosted = Placement.objects.filter(
            member_id=OuterRef("pk"),
            kind=PlacementKind.TEMPORARY,
            end__isnull=True,
            unit_id__in=links.values("descendant_id"),
        )
        return Member.objects.filter(Q(Exists(home)) | Q(Exists(hosted)))

    with connection.cursor() as cursor:
        # A trigram index over the folded names (kept in TEMP: the database is not changed).
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.member_fts "
            "USING fts5(search_name, tokenize='trigram')"
        )
        cursor.execute("DELETE FROM temp.member_fts")
        cursor.execute(
            "INSERT INTO temp.member_fts(rowid, search_name) SELECT id, search_name "
            "FROM members_member"
        )

    def trigram(qs, q):
        words = terms(q)
        long = [w for w in words if len(w) >= 3]  # trigrams need three letters
        if long:
            match = " AND ".join(f'"{w}"' for w in long)
            qs = qs.filter(
                pk__in=RawSQL("SELECT rowid FROM member_fts WHERE member_fts MATCH %s", [match])
            )
        for w in words:
            if len(w) < 3:
                qs = qs.filter(search_name__contains=w)
        return qs

    pairs = {
        "what if: scope test as EXISTS per row": (exists_scope, plain),
        "what if: trigram index (FTS5) finds the names, then the scope": (scoped, trigram),
    }
    if not uncovered_roots.exists():
        pairs["what if: a grant on every root skips the scope filter"] = (covers_every_root, plain)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="Print the page query plans.")
    parser.add_argument("--what-if", action="store_true", help="Time the proposed changes.")
    args = parser.parse_args()
    if not args.db.exists():
        from demo_generation import build

        build(args.db, 100_000, 1)
    else:
        use_database(args.db)

    from chibo.accounts.models import User
    from chibo.core import access
    from chibo.members.models import Member

    print(f"{Member.objects.count():,} members in {args.db}")
    for username in ("province", "commune"):
        user = User.objects.get(username=username)
        scope = user.grants.get().unit.name
        print(f"\n{username} ({scope}, {access.members_for(user).count():,} members in scope)")
        run(
            "as the member list does it today",
            lambda user=user: access.members_for(user),
            lambda qs, q: qs.search(q),
            args.repeat,
            args.explain,
        )
        if args.what_if:
            for label, (members, search) in what_if(user).items():
                run(label, members, search, args.repeat)


if __name__ == "__main__":
    main()
