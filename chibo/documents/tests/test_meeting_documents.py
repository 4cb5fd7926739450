import datetime as dt
import io
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn

from chibo import rules
from chibo.documents import docx_meeting, issuers
from chibo.documents import party_format as pf
from chibo.documents import services as ds
from chibo.documents.models import DocType, IssuedDocument, IssuerSettings, Term
from chibo.meetings import services as s
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Guest,
    Kind,
    Meeting,
    MeetingDocument,
    Outcome,
    Presence,
    State,
    Task,
    VoteKind,
)
from chibo.meetings.services import prepare, quality, record
from chibo.members import services as ms
from chibo.members.models import EventKind, PositionKind
from chibo.testing import factories as f

DAY = dt.date(2026, 3, 5)
RESOLUTION = (
    "1. Hoàn thành thu đảng phí quý I.\n2. Giao đồng chí Hùng theo dõi giao thông nông thôn."
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages are asserted in English
        yield


def at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def mark(m: Meeting, member, presence=Presence.PRESENT, reason=""):
    s.attendance_mark(
        meeting=m, version=v(m), member=member, presence=presence, reason=reason, actor=None
    )


def make_meeting(
    cell,
    *,
    day=DAY,
    adopt=True,
    passed=True,
    actor=None,
    absent_excused=(),
    absent_unexcused=(),
    kind=Kind.REGULAR,
    topic="",
) -> Meeting:
    """A held meeting: everyone present except those named; a resolution voted by hand."""
    m = s.meeting_create(
        cell=cell,
        kind=kind,
        planned_at=at(day),
        place="Nhà văn hóa thôn Đông",
        topic=topic,
        actor=None,
    )
    rows = s.roster_freeze(meeting=m, version=v(m), actor=None)
    excused = {p.pk for p in absent_excused}
    unexcused = {p.pk for p in absent_unexcused}
    for row in rows:
        if row.member_id in excused:
            mark(m, row.member, Presence.EXCUSED, "ốm")
        elif row.member_id in unexcused:
            mark(m, row.member, Presence.UNEXCUSED)
        elif row.exempt:
            mark(m, row.member, Presence.EXCUSED, "miễn sinh hoạt")
        else:
            mark(m, row.member)
    voters = [r for r in m.roster.all() if r.official and r.present and not r.away]
    votes_for = len(voters) if passed else 0
    s.vote_record(
        meeting=m,
        version=v(m),
        subject="Thông qua nghị quyết",
        kind=VoteKind.ORDINARY,
        method="hands",
        votes_for=votes_for,
        votes_against=len(voters) - votes_for,
        on_resolution=True,
        actor=None,
    )
    s.meeting_hold(
        meeting=m,
        version=v(m),
        started_at=at(day),
        ended_at=at(day, 21, 15),
        resolution=RESOLUTION,
        actor=None,
    )
    if adopt:
        s.meeting_adopt(meeting=m, version=v(m), actor=actor)
    m.refresh_from_db()
    return m


def read(data: bytes):
    return Document(io.BytesIO(data))


def lines(doc) -> list[str]:
    """Every paragraph's text, tables included, in order."""
    out = []
    for table in doc.tables:
        for cell in table.rows[0].cells:
            out += [p.text for p in cell.paragraphs]
    return out + [p.text for p in doc.paragraphs]


def header(doc) -> tuple[list[str], list[str]]:
    left, right = doc.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


@pytest.fixture
def cell_people(world, cast):
    """world.cell with: the secretary (in `cast`), world.member, three more officials, a
    probationary member and an exempt member."""
    cell = world.cell
    extra = [f.member(cell, full_name=f"Đảng viên {i}") for i in range(3)]
    probationary = f.member(cell, admitted_on=dt.date(2025, 12, 1), official_on=None)
    exempt = f.member(cell, full_name="Cụ Già")
    ms.event_create(actor=None, member=exempt, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1))
    ms.position_create(
        actor=None,
        member=cast.secretary.member,
        kind=PositionKind.SECRETARY,
        start=dt.date(2020, 6, 1),
        unit=cell,
    )
    return {"extra": extra, "probationary": probationary, "exempt": exempt}


