"""The members, events, positions and transfers sheets, and the columns other apps' sheets
share with them: the member's record code, and who a person is."""

from django.utils.translation import gettext_lazy

from chibo.core.sheets import CHOICE, DATE, DATE_HELP, Column, Sheet, limit
from chibo.org.models import OrgUnit, Village

from ..models import Member, MemberEvent, Transfer
from .aliases import EVENT_KINDS, EXEMPTION_REASONS, GENDERS, POSITION_KINDS, TRANSFER_KINDS

MEMBER_CODE = Column(
    "member_code",
    "Mã hồ sơ đảng viên",
    gettext_lazy("The member's record code, as in the members sheet or already in Chibo."),
    required=True,
    max_length=limit(Member, "code"),
    aliases=("Mã hồ sơ", "Mã đảng viên"),
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
            past=True,
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
    after=("units",),
    order=30,
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
        Column(
            "end_date", "Đến ngày", gettext_lazy("Only for an exemption or a suspension."), DATE
        ),
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
    after=("members",),
    order=50,
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
    after=("members", "villages"),
    order=60,
)

TRANSFERS = Sheet(
    "transfers",
    "Chuyển sinh hoạt",
    gettext_lazy("Transfers"),
    gettext_lazy("the member's record code, the letter number and the sending date"),
    (
        MEMBER_CODE,
        Column(
            "kind",
            "Hình thức",
            gettext_lazy("Official (the record moves) or temporary."),
            CHOICE,
            required=True,
            choices=TRANSFER_KINDS,
            aliases=("Loại chuyển", "Hình thức chuyển"),
        ),
        Column(
            "from_code",
            "Mã chi bộ chuyển đi",
            gettext_lazy("Code of the sending cell, where the member's record was."),
            required=True,
            max_length=limit(OrgUnit, "code"),
            aliases=("Từ chi bộ", "Nơi chuyển đi"),
        ),
        Column(
            "to_code",
            "Mã chi bộ chuyển đến",
            gettext_lazy("Code of the receiving cell, anywhere in the tree."),
            required=True,
            max_length=limit(OrgUnit, "code"),
            aliases=("Đến chi bộ", "Nơi chuyển đến"),
        ),
        Column(
            "letter_number",
            "Số giấy giới thiệu",
            gettext_lazy("Number of the transfer letter."),
            required=True,
            max_length=limit(Transfer, "letter_number"),
            aliases=("Số giấy giới thiệu sinh hoạt đảng", "Số giấy chuyển"),
        ),
        Column(
            "sent_on",
            "Ngày chuyển đi",
            gettext_lazy(
                "Date the letter was sent: an official transfer leaves the cell that day."
            ),
            DATE,
            required=True,
            aliases=("Ngày gửi", "Ngày giới thiệu đi"),
        ),
        Column(
            "received_on",
            "Ngày tiếp nhận",
            gettext_lazy("Date the receiving cell took the member in; empty: still pending."),
            DATE,
            aliases=("Ngày nhận", "Ngày chuyển đến"),
        ),
        Column(
            "until",
            "Tạm thời đến ngày",
            gettext_lazy(
                "Temporary transfers only: the first day the member is back (not included)."
            ),
            DATE,
            aliases=("Đến ngày",),
        ),
    ),
    aliases=("Chuyển sinh hoạt đảng", "Chuyển đi chuyển đến"),
    # What happened to the member in the cell comes first: a transfer may take the record
    # out of the importing office's units, and later rows could not name the member then.
    after=("members", "events", "positions"),
    order=80,
    guide=gettext_lazy(
        "Transfers are listed in the order they were sent; a transfer without a receiving "
        "date stays pending."
    ),
)
