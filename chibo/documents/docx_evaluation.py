"""A member's self-assessment of the year as a Word file (bản kiểm điểm cá nhân), in the
layout of the party's forms: the cell as issuer, the member's particulars, a section per
criterion of the year's form with the member's own text, strengths, shortcomings and remedies,
the self-rating (with the score under 366-QĐ/TW), the member's signature, and a block for
the cell's opinion and its secretary's signature, ready to sign.

The Vietnamese words here are the document's own text, not interface messages."""

import datetime as dt

from django.utils import timezone

from chibo.evaluation import criteria, ratable
from chibo.evaluation.models import Evaluation, Level, SelfAssessment
from chibo.members.models import Member, Placement, PlacementKind, Position, PositionKind
from chibo.org.models import Kind, OrgUnit

from . import issuers
from . import party_format as pf

# The levels as the forms write them.
LEVEL_TEXT = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETE: "Hoàn thành nhiệm vụ",
    Level.INCOMPLETE: "Không hoàn thành nhiệm vụ",
}
DOTS = "." * 60  # a line left to be written by hand
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# The criteria as the forms word them (chibo.evaluation.criteria keys): those reviewed under
# "I. Ưu điểm, kết quả đạt được", numbered; a criterion of a later form not named here is
# printed with its own title there.
POINTS_OF_SECTION_I = {
    "ideology": "Về tư tưởng chính trị",
    "ethics": "Về phẩm chất đạo đức, lối sống",
    "style": "Về tác phong, lề lối làm việc",
    "discipline": "Về ý thức tổ chức kỷ luật",
    "qualities": (
        "Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác "
        "phong, lề lối làm việc"
    ),
    "duties": "Việc thực hiện chức trách, nhiệm vụ được giao",
    "pledge": "Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm",
}
# The criteria that are sections of their own, after the shortcomings (Hướng dẫn 25-HD/BTCTW
# and 43-HD/BTCTW), in the forms' order.
OWN_SECTIONS = {
    "earlier": (
        "KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN "
        "HOẶC ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC"
    ),
    "raised": "GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (nếu có)",
    "collective": (
        "LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ (nếu có)"
    ),
}


def _post_title(kind: str, unit: OrgUnit) -> str:
    """'Bí thư chi bộ', 'Phó Bí thư Đảng ủy', 'Chi ủy viên'..."""
    cell = unit.kind in (Kind.CELL, Kind.BASE_CELL, Kind.PARTY_GROUP)
    titles = {
        PositionKind.SECRETARY: "Bí thư chi bộ" if cell else "Bí thư Đảng ủy",
        PositionKind.DEPUTY_SECRETARY: "Phó Bí thư chi bộ" if cell else "Phó Bí thư Đảng ủy",
        PositionKind.COMMITTEE_MEMBER: "Chi ủy viên" if cell else "Đảng ủy viên",
    }
    return titles.get(PositionKind(kind), "")


def party_posts(member: Member, on: dt.date) -> str:
    """The member's party posts on `on` ("Bí thư chi bộ"), or "Đảng viên" when they hold
    none."""
    posts = (
        Position.objects.held_on(on)
        .filter(
            member=member,
            kind__in=[
                PositionKind.SECRETARY,
                PositionKind.DEPUTY_SECRETARY,
                PositionKind.COMMITTEE_MEMBER,
            ],
            unit__isnull=False,
        )
        .select_related("unit")
        .by_rank()
    )
    titles = [_post_title(p.kind, p.unit) for p in posts if p.unit is not None]
    return ", ".join(t for t in titles if t) or "Đảng viên"


def cell_of(assessment: SelfAssessment) -> OrgUnit | None:
    """The cell the member is rated in: their row's cell, else their official cell at the
    end of the year (or today, while the year runs)."""
    row = (
        Evaluation.objects.filter(member_id=assessment.member_id, year=assessment.year)
        .select_related("cell")
        .first()
    )
    if row is not None and row.cell is not None:
        return row.cell
    on = min(dt.date(assessment.year, 12, 31), timezone.localdate())
    placement = (
        Placement.objects.active_on(on)
        .filter(member_id=assessment.member_id, kind=PlacementKind.OFFICIAL)
        .select_related("unit")
        .order_by("-start", "-pk")
        .first()
    )
    return placement.unit if placement is not None else assessment.member.home_unit


