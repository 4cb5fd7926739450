"""The read replica (chibo.core.db): which alias each query of a report runs on.

The replica is a second alias, "replica", defined here as a test mirror of the test database
(what settings do with DATABASE_REPLICA_URL): a second connection to the same database, so
which alias a query ran on is seen by capturing each connection's queries. The tests are
transactional: the replica's connection sees only what the primary's has committed."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from chibo.core import db
from chibo.core.reporting import Period
from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.reports import queries

from .test_db import Captured

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, db.REPLICA])

YEAR = Period.between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup) -> Iterator[object]:
    # After the test database is made: the mirror copies its name.
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[db.REPLICA] = {
        **primary,
        "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }
    try:
        yield connections[db.REPLICA]
    finally:
        connections[db.REPLICA].close()
        del connections[db.REPLICA]
        del connections.settings[db.REPLICA]


# With a replica ---------------------------------------------------------------------------


def test_a_report_reads_the_replica_only(world, replica):
    with Captured() as outside:
        expected = queries.summary(world.base, YEAR)
    # The fixtures wrote in this thread: a new scope, as a request or a task starts one.
    with db.scope(), Captured() as seen:
        assert queries.summary(world.base, YEAR) == expected
    assert not seen.on(DEFAULT_DB_ALIAS)
    assert len(seen.on(db.REPLICA)) == len(outside.on(DEFAULT_DB_ALIAS)) > 0
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS


def test_reads_inside_a_transaction_stay_on_the_primary(world, replica):
    with db.scope(), transaction.atomic(), Captured() as seen:
        queries.summary(world.base, YEAR)
    assert seen.on(DEFAULT_DB_ALIAS) and not seen.on(db.REPLICA)


def test_after_a_write_the_scope_reads_the_primary(world, replica):
    with db.scope():
        with db.replica_reads():
            assert db.reading_replica()
        world.member.save()
        with db.replica_reads(), Captured() as seen:
            queries.summary(world.base, YEAR)
        assert seen.on(DEFAULT_DB_ALIAS) and not seen.on(db.REPLICA)
    with db.scope(), db.replica_reads():
        assert db.reading_replica()  # a new scope starts unpinned


def test_bookkeeping_writes_do_not_pin(world, replica):
    with db.scope(), db.replica_reads():
        with db.bookkeeping():
            ContentType.objects.filter(pk=0).update(model="nothing")
        assert db.reading_replica() and not db.wrote()


def test_writes_go_to_the_primary_even_for_a_row_read_from_the_replica(world, replica):
    with db.scope():
        with db.replica_reads():
            unit = OrgUnit.all_objects.get(pk=world.cell.pk)
        assert unit._state.db == db.REPLICA
        with Captured() as seen:
            unit.name = "Chi bộ thôn Nam"
            unit.save()
        assert seen.on(DEFAULT_DB_ALIAS) and not seen.on(db.REPLICA)
        # Its relations are read from the primary outside a report.
        assert router.db_for_read(OrgUnit, instance=unit) == DEFAULT_DB_ALIAS


def test_the_replica_is_never_migrated(replica):
    assert router.allow_migrate(db.REPLICA, "members") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "members") is True


def _report_queries_on_replica(seen: Captured, marker: str) -> None:
    """The page's figures came from the replica; the session and the access check from the
    primary."""
    replica_sql = " ".join(seen.on(db.REPLICA))
    assert marker in replica_sql
    assert "django_session" in " ".join(seen.on(DEFAULT_DB_ALIAS))
    assert "django_session" not in replica_sql


def test_the_dashboard_and_summary_api_read_the_figures_from_the_replica(
    world, cast, client_for, replica
):
    c = client_for(cast.base_officer)
    with Captured() as seen:
        assert c.get(f"/reports/{world.base.pk}/?period=2026").status_code == 200
    _report_queries_on_replica(seen, "members_")
    with Captured() as seen:
        r = c.get(f"/api/v1/reports/summary?org={world.base.code}&year=2026")
        assert r.status_code == 200
    _report_queries_on_replica(seen, "members_")
    assert r.json() == queries.summary(world.base, YEAR) | {"org": r.json()["org"]}


def test_compliance_and_the_deadline_board_read_the_replica(world, cast, client_for, replica):
    c = client_for(cast.base_officer)
    with Captured() as seen:
        assert c.get(f"/compliance/{world.base.pk}/").status_code == 200
    _report_queries_on_replica(seen, "meetings_")
    # A board may fill the working-day calendar the first time a list needs it: that write
    # goes to the primary, never to the replica (and pins the browser for 5 seconds).
    with Captured() as seen:
        assert c.get(f"/deadlines/unit/{world.base.pk}/").status_code == 200
    assert not any("INSERT" in q for q in seen.on(db.REPLICA))
    c.cookies.pop(db.PIN_COOKIE, None)
    with Captured() as seen:
        assert c.get(f"/deadlines/unit/{world.base.pk}/").status_code == 200
    _report_queries_on_replica(seen, "members_")


def test_a_request_that_wrote_pins_its_browser_to_the_primary(world, cast, client_for, replica):
    c = client_for(cast.base_officer)
    r = c.get(f"/reports/{world.base.pk}/?period=2026")
    assert db.PIN_COOKIE not in r.cookies  # reading writes nothing
    # Marking the notifications read writes: the response pins the browser for a moment.
    r = c.post("/notices/read-all/")
    assert r.cookies[db.PIN_COOKIE]["max-age"] == 5
    with Captured() as seen:
        assert c.get(f"/reports/{world.base.pk}/?period=2026").status_code == 200
    assert not seen.on(db.REPLICA)
    # Once the cookie is gone (it lives 5 seconds), the replica again.
    del c.cookies[db.PIN_COOKIE]
    with Captured() as seen:
        assert c.get(f"/reports/{world.base.pk}/?period=2026").status_code == 200
    assert seen.on(db.REPLICA)


def test_the_report_file_task_computes_its_figures_on_the_replica(world, cast, replica):
    from chibo.reports.files.tasks import build
    from chibo.reports.models import FileFormat, FileState, ReportFile

    file = ReportFile.objects.create(
        requested_by=cast.base_officer,
        unit=world.base,
        start=YEAR.start,
        end=YEAR.end,
        format=FileFormat.XLSX,
    )
    # The worker wrote before (this thread did: the fixtures) and writes the file's state and
    # progress as it goes: none of it pins the figures to the primary.
    with Captured() as seen:
        assert build(file.pk) == FileState.DONE
    on_replica = " ".join(seen.on(db.REPLICA))
    assert "members_" in on_replica and "UPDATE" not in on_replica
    assert "reports_reportfile" not in on_replica
    assert any(q.startswith("UPDATE") for q in seen.on(DEFAULT_DB_ALIAS))
