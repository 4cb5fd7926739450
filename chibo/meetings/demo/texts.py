"""The Vietnamese texts of the demo's meetings: topics, resolutions' tasks, members' tasks,
review notes, reasons for absence and cancellation."""

from chibo.meetings.models import Outcome

TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    "Chuyển đổi số trong công tác đảng và ứng dụng Sổ tay đảng viên điện tử",
    "Phát huy vai trò nêu gương của cán bộ, đảng viên",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái",
    "Công tác phát triển đảng viên trong tình hình mới",
]
TASKS: dict[str, list[str]] = {
    "residential": [
        "vận động nhân dân giữ gìn vệ sinh môi trường, xây dựng nông thôn mới",
        "tổ chức thu đảng phí đúng hạn và nộp về Đảng ủy",
        "phối hợp Chi hội Nông dân hướng dẫn bà con chuyển đổi cây trồng",
        "giữ vững an ninh trật tự, phòng chống tệ nạn xã hội trên địa bàn",
        "thăm hỏi, động viên gia đình chính sách, hộ nghèo",
        "vận động nhân dân tham gia bảo hiểm y tế",
    ],
    "institution": [
        "hoàn thành kế hoạch công tác chuyên môn của tháng",
        "thực hiện tốt quy chế dân chủ ở cơ sở",
        "đẩy mạnh cải cách hành chính, ứng dụng công nghệ thông tin",
        "tổ chức thu đảng phí đúng hạn và nộp về Đảng ủy",
        "bồi dưỡng quần chúng ưu tú, giới thiệu đối tượng kết nạp Đảng",
        "thực hành tiết kiệm, chống lãng phí",
    ],
}
# Tasks given to one member at a monthly meeting (record.task_create).
MEMBER_TASKS: dict[str, list[str]] = {
    "residential": [
        "Vận động hộ gia đình tham gia vệ sinh môi trường",
        "Nắm tình hình dư luận trong thôn",
        "Đôn đốc thu đảng phí",
        "Vận động nhân dân tham gia bảo hiểm y tế",
        "Thăm hỏi gia đình chính sách, hộ nghèo trên địa bàn",
        "Phối hợp chi hội nông dân hướng dẫn bà con chuyển đổi cây trồng",
        "Nắm tình hình an ninh trật tự, báo cáo chi bộ",
        "Vận động hộ gia đình đóng góp làm đường giao thông nông thôn",
    ],
    "institution": [
        "Nắm tình hình tư tưởng của cán bộ, công chức",
        "Đôn đốc thu đảng phí",
        "Theo dõi, bồi dưỡng quần chúng ưu tú",
        "Hoàn thành báo cáo chuyên môn của tháng",
        "Rà soát thủ tục hành chính, đề xuất cắt giảm",
        "Chuẩn bị nội dung sinh hoạt chuyên đề quý",
        "Hướng dẫn đảng viên cài đặt Sổ tay đảng viên điện tử",
    ],
}
REVIEW_NOTES = {
    Outcome.LATE: ["Hoàn thành chậm so với thời hạn", "Hoàn thành sau khi được nhắc"],
    Outcome.DROPPED: ["Không còn phù hợp, chi bộ thống nhất dừng", "Chuyển cho tổ chức khác"],
    Outcome.CARRIED: ["Chưa hoàn thành, tiếp tục thực hiện", "Đang thực hiện"],
}
CANCEL_REASONS = ["Hoãn do mưa bão", "Trùng lịch họp của Đảng ủy", "Thôn tổ chức lễ hội"]
EXCUSES = ["Ốm", "Đi công tác", "Việc gia đình", "Đi làm ăn xa", "Trực cơ quan"]
