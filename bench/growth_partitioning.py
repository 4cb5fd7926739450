"""Would partitioning the meeting roster (meetings_attendance) by year pay, against the
indexes it has? A synthetic roster, written in meeting order as the real one is, in two
tables of the same rows: one plain with the roster's indexes, one declaratively partitioned
by the meeting's year with the same indexes in each partition. Then the roster's hot queries
on both (median time, and shared buffers touched: the pages read, which is what grows when
the table no longer fits in memory), and the removal of the oldest year.

    .venv/bin/python bench/growth_partitioning.py --postgres URL [--years 5] [--cells 16000]
        [--keep]

URL names a database this script creates and drops (not one starting with `test`), e.g.
postgres://postgres@127.0.0.1:5432/growth_part. With 16,000 cells of 20 members and 13
meetings a cell a year, each year is 4.16 million roster rows (the country writes about 80
million a year); --years 5 writes 20.8 million rows to each table (about 5 GB for both).
"""

import argparse
import random
import statistics
import time

import psycopg
from _setup import postgres_admin

SCHEMA = """
CREATE TABLE meeting (id int PRIMARY KEY, cell_id int NOT NULL, year smallint NOT NULL,
                      kind text NOT NULL);
CREATE TABLE att_plain (
    id bigint PRIMARY KEY, meeting_id int NOT NULL, member_id int NOT NULL,
    official bool NOT NULL, exempt bool NOT NULL, away bool NOT NULL, hosted bool NOT NULL,
    presence varchar(10) NOT NULL, reason varchar(200) NOT NULL, late bool NOT NULL,
    left_early bool NOT NULL, checked_in_at timestamptz);
CREATE TABLE att_part (LIKE att_plain, year smallint NOT NULL) PARTITION BY RANGE (year);
"""

INDEXES = """
CREATE UNIQUE INDEX ON {t} (meeting_id, member_id{y});
CREATE INDEX ON {t} (member_id);
CREATE INDEX ON {t} (member_id, meeting_id) WHERE presence = 'unexcused';
CREATE INDEX ON {t} (meeting_id) WHERE presence = 'unexcused' AND NOT away;
"""


def build(conn, years: int, cells: int, size: int) -> None:
    conn.execute(SCHEMA)
    first = 2020
    for y in range(first, first + years):
        conn.execute(
            f"CREATE TABLE att_part_{y} PARTITION OF att_part FOR VALUES FROM ({y}) TO ({y + 1})"
        )
    # Meetings: each cell 12 regular meetings and one thematic a year; ids grow with time.
    conn.execute(
        """INSERT INTO meeting SELECT (y - %(first)s) * 13 * %(cells)s + m * %(cells)s + c + 1,
                  c, y, CASE WHEN m = 12 THEN 'thematic' ELSE 'regular' END
           FROM generate_series(%(first)s::int, %(last)s::int) y, generate_series(0, 12) m,
                generate_series(0, %(cells)s::int - 1) c""",
        {"first": first, "last": first + years - 1, "cells": cells},
    )
    fill = """INSERT INTO {t} SELECT row_number() OVER (ORDER BY g.id, s),
                  g.id, g.cell_id * %(size)s + s, true, false, (s = 7), false,
                  CASE WHEN random() < 0.03 THEN 'unexcused' WHEN random() < 0.1 THEN 'excused'
                       ELSE 'present' END, '', false, false, NULL{y}
              FROM meeting g, generate_series(0, %(size)s::int - 1) s ORDER BY g.id, s"""
    for table, year in (("att_plain", ""), ("att_part", ", g.year")):
        started = time.perf_counter()
        conn.execute(fill.format(t=table, y=year), {"size": size})
        conn.execute(INDEXES.format(t=table, y=", year" if table == "att_part" else ""))
        if table == "att_part":  # a partitioned table's keys include its partition key
            conn.execute("ALTER TABLE att_part ADD PRIMARY KEY (id, year)")
        conn.execute(f"ANALYZE {table}")
        print(f"{table}: written and indexed in {time.perf_counter() - started:.0f} s")
    conn.execute("CREATE INDEX ON meeting (year, kind)")
    conn.execute("ANALYZE meeting")


def explain(conn, sql: str, params: dict) -> tuple[float, int]:
    plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params).fetchone()[0][0]
    top = plan["Plan"]
    return plan["Execution Time"] + plan["Planning Time"], top["Shared Hit Blocks"] + top.get(
        "Shared Read Blocks", 0
    )


