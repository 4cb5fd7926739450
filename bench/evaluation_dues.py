"""The evaluation and dues sections of the unit reports (issue 12) on the 100,000-member
database of bench/reports.py: a year of ratings and a year of dues added to it.

    .venv/bin/python bench/evaluation_dues.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/evaluation_dues.py --postgres URL [--keep] [--explain]

with URL postgres://postgres@127.0.0.1:5432/bench_reports, for example (the database
bench/reports.py keeps).

It uses bench/reports.py's database (SQLite /tmp/chibo-bench-reports-100k.sqlite3, the demo
generator's 100,000 members, 2,500 cells and base cells, 118 base committees; built with the
same generator when missing), migrates it, and, when the year 2025 has no ratings yet, adds
in one transaction (COPY on PostgreSQL, executemany on SQLite, no history rows: the reports
never read them):

- ratings of 2025: one published campaign per base organisation and one of the province;
  every member in the Party with an official placement on 31/12/2025 rated in that cell
  (3% not rated; of the others 12% excellent, 58% good, 27% complete, 3% incomplete), every
  cell rated by its base committee, every base organisation by the province;
- dues of 2025: a charge for every member in the Party placed on each month's last day, in
  the cell of that day (amounts of the 342-QĐ/TW categories); payments: 92% of member-months
  paid in full in the month, 2% in two parts, 1% overpaid, 1% paid in January 2026 (after
  the year: arrears of 2025), 4% unpaid; one remittance a month from every cell and base
  organisation.

Then it times, for the year 2025 and for December 2025, the two sections alone for the
province, the median base committee by members and one of its cells, and for the province's
sub-unit table (its sub-units as roots), with each one's query count (they must be equal).
Median and p95 (nearest rank) of --repeat runs after one warm-up. Target: the province's
evaluation figures and dues arrears under 500 ms on PostgreSQL. `--explain` prints the plans
of the province's queries (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN).
"""

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from _setup import ROOT, arguments, run

MEMBERS = 100_000
DEFAULT_DB = Path("/tmp/chibo-bench-reports-100k.sqlite3")
YEAR = 2025
TARGET_MS = 500
BATCH = 5000
MARK = "bench (issue 12)"  # the campaigns' regulation: the ratings this bench added


def _own_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--explain", action="store_true", help="Print the query plans.")
    parser.add_argument(
        "--work-mem",
        metavar="SIZE",
        help="PostgreSQL: SET work_mem to SIZE (e.g. 64MB) before measuring.",
    )
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
    """The database of bench/reports.py, from scratch (the ratings and dues are added by
    `measure`, as for a kept database)."""
    from django.core.management import call_command

    from chibo.demo.generate import demo_generate

    call_command("migrate", verbosity=0)
    return str(demo_generate(members=MEMBERS, seed=1))


# Writing -----------------------------------------------------------------------------------


def insert(model, rows: Iterable[dict]) -> int:
    """Rows as {attname: value}, ids included; missing columns get the field's default. COPY
    on PostgreSQL, a prepared INSERT through executemany on SQLite (as bench/deadlines.py)."""
    from django.db import connection

    ops = connection.ops
    now = dt.datetime.now(dt.UTC)
    spec = []
    for f in model._meta.concrete_fields:
        auto = getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
        spec.append((f.attname, f.column, now if auto else f.get_default()))

    def values(row: dict) -> tuple:
        out = []
        for attname, _, default in spec:
            v = row.get(attname, default)
            if isinstance(v, dt.datetime):
                v = ops.adapt_datetimefield_value(v)
            out.append(v)
        return tuple(out)

    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for _, c, _ in spec)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(spec))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(values(row))
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def _placed(province: int, on: dt.date) -> list[tuple[int, int]]:
    """(member, cell) of the members in the Party officially placed under the province on
    `on` (chibo.members.queries.placed_on)."""
    from chibo.members.models import IN_PARTY
    from chibo.members.queries import PLACED_CELL, placed_on

    rows, _root = placed_on([province], on)
    return list(
        rows.filter(status__in=[s.value for s in IN_PARTY])
        .values_list("member_id", f"{PLACED_CELL}id")
        .distinct()
    )


