"""The sheets of people and units: units, villages, members, events and positions."""

from django.utils.translation import gettext_lazy

from chibo.members.models import Member, MemberEvent
from chibo.org.models import OrgUnit, Village

from ..aliases import (
    CELL_TYPES,
    EVENT_KINDS,
    EXEMPTION_REASONS,
    GENDERS,
    KINDS,
    POSITION_KINDS,
    VILLAGE_KINDS,
)
from ..cells import CHOICE, DATE
from .base import DATE_HELP, MEMBER_CODE, Column, Sheet, limit

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
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên đơn vị",
            gettext_lazy("Full name of the unit."),
            required=True,
            max_length=limit(OrgUnit, "name"),
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
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "cell_type",
            "Loại hình chi bộ",
            gettext_lazy("Only for cells and base cells."),
            CHOICE,
            choices=CELL_TYPES,
        ),
        Column("founded_on", "Ngày thành lập", DATE_HELP, DATE),
        Column("dissolved_on", "Ngày giải thể", DATE_HELP, DATE),
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
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "name",
            "Tên thôn, khu phố",
            gettext_lazy("Name of the village or quarter; unique within the cell."),
            required=True,
            max_length=limit(Village, "name"),
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


def person_columns(model) -> tuple[Column, ...]:
    """Who a person is, the same on every sheet that brings one in (members, candidates)."""
    return (
        Column(
            "full_name",
            "Họ và tên",
            gettext_lazy("Full name."),
            required=True,
            max_length=limit(model, "full_name"),
            aliases=("Họ tên",),
        ),
        Column("gender", "Giới tính", gettext_lazy("Gender."), CHOICE, True, choices=GENDERS),
        Column(
            "birth_date",
            "Ngày sinh",
            DATE_HELP,
            DATE,
            required=True,
            aliases=("Ngày tháng năm sinh",),
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            gettext_lazy("Ethnic group (default: Kinh)."),
            max_length=limit(model, "ethnicity"),
        ),
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
            max_length=limit(Member, "code"),
            aliases=("Mã đảng viên", "Mã hồ sơ đảng viên"),
        ),
        *person_columns(Member),
        Column(
            "phone",
            "Điện thoại",
            gettext_lazy("Phone number."),
            max_length=limit(Member, "phone"),
            aliases=("Số điện thoại", "SĐT"),
            zero_pad=((9, 10),),
        ),
        Column(
            "email",
            "Email",
            gettext_lazy("E-mail address."),
            max_length=limit(Member, "email"),
            aliases=("E-mail", "Thư điện tử"),
        ),
        Column(
            "national_id",
            "Số CCCD",
            gettext_lazy("Citizen identity number: 12 digits (or an old 9-digit ID)."),
            max_length=limit(Member, "national_id"),
            aliases=("CCCD", "Căn cước công dân", "Số căn cước", "CMND"),
            zero_pad=((11, 12), (10, 12), (8, 9)),
        ),
        Column(
            "card_number",
            "Số thẻ đảng viên",
            gettext_lazy("Party card number."),
            max_length=limit(Member, "card_number"),
            aliases=("Số thẻ", "Số thẻ đảng"),
        ),
        Column(
            "unit_code",
            "Mã chi bộ",
            gettext_lazy("Code of the cell (or base cell) that holds the member's record."),
            required=True,
            max_length=limit(OrgUnit, "code"),
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
        MEMBER_CODE,
        Column(
            "kind", "Sự kiện", gettext_lazy("What happened."), CHOICE, True, choices=EVENT_KINDS
        ),
        Column("date", "Ngày", DATE_HELP, DATE, required=True, aliases=("Ngày quyết định",)),
        Column("end_date", "Đến ngày", gettext_lazy("Only for an exemption."), DATE),
        Column(
            "reason",
            "Lý do miễn sinh hoạt",
            gettext_lazy("Only for an exemption: why the member is exempt."),
            CHOICE,
            choices=EXEMPTION_REASONS,
            aliases=("Lý do", "Lí do"),
        ),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the decision, e.g. 12-QĐ/ĐU."),
            max_length=limit(MemberEvent, "decision_number"),
        ),
        Column("note", "Ghi chú", gettext_lazy("Note."), max_length=limit(MemberEvent, "note")),
    ),
    aliases=("Biến động", "Sự kiện đảng viên"),
)

POSITIONS = Sheet(
    "positions",
    "Chức vụ",
    gettext_lazy("Positions"),
    gettext_lazy("the member's record code, the post, its unit or village, and the start date"),
    (
        MEMBER_CODE,
        Column("kind", "Chức vụ", gettext_lazy("The post."), CHOICE, True, choices=POSITION_KINDS),
        Column(
            "unit_code",
            "Mã đơn vị",
            gettext_lazy(
                "Party posts: the unit. Village posts: the cell covering the village "
                "(default: the member's cell)."
            ),
            max_length=limit(OrgUnit, "code"),
        ),
        Column(
            "village",
            "Thôn, khu phố",
            gettext_lazy("Village posts only: the village's name."),
            max_length=limit(Village, "name"),
            aliases=("Thôn", "Khu phố"),
        ),
        Column("start", "Từ ngày", DATE_HELP, DATE, required=True),
        Column("end", "Đến ngày", DATE_HELP, DATE),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the decision."),
            max_length=limit(MemberEvent, "decision_number"),
        ),
    ),
    aliases=("Chức danh",),
)
