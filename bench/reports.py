"""Unit reports (chibo.reports) of a 100,000-member province, 2,500 cells, a year of meetings.

Measures whatever report sections are registered (chibo.core.reporting) and says which:

- the province summary, `chibo.reports.queries.summary(province, period)` (target < 500 ms);
- one mid-sized base committee's summary (target < 100 ms);
- the province's sub-unit table, `subunits(province, period)` then `figures(their ids,
  period)` (target < 1 s);
- the number of queries of each, and the same for a small subtree (the base committee; one
  cell): the counts must be equal, whatever the size of the subtree;
- each section alone for the province (and for the sub-unit table's roots), to see which is
  slow;
- the members section against ONE hand-written SQL query computing the same counts (members
  at the start, at the end, official and probationary at the end): the numbers must be equal
  and the time ratio under 1.5. The hand query is also checked against
  `chibo.members.queries.unit_counts`, so the comparison is tested before the section exists.

    .venv/bin/python bench/reports.py [--db PATH] [--rebuild] [--repeat 7] [--year YYYY]
    .venv/bin/python bench/reports.py --postgres URL [--keep] [--explain SECTION]

with URL postgres://postgres@127.0.0.1:5432/bench_reports, for example.

SQLite: builds /tmp/chibo-bench-reports-100k.sqlite3 with the demo generator (100,000 members,
seed 1) if missing, and keeps it. PostgreSQL: creates the named database, fills it, measures,
drops it; with --keep it reuses that database when it is there and leaves it for the next run.

The period is the current year so far (1 January to today) by default: the demo's meetings
are the twelve months before the month it was generated in, so the last complete year holds
one month of them. `--year YYYY` measures that calendar year instead. Medians and p95 (nearest
rank: with 7 runs, the slowest) of --repeat runs after one warm-up run.
`--explain SECTION` (or `hand`, or `unit_counts`) prints the query plans of that section's
queries for the province (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN).
"""

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from _setup import ROOT, arguments, run

MEMBERS = 100_000
DEFAULT_DB = Path("/tmp/chibo-bench-reports-100k.sqlite3")
TARGETS_MS = {"province": 500, "base": 100, "table": 1000}
TARGET_RATIO = 1.5
MEMBER_FIGURES = ("start", "end", "official_end", "probationary_end")


def _own_options() -> argparse.Namespace:
    """Options of this bench alone (the shared ones are parsed by _setup.arguments)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--year", type=int, help="Measure this calendar year.")
    parser.add_argument("--explain", metavar="SECTION", help="Print the plans of its queries.")
    own, rest = parser.parse_known_args()
    sys.argv[1:] = rest
    return own


OWN = _own_options()


def setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def fill() -> str:
    from django.core.management import call_command

    from chibo.demo.generate import demo_generate

    call_command("migrate", verbosity=0)
    return str(demo_generate(members=MEMBERS, seed=1))


# Timing ----------------------------------------------------------------------------------------


@dataclass
class Timing:
    runs: list[float]  # ms, wall clock
    cpu: list[float]  # ms of this process's CPU time: all the work on SQLite, whatever the load

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def timed(fn: Callable[[], Any], repeat: int) -> Timing:
    fn()  # warm-up: registries discovered, caches and the database's pages loaded
    runs, cpu = [], []
    for _i in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return Timing(runs, cpu)


def paired(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> list[Timing]:
    """Both timed in turns, so that a change of the machine's load weighs on both alike."""
    first(), second()
    out = [Timing([], []), Timing([], [])]
    for _i in range(repeat):
        for fn, timing in zip((first, second), out, strict=True):
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            timing.runs.append((time.perf_counter() - started) * 1000)
            timing.cpu.append((time.process_time() - cpu_started) * 1000)
    return out


