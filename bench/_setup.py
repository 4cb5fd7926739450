"""Shared start-up for the benchmark scripts: point Django at a SQLite file, then set it up.

DATABASE_URL must be set before django.setup() reads the settings, so every script calls
`use_database` first and imports Chibo's modules only afterwards."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The 100,000-member database both scripts share; member_search.py builds it if missing.
DEFAULT_DB = Path(os.environ.get("CHIBO_BENCH_DB", "/tmp/chibo-bench-100k.sqlite3"))


def use_database(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def postgres_admin(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Run `sql` on the server's `postgres` database (to create or drop the bench's own)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def arguments(description: str, default_db: Path):
    """The options every database-filling bench takes."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", type=Path, default=default_db)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the SQLite file.")
    parser.add_argument("--postgres", metavar="URL", help="Measure on a fresh PostgreSQL database.")
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: reuse the database and leave it there."
    )
    parser.add_argument("--repeat", type=int, default=7)
    return parser.parse_args()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a kept database follows the code's models


def run(args, *, setup, fill, measure) -> None:
    """Fill a fresh database (or reuse a kept one), measure, and drop a PostgreSQL database
    unless it is kept whole (a half-filled one is never kept)."""
    import time

    def filled_now() -> None:
        started = time.perf_counter()
        written = fill()
        print(
            f"filled in {time.perf_counter() - started:.0f} s" + (f": {written}" if written else "")
        )

    if args.postgres:
        from urllib.parse import urlsplit

        name = urlsplit(args.postgres).path.lstrip("/")
        assert name and name.isidentifier(), "Name a database to create and drop."
        # test_* databases belong to test runs (CHIBO_TEST_DB_NAME); never drop one of those.
        assert not name.startswith("test"), "Choose a name that test runs do not use."
        exists = postgres_admin(
            args.postgres, "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        )
        fresh = not (args.keep and exists)
        if fresh:
            postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
            postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
        filled = not fresh
        try:
            setup(args.postgres)
            if fresh:
                filled_now()
                filled = True
            else:
                _migrate()
            measure(args.repeat)
        finally:
            from django.db import connections

            connections.close_all()
            if not (args.keep and filled):
                postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        return
    fresh = args.rebuild or not args.db.exists()
    if fresh:
        remove_database(args.db)
    setup(f"sqlite:///{args.db}")
    if fresh:
        filled_now()
    else:
        _migrate()
    measure(args.repeat)


def read_only():
    """Measure a shared database without leaving anything in it: sessions in signed cookies,
    no last-login update, and everything in one transaction rolled back at the end."""
    from django.conf import settings
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import transaction

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

    class RolledBack(transaction.Atomic):
        def __exit__(self, *exc):
            transaction.set_rollback(True)
            return super().__exit__(*exc)

    return RolledBack(None, savepoint=True, durable=False)


def use_url(url: str) -> None:
    """Django set up on the database at `url` (an existing one: nothing is created)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