def measure(conn, years: int, cells: int, size: int, repeat: int, keep: bool) -> None:
    last = 2020 + years - 1
    meetings_a_year = 13 * cells
    rng = random.Random(1)
    recent = [
        (years - 1) * meetings_a_year + rng.randrange(meetings_a_year) + 1 for _ in range(repeat)
    ]
    old = [rng.randrange(meetings_a_year) + 1 for _ in range(repeat)]
    members = [rng.randrange(cells * size) for _ in range(repeat)]
    cases = [
        (
            "a recent meeting's roster",
            "SELECT * FROM {t} WHERE meeting_id = %(m)s{yy}",
            "m",
            recent,
        ),
        ("an old meeting's roster", "SELECT * FROM {t} WHERE meeting_id = %(m)s{yo}", "m", old),
        (
            "a member's attendance, all years",
            "SELECT * FROM {t} WHERE member_id = %(m)s",
            "m",
            members,
        ),
        (
            "a member's unexcused absences at the year's regular meetings",
            """SELECT count(*) FROM {t} a JOIN meeting g ON g.id = a.meeting_id
               WHERE a.member_id = %(m)s AND a.presence = 'unexcused' AND g.year = {last}
               AND g.kind = 'regular'{ya}""",
            "m",
            members,
        ),
        (
            "the year's unexcused absences of 1,000 cells (removal review)",
            """SELECT a.member_id, count(*) FROM {t} a JOIN meeting g ON g.id = a.meeting_id
               WHERE a.presence = 'unexcused' AND NOT a.away AND g.year = {last}
               AND g.kind = 'regular' AND g.cell_id BETWEEN %(m)s AND %(m)s + 999{ya}
               GROUP BY a.member_id""",
            "m",
            [rng.randrange(max(1, cells - 1000)) for _ in range(repeat)],
        ),
    ]
    print(f"\n{repeat} runs each, median ms / shared buffers (8 kB pages) touched:")
    print("| query | plain table | partitioned, no year in the query | partitioned, year given |")
    print("|---|---|---|---|")
    for label, sql, key, values in cases:
        cells_out = []
        for table, with_year in (("att_plain", False), ("att_part", False), ("att_part", True)):
            years_of = {}
            if with_year:
                years_of = {
                    "yy": f" AND year = {last}",
                    "yo": " AND year = 2020",
                    "ya": f" AND a.year = {last}",
                }
            q = sql.format(t=table, last=last, **{"yy": "", "yo": "", "ya": "", **years_of})
            runs = [explain(conn, q, {key: v}) for v in values]
            ms = statistics.median(r[0] for r in runs)
            pages = statistics.median(r[1] for r in runs)
            cells_out.append(f"{ms:.2f} ms / {pages:.0f}")
        print(f"| {label} | " + " | ".join(cells_out) + " |")
    for table in ("att_plain", "att_part"):
        size = conn.execute(f"SELECT pg_total_relation_size('{table}')").fetchone()[0]
        if table == "att_part":
            size = conn.execute(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                "WHERE inhparent = 'att_part'::regclass"
            ).fetchone()[0]
        print(f"{table}: {size / 2**30:.2f} GiB with indexes")
    if keep:
        return  # the next run measures the same rows
    # Removing the oldest year: a DELETE against dropping a partition.
    started = time.perf_counter()
    with conn.transaction():
        n = conn.execute(
            "DELETE FROM att_plain WHERE meeting_id <= %(n)s", {"n": meetings_a_year}
        ).rowcount
    print(
        f"\nremove 2020 from the plain table: {n:,} rows in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    with conn.transaction():
        conn.execute("ALTER TABLE att_part DETACH PARTITION att_part_2020")
        conn.execute("DROP TABLE att_part_2020")
    print(f"remove 2020 from the partitioned table: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, metavar="URL")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--cells", type=int, default=16_000)
    parser.add_argument("--size", type=int, default=20, help="Members per cell.")
    parser.add_argument("--repeat", type=int, default=41)
    parser.add_argument("--keep", action="store_true", help="Keep the database (and reuse it).")
    args = parser.parse_args()
    name = args.postgres.rsplit("/", 1)[-1]
    assert name.isidentifier() and not name.startswith("test"), "Name a scratch database."
    exists = postgres_admin(args.postgres, "SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    if not (args.keep and exists):
        postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("SET jit = off")
            if not (args.keep and exists):
                build(conn, args.years, args.cells, args.size)
            measure(conn, args.years, args.cells, args.size, args.repeat, args.keep)
    finally:
        if not args.keep:
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
