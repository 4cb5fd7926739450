"""Test fixtures: a small tree and the fixed cast of personas (STYLE.md, Tests), and the test
databases that `make test-fast` keeps between runs."""

import datetime as dt
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from chibo.accounts.models import Role
from chibo.members.models import Member
from chibo.org.models import CellType, Kind, OrgUnit
from chibo.testing import factories as f

KEPT_DBS = settings.DATA_DIR / "test-db"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # --reuse-db (make test-fast) keeps the test database between runs. Django's SQLite test
    # database lives in memory and dies with the run, so a kept one is a file in data/test-db/.
    db = settings.DATABASES["default"]
    if config.getvalue("reuse_db"):
        KEPT_DBS.mkdir(exist_ok=True)
        if db["ENGINE"] == "django.db.backends.sqlite3" and not db["TEST"].get("NAME"):
            db["TEST"]["NAME"] = str(KEPT_DBS / "chibo")


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_after_a_flush():
    """A test with serialized_rollback=True puts back the rows the migrations wrote (the rule
    versions, the working-day calendar) from a copy taken when the test database was made.
    A transactional test without it ends with a flush that lets Django create the content
    types and permissions again, under new ids: putting back the copy's own rows then broke
    their unique (app_label, model), depending on which test ran before. At that moment the
    database holds nothing else (it was just flushed), so those rows are dropped first and
    come back, ids and all, from the copy."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.test import TransactionTestCase

    original = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize(self, data):
        alias = self.connection.alias
        Permission.objects.using(alias).all()._raw_delete(alias)
        ContentType.objects.using(alias).all()._raw_delete(alias)
        ContentType.objects.clear_cache()
        original(self, data)
        ContentType.objects.clear_cache()

    BaseDatabaseCreation.deserialize_db_from_string = deserialize
    # Such a test ends with a flush that does not create the content types again (Django
    # inhibits post_migrate so as not to duplicate the copy's rows): the table is empty, but
    # ContentType's cache still holds the ids, and the next transactional test's first audit
    # event named a content type that was gone (a foreign key violation at its setup).
    flushed = TransactionTestCase._fixture_teardown

    def teardown(self):
        try:
            flushed(self)
        finally:
            ContentType.objects.clear_cache()

    TransactionTestCase._fixture_teardown = teardown
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
    TransactionTestCase._fixture_teardown = flushed


DELETION = os.path.join("django", "db", "models", "deletion.py")


@pytest.fixture(autouse=True)
def _every_subtree_small(monkeypatch):
    """The number of units (chibo.org.subtree.unit_total) is read at most every ten minutes
    per process: whichever test asked first would count one query more, and the query-count
    tests would depend on the order. A test database is tiny, so every subtree is taken as a
    small part of a large one: on PostgreSQL the suite runs the plans a national database
    uses (chibo.core.sql.InFirst). The other plan, and the count itself, are tested apart
    (chibo/org/tests/test_subtree_small.py, and the lists that take both)."""
    from chibo.org import subtree

    monkeypatch.setattr(subtree, "unit_total", lambda: 10**9)


@pytest.fixture(autouse=True)
def _no_silent_update_of_history(monkeypatch):
    """A bulk `update()` writes no history row: on a model that keeps history it may only
    touch the fields its history leaves out (a counter, a lock version). Every test runs
    with this check, so a write that moves rows without a trace fails the suite."""
    original = QuerySet.update

    def update(self, **kwargs):
        if sys._getframe(1).f_code.co_filename.endswith(DELETION):
            # Django's own SET_NULL of a deleted row's references (a demo persona removed).
            return original(self, **kwargs)
        try:
            history = get_history_model_for_model(self.model)
        except NotHistoricalModelError:
            return original(self, **kwargs)
        tracked = {f.name for f in history.tracked_fields} | {
            f.attname for f in history.tracked_fields
        }
        silent = sorted(tracked & set(kwargs))
        if silent:
            raise AssertionError(
                f"{self.model.__name__}.objects...update({', '.join(silent)}) writes no history"
                " row: save each object, or use simple_history's bulk_update_with_history"
            )
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)


@dataclass
class World:
    province: OrgUnit
    base: OrgUnit  # base committee (commune)
    cell: OrgUnit
    cell2: OrgUnit  # another cell of the same base committee
    other_base: OrgUnit
    other_cell: OrgUnit
    member: Member  # in cell
    member2: Member  # in cell2
    other_member: Member  # in other_cell


@pytest.fixture
def world(db) -> World:
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    cell2 = f.unit(
        Kind.CELL, base, name="Chi bộ trường Tiểu học", code="X01-CB02", cell_type=CellType.SCHOOL
    )
    other_base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ phường Bắc", code="X02")
    other_cell = f.unit(
        Kind.CELL, other_base, name="Chi bộ khu phố 1", code="X02-CB01", cell_type=CellType.URBAN
    )
    return World(
        province=province,
        base=base,
        cell=cell,
        cell2=cell2,
        other_base=other_base,
        other_cell=other_cell,
        member=f.member(cell, full_name="Nguyễn Văn Hùng", admitted_on=dt.date(2015, 3, 2)),
        member2=f.member(cell2, full_name="Trần Thị Đào", gender="female"),
        other_member=f.member(other_cell, full_name="Lê Đức Anh"),
    )


@dataclass
class Cast:
    province_officer: object  # office on the province
    base_officer: object  # office on the base committee
    viewer: object  # viewer on the base committee
    secretary: object  # secretary of `cell`, and a member of it
    member: object  # the member of `cell`, member role
    follower: object  # viewer on the base committee: a superior follower reads the cells
    outsider: object  # office on another base committee


@pytest.fixture
def cast(world: World) -> Cast:
    secretary_member = f.member(world.cell, full_name="Phạm Văn Bí Thư")
    return Cast(
        province_officer=f.user(username="province", grants=[(Role.OFFICE, world.province)]),
        base_officer=f.user(username="base", grants=[(Role.OFFICE, world.base)]),
        viewer=f.user(username="viewer", grants=[(Role.VIEWER, world.base)]),
        secretary=f.user(
            username="secretary", member=secretary_member, grants=[(Role.SECRETARY, world.cell)]
        ),
        member=f.user(username="member", member=world.member, grants=[(Role.MEMBER, world.cell)]),
        follower=f.user(username="follower", grants=[(Role.VIEWER, world.base)]),
        outsider=f.user(username="outsider", grants=[(Role.OFFICE, world.other_base)]),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def en(client_for):
    """en(user) -> a test client logged in as that user, reading the pages in English."""

    def make(user):
        c = client_for(user)
        c.cookies["django_language"] = "en"
        return c

    return make


# Test databases kept between runs (--reuse-db, make test-fast) ---------------------------


def migrations_digest() -> str:
    """A digest of every installed app's migration files."""
    digest = hashlib.sha256()
    for app in apps.get_app_configs():
        for path in sorted(Path(app.path).glob("migrations/*.py")):
            digest.update(f"{app.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def kept_db_stamp(django_db_modify_db_settings) -> Path:
    """Where a kept test database notes the migrations it was built from (one per database:
    xdist workers have their own, named ..._gw0, ..._gw1)."""
    db = settings.DATABASES["default"]
    name = db["TEST"].get("NAME") or f"test_{db['NAME']}"
    return KEPT_DBS / f"{Path(name).name}.migrations"


@pytest.fixture(scope="session")
def django_db_createdb(request, kept_db_stamp) -> bool:
    """Make the test database afresh on --create-db, and when a kept one (--reuse-db) was built
    from other migration files. Django migrates a kept database forward, but the tables of a
    migration that changed or went away (another branch) would stay behind."""
    if request.config.getvalue("create_db"):
        return True
    if not request.config.getvalue("reuse_db"):
        return False
    return not kept_db_stamp.exists() or kept_db_stamp.read_text() != migrations_digest()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, kept_db_stamp, django_db_blocker):
    """A kept test database is a template no test writes to: each run works on a copy of it.
    A transactional test empties every table when it ends, and with them the rows the
    migrations wrote (the regulations, the national terms) that the next run needs."""
    if not django_db_keepdb:
        yield
        return
    kept_db_stamp.write_text(migrations_digest())
    creation = connection.creation
    copy = creation.get_test_db_clone_settings("run")
    with django_db_blocker.unblock():
        connection.close()  # SQLite: the last connection to close writes the WAL into the file
        if connection.vendor == "sqlite":
            for leftover in ("-wal", "-shm"):  # of a run that was killed
                Path(copy["NAME"] + leftover).unlink(missing_ok=True)
        creation.clone_test_db(suffix="run", verbosity=0)
    connection.settings_dict.update(copy)  # in place: threads (the live server) read it too
    yield
