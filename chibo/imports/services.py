"""The import engine: preview and commit run the very same code.

Both write every row through the domain services inside one transaction, each row in its
own savepoint so that one bad row does not hide the verdict on the next. A preview then
rolls the whole transaction back; a commit keeps it only when no row had an error. So the
preview sees exactly what the commit will do, including later sheets that refer to units
and members created by earlier ones, and a commit writes everything or nothing.
"""

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import PurePath
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DEFAULT_DB_ALIAS,
    DataError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from chibo.core import audit
from chibo.core.formats import number
from chibo.core.sheets import (
    CellError,
    Column,
    Context,
    Handler,
    Key,
    Outcome,
    Parsed,
    RowError,
    Sheet,
    cell_warning,
    handlers,
    match_headers,
    read_cell,
    show,
    text,
)
from chibo.members import counts
from chibo.notices.services import notify

from .models import ImportJob
from .reader import RawSheet, bundle, read_files
from .reminders import IMPORT_CHECKED, IMPORT_DONE, IMPORT_FAILED, IMPORT_REFUSED
from .report import ERROR, Change, Problem, Report, Row, SheetResult

Files = list[tuple[str, bytes]]
Progress = Callable[[int], None]  # percent done
logger = logging.getLogger(__name__)
READ_SHARE = 10  # percent of a run taken by reading the file
BATCH = 2000  # rows a sheet's `batch` handler takes at once (see Handler.batch)

# One event for a whole import: the services the sheets' rows call record nothing of their
# own (an import of a thousand members is one line, not a thousand).
UPLOADED = audit.kind(
    "imports.uploaded",
    gettext_lazy(
        "Uploaded %(file)s for a preview: %(create)s to create, %(update)s to update, "
        "%(unchanged)s unchanged, %(error)s errors"
    ),
)
IMPORTED = audit.kind(
    "imports.imported",
    gettext_lazy(
        "Imported %(file)s: %(create)s created, %(update)s updated, %(unchanged)s unchanged"
    ),
)


def import_preview(
    *, actor, files: Files, progress: Progress | None = None, bulk: bool = True
) -> Report:
    """What importing `files` would do, row by row. Writes nothing (the services' events
    included: the whole run is rolled back). `bulk=False`: every row through its sheet's
    `apply`, none in batches (the tests compare the two; the bench times the old way)."""
    with audit.silenced():
        return _run(actor=actor, files=files, write=False, progress=progress, bulk=bulk)


@audit.write
def import_commit(
    *, actor, files: Files, progress: Progress | None = None, bulk: bool = True
) -> Report:
    """Import `files`: everything, or nothing when any row has an error. A commit is kept
    as a committed job (its report, not its file), the object of the import's event."""
    report = _run(actor=actor, files=files, write=True, progress=progress, bulk=bulk)
    if report.committed:
        filename = ", ".join(PurePath(name).name for name, _content in files)[:255]
        job = ImportJob.objects.create(
            user=actor if getattr(actor, "pk", None) else None,  # None: `chibo import`'s operator
            filename=filename,
            content=b"",
            state=ImportJob.State.COMMITTED,
            committed_at=timezone.now(),
            summary=report.to_dict(),
            progress=100,
        )
        _record(IMPORTED, actor, job, report)
    return report


# An upload holds personal data: it is kept only between preview and commit, at most this long.
KEEP_PREVIEW = dt.timedelta(days=7)


def in_background(job: ImportJob) -> bool:
    """A file larger than CHIBO_IMPORT_BACKGROUND_BYTES (a commune's, a province's) is
    previewed and imported by the worker, the page showing its progress; a cell's few
    rows are done at once, in the request."""
    return len(job.content) > settings.CHIBO_IMPORT_BACKGROUND_BYTES


@audit.write
def job_create(*, actor, files: Files) -> ImportJob:
    """Keep an upload between its preview and its commit (and drop stale previews); preview
    it at once, or leave it queued for the worker when it is large (the caller enqueues
    `tasks.preview_import`: the tasks call these services)."""
    ImportJob.objects.exclude(state=ImportJob.State.COMMITTED).filter(
        created_at__lt=timezone.now() - KEEP_PREVIEW
    ).delete()
    filename, content = bundle(files)
    job = ImportJob.objects.create(
        user=actor, filename=filename[:255], content=content, state=ImportJob.State.QUEUED
    )
    if in_background(job):
        return job
    report = import_preview(actor=actor, files=[(job.filename, content)])
    _previewed(job, report)
    return job


