"""Vietnamese spellings accepted for the meetings' choices: data, as offices write them in
their workbooks (not UI strings). The first spelling of each value is the one the template
offers; the English label and the stored value are accepted as well."""

from django.utils.functional import Promise

from chibo.core.sheets import labels
from chibo.members.models import EventKind

from ..models import Kind as MeetingKind
from ..models import Presence, Rating, State

MEETING_KINDS = labels(
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
MEETING_STATES = labels(
    (State.HELD, State.ADOPTED),
    {
        State.HELD: ["Đã họp", "Đã tổ chức", "Biên bản dự thảo"],
        State.ADOPTED: ["Đã thông qua biên bản", "Đã thông qua", "Biên bản đã thông qua"],
    },
)
# An exempt member (miễn sinh hoạt) who stays away: not a presence of its own in the meetings
# app, which records it as an excused absence with this reason (as the demo does).
EXEMPT = "exempt"
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
RATING_WORDS = labels(
    Rating,
    {
        Rating.GOOD: ["Tốt"],
        Rating.FAIR: ["Khá"],
        Rating.AVERAGE: ["Trung bình", "TB"],
        Rating.POOR: ["Kém", "Yếu kém"],
    },
)
