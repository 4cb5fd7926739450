"""Member counts by status for the province's unit page (the province and its ~120 base
committees, one query), on the 100,000-member demo database, today and on a past date.

    .venv/bin/python bench/unit_counts.py [--db PATH] [--repeat 7]
"""

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from _setup import DEFAULT_DB, use_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        from demo_generation import build

        build(args.db, 100_000, 1)
    else:
        use_database(args.db)

    from django.utils import timezone

    from chibo.core.formats import number
    from chibo.members.queries import unit_counts
    from chibo.org.models import OrgUnit

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    children = list(OrgUnit.objects.filter(parent=root))
    today = timezone.localdate()
    for label, on in [("today", today), ("five years ago", today - dt.timedelta(days=5 * 365))]:
        for units in ([root], [root, *children]):
            runs = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                counts = unit_counts(units, on)
                runs.append((time.perf_counter() - started) * 1000)
            c = counts[root.pk]
            print(
                f"{label:15} {len(units):4} units: median {statistics.median(runs):7.1f} ms "
                f"(in the Party {number(c['in_party'])}, official {number(c['official'])}, "
                f"probationary {number(c['probationary'])}, exempt {number(c['exempt'])})"
            )


if __name__ == "__main__":
    main()
