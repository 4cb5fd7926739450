"""Logins for the load test (bench/load.py): WRITES to the database it is given, so give it a
copy of the demo, never the one other benchmarks read.

    createdb -h 127.0.0.1 -U postgres -T bench_100k h_load
    .venv/bin/python bench/load_accounts.py postgres://postgres@127.0.0.1:5432/h_load

A 100,000-member demo has six logins; a load test needs many people. In the copy this script
makes, for "tonight's meetings" (the latest meeting of each cell that is held but whose minutes
are not adopted, so a member may still check in):

- an account with the member role on the cell for every member on those rosters (not away),
  up to --members, named `load-m<member id>`;
- a secretary account for each of those cells (`load-s<cell id>`) and an office account for
  each of their parent units (`load-c<unit id>`, the commune or base committee), all with the
  password `load-demo`;
- those rosters set back to "not yet marked" (presence empty, no check-in time), so that the
  test's check-ins are the only ones and can be counted afterwards;
- a signed-in session for each member account, as a member's phone keeps one (Django's
  database sessions, the same rows `login()` writes): a login costs one PBKDF2 hash of
  1,500,000 rounds (about a second of CPU), so 100,000 members logging in within an hour
  would need some 30 cores; bench/load.py measures logins apart (README, "Load").

Accounts, grants and sessions are written in bulk with one password hash for all (computing
thousands of hashes would take hours), without audit events or history rows: they are the
test's setup, not anybody's action. The list of meetings, codes and sessions goes to a JSON
file (default data/load/<database>.json) that bench/load.py reads, with the secret key the
sessions are signed with: a server started by hand for the test needs CHIBO_SECRET_KEY set to
it.
"""

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-demo"
# Databases other benchmarks read: never written by this script.
PROTECTED = {"bench_100k", "bench_1m"}


def manifest_path(url: str) -> Path:
    return ROOT / "data" / "load" / f"{urlparse(url).path.lstrip('/') or 'db'}.json"


def create(url: str, limit: int, out: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    # Sessions are signed with the secret key: the server of bench/load.py gets the same one.
    secret_key = secrets.token_urlsafe(50)
    os.environ["CHIBO_SECRET_KEY"] = secret_key
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from chibo.accounts.models import Role, RoleGrant, User
    from chibo.meetings.models import Attendance, Meeting, State

    if User.objects.filter(username__startswith="load-").exists():
        raise SystemExit("this database already has load-* accounts: use a fresh copy")

    # The latest held (not adopted) meeting of each cell.
    latest: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(state=State.HELD).order_by("cell_id", "-planned_at"):
        latest.setdefault(meeting.cell_id, meeting)
    taken = set(User.objects.exclude(member=None).values_list("member_id", flat=True))
    chosen: list[Meeting] = []
    members: list[tuple[int, int, int]] = []  # (meeting, cell, member)
    for meeting in sorted(latest.values(), key=lambda m: m.pk):
        rows = Attendance.objects.filter(meeting=meeting, away=False).exclude(member__in=taken)
        ids = list(rows.values_list("member_id", flat=True).order_by("member_id"))
        if not ids or len(members) >= limit:
            continue
        chosen.append(meeting)
        members += [(meeting.pk, meeting.cell_id, m) for m in ids[: limit - len(members)]]
    cells = {m.cell_id: m.cell for m in chosen}
    parents = {c.parent_id for c in cells.values() if c.parent_id}

    password = make_password(PASSWORD)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"load-m{m}", password=password, member_id=m) for _, _, m in members]
            + [User(username=f"load-s{c}", password=password) for c in cells]
            + [User(username=f"load-c{u}", password=password) for u in sorted(parents)],
            batch_size=2000,
        )
        by_name = {u.username: u for u in users}
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(user=by_name[f"load-m{m}"], unit_id=c, role=Role.MEMBER)
                for _, c, m in members
            ]
            + [RoleGrant(user=by_name[f"load-s{c}"], unit_id=c, role=Role.SECRETARY) for c in cells]
            + [RoleGrant(user=by_name[f"load-c{u}"], unit_id=u, role=Role.OFFICE) for u in parents],
            batch_size=2000,
        )
        # Tonight's rosters: nobody marked yet.
        Attendance.objects.filter(meeting__in=chosen).update(presence="", checked_in_at=None)
        for meeting in chosen:
            counts = Attendance.objects.filter(meeting=meeting, away=False).aggregate(
                expected=Count("pk", filter=Q(exempt=False))
            )
            Meeting.all_objects.filter(pk=meeting.pk).update(
                present_count=0, expected_count=counts["expected"]
            )
        # A signed-in session for each member (what django.contrib.auth.login stores).
        store = SessionStore()
        backend = "django.contrib.auth.backends.ModelBackend"
        sessions: dict[str, str] = {}
        rows = []
        for _, _, m in members:
            user = by_name[f"load-m{m}"]
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            rows.append(
                Session(
                    session_key=key,
                    session_data=store.encode(data),
                    expire_date=now + dt.timedelta(seconds=store.get_session_cookie_age()),
                )
            )
            sessions[user.username] = key
        Session.objects.bulk_create(rows, batch_size=2000)

    manifest = {
        "database": urlparse(url).path.lstrip("/"),
        "created": now.isoformat(),
        "password": PASSWORD,
        "secret_key": secret_key,
        "meetings": [
            {
                "pk": m.pk,
                "cell": m.cell_id,
                "code": m.checkin_code,
                "secretary": f"load-s{m.cell_id}",
            }
            for m in chosen
        ],
        "communes": [f"load-c{u}" for u in sorted(parents)],
        "members": [
            {"login": f"load-m{m}", "meeting": mt, "session": sessions[f"load-m{m}"]}
            for mt, _, m in members
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="a COPY of the demo (this script writes to it)")
    parser.add_argument("--members", type=int, default=12000, help="member accounts at most")
    parser.add_argument("--out", type=Path, help="manifest file (default data/load/<db>.json)")
    args = parser.parse_args()
    name = urlparse(args.database_url).path.lstrip("/")
    if name in PROTECTED:
        raise SystemExit(f"{name} is read by other benchmarks: make a copy (createdb -T {name})")
    started = time.perf_counter()
    out = args.out or manifest_path(args.database_url)
    manifest = create(args.database_url, args.members, out)
    print(
        f"{len(manifest['members']):,} member accounts signed in on "
        f"{len(manifest['meetings']):,} meetings, {len(manifest['meetings']):,} secretaries, "
        f"{len(manifest['communes']):,} offices in {time.perf_counter() - started:.0f} s "
        f"-> {out}"
    )


if __name__ == "__main__":
    main()
