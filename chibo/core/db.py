"""Reads that may go to a PostgreSQL replica (docs/deploy.md, "Read replica").

With `DATABASE_REPLICA_URL` set, settings add a second alias, "replica", and the reports and
dashboards compute their figures inside `replica_reads()`: the queries run there go to the
replica, so the primary serves the evening's writes. Everything else reads the primary, and:

- every write goes to the primary (`db_for_write`), also for a row read from the replica;
- a read inside a transaction on the primary stays on the primary (a service that reads what
  it is about to write, closing a year of figures);
- once a request (or a task's `scope()`) has written, it reads the primary to its end, and so
  does the same browser for `CHIBO_REPLICA_PIN_SECONDS` (a cookie), so that the page after a
  form sees the form's write whatever the replica's lag.

Without the alias the router answers nothing and Django behaves as if it were not there.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar, Token
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "chibo_primary"

# Inside `replica_reads()`: reads may go to the replica.
_wanted: ContextVar[bool] = ContextVar("chibo_replica_wanted", default=False)
# This request (or task scope) has written.
_wrote: ContextVar[bool] = ContextVar("chibo_replica_wrote", default=False)
# Its browser wrote a moment ago (the pin cookie).
_recent: ContextVar[bool] = ContextVar("chibo_replica_recent", default=False)
# Inside `bookkeeping()`: writes that no read of the scope depends on do not pin it.
_bookkeeping: ContextVar[bool] = ContextVar("chibo_replica_bookkeeping", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reading_replica() -> bool:
    """Whether a read made now goes to the replica."""
    return (
        _wanted.get()
        and not _wrote.get()
        and not _recent.get()
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class _Set(contextlib.ContextDecorator):
    """Sets a context variable for a block, or for each call of a decorated function."""

    def __init__(self, var: ContextVar[bool], value: bool) -> None:
        self.var, self.value = var, value
        self.token: Token[bool] | None = None

    def _recreate_cm(self) -> "_Set":
        return _Set(self.var, self.value)  # one per call: calls may overlap (threads)

    def __enter__(self) -> None:
        self.token = self.var.set(self.value)

    def __exit__(self, *exc: object) -> None:
        assert self.token is not None
        self.var.reset(self.token)


def replica_reads() -> _Set:
    """Reads inside go to the replica when there is one (and the rules above allow it).
    For code that only reads: a report's figures, a dashboard's lists. Also a decorator."""
    return _Set(_wanted, True)


@contextlib.contextmanager
def scope(*, recent: bool = False) -> Iterator[None]:
    """A unit of work that starts unpinned (a request, a worker's task): its own writes pin
    it, a write before it does not. `recent`: pinned from the start (its browser wrote a
    moment ago)."""
    with _Set(_wrote, False), _Set(_recent, recent):
        yield


def bookkeeping() -> _Set:
    """Writes inside do not pin the scope: rows that no read after them depends on (a task's
    progress while it computes a report)."""
    return _Set(_bookkeeping, True)


def wrote() -> bool:
    """Whether this scope has written (through the ORM)."""
    return _wrote.get()


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not replica_configured():
            return None  # Django's own choice: the default database
        # Explicitly the primary otherwise: a row read from the replica must not pull its
        # relations from there once the request has written.
        return REPLICA if reading_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        if not replica_configured():
            return None
        if not _bookkeeping.get():
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from either may point to one
        # read from the other.
        return True if replica_configured() else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary's schema by replication; never migrate it.
        return False if db == REPLICA else None


class ReplicaMiddleware:
    """Each request is its own scope; a request that wrote sets a short-lived cookie, and a
    request carrying it reads the primary (the redirect after a form, the next click)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not replica_configured():
            return self.get_response(request)
        with scope(recent=bool(request.COOKIES.get(PIN_COOKIE))):
            response = self.get_response(request)
            if _wrote.get():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.CHIBO_REPLICA_PIN_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
