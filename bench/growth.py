"""Table growth: the biggest tables of a PostgreSQL database, how many rows the growing ones
took in the last year (and what that is for the country), and the queries of the hot pages
that read them, each run under EXPLAIN (ANALYZE, BUFFERS): its time, the pages it touched and
whether it read a growing table without an index.

    .venv/bin/python bench/growth.py --postgres URL [--notices 5000000] [--repeat 5]

URL is a COPY of a demo database (the pages log in, which writes sessions; --notices writes
notices), e.g. `createdb -h 127.0.0.1 -U postgres -T bench_100k growth_100k` and
postgres://postgres@127.0.0.1:5432/growth_100k. The copy is migrated to the code first.
--notices N (once per copy) adds N notices over 50,000 new accounts (the demo writes none;
one person in the country gets dozens a year, a secretary hundreds), 2,000 of them to the
demo secretary, four in five read, over the last three years.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_MEMBERS = 5_600_000
GROWING = ("meetings_attendance", "notices_notice")  # and every history table


def setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def growing(name: str) -> bool:
    """A growing table, or an index on one (named after it, or one of the notices')."""
    return (
        name.startswith(GROWING)
        or "_historical" in name
        or name.startswith(("notice", "attendance"))
    )


def sizes() -> None:
    from django.db import connection

    from chibo.members.models import Member

    with connection.cursor() as c:
        c.execute(
            """SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r'
               ORDER BY 2 DESC LIMIT 16"""
        )
        top = c.fetchall()
    members = Member.all_objects.count()
    scale = NATIONAL_MEMBERS / members
    print(f"{members:,} members; national scale x{scale:.0f}\n")
    print("| table | rows | with indexes | indexes | rows in the last year | a year nationally |")
    print("|---|---|---|---|---|---|")
    for name, total, heap in top:
        with connection.cursor() as c:
            c.execute(f'SELECT count(*) FROM "{name}"')
            rows = c.fetchone()[0]
            year = _last_year(c, name)
        nat = f"{year * scale / 1e6:.0f} million" if year is not None else ""
        print(
            f"| {name} | {rows:,} | {total / 2**20:.0f} MiB | {(total - heap) / 2**20:.0f} MiB"
            f" | {'' if year is None else f'{year:,}'} | {nat} |"
        )


def _last_year(cursor, table: str) -> int | None:
    """Rows dated in the 365 days before the newest row (the demo's last year)."""
    if table == "meetings_attendance":
        cursor.execute(
            """SELECT count(*) FROM meetings_attendance a JOIN meetings_meeting m
               ON m.id = a.meeting_id WHERE m.planned_at >
               (SELECT max(planned_at) FROM meetings_meeting WHERE state <> 'planned')
               - interval '365 days'"""
        )
    elif "_historical" in table:
        cursor.execute(
            f'SELECT count(*) FROM "{table}" WHERE history_date > '
            f"(SELECT max(history_date) FROM \"{table}\") - interval '365 days'"
        )
    elif table == "notices_notice":
        cursor.execute(
            "SELECT count(*) FROM notices_notice WHERE created_at > now() - interval '365 days'"
        )
    else:
        return None
    return cursor.fetchone()[0]


def add_notices(n: int) -> None:
    from django.db import connection, transaction

    from chibo.accounts.models import User

    secretary = User.objects.get(username="secretary")
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            """INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                 email, is_staff, is_active, date_joined)
               SELECT '!', false, 'growth-' || g, '', '', '', false, true, now()
               FROM generate_series(1, 50000) g ON CONFLICT DO NOTHING"""
        )
        c.execute("SELECT min(id), max(id) FROM accounts_user WHERE username LIKE 'growth-%%'")
        low, high = c.fetchone()
        notice = """INSERT INTO notices_notice (user_id, kind, key, params, url, created_at,
                      read_at, email, emailed_at)
                    SELECT {user}, 'meeting_eve', 'eve:' || g || ':' || {salt}, '{{}}', '',
                      now() - (g %% 1095) * interval '1 day' - (g %% 997) * interval '1 minute',
                      CASE WHEN g %% 5 = 0 THEN NULL
                           ELSE now() - (g %% 1095) * interval '1 day' END,
                      'none', NULL
                    FROM generate_series(1, %s) g"""
        c.execute(notice.format(user=secretary.pk, salt="'s'"), [2000])
        c.execute(notice.format(user=f"{low} + g %% ({high} - {low} + 1)", salt="'x'"), [n - 2000])
    with connection.cursor() as c:
        c.execute("ANALYZE notices_notice")
        c.execute("ANALYZE accounts_user")
    print(f"added {n:,} notices over {high - low + 1:,} accounts")


def _explain(sql: str, params) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = c.fetchone()[0]
    return plan[0] if isinstance(plan, list) else json.loads(plan)[0]


