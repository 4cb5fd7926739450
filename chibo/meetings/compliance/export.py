"""The compliance page's rows as the table an office downloads (Excel or CSV): the same
report, filter and order as the page, every row (not one page of them), the totals above.

Headers and marks are the document's Vietnamese (chibo.core.export)."""

import datetime as dt

from django.utils import translation

from chibo.core import formats
from chibo.core.export import Column, Table

from .queries import CellRow, MeetingFact, Report

COLUMNS = [
    Column("STT", 6),
    Column("Mã chi bộ", 14),
    Column("Chi bộ", 32),
    Column("Trực thuộc", 28),
    Column("Sinh hoạt thường kỳ", 22),
    Column("Sinh hoạt chuyên đề", 22),
    Column("Thời lượng", 16),
    Column("Dự họp", 16),
    Column("Có mặt", 9),
    Column("Phải dự", 9),
    Column("Tỷ lệ dự họp", 12, "0.00%"),
    Column("Các cuộc họp", 60),
]
MET, MISSING, NOT_DUE = "Đạt", "Thiếu", "Chưa đến hạn"
NO_MEETING, NO_RULE = "Không có cuộc họp", "Chưa có quy định"
TOO_SHORT, NOT_GOOD = "Quá ngắn", "Chưa đạt"
THEMATIC = "chuyên đề"
FILTERS = {
    "any": "Chi bộ còn thiếu",
    "monthly": "Chưa sinh hoạt thường kỳ",
    "thematic": "Chưa sinh hoạt chuyên đề",
    "duration": "Sinh hoạt chưa đủ thời lượng",
    "attendance": "Dự họp chưa đạt",
}


def _judged(value: bool | None, row: CellRow, failed: str) -> str:
    if value is None:
        return NO_RULE if row.held_any else NO_MEETING
    return MET if value else failed


def _monthly(row: CellRow) -> str:
    if row.monthly is None:
        return NOT_DUE
    if row.monthly:
        return MET
    return f"{MISSING}: " + ", ".join(f"{m:%m/%Y}" for m in row.months_missing)


def _thematic(row: CellRow) -> str:
    if row.thematic is None:
        return NOT_DUE
    if row.thematic:
        return MET
    quarters = ", ".join(f"Quý {(q.start.month - 1) // 3 + 1}" for q in row.quarters_missing)
    return f"{MISSING}: {quarters}"


def _meeting(m: MeetingFact) -> str:
    text = formats.date(m.day)
    if m.kind == "thematic":
        text += f" ({THEMATIC})"
    if not m.held:
        text += f" ({m.state_label})"
    if m.minutes is not None:
        text += f" · {m.minutes} phút"
    return text


def _total(met: int, judged: int, empty: str = NOT_DUE) -> str:
    return formats.ratio(met, judged) if judged else empty


def compliance_table(report: Report, rows: list[CellRow], missing: str, today: dt.date) -> Table:
    with translation.override("vi"):
        period = report.period.label()
        lines = []
        for i, row in enumerate(rows, start=1):
            share = row.present / row.expected if row.expected else None
            lines.append(
                [
                    i,
                    row.code,
                    row.name,
                    row.parent_name,
                    _monthly(row),
                    _thematic(row),
                    _judged(row.duration, row, TOO_SHORT),
                    _judged(row.attendance, row, NOT_GOOD),
                    row.present,
                    row.expected,
                    share,
                    "; ".join(_meeting(m) for m in row.meetings),
                ]
            )
    t = report.totals
    none = NO_RULE if report.meetings_held else NO_MEETING
    attendance = _total(t["attendance"].met, t["attendance"].judged, none)
    turnout = formats.ratio(report.present, report.expected) if report.expected else NO_MEETING
    heading = [
        "TÌNH HÌNH SINH HOẠT CHI BỘ",
        report.unit.name,
        f"Kỳ: {period}; số liệu đến ngày {formats.date(today)}",
        f"Số chi bộ: {formats.number(len(report.cells))}",
        f"Tổ chức sinh hoạt thường kỳ: {_total(t['monthly'].met, t['monthly'].judged)}",
        f"Sinh hoạt chuyên đề trong quý: {_total(t['thematic'].met, t['thematic'].judged)}",
        f"Sinh hoạt đủ thời lượng: {_total(t['duration'].met, t['duration'].judged, none)}",
        f"Dự họp tốt ở mọi cuộc họp: {attendance}",
        f"Dự họp (có mặt/phải dự): {turnout}",
    ]
    if missing:
        heading.append(f"Lọc: {FILTERS[missing]} ({formats.number(len(rows))} chi bộ)")
    return Table(f"Sinh hoạt {report.period.key}", COLUMNS, lines, heading)
