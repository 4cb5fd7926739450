"""`chibo demo` on a database that was never migrated: it migrates first, then generates."""

import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a fresh process migrates an empty database


def test_demo_on_an_empty_database_migrates_first(tmp_path):
    env = {
        **os.environ,
        "CHIBO_DATA_DIR": str(tmp_path),  # a fresh SQLite file there
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
    }
    env.pop("DATABASE_URL", None)
    args = ["demo", "--no-serve", "--members", "50", "--as-of", "2026-06-15"]
    done = subprocess.run(
        [sys.executable, "-m", "chibo.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "Migrating the database" in done.stdout
    assert "Traceback" not in done.stderr
    with sqlite3.connect(tmp_path / "chibo.sqlite3") as db:
        (members,) = db.execute("SELECT COUNT(*) FROM members_member").fetchone()
        (applied,) = db.execute(
            "SELECT COUNT(*) FROM django_migrations WHERE app = 'members'"
        ).fetchone()
    assert members == 50 and applied > 0
