"""The deadline lists of a 100,000-member province (chibo.deadlines): ceremonies due,
probations ending, reviews due and awaiting decision, overdue meeting tasks and the removal
review over a year of monthly meetings; time, query count, and the board page.

    .venv/bin/python bench/deadlines.py [--db PATH] [--rebuild] [--repeat 7]
    .venv/bin/python bench/deadlines.py --postgres URL [--keep]

with URL postgres://postgres@127.0.0.1:5432/bench_deadlines, for example.

It builds its own data (not the demo): a province of 125 base committees and 2,500 cells of 40
members, 6% of them in some stage of probation around the reference day, twelve adopted monthly
meetings per cell with every roster row (1.2 million), two tasks per meeting. Rows are written
straight into the tables (COPY on PostgreSQL, executemany on SQLite), without history rows,
which the lists never read. SQLite: /tmp/chibo-bench-deadlines-100k.sqlite3, built if missing
and kept. PostgreSQL: creates the named database, fills it, measures, drops it (--keep: reuse
it and leave it). Target: the lists of the province under 2 s on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k .venv/bin/python bench/deadlines.py

measures an existing demo database instead (`chibo demo`; nothing is written): the boards of
the demo logins' province, commune and cell on today, each source apart, and the daily
deadline reminders (their notices counted, not created); `--only cell,commune` measures
those boards alone. Targets: a cell under 50 ms, a
commune under 100 ms, a province under 500 ms.
"""

import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from _setup import ROOT, arguments, run

TARGET_MS = 2000
DEFAULT_DB = Path("/tmp/chibo-bench-deadlines-100k.sqlite3")
ON = dt.date(2026, 11, 20)  # the reference day the data is built around (a Friday)
BASES, CELLS_PER_BASE, MEMBERS_PER_CELL = 125, 20, 40  # 100,000 members
PROBATIONARY_SHARE = 0.06
BATCH = 5000


def setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def insert(model, rows: Iterable[dict]) -> int:
    """Rows as {attname: value}; missing columns get the field's default. COPY on
    PostgreSQL, a prepared INSERT through executemany on SQLite."""
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


