"""Member counts by status: `unit_counts` (the kept counts since issue 13) beside the recount
from the raw rows it replaced (status periods joined to placements and the closure table,
`placed_on`), for the province alone and with its ~120 base committees, today and five years
ago; then the pages that show them: the province's and a commune's home and unit page.

    .venv/bin/python bench/unit_counts.py [--db PATH] [--repeat 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/unit_counts.py

The database is read as it is (the demo at 100,000 members: bench/demo_generation.py builds
the SQLite file if missing). Run it from a checkout without the kept counts and the first
column is the recount twice (the script asks for neither the table nor the command).
"""

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

from _setup import DEFAULT_DB, use_database


def median_ms(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result


def recount(units, on):
    """unit_counts as it was before the counts were kept (one query over the members)."""
    from django.db.models import Count, Q

    from chibo.members.models import Status, exempt_on
    from chibo.members.queries import placed_on

    result = {u.pk: {"in_party": 0, "official": 0, "probationary": 0, "exempt": 0} for u in units}
    placed, root = placed_on([u.pk for u in units], on)
    rows = placed.values(root, "status").annotate(
        n=Count("pk"), n_exempt=Count("pk", filter=Q(exempt_on(on, "member_id")))
    )
    for row in rows:
        if row["status"] in (Status.OFFICIAL, Status.PROBATIONARY):
            c = result[row[root]]
            c[row["status"]] += row["n"]
            c["in_party"] += row["n"]
            c["exempt"] += row["n_exempt"]
    return result


def pages(repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from chibo.accounts.models import User
    from chibo.org import access

    for username in ("province", "commune"):
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no {username!r} login in this database: pages skipped")
            continue
        unit = access.root_units_for(user).order_by("pk").first()
        client = Client()
        client.force_login(user)
        for label, url in (
            ("home", reverse("site:home")),
            ("unit page", reverse("org:unit", args=[unit.pk])),
        ):

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            ms, _ = median_ms(get, repeat)
            print(f"{username:8} {label:10} ({unit.name}): median {ms:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite (no DATABASE_URL)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import sys

        from _setup import ROOT

        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
        import django

        django.setup()
        print(f"PostgreSQL {url.rsplit('/', 1)[-1]}")
    elif not args.db.exists():
        from demo_generation import build

        build(args.db, 100_000, 1)
    else:
        use_database(args.db)
        print(f"SQLite {args.db}")

    from django.conf import settings
    from django.utils import timezone

    from chibo.core.formats import number
    from chibo.members.queries import unit_counts
    from chibo.org.models import OrgUnit

    settings.ALLOWED_HOSTS = ["*"]
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    children = list(OrgUnit.objects.filter(parent=root))
    today = timezone.localdate()
    for label, on in [("today", today), ("five years ago", today - dt.timedelta(days=5 * 365))]:
        for units in ([root], [root, *children]):
            kept_ms, kept = median_ms(
                lambda units=units, on=on: unit_counts(units, on), args.repeat
            )
            raw_ms, raw = median_ms(lambda units=units, on=on: recount(units, on), args.repeat)
            same = all(
                kept[u.pk][k] == raw[u.pk][k]  # type: ignore[index]
                for u in units
                for k in ("in_party", "official", "probationary", "exempt")
            )
            c = kept[root.pk]  # type: ignore[index]
            print(
                f"{label:15} {len(units):4} units: unit_counts {kept_ms:7.1f} ms, recount "
                f"{raw_ms:7.1f} ms, {'same' if same else 'DIFFERENT'} (in the Party "
                f"{number(c['in_party'])}, official {number(c['official'])}, probationary "
                f"{number(c['probationary'])}, exempt {number(c['exempt'])})"
            )
    pages(args.repeat)


if __name__ == "__main__":
    main()
