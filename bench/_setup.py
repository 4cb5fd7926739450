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
