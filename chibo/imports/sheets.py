"""What the import template holds: its sheets, their columns, and the values each accepts.

Headers and the alias tables are Vietnamese *data* (what offices type in their workbooks),
not UI strings: they are matched after folding (no diacritics, no case), so "Ngày sinh",
"ngay sinh" and the English key "birth_date" all name the same column.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from chibo.core.search import fold
from chibo.members.models import Member, MemberEvent
from chibo.org.models import OrgUnit, Village

from .aliases import CELL_TYPES, EVENT_KINDS, GENDERS, KINDS, POSITION_KINDS, VILLAGE_KINDS
from .cells import CHOICE, DATE, TEXT

__all__ = ["CHOICE", "DATE", "SHEETS", "TEXT", "Column", "Sheet", "match_headers", "sheet_named"]


def _limit(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Vietnamese header the template writes
    help: Promise | str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    # CHOICE: stored value -> accepted spellings, the first one being the template's.
    choices: dict[str, list[str | Promise]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # more header spellings
    # Numbers typed into Excel lose leading zeros: (digits seen, digits meant).
    zero_pad: tuple[tuple[int, int], ...] = ()

    def names(self) -> set[str]:
        spellings = {self.key, self.key.replace("_", " "), self.label, *self.aliases}
        return {fold(s) for s in spellings}

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Folded spelling -> stored value: the enum value, its English label, the aliases."""
        table: dict[str, str] = {}
        with translation.override("en"):
            for value, spellings in self.choices.items():
                for s in (value, value.replace("_", " "), *spellings):
                    table[fold(str(s))] = value
        return table

    def shown_choices(self) -> list[str]:
        """The spelling the template offers for each value."""
        return [str(spellings[0]) for spellings in self.choices.values()]


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str  # the Vietnamese sheet name the template writes
    label: Promise | str  # UI name
    match: Promise | str  # how rows find existing records, for people
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {fold(s) for s in (self.key, self.title, *self.aliases)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_DATE_HELP = gettext_lazy("A date: dd/mm/yyyy, yyyy-mm-dd or an Excel date cell.")
_MEMBER_CODE = Column(
    "member_code",
    "Mã hồ sơ đảng viên",
    gettext_lazy("The member's record code, as in the members sheet or already in Chibo."),
    required=True,
    max_length=_limit(Member, "code"),
    aliases=("Mã hồ sơ", "Mã đảng viên"),
)

UNITS = Sheet(
    "units",
    "Đơn vị",
    gettext_lazy("Units"),
    gettext_lazy("the unit code"),
    (
        Column(
            "code",
            "Mã đơn vị",
            gettext_lazy("Unique code of the unit; used to match existing units."),
            required=True,
            max_length=_limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên đơn vị",
            gettext_lazy("Full name of the unit."),
            required=True,
            max_length=_limit(OrgUnit, "name"),
        ),
        Column(
            "kind",
            "Loại đơn vị",
            gettext_lazy("Kind of unit."),
            CHOICE,
            required=True,
            choices=KINDS,
        ),
        Column(
            "parent_code",
            "Mã đơn vị cấp trên",
            gettext_lazy(
                "Code of the unit directly above (in Chibo or in this sheet, in any order). "
                "Empty only for a top-level unit."
            ),
            max_length=_limit(OrgUnit, "code"),
        ),
        Column(
            "cell_type",
            "Loại hình chi bộ",
            gettext_lazy("Only for cells and base cells."),
            CHOICE,
            choices=CELL_TYPES,
        ),
        Column("founded_on", "Ngày thành lập", _DATE_HELP, DATE),
        Column("dissolved_on", "Ngày giải thể", _DATE_HELP, DATE),
    ),
    aliases=("Đơn vị", "Tổ chức đảng", "Don vi"),
)

VILLAGES = Sheet(
    "villages",
    "Thôn, khu phố",
    gettext_lazy("Villages"),
    gettext_lazy("the cell code and the village name"),
    (
        Column(
            "cell_code",
            "Mã chi bộ",
            gettext_lazy("Code of the cell that covers the village."),
            required=True,
            max_length=_limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên thôn, khu phố",
            gettext_lazy("Name of the village or quarter; unique within the cell."),
            required=True,
            max_length=_limit(Village, "name"),
            aliases=("Tên thôn", "Tên khu phố"),
        ),
        Column(
            "kind",
            "Loại",
            gettext_lazy("Village or urban quarter (default: village)."),
            CHOICE,
            choices=VILLAGE_KINDS,
        ),
    ),
    aliases=("Thôn", "Thôn - khu phố", "Thôn khu phố", "Thôn, tổ dân phố"),
)

MEMBERS = Sheet(
    "members",
    "Đảng viên",
    gettext_lazy("Members"),
    gettext_lazy("the record code"),
    (
        Column(
            "code",
            "Mã hồ sơ",
            gettext_lazy("The office's record code; used to match existing members."),
            required=True,
            max_length=_limit(Member, "code"),
            aliases=("Mã đảng viên", "Mã hồ sơ đảng viên"),
        ),
        Column(
            "full_name",
            "Họ và tên",
            gettext_lazy("Full name."),
            required=True,
            max_length=_limit(Member, "full_name"),
            aliases=("Họ tên",),
        ),
        Column("gender", "Giới tính", gettext_lazy("Gender."), CHOICE, True, choices=GENDERS),
        Column(
            "birth_date",
            "Ngày sinh",
            _DATE_HELP,
            DATE,
            required=True,
            aliases=("Ngày tháng năm sinh",),
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            gettext_lazy("Ethnic group (default: Kinh)."),
            max_length=_limit(Member, "ethnicity"),
        ),
        Column(
            "phone",
            "Điện thoại",
            gettext_lazy("Phone number."),
            max_length=_limit(Member, "phone"),
            aliases=("Số điện thoại", "SĐT"),
            zero_pad=((9, 10),),
        ),
        Column(
            "email",
            "Email",
            gettext_lazy("E-mail address."),
            max_length=_limit(Member, "email"),
            aliases=("E-mail", "Thư điện tử"),
        ),
        Column(
            "national_id",
            "Số CCCD",
            gettext_lazy("Citizen identity number: 12 digits (or an old 9-digit ID)."),
            max_length=_limit(Member, "national_id"),
            aliases=("CCCD", "Căn cước công dân", "Số căn cước", "CMND"),
            zero_pad=((11, 12), (10, 12), (8, 9)),
        ),
        Column(
            "card_number",
            "Số thẻ đảng viên",
            gettext_lazy("Party card number."),
            max_length=_limit(Member, "card_number"),
            aliases=("Số thẻ", "Số thẻ đảng"),
        ),
        Column(
            "unit_code",
            "Mã chi bộ",
            gettext_lazy("Code of the cell (or base cell) that holds the member's record."),
            required=True,
            max_length=_limit(OrgUnit, "code"),
            aliases=("Mã đơn vị",),
        ),
        Column(
            "placed_since",
            "Sinh hoạt từ ngày",
            gettext_lazy("Date the member joined the cell (default: the admission date)."),
            DATE,
        ),
        Column(
            "admission_date",
            "Ngày kết nạp",
            gettext_lazy("Date of the admission decision."),
            DATE,
            required=True,
        ),
        Column(
            "official_date",
            "Ngày chính thức",
            gettext_lazy("Date of recognition as an official member, if any."),
            DATE,
        ),
    ),
    aliases=("Đảng viên", "Danh sách đảng viên"),
)

EVENTS = Sheet(
    "events",
    "Sự kiện",
    gettext_lazy("Member events"),
    gettext_lazy("the member's record code, the event and its date"),
    (
        _MEMBER_CODE,
        Column(
            "kind", "Sự kiện", gettext_lazy("What happened."), CHOICE, True, choices=EVENT_KINDS
        ),
        Column("date", "Ngày", _DATE_HELP, DATE, required=True, aliases=("Ngày quyết định",)),
        Column("end_date", "Đến ngày", gettext_lazy("Only for an exemption."), DATE),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the decision, e.g. 12-QĐ/ĐU."),
            max_length=_limit(MemberEvent, "decision_number"),
        ),
        Column("note", "Ghi chú", gettext_lazy("Note."), max_length=_limit(MemberEvent, "note")),
    ),
    aliases=("Biến động", "Sự kiện đảng viên"),
)