# The header and the numbers -------------------------------------------------------------------


def test_resolution_header_number_and_text(world, cast, cell_people):
    m = make_meeting(world.cell, actor=cast.secretary)
    issued = ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=None)
    assert issued is not None and issued.code == "01-NQ/CB" and issued.term == 2025
    doc = read(docx_meeting.resolution_docx(m, issued))
    left, right = header(doc)
    assert left == ["ĐẢNG BỘ XÃ AN HÒA", "CHI BỘ THÔN ĐÔNG", "*", "Số 01-NQ/CB"]
    assert left and doc.tables[0].rows[0].cells[0].paragraphs[1].runs[0].bold
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    national = doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert national.bold and national.underline
    assert right[-1] == "An Hòa, ngày 05 tháng 3 năm 2026"
    assert doc.tables[0].rows[0].cells[1].paragraphs[-1].runs[0].italic
    text = lines(doc)
    assert "NGHỊ QUYẾT" in text and "Sinh hoạt chi bộ thường kỳ tháng 3 năm 2026" in text
    assert "DỰ THẢO" not in text  # adopted
    assert "1. Hoàn thành thu đảng phí quý I." in text
    assert "2. Giao đồng chí Hùng theo dõi giao thông nông thôn." in text
    # Signature: for the cell, its secretary on the meeting day; recipients on the left.
    assert {"T/M CHI BỘ", "BÍ THƯ", "Phạm Văn Bí Thư"} <= set(text)
    assert {"Nơi nhận:", "- Đảng ủy xã An Hòa,", "- Lưu chi bộ."} <= set(text)


def test_page_setup_follows_36_hd(world, cast, cell_people):
    m = make_meeting(world.cell, actor=cast.secretary)
    doc = read(docx_meeting.minutes_docx(m, None))
    section = doc.sections[0]
    # Word stores twentieths of a point: A4 to a tenth of a millimetre.
    assert round(section.page_width.mm, 1) == 210 and round(section.page_height.mm, 1) == 297
    assert 20 <= round(section.top_margin.mm, 1) <= 25
    assert 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14


def test_numbers_run_per_type_per_term_and_restart_in_a_new_term(world, cast, cell_people):
    first = make_meeting(world.cell, actor=cast.secretary)
    second = make_meeting(world.cell, day=dt.date(2026, 3, 20), actor=cast.secretary)
    a = ds.meeting_document(meeting=first, type=DocType.RESOLUTION, actor=None)
    b = ds.meeting_document(meeting=second, type=DocType.RESOLUTION, actor=None)
    minutes = ds.meeting_document(meeting=second, type=DocType.MINUTES, actor=None)
    assert (a.number, b.number) == (1, 2)
    assert minutes.code == "01-BB/CB"  # each type numbers on its own
    assert "Số 02-NQ/CB" in header(read(docx_meeting.resolution_docx(second, b)))[0]
    # The cell records its congress: from that day a new term, numbers start again at 01.
    Term.objects.create(unit=world.cell, starts_on=dt.date(2026, 4, 1), source="Đại hội chi bộ")
    third = make_meeting(world.cell, day=dt.date(2026, 4, 9), actor=cast.secretary)
    c = ds.meeting_document(meeting=third, type=DocType.RESOLUTION, actor=None)
    assert (c.number, c.term, c.code) == (1, 2026, "01-NQ/CB")
    # Another cell numbers on its own.
    other = ds.document_number(issuer=world.cell2, type=DocType.RESOLUTION, on=DAY, actor=None)
    assert other.number == 1


def test_numbering_is_idempotent_per_meeting_and_type(world, cast, cell_people):
    m = make_meeting(world.cell, actor=cast.secretary)
    one = ds.document_number(
        issuer=world.cell, type=DocType.RESOLUTION, on=m.day, meeting=m, actor=None
    )
    again = ds.document_number(
        issuer=world.cell, type=DocType.RESOLUTION, on=m.day, meeting=m, actor=None
    )
    assert one.pk == again.pk and IssuedDocument.objects.count() == 1
    # Documents without a meeting each take a new number.
    plain = [
        ds.document_number(issuer=world.cell, type=DocType.RESOLUTION, on=DAY, actor=None).number
        for _ in range(2)
    ]
    assert plain == [2, 3]


