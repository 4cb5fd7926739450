"""The template workbook Chibo offers for download: an instructions sheet, then one sheet
per kind of record with its header row. No example rows in the data sheets: an example
left in place would be imported as a real record."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.formulas import put
from chibo.core.sheets import DATE, NUMBER, TIME, Column, Sheet, sheets

from .reader import INSTRUCTIONS_TITLE

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="A4161A")  # the navbar's red
DATA_ROWS = 2000  # how far down the list choices and cell formats reach
FORMATS = {DATE: "DD/MM/YYYY", TIME: "HH:MM", NUMBER: "0"}


def template_workbook() -> bytes:
    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_TITLE
    in_order = sheets()
    _write_guide(guide, in_order)
    for sheet in in_order:
        _write_sheet(wb.create_sheet(sheet.title), sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def allowed(column: Column) -> str:
    """What a cell of this column may hold, for the guide, the header notes and the docs."""
    if column.offers_choices:
        return ", ".join(column.shown_choices())
    if column.type == DATE:
        return "dd/mm/yyyy"
    if column.type == TIME:
        return "hh:mm"
    if column.type == NUMBER:
        return _("a whole number")
    if column.max_length:
        return _("text, at most %(limit)d characters") % {"limit": column.max_length}
    return _("text")


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        cell = put(ws, 1, i, column.label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        note = f"{column.help}\n{allowed(column)}"
        if column.required:
            note += "\n" + _("Required.")
        cell.comment = Comment(note, "Chibo", width=300, height=120)
        ws.column_dimensions[letter].width = max(len(column.label) + 6, 16)
        # Text columns stay text, so Excel keeps the leading zeros of codes and phone numbers.
        ws.column_dimensions[letter].number_format = FORMATS.get(column.type, "@")
        if column.offers_choices:
            choices = ",".join(column.shown_choices())
            if len(choices) <= 255:  # Excel's limit for an inline list
                # Offered as a drop-down, but other spellings (English, aliases) stay allowed.
                check = DataValidation(
                    type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=False
                )
                check.add(f"{letter}2:{letter}{DATA_ROWS}")
                ws.add_data_validation(check)
    ws.freeze_panes = "A2"


class _Lines:
    """Writes rows one after another, like `ws.append`, with text kept as text
    (chibo.core.formulas)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0

    def append(self, values: list, font: Font | None = None) -> None:
        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = put(self.ws, self.row, column, value)
            if font is not None:
                cell.font = font


def _write_guide(ws: Worksheet, in_order: list[Sheet]) -> None:
    lines = _Lines(ws)
    lines.append([_("Chibo import template")], Font(bold=True, size=14))
    for line in (
        _("Fill in the sheets you need and leave the others empty. Keep the header row."),
        _("Data starts on row 2. Headers may also be written without accents, or as the keys."),
        _("Dates: dd/mm/yyyy (for example 19/05/2010), yyyy-mm-dd, or Excel date cells."),
        _(
            "Rows find existing records by their keys. A row equal to the record changes "
            "nothing; a row with differences updates it. An empty cell keeps the stored value."
        ),
        _(
            "Sheets are read in this order: %(sheets)s. A row may refer to a record created "
            "by an earlier row or sheet of the same file."
        )
        % {"sheets": " → ".join(s.title for s in in_order)},
        # What each app says of its own sheets.
        *(str(s.guide) for s in in_order if s.guide),
        _(
            "Chibo shows a preview first and writes nothing until you confirm. If any row has "
            "an error, nothing is written."
        ),
        _("CSV instead of Excel: one file per sheet, named %(files)s, saved as CSV UTF-8.")
        % {"files": ", ".join(f"{s.key}.csv" for s in in_order)},
    ):
        lines.append([line])
    heading = [_("Column"), _("Key"), _("Required"), _("Allowed values"), _("Description")]
    for sheet in in_order:
        lines.append([])
        lines.append([f"{sheet.title} ({sheet.key})"], Font(bold=True, size=12))
        lines.append([_("Rows are matched by %(keys)s.") % {"keys": sheet.match}])
        lines.append(heading, Font(bold=True))
        for column in sheet.columns:
            lines.append(
                [
                    column.label,
                    column.key,
                    _("yes") if column.required else "",
                    allowed(column),
                    str(column.help),
                ]
            )
    for letter, width in zip("ABCDE", (28, 18, 10, 48, 70), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_col=4, max_col=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