def _previewed(job: ImportJob, report: Report) -> None:
    job.summary = report.to_dict()
    job.state = ImportJob.State.PREVIEWED
    job.progress = 100
    job.save(update_fields=["summary", "state", "progress"])
    _record(UPLOADED, job.user, job, report)


@audit.write
def _job_previewed(*, actor, job: ImportJob, report: Report) -> None:
    _previewed(job, report)


def job_preview(*, job_id: int) -> ImportJob | None:
    """The worker's preview of a queued upload; its owner is told in the notification
    centre (the page showing its progress may have been closed)."""
    job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).first()
    if job is None:  # previewed already (enqueued twice), or deleted
        return None
    with _progress_of(job) as progress:
        report = import_preview(
            actor=job.user, files=[(job.filename, bytes(job.content))], progress=progress
        )
    _job_previewed(actor=job.user, job=job, report=report)
    counts_ = {k: number(v) for k, v in report.counts().items()}
    _tell(job, IMPORT_CHECKED, **counts_)
    return job


@audit.write
def job_commit(*, job: ImportJob, actor) -> Report | None:
    """Commit a previewed job from its stored file (re-read: the data may have moved on).
    None when it was committed already, so a double click never writes twice. A commit
    refused for errors imports nothing and records no event; the job keeps the new report."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.committable:
        return None
    return _commit(job, actor)


def _commit(job: ImportJob, actor, progress: Progress | None = None) -> Report:
    report = _run(
        actor=actor, files=[(job.filename, bytes(job.content))], write=True, progress=progress
    )
    job.summary = report.to_dict()
    job.state = ImportJob.State.PREVIEWED
    job.progress = 100
    if report.committed:
        job.state = ImportJob.State.COMMITTED
        job.committed_at = timezone.now()
        job.content = b""  # written into the records; the file itself is not kept
    job.save(update_fields=["summary", "state", "committed_at", "content", "progress"])
    if report.committed:
        _record(IMPORTED, actor, job, report)
    return report


@audit.write
def _job_commit_now(*, actor, job: ImportJob, progress: Progress) -> Report:
    return _commit(job, actor, progress)


def job_commit_queue(*, job: ImportJob) -> bool:
    """Mark a previewed job (or one whose commit failed) for the worker's commit; False when
    it is committing or committed already (a double click queues one commit). The caller enqueues
    `tasks.commit_import` when True."""
    current = ImportJob.objects.filter(pk=job.pk).only("state", "summary").first()
    if current is None or not current.committable:
        return False
    # Compare and set: of two clicks at once, one moves the state on.
    queued = ImportJob.objects.filter(pk=job.pk, state=current.state).update(
        state=ImportJob.State.COMMITTING, progress=0, error=""
    )
    return bool(queued)


def job_commit_run(*, job_id: int) -> Report | None:
    """The worker's commit of a job queued by `job_commit_queue`, in one transaction: a
    failure, or a killed worker, leaves nothing written. Its owner is told either way."""
    job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.COMMITTING).first()
    if job is None:
        return None
    try:
        with _progress_of(job) as progress:
            report = _job_commit_now(actor=job.user, job=job, progress=progress)
    except Exception:
        logger.exception("import %s could not be committed", job.pk)
        _job_failed(job)
        return None
    if report.committed:
        counts_ = {k: number(v) for k, v in report.counts().items()}
        _tell(job, IMPORT_DONE, **counts_)
    else:
        _tell(job, IMPORT_REFUSED, error=number(report.counts()[ERROR]))
    return report


def job_failed(*, job_id: int, error: str = "") -> None:
    """A preview or commit the worker could not finish (an unexpected error, or the worker
    stopped: `error` says so)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.running:
        _job_failed(job, error)


def _job_failed(job: ImportJob, error: str = "") -> None:
    error = error or _(
        "An unexpected error stopped the work; nothing was written. Try again, or tell the "
        "administrator."
    )
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.FAILED, error=error)
    _tell(job, IMPORT_FAILED)


def _tell(job: ImportJob, kind: str, **params: str) -> None:
    if job.user_id is None:
        return
    notify(
        [job.user_id],
        kind=kind,
        key=f"import:{job.pk}:{kind}",
        params={"file": job.filename, **params},
        url=reverse("imports:preview", args=[job.pk]),
    )