def test_number_needs_a_term_and_a_known_type(world):
    with pytest.raises(ValidationError, match="No committee term is recorded for 01/01/2001"):
        ds.document_number(
            issuer=world.cell, type=DocType.NOTICE, on=dt.date(2001, 1, 1), actor=None
        )
    with pytest.raises(ValidationError, match="Unknown document type"):
        ds.document_number(issuer=world.cell, type="XX", on=DAY, actor=None)


def test_symbol_and_place_can_be_set_per_unit(world):
    assert issuers.symbol(world.cell) == "CB" and issuers.symbol(world.base) == "ĐU"
    IssuerSettings.objects.create(unit=world.cell, symbol="CBĐ", place="Xã An Hòa")
    issued = ds.document_number(issuer=world.cell, type=DocType.DECISION, on=DAY, actor=None)
    assert issued.code == "01-QĐ/CBĐ"
    assert issuers.letterhead(world.cell, DAY).place == "Xã An Hòa"
    # The symbol is kept as it was when numbered.
    IssuerSettings.objects.filter(unit=world.cell).update(symbol="CB")
    issued.refresh_from_db()
    assert issued.code == "01-QĐ/CBĐ"


def test_date_and_number_texts():
    assert pf.date_text(dt.date(2026, 2, 9)) == "ngày 09 tháng 02 năm 2026"
    assert pf.date_text(dt.date(2026, 11, 25)) == "ngày 25 tháng 11 năm 2026"
    assert pf.number_text(5, "NQ", "CB") == "Số 05-NQ/CB"
    assert pf.number_text(123, "BB", "CB") == "Số 123-BB/CB"
    assert pf.number_text(None, "BB", "CB") == "Số    -BB/CB"


# The minutes ----------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    d = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{part}/{whole} ({str(d).replace('.', ',')}%)"


def test_minutes_attendance_figures_match_the_roster(world, cast, cell_people):
    extra = cell_people["extra"]
    m = make_meeting(
        world.cell,
        actor=cast.secretary,
        absent_excused=[extra[0]],
        absent_unexcused=[extra[1]],
    )
    Guest.objects.create(meeting=m, name="Trần Khách", role="Hội Nông dân")
    Guest.objects.create(meeting=m, name="Lê Theo Dõi", role="Đảng ủy viên", follower=True)
    issued = ds.meeting_document(meeting=m, type=DocType.MINUTES, actor=None)
    doc = read(docx_meeting.minutes_docx(m, issued))
    text = lines(doc)

    # Computed here from the roster rows, not through the code under test.
    rows = list(Attendance.objects.filter(meeting=m))
    total = len(rows)
    official = sum(r.official for r in rows)
    present = sum(r.presence == Presence.PRESENT and not r.away for r in rows)
    expected_absent = [r for r in rows if r.presence != Presence.PRESENT and not r.exempt]
    excused = sum(r.presence == Presence.EXCUSED for r in expected_absent)
    unexcused = sum(r.presence == Presence.UNEXCUSED for r in expected_absent)
    exempt = sum(r.exempt for r in rows)
    expected = sum(
        1 for r in rows if not r.away and (r.presence == Presence.PRESENT or not r.exempt)
    )
    assert (total, present, excused, unexcused, exempt) == (7, 4, 1, 1, 1)
    assert (
        f"- Tổng số đảng viên: {total} (chính thức: {official}, dự bị: {total - official}); "
        f"có mặt: {present}; vắng: {excused + unexcused} (có lý do: {excused}, "
        f"không lý do: {unexcused}); miễn sinh hoạt: {exempt}."
    ) in text
    assert f"- Tỷ lệ đảng viên dự sinh hoạt: {_pct(present, expected)}." in text
    assert "- Vắng có lý do: đồng chí Đảng viên 0 (ốm)." in text
    assert "- Vắng không lý do: đồng chí Đảng viên 1." in text
    # Guests: the superior follower first.
    follower = text.index(
        "  + Đồng chí Lê Theo Dõi, Đảng ủy viên (cấp ủy cấp trên theo dõi chi bộ)."
    )
    assert follower < text.index("  + Đồng chí Trần Khách, Hội Nông dân.")
    # The vote, with the counted members computed independently.
    counted = sum(
        r.official
        and not r.away
        and not (r.presence != Presence.PRESENT and (r.exempt or r.presence == Presence.EXCUSED))
        for r in rows
    )
    voters = sum(r.official and r.presence == Presence.PRESENT and not r.away for r in rows)
    vote_line = next(t for t in text if t.startswith("- Thông qua nghị quyết"))
    assert f"được tính {counted}; tán thành: {_pct(voters, counted)};" in vote_line
    assert "không tán thành: 0; không biểu quyết: 0. Kết quả: thông qua." in vote_line
    assert "1. Hoàn thành thu đảng phí quý I." in text
    assert "Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày; thời gian sinh hoạt: 105 phút." in text
    assert (
        "Hôm nay, vào lúc 19 giờ 30 phút, ngày 05 tháng 3 năm 2026" in text[text.index("-----") + 1]
    )
    assert {"THƯ KÝ", "CHỦ TRÌ", "BIÊN BẢN"} <= set(text)
    assert "Số 01-BB/CB" in header(doc)[0]