def _secretary(cell: OrgUnit, on: dt.date) -> tuple[str, str]:
    """Who signs for the cell: its secretary on `on`, or failing one the deputy. (title,
    name); an empty name leaves the line to be filled in by hand."""
    held = Position.objects.held_on(on).filter(unit=cell)
    for kind, title in (
        (PositionKind.SECRETARY, "BÍ THƯ"),
        (PositionKind.DEPUTY_SECRETARY, "PHÓ BÍ THƯ"),
    ):
        post = held.filter(kind=kind).select_related("member").order_by("-start", "pk").first()
        if post is not None:
            return title, post.member.full_name
    return "BÍ THƯ", ""


def _header(doc, cell: OrgUnit | None, day: dt.date | None, year: int) -> None:
    """Top left the party body above the cell and the cell itself, in bold, and a star; top
    right the national heading and the place and date (left blank for the member to fill in
    until the self-assessment is submitted)."""
    on = day or min(dt.date(year, 12, 31), timezone.localdate())
    head = issuers.letterhead(cell, on) if cell is not None else None
    left, right = pf.two_columns(doc, pf.HEADER_LEFT_MM)
    lines = []
    if head is not None and head.superior:
        lines.append((head.superior, False))
    lines.append((head.issuer if head is not None else "CHI BỘ " + "." * 20, True))
    lines.append(("*", False))
    for i, (text, bold) in enumerate(lines):
        pf.paragraph(left, text, bold=bold, align=pf.CENTER, first=i == 0)
    pf.paragraph(
        right,
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        bold=True,
        underline=True,
        size=15,
        align=pf.CENTER,
        first=True,
    )
    for _i in range(len(lines) - 2):
        pf.paragraph(right, "", align=pf.CENTER)
    place = (head.place if head is not None else "") or "......"
    when = pf.date_text(day) if day else f"ngày ..... tháng ..... năm {year}"
    pf.paragraph(right, f"{place}, {when}", italic=True, align=pf.CENTER)


def _heading(doc, text: str):
    return pf.paragraph(doc, text, bold=True, align=pf.JUSTIFY)


def _body(doc, text: str) -> None:
    """The member's text, a paragraph per line; a dotted line when they wrote nothing."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [DOTS]:
        pf.paragraph(doc, line, align=pf.JUSTIFY, indent=True)


def _self_rating(doc, assessment: SelfAssessment) -> None:
    if assessment.general_score is not None or assessment.results_score is not None:
        general = assessment.general_score
        results = assessment.results_score
        r = ratable.year_rules(assessment.year, cell_of(assessment))
        points = r.evaluation_points or {}
        top_g, top_r = points.get("general", 0), points.get("results", 0)

        def shown(value: int | None) -> str:
            return "....." if value is None else str(value)

        pf.paragraph(
            doc,
            f"- Tiêu chí chung: {shown(general)}/{top_g} điểm; kết quả thực hiện chức trách, "
            f"nhiệm vụ được giao: {shown(results)}/{top_r} điểm; tổng cộng: "
            f"{shown(assessment.score)}/{top_g + top_r} điểm.",
            align=pf.JUSTIFY,
        )
        if assessment.tasks_all_done is not None:
            done = "có" if assessment.tasks_all_done else "không"
            pf.paragraph(doc, f"- Hoàn thành tất cả nhiệm vụ được giao: {done}.")
        if assessment.exceeded_share is not None:
            pf.paragraph(
                doc, f"- Tỷ lệ nhiệm vụ hoàn thành vượt mức: {assessment.exceeded_share}%."
            )
    level = LEVEL_TEXT.get(Level(assessment.proposed_level)) if assessment.proposed_level else ""
    pf.paragraph(
        doc,
        f"- Tự nhận mức xếp loại chất lượng đảng viên: {level or DOTS}.",
        align=pf.JUSTIFY,
    )


def _cell_opinion(doc, assessment: SelfAssessment, cell: OrgUnit | None) -> None:
    """The block the cell fills in after its discussion: its opinion, the level it proposes
    (written in when the proposal is recorded), and its secretary's signature."""
    pf.paragraph(doc, "")
    pf.paragraph(doc, "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ", bold=True, align=pf.CENTER, space_after=6)
    for _i in range(3):
        pf.paragraph(doc, "." * 90, align=pf.JUSTIFY)
    row = Evaluation.objects.filter(member_id=assessment.member_id, year=assessment.year).first()
    if row is not None and row.proposed_level:
        votes = ""
        if row.proposed_votes is not None and row.proposed_voters:
            votes = f" ({row.proposed_votes}/{row.proposed_voters} đảng viên tán thành)"
        proposed = LEVEL_TEXT[Level(row.proposed_level)] + votes
    else:
        proposed = DOTS
    pf.paragraph(doc, f"Chi bộ đề xuất mức xếp loại: {proposed}.", align=pf.JUSTIFY)
    on = (row.proposed_on if row is not None else None) or min(
        dt.date(assessment.year, 12, 31), timezone.localdate()
    )
    title, name = _secretary(cell, on) if cell is not None else ("BÍ THƯ", "")
    pf.add_signatures(doc, [], pf.signer(["T/M CHI BỘ", title], name))


