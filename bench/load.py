"""Load test (issue 14): the production server (`chibo serve`, gunicorn) with several workers,
driven from loopback for a bounded time, against a 100,000-member demo on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres -T bench_100k h_load          # a copy: the test writes
    .venv/bin/python bench/load_accounts.py postgres://postgres@127.0.0.1:5432/h_load
    .venv/bin/python bench/load.py postgres://postgres@127.0.0.1:5432/h_load [--workers 5]
    .venv/bin/python bench/load.py URL --url http://127.0.0.1:8000   # a server already running
                                   # (with CHIBO_SECRET_KEY from the manifest: the sessions)

bench/load_accounts.py makes the logins in the copy (secretaries, offices, 12,000 members
already signed in) and the manifest this script reads. Then:

1. `chibo collectstatic` and `chibo serve` on 127.0.0.1 with CHIBO_ENV=production (HTTPS
   redirect, HSTS and secure cookies turned off by their variables: plain HTTP on loopback),
   --workers processes × --threads threads; the access log off.
2. The office people log in through the login form (CSRF, session cookie); the time of each
   login is printed: each is a PBKDF2 hash of 1,500,000 rounds.
3. Scenario A, --users concurrent users for --duration seconds, each waiting --think seconds
   (uniform, like locust's `between`) between two actions: a third are secretaries opening
   their meeting page, a third commune offices opening their compliance page, a third members
   checking in (the check-in page, the code posted with its CSRF token, the page it redirects
   to), each time a member not checked in yet.
4. Scenario B, the monthly peak of check-ins: every member of a province checks in within the
   same evening hour, so --peak-members (100,000) / 3,600 s = 27.8 check-ins a second,
   arriving at that steady rate (× --peak-factor) for --peak-duration seconds; each arrival is
   another member on another phone (a new connection, its own session). The wait counts from
   the moment the member was due, so a server that falls behind shows it.
5. Afterwards the database is read: every check-in answered with a redirect must be one
   roster row marked present with its time, with one audit event, nothing else written, and
   each meeting's stored turnout must equal its roster.

Printed: requests per second, p50/p95/p99 per page, errors, the load average. Target: p95
under 300 ms at 50 users, the peak held without error. Nothing fails when missed.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load_accounts import manifest_path  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/h_load"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGET_P95_MS = 300


# Measurements ---------------------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page].append(error)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def table(title: str, stats: Stats, elapsed: float) -> list[str]:
    lines = [
        f"\n{title} ({elapsed:.0f} s)",
        f"{'page':<34}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}",
    ]
    total = errors = 0
    for page, times in stats.times.items():
        n, e = len(times), len(stats.errors[page])
        total, errors = total + n, errors + e
        ms = [t * 1000 for t in times]
        lines.append(
            f"{page:<34}{n:>9,}{e:>8}{n / elapsed:>8.1f}{pct(ms, 50):>9.0f}{pct(ms, 95):>9.0f}"
            f"{pct(ms, 99):>9.0f}{max(ms):>9.0f}"
        )
    lines.append(f"{'all':<34}{total:>9,}{errors:>8}{total / elapsed:>8.1f}")
    for page, errs in stats.errors.items():
        if errs:
            shown = sorted(set(errs))[:3]
            lines.append(f"  {page}: {len(errs)} errors, e.g. {'; '.join(shown)}")
    return lines


# An HTTP client: one browser (one keep-alive connection, its cookies) ---------------------


class Browser:
    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        url = urlparse(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.cookies = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, data: dict | None = None
    ) -> tuple[int, bytes, str, float]:
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "vi", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept connection the server closed: open a new one once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            break
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return response.status, content, response.headers.get("Location", ""), elapsed

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def timed(stats: Stats, page: str, browser: Browser, method: str, path: str, expect: int,
          data: dict | None = None) -> bytes | None:  # fmt: skip
    try:
        status, content, location, elapsed = browser.request(method, path, data)
    except (OSError, http.client.HTTPException) as error:
        stats.add(page, 0.0, f"{type(error).__name__}: {error}")
        return None
    error = None if status == expect else f"HTTP {status}"
    if status == 302 and expect == 302 and "/login/" in location:
        error = "redirected to the login page"
    stats.add(page, elapsed, error)
    return content if error is None else None


def login(base: str, username: str, password: str, stats: Stats) -> Browser:
    browser = Browser(base)
    page = timed(stats, "login form", browser, "GET", "/accounts/login/", 200)
    token = CSRF.search(page or b"")
    if not token:
        raise SystemExit(f"no login form for {username}")
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
    if timed(stats, "login (POST, PBKDF2)", browser, "POST", "/accounts/login/", 302, data) is None:
        raise SystemExit(f"{username} could not log in: {dict(stats.errors)}")
    return browser


def check_in(stats: Stats, browser: Browser, meeting: dict, done: set[str], login: str,
             prefix: str = "") -> None:  # fmt: skip
    path = f"/meetings/{meeting['pk']}/check-in/"
    page = timed(stats, f"{prefix}check-in page", browser, "GET", path, 200)
    token = CSRF.search(page or b"")
    if page is not None and not token:
        stats.errors[f"{prefix}check-in page"].append("no check-in form")
        return
    if token:
        data = {"code": meeting["code"], "csrfmiddlewaretoken": token[1].decode()}
        if timed(stats, f"{prefix}check-in (POST)", browser, "POST", path, 302, data) is not None:
            with stats.lock:
                done.add(login)
            timed(stats, f"{prefix}check-in page after", browser, "GET", path, 200)


# The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    database_url: str, secret_key: str, workers: int, threads: int
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": database_url,
        "CHIBO_ENV": "production",
        "CHIBO_SECRET_KEY": secret_key,  # the one the sessions are signed with
        "CHIBO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback (docs/deploy.md, "Security settings").
        "CHIBO_SSL_REDIRECT": "0",
        "CHIBO_SECURE_COOKIES": "0",
        "CHIBO_HSTS_SECONDS": "0",
        "CHIBO_STATIC_ROOT": str(ROOT / "data" / "load" / "static"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    # --max-requests 0: no process is replaced during the run, so /proc accounts for all CPU.
    server = subprocess.Popen(
        [*manage, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--access-log", "", "--max-requests", "0"],
        env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("chibo serve stopped")
        try:
            if Browser(base).request("GET", "/accounts/login/")[0] == 200:
                return server, base
        except OSError:
            time.sleep(1)
    raise SystemExit("chibo serve did not answer within 180 s")


# The database, before and after ---------------------------------------------------------------


def connect(database_url: str):
    import psycopg

    return psycopg.connect(database_url, autocommit=True)


def not_checked_in(database_url: str, manifest: dict) -> list[dict]:
    """The manifest's members whose roster row has no check-in yet (a test run uses each
    member once, and a second run goes on with those left)."""
    with connect(database_url) as db:
        rows = db.execute(
            "SELECT u.username FROM meetings_attendance a JOIN accounts_user u "
            "ON u.member_id = a.member_id WHERE a.meeting_id = ANY(%s) "
            "AND a.checked_in_at IS NULL AND u.username LIKE 'load-m%%'",
            [[m["pk"] for m in manifest["meetings"]]],
        ).fetchall()
    free = {r[0] for r in rows}
    return [m for m in manifest["members"] if m["login"] in free]


def verify(database_url: str, manifest: dict, since: float, posted: set[str], done: set[str]):
    """What the database holds after the run against what the server answered."""
    meetings = [m["pk"] for m in manifest["meetings"]]
    with connect(database_url) as db:
        marked = {
            r[0]
            for r in db.execute(
                "SELECT u.username FROM meetings_attendance a JOIN accounts_user u "
                "ON u.member_id = a.member_id WHERE a.meeting_id = ANY(%s) "
                "AND a.checked_in_at >= to_timestamp(%s) AND a.presence = 'present'",
                [meetings, since],
            )
        }
        events, objects = db.execute(
            "SELECT count(*), count(DISTINCT object_id) FROM core_auditevent "
            "WHERE kind = 'meetings.checked_in' AND at >= to_timestamp(%s)",
            [since],
        ).fetchone()
        wrong_turnout = db.execute(
            "SELECT count(*) FROM meetings_meeting m WHERE m.id = ANY(%s) AND m.present_count <> "
            "(SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = m.id "
            "AND NOT a.away AND a.presence = 'present')",
            [meetings],
        ).fetchone()[0]
    lines = [
        "\nRows written, against the answers",
        f"  check-ins posted {len(posted):,}, answered with a redirect (done) {len(done):,}",
        f"  roster rows marked present since the start {len(marked):,}",
        f"  done but not in the database (lost): {len(done - marked)}",
        f"  in the database but not done (the client saw an error): {len(marked - done)}",
        f"  in the database but never posted: {len(marked - posted)}",
        f"  audit events {events:,} on {objects:,} rows (duplicates: {events - objects})",
        f"  meetings whose stored turnout differs from their roster: {wrong_turnout}",
    ]
    ok = done == marked and events == objects == len(done) and not wrong_turnout
    return lines, ok


# CPU spent, from /proc: what a request costs, whatever else the machine runs --------------


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_snapshot(server: subprocess.Popen | None, database_url: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the web server's processes and of the database's backends."""
    app: list[int] = []
    if server is not None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                    app.append(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                continue
        app.append(server.pid)
    with connect(database_url) as db:
        backends = [
            r[0]
            for r in db.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ]
    return {"app": {p: _cpu(p) for p in app}, "db": {p: _cpu(p) for p in backends}}


def cpu_lines(before: dict, after: dict, requests: int, client: float) -> list[str]:
    spent = {
        part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())
        for part in ("app", "db")
    }
    per = (spent["app"] + spent["db"]) / max(requests, 1) * 1000
    cores = os.cpu_count() or 1
    return [
        f"  CPU: web server {spent['app']:.1f} s, PostgreSQL {spent['db']:.1f} s, this client "
        f"{client:.1f} s for {requests:,} requests: {per:.0f} ms of CPU a request, so "
        f"{cores} idle cores would serve about {cores * 1000 / per:.0f} requests a second"
        if spent["app"]
        else f"  CPU: PostgreSQL {spent['db']:.1f} s (the server's processes are not ours)"
    ]