def test_draft_minutes_have_no_number_and_say_so(world, cast, cell_people):
    m = make_meeting(world.cell, adopt=False)
    assert m.state == State.HELD
    assert ds.meeting_document(meeting=m, type=DocType.MINUTES, actor=None) is None
    doc = read(docx_meeting.minutes_docx(m, None))
    assert "Số    -BB/CB" in header(doc)[0]
    assert "DỰ THẢO" in lines(doc)
    assert not IssuedDocument.objects.exists()


def test_failed_resolution_cannot_be_issued(world, cast, cell_people):
    m = make_meeting(world.cell, adopt=False, passed=False)
    with pytest.raises(ValidationError, match="The resolution did not pass and cannot be issued."):
        ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=None)
    with pytest.raises(ValidationError, match="did not pass"):
        docx_meeting.resolution_docx(m, None)
    # Its minutes, still a draft, can be written.
    assert ds.meeting_document(meeting=m, type=DocType.MINUTES, actor=None) is None


def test_planned_meeting_has_no_documents(world):
    m = s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
    with pytest.raises(ValidationError, match="only for a meeting that was held"):
        ds.meeting_document(meeting=m, type=DocType.MINUTES, actor=None)


def test_thematic_subtitle(world, cast, cell_people):
    m = make_meeting(world.cell, kind=Kind.THEMATIC, topic="Học tập và làm theo Bác")
    assert "Sinh hoạt chuyên đề “Học tập và làm theo Bác”" in lines(
        read(docx_meeting.minutes_docx(m, None))
    )


def _writer_installed() -> bool:
    """LibreOffice with its Writer: a machine may hold only Calc (libreoffice-calc-nogui),
    which cannot open a Word file."""
    soffice = shutil.which("soffice")
    if not soffice:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsw*lo.so"))


@pytest.mark.skipif(not _writer_installed(), reason="LibreOffice Writer is not installed")
def test_libreoffice_opens_the_file(world, cast, cell_people, tmp_path):
    m = make_meeting(world.cell, actor=cast.secretary)
    issued = ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=None)
    path = tmp_path / "nq.docx"
    path.write_bytes(docx_meeting.resolution_docx(m, issued))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "nq.pdf").stat().st_size > 1000


# Views ----------------------------------------------------------------------------------------


