"""How long `chibo demo` takes to generate 100,000 members into a fresh SQLite database.

    .venv/bin/python bench/demo_generation.py [--members 100000] [--seed 1] [--db PATH]

Target: under 60 s. The database is kept (default /tmp/chibo-bench-100k.sqlite3) for
bench/member_search.py.
"""

import argparse
import time
from pathlib import Path

from _setup import DEFAULT_DB, remove_database, use_database

TARGET_SECONDS = 60


def build(path: Path, members: int, seed: int) -> float:
    """A fresh database at `path`, migrated and filled; returns the generation time."""
    remove_database(path)
    use_database(path)
    from django.core.management import call_command

    from chibo.demo.generate import demo_generate

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    summary = demo_generate(members=members, seed=seed)
    print(f"generate: {summary}")
    print(f"peak memory: {summary.peak_mib:,.0f} MiB")
    return summary.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()
    seconds = build(args.db, args.members, args.seed)
    size = args.db.stat().st_size / 1e6
    verdict = "OK" if seconds < TARGET_SECONDS else "TOO SLOW"
    print(f"{args.members:,} members in {seconds:.1f} s (target < {TARGET_SECONDS} s): {verdict}")
    print(f"database: {args.db} ({size:.0f} MB)")


if __name__ == "__main__":
    main()