def fill() -> dict[str, int]:
    """Write the province; returns rows written per table."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from chibo import rules
    from chibo.accounts.models import Role, RoleGrant, User
    from chibo.badges.models import BadgeAward
    from chibo.badges.services import keep_badge_years
    from chibo.development.models import OfficialReview, Outcome
    from chibo.meetings.models import Attendance, Meeting, Presence, State, Task, TaskStatus
    from chibo.meetings.models import Kind as MeetingKind
    from chibo.members.models import (
        EventKind,
        Member,
        MemberEvent,
        Placement,
        Status,
        StatusPeriod,
    )
    from chibo.org.models import Ancestry, CellType, Kind, OrgUnit
    from chibo.rules.calendar import add_months, add_years

    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    written: dict[str, int] = {}

    def put(model, rows) -> None:
        written[model.__name__] = written.get(model.__name__, 0) + insert(model, rows)

    with transaction.atomic():
        units = [{"id": 1, "code": "B01", "name": "Đảng bộ tỉnh Thử", "kind": Kind.PROVINCE}]
        closure = [{"ancestor_id": 1, "descendant_id": 1, "distance": 0}]
        cells: list[int] = []
        uid = 1
        for b in range(BASES):
            uid += 1
            base = uid
            units.append(
                {
                    "id": base,
                    "code": f"B01-X{b:03d}",
                    "name": f"Đảng bộ xã {b}",
                    "kind": Kind.BASE_COMMITTEE,
                    "parent_id": 1,
                    "depth": 1,
                }
            )
            closure += [
                {"ancestor_id": base, "descendant_id": base, "distance": 0},
                {"ancestor_id": 1, "descendant_id": base, "distance": 1},
            ]
            for c in range(CELLS_PER_BASE):
                uid += 1
                units.append(
                    {
                        "id": uid,
                        "code": f"B01-X{b:03d}-CB{c:02d}",
                        "name": f"Chi bộ {c} xã {b}",
                        "kind": Kind.CELL,
                        "cell_type": CellType.RURAL,
                        "parent_id": base,
                        "depth": 2,
                    }
                )
                closure += [
                    {"ancestor_id": uid, "descendant_id": uid, "distance": 0},
                    {"ancestor_id": base, "descendant_id": uid, "distance": 1},
                    {"ancestor_id": 1, "descendant_id": uid, "distance": 2},
                ]
                cells.append(uid)
        put(OrgUnit, units)
        put(Ancestry, ({"id": i + 1, **r} for i, r in enumerate(closure)))

        members, placements, events, periods, reviews = [], [], [], [], []
        by_cell: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        mid = 0
        for cell in cells:
            for _ in range(MEMBERS_PER_CELL):
                mid += 1
                if rng.random() < PROBATIONARY_SHARE:
                    admitted = ON - dt.timedelta(days=rng.randint(0, 480))
                    ceremony: dt.date | None = admitted + dt.timedelta(days=rng.randint(3, 50))
                    if rng.random() < 0.08 or ceremony > ON:
                        ceremony = None
                    ends = add_months(ceremony, 12) if ceremony else None
                    official = None
                    if ends and ends <= ON - dt.timedelta(days=45) and rng.random() < 0.7:
                        official = ends  # recognised, dated the day probation ended
                    elif ends and ends <= ON and rng.random() < 0.3:
                        vote = ends + dt.timedelta(days=rng.randint(5, 40))
                        if vote <= ON:
                            reviews.append(
                                {
                                    "member_id": mid,
                                    "probation_ended_on": ends,
                                    "vote_on": vote,
                                    "votes_for": 9,
                                    "votes_eligible": 10,
                                    "outcome": Outcome.RECOGNISE,
                                }
                            )
                else:
                    admitted = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 21500))
                    ceremony = admitted + dt.timedelta(days=20)
                    ends = add_months(ceremony, 12)
                    official = ends
                name = f"Nguyễn Văn Thử {mid}"
                members.append(
                    {
                        "id": mid,
                        "code": f"DV{mid:07d}",
                        "full_name": name,
                        "search_name": name.lower(),
                        "gender": "male",
                        "birth_date": admitted - dt.timedelta(days=rng.randint(20 * 365, 40 * 365)),
                        "home_unit_id": cell,
                        "admitted_on": admitted,
                        "official_on": official,
                        "last_admitted_on": admitted,
                        "ceremony_on": ceremony,
                        "probation_ends_on": ends,
                    }
                )
                placements.append(
                    {
                        "id": mid,
                        "member_id": mid,
                        "unit_id": cell,
                        "kind": "official",
                        "start": admitted,
                    }
                )
                events.append({"member_id": mid, "kind": EventKind.ADMITTED, "date": admitted})
                if ceremony:
                    events.append({"member_id": mid, "kind": EventKind.CEREMONY, "date": ceremony})
                if official:
                    events.append({"member_id": mid, "kind": EventKind.OFFICIAL, "date": official})
                periods.append(
                    {
                        "member_id": mid,
                        "status": Status.PROBATIONARY,
                        "valid_from": admitted,
                        "valid_to": official,
                        "party_age_from": admitted,
                    }
                )
                if official:
                    periods.append(
                        {
                            "member_id": mid,
                            "status": Status.OFFICIAL,
                            "valid_from": official,
                            "party_age_from": admitted,
                        }
                    )
                by_cell.setdefault(cell, []).append((mid, admitted, official))
        put(Member, members)
        put(Placement, placements)
        put(MemberEvent, ({"id": i + 1, **r} for i, r in enumerate(events)))
        put(StatusPeriod, ({"id": i + 1, **r} for i, r in enumerate(periods)))
        put(OfficialReview, ({"id": i + 1, **r} for i, r in enumerate(reviews)))
        # Badges already awarded: each member's highest milestone reached a month before the
        # reference day, so that the next occasion lists only those reaching one since.
        badge_years = rules.at(ON).badge_years or []
        awards = []
        for m in members:
            reached = [
                n
                for n in badge_years
                if add_years(m["admitted_on"], n) <= ON - dt.timedelta(days=30)
            ]
            if reached:
                awards.append(
                    {
                        "id": len(awards) + 1,
                        "member_id": m["id"],
                        "years": max(reached),
                        "occasion_date": add_years(m["admitted_on"], max(reached)),
                        "decision_number": "1-QĐ/TU",
                    }
                )
        put(BadgeAward, awards)
        # The kept copy of each member's highest badge, as chibo.badges.services keeps it.
        keep_badge_years(Member.all_objects.filter(pk__in=BadgeAward.objects.values("member")))

        # Twelve monthly meetings per cell up to the reference day, on the 5th at 19:30.
        months = []
        first = add_months(ON.replace(day=5), -11)
        for k in range(12):
            held = add_months(first, k)
            if held <= ON:
                months.append(held)
        meetings, tasks = [], []
        meeting_id = 0

        def at(d: dt.date, hour: int, minute: int = 30) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(d, dt.time(hour, minute)))

        for cell in cells:
            for held in months:
                meeting_id += 1
                meetings.append(
                    {
                        "id": meeting_id,
                        "cell_id": cell,
                        "kind": MeetingKind.REGULAR,
                        "planned_at": at(held, 19),
                        "started_at": at(held, 19),
                        "ended_at": at(held, 21),
                        "state": State.ADOPTED,
                    }
                )
                for _ in range(2):
                    holder = rng.choice(by_cell[cell])[0]
                    due = held + dt.timedelta(days=20)
                    # Reviewed at the next meeting; one in twenty is forgotten and stays open.
                    closed = due < ON - dt.timedelta(days=30) and rng.random() < 0.95
                    tasks.append(
                        {
                            "id": len(tasks) + 1,
                            "cell_id": cell,
                            "meeting_id": meeting_id,
                            "member_id": holder,
                            "text": "Vận động hộ gia đình tham gia vệ sinh môi trường",
                            "due_on": due,
                            "status": TaskStatus.DONE if closed else TaskStatus.OPEN,
                        }
                    )
        put(Meeting, meetings)
        put(Task, tasks)

        def roster() -> Iterable[dict]:
            row_id = 0
            for m in meetings:
                held = m["planned_at"].date()
                for member_id, admitted, official in by_cell[m["cell_id"]]:
                    if admitted > held:
                        continue
                    r = rng.random()
                    presence = (
                        Presence.PRESENT
                        if r < 0.92
                        else Presence.EXCUSED
                        if r < 0.97
                        else Presence.UNEXCUSED
                    )
                    row_id += 1
                    yield {
                        "id": row_id,
                        "meeting_id": m["id"],
                        "member_id": member_id,
                        "official": official is not None and official <= held,
                        "presence": presence,
                        "reason": "Ốm" if presence == Presence.EXCUSED else "",
                    }

        put(Attendance, roster())

        # One office account per base committee, and one on the province for the page.
        users = [{"id": 1, "username": "province", "password": make_password(None)}]
        users += [
            {"id": b + 2, "username": f"office{b}", "password": make_password(None)}
            for b in range(BASES)
        ]
        put(User, ({"is_active": True, "date_joined": dt.datetime.now(dt.UTC), **u} for u in users))
        grants = [{"id": 1, "user_id": 1, "unit_id": 1, "role": Role.OFFICE}]
        grants += [
            {"id": b + 2, "user_id": b + 2, "unit_id": u["id"], "role": Role.OFFICE}
            for b, u in enumerate(x for x in units if x["kind"] == Kind.BASE_COMMITTEE)
        ]
        put(RoleGrant, grants)

        models = [OrgUnit, Ancestry, Member, Placement, MemberEvent, StatusPeriod, OfficialReview]
        models += [BadgeAward]
        models += [Meeting, Task, Attendance, User, RoleGrant]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written


# Measuring ------------------------------------------------------------------------------------


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from chibo.accounts.models import User
    from chibo.badges.queries import badges_due
    from chibo.deadlines.queries import deadline_board
    from chibo.development.queries import ceremonies_due, probations_ending, reviews_due
    from chibo.development.reminders import deadline_reminders as member_reminders
    from chibo.meetings.queries import open_tasks, removal_review
    from chibo.meetings.reminders import task_reminders

    def deadline_reminders(day):
        return member_reminders(day) + task_reminders(day)

    from chibo.members.models import Member
    from chibo.notices.models import Notice
    from chibo.org.models import OrgUnit

    setup_test_environment()
    province = OrgUnit.objects.get(code="B01")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{Member.objects.count():,} members; {connection.vendor}; "
        f"load average {load} on {os.cpu_count()} cores; lists as of {ON:%d/%m/%Y}"
    )

    def lists():
        return deadline_board(province, ON).values()  # the removal review is one of them

    board = lists()  # warm caches
    removal = board["removal"]

    def overdue(rows):
        return sum(r.overdue for r in rows)

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        lists()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        lists()
    median = statistics.median(timings)
    verdict = "OK" if median < TARGET_MS else "TOO SLOW"
    print(
        f"  rows: ceremonies {len(board['ceremonies']):,} ({overdue(board['ceremonies']):,} "
        f"overdue), probations ending {len(board['probations']):,}, reviews due "
        f"{len(board['reviews']):,} ({overdue(board['reviews']):,} overdue), awaiting decision "
        f"{len(board['decisions']):,}, overdue tasks {len(board['tasks']):,}, removal review "
        f"{len(removal.rows):,} (threshold {removal.threshold}), badges due on the next "
        f"occasion {board['badges'].due if board['badges'] else '-'}"
    )
    print(
        f"  lists of the province: median {median:.0f} ms (range {min(timings):.0f}-"
        f"{max(timings):.0f}; {len(ctx.captured_queries)} queries; target < {TARGET_MS} ms): "
        f"{verdict}"
    )
    for name, fn in [
        ("ceremonies", lambda: ceremonies_due(province, ON)),
        ("probations ending", lambda: probations_ending(province, ON)),
        ("reviews", lambda: reviews_due(province, ON)),
        ("overdue tasks", lambda: open_tasks(province, ON)),
        ("badge count (chibo.badges)", lambda: badges_due(province, ON)),
        ("removal review", lambda: removal_review(province, ON.year, ON)),
    ]:
        ms = []
        for _ in range(max(3, repeat // 2)):
            started = time.perf_counter()
            fn()
            ms.append((time.perf_counter() - started) * 1000)
        print(f"    {name}: median {statistics.median(ms):.0f} ms")

    client = Client()
    client.force_login(User.objects.get(username="province"))
    url = reverse("deadlines:unit", args=[province.pk])
    params = {"on": f"{ON:%d/%m/%Y}"}
    client.get(url, params)
    ms = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert client.get(url, params).status_code == 200
        ms.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    print(
        f"  board page (rendered, province office): median {statistics.median(ms):.0f} ms, "
        f"{len(ctx.captured_queries)} queries"
    )

    Notice.objects.all().delete()
    started = time.perf_counter()
    created = deadline_reminders(ON)
    first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = deadline_reminders(ON)
    second = (time.perf_counter() - started) * 1000
    print(
        f"  daily reminders: first run {first:.0f} ms ({created:,} notices to the "
        f"{BASES} base offices), second run {second:.0f} ms ({again} new)"
    )
    Notice.objects.all().delete()


# Measuring an existing demo database (DATABASE_URL), read-only ---------------------------------


def demo_units():
    """The province, the commune (base committee) and the cell of the demo logins."""
    from chibo.accounts.models import RoleGrant

    grants = RoleGrant.objects.select_related("unit")
    return [
        (label, grants.filter(user__username=username).first().unit)
        for label, username in (
            ("province", "province"),
            ("commune", "commune"),
            ("cell", "secretary"),
        )
    ]


CPU: list[float] = []  # the median CPU time of this process in the last `timed`


def timed(fn, repeat: int) -> tuple[float, int, object]:
    """Median milliseconds of `fn()` over `repeat` runs after a warm one, its query count,
    and its result; CPU[-1]: the median CPU milliseconds of this process (Python's part,
    less sensitive to a loaded machine than the wall clock)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    ms, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        ms.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    CPU.append(statistics.median(cpu))
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(ms), len(ctx.captured_queries), result