# Scenarios ------------------------------------------------------------------------------------


class Pool:
    """Members not checked in yet, each handed out once."""

    def __init__(self, members: list[dict]) -> None:
        self.members, self.lock = list(members), threading.Lock()

    def take(self) -> dict | None:
        with self.lock:
            return self.members.pop() if self.members else None


def scenario_a(args, base: str, manifest: dict, pool: Pool, posted: set, done: set, snap) -> Stats:
    stats, setup = Stats(), Stats()
    meetings = {m["pk"]: m for m in manifest["meetings"]}
    password = manifest["password"]
    roles = ["secretary", "commune", "member"]
    plan = [roles[i % 3] for i in range(args.users)]
    people: list[tuple[str, Browser | None, str]] = []
    offices = [manifest["meetings"][i % len(manifest["meetings"])] for i in range(args.users)]
    communes = manifest["communes"]
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as ex:
        futures = []
        for i, role in enumerate(plan):
            if role == "secretary":
                meeting = offices[i]
                futures.append(ex.submit(login, base, meeting["secretary"], password, setup))
                people.append((role, None, f"/meetings/{meeting['pk']}/"))
            elif role == "commune":
                name = communes[i % len(communes)]
                futures.append(ex.submit(login, base, name, password, setup))
                people.append((role, None, f"/compliance/{name.removeprefix('load-c')}/"))
            else:
                futures.append(None)
                people.append((role, None, ""))
        people = [
            (role, f.result() if f else None, path)
            for (role, _, path), f in zip(people, futures, strict=True)
        ]
    took = time.perf_counter() - started
    logins = len(setup.times["login (POST, PBKDF2)"])
    print("\n".join(table("Logins of scenario A's office users, 8 at a time", setup, took)))
    print(f"  {logins / took:.1f} logins a second (whole login: form + POST)")

    deadline = time.monotonic() + args.duration
    rng = random.Random(1)

    def user(role: str, browser: Browser | None, path: str) -> None:
        time.sleep(rng.uniform(0, args.think[1]))  # users arrive spread out
        while time.monotonic() < deadline:
            if role == "secretary":
                timed(stats, "secretary: meeting page", browser, "GET", path, 200)
            elif role == "commune":
                timed(stats, "commune: compliance page", browser, "GET", path, 200)
            else:
                member = pool.take()
                if member is None:
                    return
                with stats.lock:
                    posted.add(member["login"])
                phone = Browser(base, {"sessionid": member["session"]})
                check_in(stats, phone, meetings[member["meeting"]], done, member["login"],
                         "member: ")  # fmt: skip
                phone.close()
            time.sleep(rng.uniform(*args.think))

    cpu = [snap(), time.process_time()]
    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats.cpu = [*cpu, snap(), time.process_time()]  # type: ignore[attr-defined]
    stats.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return stats


