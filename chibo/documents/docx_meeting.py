"""The minutes (biên bản) and the resolution (nghị quyết) of a meeting as Word files, from the
meeting's record: roster, guests, votes, resolution text. Read only: numbering and the checks
before issuing are in services.meeting_document."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo import rules
from chibo.core import formats
from chibo.meetings import services as meeting_services
from chibo.meetings.models import (
    Kind,
    Meeting,
    Outcome,
    Presence,
    QualityScore,
    Rating,
    State,
    VoteMethod,
)
from chibo.meetings.services import prepare as preparing
from chibo.meetings.services import quality
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


def _heading(doc, text: str):
    return pf.paragraph(doc, text, bold=True, align=pf.LEFT)


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
    if not written:
        pf.paragraph(doc, "(Chưa ghi nội dung.)", italic=True, indent=True)

    # The closing and the signatures stay on one page (keep with next, a row that never splits).
    _heading(doc, "III. KẾT THÚC").paragraph_format.keep_with_next = True
    if meeting.ended_at:
        ended = timezone.localtime(meeting.ended_at)
        same_day = started is not None and ended.date() == started.date()
        on = "cùng ngày" if same_day else pf.date_text(ended.date())
        length = meeting.duration_minutes
        duration = f"; thời gian sinh hoạt: {n(length)} phút" if length is not None else ""
        closing = pf.paragraph(
            doc, f"Cuộc họp kết thúc lúc {pf.time_text(ended)} {on}{duration}.", indent=True
        )
        closing.paragraph_format.keep_with_next = True
    if meeting.state == State.ADOPTED:
        adopted = pf.paragraph(
            doc,
            "Biên bản đã được đọc lại cho chi bộ nghe và được chi bộ thông qua.",
            align=pf.JUSTIFY,
            indent=True,
        )
        adopted.paragraph_format.keep_with_next = True
    pf.add_signatures(doc, pf.signer(["THƯ KÝ"], taker), pf.signer(["CHỦ TRÌ"], chair))
    return pf.to_bytes(doc)


# What the meeting went through, item by item of its agenda ------------------------------------

# Which agenda item carries which part of the record, by words of its title (the national
# agenda's, 12-HD/BTCTW; a province's own wording mostly keeps them). A part whose item is not
# on the agenda comes after the agenda, under its own title, so nothing recorded is left out.
SLOTS: list[tuple[str, tuple[str, ...], str]] = [
    ("dues", ("đảng phí",), "Thu đảng phí"),
    ("officers", ("thư ký",), "Cử thư ký ghi biên bản"),
    ("review", ("kiểm điểm", "tháng trước"), "Kiểm điểm việc thực hiện nhiệm vụ tháng trước"),
    ("proposals", ("kiến nghị",), "Ý kiến, kiến nghị của đảng viên và quần chúng"),
    ("tasks", ("nhiệm vụ tháng tới", "phân công"), "Nhiệm vụ giao cho đảng viên"),
    ("speeches", ("thảo luận", "phát biểu"), "Ý kiến phát biểu"),
    ("votes", ("biểu quyết", "nghị quyết"), "Biểu quyết"),
    ("score", ("chấm điểm",), "Chấm điểm chất lượng buổi sinh hoạt"),
]
OUTCOME_TEXT = {
    Outcome.DONE: "đã hoàn thành",
    Outcome.LATE: "hoàn thành muộn",
    Outcome.CARRIED: "chưa hoàn thành, chuyển sang tháng sau",
    Outcome.DROPPED: "thôi thực hiện",
}
RATING_TEXT = {
    Rating.GOOD: "Tốt",
    Rating.FAIR: "Khá",
    Rating.AVERAGE: "Trung bình",
    Rating.POOR: "Kém",
}


def slots_of(titles: list[str]) -> dict[int, str]:
    """Index of the agenda item -> the part of the record it carries (each part once, on the
    first item whose title names it)."""
    out: dict[int, str] = {}
    for key, words, _title in SLOTS:
        for i, title in enumerate(titles):
            if i not in out and any(w in title.lower() for w in words):
                out[i] = key
                break
    return out


# A paragraph of the record's parts: its text, and whether its first line is indented.
Para = tuple[str, bool]


def _lines(text: str) -> list[Para]:
    return [(line.strip(), True) for line in text.splitlines() if line.strip()]


def _assignee(task) -> str:
    if task.member:
        return f"đồng chí {task.member.full_name}"
    return task.group.name if task.group else ""


def _dues(meeting: Meeting) -> list[Para]:
    rows = list(meeting.dues.select_related("member"))
    paid = [r for r in rows if r.collected]
    unpaid = [r for r in rows if not r.collected]
    out: list[Para] = []
    if paid:
        which = ", ".join(f"{m:%m/%Y}" for m in sorted({r.month for r in paid}))
        people = formats.number(len({r.member_id for r in paid}))
        total = formats.number(sum(r.amount for r in paid))
        out.append(
            (
                f"- Đã thu đảng phí của {people} đảng viên (tháng {which}), "
                f"tổng số tiền {total} đồng.",
                False,
            )
        )
    if unpaid:
        names = ", ".join(f"đồng chí {r.member.full_name} (tháng {r.month:%m/%Y})" for r in unpaid)
        out.append((f"- Chưa nộp: {names}.", False))
    return out


def _review(meeting: Meeting) -> list[Para]:
    reviews = list(
        meeting.task_reviews.select_related("task__member", "task__group").order_by(
            "task__due_on", "task_id"
        )
    )
    if not reviews:
        return []
    count = {o: sum(1 for r in reviews if r.outcome == o) for o in Outcome}
    out: list[Para] = [
        (
            f"- Kiểm điểm {formats.number(len(reviews))} nhiệm vụ giao ở các buổi sinh hoạt "
            f"trước: hoàn thành {count[Outcome.DONE]}, hoàn thành muộn {count[Outcome.LATE]}, "
            f"chuyển sang tháng sau {count[Outcome.CARRIED]}, "
            f"thôi thực hiện {count[Outcome.DROPPED]}.",
            False,
        )
    ]
    for r in reviews:
        t = r.task
        note = f"; {r.note.strip()}" if r.note.strip() else ""
        out.append(
            (
                f"  + {t.text.strip()} ({_assignee(t)}; hạn {formats.date(t.due_on)}): "
                f"{OUTCOME_TEXT[Outcome(r.outcome)]}{note}.",
                False,
            )
        )
    return out


def _officers(meeting: Meeting) -> list[Para]:
    if meeting.minute_taker is None:
        return []
    return [(f"- Chi bộ cử đồng chí {meeting.minute_taker.full_name} làm thư ký.", False)]


def _proposals(meeting: Meeting) -> list[Para]:
    out: list[Para] = []
    for p in meeting.proposals.select_related("member"):
        who = f"đồng chí {p.member.full_name}" if p.member else p.source
        out.append((f"- {p.text.strip()} ({who}; gửi {p.addressed_to}).", False))
    return out


def _tasks(meeting: Meeting) -> list[Para]:
    tasks = meeting.tasks.select_related("member", "group").order_by("due_on", "pk")
    return [
        (f"- {t.text.strip()} ({_assignee(t)}; hạn {formats.date(t.due_on)}).", False)
        for t in tasks
    ]


def _speeches(meeting: Meeting) -> list[Para]:
    speeches = meeting.speeches.select_related("member").order_by("order", "pk")
    return [
        (
            f"- Đồng chí {sp.member.full_name if sp.member else sp.speaker}: {sp.summary.strip()}",
            False,
        )
        for sp in speeches
    ]


def _votes(meeting: Meeting) -> list[Para]:
    out: list[Para] = []
    if meeting.resolution.strip():
        out.append(("Chi bộ thảo luận và thống nhất các nội dung sau:", True))
        out += _lines(meeting.resolution)
    out += [(_vote_line(vote), False) for vote in meeting.votes.all()]
    return out


def _score(meeting: Meeting) -> list[Para]:
    score = QualityScore.objects.filter(meeting=meeting).first()
    if score is None:
        return []
    most = sum((rules.at(meeting.day, meeting.cell).quality_max or {}).values())
    try:
        rating = quality.meeting_rating(meeting)
    except ValidationError:  # no rule for the rating in force that day
        rating = None
    rated = f"; xếp loại {RATING_TEXT[rating]}" if rating else ""
    out_of = f"/{most}" if most else ""
    return [(f"- Chi bộ tự chấm {score.total}{out_of} điểm{rated}.", False)]


PARTS = {
    "dues": _dues,
    "officers": _officers,
    "review": _review,
    "proposals": _proposals,
    "tasks": _tasks,
    "speeches": _speeches,
    "votes": _votes,
    "score": _score,
}


def _write(doc, paras: list[Para]) -> None:
    for text, indent in paras:
        pf.paragraph(doc, text, align=pf.JUSTIFY, indent=indent)


def _content(doc, meeting: Meeting) -> bool:
    """The agenda, item by item in its order: each with its notes, the documents posted for
    it, and the part of the record it carries (dues, last month's tasks reviewed, proposals,
    tasks given, speeches, the resolution and votes, the score). Parts whose item is not on
    the agenda follow it, under their own title. False when nothing was written."""
    items = preparing.agenda_of(meeting)
    documents = list(meeting.documents.defer("content").order_by("posted_at", "pk"))
    loose = [d.title for d in documents if d.agenda_item_id is None]
    if loose:
        _write(doc, [(f"Tài liệu sinh hoạt gửi đảng viên: {'; '.join(loose)}.", True)])
    slots = slots_of([i.title for i in items])
    number = 0
    written = bool(loose)

    def heading(title: str) -> None:
        nonlocal number
        number += 1
        pf.paragraph(doc, f"{number}. {title}", bold=True, align=pf.JUSTIFY, indent=True)

    for index, item in enumerate(items):
        heading(item.title)
        paras = _lines(item.notes)
        own = [d.title for d in documents if item.pk is not None and d.agenda_item_id == item.pk]
        if own:
            paras.append((f"- Tài liệu: {'; '.join(own)}.", False))
        if index in slots:
            paras += PARTS[slots[index]](meeting)
        _write(doc, paras)
        written = written or bool(paras)
    placed = set(slots.values())
    for key, _words, title in SLOTS:
        paras = [] if key in placed else PARTS[key](meeting)
        if paras:
            heading(title)
            _write(doc, paras)
            written = True
    return written


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
