"""Backups of the whole database in one file, and their restore (`chibo backup`, `chibo
restore`; docs/backup.md).

A backup is a tar file: `manifest.json` first (the engine, the tool versions, the applied
migrations, every table's row count and the bytes of the files kept in the database), then
the database itself, made by the database's own tools: PostgreSQL's custom-format dump
(`pg_dump`, read back by `pg_restore`), or an SQLite file copied through SQLite's online
backup API, so a backup taken while the web server and the worker write is consistent.

A restore refuses a database that is not empty (unless forced), and a backup from newer code
than this one; it is all or nothing: on PostgreSQL one transaction that also checks every
table's row count against the manifest before it commits, on SQLite a verified copy next to
the target, then moved into place.

Generic over `django.apps`: the kernel knows no Chibo app; the documents are in the database
(BinaryField), so the backup holds them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core.formats import number

FORMAT = "chibo-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Default names sort by time: retention keeps the last ones by name.
NAME_PATTERN = re.compile(r"^chibo-\d{8}-\d{6}\.backup\.tar$")
CHUNK = 1 << 20

Migration = tuple[str, str]


class BackupError(Exception):
    """A refusal or a failure, with the message for the operator (translated)."""


@dataclass
class Manifest:
    engine: str  # "postgresql" or "sqlite"
    created_at: str  # ISO 8601, UTC
    migrations: list[Migration]
    tables: dict[str, int]  # every table of the database -> rows
    files: dict[str, list[int]]  # table of a model with a BinaryField -> [files, bytes]
    sha256: str  # of the database member
    tool: str = ""  # pg_dump's version line; SQLite's library version
    server: int = 0  # PostgreSQL server major version
    schema: str = ""  # PostgreSQL schema of the tables
    format: str = FORMAT
    version: int = FORMAT_VERSION

    @property
    def member(self) -> str:
        return MEMBERS[self.engine]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode()


@dataclass
class Restored:
    manifest: Manifest
    pending: list[Migration] = field(default_factory=list)  # the code's, not in the backup


# Names, retention ----------------------------------------------------------------------------


def backup_dir() -> Path:
    return Path(settings.CHIBO_BACKUP_DIR)


def default_output(directory: Path | None = None, now: dt.datetime | None = None) -> Path:
    """chibo-YYYYMMDD-HHMMSS.backup.tar in the backup directory, local time."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return (directory or backup_dir()) / f"chibo-{stamp}.backup.tar"


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Remove all but the `keep` newest backups of the directory with default names (other
    files, and backups written under a name of one's own, are left alone)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    ours = sorted(p for p in directory.iterdir() if p.is_file() and NAME_PATTERN.match(p.name))
    removed = ours[:-keep]
    for path in removed:
        path.unlink()
    return removed


# Migrations ----------------------------------------------------------------------------------


def migration_check(applied: list[Migration]) -> list[Migration]:
    """The code's migrations a database with `applied` lacks (an older backup: run migrate).
    Raises BackupError when it holds migrations this code does not know (newer code)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    done = set(map(tuple, applied))
    unknown = sorted(done - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            ngettext(
                "This backup was made by a newer version of Chibo: it has %(count)d migration "
                "this version does not know (%(names)s). Install the version that made it (or a "
                "later one), then restore.",
                "This backup was made by a newer version of Chibo: it has %(count)d migrations "
                "this version does not know (%(names)s). Install the version that made it (or a "
                "later one), then restore.",
                len(unknown),
            )
            % {"count": len(unknown), "names": names + (", …" if len(unknown) > 5 else "")}
        )
    pending = []
    for key in loader.graph.nodes:
        replaces = loader.graph.nodes[key].replaces
        if key not in done and not (replaces and all(tuple(r) in done for r in replaces)):
            pending.append(key)
    return sorted(pending)


# What a database holds -----------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _inventory(cursor: Any, tables: list[str]) -> tuple[dict, dict, list[Migration]]:
    """Every table's rows, the files' count and bytes, the applied migrations, read through
    one DB-API cursor (one snapshot: the caller's transaction or the copy)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    files = {}
    for table, column in _file_columns():
        if table in counts:
            col = _quote(column)
            cursor.execute(
                f"SELECT COUNT({col}), COALESCE(SUM(LENGTH({col})), 0) FROM {_quote(table)}"
            )
            number, size = cursor.fetchone()
            files[table] = [int(number), int(size)]
    applied: list[Migration] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        applied = [(app, name) for app, name in cursor.fetchall()]
    return counts, files, applied


def _file_columns() -> Iterator[tuple[str, str]]:
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.BinaryField) and f.column:
                yield model._meta.db_table, f.column


def described_tables(manifest: Manifest, limit: int = 12) -> list[tuple[str, int]]:
    """The largest tables of the records people keep (not history, not Django's own), named
    the way the models name them, largest first."""
    named = []
    for model in apps.get_models():
        meta = model._meta
        if (
            meta.proxy
            or not meta.managed
            or hasattr(model, "instance_type")  # django-simple-history's copies
            or meta.app_config.name.startswith("django.")
        ):
            continue
        rows = manifest.tables.get(meta.db_table, 0)
        if rows:
            named.append((str(meta.verbose_name_plural).capitalize(), rows))
    return sorted(named, key=lambda t: (-t[1], t[0]))[:limit]


def size(count: int) -> str:
    """12,3 MB, the Vietnamese way."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            return f"{number(count / scale, 1)} {unit}"
    return f"{number(count)} B"


def describe(manifest: Manifest) -> list[str]:
    """What a backup holds, in lines for the operator."""
    engine = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[manifest.engine]
    lines = [
        _(
            "%(engine)s database, %(migrations)s migrations applied: %(tables)s tables, "
            "%(rows)s rows."
        )
        % {
            "engine": engine,
            "migrations": number(len(manifest.migrations)),
            "tables": number(len(manifest.tables)),
            "rows": number(manifest.rows),
        }
    ]
    lines += [f"  {label}: {number(rows)}" for label, rows in described_tables(manifest)]
    files = sum(f[0] for f in manifest.files.values())
    stored = sum(f[1] for f in manifest.files.values())
    lines.append(
        _("Files kept in the database: %(count)s, %(size)s.")
        % {"count": number(files), "size": size(stored)}
    )
    return lines


# PostgreSQL ----------------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the database: the password goes here, never on the command
    line (where `ps` shows it to every user of the machine)."""
    env = dict(os.environ)
    for key, var in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("HOST"):
        env["PGHOST"] = str(db["HOST"])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    env["PGAPPNAME"] = "chibo-backup"
    return env


def _pg_connect(db: dict[str, Any]) -> Any:
    import psycopg

    params = {
        "dbname": db.get("NAME"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            params[key] = options[key]
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def _tool(name: str, at_least: int) -> str:
    """The tool's version line; refuses a missing tool, or one older than `at_least`."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install PostgreSQL's client tools "
                "(postgresql-client-%(version)d or later)."
            )
            % {"tool": name, "version": at_least}
        )
    line = subprocess.run(
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    found = re.search(r"(\d+)(?:\.\d+)?", line)
    major = int(found.group(1)) if found else 0
    if major < at_least:
        raise BackupError(
            _(
                "%(tool)s is version %(found)s, older than the server's %(version)d: install "
                "postgresql-client-%(version)d or later."
            )
            % {"tool": name, "found": major or "?", "version": at_least}
        )
    return line


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def _pg_backup(using: str, dump: Path) -> Manifest:
    connection = connections[using]
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    tool = _tool("pg_dump", server)
    # pg_dump reads the snapshot this transaction exports, so the counts written in the
    # manifest are those of the dump, row for row, while the application keeps writing.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_schema()")
        snapshot, schema = cursor.fetchone()
        counts, files, applied = _inventory(cursor, _pg_tables(cursor))
        done = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
            ],
            env=_pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()})
    return Manifest(
        engine="postgresql",
        created_at="",
        migrations=applied,
        tables=counts,
        files=files,
        sha256="",
        tool=tool,
        server=server,
        schema=schema,
    )


def _pg_table_count(db: dict[str, Any]) -> int:
    with _pg_connect(db) as conn, conn.cursor() as cursor:
        return len(_pg_tables(cursor))


# Every relation of the schema that no extension owns, dropped in the restore's transaction
# (--force): a table a newer migration of the target added would otherwise stay behind, and
# the next `migrate` would fail on it.
_PG_DROP_ALL = """
DO $chibo$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.relname, c.relkind FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
        AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
        WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      current_schema(), r.relname);
  END LOOP;
END $chibo$;
"""


def _pg_count_checks(manifest: Manifest) -> str:
    """A DO block that fails (and so rolls the restore back) unless every table holds the
    rows the manifest says."""
    schema = _quote(manifest.schema or "public")
    checks = []
    for table, rows in sorted(manifest.tables.items()):
        literal = "'" + table.replace("'", "''") + "'"
        checks.append(
            f"  SELECT COUNT(*) INTO n FROM {schema}.{_quote(table)};\n"
            f"  IF n <> {int(rows)} THEN RAISE EXCEPTION 'chibo-restore: table % has % rows, "
            f"the backup says {int(rows)}', {literal}, n; END IF;"
        )
    return "DO $chibo$\nDECLARE n bigint;\nBEGIN\n" + "\n".join(checks) + "\nEND $chibo$;\n"


def _pg_restore(
    archive: tarfile.TarFile, member: tarfile.TarInfo, manifest: Manifest, db: dict, force: bool
) -> None:
    """pg_restore writes the dump as SQL, which psql runs inside one transaction of ours:
    BEGIN, (with --force) every table dropped, the dump, the row counts checked, COMMIT. The
    COMMIT is sent only when pg_restore finished without error: a dump cut short, a failed
    statement (ON_ERROR_STOP) or a count that differs leaves the database as it was."""
    _tool("pg_restore", max(manifest.server, 1))
    _tool("psql", 1)
    env = _pg_env(db)
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_out:
        restore = subprocess.Popen(
            ["pg_restore", "--no-owner", "--no-privileges", "--no-comments", "--file=-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        psql = subprocess.Popen(
            ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,  # the dump's SELECT setval(...) results
            stderr=psql_out,
            env=env,
        )
        assert restore.stdin and restore.stdout and psql.stdin
        source = archive.extractfile(member)
        assert source is not None

        def feed(to: IO[bytes]) -> None:
            try:
                shutil.copyfileobj(source, to, CHUNK)
            except (OSError, tarfile.TarError):
                pass  # pg_restore stopped, or the file is cut short: pg_restore says which
            finally:
                to.close()

        feeder = threading.Thread(target=feed, args=(restore.stdin,), daemon=True)
        feeder.start()
        restored = False
        try:
            psql.stdin.write(b"BEGIN;\n")
            if force:
                psql.stdin.write(_PG_DROP_ALL.encode())
            shutil.copyfileobj(restore.stdout, psql.stdin, CHUNK)
            restored = restore.wait() == 0
            if restored:
                psql.stdin.write(_pg_count_checks(manifest).encode())
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:
            # psql stopped at an error (its output says which): pg_restore, blocked on a full
            # pipe, is stopped too.
            restore.kill()
            restore.wait()
            restored = True
        finally:
            restore.stdout.close()
        feeder.join()
        code = psql.wait()
        if not restored:
            restore_err.seek(0)
            error = restore_err.read().decode(errors="replace").strip()
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": error})
        if code:
            psql_out.seek(0)
            lines = psql_out.read().decode(errors="replace").splitlines()
            # "psql:-:1234: ERROR:  chibo-restore: table ... has ..." and its context lines.
            first = next((i for i, line in enumerate(lines) if "ERROR:" in line), 0)
            error = "\n".join(re.sub(r"^psql:[^:]*:\d+: ", "", line) for line in lines[first:])
            raise BackupError(
                _("The restore failed and was rolled back: %(error)s") % {"error": error[:2000]}
            )


# SQLite --------------------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in rows]


def _sqlite_backup(using: str, copy: Path) -> Manifest:
    connection = connections[using]
    connection.ensure_connection()
    # SQLite's online backup: a consistent copy while other connections (the web server, the
    # worker) keep writing; the counts are then read from the copy itself.
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)  # type: ignore[union-attr]
        counts, files, applied = _inventory(target.cursor(), _sqlite_tables(target))
    finally:
        target.close()
    return Manifest(
        engine="sqlite",
        created_at="",
        migrations=applied,
        tables=counts,
        files=files,
        sha256="",
        tool=f"SQLite {sqlite3.sqlite_version}",
    )


def _sqlite_table_count(db: dict[str, Any]) -> int:
    path = Path(db["NAME"])
    if not path.exists() or path.stat().st_size == 0:
        return 0
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return len(_sqlite_tables(conn))
    finally:
        conn.close()


def _sqlite_restore(
    archive: tarfile.TarFile, member: tarfile.TarInfo, manifest: Manifest, db: dict
) -> None:
    """Into a copy next to the target first, checked (integrity, every table's rows); then a
    new file is renamed into place, and an existing one (--force) is overwritten by SQLite's
    backup API in one transaction of its own: a rename would leave processes that hold the
    old file, and its write-ahead log, writing to a file nobody reads."""
    target = Path(db["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restore")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            source = archive.extractfile(member)
            assert source is not None
            try:
                digest = _copy_hashing(source, out)
            except (tarfile.TarError, EOFError, OSError):
                digest = ""  # cut short
        if digest != manifest.sha256:
            raise BackupError(_("The backup file is damaged (its checksum differs)."))
        conn = sqlite3.connect(temp)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(_("The backup file is damaged (integrity check failed)."))
            counts = {
                t: conn.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0]
                for t in _sqlite_tables(conn)
            }
            if counts != manifest.tables:
                raise BackupError(_("The backup file is damaged (its row counts differ)."))
            if target.exists():
                live = sqlite3.connect(target, timeout=60)
                try:
                    conn.backup(live)
                finally:
                    live.close()
            else:
                for leftover in ("-wal", "-shm", "-journal"):
                    Path(f"{target}{leftover}").unlink(missing_ok=True)
                os.replace(temp, target)
        finally:
            conn.close()
    finally:
        temp.unlink(missing_ok=True)


# Backup and restore --------------------------------------------------------------------------


def _copy_hashing(source: IO[bytes], out: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        out.write(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def backup(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write the database to `output` (a new file; written under a temporary name and renamed
    when complete, so a failed backup leaves nothing that looks like one)."""
    vendor = connections[using].vendor
    if vendor not in MEMBERS:
        raise BackupError(_("Backups support PostgreSQL and SQLite only."))
    if output.exists():
        raise BackupError(_("%(file)s already exists.") % {"file": output})
    # The file holds every member's record and every account's password hash: for the
    # operator's eyes only.
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".chibo-backup-") as work:
        data = Path(work) / MEMBERS[vendor]
        make = _pg_backup if vendor == "postgresql" else _sqlite_backup
        manifest = make(using, data)
        manifest.created_at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
        manifest.sha256 = _sha256(data)
        partial = Path(work) / "backup.tar"
        # The dump is compressed already; an SQLite file is not.
        compress: dict[str, Any] = {"mode": "w:gz", "compresslevel": 6}
        with tarfile.open(partial, **(compress if vendor == "sqlite" else {"mode": "w"})) as tar:
            head = tarfile.TarInfo(MANIFEST)
            body = manifest.to_json()
            head.size, head.mtime = len(body), int(timezone.now().timestamp())
            tar.addfile(head, io.BytesIO(body))
            tar.add(data, arcname=manifest.member)
        partial.chmod(0o600)
        os.replace(partial, output)
    return manifest


@contextmanager
def opened(path: Path) -> Iterator[tuple[tarfile.TarFile, Manifest]]:
    """The backup's archive and manifest; BackupError for anything that is not a backup."""
    not_backup = BackupError(_("%(file)s is not a Chibo backup.") % {"file": path})
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 (closed below, or raised)
    except FileNotFoundError:
        raise BackupError(_("%(file)s does not exist.") % {"file": path}) from None
    except (tarfile.TarError, OSError, EOFError):
        raise not_backup from None
    with archive:
        try:
            head = archive.next()
            source = archive.extractfile(head) if head and head.name == MANIFEST else None
            raw = json.loads(source.read(1 << 24)) if source else None
        except (tarfile.TarError, OSError, EOFError, ValueError):
            raw = None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise not_backup
        if raw.get("version", 0) > FORMAT_VERSION:
            raise BackupError(
                _("This backup was made by a newer version of Chibo; install it to restore.")
            )
        try:
            raw["migrations"] = [tuple(m) for m in raw["migrations"]]
            manifest = Manifest(**raw)
            if manifest.engine not in MEMBERS:
                raise KeyError(manifest.engine)
        except (TypeError, KeyError, ValueError):
            raise not_backup from None
        yield archive, manifest


def inspect(path: Path) -> Manifest:
    with opened(path) as (_archive, manifest):
        return manifest


def restore(*, source: Path, target: dict[str, Any] | None = None, force: bool = False) -> Restored:
    """Restore the backup into the `target` database (a DATABASES entry; default: Chibo's
    own). Nothing is written when it is refused."""
    db = target or connections[DEFAULT_DB_ALIAS].settings_dict
    vendor = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite"
    if not db["ENGINE"].endswith(("postgresql", "sqlite3")):
        raise BackupError(_("Backups support PostgreSQL and SQLite only."))
    with opened(source) as (archive, manifest):
        if manifest.engine != vendor:
            raise BackupError(
                _(
                    "This is a backup of a %(backup)s database; the database to restore into "
                    "is %(target)s. Restore it into a database of the same kind."
                )
                % {"backup": _ENGINES[manifest.engine], "target": _ENGINES[vendor]}
            )
        pending = migration_check(manifest.migrations)
        tables = _pg_table_count(db) if vendor == "postgresql" else _sqlite_table_count(db)
        if tables and not force:
            raise BackupError(
                ngettext(
                    "The database %(name)s is not empty (%(tables)d table). Restore into an "
                    "empty database, or give --force to replace everything in it.",
                    "The database %(name)s is not empty (%(tables)d tables). Restore into an "
                    "empty database, or give --force to replace everything in it.",
                    tables,
                )
                % {"name": db["NAME"], "tables": tables}
            )
        member = next((m for m in archive if m.name == manifest.member), None)
        if member is None or not member.isfile():
            raise BackupError(_("%(file)s is not a Chibo backup.") % {"file": source})
        if vendor == "postgresql":
            _pg_restore(archive, member, manifest, db, force)
        else:
            _sqlite_restore(archive, member, manifest, db)
    return Restored(manifest=manifest, pending=pending)


_ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
