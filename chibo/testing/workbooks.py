"""Build test workbooks and CSV files in memory, and count what the database holds."""

import csv
import datetime as dt
import io
import unicodedata
from typing import Any

from openpyxl import Workbook

from chibo.members.models import Member, MemberEvent, Placement, Position
from chibo.org.models import Ancestry, OrgUnit, Village

UNIT_HEAD = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Loại hình chi bộ"]
VILLAGE_HEAD = ["Mã chi bộ", "Tên thôn, khu phố", "Loại"]
MEMBER_HEAD = [
    "Mã hồ sơ",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Điện thoại",
    "Mã chi bộ",
    "Ngày kết nạp",
    "Ngày chính thức",
]
EVENT_HEAD = ["Mã hồ sơ đảng viên", "Sự kiện", "Ngày", "Số quyết định"]
POSITION_HEAD = ["Mã hồ sơ đảng viên", "Chức vụ", "Mã đơn vị", "Thôn, khu phố", "Từ ngày"]


def valid_sheets() -> dict[str, list[list[Any]]]:
    """A workbook touching every sheet. The party group comes before its parent cell, and
    later sheets refer to the unit, village and members created by earlier ones."""
    return {
        "Đơn vị": [
            UNIT_HEAD,
            ["X01-CB03-T1", "Tổ đảng số 1", "Tổ đảng", "X01-CB03", ""],
            ["X01-CB03", "Chi bộ thôn Tây", "Chi bộ", "X01", "Nông thôn"],
        ],
        "Thôn, khu phố": [
            VILLAGE_HEAD,
            ["X01-CB03", "Thôn Tây", "Thôn"],
            ["X01-CB01", "Thôn Đông", "Thôn"],
        ],
        "Đảng viên": [
            MEMBER_HEAD,
            [
                "IMP001",
                "Nguyễn Thị Lan",
                "Nữ",
                "12/03/1985",
                "0912345678",
                "X01-CB03",
                "19/05/2010",
                "19/05/2011",
            ],
            [
                "IMP002",
                "Trần Văn Bình",
                "Nam",
                dt.datetime(1990, 7, 1),
                "",
                "X01-CB01",
                "2015-02-03",
                "",
            ],
        ],
        "Sự kiện": [
            EVENT_HEAD,
            ["IMP002", "Chính thức", "03/02/2016", "12-QĐ/ĐU"],
            ["IMP001", "Khiển trách", "01/06/2020", "3-QĐ/CB"],
        ],
        "Chức vụ": [
            POSITION_HEAD,
            ["IMP001", "Bí thư", "X01-CB03", "", "01/01/2020"],
            ["IMP002", "Trưởng thôn", "", "Thôn Đông", "01/01/2021"],
        ],
    }


# What valid_sheets() adds, counted by hand from the rows above.
VALID_ADDS = {
    "units": 2,
    "villages": 2,
    "members": 2,
    "placements": 2,
    # IMP001: admitted + official (members sheet) + reprimand; IMP002: admitted + official.
    "events": 5,
    "positions": 2,
}


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    if encoding == "cp1258":
        return cp1258(buffer.getvalue())
    return buffer.getvalue().encode(encoding)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: letters like â, ơ precomposed, tone marks
    as separate combining characters (the code page has no room for every pair)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def snapshot() -> dict[str, int]:
    """Row counts of everything an import can write, history tables included."""
    models = (OrgUnit, Village, Member, Placement, MemberEvent, Position)
    counts = {m.__name__: m.all_objects.count() for m in models}
    counts.update({f"history:{m.__name__}": m.history.model.objects.count() for m in models})
    counts["Ancestry"] = Ancestry.objects.count()
    return counts


def counts() -> dict[str, int]:
    return {
        "units": OrgUnit.all_objects.count(),
        "villages": Village.all_objects.count(),
        "members": Member.all_objects.count(),
        "placements": Placement.all_objects.count(),
        "events": MemberEvent.all_objects.count(),
        "positions": Position.all_objects.count(),
    }


def added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before}


def messages(report) -> list[str]:
    return [message for *_, message in report.issues()]
