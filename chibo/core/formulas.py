"""Text that a spreadsheet would run as a formula, kept as text in every file Chibo writes.

A name, a note or a task typed or imported as `=HYPERLINK("http://…")` or `=cmd|' /C calc'!A0`
is data, but a spreadsheet opening a file that holds it as a formula runs it (the OWASP
"CSV injection" attack). Every Excel and CSV file Chibo writes puts its cells through this
module, so that the rule lives in one place:

- Excel: openpyxl writes any str starting with "=" as a live formula. A text cell that
  starts with one of TRIGGERS is written as a string cell (data type "s") with Excel's own
  "quote prefix" flag, the mark Excel sets when someone types '=…: the cell shows the text
  exactly, reads back exactly, and stays text when someone edits it.
- CSV has no cell types: such a text is written with a leading apostrophe, as OWASP advises.
- Chibo's own formulas (a total under a column) are marked `Formula("=SUM(C5:C9)")` and are
  the only text written as formulas.

Numbers stay numbers: only text (str) is ever escaped, so -5 is still a number."""

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or, for tab and
# carriage return, what hides the formula behind them when a CSV is parsed).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula Chibo writes on purpose, e.g. Formula("=SUM(C5:C9)"): never escaped."""


def runs_as_formula(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(TRIGGERS)


def set_value(cell: Cell, value: Any) -> Cell:
    """Give `cell` its value: text as text (see the module), Chibo's Formula as a formula,
    anything else as openpyxl writes it. Set the cell's style first: a named style set
    afterwards would drop the quote prefix."""
    if isinstance(value, Formula):
        cell.value = str(value)
        cell.data_type = "f"
        return cell
    cell.value = value
    if isinstance(value, str) and runs_as_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """`ws.cell(row=row, column=column, value=value)` with the value through `set_value`."""
    return set_value(ws.cell(row=row, column=column), value)


def csv_text(value: Any, shown: str) -> str:
    """A CSV field: `shown` (the value as text), with an apostrophe before it when the value
    is text a spreadsheet would run. A number shown as "-5" stays "-5", a number."""
    if isinstance(value, str) and runs_as_formula(shown):
        return "'" + shown
    return shown
