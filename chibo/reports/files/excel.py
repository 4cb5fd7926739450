"""The unit's report as an Excel workbook: one sheet per section (each figure on a row: a
count, or a share as count, of and percent), then the sub-unit table.

Numbers are stored as numbers, so the committee can sum and chart them: counts shown with a
thousands separator (#,##0: Excel in Vietnamese shows 1.234), percentages stored as fractions
shown 0.00% (23,08%). The fraction is the published percentage (rounded half-up to two
decimals, as in the JSON) over 100, so the sheet shows exactly the figure of the report.
The texts are the document's own Vietnamese, whatever language the person reads: the
sections' labels are translated into Vietnamese here. Every cell is written through
chibo.core.formulas.put: a unit's name that starts with "=" is text, not a formula."""

import io
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.export import FORBIDDEN_IN_TITLE, SHEET_TITLE_LENGTH
from chibo.core.formats import date as vn_date
from chibo.core.formulas import put
from chibo.core.reporting import Period, is_share, lookup
from chibo.documents.issuers import body_name
from chibo.org.models import OrgUnit

from .report import Report, Table, collect, columns, lines, tables

COUNT = "#,##0"
PERCENT = "0.00%"
DECIMAL = "#,##0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
SUBUNITS_TITLE = "Đơn vị trực thuộc"


