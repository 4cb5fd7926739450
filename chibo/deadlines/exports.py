"""The deadline board as an Excel workbook: a summary of every list's count, then the sheet
each domain gives for its list (`Part.sheet`, in its own reminders.py), every row. The hub
names no domain, as for the page and the API."""

from typing import Any

from django.utils import translation

from chibo.core import formats
from chibo.core.export import Column, Table

from .queries import Board

SUMMARY = [Column("STT", 6), Column("Danh mục", 40), Column("Số lượng", 10), Column("Quá hạn", 10)]


def board_tables(board: Board) -> list[Table]:
    summary: list[list[Any]] = []
    sheets: list[Table] = []
    with translation.override("vi"):
        for source, values in board.sources:
            for part in source.parts:
                value = values[part.key]
                count = part.count(value) if part.count is not None else None
                if count is None:
                    continue
                title = part.title or str(part.label)
                summary.append([len(summary) + 1, title, count, part.overdue(value) or None])
                if part.sheet is not None:
                    sheets.append(part.sheet(value))
    unit = board.unit.name if board.unit is not None else "Toàn bộ"
    heading = [
        "CÁC VIỆC ĐẾN HẠN",
        unit,
        f"Tính đến ngày {formats.date(board.on)}; các danh sách theo năm: năm {board.year}",
    ]
    return [Table("Tổng hợp", SUMMARY, summary, heading), *sheets]
