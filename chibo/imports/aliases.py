"""Vietnamese spellings accepted for each choice: data, as offices write them in their
workbooks (not UI strings). The first spelling of each value is the one the template
offers; the English label and the stored value are accepted as well."""

from django.db import models
from django.utils.functional import Promise

from chibo.members.models import EventKind, Gender, PositionKind
from chibo.org.models import CellType, Kind, VillageKind


def _labels(
    choices: type[models.TextChoices], vi: dict[str, list[str]]
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
