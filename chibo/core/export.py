"""A list as the Excel (or CSV) file an office downloads: one small writer for every page that
exports what it shows (compliance, the deadline board, candidates, members, transfers).

The page builds a `Table` (columns with their Vietnamese headers, rows of plain values) from
the same query and filters as the page; this module only writes it. Dates are real dates in
Excel, shown dd/mm/yyyy; in CSV they are written dd/mm/yyyy. The workbook is written in
openpyxl's write-only mode, row by row, so a province's member list stays fast and small in
memory. (badges/excel.py keeps its own layout: a committee's form with sections.) Text that a
spreadsheet would run as a formula stays text, in both formats (chibo.core.formulas).

The headers are the document's own Vietnamese text, not interface messages, like the badge
list's: the file goes to the committee in Vietnamese whatever language the user reads."""

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import formats, formulas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
BOLD = Font(bold=True)
SHEET_TITLE_LENGTH = 31  # Excel's limit
FORBIDDEN_IN_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 16
    number_format: str = ""  # Excel's, e.g. "0.00%"; dates get dd/mm/yyyy anyway


@dataclass
class Table:
    """A sheet: `title` names the tab, `heading` lines stand above the header row (what the
    list is, for which unit and period), then one row of values per item."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    heading: list[str] = field(default_factory=list)


def _cell(ws, value: Any, number_format: str = "") -> Any:
    if isinstance(value, str):
        return (
            formulas.set_value(WriteOnlyCell(ws), value)
            if formulas.runs_as_formula(value)
            else value
        )
    # A datetime is a date too: test it first.
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if number_format and isinstance(value, int | float):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format
        return cell
    return value


def xlsx(*tables: Table) -> bytes:
    """The tables as one workbook, a sheet each."""
    wb = Workbook(write_only=True)
    for table in tables:
        ws = wb.create_sheet(table.title.translate(FORBIDDEN_IN_TITLE)[:SHEET_TITLE_LENGTH])
        for i, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        header_row = len(table.heading) + (2 if table.heading else 1)
        ws.freeze_panes = f"A{header_row + 1}"
        for line in table.heading:
            cell = formulas.set_value(WriteOnlyCell(ws), line)
            cell.font = BOLD
            ws.append([cell])
        if table.heading:
            ws.append([])
        headers = []
        for column in table.columns:
            cell = formulas.set_value(WriteOnlyCell(ws), column.header)
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            headers.append(cell)
        ws.append(headers)
        number_formats = [c.number_format for c in table.columns]
        for row in table.rows:
            ws.append([_cell(ws, v, f) for v, f in zip(row, number_formats, strict=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text(value: Any, number_format: str = "") -> str:
    if value is None:
        return ""
    if number_format.endswith("%") and isinstance(value, int | float):
        decimals = len(number_format.partition(".")[2]) - 1
        return formats.number(value * 100, max(decimals, 0)) + "%"
    if isinstance(value, dt.datetime):
        return formats.datetime(value)
    if isinstance(value, dt.date):
        return formats.date(value)
    return str(value)


def csv_text(table: Table) -> str:
    """The table as CSV: the header row, then the rows (the heading lines are left out, so
    that a program reads it as a table). Dates dd/mm/yyyy; text that a spreadsheet would run
    starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([formulas.csv_text(c.header, c.header) for c in table.columns])
    number_formats = [c.number_format for c in table.columns]
    for row in table.rows:
        writer.writerow(
            [formulas.csv_text(v, _text(v, f)) for v, f in zip(row, number_formats, strict=True)]
        )
    return out.getvalue()


def filename(*parts: str, ext: str) -> str:
    """'tuan-thu-sinh-hoat-x01-2026-03.xlsx': plain ASCII, kept by every browser."""
    text = "-".join(p for p in parts if p).replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return f"{slugify(plain)}.{ext}"


def download(content: bytes | str, name: str) -> HttpResponse:
    """A private file download: xlsx, or CSV with a byte order mark (Excel then reads the
    Vietnamese letters as UTF-8)."""
    if name.endswith(".csv"):
        body = "\ufeff" + content if isinstance(content, str) else content
        response = HttpResponse(body, content_type=CSV)
    else:
        response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
