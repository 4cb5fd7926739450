"""The member's self-assessment as a Word file (bản kiểm điểm cá nhân): its text, opened
with python-docx, and who may download it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document

from chibo.documents import docx_evaluation
from chibo.evaluation import services
from chibo.evaluation.models import Evaluation, Level, SelfAssessment
from chibo.members import services as ms
from chibo.members.models import PositionKind
from chibo.testing import factories as f

YEAR = timezone.localdate().year - 1
DEC = dt.date(YEAR, 12, 20)


@pytest.fixture
def campaign(world, cast):
    return services.campaign_open(
        unit=world.base,
        year=YEAR,
        self_due=dt.date(YEAR, 12, 10),
        cell_due=dt.date(YEAR, 12, 25),
        decision_due=dt.date(YEAR + 1, 1, 15),
        publish_due=dt.date(YEAR + 1, 1, 31),
        actor=cast.base_officer,
    )


@pytest.fixture
def assessment(world, cast, campaign) -> SelfAssessment:
    ms.position_create(
        actor=None,
        member=cast.secretary.member,
        kind=PositionKind.SECRETARY,
        unit=world.cell,
        start=dt.date(2020, 10, 1),
    )
    return services.self_assessment_save(
        campaign=campaign,
        member=world.member,
        answers={
            "qualities": "Luôn giữ vững lập trường chính trị.\nSống giản dị.",
            "duties": "Hoàn thành 12 nhiệm vụ được giao, vượt mức 4 nhiệm vụ.",
        },
        general_score=27,
        results_score=63,
        tasks_all_done=True,
        exceeded_share=33,
        strengths="Nhiệt tình, trách nhiệm.",
        shortcomings="Có lúc chưa chủ động.",
        remedies="Chủ động sắp xếp công việc.",
        proposed_level=Level.EXCELLENT,
        submit=True,
        actor=cast.member,
    )


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def test_the_word_file_text(world, cast, assessment):
    with translation.override("vi"):
        data = docx_evaluation.self_assessment_docx(assessment)
    text = text_of(data)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ XÃ AN HÒA" in text and "CHI BỘ THÔN ĐÔNG" in text
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and f"Năm {YEAR}" in text
    submitted = timezone.localtime(assessment.submitted_at).date()
    assert f"An Hòa, ngày {submitted.day:02d} tháng" in text
    assert "DỰ THẢO" not in text
    assert "- Họ và tên: Nguyễn Văn Hùng" in text
    assert "- Ngày sinh: 01/01/1980" in text
    assert "- Chức vụ đảng: Đảng viên" in text
    assert "- Sinh hoạt tại: Chi bộ thôn Đông, Đảng bộ xã An Hòa" in text
    # A section per criterion of the 366 form, with the member's text (each line its own
    # paragraph), and a dotted line where they wrote nothing.
    assert "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC" in text
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]

    def after(heading: str) -> list[str]:
        i = paragraphs.index(heading)
        return paragraphs[i + 1 : i + 3]

    assert after(
        "1. Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; tác "
        "phong, lề lối làm việc"
    ) == ["Luôn giữ vững lập trường chính trị.", "Sống giản dị."]
    assert after("2. Việc thực hiện chức trách, nhiệm vụ được giao")[0] == (
        "Hoàn thành 12 nhiệm vụ được giao, vượt mức 4 nhiệm vụ."
    )
    pledge = "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm"
    assert after(pledge)[0] == docx_evaluation.DOTS
    assert after("Ưu điểm nổi bật")[0] == "Nhiệt tình, trách nhiệm."
    assert after("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN")[0] == "Có lúc chưa chủ động."
    # The criteria that are sections of their own (124 and 366 forms), then the remedies.
    assert any(p.startswith("III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ") for p in paragraphs)
    assert "IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (nếu có)" in paragraphs
    assert any(p.startswith("V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN") for p in paragraphs)
    assert after("VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM")[0] == (
        "Chủ động sắp xếp công việc."
    )
    # The self-rating with the score under 366.
    assert "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG" in text
    assert "Tiêu chí chung: 27/30 điểm" in text and "63/70 điểm" in text and "90/100 điểm" in text
    assert "Tỷ lệ nhiệm vụ hoàn thành vượt mức: 33%" in text
    assert "Tự nhận mức xếp loại chất lượng đảng viên: Hoàn thành xuất sắc nhiệm vụ." in text
    # The signatures: the member's, then the cell's opinion and its secretary's.
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in text and "(Ký, ghi rõ họ tên)" in text
    assert text.count("Nguyễn Văn Hùng") == 2
    assert "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ" in text
    assert f"Chi bộ đề xuất mức xếp loại: {docx_evaluation.DOTS}." in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text and "Phạm Văn Bí Thư" in text


def test_the_cells_proposal_and_a_draft(world, cast, campaign, assessment):
    row = Evaluation.objects.get(campaign=campaign, member=world.member)
    services.evaluation_propose(
        evaluation=row, level=Level.EXCELLENT, votes=2, voters=2, on=DEC, actor=cast.secretary
    )
    with translation.override("vi"):
        text = text_of(docx_evaluation.self_assessment_docx(assessment))
    assert (
        "Chi bộ đề xuất mức xếp loại: Hoàn thành xuất sắc nhiệm vụ (2/2 đảng viên tán thành)."
        in text
    )
    # A draft: marked, the date left to be written by hand.
    draft = services.self_assessment_save(
        campaign=campaign,
        member=cast.secretary.member,
        answers={},
        actor=cast.secretary,
    )
    with translation.override("vi"):
        text = text_of(docx_evaluation.self_assessment_docx(draft))
    assert "DỰ THẢO" in text and f"ngày ..... tháng ..... năm {YEAR}" in text
    assert "- Chức vụ đảng: Bí thư chi bộ" in text
    assert f"Tự nhận mức xếp loại chất lượng đảng viên: {docx_evaluation.DOTS}." in text


def test_download_and_who(world, cast, assessment, client_for):
    url = reverse("documents:evaluation_self", args=[assessment.pk])
    for user in (cast.member, cast.secretary, cast.base_officer, cast.province_officer):
        r = client_for(user).get(url)
        assert r.status_code == 200, user
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert f'filename="ban-kiem-diem-nguyen-van-hung-{YEAR}.docx"' in r["Content-Disposition"]
    # Written in Vietnamese whatever the reader's language.
    c = client_for(cast.member)
    c.cookies["django_language"] = "en"
    text = text_of(c.get(url).content)
    assert "2. Việc thực hiện chức trách, nhiệm vụ được giao" in text
    assert "Results of the duties" not in text
    assert client_for(cast.outsider).get(url).status_code == 404
    other = f.user(username="dao", member=world.member2)  # another member: not theirs
    assert client_for(other).get(url).status_code == 404
    assert client_for(cast.member).post(url).status_code == 405