def scenario_b(args, base: str, manifest: dict, pool: Pool, posted: set, done: set, snap) -> Stats:
    stats = Stats()
    meetings = {m["pk"]: m for m in manifest["meetings"]}
    rate = args.peak_members / 3600 * args.peak_factor
    count = int(rate * args.peak_duration)
    due: list[float] = []

    def arrive(member: dict, at: float) -> None:
        with stats.lock:
            posted.add(member["login"])
        phone = Browser(base, {"sessionid": member["session"]})
        check_in(stats, phone, meetings[member["meeting"]], done, member["login"])
        phone.close()
        # The member's whole wait, from the moment they were due (no coordinated omission).
        with stats.lock:
            failed = member["login"] not in done
        error = "failed" if failed else None
        stats.add("whole check-in, from arrival", time.perf_counter() - at, error)

    cpu = [snap(), time.process_time()]
    started = time.perf_counter()
    with ThreadPoolExecutor(args.peak_threads) as ex:
        for i in range(count):
            member = pool.take()
            if member is None:
                print("  (members ran out: run bench/load_accounts.py with more --members)")
                break
            at = started + i / rate
            time.sleep(max(0.0, at - time.perf_counter()))
            due.append(at)
            ex.submit(arrive, member, at)
        stats.elapsed_arrivals = time.perf_counter() - started  # type: ignore[attr-defined]
    stats.cpu = [*cpu, snap(), time.process_time()]  # type: ignore[attr-defined]
    stats.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    stats.rate = rate  # type: ignore[attr-defined]
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", nargs="?", default=DEFAULT_DB)
    parser.add_argument("--url", help="a Chibo already running on that database (no serve)")
    parser.add_argument("--manifest", type=Path, help="default data/load/<database>.json")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes (5)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.add_argument("--users", type=int, default=50, help="scenario A's users (50)")
    parser.add_argument("--duration", type=int, default=60, help="scenario A's seconds (60)")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"),
        help="seconds a user waits between two actions, uniform (1 5; 0 0 for none)",
    )  # fmt: skip
    parser.add_argument("--peak-members", type=int, default=100_000, help="a province (100,000)")
    parser.add_argument("--peak-factor", type=float, default=1.0, help="× the hour's rate (1)")
    parser.add_argument("--peak-duration", type=int, default=60, help="scenario B's seconds")
    parser.add_argument("--peak-threads", type=int, default=100, help="phones at once, at most")
    parser.add_argument("--only", choices=["A", "B"], help="one scenario")
    args = parser.parse_args()

    manifest_file = args.manifest or manifest_path(args.database_url)
    if not manifest_file.exists():
        raise SystemExit(f"{manifest_file} missing: run bench/load_accounts.py first")
    manifest = json.loads(manifest_file.read_text())
    pool = Pool(not_checked_in(args.database_url, manifest))
    load_before = os.getloadavg()
    print(
        f"database {manifest['database']}: {len(pool.members):,} members not checked in yet on "
        f"{len(manifest['meetings'])} meetings; load average {load_before[0]:.1f} "
        f"{load_before[1]:.1f} {load_before[2]:.1f} on {os.cpu_count()} cores"
    )
    server = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        key = manifest["secret_key"]
        server, base = start_server(args.database_url, key, args.workers, args.threads)
        print(f"chibo serve at {base}: {args.workers} processes × {args.threads} threads")

    def snap() -> dict:
        return cpu_snapshot(server, args.database_url)

    def cpu_of(stats: Stats) -> list[str]:
        before, client_before, after, client_after = stats.cpu  # type: ignore[attr-defined]
        requests = sum(len(t) for p, t in stats.times.items() if not p.startswith("whole"))
        return cpu_lines(before, after, requests, client_after - client_before)

    since = time.time()
    posted: set[str] = set()
    done: set[str] = set()
    report: list[str] = []
    ok = True
    try:
        if args.only in (None, "A"):
            a = scenario_a(args, base, manifest, pool, posted, done, snap)
            lines = table(
                f"Scenario A: {args.users} users, think {args.think[0]:g}-{args.think[1]:g} s",
                a, a.elapsed,  # type: ignore[attr-defined]
            )  # fmt: skip
            worst = max(pct(t, 95) * 1000 for p, t in a.times.items())
            errors = sum(len(e) for e in a.errors.values())
            lines.append(
                f"  worst page p95 {worst:.0f} ms (target < {TARGET_P95_MS} ms): "
                f"{'met' if worst < TARGET_P95_MS and not errors else 'MISSED'}"
            )
            ok &= worst < TARGET_P95_MS and not errors
            lines += cpu_of(a)
            print("\n".join(lines))
            report += lines
        if args.only in (None, "B"):
            b = scenario_b(args, base, manifest, pool, posted, done, snap)
            lines = table(
                f"Scenario B: check-in peak, {b.rate:.1f} members a second "  # type: ignore[attr-defined]
                f"({args.peak_members:,} in an hour × {args.peak_factor:g})",
                b, b.elapsed,  # type: ignore[attr-defined]
            )  # fmt: skip
            errors = sum(len(e) for e in b.errors.values())
            arrivals = b.elapsed_arrivals  # type: ignore[attr-defined]
            done_rate = len(b.times["whole check-in, from arrival"]) / b.elapsed  # type: ignore[attr-defined]
            # Kept pace: the last member was served within 5 s of the last arrival.
            pace = b.elapsed - arrivals < 5  # type: ignore[attr-defined]
            lines.append(
                f"  {errors} errors; check-ins completed {done_rate:.1f}/s against "
                f"{b.rate:.1f}/s arriving; the last served {b.elapsed - arrivals:.0f} s after "  # type: ignore[attr-defined]
                f"the last arrival: the peak {'held' if not errors and pace else 'NOT held'}"
            )
            ok &= not errors and pace
            lines += cpu_of(b)
            print("\n".join(lines))
            report += lines
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
    lines, rows_ok = verify(args.database_url, manifest, since, posted, done)
    print("\n".join(lines))
    after = os.getloadavg()
    print(
        f"\nload average before {load_before[0]:.1f}, after {after[0]:.1f} {after[1]:.1f} "
        f"{after[2]:.1f}; {'all targets met' if ok and rows_ok else 'a target was missed'}"
    )


if __name__ == "__main__":
    main()
