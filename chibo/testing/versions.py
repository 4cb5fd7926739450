"""Two people saving the same record at once, for the optimistic-locking tests
(chibo.core.versions): each in its own thread, so on its own database connection."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

# Threads need a server that runs two transactions at once; SQLite writes one at a time and
# the in-memory test database is not shared between connections.
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two concurrent connections (PostgreSQL)"
)


def race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run `first` in one thread, inside a transaction it keeps open until `second` has
    started in another thread and had time to reach the row `first` holds; then commit.
    `second` reads what it needs when it starts (before `first` commits), as the second of
    two people who opened the record at the same time. Answers each one's result, or the
    exception it raised."""
    claimed, started = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def run_first() -> None:
        try:
            with transaction.atomic():
                results["first"] = first()
                claimed.set()
                started.wait(10)
                time.sleep(0.5)  # the second is now waiting for this row
        except Exception as e:  # noqa: BLE001 - the test reads it
            results["first"] = e
        finally:
            claimed.set()
            connections.close_all()  # this thread's connections

    def run_second() -> None:
        claimed.wait(10)
        started.set()
        try:
            results["second"] = second()
        except Exception as e:  # noqa: BLE001
            results["second"] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results["first"], results["second"]