@contextlib.contextmanager
def _progress_of(job: ImportJob) -> Iterator[Progress]:
    """Say how far the worker is, where the page polling the job sees it at once: the
    import runs in one transaction, so the percent goes through a connection of its own
    (PostgreSQL). SQLite has one writer at a time, the import itself: there the percent
    is written only outside the import's transaction (reading done, then the end)."""
    side = (
        None if connection.vendor == "sqlite" else connections.create_connection(DEFAULT_DB_ALIAS)
    )
    table = connection.ops.quote_name(ImportJob._meta.db_table)
    last = -1

    def progress(percent: int) -> None:
        nonlocal last
        if percent == last:
            return
        last = percent
        if side is not None:
            with side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET progress = %s WHERE id = %s", [percent, job.pk])
        elif not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        yield progress
    finally:
        if side is not None:
            side.close()


def _record(kind: str, actor, job: ImportJob, report: Report) -> None:
    """The import's one event: the file, the counts, and the counts of each sheet (the
    sentence says the totals; the sheets' are kept as `<sheet>_<status>` facts)."""
    facts: dict[str, Any] = {"file": job.filename, **report.counts()}
    facts.update(
        (f"{sheet.key}_{status}", n)
        for sheet in report.sheets
        for status, n in sheet.counts().items()
        if n
    )
    audit.record(kind, actor=actor, obj=job, **facts)