def test_download_works_for_readers_of_the_cell(world, cast, cell_people, client_for):
    m = make_meeting(world.cell, actor=cast.secretary)
    for user in (cast.secretary, cast.viewer, cast.base_officer, cast.province_officer):
        r = client_for(user).get(reverse("documents:resolution_docx", args=[m.pk]))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert r["Content-Disposition"] == (
            'attachment; filename="nghi-quyet-so-01-x01-cb01-2026-03-05.docx"'
        )
        assert "Số 01-NQ/CB" in header(read(r.content))[0]
    r = client_for(cast.viewer).get(reverse("documents:minutes_docx", args=[m.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].isascii()
    assert IssuedDocument.objects.count() == 2  # one number each, however often downloaded


def test_draft_download_is_marked(world, cast, cell_people, client_for):
    m = make_meeting(world.cell, adopt=False)
    r = client_for(cast.secretary).get(reverse("documents:minutes_docx", args=[m.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('-du-thao.docx"')
    assert "Số    -BB/CB" in header(read(r.content))[0]


def test_outsider_gets_404_and_a_plain_member_403(world, cast, cell_people, client_for):
    m = make_meeting(world.cell, actor=cast.secretary)
    for name in ("minutes_docx", "resolution_docx"):
        url = reverse(f"documents:{name}", args=[m.pk])
        assert client_for(cast.outsider).get(url).status_code == 404
        # A member sees the cell's schedule, not the minutes (absentees and their reasons).
        assert client_for(cast.member).get(url).status_code == 403
    missing = reverse("documents:minutes_docx", args=[999999])
    assert client_for(cast.secretary).get(missing).status_code == 404


def test_wrong_method_is_405(world, cast, cell_people, client_for):
    m = make_meeting(world.cell, actor=cast.secretary)
    for name in ("minutes_docx", "resolution_docx"):
        url = reverse(f"documents:{name}", args=[m.pk])
        assert client_for(cast.secretary).post(url).status_code == 405


def test_anonymous_is_sent_to_login(world, cast, cell_people, client):
    m = make_meeting(world.cell, actor=cast.secretary)
    r = client.get(reverse("documents:minutes_docx", args=[m.pk]))
    assert r.status_code == 302 and "login" in r["Location"]


def test_failed_resolution_download_is_refused(world, cast, cell_people, client_for):
    m = make_meeting(world.cell, adopt=False, passed=False)
    r = client_for(cast.secretary).get(
        reverse("documents:resolution_docx", args=[m.pk]), follow=True
    )
    # Back on the meeting page with the reason, in the user's language (Vietnamese by default).
    assert r.redirect_chain[-1][0] == reverse("meetings:detail", args=[m.pk])
    assert "Nghị quyết không được thông qua nên không thể ban hành." in r.content.decode()
    assert not IssuedDocument.objects.exists()


# The minutes follow the agenda -----------------------------------------------------------------
# Item by item, with the record of each: the notes, last month's tasks reviewed, the dues
# collected, the documents, speeches, tasks given, the votes and the score; then the length,
# and a signature block that never splits.

MARCH, APRIL = dt.date(2026, 3, 5), dt.date(2026, 4, 2)
TASKS = ["Vận động hộ nghèo", "Sửa đường liên thôn", "Phát quang kênh mương"]


def body(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def between(text: list[str], start: str, end: str) -> list[str]:
    """The paragraphs after the heading `start` and before the next heading `end`."""
    i = text.index(start)
    return text[i + 1 : text.index(end, i)]


def test_the_minutes_go_through_the_agenda_with_the_record_of_each_item(world, cast, cell_people):
    extra = cell_people["extra"]
    march = make_meeting(world.cell, day=MARCH, adopt=False)
    given = [
        record.task_create(
            meeting=march,
            version=v(march),
            text=text,
            due_on=dt.date(2026, 3, 31),
            member=world.member,
            actor=cast.secretary,
        )
        for text in TASKS
    ]
    s.meeting_adopt(meeting=march, version=v(march), actor=cast.secretary)

    april = make_meeting(world.cell, day=APRIL, adopt=False)
    record.tasks_carry_over(meeting=april, actor=cast.secretary)
    for task, outcome, note in zip(
        given, [Outcome.DONE, Outcome.LATE, Outcome.CARRIED], ["", "chậm 1 tuần", ""], strict=True
    ):
        record.task_review(
            meeting=april, version=v(april), task=task, outcome=outcome, note=note, actor=None
        )
    prepare.agenda_save(meeting=april, version=v(april), changes=[], actor=None)
    news_title = "Thông tin thời sự, chủ trương, chính sách mới"
    prepare.agenda_save(
        meeting=april,
        version=v(april),
        changes=[
            prepare.ItemChange(
                pk=i.pk,
                section=i.section,
                title=i.title,
                notes="Phổ biến Nghị quyết 57.\nLịch tiêm chủng." if i.title == news_title else "",
            )
            for i in AgendaItem.objects.filter(meeting=april).order_by("order")
        ],
        actor=None,
    )
    news = AgendaItem.objects.get(meeting=april, title=news_title)
    doc_row = {
        "meeting": april,
        "content": b"x",
        "size": 1,
        "content_type": "application/pdf",
        "posted_by": cast.secretary,
    }
    MeetingDocument.objects.create(
        **doc_row, agenda_item=news, title="Nghị quyết 57-NQ/TW", filename="nq57.pdf"
    )
    MeetingDocument.objects.create(**doc_row, title="Báo cáo tháng 3", filename="bc.pdf")
    record.speech_add(
        meeting=april,
        version=v(april),
        summary="Đề nghị làm đường sớm.",
        member=extra[0],
        actor=None,
    )
    record.task_create(
        meeting=april,
        version=v(april),
        text="Thu quỹ khuyến học",
        due_on=dt.date(2026, 4, 30),
        member=extra[1],
        actor=None,
    )
    amounts = {world.member: 50_000, extra[0]: 30_000}
    for member, amount in amounts.items():
        record.dues_record(
            meeting=april, version=v(april), member=member, month=APRIL, amount=amount, actor=None
        )
    record.dues_record(
        meeting=april,
        version=v(april),
        member=extra[2],
        month=APRIL,
        amount=0,
        collected=False,
        actor=None,
    )
    maxima = rules.at(APRIL, world.cell).quality_max or {}
    quality.quality_score_set(meeting=april, version=v(april), points=maxima, actor=cast.secretary)
    s.meeting_adopt(meeting=april, version=v(april), actor=cast.secretary)
    april.refresh_from_db()

    doc = read(docx_meeting.minutes_docx(april, None))
    text = body(doc)
    agenda = [i.title for i in AgendaItem.objects.filter(meeting=april).order_by("order")]
    headings = [f"{n}. {title}" for n, title in enumerate(agenda, start=1)]
    # Every agenda item, numbered in the agenda's order, between II and III.
    at = [text.index(h) for h in headings]
    assert at == sorted(at) and text.index("II. NỘI DUNG") < at[0]
    assert at[-1] < text.index("III. KẾT THÚC")
    nxt = dict(zip(headings, [*headings[1:], "III. KẾT THÚC"], strict=True))

    def under(title: str) -> list[str]:
        h = headings[agenda.index(title)]
        return between(text, h, nxt[h])

    # Dues: two paid, 80.000 đồng in all (summed here), one not paid.
    total = f"{sum(amounts.values()):,}".replace(",", ".")
    assert total == "80.000"
    assert under("Thu đảng phí") == [
        f"- Đã thu đảng phí của 2 đảng viên (tháng 04/2026), tổng số tiền {total} đồng.",
        f"- Chưa nộp: đồng chí {extra[2].full_name} (tháng 04/2026).",
    ]
    assert under("Thông tin thời sự, chủ trương, chính sách mới") == [
        "Phổ biến Nghị quyết 57.",
        "Lịch tiêm chủng.",
        "- Tài liệu: Nghị quyết 57-NQ/TW.",
    ]
    who = f"đồng chí {world.member.full_name}; hạn 31/03/2026"
    assert under("Kiểm điểm việc thực hiện nhiệm vụ tháng trước") == [
        "- Kiểm điểm 3 nhiệm vụ giao ở các buổi sinh hoạt trước: hoàn thành 1, hoàn thành muộn 1,"
        " chuyển sang tháng sau 1, thôi thực hiện 0.",
        f"  + Vận động hộ nghèo ({who}): đã hoàn thành.",
        f"  + Sửa đường liên thôn ({who}): hoàn thành muộn; chậm 1 tuần.",
        f"  + Phát quang kênh mương ({who}): chưa hoàn thành, chuyển sang tháng sau.",
    ]
    assert under("Nhiệm vụ tháng tới, phân công đảng viên thực hiện") == [
        f"- Thu quỹ khuyến học (đồng chí {extra[1].full_name}; hạn 30/04/2026)."
    ]
    assert under("Thảo luận") == [f"- Đồng chí {extra[0].full_name}: Đề nghị làm đường sớm."]
    votes = under("Biểu quyết thông qua nghị quyết hoặc kết luận")
    assert votes[0] == "Chi bộ thảo luận và thống nhất các nội dung sau:"
    assert "1. Hoàn thành thu đảng phí quý I." in votes
    assert votes[-1].startswith("- Thông qua nghị quyết (biểu quyết giơ tay)")
    score = f"- Chi bộ tự chấm {sum(maxima.values())}/{sum(maxima.values())} điểm; xếp loại"
    assert under("Chấm điểm chất lượng buổi sinh hoạt")[0].startswith(score)
    assert under("Thông qua chương trình sinh hoạt") == []
    # The document not tied to an item is named before the agenda.
    assert text[text.index("II. NỘI DUNG") + 1] == (
        "Tài liệu sinh hoạt gửi đảng viên: Báo cáo tháng 3."
    )
    # The length, from 19:30 to 21:15.
    assert "Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày; thời gian sinh hoạt: 105 phút." in text
    assert Task.objects.filter(meeting=april).count() == 1


def test_parts_without_their_agenda_item_follow_the_agenda(world, cast, cell_people):
    """A province's agenda without a discussion item: the speeches still go in, after it."""
    m = make_meeting(world.cell, adopt=False)
    prepare.agenda_save(
        meeting=m,
        version=v(m),
        changes=[prepare.ItemChange(pk=None, section="content", title="Sinh hoạt chuyên môn")],
        actor=None,
    )
    record.speech_add(meeting=m, version=v(m), summary="Đồng ý.", speaker="Ông Tư", actor=None)
    text = body(read(docx_meeting.minutes_docx(m, None)))
    assert text.index("1. Sinh hoạt chuyên môn") < text.index("2. Ý kiến phát biểu")
    assert text[text.index("2. Ý kiến phát biểu") + 1] == "- Đồng chí Ông Tư: Đồng ý."
    assert "3. Biểu quyết" in text  # the resolution and its vote, with no item of their own


def test_the_signature_block_never_splits_from_its_names(world, cast, cell_people):
    m = make_meeting(world.cell, actor=cast.secretary)
    doc = read(docx_meeting.minutes_docx(m, None))
    signatures = doc.tables[-1]
    row = signatures.rows[0]
    assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    for cell in row.cells:
        texts = [p.text for p in cell.paragraphs]
        assert texts[0] in ("THƯ KÝ", "CHỦ TRÌ") and len(texts) == 5
        for p in cell.paragraphs:
            assert p.paragraph_format.keep_with_next and p.paragraph_format.keep_together
    # The closing paragraphs and the blank line before the table are kept with it.
    tail = doc.paragraphs[-4:]
    assert [p.text for p in tail] == [
        "III. KẾT THÚC",
        "Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày; thời gian sinh hoạt: 105 phút.",
        "Biên bản đã được đọc lại cho chi bộ nghe và được chi bộ thông qua.",
        "",
    ]
    assert all(p.paragraph_format.keep_with_next for p in tail)
    # In the XML: the table comes last in the body, after that blank paragraph.
    body_el = doc.element.body
    children = [c.tag.split("}")[1] for c in body_el.iterchildren()]
    assert children[-2:] == ["tbl", "sectPr"] and children[-3] == "p"
