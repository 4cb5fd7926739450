"""The database settings and router without a replica (nothing changes); with one:
test_db_replica.py."""

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test.utils import CaptureQueriesContext

from chibo.core import db
from chibo.core.reporting import Period
from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.reports import queries
from chibo.settings import database

pytestmark = pytest.mark.django_db

YEAR = Period.between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


class Captured:
    """The queries each alias ran inside the block."""

    def __enter__(self) -> "Captured":
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
        for c in self.contexts.values():
            c.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for c in self.contexts.values():
            c.__exit__(*exc)

    def on(self, alias: str) -> list[str]:
        return [q["sql"] for q in self.contexts[alias].captured_queries]


# Without a replica nothing changes ------------------------------------------------------


def test_without_a_replica_the_router_answers_nothing(world):
    assert db.REPLICA not in connections.settings
    r = db.ReplicaRouter()
    assert r.db_for_read(OrgUnit) is None
    assert r.db_for_write(OrgUnit) is None
    assert r.allow_relation(world.cell, world.member) is None
    with db.replica_reads():
        assert not db.reading_replica()
        assert router.db_for_read(Member) == DEFAULT_DB_ALIAS
        with Captured() as seen:
            queries.summary(world.base, YEAR)
    assert list(seen.contexts) == [DEFAULT_DB_ALIAS]
    assert seen.on(DEFAULT_DB_ALIAS)


def test_without_a_replica_pages_set_no_cookie(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = c.post("/i18n/setlang/", {"language": "en"})
    assert db.PIN_COOKIE not in r.cookies
    assert c.get(f"/reports/{world.base.pk}/?period=2026").status_code == 200


# Connection settings ----------------------------------------------------------------------


def test_postgres_connections_are_kept_and_checked(monkeypatch):
    monkeypatch.delenv("CHIBO_CONN_MAX_AGE", raising=False)
    monkeypatch.delenv("CHIBO_CONN_HEALTH_CHECKS", raising=False)
    config = database("postgres://chibo@db:5432/chibo", pooler="")
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"] == {"options": "-c jit=off -c random_page_cost=1.1"}
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS")
    monkeypatch.setenv("CHIBO_CONN_MAX_AGE", "none")
    assert database("postgres://chibo@db:5432/chibo", pooler="")["CONN_MAX_AGE"] is None
    monkeypatch.setenv("CHIBO_CONN_MAX_AGE", "300")
    assert database("postgres://chibo@db:5432/chibo", pooler="")["CONN_MAX_AGE"] == 300


def test_behind_pgbouncer_no_server_side_state(monkeypatch):
    monkeypatch.delenv("CHIBO_CONN_MAX_AGE", raising=False)
    config = database("postgres://chibo@pgbouncer:6432/chibo", pooler="pgbouncer")
    assert config["CONN_MAX_AGE"] == 0
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    # No startup options (PgBouncer refuses them) and no prepared statements.
    assert config["OPTIONS"] == {"prepare_threshold": None}


def test_sqlite_opens_its_file_per_request(monkeypatch):
    monkeypatch.delenv("CHIBO_CONN_MAX_AGE", raising=False)
    config = database("sqlite:////tmp/x.sqlite3", pooler="pgbouncer")
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
