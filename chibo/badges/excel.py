"""The badge list as the Excel workbook an office attaches to its proposal for the decision.

The Vietnamese words here are the document's own text (headers, titles), not interface
messages: the list goes to the committee in Vietnamese whatever language the user reads."""

import io
import unicodedata

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core import formats, formulas
from chibo.org.models import OrgUnit

from .queries.due import DueList, DueRow, Reason
from .queries.occasions import Occasion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATE_COLUMNS = {3, 5, 6, 8}

TITLE = "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG, TRUY TẶNG HUY HIỆU ĐẢNG"
HEADERS = [
    ("STT", 6),
    ("Họ và tên", 28),
    ("Ngày sinh", 12),
    ("Chi bộ", 28),
    ("Ngày vào Đảng", 14),
    ("Tuổi đảng tính từ", 16),
    ("Huy hiệu (năm)", 10),
    ("Ngày đủ tuổi đảng", 16),
    ("Diện xét", 24),
    ("Ghi chú", 36),
]
REASONS = {
    Reason.DUE: "Đủ tuổi đảng",
    Reason.ILLNESS: "Tặng sớm (ốm đau hiểm nghèo)",
    Reason.POSTHUMOUS: "Truy tặng",
}
DISCIPLINES = {"reprimand": "Khiển trách", "warning": "Cảnh cáo", "dismissal": "Cách chức"}
BOLD = Font(bold=True)
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TEXT_STYLE, DATE_STYLE = "chibo-cell", "chibo-date"
ROW_STYLES = [DATE_STYLE if c in DATE_COLUMNS else TEXT_STYLE for c in range(1, len(HEADERS) + 1)]


def _note(row: DueRow) -> str:
    notes = []
    if row.death_on:
        notes.append(f"Từ trần ngày {formats.date(row.death_on)}")
    if row.held_until:
        kind = DISCIPLINES.get(row.held_by, row.held_by)
        notes.append(f"{kind}: đủ điều kiện xét từ ngày {formats.date(row.held_until)}")
    return "; ".join(notes)


class _Sheet:
    """Writes rows one after another. (openpyxl's `max_row` scans every cell: asking it
    after each row made a province's list of 3,000 members take 14 s.)"""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0

    def line(
        self,
        values: list,
        *,
        font: Font | None = None,
        merge: bool = False,
        styles: list[str] | None = None,
    ) -> int:
        self.row += 1
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col)
            if styles is not None:
                # A named style: setting a border and a format on each of 30,000 cells spent
                # seconds hashing style objects.
                cell.style = styles[col - 1]
            if font is not None:
                cell.font = font
            # After the style (which would drop the quote prefix): a name imported as
            # "=HYPERLINK(…)" stays text.
            formulas.set_value(cell, value)
        if merge:
            self.ws.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=len(HEADERS)
            )
        return self.row

    def section(self, text: str) -> None:
        self.line([text], font=BOLD, merge=True)

    def members(self, rows: list[DueRow], start: int) -> int:
        for i, row in enumerate(rows, start=start):
            values = [
                i,
                row.full_name,
                row.birth_date,
                row.cell_name,
                row.admitted_on,
                row.party_age_from,
                row.years,
                row.qualifies_on,
                REASONS[Reason(row.reason)],
                _note(row),
            ]
            self.line(values, styles=ROW_STYLES)
        return start + len(rows)


def due_workbook(listing: DueList, occasion: Occasion) -> bytes:
    wb = Workbook()
    wb.add_named_style(NamedStyle(name=TEXT_STYLE, border=GRID))
    wb.add_named_style(NamedStyle(name=DATE_STYLE, border=GRID, number_format=DATE_FORMAT))
    ws = wb.active
    ws.title = f"Huy hiệu {occasion.date:%d-%m-%Y}"
    sheet = _Sheet(ws)
    for text, size in (
        (TITLE, 14),
        (listing.unit.name, 12),
        (f"Dịp {formats.date(occasion.date)}: {occasion.name}", 12),
    ):
        r = sheet.line([text], font=Font(bold=True, size=size), merge=True)
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    sheet.line([])
    header_row = sheet.line([label for label, _w in HEADERS], font=BOLD)
    for i, (_label, size) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=header_row, column=i)
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = size
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    n = 1
    roman = iter(["I", "II", "III"])
    if listing.due:
        sheet.section(f"{next(roman)}. ĐỦ TUỔI ĐẢNG ({formats.number(len(listing.due))} đồng chí)")
        for years, rows in listing.groups:
            count = formats.number(len(rows))
            sheet.section(f"Huy hiệu {years} năm tuổi Đảng: {count} đồng chí")
            n = sheet.members(rows, n)
    if listing.early:
        count = formats.number(len(listing.early))
        sheet.section(f"{next(roman)}. XÉT TẶNG SỚM DO ỐM ĐAU HIỂM NGHÈO ({count} đồng chí)")
        n = sheet.members(listing.early, n)
    if listing.posthumous:
        count = formats.number(len(listing.posthumous))
        sheet.section(f"{next(roman)}. TRUY TẶNG ({count} đồng chí)")
        n = sheet.members(listing.posthumous, n)
    sheet.line([])
    sheet.line([f"Tổng số đề nghị: {formats.number(n - 1)} đồng chí"], font=BOLD)
    if listing.held:
        sheet.line([])
        count = formats.number(len(listing.held))
        sheet.section(f"CHƯA XÉT: ĐANG TRONG THỜI HẠN KỶ LUẬT ({count} đồng chí)")
        sheet.members(listing.held, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def filename(unit: OrgUnit, occasion: Occasion) -> str:
    """'huy-hieu-dang-x01-2026-02-03.xlsx': plain ASCII, kept by every browser."""
    code = unit.code.replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()
    return f"huy-hieu-dang-{slugify(plain)}-{occasion.date:%Y-%m-%d}.xlsx"
