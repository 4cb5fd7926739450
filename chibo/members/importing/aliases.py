"""Vietnamese spellings accepted for the members' choices: data, as offices write them in
their workbooks (not UI strings). The first spelling of each value is the one the template
offers; the English label and the stored value are accepted as well."""

from chibo.core.sheets import labels

from ..models import EventKind, ExemptionReason, Gender, PlacementKind, PositionKind

GENDERS = labels(Gender, {Gender.MALE: ["Nam"], Gender.FEMALE: ["Nữ"]})
EVENT_KINDS = labels(
    EventKind,
    {
        EventKind.ADMITTED: ["Kết nạp"],
        EventKind.CEREMONY: ["Lễ kết nạp", "Tổ chức lễ kết nạp"],
        EventKind.OFFICIAL: ["Chính thức", "Công nhận chính thức"],
        EventKind.READMITTED: ["Kết nạp lại"],
        EventKind.TRANSFERRED: ["Chuyển sinh hoạt"],
        EventKind.EXEMPTED: ["Miễn sinh hoạt"],
        EventKind.SUSPENDED: ["Đình chỉ sinh hoạt", "Đình chỉ sinh hoạt đảng"],
        EventKind.REPRIMAND: ["Khiển trách"],
        EventKind.WARNING: ["Cảnh cáo"],
        EventKind.DISMISSAL: ["Cách chức"],
        EventKind.REMOVED: ["Xóa tên"],
        EventKind.EXPELLED: ["Khai trừ"],
        EventKind.WITHDREW: ["Ra khỏi Đảng", "Xin ra khỏi Đảng"],
        EventKind.DECEASED: ["Từ trần", "Qua đời"],
    },
)
EXEMPTION_REASONS = labels(
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
POSITION_KINDS = labels(
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
TRANSFER_KINDS = labels(
    PlacementKind,
    {
        PlacementKind.OFFICIAL: ["Chính thức", "Chuyển chính thức", "Chuyển sinh hoạt chính thức"],
        PlacementKind.TEMPORARY: ["Tạm thời", "Chuyển tạm thời", "Chuyển sinh hoạt tạm thời"],
    },
)
