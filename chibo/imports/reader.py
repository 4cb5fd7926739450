"""Turn uploaded bytes into sheets of raw cells: an .xlsx workbook, CSV files, or a zip of
CSV files (what the upload page stores when several CSVs arrive together).

Nothing here knows what a unit or a member is; it only finds the rows and says clearly
when a file is not a spreadsheet or not UTF-8 text.
"""

import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from chibo.core.formats import number
from chibo.core.search import fold
from chibo.core.sheets import Sheet, match_headers, sheet_named, sheets, text

from .report import Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and .doc
HEADER_SEARCH = 10  # how many rows a title block above the header may take
MAX_COLUMNS = 100  # cells read in a row: the widest sheet has some twenty columns
# Below this, a file may be packed as tightly as it likes (a sheet of one repeated value).
RATIO_FROM_BYTES = 10 * 1024 * 1024
MB = 1024 * 1024
INSTRUCTIONS_TITLE = "Hướng dẫn"  # the template's first sheet, skipped on reading


@dataclass
class RawSheet:
    sheet: Sheet
    source: str  # the tab or file name, for messages
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number, cells)


@dataclass
class Book:
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_files(files: list[tuple[str, bytes]]) -> Book:
    book = Book()
    for name, content in files:
        _read_one(book, name, content)
    if not book.problems and not book.sheets:
        book.problems.append(
            Problem(
                _("No sheet of the import template was found. Expected sheets: %(names)s.")
                % {"names": ", ".join(f"{s.title} ({s.key})" for s in sheets())}
            )
        )
    return book


def bundle(files: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One stored file for an upload: the file itself, or a zip of several CSV files."""
    if len(files) == 1:
        return files[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(PurePath(name).name, content)
    return "+".join(PurePath(n).name for n, _ in files)[:200] + ".zip", buffer.getvalue()


def _not_a_spreadsheet(name: str) -> Problem:
    return Problem(
        _("%(name)s: this file is not a spreadsheet. Upload an .xlsx workbook or CSV files.")
        % {"name": name}
    )


def _read_one(book: Book, name: str, content: bytes) -> None:
    if not content:
        book.problems.append(Problem(_("%(name)s: the file is empty.") % {"name": name}))
    elif content.startswith(ZIP_MAGIC):
        _read_zip(book, name, content)
    elif content.startswith(OLE_MAGIC):
        book.problems.append(
            Problem(
                _("%(name)s: old Excel (.xls) files cannot be read; save it as .xlsx.")
                % {"name": name}
            )
        )
    else:
        _read_csv(book, name, content)


def _read_zip(book: Book, name: str, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = [n for n in archive.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, OSError):
        book.problems.append(_not_a_spreadsheet(name))
        return
    problem = _unpack_problem(name, archive)
    if problem is not None:
        book.problems.append(problem)
        return
    if "xl/workbook.xml" in names:
        _read_xlsx(book, name, content)
    elif names and all(n.lower().endswith(".csv") for n in names):
        for member in names:
            _read_csv(book, PurePath(member).name, archive.read(member))
    else:  # a .docx, .odt or any other zip
        book.problems.append(_not_a_spreadsheet(name))


def _mb(size: int) -> str:
    return number(size / MB, 1 if size < 10 * MB else 0)


def _unpack_problem(name: str, archive: zipfile.ZipFile) -> Problem | None:
    """A zip bomb refused from the zip's directory, before anything is unpacked: a few
    hundred kilobytes of workbook can unpack to gigabytes, which openpyxl would take minutes
    and gigabytes of memory to read. The sizes the directory declares hold: zipfile stops a
    member at its declared size (and its checksum then fails)."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    tabs = [
        i
        for i in infos
        if i.filename.lower().endswith(".csv")
        or (i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    ]
    if unpacked > settings.CHIBO_IMPORT_MAX_UNPACKED_BYTES:
        return Problem(
            _(
                "%(name)s unpacks to %(size)s MB, more than the %(max)s MB an import may hold; "
                "split it into several files."
            )
            % {
                "name": name,
                "size": _mb(unpacked),
                "max": _mb(settings.CHIBO_IMPORT_MAX_UNPACKED_BYTES),
            }
        )
    if unpacked > RATIO_FROM_BYTES and unpacked > settings.CHIBO_IMPORT_MAX_RATIO * max(packed, 1):
        return Problem(
            _(
                "%(name)s unpacks to %(size)s MB from %(packed)s KB: no real spreadsheet is "
                "packed this tightly, so it was refused."
            )
            % {"name": name, "size": _mb(unpacked), "packed": number(packed / 1024)}
        )
    if len(tabs) > settings.CHIBO_IMPORT_MAX_SHEETS or len(infos) > 20 * (
        settings.CHIBO_IMPORT_MAX_SHEETS + 10
    ):
        return Problem(
            _("%(name)s holds more than %(max)s sheets; the template has %(template)s.")
            % {
                "name": name,
                "max": number(settings.CHIBO_IMPORT_MAX_SHEETS),
                "template": number(len(sheets())),
            }
        )
    return None


def _read_xlsx(book: Book, name: str, content: bytes) -> None:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it ignores (data validation, styles).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                for ws in workbook.worksheets:
                    if fold(ws.title) == fold(INSTRUCTIONS_TITLE):
                        continue
                    sheet = sheet_named(ws.title)
                    if sheet is None:
                        book.notes.append(
                            _("Sheet “%(tab)s” is not part of the template; it was ignored.")
                            % {"tab": ws.title}
                        )
                        continue
                    # Some writers record a wrong size; without this rows would be cut off.
                    ws.reset_dimensions()
                    rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                    _add(book, sheet, f"{name} › {ws.title}", rows)
            finally:
                workbook.close()
    except Exception:  # a broken workbook fails in many ways inside openpyxl and zipfile
        book.problems.append(_not_a_spreadsheet(name))


def _looks_binary(content: bytes) -> bool:
    """Text files (any encoding) have almost no control characters; binary files do."""
    sample = content[:8192]
    if b"\x00" in sample or sample.startswith(b"%PDF"):
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) // 100