def workbook(unit: OrgUnit, period: Period, *, report: Report | None = None) -> bytes:
    """The workbook of `unit`'s report for `period` (`report`: figures already collected)."""
    report = report or collect(unit, period)
    wb = Workbook()
    wb.remove(wb.active)
    with translation.override("vi"):
        taken: set[str] = set()
        for section in report.sections:
            ws = wb.create_sheet(_sheet_title(str(section.title), taken))
            figures = report.of(unit, section)
            row = _section_sheet(ws, report, str(section.title), lines(section, figures))
            sentence = section.sentence(figures) if figures else ""
            if sentence:
                row += 2
                put(ws, row, 2, f"{sentence}.").alignment = WRAP
            for table in tables(report, section):
                row = _breakdown(ws, row + 2, table)
        ws = wb.create_sheet(_sheet_title(SUBUNITS_TITLE, taken))
        _subunit_sheet(ws, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's tab name: no []:*?/\\, at most 31 characters, unique in the workbook."""
    base = title.translate(FORBIDDEN_IN_TITLE)[:SHEET_TITLE_LENGTH] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def heading(report: Report) -> list[str]:
    """The lines above each table: the unit, the period, the day the figures are taken."""
    return [
        body_name(report.unit),
        report.period.label(),
        f"Số liệu tính đến ngày {vn_date(report.taken_on)}",
    ]


def _heading(ws: Worksheet, report: Report, title: str) -> int:
    """Write the title and heading lines; return the next free row."""
    put(ws, 1, 1, title.upper()).font = TITLE
    for i, text in enumerate(heading(report), start=2):
        put(ws, i, 1, text).font = BOLD
    return len(heading(report)) + 3  # a blank row before the table


def _number(ws: Worksheet, row: int, column: int, value: Any, fmt: str = COUNT) -> None:
    """A number stored as a number, with its display format; text as text; None blank."""
    if value is None:
        return
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        cell = put(ws, row, column, value)
        cell.number_format = fmt if isinstance(value, int) or fmt == PERCENT else DECIMAL
    else:
        put(ws, row, column, str(value))


def _fraction(share: dict[str, Any]) -> float | None:
    return None if share["percent"] is None else round(share["percent"] / 100, 6)


def _header(ws: Worksheet, row: int, texts: list[str]) -> None:
    for column, text in enumerate(texts, start=1):
        cell = put(ws, row, column, text)
        cell.font, cell.alignment = BOLD, CENTER


def _section_sheet(ws: Worksheet, report: Report, title: str, rows: list) -> int:
    """The section's figures, one a row; returns the last row written."""
    row = _heading(ws, report, title)
    _header(ws, row, ["TT", "Chỉ tiêu", "Số lượng", "Trên tổng số", "Tỷ lệ"])
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    number = 0
    for line in rows:
        row += 1
        if line.depth == 0:
            number += 1
            put(ws, row, 1, number).alignment = CENTER
        label = put(ws, row, 2, ("    – " if line.depth else "") + line.label)
        label.alignment = WRAP
        if is_share(line.value):
            _number(ws, row, 3, line.value["count"])
            _number(ws, row, 4, line.value["of"])
            _number(ws, row, 5, _fraction(line.value), PERCENT)
        else:
            _number(ws, row, 3, line.value)
    for column, width in enumerate((6, 60, 14, 14, 12), start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    return row


def _breakdown(ws: Worksheet, row: int, table: Table) -> int:
    """A breakdown under the section's figures from `row`: its title, a header row (a share
    takes two columns, its count and its percentage), a row per part. Returns the last row."""
    put(ws, row, 2, table.title).font = BOLD
    row += 1
    shares = [
        any(is_share(values[i]) for _label, values in table.rows) for i in range(len(table.columns))
    ]
    put(ws, row, 2, table.heading).font = BOLD
    at = 3
    for label, share in zip(table.columns, shares, strict=True):
        cell = put(ws, row, at, label)
        cell.font, cell.alignment = BOLD, CENTER
        if share:
            rate = put(ws, row, at + 1, "Tỷ lệ")
            rate.font, rate.alignment = BOLD, CENTER
        at += 2 if share else 1
    for label, values in table.rows:
        row += 1
        put(ws, row, 2, label).alignment = WRAP
        at = 3
        for value, share in zip(values, shares, strict=True):
            if share and is_share(value):
                _number(ws, row, at, value["count"])
                _number(ws, row, at + 1, _fraction(value), PERCENT)
            elif not share:
                _number(ws, row, at, value)
            at += 2 if share else 1
    for column in range(6, at):  # the columns past the figures' table
        ws.column_dimensions[get_column_letter(column)].width = 13
    return row


def _subunit_sheet(ws: Worksheet, report: Report) -> None:
    """One row per sub-unit, then the unit itself; a share takes two columns (count and
    percent) under its label, a count one column spanning both header rows."""
    row = _heading(ws, report, SUBUNITS_TITLE)
    cols = columns(report)
    top, sub = row, row + 1
    for column, text in ((1, "TT"), (2, "Đơn vị")):
        cell = put(ws, top, column, text)
        cell.font, cell.alignment = BOLD, CENTER
        ws.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    at = 3
    for col in cols:
        cell = put(ws, top, at, col.label)
        cell.font, cell.alignment = BOLD, CENTER
        if col.share:
            ws.merge_cells(start_row=top, start_column=at, end_row=top, end_column=at + 1)
            for offset, text in enumerate(("Số lượng", "Tỷ lệ")):
                small = put(ws, sub, at + offset, text)
                small.font, small.alignment = BOLD, CENTER
            at += 2
        else:
            ws.merge_cells(start_row=top, start_column=at, end_row=sub, end_column=at)
            at += 1
    ws.row_dimensions[top].height = 60
    ws.freeze_panes = ws.cell(row=sub + 1, column=3)
    row = sub
    units = [(i, u) for i, u in enumerate(report.subunits, start=1)]
    if not units:
        row += 1
        put(ws, row, 2, "(Không có đơn vị trực thuộc)")
    for number, unit in [*units, (None, report.unit)]:
        row += 1
        if number is not None:
            put(ws, row, 1, number).alignment = CENTER
        text = body_name(unit) if number is not None else f"Toàn {body_name(unit)}"
        name = put(ws, row, 2, text)
        name.alignment = WRAP
        if number is None:
            name.font = BOLD
        at = 3
        for col in cols:
            value = lookup(report.of(unit, col.section), col.path)
            if col.share:
                if is_share(value):
                    _number(ws, row, at, value["count"])
                    _number(ws, row, at + 1, _fraction(value), PERCENT)
                at += 2
            else:
                _number(ws, row, at, value)
                at += 1
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 36
    for column in range(3, at):
        ws.column_dimensions[get_column_letter(column)].width = 13
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
