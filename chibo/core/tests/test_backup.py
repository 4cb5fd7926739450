"""`chibo backup` and `chibo restore` (chibo.core.backup, docs/backup.md).

The round trip: a small demo and documents with contents of every byte value, backed up,
restored into a new, empty database (SQLite: a new file; PostgreSQL: a database the test
creates and drops), then compared with the original by queries of the test's own on both
databases: every table, row for row, and every document's bytes. The refusals: each with its
message, and nothing written."""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone, translation

from chibo.accounts.models import User
from chibo.core import backup
from chibo.demo.generate import demo_generate
from chibo.meetings import services as meetings
from chibo.meetings.models import Kind, Meeting, MeetingDocument
from chibo.meetings.services import prepare

# pg_dump reads what is committed: these tests commit. The demo needs the rows the migrations
# seed (the rules), which a transactional test that ran before may have emptied: put back.
COMMITTED = pytest.mark.django_db(transaction=True)
SEEDED = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PG_TOOLS = ("pg_dump", "pg_restore", "psql")


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO())
    return str(error.value)


# Independent reads of a database: a connection of the test's own ---------------------------


def raw(db: dict):
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:"))
    import psycopg

    params = {
        k: db.get(K)
        for k, K in (
            ("dbname", "NAME"),
            ("user", "USER"),
            ("password", "PASSWORD"),
            ("host", "HOST"),
            ("port", "PORT"),
        )
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def tables(conn) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    return sorted(row[0] for row in conn.execute(sql).fetchall())


def contents(db: dict) -> dict[str, tuple[int, str]]:
    """Every table: its rows, and a digest of all of them (in any order)."""
    conn = raw(db)
    try:
        found = {}
        for table in tables(conn):
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            digest = hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()
            found[table] = (len(rows), digest)
        return found
    finally:
        conn.close()


def query(db: dict, sql: str) -> list[tuple]:
    conn = raw(db)
    try:
        return [tuple(row) for row in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def document_sums(db: dict) -> dict[int, str]:
    return {
        pk: hashlib.sha256(bytes(content)).hexdigest()
        for pk, content in query(db, "SELECT id, content FROM meetings_meetingdocument")
    }


# The databases --------------------------------------------------------------------------------


def source() -> dict:
    return dict(connection.settings_dict)


def url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture
def empty(tmp_path):
    """A new, empty database of the test database's kind; PostgreSQL's is dropped after."""
    db = source()
    if connection.vendor == "sqlite":
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        yield db
        return
    missing = [tool for tool in PG_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL's client tools are not installed: {', '.join(missing)}")
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = raw({**db, "NAME": "postgres"})
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**db, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def is_empty(db: dict) -> bool:
    if db["ENGINE"].endswith("sqlite3") and not Path(db["NAME"]).exists():
        return True
    conn = raw(db)
    try:
        return tables(conn) == []
    finally:
        conn.close()


# What is backed up -----------------------------------------------------------------------------

FILES = {
    "Nghị quyết tháng 6.pdf": bytes(range(256)) * 300 + os.urandom(40_000),
    "Dự thảo báo cáo.docx": os.urandom(120_000),
    "Ghi chú.txt": "Đồng chí Nguyễn Văn Ánh phát biểu ý kiến.\n".encode() * 50,
}


def fill() -> dict[str, str]:
    """A small demo and three documents posted to one of its meetings; their sha256 by name."""
    demo_generate(members=50, seed=3, as_of=dt.date(2026, 6, 15))
    secretary = User.objects.get(username="secretary")
    cell = Meeting.objects.order_by("-planned_at", "-pk").first().cell
    meeting = meetings.meeting_create(
        cell=cell,
        kind=Kind.REGULAR,
        planned_at=timezone.make_aware(dt.datetime(2026, 7, 3, 19, 30)),
        actor=secretary,
    )
    for name, content in FILES.items():
        prepare.document_post(
            meeting=meeting, upload=SimpleUploadedFile(name, content), actor=secretary
        )
    return {name: hashlib.sha256(content).hexdigest() for name, content in FILES.items()}


@pytest.mark.slow  # a demo, and on PostgreSQL three processes
@SEEDED
def test_round_trip_into_an_empty_database(tmp_path, empty):
    posted = fill()
    file = tmp_path / "chibo.backup.tar"
    out = run("backup", "--output", str(file))
    assert f"Backup written: {file} (" in out
    assert "migrations applied" in out and "Files kept in the database" in out
    assert file.stat().st_mode & 0o077 == 0  # personal data: the owner's only

    original = contents(source())
    assert original["members_member"][0] >= 50 and original["meetings_meetingdocument"][0] == 3
    assert is_empty(empty)
    out = run("restore", str(file), "--database-url", url(empty))
    assert "every table's rows checked" in out and "chibo migrate" not in out

    # Every table, row for row, read from both databases by connections of the test's own.
    restored = contents(empty)
    assert restored == original
    # Every document's bytes, against what was posted.
    names = dict(query(empty, "SELECT id, filename FROM meetings_meetingdocument"))
    sums = document_sums(empty)
    assert {names[pk]: digest for pk, digest in sums.items()} == posted
    assert sums == {
        d.pk: hashlib.sha256(bytes(d.content)).hexdigest() for d in MeetingDocument.objects.all()
    }
    # A sample of records, read in plain words.
    sql = "SELECT code, full_name, birth_date FROM members_member ORDER BY code LIMIT 20"
    assert query(empty, sql) == query(source(), sql) and len(query(empty, sql)) == 20
    sql = "SELECT username, password, email FROM accounts_user ORDER BY username"
    assert query(empty, sql) == query(source(), sql)

    # The restored database is not empty now: refused without --force, and left as it was.
    message = refused("restore", str(file), "--database-url", url(empty))
    assert "is not empty" in message and "--force" in message
    assert contents(empty) == original
    # With --force it is replaced, whatever it held: a table of its own is gone too.
    conn = raw(empty)
    conn.execute("CREATE TABLE stray (id integer)")
    conn.execute("DELETE FROM meetings_meetingdocument")
    if isinstance(conn, sqlite3.Connection):
        conn.commit()
    conn.close()
    run("restore", str(file), "--database-url", url(empty), "--force")
    assert contents(empty) == original


@COMMITTED
def test_backup_default_name_and_retention(tmp_path, settings):
    settings.CHIBO_BACKUP_DIR = tmp_path
    for stamp in ("20260101-010000", "20260102-010000", "20260103-010000"):
        (tmp_path / f"chibo-{stamp}.backup.tar").write_bytes(b"old")
    mine = tmp_path / "before-the-upgrade.backup.tar"
    mine.write_bytes(b"named by the operator")
    out = run("backup", "--keep", "2")
    made = sorted(tmp_path.glob("chibo-2*.backup.tar"))
    assert len(made) == 2 and made[0].name == "chibo-20260103-010000.backup.tar"
    assert backup.NAME_PATTERN.match(made[1].name) and mine.exists()
    assert "chibo-20260101-010000.backup.tar, chibo-20260102-010000.backup.tar" in out
    manifest = backup.inspect(made[1])
    assert manifest.engine == connection.vendor
    # The manifest's counts are the database's own at the time.
    assert manifest.tables == {t: n for t, (n, _digest) in contents(source()).items()}


# Refusals ----------------------------------------------------------------------------------


def damage(path: Path, out: Path, *, change=None, cut=False) -> Path:
    """A copy of the backup with its manifest changed, or its database cut in half."""
    with tarfile.open(path, "r:*") as old, tarfile.open(out, "w") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == backup.MANIFEST and change:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            elif member.name != backup.MANIFEST and cut:
                data = data[: len(data) // 2]
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return out


@COMMITTED
def test_refuses_a_backup_from_newer_code_and_restores_an_older_one(tmp_path, empty):
    file = tmp_path / "now.backup.tar"
    run("backup", "--output", str(file))

    future = damage(
        file,
        tmp_path / "future.tar",
        change=lambda m: m["migrations"].append(["members", "9999_from_the_future"]),
    )
    message = refused("restore", str(future), "--database-url", url(empty))
    assert "made by a newer version of Chibo" in message
    assert "members.9999_from_the_future" in message
    assert is_empty(empty)
    # --check says so too, and writes nothing either.
    assert "newer version" in refused("restore", str(future), "--check")

    # A backup from before the last migration: restored, then `chibo migrate` is asked for.
    last = max(k for k in MigrationLoader(None).graph.leaf_nodes() if k[0] == "members")
    older = damage(
        file, tmp_path / "older.tar", change=lambda m: m["migrations"].remove(list(last))
    )
    out = run("restore", str(older), "--database-url", url(empty))
    assert "1 migration of this version is not applied. Run `chibo migrate`" in out
    assert not is_empty(empty)


@COMMITTED
def test_restore_is_all_or_nothing(tmp_path, empty):
    file = tmp_path / "b.tar"
    run("backup", "--output", str(file))
    cut = damage(file, tmp_path / "cut.tar", cut=True)
    message = refused("restore", str(cut), "--database-url", url(empty))
    assert "damaged" in message or "pg_restore failed" in message
    assert is_empty(empty)

    def one_more(manifest):
        manifest["tables"]["django_migrations"] += 1

    miscounted = damage(file, tmp_path / "miscounted.tar", change=one_more)
    message = refused("restore", str(miscounted), "--database-url", url(empty))
    assert "damaged" in message or "rolled back" in message
    assert "django_migrations" in message or connection.vendor == "sqlite"
    assert is_empty(empty)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a backup at all",
        "Họ và tên,Ngày sinh\n".encode(),
        "tar without a manifest",
        "wrong manifest",
    ],
)
def test_refuses_a_file_that_is_not_a_backup(tmp_path, content, db):
    path = tmp_path / "file.tar"
    if content == "tar without a manifest":
        with tarfile.open(path, "w") as tar:
            tar.add(__file__, arcname="database.sqlite3")
    elif content == "wrong manifest":
        with tarfile.open(path, "w:gz") as tar:
            data = json.dumps({"format": "something else"}).encode()
            info = tarfile.TarInfo(backup.MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    else:
        path.write_bytes(content)
    target = tmp_path / "target.sqlite3"
    message = refused("restore", str(path), "--database-url", f"sqlite:///{target}")
    assert message == f"{path} is not a Chibo backup."
    assert not target.exists()
    assert refused("restore", str(path), "--check") == message
    assert "does not exist" in refused("restore", str(tmp_path / "nothing.tar"), "--check")


@COMMITTED
def test_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    file = tmp_path / "b.tar"
    run("backup", "--output", str(file))
    other = tmp_path / "other.sqlite3"
    if connection.vendor == "sqlite":
        target = "postgres://nobody@127.0.0.1:1/none"
    else:
        target = f"sqlite:///{other}"
    message = refused("restore", str(file), "--database-url", target)
    assert "Restore it into a database of the same kind" in message
    assert not other.exists()


def test_backup_refuses_an_existing_file(tmp_path, db):
    file = tmp_path / "b.tar"
    file.write_bytes(b"keep me")
    assert refused("backup", "--output", str(file)) == f"{file} already exists."
    assert file.read_bytes() == b"keep me"


def test_keep_must_be_positive(db):
    assert refused("backup", "--keep", "0") == "--keep must be at least 1."


# Migrations, against the code's own graph ------------------------------------------------------


def test_migration_check():
    graph = MigrationLoader(None).graph
    everything = sorted(graph.nodes)
    assert backup.migration_check(everything) == []
    assert backup.migration_check(everything[1:]) == [everything[0]]
    with translation.override("en"), pytest.raises(backup.BackupError) as error:
        backup.migration_check([*everything, ("org", "0999_later")])
    assert "1 migration this version does not know (org.0999_later)" in str(error.value)


def test_prune_keeps_the_newest_with_default_names(tmp_path):
    names = [f"chibo-2026010{d}-120000.backup.tar" for d in range(1, 6)]
    for name in [*names, "notes.txt", "chibo-manual.backup.tar"]:
        (tmp_path / name).write_text("x")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*names[3:], "notes.txt", "chibo-manual.backup.tar"]
    )


def test_postgresql_client_tools_are_checked(monkeypatch, tmp_path):
    with translation.override("en"), pytest.raises(backup.BackupError) as error:
        backup._tool("pg_nowhere", 16)
    assert str(error.value) == (
        "pg_nowhere was not found: install PostgreSQL's client tools "
        "(postgresql-client-16 or later)."
    )
    # A pg_dump older than the server would refuse to dump it: said before it starts.
    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.4'\n")
    old.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with translation.override("en"), pytest.raises(backup.BackupError) as error:
        backup._tool("pg_dump", 15)
    assert str(error.value) == (
        "pg_dump is version 13, older than the server's 15: install postgresql-client-15 or later."
    )
    assert backup._tool("pg_dump", 13) == "pg_dump (PostgreSQL) 13.4"
