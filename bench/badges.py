"""The Party badge list of a 100,000-member province for the next award occasion: time and
query count of the list (chibo.badges.queries.due_list) and of its counts (due_counts).

    .venv/bin/python bench/badges.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/badges.py --postgres URL [--keep]

with URL postgres://postgres@127.0.0.1:5432/bench_badges, for example.

Builds its own data with bulk inserts (chibo.core.demo.writer; no history rows): one province,
100 base committees of 25 cells, 40 members a cell. Admissions from 1950 on, most after 1995;
badges already awarded for every milestone reached before the last occasion, except for 3% of
the members (a backlog); 2% exempt for illness, 0.6% disciplined in the last 14 months, 1.2%
died in the last 18 months, 1% removed and readmitted. SQLite: /tmp/chibo-bench-badges.sqlite3,
kept. PostgreSQL: creates the named database, fills it, measures, drops it (--keep: reuse it).
Target: the list under 2 s on PostgreSQL, a query count that does not grow with the members.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k .venv/bin/python bench/badges.py

measures an existing demo database instead (`chibo demo`; nothing is written): the list and
counts of the demo logins' province and commune. Target: the province's list under 500 ms.
"""

import bisect
import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path

from _setup import arguments, run

TARGET_MS = 2000
DEMO_TARGET_MS = 500  # a province's list in an existing demo database (issue 13)
BASES, CELLS, PER_CELL = 100, 25, 40
DEFAULT_DB = Path("/tmp/chibo-bench-badges.sqlite3")


def setup(url: str) -> None:
    from compliance import setup as compliance_setup

    compliance_setup(url)


def _admission(rng: random.Random, today: dt.date) -> dt.date:
    roll = rng.random()
    if roll < 0.10:
        first, last = dt.date(1950, 1, 1), dt.date(1975, 12, 31)
    elif roll < 0.35:
        first, last = dt.date(1976, 1, 1), dt.date(1995, 12, 31)
    else:
        first, last = dt.date(1996, 1, 1), today - dt.timedelta(days=400)
    return first + dt.timedelta(days=rng.randrange((last - first).days))