def _read_csv(book: Book, name: str, content: bytes) -> None:
    if _looks_binary(content):
        book.problems.append(_not_a_spreadsheet(name))
        return
    try:
        body = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        book.problems.append(
            Problem(
                _(
                    "%(name)s: this CSV file is not UTF-8 text. In Excel, save it as "
                    "“CSV UTF-8 (Comma delimited)” and upload it again."
                )
                % {"name": name}
            )
        )
        return
    sheet = sheet_named(PurePath(name).stem)
    if sheet is None:
        book.problems.append(
            Problem(
                _("%(name)s: cannot tell which sheet this is. Name the file %(names)s.")
                % {"name": name, "names": ", ".join(f"{s.key}.csv" for s in sheets())}
            )
        )
        return
    first_line = body.split("\n", 1)[0]
    # Excel writes ";" where the decimal mark is a comma, as in Vietnamese settings.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
    except csv.Error:
        book.problems.append(_not_a_spreadsheet(name))
        return
    _add(book, sheet, name, rows)


def _add(book: Book, sheet: Sheet, source: str, rows) -> None:
    if sheet.key in book.sheets:
        book.problems.append(
            Problem(
                _("The sheet %(sheet)s appears twice: %(first)s and %(second)s.")
                % {"sheet": sheet.title, "first": book.sheets[sheet.key].source, "second": source}
            )
        )
        return
    headers: list[str] | None = None
    above: list[list[str]] = []  # non-empty rows seen before the header row was found
    body: list[tuple[int, list[Any]]] = []
    limit = settings.CHIBO_IMPORT_MAX_ROWS
    too_many = Problem(
        _("%(source)s has more than %(max)s rows; split it into several files.")
        % {"source": source, "max": number(limit)}
    )
    for row_number, row in enumerate(rows, start=1):
        if row_number > 2 * limit + HEADER_SEARCH:  # blank rows take reading time too
            book.problems.append(too_many)
            return
        cells = list(row[:MAX_COLUMNS])
        if not any(text(c) for c in cells):
            continue  # blank lines are common at the end of a sheet
        if headers is None:
            above.append([text(c) for c in cells])
            if _is_header(sheet, above[-1]):
                headers = above[-1]
            elif len(above) == HEADER_SEARCH:
                headers = above[0]  # no header found: "missing column" will say why
            continue
        body.append((row_number, cells))
        if len(body) > limit:
            book.problems.append(too_many)
            return
    if headers is None and above:
        headers = above[0]
    if headers is not None:
        book.sheets[sheet.key] = RawSheet(sheet, source, headers, body)


def _is_header(sheet: Sheet, cells: list[str]) -> bool:
    """Office lists often open with a title block ("DANH SÁCH ĐẢNG VIÊN ..."): the header
    row is the first that names at least two of the sheet's columns."""
    positions, _duplicated, _unknown = match_headers(sheet, cells)
    return len(positions) >= min(2, len(sheet.columns))
