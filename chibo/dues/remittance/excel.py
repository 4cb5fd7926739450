"""The remittance report as the Excel workbook an office keeps and sends up: the unit's months,
then the units below it month by month.

The Vietnamese words here are the document's own text (headers, titles), not interface
messages: the file goes to the committee in Vietnamese whatever language the user reads."""

from collections.abc import Iterator, Sequence
from typing import Any

from chibo.core import export

from .queries import Flow, Report
from .services import month_text

MONEY = "#,##0"  # Excel shows the thousands separator of the reader's locale: 1.250.000


def _money(width: int = 16) -> dict:
    return {"width": width, "number_format": MONEY}


OWN_COLUMNS = [
    export.Column("Tháng", 10),
    export.Column("Đảng viên phải nộp (đồng)", **_money()),
    export.Column("Thu của đảng viên (đồng)", **_money()),
    export.Column("Cấp dưới nộp lên (đồng)", **_money()),
    export.Column("Tổng số nhận (đồng)", **_money()),
    export.Column("Tỷ lệ trích giữ lại (%)", 12),
    export.Column("Số trích giữ lại (đồng)", **_money()),
    export.Column("Số phải nộp cấp trên (đồng)", **_money()),
    export.Column("Số đã nộp cấp trên (đồng)", **_money()),
    export.Column("Ngày nộp", 12),
    export.Column("Số phiếu thu", 14),
    export.Column("Chênh lệch (đồng)", **_money()),
]
CHILD_COLUMNS = [
    export.Column("Tháng", 10),
    export.Column("Mã", 12),
    export.Column("Tổ chức đảng", 32),
    *OWN_COLUMNS[2:],
]


def _figures(flow: Flow) -> list[Any]:
    r = flow.remittance
    return [
        flow.collected,
        flow.from_below,
        flow.received,
        flow.share,
        flow.kept,
        flow.to_hand_up,
        flow.handed_up if r is not None else None,
        r.paid_on if r is not None else None,
        r.receipt_number if r is not None else "",
        flow.difference,
    ]


def _own_rows(report: Report) -> Iterator[Sequence[Any]]:
    for m in report.months:
        yield [month_text(m.month), m.own.due, *_figures(m.own)]
    t = report.totals
    yield [
        "Cộng",
        t.due,
        t.collected,
        t.from_below,
        t.received,
        None,
        t.kept,
        t.to_hand_up,
        t.handed_up,
        None,
        "",
        t.difference,
    ]


def _child_rows(report: Report) -> Iterator[Sequence[Any]]:
    for m in report.months:
        for c in m.children:
            yield [month_text(m.month), c.unit.code, c.unit.name, *_figures(c)]


def report_workbook(report: Report, year: int) -> bytes:
    heading = [f"BÁO CÁO THU, NỘP ĐẢNG PHÍ NĂM {year}", report.unit.name]
    tables = [export.Table("Theo tháng", OWN_COLUMNS, _own_rows(report), heading)]
    if any(m.children for m in report.months):
        tables.append(
            export.Table(
                "Cấp dưới nộp lên",
                CHILD_COLUMNS,
                _child_rows(report),
                [f"CÁC TỔ CHỨC ĐẢNG TRỰC THUỘC NỘP ĐẢNG PHÍ NĂM {year}", report.unit.name],
            )
        )
    return export.xlsx(*tables)