def build(seed: int = 12) -> dict[str, int]:
    """Ratings and dues of YEAR (see the module's docstring); rows written per table."""
    from django.db import transaction
    from django.utils import timezone

    from chibo.core.demo.writer import Ids, analyze
    from chibo.dues.models import DuesCharge, DuesPayment, Remittance
    from chibo.dues.paid import refresh
    from chibo.evaluation.models import Campaign, Evaluation
    from chibo.org.models import BASE_KINDS, Ancestry, Kind, OrgUnit

    rng = random.Random(seed)
    ids = Ids()
    now = timezone.now()
    dec31 = dt.date(YEAR, 12, 31)
    province = OrgUnit.objects.get(parent__isnull=True).pk
    units = dict(OrgUnit.all_objects.filter(deleted_at__isnull=True).values_list("pk", "kind"))
    # Each unit's base organisation on 31/12 (a base cell is its own).
    base_of: dict[int, int] = {u: u for u, kind in units.items() if kind in BASE_KINDS}
    for ancestor, descendant in (
        Ancestry.objects.valid(dec31)
        .filter(ancestor__kind=Kind.BASE_COMMITTEE, distance__gte=1)
        .values_list("ancestor_id", "descendant_id")
    ):
        base_of.setdefault(descendant, ancestor)
    written: dict[str, int] = {}

    def campaign(unit: int) -> dict:
        return {
            "id": ids.next(Campaign),
            "unit_id": unit,
            "year": YEAR,
            "regulation": MARK,
            "self_due": dt.date(YEAR, 12, 1),
            "cell_due": dt.date(YEAR, 12, 10),
            "decision_due": dt.date(YEAR, 12, 20),
            "publish_due": dec31,
            "published_at": now,
        }

    campaigns = {base: campaign(base) for base in sorted(set(base_of.values()))}
    top = campaign(province)
    levels = ["excellent", "good", "complete", "incomplete"]

    def level() -> str:
        return rng.choices(levels, weights=[12, 58, 27, 3])[0]

    evaluations: list[dict] = []
    for member, cell in _placed(province, dec31):
        base = base_of.get(cell)
        if base is None:
            continue
        skipped = rng.random() < 0.03
        evaluations.append(
            {
                "id": ids.next(Evaluation),
                "campaign_id": campaigns[base]["id"],
                "year": YEAR,
                "member_id": member,
                "cell_id": cell,
                "not_rated": "admitted_recently" if skipped else "",
                "level": "" if skipped else level(),
                "updated_at": now,
            }
        )
    for unit, kind in units.items():
        if kind == Kind.CELL and unit in base_of:
            by = campaigns[base_of[unit]]["id"]
        elif kind in BASE_KINDS:
            by = top["id"]
        else:
            continue
        evaluations.append(
            {
                "id": ids.next(Evaluation),
                "campaign_id": by,
                "year": YEAR,
                "unit_id": unit,
                "level": level(),
                "updated_at": now,
            }
        )

    charges: list[dict] = []
    payments: list[dict] = []
    remittances: list[dict] = []
    amounts: dict[int, int] = {}
    for month in range(1, 13):
        first = dt.date(YEAR, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for member, cell in _placed(province, last):
            amount = amounts.setdefault(
                member, rng.choice([6_000, 10_000, 25_000, 42_000, 55_000, 68_000, 90_000])
            )
            charges.append(
                {
                    "id": ids.next(DuesCharge),
                    "member_id": member,
                    "month": first,
                    "cell_id": cell,
                    "amount": amount,
                    "category": "salaried",
                }
            )
            luck = rng.random()
            if luck < 0.04:
                continue  # unpaid
            parts = [amount]
            on = first + dt.timedelta(days=rng.randrange(0, 25))
            if luck < 0.06:
                parts = [amount // 2, amount - amount // 2]
            elif luck < 0.07:
                parts = [amount + 5_000]
            elif luck < 0.08:
                on = dt.date(YEAR + 1, 1, 10)
            for i, part in enumerate(parts):
                payments.append(
                    {
                        "id": ids.next(DuesPayment),
                        "member_id": member,
                        "month": first,
                        "amount": part,
                        "paid_on": on + dt.timedelta(days=i),
                        "source": "treasurer",
                        "reference": "",
                    }
                )
        for unit, kind in units.items():
            if kind in (Kind.CELL, Kind.BASE_CELL, Kind.BASE_COMMITTEE):
                remittances.append(
                    {
                        "id": ids.next(Remittance),
                        "unit_id": unit,
                        "month": first,
                        "amount": rng.randrange(100, 2_000) * 1_000,
                        "paid_on": last,
                        "receipt_number": "",
                    }
                )
    from django.core.management.color import no_style
    from django.db import connection

    models = (Campaign, Evaluation, DuesCharge, DuesPayment, Remittance)
    with transaction.atomic():
        written["campaigns"] = insert(Campaign, [*campaigns.values(), top])
        written["evaluations"] = insert(Evaluation, evaluations)
        written["charges"] = insert(DuesCharge, charges)
        written["payments"] = insert(DuesPayment, payments)
        # What is paid kept on each charge, as the ledger's services keep it (chibo.dues.paid).
        refresh(DuesCharge.objects.filter(month__year=YEAR))
        written["remittances"] = insert(Remittance, remittances)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    analyze(models)
    if connection.vendor == "postgresql":
        # The visibility map, so that the (member, month) index of the payments is read
        # without its table (as autovacuum would leave it on a live server).
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    return written


# Timing ------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm-up
    runs = []
    for _i in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def p95(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def n_queries(fn: Callable[[], Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


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
        except Exception as error:  # the logged SQL is not always re-runnable as it stands
            print(f"  (could not explain: {error})")


def measure(repeat: int) -> None:
    from django.db import connection
    from django.db.models import Sum

    from chibo.core.formats import number
    from chibo.core.reporting import Period
    from chibo.dues.models import DuesCharge
    from chibo.dues.reporting import DuesSection
    from chibo.evaluation.models import Campaign, Evaluation
    from chibo.evaluation.reporting import EvaluationSection
    from chibo.members.queries import unit_counts
    from chibo.org.models import Ancestry, Kind, OrgUnit
    from chibo.org.queries import units_on
    from chibo.reports.queries import subunits

    if not Campaign.objects.filter(year=YEAR, regulation=MARK).exists():
        started = time.perf_counter()
        written = build()
        print(
            f"ratings and dues of {YEAR} added in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{number(n)} {what}" for what, n in written.items())
        )
    if OWN.work_mem and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, false)", [OWN.work_mem])
    year, december = Period.year(YEAR), Period.month(YEAR, 12)
    end = year.end
    province = OrgUnit.objects.get(parent__isnull=True)
    bases = list(OrgUnit.objects.filter(units_on(end), kind=Kind.BASE_COMMITTEE))
    sizes = unit_counts(bases, end)
    bases.sort(key=lambda u: (sizes[u.pk]["in_party"], u.pk))
    base = bases[len(bases) // 2]
    cell = OrgUnit.objects.filter(units_on(end), parent=base, kind=Kind.CELL).order_by("pk").first()
    assert cell is not None
    table = [u.pk for u in subunits(province, year)]
    evaluation, dues = EvaluationSection(), DuesSection()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    memory = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            memory = f" (work_mem {cursor.fetchone()[0]})"
    print(
        f"{connection.vendor}{memory}; load average {load} on {os.cpu_count()} cores; {repeat} "
        f"runs after a warm-up\n"
        f"{number(Evaluation.objects.filter(year=YEAR).count())} ratings of {YEAR}, "
        f"{number(DuesCharge.objects.filter(month__year=YEAR).count())} charges\n"
        f"province: {province.name}; base committee: {base.name} "
        f"({number(sizes[base.pk]['in_party'])} members, the median of {len(bases)}); "
        f"cell: {cell.name}; sub-unit table: {len(table)} roots"
    )
    if OWN.explain:
        print("\n=== evaluation, the province, the year")
        explain(n_queries(lambda: evaluation.figures([province.pk], year)))
        print("\n=== dues, the province, the year")
        explain(n_queries(lambda: dues.figures([province.pk], year)))
        return

    # The figures, and a check of the simplest ones against plain sums.
    found_e = evaluation.figures([province.pk], year)[province.pk]
    found_d = dues.figures([province.pk], year)[province.pk]
    members = found_e["members"]
    print(
        f"\nprovince {YEAR}: members rated {number(members['rated'])}, excellent "
        f"{members['excellent']['count']} ({members['excellent']['percent']}%); organisations "
        f"rated {number(found_e['units']['rated'])}; dues due {number(found_d['due'])} đ, paid "
        f"{number(found_d['paid'])} đ, arrears {number(found_d['arrears'])} đ, remitted "
        f"{number(found_d['remitted'])} đ"
    )
    plain_due = DuesCharge.objects.filter(month__year=YEAR).aggregate(s=Sum("amount"))["s"]
    same_due = "equal" if plain_due == found_d["due"] else "DIFFERENT"
    print(f"  all charges of {YEAR}: {number(plain_due)} đ: {same_due} to `due`")

    # What the arrears would cost if the ledger kept the amount paid on each charge: one pass
    # over the charges, as for `due` alone (the figures need the payments joined instead).
    one_pass = (
        DuesCharge.objects.filter(month__gte=year.start, month__lte=year.end)
        .filter(cell_id__in=Ancestry.objects.filter(ancestor=province).values("descendant_id"))
        .values("cell_id", "month")
        .annotate(due=Sum("amount"))
        .order_by()
    )
    runs = timed(lambda: list(one_pass.all()), repeat)  # .all(): not the cached rows
    print(
        f"  one pass over the charges of {YEAR} by cell and month (`due` alone, no payment): "
        f"median {ms(statistics.median(runs))} ms, p95 {ms(p95(runs))}"
    )

    print(
        f"\n{'':42} {'median ms':>10} {'p95 ms':>8}  queries (province / base committee / cell)"
        f"\n{'-' * 100}"
    )
    for name, s, period in (
        ("evaluation, year", evaluation, year),
        ("dues, year", dues, year),
        ("dues, December", dues, december),
    ):
        counts = [
            len(n_queries(partial(s.figures, [root], period)))
            for root in (province.pk, base.pk, cell.pk)
        ]
        same = "equal" if len(set(counts)) == 1 else "NOT EQUAL"
        for label, roots in (
            ("province", [province.pk]),
            ("base committee", [base.pk]),
            ("cell", [cell.pk]),
            (f"sub-unit table ({len(table)} roots)", table),
        ):
            runs = timed(partial(s.figures, roots, period), repeat)
            median = statistics.median(runs)
            verdict = ""
            if label == "province" and period is year:
                verdict = f"  target {TARGET_MS}: {'OK' if median < TARGET_MS else 'TOO SLOW'}"
            queries = (
                f"{counts[0]} / {counts[1]} / {counts[2]} ({same})" if label == "province" else ""
            )
            print(
                f"{name + ': ' + label:42} {ms(median):>10} {ms(p95(runs)):>8}  {queries}{verdict}"
            )


def main() -> None:
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    run(args, setup=setup, fill=fill, measure=measure)


if __name__ == "__main__":
    main()
