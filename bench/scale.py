"""The same pages in a 100,000-member database and in a 1,000,000-member one (issue 13):
what a page costs must follow its reader's scope, not the size of the database.

    .venv/bin/python bench/scale.py [URL_SMALL URL_LARGE] [--repeat 7] [--only home,search]
    .venv/bin/python bench/scale.py URL      # one database alone (no ratio)

Defaults: postgres://postgres@127.0.0.1:5432/bench_100k and .../bench_1m, both made by
`chibo demo` (the 1M one with --provinces 10: ten provinces of 100,000, the largest the same
size as the small database's only province). Any two database URLs will do, SQLite included.

Each database is measured in its own process (Django reads DATABASE_URL once), one after the
other; the table is printed at the end. Each page is fetched through Django's test client,
logged in as its reader in the first province (the demo logins "province", "commune",
"secretary"): --warmup runs first, then the median of --repeat runs, and the queries of one
run. The databases are only read: sessions are signed cookies, the login writes no
last_login, and PostgreSQL sessions are READ ONLY (a page that tries to write fails and says
so).

Targets (issue 13): each page within 1.2 times between the two databases; cell and commune
pages under 100 ms, province pages under 500 ms, member search under 50 ms, a cell's deadline
board under 50 ms.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = (
    "postgres://postgres@127.0.0.1:5432/bench_100k",
    "postgres://postgres@127.0.0.1:5432/bench_1m",
)
RATIO = 1.2
SEARCH = "nguyen van hung"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    reader: str  # demo login
    target_ms: int


PAGES = [
    Page("home", "province home", "province", 500),
    Page("unit", "unit page (province)", "province", 500),
    Page("members", "member list (province)", "province", 500),
    Page("search", f'member search "{SEARCH}" (province)', "province", 50),
    Page("compliance", "compliance (province)", "province", 500),
    Page("badges", "badge due list (province)", "province", 500),
    Page("board_province", "deadline board, province", "province", 500),
    Page("board_commune", "deadline board, commune", "commune", 100),
    Page("board_cell", "deadline board, cell", "secretary", 50),
    Page("meeting", "meeting page (cell)", "secretary", 100),
]


def _name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


# The child: one database -------------------------------------------------------------------


def _setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    django.setup()
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")


def _urls() -> tuple[dict[str, str], dict[str, object], dict[str, str]]:
    """Each page's URL, the readers (User by login) and a few facts about the database."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from chibo.accounts.models import RoleGrant
    from chibo.meetings.models import Meeting
    from chibo.members.models import Member
    from chibo.org.models import Kind, OrgUnit

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["province", "commune", "secretary"])
    }
    missing = {"province", "commune", "secretary"} - set(users)
    if missing:
        raise SystemExit(f"no demo login {', '.join(sorted(missing))} in this database")

    def unit_of(login: str) -> OrgUnit:
        grant = RoleGrant.objects.filter(user=users[login]).select_related("unit").first()
        assert grant is not None, login
        return grant.unit

    province, commune, cell = unit_of("province"), unit_of("commune"), unit_of("secretary")
    now = timezone.now()
    meeting = (
        Meeting.objects.filter(cell=cell, planned_at__lte=now).order_by("-planned_at").first()
        or Meeting.objects.filter(cell=cell).order_by("planned_at").first()
    )
    assert meeting is not None, "the secretary's cell has no meeting"
    urls = {
        "home": "/",
        "unit": f"/org/units/{province.pk}/",
        "members": "/members/",
        "search": f"/members/?q={SEARCH.replace(' ', '+')}",
        "compliance": f"/compliance/{province.pk}/",
        "badges": f"/badges/unit/{province.pk}/",
        "board_province": f"/deadlines/unit/{province.pk}/",
        "board_commune": f"/deadlines/unit/{commune.pk}/",
        "board_cell": f"/deadlines/unit/{cell.pk}/",
        "meeting": f"/meetings/{meeting.pk}/",
    }
    facts = {
        "members": f"{Member.objects.count():,}",
        "provinces": str(OrgUnit.objects.filter(kind=Kind.PROVINCE).count()),
        "province": province.name,
        "commune": commune.name,
        "cell": cell.name,
    }
    return urls, users, facts


