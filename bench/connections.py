"""Requests per second of a simple page with a new database connection per request and with
persistent connections (CHIBO_CONN_MAX_AGE), over real HTTP on 127.0.0.1.

    .venv/bin/python bench/connections.py [URL] [--requests 300] [--rounds 3] [--path /notices/]

URL: a database with the demo logins (default postgres://postgres@127.0.0.1:5432/bench_100k).
For each setting the script starts a single-threaded WSGI server (wsgiref, one process, one
thread: a synchronous gunicorn worker behaves alike) serving chibo.wsgi.application, logs in
as the demo "member", and sends --requests GET requests one after the other; it prints the
requests per second and the median latency, per round, alternating the settings. The
database is only read (signed-cookie sessions, no last_login, READ ONLY sessions).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_100k"
PORT = 8765


def serve(url: str, port: int) -> None:
    """The child: set up Django read-only, print the member's session cookie, serve."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    django.setup()
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.contrib.auth import get_user_model, user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

    def read_only(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    connection_created.connect(read_only)
    client = Client()
    client.force_login(get_user_model().objects.get(username="member"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    connection.close()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):  # no line per request
            pass

    from chibo.wsgi import application

    server = make_server("127.0.0.1", port, application, handler_class=Quiet)
    print(f"{settings.SESSION_COOKIE_NAME}={cookie}", flush=True)
    server.serve_forever()


def run(url: str, age: str, path: str, requests: int) -> tuple[float, float]:
    env = {**os.environ, "CHIBO_CONN_MAX_AGE": age, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", url, "--port", str(PORT)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        cookie = server.stdout.readline().strip()
        headers = {"Cookie": cookie}
        times = []

        def get() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", PORT)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.status == 200, response.status

        for _ in range(10):  # warm-up: imports, templates, the first connection
            get()
        started = time.perf_counter()
        for _ in range(requests):
            t = time.perf_counter()
            get()
            times.append((time.perf_counter() - t) * 1000)
        elapsed = time.perf_counter() - started
        return requests / elapsed, statistics.median(times)
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--path", default="/notices/")
    parser.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=PORT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    settings = [
        ("0", "new connection per request (CHIBO_CONN_MAX_AGE=0)"),
        ("60", "persistent (CHIBO_CONN_MAX_AGE=60, the default)"),
    ]
    found: dict[str, list[tuple[float, float]]] = {age: [] for age, _ in settings}
    for i in range(args.rounds):
        for age, label in settings:
            rps, median = run(args.url, age, args.path, args.requests)
            found[age].append((rps, median))
            print(f"round {i + 1}: {label}: {rps:.1f} req/s, median {median:.1f} ms", flush=True)
    load = os.getloadavg()[0]
    print(
        f"\nGET {args.path} as the demo member, {args.requests} requests x {args.rounds} "
        f"rounds, {args.url}, load average {load:.1f}"
    )
    print("| connections | req/s (median of rounds) | median latency, ms |\n|---|---|---|")
    for age, label in settings:
        rps = statistics.median(r for r, _ in found[age])
        lat = statistics.median(m for _, m in found[age])
        print(f"| {label} | {rps:.1f} | {lat:.1f} |")
    base = statistics.median(r for r, _ in found["0"])
    kept = statistics.median(r for r, _ in found["60"])
    print(f"\npersistent connections: {100 * (kept / base - 1):+.0f}% requests per second")


if __name__ == "__main__":
    main()
