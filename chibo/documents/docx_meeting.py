"""The minutes (biên bản) and the resolution (nghị quyết) of a meeting as Word files, from the
meeting's record: roster, guests, votes, resolution text. Read only: numbering and the checks
before issuing are in services.meeting_document."""

from dataclasses import dataclass

from django.utils import timezone

from chibo.core import formats
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Kind, Meeting, Presence, State, VoteMethod
from chibo.members.models import Position, PositionKind

from . import issuers
from . import party_format as pf
from .models import DocType, IssuedDocument
from .services import resolution_vote


@dataclass(frozen=True)
class Headcount:
    """The roster as the minutes report it."""

    total: int  # everyone on the roster
    official: int
    probationary: int
    present: int  # present here (members away on transfer attend elsewhere)
    expected: int  # whom the attendance rate counts (services.turnout)
    excused: int  # absent with a reason, among those expected
    unexcused: int
    unmarked: int  # attendance not recorded yet (a draft)
    exempt: int  # exempt from activities, attending or not
    away: int  # on temporary transfer to another cell
    excused_names: list[str]
    unexcused_names: list[str]


def headcount(meeting: Meeting) -> Headcount:
    rows = list(meeting.roster.select_related("member"))
    turnout = meeting_services.turnout(meeting)
    absent = [r for r in rows if not r.present and not r.away and not r.exempt]
    excused = [r for r in absent if r.presence == Presence.EXCUSED]
    unexcused = [r for r in absent if r.presence == Presence.UNEXCUSED]
    return Headcount(
        total=len(rows),
        official=sum(1 for r in rows if r.official),
        probationary=sum(1 for r in rows if not r.official),
        present=turnout.present,
        expected=turnout.expected,
        excused=len(excused),
        unexcused=len(unexcused),
        unmarked=sum(1 for r in absent if not r.presence),
        exempt=sum(1 for r in rows if r.exempt),
        away=sum(1 for r in rows if r.away),
        excused_names=[
            f"đồng chí {r.member.full_name}" + (f" ({r.reason})" if r.reason else "")
            for r in excused
        ],
        unexcused_names=[f"đồng chí {r.member.full_name}" for r in unexcused],
    )


def occasion(meeting: Meeting) -> str:
    """'sinh hoạt chi bộ thường kỳ tháng 3 năm 2026', for the subtitle and the opening."""
    day = meeting.day
    month = f"tháng {day.month} năm {day.year}"
    if meeting.kind == Kind.THEMATIC:
        text = f"sinh hoạt chuyên đề “{meeting.topic}”"
        return f"{text} kết hợp sinh hoạt chi bộ thường kỳ {month}" if meeting.combined else text
    if meeting.kind == Kind.EXTRAORDINARY:
        return "sinh hoạt chi bộ bất thường" + (f" về {meeting.topic}" if meeting.topic else "")
    if meeting.kind == Kind.COMMITTEE:
        return f"họp chi ủy chuẩn bị sinh hoạt chi bộ {month}"
    return f"sinh hoạt chi bộ thường kỳ {month}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _signed_for(meeting: Meeting) -> str:
    return "T/M CHI ỦY" if meeting.kind == Kind.COMMITTEE else "T/M CHI BỘ"


def secretary(meeting: Meeting) -> tuple[str, str]:
    """Who signs for the cell on the meeting day: the secretary, or failing one the deputy.
    (title, name); an empty name leaves the line to be filled in by hand."""
    held = Position.objects.held_on(meeting.day).filter(unit=meeting.cell)
    for kind, title in (
        (PositionKind.SECRETARY, "BÍ THƯ"),
        (PositionKind.DEPUTY_SECRETARY, "PHÓ BÍ THƯ"),
    ):
        post = held.filter(kind=kind).select_related("member").order_by("-start", "pk").first()
        if post is not None:
            return title, post.member.full_name
    return "BÍ THƯ", ""


def _start(doc, meeting: Meeting, issued: IssuedDocument | None, type: str, title: str) -> None:
    day = issued.issued_on if issued else meeting.day
    head = issuers.letterhead(meeting.cell, day)
    number = pf.number_text(issued.number if issued else None, type, head.symbol)
    pf.add_header(doc, head=head, number=number, day=day)
    if meeting.state != State.ADOPTED:
        pf.add_draft_mark(doc)
    pf.add_title(doc, title, _capital(occasion(meeting)))


