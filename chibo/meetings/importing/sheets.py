"""The sheets of past meetings: the meetings, their attendance and their quality ratings.

Attendance and rating rows name their meeting the way the meetings sheet does: the cell's
code, the date and the kind of meeting."""

from django.utils.translation import gettext_lazy

from chibo.core.sheets import (
    BOOL,
    CHOICE,
    DATE,
    DATE_HELP,
    NUMBER,
    TIME,
    YES_NO,
    Column,
    Sheet,
    limit,
)
from chibo.members.importing import MEMBER_CODE
from chibo.org.models import OrgUnit

from ..models import Attendance, Meeting
from .aliases import MEETING_KINDS, MEETING_STATES, PRESENCES, RATING_WORDS

# The meeting's key, shared by the three sheets.
MEETING_DATE = Column(
    "date", "Ngày họp", DATE_HELP, DATE, required=True, aliases=("Ngày sinh hoạt", "Ngày")
)
MEETING_KIND = Column(
    "kind",
    "Loại sinh hoạt",
    gettext_lazy("Kind of meeting (default: regular monthly meeting)."),
    CHOICE,
    choices=MEETING_KINDS,
    aliases=("Loại", "Hình thức sinh hoạt"),
)


def _meeting_cell(help_text) -> Column:
    return Column(
        "cell_code",
        "Mã chi bộ",
        help_text,
        required=True,
        max_length=limit(OrgUnit, "code"),
        aliases=("Mã đơn vị",),
    )


_MEETING_REF = _meeting_cell(
    gettext_lazy(
        "Code of the cell. With the date and the kind, it names a meeting of the meetings "
        "sheet or one already in Chibo."
    )
)
_MATCH = gettext_lazy("the cell code, the date and the kind of meeting")

MEETINGS = Sheet(
    "meetings",
    "Sinh hoạt",
    gettext_lazy("Meetings"),
    _MATCH,
    (
        _meeting_cell(gettext_lazy("Code of the cell (or base cell) that met.")),
        MEETING_DATE,
        Column(
            "start",
            "Giờ bắt đầu",
            gettext_lazy("When the meeting started: hh:mm (19:30, 19h30) or an Excel time cell."),
            TIME,
            required=True,
            aliases=("Bắt đầu", "Từ giờ"),
        ),
        Column(
            "end",
            "Giờ kết thúc",
            gettext_lazy("When the meeting ended."),
            TIME,
            required=True,
            aliases=("Kết thúc", "Đến giờ"),
        ),
        MEETING_KIND,
        Column(
            "topic",
            "Chuyên đề",
            gettext_lazy("The topic; required for a thematic meeting."),
            max_length=limit(Meeting, "topic"),
            aliases=("Chủ đề", "Nội dung chuyên đề"),
        ),
        Column(
            "place",
            "Địa điểm",
            gettext_lazy("Where the meeting was held."),
            max_length=limit(Meeting, "place"),
        ),
        Column(
            "combined",
            "Kết hợp sinh hoạt thường kỳ",
            gettext_lazy(
                "Thematic meetings only: held together with the monthly meeting (default: no)."
            ),
            BOOL,
            choices=YES_NO,
            aliases=("Kết hợp",),
        ),
        Column(
            "resolution",
            "Nghị quyết",
            gettext_lazy("The resolution or conclusion of the meeting, as text."),
            aliases=("Nội dung nghị quyết", "Kết luận"),
        ),
        Column(
            "state",
            "Tình trạng",
            gettext_lazy(
                "Held (minutes in draft) or minutes adopted (default: adopted, as for most past "
                "meetings). Adopted minutes are locked."
            ),
            CHOICE,
            choices=MEETING_STATES,
            aliases=("Trạng thái",),
        ),
    ),
    aliases=("Cuộc họp", "Sinh hoạt chi bộ", "Buổi sinh hoạt"),
    after=("units",),
    order=100,
    guide=gettext_lazy(
        "Past meetings: the meetings sheet records each meeting held; the attendance and "
        "ratings sheets name a meeting by the cell's code, the date and the kind of meeting. "
        "A member's attendance follows the roster of the meeting day."
    ),
)

ATTENDANCE = Sheet(
    "attendance",
    "Điểm danh",
    gettext_lazy("Attendance"),
    gettext_lazy("the meeting (cell code, date, kind) and the member's record code"),
    (
        _MEETING_REF,
        MEETING_DATE,
        MEETING_KIND,
        MEMBER_CODE,
        Column(
            "presence",
            "Dự họp",
            gettext_lazy(
                "Present, absent with a valid reason, absent without one, or exempt from "
                "activities and absent."
            ),
            CHOICE,
            required=True,
            choices=PRESENCES,
            aliases=("Có mặt", "Tình hình dự họp", "Điểm danh"),
        ),
        Column(
            "reason",
            "Lý do vắng",
            gettext_lazy("Required for an excused absence."),
            max_length=limit(Attendance, "reason"),
            aliases=("Lý do", "Lí do", "Lí do vắng"),
        ),
        Column(
            "late",
            "Đến muộn",
            gettext_lazy("Present, but arrived late (default: no)."),
            BOOL,
            choices=YES_NO,
            aliases=("Đi muộn", "Muộn"),
        ),
        Column(
            "left_early",
            "Về sớm",
            gettext_lazy("Present, but left early (default: no)."),
            BOOL,
            choices=YES_NO,
        ),
    ),
    aliases=("Danh sách dự họp", "Dự họp"),
    # The roster of the meeting day is frozen from the placements (the transfers) and the
    # members' statuses that day (the events, and before them the admissions and reviews).
    after=("meetings", "events", "transfers"),
    order=110,
)

# The parts of the national checklist (keys of the `quality_max` rule), in its order.
PARTS = ("preparation", "attendance", "conduct", "closing")
_PART_HELP = gettext_lazy("Points for this part, within the checklist of the meeting day.")

RATINGS = Sheet(
    "ratings",
    "Xếp loại",
    gettext_lazy("Meeting ratings"),
    _MATCH,
    (
        _MEETING_REF,
        MEETING_DATE,
        MEETING_KIND,
        Column("preparation", "Điểm chuẩn bị", _PART_HELP, NUMBER, aliases=("Chuẩn bị",)),
        Column("attendance", "Điểm dự họp", _PART_HELP, NUMBER, aliases=("Dự họp",)),
        Column("conduct", "Điểm tiến hành", _PART_HELP, NUMBER, aliases=("Tiến hành",)),
        Column("closing", "Điểm kết thúc", _PART_HELP, NUMBER, aliases=("Kết thúc",)),
        Column(
            "total",
            "Tổng điểm",
            gettext_lazy("The total: alone when the parts are not known, else their sum."),
            NUMBER,
            aliases=("Tổng", "Tổng số điểm"),
        ),
        Column(
            "rating",
            "Xếp loại",
            gettext_lazy(
                "Optional: the rating the meeting was given. Chibo rates the total with the "
                "rules of the meeting day; a different rating is an error."
            ),
            CHOICE,
            choices=RATING_WORDS,
            aliases=("Kết quả xếp loại", "Mức xếp loại"),
        ),
    ),
    aliases=("Chấm điểm", "Chất lượng sinh hoạt", "Xếp loại sinh hoạt"),
    after=("meetings", "attendance"),  # a good rating needs good attendance
    order=120,
)
