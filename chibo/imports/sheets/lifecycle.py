"""The sheets of a member's lifecycle, for loading past years: candidates on their way to
admission, official-membership reviews, transfers and Party badges."""

from django.utils.translation import gettext_lazy

from chibo.badges.models import BadgeAward
from chibo.development.models import Candidate, OfficialReview
from chibo.members.models import Member, Transfer
from chibo.org.models import OrgUnit

from ..aliases import EARLY_AWARDS, REVIEW_OUTCOMES, TRANSFER_KINDS
from ..cells import CHOICE, DATE, NUMBER
from .base import MEMBER_CODE, Column, Sheet, limit
from .records import person_columns


def _introducer(n: int) -> tuple[Column, Column]:
    return (
        Column(
            f"introducer_{n}_code",
            f"Mã hồ sơ người giới thiệu {n}",
            gettext_lazy(
                "Record code of an official member introducing the candidate (in Chibo or in "
                "the members sheet)."
            ),
            max_length=limit(Member, "code"),
            aliases=(f"Người giới thiệu {n}", f"Đảng viên giới thiệu {n}"),
        ),
        Column(
            f"introducer_{n}_since",
            f"Người giới thiệu {n} công tác cùng từ ngày",
            gettext_lazy("Since when this introducer has worked with the candidate."),
            DATE,
            aliases=(f"Công tác cùng từ ngày {n}",),
        ),
    )


CANDIDATES = Sheet(
    "candidates",
    "Quần chúng ưu tú",
    gettext_lazy("Candidates"),
    gettext_lazy("the cell code, the full name and the birth date"),
    (
        Column(
            "cell_code",
            "Mã chi bộ",
            gettext_lazy("Code of the cell that proposed the candidate."),
            required=True,
            max_length=limit(OrgUnit, "code"),
            aliases=("Mã đơn vị",),
        ),
        *person_columns(Candidate),
        Column(
            "proposed_on",
            "Ngày chi bộ đề xuất",
            gettext_lazy("Date the cell proposed the candidate."),
            DATE,
            required=True,
            aliases=("Ngày đề xuất", "Ngày đề nghị"),
        ),
        Column(
            "class_completed_on",
            "Ngày hoàn thành lớp bồi dưỡng",
            gettext_lazy("Date the candidate completed the class on the Party."),
            DATE,
            aliases=(
                "Ngày hoàn thành lớp cảm tình Đảng",
                "Lớp cảm tình Đảng",
                "Lớp bồi dưỡng nhận thức về Đảng",
            ),
        ),
        Column(
            "class_certificate",
            "Số giấy chứng nhận",
            gettext_lazy("Number of the class certificate."),
            max_length=limit(Candidate, "class_certificate"),
            aliases=("Số chứng nhận", "Giấy chứng nhận"),
        ),
        Column(
            "introduced_on",
            "Ngày giới thiệu",
            gettext_lazy("Date of the introduction."),
            DATE,
        ),
        *_introducer(1),
        *_introducer(2),
        Column(
            "union_introduction",
            "Đoàn thể giới thiệu",
            gettext_lazy(
                "The Youth Union's or the Trade Union's resolution, when it introduces the "
                "candidate in place of the second member."
            ),
            max_length=limit(Candidate, "union_introduction"),
            aliases=("Giới thiệu của Đoàn Thanh niên hoặc Công đoàn", "Nghị quyết giới thiệu"),
        ),
        Column(
            "vote_on",
            "Ngày chi bộ biểu quyết",
            gettext_lazy("Date of the cell's vote on the admission."),
            DATE,
            aliases=("Ngày biểu quyết",),
        ),
        Column(
            "votes_for",
            "Số phiếu tán thành",
            gettext_lazy("Official members who voted for the admission."),
            NUMBER,
            aliases=("Số tán thành", "Tán thành"),
        ),
        Column(
            "votes_eligible",
            "Số đảng viên chính thức",
            gettext_lazy("Official members entitled to vote."),
            NUMBER,
            aliases=("Số đảng viên có quyền biểu quyết", "Tổng số đảng viên chính thức"),
        ),
        Column(
            "over_age_approval",
            "Văn bản đồng ý kết nạp quá tuổi",
            gettext_lazy("Only for a candidate over the maximum age: the higher level's approval."),
            max_length=limit(Candidate, "over_age_approval"),
            aliases=("Đồng ý kết nạp quá tuổi",),
        ),
        Column(
            "decision_number",
            "Số quyết định kết nạp",
            gettext_lazy("Number of the admission decision, e.g. 12-QĐ/ĐU."),
            max_length=limit(Candidate, "decision_number"),
            aliases=("Số quyết định",),
        ),
        Column(
            "decision_on",
            "Ngày quyết định kết nạp",
            gettext_lazy("Date of the admission decision."),
            DATE,
            aliases=("Ngày quyết định", "Ngày kết nạp"),
        ),
        Column(
            "member_code",
            "Mã hồ sơ đảng viên",
            gettext_lazy(
                "With the decision: the record code of the member record the decision creates "
                "(not in the members sheet)."
            ),
            max_length=limit(Member, "code"),
            aliases=("Mã hồ sơ", "Mã đảng viên"),
        ),
        Column(
            "ceremony_on",
            "Ngày lễ kết nạp",
            gettext_lazy("Date of the admission ceremony."),
            DATE,
            aliases=("Ngày tổ chức lễ kết nạp", "Lễ kết nạp"),
        ),
        Column(
            "dropped_on",
            "Ngày thôi xem xét",
            gettext_lazy("Date the person stopped being a candidate, if so."),
            DATE,
            aliases=("Không còn là đối tượng kết nạp từ ngày", "Ngày dừng xem xét"),
        ),
        Column(
            "drop_reason",
            "Lý do thôi xem xét",
            gettext_lazy("Why the person is no longer a candidate."),
            max_length=limit(Candidate, "drop_reason"),
            aliases=("Lý do", "Lí do"),
        ),
    ),
    aliases=("Phát triển đảng viên", "Đối tượng kết nạp", "Quần chúng"),
)