def measure(url: str, repeat: int, warmup: int, only: set[str]) -> dict:
    _setup(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's templates and context
    urls, users, facts = _urls()
    clients = {}
    for login, user in users.items():
        c = Client()
        c.force_login(user)
        clients[login] = c
    out: dict = {"facts": facts, "pages": {}}
    for page in PAGES:
        if only and page.key not in only:
            continue
        c = clients[page.reader]
        try:
            for _ in range(warmup):
                r = c.get(urls[page.key])
                assert r.status_code == 200, f"{urls[page.key]}: {r.status_code}"
            with CaptureQueriesContext(connection) as q:
                c.get(urls[page.key])
            queries = len(q.captured_queries)  # now: the next request clears the log
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                c.get(urls[page.key])
                times.append((time.perf_counter() - started) * 1000)
        except Exception as e:  # a page that fails (or tries to write) is reported, not fatal
            out["pages"][page.key] = {"error": f"{type(e).__name__}: {str(e)[:200]}"}
            connection.close()  # a failed transaction; the next query reconnects
            _setup_read_only_again(connection)
            continue
        out["pages"][page.key] = {
            "url": urls[page.key],
            "median": statistics.median(times),
            "min": min(times),
            "queries": queries,
        }
        print(f"  {_name(url)}: {page.label}: {statistics.median(times):.0f} ms", file=sys.stderr)
    return out


def _setup_read_only_again(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")


# The parent: both databases, the table -----------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def table(names: list[str], results: list[dict]) -> str:
    """One column pair (ms, queries) per database; with two, the ratio and its target."""
    two = len(results) == 2
    head = "| page | reader | " + " | ".join(f"{n} ms | queries" for n in names) + " |"
    head += " ratio |" if two else ""
    head += " target | " + " | ".join(names) + " |" + (f" ratio ≤ {RATIO} |" if two else "")
    lines = [head, "|" + "---|" * head.count(" |")]
    met = missed = 0
    for page in PAGES:
        found = [r["pages"].get(page.key) for r in results]
        if all(f is None for f in found):
            continue
        good = [f if f is not None and "error" not in f else None for f in found]
        cells = [page.label, page.reader]
        for f, g in zip(found, good, strict=True):
            cells += (
                [_ms(g["median"]), str(g["queries"])]
                if g
                else [(f or {}).get("error", "not run"), ""]
            )
        marks = ["met" if g and g["median"] < page.target_ms else "missed" for g in good]
        if two:
            ratio = good[1]["median"] / good[0]["median"] if good[0] and good[1] else None
            cells.append(f"{ratio:.2f}" if ratio is not None else "")
            marks.append("" if ratio is None else ("met" if ratio <= RATIO else "missed"))
        cells.append(f"< {page.target_ms} ms")
        met += sum(m == "met" for m in marks)
        missed += sum(m == "missed" for m in marks)
        cells += [f"**{m}**" if m == "missed" else m for m in marks]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"\n{met} targets met, {missed} missed.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="*", default=list(DEFAULTS), metavar="URL")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--only", default="", help="comma-separated page keys: " + ",".join(p.key for p in PAGES)
    )
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    only = {k for k in args.only.split(",") if k}
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat, args.warmup, only)))
        return
    if len(args.urls) not in (1, 2):
        parser.error("give two database URLs (or one, or none for the bench databases)")
    results = []
    for url in args.urls:
        print(f"measuring {url} ...", file=sys.stderr)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                url,
                "--repeat",
                str(args.repeat),
                "--warmup",
                str(args.warmup),
                "--only",
                args.only,
            ],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0 or not child.stdout.strip():
            results.append({"facts": {"error": f"exit {child.returncode}"}, "pages": {}})
            continue
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    names = [_name(u) for u in args.urls]
    load = os.getloadavg()
    print(
        f"\nbench/scale.py, {time.strftime('%d/%m/%Y %H:%M')}, load average {load[0]:.1f}, "
        f"median of {args.repeat} runs after {args.warmup} warm-up, test client\n"
    )
    for name, result in zip(names, results, strict=True):
        facts = result["facts"]
        print(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in facts.items()))
    print()
    print(table(names, results))


if __name__ == "__main__":
    main()