def captured(fn: Callable[[], Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def n_queries(fn: Callable[[], Any]) -> int:
    return len(captured(fn))


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


# The hand-written members query ---------------------------------------------------------------

# Members in the Party (official or probationary, exempt ones included) with an official,
# active, not deleted placement in a cell that lay in the root's subtree as the tree stood
# that day, on the period's first day (d0) and last day (d1): all four counts in one
# statement, by conditional aggregates. The WHERE keeps the rows valid at some time between
# the two days; each CASE counts the combinations that all hold on its day (a member has one
# official placement, one status period and one path up the tree on a given day, so nobody
# is counted twice). (A first version joined a two-row table of the days: PostgreSQL then
# misjudged the row counts and took twice as long; this form is the faster on both.)
HAND_SQL = """
SELECT a.ancestor_id,
       SUM(CASE WHEN {on_d0} THEN 1 ELSE 0 END) AS start_n,
       SUM(CASE WHEN {on_d1} THEN 1 ELSE 0 END) AS end_n,
       SUM(CASE WHEN s.status = 'official' AND {on_d1} THEN 1 ELSE 0 END) AS official_end,
       SUM(CASE WHEN s.status = 'probationary' AND {on_d1} THEN 1 ELSE 0 END)
         AS probationary_end
FROM org_ancestry a
JOIN members_placement p
  ON p.unit_id = a.descendant_id AND p.kind = 'official' AND p.deleted_at IS NULL
JOIN members_member m ON m.id = p.member_id AND m.deleted_at IS NULL
JOIN members_statusperiod s
  ON s.member_id = p.member_id AND s.status IN ('official', 'probationary')
WHERE a.ancestor_id IN ({roots}) AND {window}
GROUP BY a.ancestor_id
"""
# alias, first day column, column of the day it ends (excluded)
VALIDITY = (
    ("a", "valid_from", "valid_to"),
    ("p", "start", '"end"'),
    ("s", "valid_from", "valid_to"),
)


def hand_sql(roots: list[int], period) -> tuple[str, dict[str, str]]:
    from django.db import connection

    # SQLite stores dates as ISO text; PostgreSQL needs the literal typed.
    typed = "CAST(%({})s AS date)" if connection.vendor == "postgresql" else "%({})s"
    d0, d1 = typed.format("d0"), typed.format("d1")

    def valid(first: str, last: str) -> str:
        return " AND ".join(
            f"{t}.{start} <= {last} AND ({t}.{end} IS NULL OR {t}.{end} > {first})"
            for t, start, end in VALIDITY
        )

    sql = HAND_SQL.format(
        on_d0=valid(d0, d0),
        on_d1=valid(d1, d1),
        window=valid(d0, d1),
        roots=", ".join(str(int(root)) for root in roots),
    )
    return sql, {"d0": period.start.isoformat(), "d1": period.end.isoformat()}


def hand_counts(roots: list[int], period) -> dict[int, dict[str, int]]:
    from django.db import connection

    sql, params = hand_sql(roots, period)
    out = {root: dict.fromkeys(MEMBER_FIGURES, 0) for root in roots}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for root, *values in cursor.fetchall():
            out[root] = dict(zip(MEMBER_FIGURES, (int(v) for v in values), strict=True))
    return out


def unit_counts_figures(roots: list[int], period) -> dict[int, dict[str, int]]:
    """The same four counts through chibo.members.queries.unit_counts (same definition: in
    the Party, official placement in the subtree as it stood that day), two queries."""
    from chibo.members.queries import unit_counts
    from chibo.org.models import OrgUnit

    units = list(OrgUnit.all_objects.filter(pk__in=roots))
    at_start, at_end = unit_counts(units, period.start), unit_counts(units, period.end)
    return {
        root: {
            "start": at_start[root]["in_party"],
            "end": at_end[root]["in_party"],
            "official_end": at_end[root]["official"],
            "probationary_end": at_end[root]["probationary"],
        }
        for root in roots
    }


def member_figures(found: dict[str, Any]) -> dict[str, Any]:
    """The four counts out of the members section's figures."""
    return {key: found.get(key) for key in MEMBER_FIGURES}


# Plans -----------------------------------------------------------------------------------------


def explain(statements: list[str]) -> None:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    for i, sql in enumerate(statements, 1):
        print(f"\n--- query {i}:\n{sql}\n--- plan:")
        try:
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for row in cursor.fetchall():
                    print("  " + " | ".join(str(c) for c in row))
        except Exception as error:  # SQLite's logged SQL is not always re-runnable
            print(f"  (could not explain: {error})")


# Measure ---------------------------------------------------------------------------------------


def measure(repeat: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from chibo.core.formats import number
    from chibo.core.reporting import Period, section, sections
    from chibo.meetings.models import Meeting
    from chibo.members.models import Member
    from chibo.members.queries import unit_counts
    from chibo.org.models import Kind, OrgUnit
    from chibo.org.queries import units_on
    from chibo.reports.queries import figures, subunits, summary

    today = timezone.localdate()
    if OWN.year:
        period, which = Period.year(OWN.year), f"the year {OWN.year}"
    else:
        period = Period.between(dt.date(today.year, 1, 1), today)
        which = f"the year so far ({today.year})"
    end = period.end

    province = OrgUnit.objects.get(parent__isnull=True)
    cells = OrgUnit.objects.filter(units_on(end), kind__in=[Kind.CELL, Kind.BASE_CELL]).count()
    meetings = Meeting.objects.filter(planned_at__date__range=(period.start, end)).count()
    bases = list(OrgUnit.objects.filter(units_on(end), kind=Kind.BASE_COMMITTEE))
    sizes = unit_counts(bases, end)
    bases.sort(key=lambda u: (sizes[u.pk]["in_party"], u.pk))
    base = bases[len(bases) // 2]  # the median base committee by members
    cell = OrgUnit.objects.filter(units_on(end), parent=base, kind=Kind.CELL).order_by("pk").first()
    assert cell is not None
    registered = sections()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{connection.vendor}; load average {load} on {os.cpu_count()} cores; "
        f"{repeat} runs after a warm-up\n"
        f"period: {which}, {period.start:%d/%m/%Y}-{end:%d/%m/%Y}\n"
        f"{number(Member.objects.count())} member records, {number(cells)} cells and base "
        f"cells, {number(len(bases))} base committees, {number(meetings)} meetings in the "
        f"period\n"
        f"province: {province.name}; base committee: {base.name} "
        f"({number(sizes[base.pk]['in_party'])} members, the median of "
        f"{number(len(bases))}); cell: {cell.name}\n"
        f"sections registered: {', '.join(s.key for s in registered) or 'none'}"
    )
    if OWN.explain:
        if OWN.explain == "hand":
            sql, params = hand_sql([province.pk], period)
            statements = [sql % {key: f"'{day}'" for key, day in params.items()}]
        elif OWN.explain == "unit_counts":
            statements = captured(lambda: unit_counts_figures([province.pk], period))
        else:
            chosen = section(OWN.explain)
            assert chosen is not None, f"no section {OWN.explain!r} is registered"
            statements = captured(lambda: chosen.figures([province.pk], period))
        explain([s if isinstance(s, str) else s.decode() for s in statements])
        return

    table_ids: list[int] = []

    def table(unit: OrgUnit) -> None:
        ids = [u.pk for u in subunits(unit, period)]
        table_ids[:] = ids
        figures(ids, period)

    table(province)
    province_rows = len(table_ids)
    rows: list[tuple[str, Timing, str, str]] = []
    t_province = timed(lambda: summary(province, period), repeat)
    t_base = timed(lambda: summary(base, period), repeat)
    t_table = timed(lambda: table(province), repeat)
    q_province = n_queries(lambda: summary(province, period))
    q_base = n_queries(lambda: summary(base, period))
    q_cell = n_queries(lambda: summary(cell, period))
    q_table = n_queries(lambda: table(province))
    q_base_table = n_queries(lambda: table(base))
    base_rows = len(table_ids)

    def verdict(timing: Timing, target: int) -> str:
        return "OK" if timing.median < target else "TOO SLOW"

    rows.append(
        (
            "province summary",
            t_province,
            f"< {TARGETS_MS['province']}: {verdict(t_province, TARGETS_MS['province'])}",
            f"{q_province} (base committee {q_base}, cell {q_cell})",
        )
    )
    rows.append(
        (
            "base committee summary",
            t_base,
            f"< {TARGETS_MS['base']}: {verdict(t_base, TARGETS_MS['base'])}",
            f"{q_base}",
        )
    )
    rows.append(
        (
            f"sub-unit table ({province_rows} rows)",
            t_table,
            f"< {TARGETS_MS['table']}: {verdict(t_table, TARGETS_MS['table'])}",
            f"{q_table} (base committee's, {base_rows} rows: {q_base_table})",
        )
    )
    province_ids = [province.pk]
    sub_ids = [u.pk for u in subunits(province, period)]
    per_section: list[tuple[str, Timing, Timing, int, int]] = []
    for s in registered:
        one = timed(partial(s.figures, province_ids, period), repeat)
        many = timed(partial(s.figures, sub_ids, period), repeat)
        q_one = n_queries(partial(s.figures, province_ids, period))
        q_small = n_queries(partial(s.figures, [base.pk], period))
        per_section.append((s.key, one, many, q_one, q_small))

    same = {q_province, q_base, q_cell} == {q_province} and q_table == q_base_table
    print(
        f"\n{'':30} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}  {'target ms':18} queries\n"
        + "-" * 100
    )
    for label, timing, target, queries in rows:
        print(
            f"{label:30} {ms(timing.median):>10} {ms(timing.p95):>8} "
            f"{ms(timing.cpu_median):>8}  {target:18} {queries}"
        )
    print(
        "query counts: "
        + ("the same for the province and the small subtrees" if same else "NOT THE SAME")
        + "\n(CPU ms: median CPU time of this process; on SQLite that is all the work, whatever"
        " the load of the machine; on PostgreSQL the server's share is not in it)"
    )
    if per_section:
        print(
            f"\n{'section':16} {'province':>26} {'sub-unit table':>26}  queries (province / "
            f"base committee)\n{'':16}"
            + f" {'median':>8} {'p95':>8} {'CPU':>8}" * 2
            + "\n"
            + "-" * 100
        )
        for key, one, many, q_one, q_small in per_section:
            print(
                f"{key:16} {ms(one.median):>8} {ms(one.p95):>8} {ms(one.cpu_median):>8}"
                f" {ms(many.median):>8} {ms(many.p95):>8} {ms(many.cpu_median):>8}"
                f"  {q_one} / {q_small}"
            )

    # The members section against one hand-written query ------------------------------------
    roots = [province.pk, base.pk]
    hand = hand_counts(roots, period)
    reference = unit_counts_figures(roots, period)
    t_hand, t_reference = paired(
        lambda: hand_counts(province_ids, period),
        lambda: unit_counts_figures(province_ids, period),
        repeat,
    )
    print("\nmembers: " + ", ".join(MEMBER_FIGURES))
    for root, label in ((province.pk, "province"), (base.pk, "base committee")):
        equal = "equal" if hand[root] == reference[root] else "DIFFERENT"
        print(
            f"  {label:15} hand query {list(hand[root].values())}, "
            f"unit_counts {list(reference[root].values())}: {equal}"
        )
    print(
        f"  hand query (1 query): median {ms(t_hand.median)} ms (p95 {ms(t_hand.p95)}, CPU "
        f"{ms(t_hand.cpu_median)}); unit_counts at start and end (2 queries): median "
        f"{ms(t_reference.median)} ms (CPU {ms(t_reference.cpu_median)}), ratio "
        f"{t_reference.median / t_hand.median:.2f}"
    )
    members = section("members")
    if members is None:
        print("  the members section is not registered: no ratio measured")
        return
    found = members.figures(roots, period)
    for root, label in ((province.pk, "province"), (base.pk, "base committee")):
        mine = member_figures(found[root])
        equal = "equal" if mine == hand[root] else "DIFFERENT"
        print(f"  {label:15} members section {list(mine.values())}: {equal} to the hand query")
    t_members, t_hand = paired(
        lambda: members.figures(province_ids, period),
        lambda: hand_counts(province_ids, period),
        repeat,
    )
    ratio = t_members.median / t_hand.median
    # On PostgreSQL the CPU time of this process leaves out the server's work: no ratio.
    cpu_ratio = (
        f", of CPU times {t_members.cpu_median / t_hand.cpu_median:.2f}"
        if connection.vendor == "sqlite"
        else ""
    )
    print(
        f"  timed in turns: members section for the province median {ms(t_members.median)} ms "
        f"(CPU {ms(t_members.cpu_median)}), hand query {ms(t_hand.median)} ms (CPU "
        f"{ms(t_hand.cpu_median)}): ratio {ratio:.2f}{cpu_ratio} "
        f"(target < {TARGET_RATIO}: {'OK' if ratio < TARGET_RATIO else 'TOO SLOW'})"
    )


def main() -> None:
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    run(args, setup=setup, fill=fill, measure=measure)


if __name__ == "__main__":
    main()