REVIEWS = Sheet(
    "reviews",
    "Xét chính thức",
    gettext_lazy("Official membership reviews"),
    gettext_lazy("the member's record code and the date of the cell's vote"),
    (
        MEMBER_CODE,
        Column(
            "vote_on",
            "Ngày chi bộ biểu quyết",
            gettext_lazy("Date of the cell's vote, once the probation has ended."),
            DATE,
            required=True,
            aliases=("Ngày biểu quyết", "Ngày xét"),
        ),
        Column(
            "votes_for",
            "Số phiếu tán thành",
            gettext_lazy("Official members who voted for recognition."),
            NUMBER,
            required=True,
            aliases=("Số tán thành", "Tán thành"),
        ),
        Column(
            "votes_eligible",
            "Số đảng viên chính thức",
            gettext_lazy("Official members entitled to vote."),
            NUMBER,
            required=True,
            aliases=("Số đảng viên có quyền biểu quyết", "Tổng số đảng viên chính thức"),
        ),
        Column(
            "outcome",
            "Chi bộ đề nghị",
            gettext_lazy(
                "Recognition, or removal when not recognised (default: what the vote decides)."
            ),
            CHOICE,
            choices=REVIEW_OUTCOMES,
            aliases=("Kết quả", "Đề nghị"),
        ),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the decision, once made."),
            max_length=limit(OfficialReview, "decision_number"),
        ),
        Column(
            "decision_on",
            "Ngày quyết định",
            gettext_lazy("Date of the decision, once made."),
            DATE,
        ),
    ),
    aliases=("Xét công nhận đảng viên chính thức", "Công nhận chính thức"),
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
)

BADGES = Sheet(
    "badges",
    "Huy hiệu Đảng",
    gettext_lazy("Badge awards"),
    gettext_lazy("the member's record code and the badge (years)"),
    (
        MEMBER_CODE,
        Column(
            "years",
            "Huy hiệu (năm tuổi Đảng)",
            gettext_lazy("The badge, in years of party age: 30, 40, 45 …"),
            NUMBER,
            required=True,
            aliases=("Loại huy hiệu", "Số năm tuổi Đảng", "Huy hiệu"),
        ),
        Column(
            "occasion_date",
            "Đợt trao tặng",
            gettext_lazy("The award occasion, e.g. 03/02/2020 or 19/05/2020."),
            DATE,
            required=True,
            aliases=("Ngày trao tặng", "Đợt"),
        ),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the award decision."),
            required=True,
            max_length=limit(BadgeAward, "decision_number"),
        ),
        Column(
            "decision_on",
            "Ngày quyết định",
            gettext_lazy("Date of the award decision."),
            DATE,
            required=True,
        ),
        Column(
            "early",
            "Xét sớm",
            gettext_lazy("Only for an early award: serious illness, or posthumous."),
            CHOICE,
            choices=EARLY_AWARDS,
            aliases=("Trường hợp đặc biệt", "Tặng sớm"),
        ),
    ),
    aliases=("Huy hiệu", "Tặng Huy hiệu Đảng"),
)