def fill(seed: int = 1) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from chibo import rules
    from chibo.badges.models import BadgeAward
    from chibo.badges.queries.occasions import next_occasion, occasions
    from chibo.badges.services import keep_badge_years
    from chibo.core.demo.writer import BulkWriter, Ids, analyze
    from chibo.members import derive
    from chibo.members.models import (
        EventKind,
        ExemptionReason,
        Member,
        MemberEvent,
        Placement,
        StatusPeriod,
    )
    from chibo.org.models import Ancestry, CellType, Kind, OrgUnit
    from chibo.rules.calendar import add_months, add_years

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    today = timezone.localdate()
    ids = Ids()
    w = BulkWriter(timezone.now(), ids)
    book = rules.RuleBook()
    badge_rules = book.at(today, None)
    assert badge_rules.badge_years, "the badge rules of the migrations are missing"
    # The occasion before the next one: everything reached by then has been awarded.
    occasion = next_occasion(today - dt.timedelta(days=1))
    assert occasion is not None
    past = [
        o.date for y in range(1950, today.year + 1) for o in occasions(y) if o.date < occasion.date
    ]
    last = max(past)

    units: list[dict] = []
    links: list[dict] = []

    def unit(kind: str, name: str, code: str, parent: dict | None, depth: int, **kw) -> dict:
        row = {
            "id": ids.next(OrgUnit),
            "kind": kind,
            "name": name,
            "code": code,
            "parent_id": parent["id"] if parent else None,
            "depth": depth,
            **kw,
        }
        units.append(row)
        links.append(
            {
                "id": ids.next(Ancestry),
                "ancestor_id": row["id"],
                "descendant_id": row["id"],
                "distance": 0,
            }
        )
        return row

    province = unit(Kind.PROVINCE, "Đảng bộ tỉnh Bench", "BENCH", None, 0)
    cells = []
    for b in range(BASES):
        base = unit(
            Kind.BASE_COMMITTEE, f"Đảng bộ xã Bench {b + 1}", f"BENCH-X{b + 1:03d}", province, 1
        )
        links.append(
            {
                "id": ids.next(Ancestry),
                "ancestor_id": province["id"],
                "descendant_id": base["id"],
                "distance": 1,
            }
        )
        for c in range(CELLS):
            cell = unit(
                Kind.CELL,
                f"Chi bộ {b + 1}.{c + 1}",
                f"BENCH-X{b + 1:03d}-{c + 1:02d}",
                base,
                2,
                cell_type=CellType.RURAL,
            )
            cells.append(cell)
            for above, distance in ((base, 1), (province, 2)):
                links.append(
                    {
                        "id": ids.next(Ancestry),
                        "ancestor_id": above["id"],
                        "descendant_id": cell["id"],
                        "distance": distance,
                    }
                )

    members, placements, events, periods, awards = [], [], [], [], []
    n = 0
    for cell in cells:
        for _i in range(PER_CELL):
            n += 1
            mid = ids.next(Member)
            admitted = _admission(rng, today)
            born = add_years(admitted, -rng.randint(19, 40))
            evs: list[dict] = []

            def event(kind: str, date: dt.date, mid=mid, evs=evs, **extra) -> None:
                evs.append(
                    {
                        "id": ids.next(MemberEvent),
                        "member_id": mid,
                        "kind": kind,
                        "date": date,
                        **extra,
                    }
                )

            event(EventKind.ADMITTED, admitted)
            event(EventKind.OFFICIAL, add_years(admitted, 1))
            roll = rng.random()
            if roll < 0.02:
                event(
                    EventKind.EXEMPTED,
                    today - dt.timedelta(days=rng.randrange(30, 900)),
                    reason=ExemptionReason.ILLNESS,
                )
            elif roll < 0.026:
                kind = rng.choice([EventKind.REPRIMAND, EventKind.WARNING, EventKind.DISMISSAL])
                event(kind, today - dt.timedelta(days=rng.randrange(1, 420)))
            elif roll < 0.038:
                event(EventKind.DECEASED, today - dt.timedelta(days=rng.randrange(1, 540)))
            elif roll < 0.048 and admitted < dt.date(2010, 1, 1):
                out = admitted + dt.timedelta(days=rng.randrange(400, 3000))
                event(EventKind.REMOVED, out)
                event(EventKind.READMITTED, out + dt.timedelta(days=rng.randrange(300, 1500)))
            facts = [derive.EventFact(e["id"], e["kind"], e["date"]) for e in evs]
            pl = {
                "id": ids.next(Placement),
                "member_id": mid,
                "unit_id": cell["id"],
                "kind": "official",
                "start": admitted,
            }
            copies = derive.copies(
                [derive.PlacementFact(pl["id"], cell["id"], "official", admitted)],
                facts,
                lambda day: book.at(day, None).probation_months,
            )
            status = derive.status_periods(facts)
            for p in status:
                periods.append({"id": ids.next(StatusPeriod), "member_id": mid, **p._asdict()})
            starts = [p.party_age_from for p in status if p.party_age_from]
            died = [e["date"] for e in evs if e["kind"] == EventKind.DECEASED]
            until = min([last, *died])
            if starts and rng.random() > 0.03:  # 3%: no award recorded yet (a backlog)
                begin = starts[-1]
                for years in badge_rules.badge_years:
                    reached = add_years(begin, years)
                    if reached > until:
                        break
                    on = past[bisect.bisect_left(past, reached)]
                    awards.append(
                        {
                            "id": ids.next(BadgeAward),
                            "member_id": mid,
                            "years": years,
                            "occasion_date": on,
                            "decision_number": f"{n}-QĐ/TU",
                            "decision_on": add_months(on, -1),
                        }
                    )
            members.append(
                {
                    "id": mid,
                    "code": f"BENCH{n:06d}",
                    "full_name": f"Đảng viên {n}",
                    "search_name": f"dang vien {n}",
                    "gender": "male",
                    "birth_date": born,
                    **copies._asdict(),
                }
            )
            placements.append(pl)
            events.extend(evs)
    with transaction.atomic():
        w.insert(OrgUnit, units, history=[])
        w.insert(Ancestry, links)
        w.insert(Member, members, history=[])
        w.insert(Placement, placements, history=[])
        w.insert(MemberEvent, events, history=[])
        w.insert(StatusPeriod, periods)
        w.insert(BadgeAward, awards, history=[])
        # The kept copy of each member's highest badge, as chibo.badges.services keeps it.
        keep_badge_years(Member.all_objects.filter(pk__in=BadgeAward.objects.values("member")))
        w.finish()
    analyze([OrgUnit, Ancestry, Member, Placement, MemberEvent, StatusPeriod, BadgeAward])
    print(f"filled: {w.written}")


