"""Vietnamese spellings accepted for each choice: data, as offices write them in their
workbooks (not UI strings). The first spelling of each value is the one the template
offers; the English label and the stored value are accepted as well."""

from collections.abc import Iterable

from django.db import models
from django.utils.functional import Promise

from chibo.badges.models import Early
from chibo.development.models import Outcome
from chibo.meetings.models import Kind as MeetingKind
from chibo.meetings.models import Presence, Rating, State
from chibo.members.models import EventKind, ExemptionReason, Gender, PlacementKind, PositionKind
from chibo.org.models import CellType, Kind, VillageKind


def _labels(
    choices: Iterable[models.TextChoices] | type[models.TextChoices], vi: dict[str, list[str]]
) -> dict[str, list[str | Promise]]:
    """Vietnamese spellings first, then the (lazy) English label, for every enum value."""
    return {c.value: [*vi[c.value], c.label] for c in choices}


KINDS = _labels(
    Kind,
    {
        Kind.PROVINCE: ["Đảng bộ tỉnh", "Đảng bộ thành phố trực thuộc Trung ương"],
        Kind.DISTRICT: ["Đảng bộ huyện", "Đảng bộ quận", "Đảng bộ thị xã"],
        Kind.BASE_COMMITTEE: [
            "Đảng bộ cơ sở",
            "Đảng bộ xã",
            "Đảng bộ phường",
            "Đảng bộ thị trấn",
            "Đảng bộ đặc khu",
        ],
        Kind.BASE_CELL: ["Chi bộ cơ sở"],
        Kind.CELL: ["Chi bộ", "Chi bộ trực thuộc"],
        Kind.PARTY_GROUP: ["Tổ đảng"],
    },
)
CELL_TYPES = _labels(
    CellType,
    {
        CellType.RURAL: ["Nông thôn", "Thôn"],
        CellType.URBAN: ["Khu phố", "Đô thị", "Tổ dân phố"],
        CellType.SCHOOL: ["Trường học", "Nhà trường"],
        CellType.POLICE: ["Công an"],
        CellType.MILITARY: ["Quân sự", "Quân đội"],
        CellType.HEALTH: ["Y tế"],
        CellType.AGENCY: ["Cơ quan"],
        CellType.ENTERPRISE: ["Doanh nghiệp"],
    },
)
VILLAGE_KINDS = _labels(
    VillageKind,
    {
        VillageKind.VILLAGE: ["Thôn", "Làng", "Bản", "Ấp", "Xóm", "Buôn", "Sóc"],
        VillageKind.QUARTER: ["Khu phố", "Tổ dân phố", "Khu dân cư"],
    },
)
GENDERS = _labels(Gender, {Gender.MALE: ["Nam"], Gender.FEMALE: ["Nữ"]})
EVENT_KINDS = _labels(
    EventKind,
    {
        EventKind.ADMITTED: ["Kết nạp"],
        EventKind.CEREMONY: ["Lễ kết nạp", "Tổ chức lễ kết nạp"],
        EventKind.OFFICIAL: ["Chính thức", "Công nhận chính thức"],
        EventKind.READMITTED: ["Kết nạp lại"],
        EventKind.TRANSFERRED: ["Chuyển sinh hoạt"],
        EventKind.EXEMPTED: ["Miễn sinh hoạt"],
        EventKind.REPRIMAND: ["Khiển trách"],
        EventKind.WARNING: ["Cảnh cáo"],
        EventKind.DISMISSAL: ["Cách chức"],
        EventKind.REMOVED: ["Xóa tên"],
        EventKind.EXPELLED: ["Khai trừ"],
        EventKind.WITHDREW: ["Ra khỏi Đảng", "Xin ra khỏi Đảng"],
        EventKind.DECEASED: ["Từ trần", "Qua đời"],
    },
)
EXEMPTION_REASONS = _labels(
    ExemptionReason,
    {
        ExemptionReason.OLD_AGE: ["Tuổi cao", "Tuổi cao sức yếu"],
        ExemptionReason.ILLNESS: ["Ốm đau", "Bệnh", "Ốm"],
        ExemptionReason.ABROAD: ["Ra nước ngoài", "Nước ngoài"],
        ExemptionReason.MATERNITY: ["Thai sản", "Nghỉ thai sản"],
        ExemptionReason.MOBILE_WORK: ["Công tác lưu động", "Lưu động"],
        ExemptionReason.OTHER: ["Khác", "Lý do khác"],
    },
)
POSITION_KINDS = _labels(
    PositionKind,
    {
        PositionKind.SECRETARY: ["Bí thư"],
        PositionKind.DEPUTY_SECRETARY: ["Phó Bí thư"],
        PositionKind.COMMITTEE_MEMBER: ["Chi ủy viên", "Cấp ủy viên", "Đảng ủy viên"],
        PositionKind.VILLAGE_HEAD: [
            "Trưởng thôn",
            "Trưởng khu phố",
            "Trưởng bản",
            "Trưởng ấp",
            "Tổ trưởng tổ dân phố",
        ],
        PositionKind.FRONT_HEAD: ["Trưởng ban công tác Mặt trận", "Trưởng ban CTMT"],
    },
)

