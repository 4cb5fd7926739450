"""The candidates and official-membership reviews sheets: a member's way into the Party, for
loading past years."""

from django.utils.translation import gettext_lazy

from chibo.core.sheets import CHOICE, DATE, NUMBER, Column, Sheet, labels, limit
from chibo.members.importing import MEMBER_CODE, person_columns
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from ..models import Candidate, OfficialReview, Outcome

# Vietnamese spellings of the outcomes (data, as offices write them; the first is the
# template's).
REVIEW_OUTCOMES = labels(
    Outcome,
    {
        Outcome.RECOGNISE: ["Công nhận chính thức", "Công nhận", "Đủ điều kiện"],
        Outcome.REMOVE: ["Đề nghị xóa tên", "Xóa tên", "Không công nhận"],
    },
)


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
    after=("units", "members"),  # the cell, and introducers of the members sheet
    before=("events",),  # an admission decision creates the member that events may name
    order=40,
    guide=gettext_lazy(
        "Member histories: a candidates row records the steps it fills in, in order, each "
        "checked with the rules in force on its date; the admission decision creates the "
        "member's record (leave that member out of the members sheet)."
    ),
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
    # The member may come from an admission decision of the candidates sheet, the ceremony
    # that starts the probation from the events sheet.
    after=("candidates", "events"),
    # The cell votes on its member before a transfer may take the record out of the
    # importing office's units (and the roster of a later meeting reads the new status).
    before=("transfers",),
    order=70,
)