POSITIONS = Sheet(
    "positions",
    "Chức vụ",
    gettext_lazy("Positions"),
    gettext_lazy("the member's record code, the post, its unit or village, and the start date"),
    (
        _MEMBER_CODE,
        Column("kind", "Chức vụ", gettext_lazy("The post."), CHOICE, True, choices=POSITION_KINDS),
        Column(
            "unit_code",
            "Mã đơn vị",
            gettext_lazy(
                "Party posts: the unit. Village posts: the cell covering the village "
                "(default: the member's cell)."
            ),
            max_length=_limit(OrgUnit, "code"),
        ),
        Column(
            "village",
            "Thôn, khu phố",
            gettext_lazy("Village posts only: the village's name."),
            max_length=_limit(Village, "name"),
            aliases=("Thôn", "Khu phố"),
        ),
        Column("start", "Từ ngày", _DATE_HELP, DATE, required=True),
        Column("end", "Đến ngày", _DATE_HELP, DATE),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the decision."),
            max_length=_limit(MemberEvent, "decision_number"),
        ),
    ),
    aliases=("Chức danh",),
)

# Dependency order: later sheets refer to records the earlier ones create.
SHEETS: tuple[Sheet, ...] = (UNITS, VILLAGES, MEMBERS, EVENTS, POSITIONS)
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