def measure_demo(repeat: int, only: set[str] | None = None) -> None:
    """The boards of the demo logins' province, commune and cell on today, each source
    apart, and the daily deadline reminders with their notices counted, not written.
    `only`: those boards alone (province, commune, cell), without the reminders."""
    from unittest import mock

    from django.db import connection
    from django.utils import timezone

    from chibo import rules
    from chibo.core.deadlines import BOARD, Ask
    from chibo.deadlines.queries import deadline_board

    # (Before issue 13 the rules had no such block: the same script measures that code.)
    remembered = getattr(rules, "remembered", contextlib.nullcontext)
    from chibo.members.models import Member
    from chibo.org.models import OrgUnit

    today = timezone.localdate()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{Member.objects.count():,} members in {OrgUnit.objects.filter(parent=None).count()} "
        f"trees; {connection.vendor} {connection.settings_dict['NAME']}; load average {load} "
        f"on {os.cpu_count()} cores; boards as of {today:%d/%m/%Y}"
    )
    targets = {"province": 500, "commune": 100, "cell": 50}
    for label, unit in demo_units():
        if only and label not in only:
            continue
        placed = Member.objects.placed_in(unit, today).count()
        units = OrgUnit.all_objects.within(unit, today).count()
        ms, queries, board = timed(lambda unit=unit: deadline_board(unit, today), repeat)
        rows = {
            key: len(value) if isinstance(value, list) else getattr(value, "due", None)
            for key, value in board.values().items()
            if key != "notice_days"
        }
        rows["removal"] = len(board.values()["removal"].rows)
        verdict = "OK" if ms < targets[label] else "TOO SLOW"
        print(
            f"  {label} board ({unit.name}, {placed:,} members, "
            f"{units:,} units): median {ms:.0f} ms (CPU here {CPU[-1]:.0f} ms), {queries} queries "
            f"(target < {targets[label]} ms: {verdict})\n    rows {rows}"
        )
        parts = []
        for name, source in BOARD.items():

            def alone(source=source, unit=unit):
                with remembered():  # as the hub computes it
                    return source.compute(Ask(unit, today, today.year))

            part_ms, _q, _r = timed(alone, max(3, repeat // 2))
            parts.append(f"{name} {part_ms:.0f}")
        print(f"    by source (ms): {', '.join(parts)}")
    if only:
        return

    # The daily job's deadline reminders, with notify_all counting what it would create.
    from chibo.badges.queries import next_occasion
    from chibo.badges.reminders import badge_reminders
    from chibo.development.reminders import deadline_reminders
    from chibo.meetings.reminders import task_reminders

    occasion = next_occasion(today)
    badge_day = occasion.date - dt.timedelta(days=10) if occasion else today
    told: dict[str, int] = {}

    def counting(name):
        def notify_all(reminders):
            told[name] = sum(len(r.users) for r in reminders)
            return len(reminders)

        return notify_all

    for name, module, fn, day in (
        ("development", "chibo.development.reminders", deadline_reminders, today),
        ("meetings.tasks", "chibo.meetings.reminders", task_reminders, today),
        ("badges", "chibo.badges.reminders", badge_reminders, badge_day),
    ):
        with mock.patch(f"{module}.notify_all", counting(name)):
            ms, queries, found = timed(lambda fn=fn, day=day: fn(day), 1)
        print(
            f"  daily reminders {name} on {day:%d/%m/%Y}: {ms:.0f} ms, {queries} queries, "
            f"{found:,} reminders ({told.get(name, 0):,} notices), nothing written"
        )


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if url:
        import argparse

        parser = argparse.ArgumentParser(description="The boards of a demo database.")
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--only", default="", help="e.g. cell,commune (no reminders then)")
        demo = parser.parse_args()
        setup(url)
        measure_demo(demo.repeat, {k for k in demo.only.split(",") if k})
        return
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    run(args, setup=setup, fill=fill, measure=measure)


if __name__ == "__main__":
    main()
