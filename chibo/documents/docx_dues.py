"""Receipts of party dues (phiếu thu đảng phí) as Word files:

- for a remittance, the receipt the level above gives the unit that handed its dues up (the
  receiving level is the issuer: the unit's parent as the tree stood at the end of the month,
  the one whose report counts it; for a unit with no parent, a province, the Central
  Committee's Office);
- for a member's payment, the receipt the cell gives the member (the issuer is the cell the
  member's dues were charged to that month, else the member's cell).

The Vietnamese words here are the document's own text, not interface messages."""

import datetime as dt

from docx.document import Document as DocxDocument

from chibo.core import formats
from chibo.dues.models import DuesCharge, DuesPayment, Remittance, Source
from chibo.dues.remittance.queries import month_end
from chibo.org.models import OrgUnit

from . import issuers
from . import party_format as pf
from .amount_words import amount_in_words

TITLE = "PHIẾU THU ĐẢNG PHÍ"
PAYER, RECEIVER = "NGƯỜI NỘP", "NGƯỜI THU"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
BLANK_NUMBER = "......"
# The level above a province: the Central Committee's Office keeps the Party's accounts.
CENTRAL = issuers.Letterhead(
    superior="BAN CHẤP HÀNH TRUNG ƯƠNG",
    issuer="VĂN PHÒNG TRUNG ƯƠNG ĐẢNG",
    symbol="VPTW",
    place="Hà Nội",
    recipient="",
)
SOURCES = {
    Source.MEETING: "Thu tại buổi sinh hoạt chi bộ",
    Source.TREASURER: "Nộp cho người thu đảng phí của chi bộ",
    Source.STATEMENT: "Nộp qua Cổng Dịch vụ công quốc gia",
    Source.IMPORT: "Theo sổ thu đảng phí",
}


def month_text(month: dt.date) -> str:
    return f"{month:%m/%Y}"


def money_text(amount: int) -> str:
    """'1.250.000 đồng'."""
    return f"{formats.number(amount)} đồng"


def receiver_of(remittance: Remittance) -> OrgUnit | None:
    """The level that received the remittance: the unit's parent at the end of its month."""
    return issuers.superior(remittance.unit, month_end(remittance.month))


def _receipt(
    *,
    head: issuers.Letterhead,
    number: str,
    day: dt.date,
    month: dt.date,
    lines: list[tuple[str, str]],
    amount: int,
    payer: str = "",
) -> bytes:
    doc: DocxDocument = pf.new_document(title="Phiếu thu đảng phí")
    pf.add_header(doc, head=head, number=f"Số: {number or BLANK_NUMBER}", day=day)
    pf.add_title(doc, TITLE, f"Tháng {month_text(month)}")
    for label, value in [
        *lines,
        ("Nội dung", f"Nộp đảng phí tháng {month_text(month)}"),
        ("Số tiền", money_text(amount)),
        ("Viết bằng chữ", amount_in_words(amount)),
    ]:
        p = pf.paragraph(doc, space_after=6)
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    hint = pf.Line(SIGN_HINT, size=12)
    pf.add_signatures(
        doc,
        [pf.Line(PAYER, bold=True), hint, pf.Line(), pf.Line(), pf.Line(payer, bold=True)],
        [pf.Line(RECEIVER, bold=True), hint, pf.Line(), pf.Line(), pf.Line()],
        left_mm=82,
    )
    return pf.to_bytes(doc)


def remittance_receipt_docx(remittance: Remittance) -> bytes:
    receiver = receiver_of(remittance)
    head = CENTRAL if receiver is None else issuers.letterhead(receiver, remittance.paid_on)
    return _receipt(
        head=head,
        number=remittance.receipt_number,
        day=remittance.paid_on,
        month=remittance.month,
        lines=[("Nhận của", issuers.body_name(remittance.unit))],
        amount=remittance.amount,
    )


def payment_cell(payment: DuesPayment) -> OrgUnit | None:
    """The cell the payment was made at: the cell of the member's charge that month, else the
    member's own cell."""
    charge = (
        DuesCharge.objects.filter(member_id=payment.member_id, month=payment.month)
        .select_related("cell")
        .first()
    )
    if charge is not None:
        return charge.cell
    return payment.member.home_unit


def payment_receipt_docx(payment: DuesPayment) -> bytes:
    cell = payment_cell(payment)
    head = (
        issuers.letterhead(cell, payment.paid_on)
        if cell is not None
        else issuers.Letterhead("", "", "", "", "")
    )
    how = SOURCES.get(Source(payment.source), "") if payment.source in Source.values else ""
    if payment.source == Source.STATEMENT and payment.reference:
        how += f" (mã giao dịch {payment.reference})"
    name = payment.member.full_name
    lines = [("Họ và tên người nộp", f"đồng chí {name}")]
    if how:
        lines.append(("Hình thức nộp", how))
    return _receipt(
        head=head,
        number="",
        day=payment.paid_on,
        month=payment.month,
        lines=lines,
        amount=payment.amount,
        payer=name,
    )