# The member's lifecycle: reviews, transfers, badges ---------------------------------------------

REVIEW_OUTCOMES = _labels(
    Outcome,
    {
        Outcome.RECOGNISE: ["Công nhận chính thức", "Công nhận", "Đủ điều kiện"],
        Outcome.REMOVE: ["Đề nghị xóa tên", "Xóa tên", "Không công nhận"],
    },
)
TRANSFER_KINDS = _labels(
    PlacementKind,
    {
        PlacementKind.OFFICIAL: ["Chính thức", "Chuyển chính thức", "Chuyển sinh hoạt chính thức"],
        PlacementKind.TEMPORARY: ["Tạm thời", "Chuyển tạm thời", "Chuyển sinh hoạt tạm thời"],
    },
)
EARLY_AWARDS = _labels(
    Early,
    {
        Early.ILLNESS: ["Ốm đau", "Ốm nặng", "Bệnh nặng", "Xét sớm do ốm đau"],
        Early.POSTHUMOUS: ["Truy tặng", "Đã từ trần"],
    },
)

# Meetings -------------------------------------------------------------------------------------

MEETING_KINDS = _labels(
    MeetingKind,
    {
        MeetingKind.REGULAR: ["Thường kỳ", "Sinh hoạt thường kỳ", "Định kỳ", "Hằng tháng"],
        MeetingKind.THEMATIC: ["Chuyên đề", "Sinh hoạt chuyên đề"],
        MeetingKind.EXTRAORDINARY: ["Bất thường", "Đột xuất", "Sinh hoạt bất thường"],
        MeetingKind.COMMITTEE: ["Họp chi ủy", "Chi ủy", "Hội nghị chi ủy"],
    },
)
# A past meeting was held; most have their minutes adopted. Planned and cancelled meetings
# are not history.
MEETING_STATES = _labels(
    (State.HELD, State.ADOPTED),
    {
        State.HELD: ["Đã họp", "Đã tổ chức", "Biên bản dự thảo"],
        State.ADOPTED: ["Đã thông qua biên bản", "Đã thông qua", "Biên bản đã thông qua"],
    },
)
# An exempt member (miễn sinh hoạt) who stays away: not a presence of its own in the meetings
# app, which records it as an excused absence with this reason (as the demo does).
EXEMPT = "exempt"
EXEMPT_REASON = "Miễn sinh hoạt"
_PRESENCE_VI = {
    Presence.PRESENT: ["Có mặt", "Dự họp", "Có"],
    Presence.EXCUSED: ["Vắng có lý do", "Vắng có lí do", "Có lý do"],
    Presence.UNEXCUSED: ["Vắng không lý do", "Vắng không lí do", "Không lý do"],
    EXEMPT: ["Miễn sinh hoạt", "Miễn"],
}
PRESENCES: dict[str, list[str | Promise]] = {
    c.value: [*_PRESENCE_VI.get(c.value, []), c.label] for c in Presence
}
PRESENCES.setdefault(EXEMPT, [*_PRESENCE_VI[EXEMPT], EventKind.EXEMPTED.label])
RATING_WORDS = _labels(
    Rating,
    {
        Rating.GOOD: ["Tốt"],
        Rating.FAIR: ["Khá"],
        Rating.AVERAGE: ["Trung bình", "TB"],
        Rating.POOR: ["Kém", "Yếu kém"],
    },
)
YES, NO = "yes", "no"
YES_NO: dict[str, list[str | Promise]] = {
    YES: ["Có", "x", "1", "True", "Yes"],
    NO: ["Không", "0", "False", "No"],
}
