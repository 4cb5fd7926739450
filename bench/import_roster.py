"""A province's roster through the import: preview and commit of a workbook of 100,000
members (and the units they sit in), on SQLite and on PostgreSQL, with rows per second and
peak memory.

    .venv/bin/python bench/import_roster.py                        # 100,000 members, SQLite
    .venv/bin/python bench/import_roster.py --members 10000        # a smaller province
    .venv/bin/python bench/import_roster.py \\
        --postgres postgres://postgres@127.0.0.1:5432/h_bigimport_bench
    .venv/bin/python bench/import_roster.py --members 300 --one-by-one   # the old way

Each run starts from an empty, migrated database (a fresh SQLite file, or a PostgreSQL
database created and dropped by the script): the roster is imported into a province that
does not exist yet, as on a province's first day. Target: 100,000 members in under 5
minutes and under 1 GB.
"""

import argparse
import datetime as dt
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

from _setup import postgres_admin, remove_database, use_url

DISTRICTS = 10
COMMUNES = 10  # base committees per district
PER_CELL = 50  # members per cell: 100,000 members in 2,000 cells

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Lan", "Long", "Mai", "Nam", "Tâm", "Yến"]


def roster(members: int, *, seed: int = 1) -> bytes:
    """The import template's units and members sheets of a province of `members` members,
    written in openpyxl's streaming mode (the file of a province is some megabytes)."""
    from openpyxl import Workbook

    from chibo.testing.workbooks import MEMBER_HEAD, UNIT_HEAD

    rng = random.Random(seed)
    cells = max(1, members // PER_CELL)
    book = Workbook(write_only=True)
    units = book.create_sheet("Đơn vị")
    units.append([*UNIT_HEAD, "Khối, loại hình"])
    units.append(["T99", "Đảng bộ tỉnh Thử", "Đảng bộ tỉnh", "", "", ""])
    cell_codes: list[str] = []
    per_commune = -(-cells // (DISTRICTS * COMMUNES))
    for d in range(1, DISTRICTS + 1):
        district = f"T99-H{d:02d}"
        units.append([district, f"Đảng bộ huyện {d}", "Đảng bộ huyện", "T99", "", ""])
        for c in range(1, COMMUNES + 1):
            commune = f"{district}-X{c:02d}"
            units.append([commune, f"Đảng bộ xã {d}.{c}", "Đảng bộ xã", district, "", "Xã"])
            for k in range(1, per_commune + 1):
                if len(cell_codes) == cells:
                    break
                code = f"{commune}-CB{k:02d}"
                units.append([code, f"Chi bộ thôn {k}", "Chi bộ", commune, "Nông thôn", ""])
                cell_codes.append(code)
    sheet = book.create_sheet("Đảng viên")
    sheet.append(MEMBER_HEAD)
    for i in range(members):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 12_000))
        admitted = birth + dt.timedelta(days=365 * 20 + rng.randrange(0, 3_000))
        official = admitted + dt.timedelta(days=365)
        female = rng.random() < 0.4
        name = f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        sheet.append(
            [
                f"T99-{i + 1:06d}",
                name,
                "Nữ" if female else "Nam",
                birth.strftime("%d/%m/%Y"),
                f"09{rng.randrange(10**8):08d}",
                cell_codes[i % cells],
                admitted.strftime("%d/%m/%Y"),
                official.strftime("%d/%m/%Y"),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(members: int, url: str, *, bulk: bool = True) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import importlib

    from chibo.imports.services import import_commit, import_preview

    Operator = importlib.import_module("chibo.imports.management.commands.import").Operator

    started = time.perf_counter()
    content = roster(members)
    built = time.perf_counter() - started
    print(f"workbook: {members:,} members, {len(content) / 1e6:.1f} MB, built in {built:.0f} s")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    files = [("tinh-t99.xlsx", content)]
    del content
    actor = Operator()
    for name, run in (("preview", import_preview), ("commit", import_commit)):
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        started = time.perf_counter()
        report = run(actor=actor, files=files, bulk=bulk)
        took = time.perf_counter() - started
        rows = sum(len(s.rows) for s in report.sheets)
        counts = report.counts()
        print(
            f"{name}: {rows:,} rows in {took:.1f} s = {rows / took:,.0f} rows/s; "
            f"{counts}; errors: {list(report.issues())[:3]}; peak RSS {peak_rss_mb():,.0f} MB"
        )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/chibo-bench-import.sqlite3"))
    parser.add_argument("--postgres", metavar="URL", help="A database to create and drop.")
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="Every row through the services, none in batches (the way before issue 14).",
    )
    args = parser.parse_args()
    if args.postgres:
        from urllib.parse import urlsplit

        name = urlsplit(args.postgres).path.lstrip("/")
        assert name and name.isidentifier() and not name.startswith("test"), name
        postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
        try:
            use_url(args.postgres)
            measure(args.members, args.postgres, bulk=not args.one_by_one)
        finally:
            from django.db import connections

            connections.close_all()
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        return
    remove_database(args.db)
    use_url(f"sqlite:///{args.db}")
    measure(args.members, str(args.db), bulk=not args.one_by_one)


if __name__ == "__main__":
    sys.exit(main())
