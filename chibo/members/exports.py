"""The member list and a unit's transfers as Excel files (chibo.core.export): the page's own
query and filters, every row. Headers and values in the document's Vietnamese."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from chibo.core import formats
from chibo.core.export import Column, Table
from chibo.org.models import OrgUnit

from .models import Gender, Member, PlacementKind, Status, Transfer, TransferState
from .queries import INTERNAL, OUT

MEMBER_COLUMNS = [
    Column("STT", 6),
    Column("Mã đảng viên", 14),
    Column("Họ và tên", 28),
    Column("Ngày sinh", 12),
    Column("Giới tính", 9),
    Column("Chi bộ", 30),
    Column("Trạng thái", 16),
    Column("Miễn sinh hoạt", 10),
    Column("Ngày vào Đảng", 14),
    Column("Ngày chính thức", 14),
]
TRANSFER_COLUMNS = [
    Column("STT", 6),
    Column("Mã đảng viên", 14),
    Column("Họ và tên", 28),
    Column("Loại", 12),
    Column("Chiều", 10),
    Column("Từ chi bộ", 30),
    Column("Đến chi bộ", 30),
    Column("Số giấy giới thiệu", 18),
    Column("Ngày chuyển đi", 13),
    Column("Ngày tiếp nhận", 13),
    Column("Tình trạng", 14),
    Column("Số ngày trên đường", 10),
]
DIRECTIONS = {OUT: "Chuyển đi", INTERNAL: "Nội bộ"}  # else: chuyển đến
PHASES = {
    TransferState.PENDING: "Đang chuyển",
    TransferState.ACCEPTED: "Đã tiếp nhận",
    TransferState.CANCELLED: "Đã hủy",
}
KINDS: dict[str, str] = {
    PlacementKind.OFFICIAL: "Chính thức",
    PlacementKind.TEMPORARY: "Tạm thời",
}


def _member_rows(qs: QuerySet[Member]) -> Iterator[list]:
    m: Any  # with the `status` and `exempt` of member_list
    with translation.override("vi"):
        genders = {g.value: str(g.label) for g in Gender}
        statuses = {s.value: str(s.label) for s in Status}
    # iterator(): a province's list is read in chunks, not held whole as model objects.
    for i, m in enumerate(qs.iterator(chunk_size=2000), start=1):
        yield [
            i,
            m.code,
            m.full_name,
            m.birth_date,
            genders.get(m.gender, ""),
            m.home_unit.name if m.home_unit else "",
            statuses.get(m.status or "", ""),
            "Có" if m.exempt else "",
            m.admitted_on,
            m.official_on,
        ]


def member_table(qs: QuerySet[Member], *, on: dt.date, unit: OrgUnit | None, filters: str) -> Table:
    heading = ["DANH SÁCH ĐẢNG VIÊN", unit.name if unit else "Toàn bộ phạm vi được xem"]
    heading.append(f"Trạng thái tính đến ngày {formats.date(on)}")
    if filters:
        heading.append(f"Lọc: {filters}")
    return Table("Đảng viên", MEMBER_COLUMNS, _member_rows(qs), heading)


def _days(t: Transfer, end: dt.date) -> int | None:
    if t.phase == TransferState.CANCELLED:  # type: ignore[attr-defined]
        return None
    if t.received_on is not None and t.received_on <= end:
        return (t.received_on - t.sent_on).days
    return (end - t.sent_on).days


def _transfer_rows(qs: QuerySet[Transfer], end: dt.date) -> Iterator[list]:
    for i, t in enumerate(qs, start=1):
        phase = t.phase  # type: ignore[attr-defined]
        yield [
            i,
            t.member.code,
            t.member.full_name,
            KINDS.get(t.kind, t.kind),
            DIRECTIONS.get(t.direction, "Chuyển đến"),  # type: ignore[attr-defined]
            t.from_unit.name,
            t.to_unit.name,
            t.letter_number,
            t.sent_on,
            t.received_on if phase == TransferState.ACCEPTED else None,
            PHASES[TransferState(phase)],
            _days(t, end),
        ]


def transfer_table(
    qs: QuerySet[Transfer], *, unit: OrgUnit, start: dt.date, end: dt.date, counts: dict[str, int]
) -> Table:
    heading = [
        "DANH SÁCH CHUYỂN SINH HOẠT ĐẢNG",
        unit.name,
        f"Từ ngày {formats.date(start)} đến ngày {formats.date(end)}, tình trạng đến ngày "
        f"{formats.date(end)}",
    ]
    for key, label in (("in", "Chuyển đến"), ("out", "Chuyển đi"), ("internal", "Nội bộ")):
        parts = [
            f"{PHASES[TransferState(s)].lower()} {formats.number(counts[f'{key}_{s}'])}"
            for s in TransferState.values
        ]
        heading.append(f"{label}: " + ", ".join(parts))
    return Table("Chuyển sinh hoạt", TRANSFER_COLUMNS, _transfer_rows(qs, end), heading)