def pages(unit, on: dt.date, repeat: int) -> tuple[float, float]:
    """Median times of the list page and of the Excel export, as a superuser."""
    from django.test import Client
    from django.urls import reverse

    from chibo.accounts.models import User
    from chibo.core.formats import date

    user, _created = User.objects.get_or_create(
        username="bench-badges", defaults={"is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    out = []
    for name in ("badges:unit", "badges:export"):
        url = reverse(name, args=[unit.pk])
        client.get(url, {"occasion": date(on)})  # warm
        runs = []
        for _i in range(repeat):
            started = time.perf_counter()
            response = client.get(url, {"occasion": date(on)})
            runs.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out.append(statistics.median(runs))
    return out[0], out[1]


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from chibo.badges import queries
    from chibo.core.formats import number
    from chibo.members.models import Member
    from chibo.org.models import Kind, OrgUnit

    setup_test_environment()  # the test client's hosts and e-mail settings, for pages()
    province = OrgUnit.objects.get(code="BENCH")
    small = OrgUnit.objects.filter(kind=Kind.BASE_COMMITTEE, code__startswith="BENCH").first()
    assert small is not None
    occasion = queries.next_occasion(timezone.localdate() - dt.timedelta(days=1))
    assert occasion is not None
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{number(Member.objects.count())} members; {connection.vendor}; next occasion "
        f"{occasion.date:%d/%m/%Y}; load average {load} on {os.cpu_count()} cores"
    )
    for label, unit in (("province", province), ("one base committee", small)):
        queries.due_list(unit, occasion.date)  # warm caches
        list_ms, count_ms = [], []
        for _i in range(repeat):
            started = time.perf_counter()
            listing = queries.due_list(unit, occasion.date)
            list_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            counts = queries.due_counts(unit, occasion.date)
            count_ms.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as list_q:
            queries.due_list(unit, occasion.date)
        with CaptureQueriesContext(connection) as count_q:
            queries.due_counts(unit, occasion.date)
        assert sum(counts.values()) == len(listing.rows), "the counts disagree with the list"
        # Counted now: a request (pages below) empties the connection's query log.
        list_queries, count_queries = len(list_q.captured_queries), len(count_q.captured_queries)
        median = statistics.median(list_ms)
        verdict = "OK" if median < TARGET_MS else "TOO SLOW"
        page_ms, export_ms = pages(unit, occasion.date, max(3, repeat // 3))
        print(
            f"  {label}: {number(len(listing.rows))} rows (due {number(len(listing.due))}, "
            f"early {number(len(listing.early))}, posthumous {number(len(listing.posthumous))}, "
            f"held back {number(len(listing.held))})\n"
            f"    due_list   median {median:7.0f} ms (range {min(list_ms):.0f}-{max(list_ms):.0f}; "
            f"{list_queries} queries; target < {TARGET_MS} ms): {verdict}\n"
            f"    due_counts median {statistics.median(count_ms):7.0f} ms "
            f"({count_queries} queries)\n"
            f"    page median {page_ms:.0f} ms, Excel export median {export_ms:.0f} ms"
        )


def measure_demo(repeat: int) -> None:
    """The list and counts of the next occasion for the demo logins' province and commune
    (base committee) in an existing demo database; nothing is written (no page, whose login
    would write a session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from chibo import rules
    from chibo.accounts.models import RoleGrant
    from chibo.badges import queries
    from chibo.core.formats import number
    from chibo.members.models import Member
    from chibo.org.models import OrgUnit

    today = timezone.localdate()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{number(Member.objects.count())} members in "
        f"{OrgUnit.objects.filter(parent=None).count()} trees; {connection.vendor} "
        f"{connection.settings_dict['NAME']}; load average {load} on {os.cpu_count()} cores"
    )
    for label, username in (("province", "province"), ("commune", "commune")):
        unit = RoleGrant.objects.select_related("unit").filter(user__username=username)[0].unit
        province = rules.province_of(unit, today)
        occasion = queries.next_occasion(today - dt.timedelta(days=1), province)
        assert occasion is not None
        queries.due_list(unit, occasion.date)  # warm caches
        list_ms, count_ms = [], []
        for _i in range(repeat):
            started = time.perf_counter()
            listing = queries.due_list(unit, occasion.date)
            list_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            queries.due_counts(unit, occasion.date)
            count_ms.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as list_q:
            queries.due_list(unit, occasion.date)
        median = statistics.median(list_ms)
        verdict = "OK" if median < DEMO_TARGET_MS else "TOO SLOW"
        print(
            f"  {label} ({unit.name}), occasion {occasion.date:%d/%m/%Y}: "
            f"{number(len(listing.rows))} rows\n"
            f"    due_list   median {median:7.0f} ms (range {min(list_ms):.0f}-{max(list_ms):.0f}; "
            f"{len(list_q.captured_queries)} queries; target < {DEMO_TARGET_MS} ms): {verdict}\n"
            f"    due_counts median {statistics.median(count_ms):7.0f} ms"
        )


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    if url:
        setup(url)
        measure_demo(args.repeat)
        return
    run(args, setup=setup, fill=fill, measure=measure)


if __name__ == "__main__":
    main()