def _text(doc, body: str) -> None:
    for line in body.splitlines():
        if line.strip():
            pf.paragraph(doc, line.strip(), align=pf.JUSTIFY, indent=True)


def _heading(doc, text: str) -> None:
    pf.paragraph(doc, text, bold=True, align=pf.LEFT)


def _vote_line(vote) -> str:
    how = "giơ tay" if vote.method == VoteMethod.HANDS else "ghi danh"
    result = "thông qua" if vote.passed else "không thông qua"
    return (
        f"- {vote.subject} (biểu quyết {how}): số đảng viên chính thức được tính "
        f"{formats.number(vote.counted)}; "
        f"tán thành: {formats.ratio(vote.votes_for, vote.counted)}; "
        f"không tán thành: {formats.number(vote.votes_against)}; "
        f"không biểu quyết: {formats.number(vote.abstained)}. Kết quả: {result}."
    )


def minutes_docx(meeting: Meeting, issued: IssuedDocument | None) -> bytes:
    """The minutes. Unnumbered and marked DỰ THẢO until adopted."""
    doc = pf.new_document(title="Biên bản")
    _start(doc, meeting, issued, DocType.MINUTES, "BIÊN BẢN")
    cell = issuers.body_name(meeting.cell)
    started = timezone.localtime(meeting.started_at) if meeting.started_at else None
    when = (
        f"vào lúc {pf.time_text(started)}, {pf.date_text(started.date())}"
        if started
        else pf.date_text(meeting.day)
    )
    place = f", tại {meeting.place}" if meeting.place else ""
    pf.paragraph(
        doc,
        f"Hôm nay, {when}{place}, {cell} tiến hành {occasion(meeting)}.",
        align=pf.JUSTIFY,
        indent=True,
    )

    _heading(doc, "I. THÀNH PHẦN")
    h = headcount(meeting)
    n = formats.number
    pf.paragraph(
        doc,
        f"- Tổng số đảng viên: {n(h.total)} (chính thức: {n(h.official)}, "
        f"dự bị: {n(h.probationary)}); có mặt: {n(h.present)}; "
        f"vắng: {n(h.excused + h.unexcused)} (có lý do: {n(h.excused)}, "
        f"không lý do: {n(h.unexcused)}); miễn sinh hoạt: {n(h.exempt)}.",
        align=pf.JUSTIFY,
    )
    if h.away:
        pf.paragraph(doc, f"- Sinh hoạt tạm thời ở chi bộ khác: {n(h.away)}.")
    if h.unmarked:
        pf.paragraph(doc, f"- Chưa ghi nhận có mặt: {n(h.unmarked)}.")
    if h.excused_names:
        pf.paragraph(doc, f"- Vắng có lý do: {', '.join(h.excused_names)}.", align=pf.JUSTIFY)
    if h.unexcused_names:
        pf.paragraph(doc, f"- Vắng không lý do: {', '.join(h.unexcused_names)}.", align=pf.JUSTIFY)
    pf.paragraph(doc, f"- Tỷ lệ đảng viên dự sinh hoạt: {formats.ratio(h.present, h.expected)}.")
    chair = meeting.chair.full_name if meeting.chair else ""
    taker = meeting.minute_taker.full_name if meeting.minute_taker else ""
    if chair or taker:
        pf.paragraph(
            doc,
            f"- Chủ trì: đồng chí {chair or '…'}; thư ký: đồng chí {taker or '…'}.",
            align=pf.JUSTIFY,
        )
    guests = list(meeting.guests.order_by("-follower", "pk"))
    if guests:
        pf.paragraph(doc, "- Khách mời:")
        for g in guests:
            role = f", {g.role}" if g.role else ""
            follows = " (cấp ủy cấp trên theo dõi chi bộ)" if g.follower else ""
            pf.paragraph(doc, f"  + Đồng chí {g.name}{role}{follows}.", align=pf.JUSTIFY)

    _heading(doc, "II. NỘI DUNG")
    written = _content(doc, meeting)
    if meeting.resolution.strip():
        pf.paragraph(doc, "Chi bộ thảo luận và thống nhất các nội dung sau:", indent=True)
        _text(doc, meeting.resolution)
    elif not written:
        pf.paragraph(doc, "(Chưa ghi nội dung.)", italic=True, indent=True)

    votes = list(meeting.votes.all())
    if votes:
        _heading(doc, "III. BIỂU QUYẾT")
        for vote in votes:
            pf.paragraph(doc, _vote_line(vote), align=pf.JUSTIFY)

    _heading(doc, "IV. KẾT THÚC" if votes else "III. KẾT THÚC")
    if meeting.ended_at:
        ended = timezone.localtime(meeting.ended_at)
        same_day = started is not None and ended.date() == started.date()
        on = "cùng ngày" if same_day else pf.date_text(ended.date())
        length = meeting.duration_minutes
        duration = f"; thời gian sinh hoạt: {n(length)} phút" if length is not None else ""
        pf.paragraph(
            doc, f"Cuộc họp kết thúc lúc {pf.time_text(ended)} {on}{duration}.", indent=True
        )
    if meeting.state == State.ADOPTED:
        pf.paragraph(
            doc,
            "Biên bản đã được đọc lại cho chi bộ nghe và được chi bộ thông qua.",
            align=pf.JUSTIFY,
            indent=True,
        )
    pf.add_signatures(doc, pf.signer(["THƯ KÝ"], taker), pf.signer(["CHỦ TRÌ"], chair))
    return pf.to_bytes(doc)


