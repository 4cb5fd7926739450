"""Receipts of party dues as Word files: for a remittance (the receiving level issues it) and
for a member's payment (the cell issues it); who may download them."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from chibo.accounts.models import Role
from chibo.documents import docx_dues
from chibo.dues.models import DuesCharge, DuesPayment, Remittance, Source
from chibo.testing import factories as f

D = dt.date
MAR = D(2026, 3, 1)


def text_of(data: bytes) -> list[str]:
    """Every paragraph of the document, in the tables too, in order."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return [line for line in lines if line.strip()]


@pytest.fixture
def remittance(world):
    return Remittance.objects.create(
        unit=world.cell, month=MAR, amount=1_250_000, paid_on=D(2026, 4, 5), receipt_number="12/PT"
    )


@pytest.fixture
def payment(world):
    DuesCharge.objects.create(member=world.member, month=MAR, cell=world.cell, amount=53_000)
    return DuesPayment.objects.create(
        member=world.member,
        month=MAR,
        amount=53_000,
        paid_on=D(2026, 3, 9),
        source=Source.STATEMENT,
        reference="DVC-2026-000123",
    )


def test_a_remittances_receipt_is_issued_by_the_level_that_received_it(world, remittance):
    lines = text_of(docx_dues.remittance_receipt_docx(remittance))
    for expected in (
        "ĐẢNG BỘ TỈNH THỬ",  # the receiver's superior
        "ĐẢNG BỘ XÃ AN HÒA",  # the receiver: the cell's base committee
        "Số: 12/PT",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "An Hòa, ngày 05 tháng 4 năm 2026",
        "PHIẾU THU ĐẢNG PHÍ",
        "Tháng 03/2026",
        "Nhận của: Chi bộ thôn Đông",
        "Nội dung: Nộp đảng phí tháng 03/2026",
        "Số tiền: 1.250.000 đồng",
        "Viết bằng chữ: Một triệu hai trăm năm mươi nghìn đồng",
        "NGƯỜI NỘP",
        "NGƯỜI THU",
    ):
        assert expected in lines, (expected, lines)
    assert lines.index("PHIẾU THU ĐẢNG PHÍ") < lines.index("Số tiền: 1.250.000 đồng")


def test_the_base_committees_receipt_and_the_provinces(world):
    base = Remittance.objects.create(
        unit=world.base, month=MAR, amount=61_753, paid_on=D(2026, 4, 9)
    )
    lines = text_of(docx_dues.remittance_receipt_docx(base))
    assert "ĐẢNG BỘ TỈNH THỬ" in lines and "Nhận của: Đảng bộ xã An Hòa" in lines
    assert "Số: ......" in lines  # no number recorded: left to fill in
    assert "Viết bằng chữ: Sáu mươi mốt nghìn bảy trăm năm mươi ba đồng" in lines
    province = Remittance.objects.create(
        unit=world.province, month=MAR, amount=2_000_000, paid_on=D(2026, 4, 20)
    )
    lines = text_of(docx_dues.remittance_receipt_docx(province))
    assert "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG" in lines
    assert "Hà Nội, ngày 20 tháng 4 năm 2026" in lines
    assert "Nhận của: Đảng bộ tỉnh Thử" in lines


def test_a_members_receipt_is_issued_by_the_cell(world, payment):
    lines = text_of(docx_dues.payment_receipt_docx(payment))
    for expected in (
        "ĐẢNG BỘ XÃ AN HÒA",
        "CHI BỘ THÔN ĐÔNG",
        "PHIẾU THU ĐẢNG PHÍ",
        "Tháng 03/2026",
        "Họ và tên người nộp: đồng chí Nguyễn Văn Hùng",
        "Hình thức nộp: Nộp qua Cổng Dịch vụ công quốc gia (mã giao dịch DVC-2026-000123)",
        "Số tiền: 53.000 đồng",
        "Viết bằng chữ: Năm mươi ba nghìn đồng",
        "NGƯỜI NỘP",
        "Nguyễn Văn Hùng",
        "NGƯỜI THU",
    ):
        assert expected in lines, (expected, lines)


def test_downloads_and_who_may(world, cast, client_for, remittance, payment):
    url = reverse("documents:remittance_receipt", args=[remittance.pk])
    r = client_for(cast.secretary).get(url)
    assert r.status_code == 200
    assert (
        r["Content-Disposition"]
        == 'attachment; filename="phieu-thu-dang-phi-x01-cb01-2026-03.docx"'
    )
    assert "Số tiền: 1.250.000 đồng" in text_of(r.content)
    assert client_for(cast.viewer).get(url).status_code == 200  # the receiving level reads it
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.viewer).post(url).status_code == 405
    assert (
        client_for(cast.viewer)
        .get(reverse("documents:remittance_receipt", args=[remittance.pk + 100]))
        .status_code
        == 404
    )

    url = reverse("documents:payment_receipt", args=[payment.pk])
    r = client_for(cast.member).get(url)  # the member's own
    assert r.status_code == 200
    assert "Số tiền: 53.000 đồng" in text_of(r.content)
    assert client_for(cast.secretary).get(url).status_code == 200
    assert client_for(cast.base_officer).get(url).status_code == 200
    assert client_for(cast.outsider).get(url).status_code == 404
    someone = f.user(username="someone", member=world.member2, grants=[(Role.MEMBER, world.cell2)])
    assert client_for(someone).get(url).status_code == 404  # another member's payment
    assert client_for(cast.member).post(url).status_code == 405
