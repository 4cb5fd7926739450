"""What the import template holds: its sheets, their columns, and the values each accepts.

Headers and the alias tables are Vietnamese *data* (what offices type in their workbooks),
not UI strings: they are matched after folding (no diacritics, no case), so "Ngày sinh",
"ngay sinh" and the English key "birth_date" all name the same column.
"""

from chibo.core.search import fold

from ..cells import BOOL, CHOICE, DATE, NUMBER, TEXT, TIME
from .base import Column, Sheet
from .lifecycle import BADGES, CANDIDATES, REVIEWS, TRANSFERS
from .meetings import ATTENDANCE, MEETINGS, PARTS, RATINGS
from .records import EVENTS, MEMBERS, POSITIONS, UNITS, VILLAGES

__all__ = [
    "ATTENDANCE",
    "BADGES",
    "BOOL",
    "CANDIDATES",
    "CHOICE",
    "DATE",
    "EVENTS",
    "INSTRUCTIONS_TITLE",
    "MEETINGS",
    "MEMBERS",
    "NUMBER",
    "PARTS",
    "POSITIONS",
    "RATINGS",
    "REVIEWS",
    "SHEETS",
    "TEXT",
    "TIME",
    "TRANSFERS",
    "UNITS",
    "VILLAGES",
    "Column",
    "Sheet",
    "match_headers",
    "sheet_named",
]

# Dependency order: later sheets refer to records the earlier ones create. Candidates come
# before events (an admission decision creates the member record that events may name);
# transfers before badges and meetings (a badge list and a roster read the placements).
SHEETS: tuple[Sheet, ...] = (
    UNITS,
    VILLAGES,
    MEMBERS,
    CANDIDATES,
    EVENTS,
    POSITIONS,
    REVIEWS,
    TRANSFERS,
    BADGES,
    MEETINGS,
    ATTENDANCE,
    RATINGS,
)
INSTRUCTIONS_TITLE = "Hướng dẫn"


def sheet_named(name: str) -> Sheet | None:
    """The sheet a workbook tab or a CSV file stem stands for."""
    folded = fold(name)
    return next((s for s in SHEETS if folded in s.names()), None)


def match_headers(sheet: Sheet, headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Map column keys to positions. Returns (positions, duplicated labels, unknown headers)."""
    positions: dict[str, int] = {}
    duplicated, unknown = [], []
    for i, header in enumerate(headers):
        if not header:
            continue
        folded = fold(header)
        column = next((c for c in sheet.columns if folded in c.names()), None)
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            duplicated.append(header)
        else:
            positions[column.key] = i
    return positions, duplicated, unknown
