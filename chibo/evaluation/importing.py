"""The ratings sheets of the import template (chibo.core.sheets): the levels of past years as
an office's records give them, for members (Xếp loại đảng viên) and for party organisations
(Xếp loại tổ chức đảng). Each row is recorded through chibo.evaluation.services.rating_import
into the base organisation's imported campaign of that year, published; it is checked
against that year's rules (a member or unit they do not rate is an error naming the rule).
The same file twice leaves the records as they are. Who may import a rating is who manages
that campaign: the office of the base organisation or a level above it."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.sheets import (
    CHOICE,
    NUMBER,
    Column,
    Context,
    Handler,
    Key,
    Outcome,
    Sheet,
    Values,
    fail,
    labels,
    limit,
    record,
    register,
)
from chibo.members.importing import MEMBER_CODE, writable_member
from chibo.org.importing import writable_unit
from chibo.org.models import OrgUnit

from . import ratable
from .access import can_manage_unit
from .models import Evaluation, Level
from .services import base_organisation, rating_import

# The levels as offices write them (data, not UI strings): the regulation's names (matched
# without accents or case), their usual abbreviations, and the keys.
LEVEL_NAMES = labels(
    Level,
    {
        Level.EXCELLENT: ["Hoàn thành xuất sắc nhiệm vụ", "Xuất sắc", "HTXSNV"],
        Level.GOOD: ["Hoàn thành tốt nhiệm vụ", "Tốt", "HTTNV"],
        Level.COMPLETE: ["Hoàn thành nhiệm vụ", "Hoàn thành", "HTNV"],
        Level.INCOMPLETE: ["Không hoàn thành nhiệm vụ", "Không hoàn thành", "KHTNV"],
    },
)

YEAR = Column(
    "year",
    "Năm",
    gettext_lazy("The year rated, e.g. 2023."),
    NUMBER,
    required=True,
    aliases=("Năm đánh giá", "Năm xếp loại"),
)
LEVEL = Column(
    "level",
    "Mức xếp loại",
    gettext_lazy(
        "The level: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ"
        " or Không hoàn thành nhiệm vụ."
    ),
    CHOICE,
    required=True,
    choices=LEVEL_NAMES,
    aliases=("Xếp loại", "Mức chất lượng", "Kết quả xếp loại"),
)
SCORE = Column(
    "score",
    "Điểm",
    gettext_lazy("Only from 2025 (Regulation 366-QĐ/TW): the score out of 100."),
    NUMBER,
    aliases=("Tổng điểm", "Số điểm"),
)

MEMBER_RATINGS = Sheet(
    "member_ratings",
    "Xếp loại đảng viên",
    gettext_lazy("Members' ratings"),
    gettext_lazy("the member's record code and the year"),
    (MEMBER_CODE, YEAR, LEVEL, SCORE),
    aliases=("Xếp loại chất lượng đảng viên", "Đánh giá đảng viên"),
    # Who is rated reads the member's admission, exemption and discipline events, and the
    # cell they were placed in.
    after=("events", "transfers"),
    order=95,
)
UNIT_CODE = Column(
    "unit_code",
    "Mã tổ chức đảng",
    gettext_lazy("The code of the cell or base organisation, as in the units sheet."),
    required=True,
    max_length=limit(OrgUnit, "code"),
    aliases=("Mã đơn vị", "Mã chi bộ", "Mã tổ chức"),
)
UNIT_RATINGS = Sheet(
    "unit_ratings",
    "Xếp loại tổ chức đảng",
    gettext_lazy("Party organisations' ratings"),
    gettext_lazy("the unit's code and the year"),
    (UNIT_CODE, YEAR, LEVEL, SCORE),
    aliases=("Xếp loại chất lượng tổ chức đảng", "Đánh giá tổ chức đảng"),
    after=("units",),
    order=96,
)

FIELDS = {"year": "year", "level": "level", "score": "score"}


def _year(v: Values) -> int:
    year = v["year"]
    if not isinstance(year, int) or not 1930 <= year <= 2100:
        fail(_("Write the year as four digits, e.g. 2023."), "year")
    return year


def _score(v: Values) -> int | None:
    score = v.get("score")
    if score in ("", None):
        return None
    if not isinstance(score, int) or score < 0:
        fail(_("The score is a whole number of points."), "score")
    return score


def _check_office(ctx: Context, unit, year: int, column: str) -> None:
    base = base_organisation(unit, ratable.rating_day(year))
    if base is not None and not can_manage_unit(ctx.user, base):
        fail(
            _("Ratings are imported by the office of the base organisation or a level above it."),
            column,
        )


def _changes(
    before: Evaluation | None, level: str, score: int | None
) -> list[tuple[str, Any, Any]]:
    """What an update changes, for the preview (level, score)."""
    if before is None:
        return []
    out: list[tuple[str, Any, Any]] = []
    if before.level != level:
        out.append(("level", before.level, level))
    if before.score != score:
        out.append(("score", before.score, score))
    return out


def _apply_member(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    year = _year(v)
    score = _score(v)
    cell = ratable.member_cell(member, year, today=ratable.rating_day(year))
    if cell is not None:
        _check_office(ctx, OrgUnit.all_objects.get(pk=cell), year, "member_code")
    before = Evaluation.objects.filter(member=member, year=year).first()
    _row, status = rating_import(
        year=year, level=v["level"], score=score, member=member, actor=ctx.actor
    )
    label = record(member.code, member.full_name, year, Level(v["level"]).label)
    return Outcome(status, label, _changes(before, v["level"], score))


def _apply_unit(ctx: Context, v: Values) -> Outcome:
    unit = writable_unit(ctx, v["unit_code"], "unit_code")
    year = _year(v)
    score = _score(v)
    _check_office(ctx, unit, year, "unit_code")
    before = Evaluation.objects.filter(unit=unit, year=year).first()
    _row, status = rating_import(
        year=year, level=v["level"], score=score, unit=unit, actor=ctx.actor
    )
    label = record(unit.code, unit.name, year, Level(v["level"]).label)
    return Outcome(status, label, _changes(before, v["level"], score))


def member_key(v: Values) -> Key:
    return (v["member_code"], v["year"])


def unit_key(v: Values) -> Key:
    return (str(v["unit_code"]).lower(), v["year"])


MEMBER_HANDLER = Handler(
    sheet=MEMBER_RATINGS,
    key=member_key,
    apply=_apply_member,
    fields={**FIELDS, "member": "member_code"},
)
UNIT_HANDLER = Handler(
    sheet=UNIT_RATINGS,
    key=unit_key,
    apply=_apply_unit,
    fields={**FIELDS, "unit": "unit_code"},
)

register(MEMBER_HANDLER)
register(UNIT_HANDLER)