def self_assessment_docx(assessment: SelfAssessment) -> bytes:
    """The member's self-assessment (bản kiểm điểm cá nhân) of `assessment.year`."""
    member = assessment.member
    cell = cell_of(assessment)
    submitted = (
        timezone.localtime(assessment.submitted_at).date() if assessment.submitted_at else None
    )
    doc = pf.new_document(title="Bản kiểm điểm cá nhân")
    _header(doc, cell, submitted, assessment.year)
    if submitted is None:
        pf.add_draft_mark(doc)
    pf.add_title(doc, "BẢN KIỂM ĐIỂM CÁ NHÂN", f"Năm {assessment.year}")

    on = submitted or min(dt.date(assessment.year, 12, 31), timezone.localdate())
    birth = member.birth_date.strftime("%d/%m/%Y") if member.birth_date else DOTS
    pf.paragraph(doc, f"- Họ và tên: {member.full_name}", align=pf.LEFT)
    pf.paragraph(doc, f"- Ngày sinh: {birth}", align=pf.LEFT)
    pf.paragraph(doc, f"- Chức vụ đảng: {party_posts(member, on)}", align=pf.LEFT)
    where = issuers.body_name(cell) if cell is not None else DOTS
    if cell is not None and cell.parent is not None:
        where = f"{where}, {issuers.body_name(cell.parent)}"
    pf.paragraph(doc, f"- Sinh hoạt tại: {where}", align=pf.LEFT, space_after=6)

    answers = assessment.answers or {}
    items = criteria.criteria(assessment.form)
    sections = iter(ROMAN)
    _heading(doc, f"{next(sections)}. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC")
    points = [c for c in items if c.key not in OWN_SECTIONS]
    for i, item in enumerate(points, start=1):
        _heading(doc, f"{i}. {POINTS_OF_SECTION_I.get(item.key, str(item.title))}")
        _body(doc, answers.get(item.key, ""))
    if assessment.strengths.strip():
        _heading(doc, "Ưu điểm nổi bật")
        _body(doc, assessment.strengths)
    _heading(doc, f"{next(sections)}. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN")
    _body(doc, assessment.shortcomings)
    for item in items:
        if item.key in OWN_SECTIONS:
            _heading(doc, f"{next(sections)}. {OWN_SECTIONS[item.key]}")
            _body(doc, answers.get(item.key, ""))
    _heading(doc, f"{next(sections)}. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM")
    _body(doc, assessment.remedies)
    _heading(doc, f"{next(sections)}. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG")
    _self_rating(doc, assessment)

    pf.add_signatures(
        doc,
        [],
        [
            pf.Line("NGƯỜI TỰ KIỂM ĐIỂM", bold=True),
            pf.Line("(Ký, ghi rõ họ tên)", size=13),
            pf.Line(),
            pf.Line(),
            pf.Line(),
            pf.Line(member.full_name, bold=True),
        ],
    )
    _cell_opinion(doc, assessment, cell)
    return pf.to_bytes(doc)