def _walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _describe(plan: dict) -> tuple[float, int, list[str]]:
    top = plan["Plan"]
    pages = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    how = []
    for node in _walk(top):
        rel = node.get("Relation Name")
        if node["Node Type"] == "Bitmap Index Scan" and growing(node["Index Name"]):
            how.append(f"bitmap {node['Index Name']}")  # its heap scan names no index
        elif rel and growing(rel) and node["Node Type"] != "Bitmap Heap Scan":
            if node["Node Type"] == "Seq Scan":
                how.append(f"SEQ SCAN {rel}")
            elif "Index Name" in node:
                how.append(f"{node['Node Type'].lower()} {node['Index Name']}")
            else:
                how.append(f"{node['Node Type'].lower()} {rel}")
    return plan["Planning Time"] + plan["Execution Time"], pages, how


def _captured(get) -> list[tuple[str, object]]:
    from django.db import connection

    seen: list[tuple[str, object]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        response = get()
    assert response.status_code == 200, response.status_code
    return seen


def _report(label: str, queries: list[tuple[str, object]], repeat: int) -> None:
    import re

    for sql, params in queries:
        tables = set(re.findall(r'"([a-z_]+)"', sql))
        if not sql.lstrip().upper().startswith("SELECT") or not any(map(growing, tables)):
            continue
        runs = [_describe(_explain(sql, params)) for _ in range(repeat)]
        ms = statistics.median(r[0] for r in runs)
        short = " ".join(sql.split())[:90]
        print(f"| {label} | {ms:.2f} | {runs[-1][1]:,} | {', '.join(runs[-1][2])} | `{short}` |")


def pages(repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from chibo.accounts.models import User
    from chibo.meetings.models import Meeting, State
    from chibo.members.models import Member
    from chibo.notices.models import Notice

    def client(username: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    secretary = User.objects.get(username="secretary")
    cell = secretary.grants.filter(role="secretary").values_list("unit_id", flat=True).first()
    meeting = (
        Meeting.objects.filter(cell_id=cell, state=State.ADOPTED).order_by("-planned_at").first()
    )
    member = (
        Member.history.model.objects.values_list("id", flat=True)  # type: ignore[attr-defined]
        .filter(id__in=Member.objects.filter(home_unit_id=cell).values("pk"))
        .order_by("-history_id")
        .first()
    )
    province = User.objects.get(username="province")
    top = province.grants.values_list("unit_id", flat=True).first()
    print("\n| page | ms | pages read | plan on growing tables | query |")
    print("|---|---|---|---|---|")
    checks = [
        ("meeting page", "secretary", reverse("meetings:detail", args=[meeting.pk])),
        ("member page", "province", reverse("members:detail", args=[member])),
        ("my meetings", "member", reverse("meetings:mine")),
        ("notification centre", "secretary", reverse("notices:list")),
        ("compliance", "province", reverse("compliance:report", args=[top])),
    ]
    for label, who, url in checks:
        c = client(who)
        _report(label, _captured(lambda c=c, url=url: c.get(url)), repeat)
    # The removal review (the meetings report section and the deadline reminders) of the
    # demo commune's base committee: its members' unexcused absences of the year.
    from django.db import connection
    from django.utils import timezone as tz

    from chibo.meetings.queries import removal_review
    from chibo.org.models import OrgUnit

    base = OrgUnit.objects.get(
        pk=User.objects.get(username="commune").grants.values_list("unit_id", flat=True).first()
    )
    seen: list[tuple[str, object]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    today = tz.localdate()
    with connection.execute_wrapper(wrapper):
        removal_review(base, today.year, today)
    _report("removal review, a commune", seen, repeat)
    # The daily job: who was already told, 500 keys at once (notices.services.notify_all).
    keys = list(Notice.objects.order_by("-pk").values_list("key", flat=True)[:500])
    told = Notice.objects.filter(key__in=keys).values_list("user_id", "key")
    sql, params = told.query.sql_with_params()
    _report("daily job: told already", [(sql, params)], repeat)
    # The purge's batch (nothing deleted: EXPLAIN of the select only).
    import datetime as dt

    from django.utils import timezone

    old = Notice.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=365), read_at__isnull=False
    ).values_list("pk", flat=True)[:5000]
    sql, params = old.query.sql_with_params()
    _report("daily job: purge batch", [(sql, params)], repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, metavar="URL")
    parser.add_argument("--notices", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-sizes", action="store_true")
    args = parser.parse_args()
    name = args.postgres.rsplit("/", 1)[-1]
    assert name not in ("bench_100k", "bench_1m"), "Use a copy: the bench writes sessions."
    setup(args.postgres)
    if args.notices:
        add_notices(args.notices)
    if not args.no_sizes:
        sizes()
    pages(args.repeat)


if __name__ == "__main__":
    main()