def _run(
    *, actor, files: Files, write: bool, progress: Progress | None = None, bulk: bool = True
) -> Report:
    book = read_files(files)
    report = Report(problems=book.problems, notes=book.notes)
    if book.problems:
        return report
    ctx = Context(user=actor)
    total = sum(len(raw.rows) for raw in book.sheets.values())
    done = 0

    def row_done() -> None:
        # Reading took the first tenth; the rows the rest (the finish and counts are quick).
        nonlocal done
        done += 1
        if progress is not None:
            progress(READ_SHARE + (99 - READ_SHARE) * done // max(total, 1))

    if progress is not None:
        progress(READ_SHARE)
    with _history_user(actor), transaction.atomic():
        # Each cell's member counts once at the end, not once per row (none for a preview).
        with counts.deferred(discard=not write):
            finishing: list[tuple[Handler, dict[Key, Row], dict[str, str]]] = []
            for handler in handlers():
                raw = book.sheets.get(handler.sheet.key)
                if raw is not None:
                    result, by_key, shown = _process(ctx, handler, raw, row_done, bulk)
                    raw.rows = []  # read: the sheet's cells need not be held any more
                    report.sheets.append(result)
                    if handler.finish is not None:
                        finishing.append((handler, by_key, shown))
            for handler, by_key, shown in finishing:
                _finish(ctx, handler, by_key, shown)
        if not write or report.has_errors:
            transaction.set_rollback(True)
    report.committed = write and not report.has_errors
    return report


@contextlib.contextmanager
def _history_user(user) -> Iterator[None]:
    """Outside a request (the command), history rows still name who imported."""
    context = HistoricalRecords.context
    if getattr(context, "request", None) is not None or not getattr(user, "pk", None):
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def _process(
    ctx: Context,
    handler: Handler,
    raw: RawSheet,
    row_done: Callable[[], None],
    bulk: bool = True,
) -> tuple[SheetResult, dict[Key, Row], dict[str, str]]:
    """The sheet's rows, each applied in its savepoint (or, for a sheet with a `batch`
    handler, BATCH rows at a time in one savepoint, the rows it leaves out then one by one);
    for `_finish`, the rows written by key and each column's header as the file wrote it."""
    sheet = handler.sheet
    result = SheetResult(key=sheet.key, label=str(sheet.label), source=raw.source)
    positions, duplicated, unknown = match_headers(sheet, raw.headers)
    shown = {
        c.key: raw.headers[positions[c.key]] if c.key in positions else c.label
        for c in sheet.columns
    }
    for column in sheet.columns:
        if column.required and column.key not in positions:
            result.problems.append(
                Problem(_("Missing column “%(label)s”.") % {"label": column.label}, column.label)
            )
    for header in duplicated:
        result.problems.append(
            Problem(_("The column “%(label)s” appears twice.") % {"label": header}, header)
        )
    if unknown:
        result.notes.append(
            _("Columns not in the template were ignored: %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    by_key: dict[Key, Row] = {}
    if result.problems:
        return result, by_key, shown

    items = [_parse(sheet.columns, positions, number, cells) for number, cells in raw.rows]
    ctx.keys[sheet.key] = {k for k in (_key(handler, item) for item in items) if k is not None}
    _mark_duplicates(handler, items)
    ordered = handler.order(items) if handler.order else items
    size = BATCH if bulk and handler.batch is not None else 1
    for start in range(0, len(ordered), size):
        chunk = ordered[start : start + size]
        done = _batch(ctx, handler, chunk) if size > 1 else {}
        for item in chunk:
            outcome = done.get(item.number)
            if outcome is not None:
                row = _applied(sheet, item, outcome, shown)
            else:
                row = _apply(ctx, handler, item, shown)
            row_done()
            result.rows.append(row)
            if row.status != ERROR:
                by_key[handler.key(item.values)] = row
    result.rows.sort(key=lambda r: r.number)
    return result, by_key, shown


def _finish(ctx: Context, handler: Handler, by_key: dict[Key, Row], shown: dict[str, str]) -> None:
    """What the sheet's rows left for the end; its problems turn their rows into errors."""
    assert handler.finish is not None
    for key, problems in handler.finish(ctx).items():
        row = by_key[key]
        row.status = ERROR
        row.changes = []
        row.problems += [Problem(message, shown.get(column, "")) for message, column in problems]


def _parse(
    columns: tuple[Column, ...], positions: dict[str, int], number: int, cells: list
) -> Parsed:
    item = Parsed(number=number, values={})
    for column in columns:
        i = positions.get(column.key)
        value = cells[i] if i is not None and i < len(cells) else None
        try:
            item.values[column.key] = read_cell(column, value)
        except CellError as e:
            item.values[column.key] = text(value)
            item.problems.append((str(e), column.key))
            continue
        if warning := cell_warning(column, item.values[column.key]):
            item.warnings.append((warning, column.key))
        if column.required and item.values[column.key] in ("", None):
            item.problems.append((_("This cell is required."), column.key))
    return item


def _key(handler: Handler, item: Parsed) -> Key | None:
    """The row's key, even when some cell could not be read (None if the key needs it)."""
    try:
        return handler.key(item.values)
    except (AttributeError, TypeError):
        return None


def _mark_duplicates(handler: Handler, items: list[Parsed]) -> None:
    """The same record twice in one file: the second row is the error (which one should
    win is not for us to guess)."""
    seen: dict[tuple, int] = {}
    for item in items:
        if item.problems:
            continue
        key = handler.key(item.values)
        if key in seen:
            item.problems.append((_("Duplicate of row %(row)d.") % {"row": seen[key]}, ""))
        else:
            seen[key] = item.number


def _batch(ctx: Context, handler: Handler, chunk: list[Parsed]) -> dict[int, Outcome]:
    """The rows of `chunk` that the sheet's `batch` wrote, by row number, in one savepoint.
    When the database refuses the batch (it should not: the handler writes only the rows
    it checked), nothing of it is kept and every row goes through `apply`, which says
    which row is wrong."""
    assert handler.batch is not None
    ready = [item for item in chunk if not item.problems]
    if not ready:
        return {}
    try:
        with transaction.atomic():
            return handler.batch(ctx, ready)
    except (IntegrityError, DataError):
        logger.warning("a batch of sheet %s was refused; its rows one by one", handler.sheet.key)
        return {}


def _applied(sheet: Sheet, item: Parsed, outcome: Outcome, shown: dict[str, str]) -> Row:
    row = Row(number=item.number, record=outcome.record, status=outcome.status)
    row.warnings = [Problem(message, shown.get(key, "")) for message, key in item.warnings]
    row.changes = [
        Change(shown[key], show(sheet, key, old), show(sheet, key, new))
        for key, old, new in outcome.changes
    ]
    return row


def _apply(ctx: Context, handler: Handler, item: Parsed, shown: dict[str, str]) -> Row:
    row = Row(number=item.number, record=_describe(item.values))
    row.warnings = [Problem(message, shown.get(key, "")) for message, key in item.warnings]
    problems = list(item.problems)
    if not problems:
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves nothing behind
                outcome = handler.apply(ctx, item.values)
        except RowError as e:
            problems = e.problems
        except ValidationError as e:
            problems = _validation_problems(e, handler.fields)
        except (IntegrityError, DataError) as e:
            problems = [(_("The database refused this row: %(error)s") % {"error": e}, "")]
        else:
            return _applied(handler.sheet, item, outcome, shown)
    row.status = ERROR
    row.problems = [Problem(message, shown.get(key, "")) for message, key in problems]
    return row


def _validation_problems(error: ValidationError, fields: dict[str, str]) -> list[tuple[str, str]]:
    if not hasattr(error, "error_dict"):
        return [(m, "") for m in error.messages]
    return [
        (message, fields.get(name, ""))
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _describe(values: dict[str, Any]) -> str:
    """A failed row is still named by what it holds, so people can find it."""
    keys = ("code", "member_code", "cell_code", "date", "name", "full_name")
    return " · ".join(
        v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else str(v)
        for v in (values.get(k) for k in keys)
        if v
    )
