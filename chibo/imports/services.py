"""The import engine: preview and commit run the very same code.

Both write every row through the domain services inside one transaction, each row in its
own savepoint so that one bad row does not hide the verdict on the next. A preview then
rolls the whole transaction back; a commit keeps it only when no row had an error. So the
preview sees exactly what the commit will do, including later sheets that refer to units
and members created by earlier ones, and a commit writes everything or nothing.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import PurePath
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from chibo.core import audit
from chibo.core.sheets import (
    CellError,
    Column,
    Context,
    Handler,
    Key,
    Parsed,
    RowError,
    cell_warning,
    handlers,
    match_headers,
    read_cell,
    show,
    text,
)

from .models import ImportJob
from .reader import RawSheet, bundle, read_files
from .report import ERROR, Change, Problem, Report, Row, SheetResult

Files = list[tuple[str, bytes]]

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


def import_preview(*, actor, files: Files) -> Report:
    """What importing `files` would do, row by row. Writes nothing (the services' events
    included: the whole run is rolled back)."""
    with audit.silenced():
        return _run(actor=actor, files=files, write=False)


@audit.write
def import_commit(*, actor, files: Files) -> Report:
    """Import `files`: everything, or nothing when any row has an error. A commit is kept
    as a committed job (its report, not its file), the object of the import's event."""
    report = _run(actor=actor, files=files, write=True)
    if report.committed:
        filename = ", ".join(PurePath(name).name for name, _content in files)[:255]
        job = ImportJob.objects.create(
            user=actor if getattr(actor, "pk", None) else None,  # None: `chibo import`'s operator
            filename=filename,
            content=b"",
            state=ImportJob.State.COMMITTED,
            committed_at=timezone.now(),
            summary=report.to_dict(),
        )
        _record(IMPORTED, actor, job, report)
    return report


# An upload holds personal data: it is kept only between preview and commit, at most this long.
KEEP_PREVIEW = dt.timedelta(days=7)


@audit.write
def job_create(*, actor, files: Files) -> ImportJob:
    """Keep an upload between its preview and its commit (and drop stale previews)."""
    ImportJob.objects.filter(
        state=ImportJob.State.PREVIEWED, created_at__lt=timezone.now() - KEEP_PREVIEW
    ).delete()
    filename, content = bundle(files)
    report = import_preview(actor=actor, files=[(filename, content)])
    job = ImportJob.objects.create(
        user=actor, filename=filename[:255], content=content, summary=report.to_dict()
    )
    _record(UPLOADED, actor, job, report)
    return job


@audit.write
def job_commit(*, job: ImportJob, actor) -> Report | None:
    """Commit a previewed job from its stored file (re-read: the data may have moved on).
    None when it was committed already, so a double click never writes twice. A commit
    refused for errors imports nothing and records no event; the job keeps the new report."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state == ImportJob.State.COMMITTED:
        return None
    report = _run(actor=actor, files=[(job.filename, bytes(job.content))], write=True)
    job.summary = report.to_dict()
    if report.committed:
        job.state = ImportJob.State.COMMITTED
        job.committed_at = timezone.now()
        job.content = b""  # written into the records; the file itself is not kept
    job.save(update_fields=["summary", "state", "committed_at", "content"])
    if report.committed:
        _record(IMPORTED, actor, job, report)
    return report


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


def _run(*, actor, files: Files, write: bool) -> Report:
    book = read_files(files)
    report = Report(problems=book.problems, notes=book.notes)
    if book.problems:
        return report
    ctx = Context(user=actor)
    with _history_user(actor), transaction.atomic():
        finishing: list[tuple[Handler, dict[Key, Row], dict[str, str]]] = []
        for handler in handlers():
            raw = book.sheets.get(handler.sheet.key)
            if raw is not None:
                result, by_key, shown = _process(ctx, handler, raw)
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
    ctx: Context, handler: Handler, raw: RawSheet
) -> tuple[SheetResult, dict[Key, Row], dict[str, str]]:
    """The sheet's rows, each applied in its savepoint; for `_finish`, the rows written by
    key and each column's header as the file wrote it."""
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
    for item in ordered:
        row = _apply(ctx, handler, item, shown)
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


def _apply(ctx: Context, handler: Handler, item: Parsed, shown: dict[str, str]) -> Row:
    sheet = handler.sheet
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
            row.status, row.record = outcome.status, outcome.record
            row.changes = [
                Change(shown[key], show(sheet, key, old), show(sheet, key, new))
                for key, old, new in outcome.changes
            ]
            return row
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