def _content(doc, meeting: Meeting) -> bool:
    """What the meeting went through, from the record: the agenda items with notes, who
    spoke and what they said, the tasks given. False when none of it was written."""
    part = 0

    def heading(text: str) -> None:
        nonlocal part
        part += 1
        pf.paragraph(doc, f"{part}. {text}:", bold=True, indent=True)

    items = [i for i in meeting.agenda.all() if i.notes.strip()]
    if items:
        heading("Các nội dung sinh hoạt")
        for item in items:
            pf.paragraph(doc, f"- {item.title}:", italic=True, align=pf.JUSTIFY, indent=True)
            _text(doc, item.notes)
    speeches = list(meeting.speeches.select_related("member").order_by("order", "pk"))
    if speeches:
        heading("Ý kiến phát biểu")
        for sp in speeches:
            who = sp.member.full_name if sp.member else sp.speaker
            pf.paragraph(doc, f"- Đồng chí {who}: {sp.summary.strip()}", align=pf.JUSTIFY)
    tasks = list(meeting.tasks.select_related("member", "group").order_by("due_on", "pk"))
    if tasks:
        heading("Nhiệm vụ giao cho đảng viên")
        for t in tasks:
            who = (
                f"đồng chí {t.member.full_name}" if t.member else (t.group.name if t.group else "")
            )
            due = formats.date(t.due_on)
            pf.paragraph(doc, f"- {t.text.strip()} ({who}; hạn {due}).", align=pf.JUSTIFY)
    return part > 0


def resolution_docx(meeting: Meeting, issued: IssuedDocument | None) -> bytes:
    """The resolution; the caller has checked that its vote passed (services.meeting_document).
    Unnumbered and marked DỰ THẢO until the minutes are adopted."""
    vote = resolution_vote(meeting)
    doc = pf.new_document(title="Nghị quyết")
    _start(doc, meeting, issued, DocType.RESOLUTION, "NGHỊ QUYẾT")
    pf.paragraph(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", indent=True)
    gathering = "họp chi ủy" if meeting.kind == Kind.COMMITTEE else "sinh hoạt chi bộ"
    pf.paragraph(
        doc,
        f"- Căn cứ kết quả thảo luận tại buổi {gathering} {pf.date_text(meeting.day)},",
        align=pf.JUSTIFY,
        indent=True,
    )
    body = "CHI ỦY" if meeting.kind == Kind.COMMITTEE else "CHI BỘ"
    pf.paragraph(doc, f"{body} QUYẾT NGHỊ:", bold=True, align=pf.CENTER, space_after=6)
    _text(doc, meeting.resolution)
    pf.paragraph(
        doc,
        f"Nghị quyết được biểu quyết thông qua với "
        f"{formats.ratio(vote.votes_for, vote.counted)} đảng viên chính thức tán thành.",
        align=pf.JUSTIFY,
        indent=True,
    )
    head = issuers.letterhead(meeting.cell, issued.issued_on if issued else meeting.day)
    to = [head.recipient] if head.recipient else []
    to.append("Lưu chi bộ")
    title, name = secretary(meeting)
    pf.add_signatures(
        doc,
        pf.recipients(to),
        pf.signer([_signed_for(meeting), title], name),
        left_align=pf.LEFT,
    )
    return pf.to_bytes(doc)
