"""Workbooks of member histories (candidates, events, reviews, transfers) and what the
database holds, for the import tests of the apps whose sheets they fill (members,
development, badges). The snapshot counts badge awards too: a refused history writes
nothing at all."""

import datetime as dt
from typing import Any

from chibo.badges.models import BadgeAward
from chibo.development.models import Candidate, OfficialReview
from chibo.imports.services import import_commit
from chibo.members import services as ms
from chibo.members.models import Member, MemberEvent, Placement, StatusPeriod, Transfer

from .workbooks import snapshot, xlsx

CANDIDATE_HEAD = [
    "Mã chi bộ",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày chi bộ đề xuất",
    "Ngày hoàn thành lớp bồi dưỡng",
    "Số giấy chứng nhận",
    "Ngày giới thiệu",
    "Mã hồ sơ người giới thiệu 1",
    "Người giới thiệu 1 công tác cùng từ ngày",
    "Mã hồ sơ người giới thiệu 2",
    "Người giới thiệu 2 công tác cùng từ ngày",
    "Đoàn thể giới thiệu",
    "Ngày chi bộ biểu quyết",
    "Số phiếu tán thành",
    "Số đảng viên chính thức",
    "Văn bản đồng ý kết nạp quá tuổi",
    "Số quyết định kết nạp",
    "Ngày quyết định kết nạp",
    "Mã hồ sơ đảng viên",
    "Ngày lễ kết nạp",
    "Ngày thôi xem xét",
    "Lý do thôi xem xét",
]
EVENT_HEAD = [
    "Mã hồ sơ đảng viên",
    "Sự kiện",
    "Ngày",
    "Đến ngày",
    "Lý do miễn sinh hoạt",
    "Số quyết định",
]
REVIEW_HEAD = [
    "Mã hồ sơ đảng viên",
    "Ngày chi bộ biểu quyết",
    "Số phiếu tán thành",
    "Số đảng viên chính thức",
    "Chi bộ đề nghị",
    "Số quyết định",
    "Ngày quyết định",
]
TRANSFER_HEAD = [
    "Mã hồ sơ đảng viên",
    "Hình thức",
    "Mã chi bộ chuyển đi",
    "Mã chi bộ chuyển đến",
    "Số giấy giới thiệu",
    "Ngày chuyển đi",
    "Ngày tiếp nhận",
    "Tạm thời đến ngày",
]
MEMBER_HEAD = [
    "Mã hồ sơ",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Mã chi bộ",
    "Ngày kết nạp",
    "Ngày chính thức",
]

# Introducers: official members of X01-CB01 since 2016 and 2011 (the `world` and `cast`).
HUNG, SECRETARY = "HUNG", "BITHU"


def name_introducers(world, cast) -> tuple[Member, Member]:
    """The `introducers` fixture: HUNG (official since 02/03/2016) and BITHU (official since
    19/05/2011), both placed in X01-CB01, the introducers of `candidate_row`."""
    return (
        ms.member_update(actor=None, member=world.member, profile={"code": HUNG}),
        ms.member_update(actor=None, member=cast.secretary.member, profile={"code": SECRETARY}),
    )


def row(head: list[str], **cells: Any) -> list[Any]:
    """A row of `head` from header=value pairs given as keyword arguments (header text with
    spaces and accents cannot be a keyword: pass a dict with **)."""
    unknown = set(cells) - set(head)
    assert not unknown, unknown
    return [cells.get(h, "") for h in head]


def candidate_row(**cells: Any) -> list[Any]:
    """A candidate who went through every step up to the cell's vote, unless `cells` say
    otherwise: proposed by X01-CB01 on 02/09/2024, class 20/11/2024, introduced 10/02/2025 by
    HUNG and BITHU (worked with since 06/01/2020), 6 of 9 voted for on 05/03/2025."""
    base = {
        "Mã chi bộ": "X01-CB01",
        "Họ và tên": "Lê Thị Mai",
        "Giới tính": "Nữ",
        "Ngày sinh": "12/04/1995",
        "Ngày chi bộ đề xuất": "02/09/2024",
        "Ngày hoàn thành lớp bồi dưỡng": "20/11/2024",
        "Số giấy chứng nhận": "LCT-01",
        "Ngày giới thiệu": "10/02/2025",
        "Mã hồ sơ người giới thiệu 1": HUNG,
        "Người giới thiệu 1 công tác cùng từ ngày": "06/01/2020",
        "Mã hồ sơ người giới thiệu 2": SECRETARY,
        "Người giới thiệu 2 công tác cùng từ ngày": "06/01/2020",
        "Ngày chi bộ biểu quyết": "05/03/2025",
        "Số phiếu tán thành": 6,
        "Số đảng viên chính thức": 9,
    }
    return row(CANDIDATE_HEAD, **{**base, **cells})


def lifecycle_snapshot() -> dict[str, int]:
    """Row counts of everything a lifecycle import can write, history tables included."""
    counts = snapshot()
    for model in (Candidate, OfficialReview, Transfer, BadgeAward):
        counts[model.__name__] = model.objects.count()
        counts[f"history:{model.__name__}"] = model.history.model.objects.count()
    counts["StatusPeriod"] = StatusPeriod.objects.count()
    return counts


def commit(user, sheets: dict[str, list[list[Any]]]):
    return import_commit(actor=user, files=[("history.xlsx", xlsx(sheets))])


def statuses(report) -> dict[str, list[str]]:
    return {s.key: [r.status for r in s.rows] for s in report.sheets}


def problems(report) -> list[tuple[str, str]]:
    """(column, message) of every row problem."""
    return [(p.column, p.message) for s in report.sheets for r in s.rows for p in r.problems]


def status_on(code: str, day: dt.date) -> str:
    return Member.all_objects.with_status(day).values_list("status", flat=True).get(code=code)


def events_of(code: str) -> list[tuple[str, dt.date, str]]:
    return list(
        MemberEvent.objects.filter(member__code=code)
        .order_by("date", "pk")
        .values_list("kind", "date", "decision_number")
    )


def official_cells(code: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return list(
        Placement.objects.filter(member__code=code, kind="official")
        .order_by("start", "pk")
        .values_list("unit__code", "start", "end")
    )


def refused(user, sheets) -> list[tuple[str, str]]:
    """Import `sheets` as `user`: nothing written, and the row problems."""
    before = lifecycle_snapshot()
    report = commit(user, sheets)
    assert not report.committed
    assert lifecycle_snapshot() == before
    return problems(report)


def sheet_problems(user, sheets) -> list[str]:
    before = lifecycle_snapshot()
    report = commit(user, sheets)
    assert not report.committed
    assert lifecycle_snapshot() == before
    return [p.message for s in report.sheets for p in s.problems]
