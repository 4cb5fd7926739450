"""The candidates board as an Excel file (chibo.core.export): the board's filter and scope,
every candidate (the board shows the first of each stage), in pipeline order, then by cell
and name. Headers and values in the document's Vietnamese."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from chibo.core import formats
from chibo.core.export import Column, Table
from chibo.members.models import Gender
from chibo.org.models import OrgUnit

from .models import Stage
from .queries import annotated, ceremony_flag

COLUMNS = [
    Column("STT", 6),
    Column("Họ và tên", 26),
    Column("Giới tính", 9),
    Column("Ngày sinh", 12),
    Column("Chi bộ", 28),
    Column("Giai đoạn", 24),
    Column("Ngày chi bộ đề nghị", 13),
    Column("Hoàn thành lớp cảm tình Đảng", 14),
    Column("Ngày giới thiệu", 13),
    Column("Ngày chi bộ biểu quyết", 13),
    Column("Tán thành / tổng số", 12),
    Column("Số quyết định kết nạp", 18),
    Column("Ngày quyết định", 13),
    Column("Hạn tổ chức lễ kết nạp", 13),
    Column("Ngày lễ kết nạp", 13),
    Column("Ghi chú", 30),
]
FLAGS = {"overdue": "Quá hạn tổ chức lễ kết nạp", "late": "Lễ kết nạp tổ chức muộn"}


def _rows(qs: QuerySet[Any], today: dt.date) -> Iterator[list]:
    with translation.override("vi"):
        stages = {s.value: str(s.label) for s in Stage}
        genders = {g.value: str(g.label) for g in Gender}
    n = 0
    for stage in Stage:  # pipeline order: one query a stage
        rows = annotated(qs.filter(stage_sql=stage)).order_by(
            "cell__sort_name", "search_name", "pk"
        )
        for c in rows:
            n += 1
            votes = (
                f"{formats.number(c.votes_for)}/{formats.number(c.votes_eligible)}"
                if c.votes_for is not None
                else ""
            )
            notes = []
            if c.dropped_on:
                notes.append(f"Dừng từ {formats.date(c.dropped_on)}: {c.drop_reason}")
            flag = FLAGS.get(ceremony_flag(c, today))
            if flag:
                notes.append(flag)
            yield [
                n,
                c.full_name,
                genders.get(c.gender, ""),
                c.birth_date,
                c.cell.name,
                stages[stage.value],
                c.proposed_on,
                c.class_completed_on,
                c.introduced_on,
                c.vote_on,
                votes,
                c.decision_number,
                c.decision_on,
                None if c.dropped_on else c.ceremony_due,  # type: ignore[attr-defined]
                c.member.ceremony_on if c.member else None,
                "; ".join(notes),
            ]


def candidates_table(
    qs: QuerySet[Any],
    *,
    unit: OrgUnit,
    cell: OrgUnit | None,
    everything: bool,
    today: dt.date,
) -> Table:
    heading = ["DANH SÁCH QUẦN CHÚNG ƯU TÚ VÀ PHÁT TRIỂN ĐẢNG VIÊN", unit.name]
    if cell is not None:
        heading.append(f"Chi bộ: {cell.name}")
    heading.append(
        f"Ngày lập: {formats.date(today)}"
        + ("" if everything else "; không gồm người đã kết nạp hoặc dừng quá một năm")
    )
    return Table("Phát triển đảng viên", COLUMNS, _rows(qs, today), heading)
