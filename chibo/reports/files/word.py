"""The unit's report as a Word file in the Party's format (Hướng dẫn 36-HD/VPTW): header
blocks, "Số ..-BC/..", the title, a table per section, the sub-unit table, the signature.

Figures are written the Vietnamese way ("1.561/1.565 (99,74%)", "1.234"); the texts are the
document's own Vietnamese, whatever language the person reads."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from chibo.core import formats
from chibo.core.reporting import Period, is_share, lookup
from chibo.documents import issuers
from chibo.documents import party_format as pf
from chibo.documents.models import DocType
from chibo.documents.services import document_number
from chibo.members.models import Position, PositionKind
from chibo.org.models import Kind, OrgUnit

from .report import Column, Report, Table, collect, columns, lines, tables

TABLE_PT = 12
SMALL_PT = 10  # the sub-unit table when it has many columns
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
# Who a report is signed for, by the issuer's kind: a cell, its members; a base committee,
# its committee; a district or a province, its standing committee.
SIGNED_FOR: dict[str, str] = {
    Kind.CELL: "T/M CHI BỘ",
    Kind.BASE_CELL: "T/M CHI BỘ",
    Kind.PARTY_GROUP: "T/M TỔ ĐẢNG",
    Kind.BASE_COMMITTEE: "T/M ĐẢNG ỦY",
}
STANDING_COMMITTEE = "T/M BAN THƯỜNG VỤ"


def build_docx(unit: OrgUnit, period: Period, *, actor=None, report: Report | None = None) -> bytes:
    """The report dated today. Built for a person (`actor`), it takes the next "BC" number
    of the unit's committee term (chibo.documents.services.document_number, audited); without
    one (the command line) the number is left blank, like a draft's."""
    report = report or collect(unit, period)
    day = timezone.localdate()
    symbol = issuers.symbol(unit)
    if actor is None:
        return report_docx(
            unit,
            period,
            number=pf.number_text(None, DocType.REPORT, symbol),
            day=day,
            report=report,
        )
    # The number is taken only if the file is written: a failure gives it back.
    with transaction.atomic():
        issued = document_number(issuer=unit, type=DocType.REPORT, on=day, actor=actor)
        number = pf.number_text(issued.number, DocType.REPORT, issued.symbol)
        return report_docx(unit, period, number=number, day=day, report=report)


def report_docx(
    unit: OrgUnit, period: Period, *, number: str, day: dt.date, report: Report | None = None
) -> bytes:
    report = report or collect(unit, period)
    with translation.override("vi"):
        return _write(report, number=number, day=day)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def figure_text(value: Any) -> str:
    """'1.561/1.565 (99,74%)' for a share, '1.234' for a count."""
    if value is None:
        return ""
    if is_share(value):
        return formats.ratio(value["count"], value["of"])
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return formats.number(value)
    if isinstance(value, float):
        return formats.number(value, 0 if value.is_integer() else 2)
    return str(value)


def _write(report: Report, *, number: str, day: dt.date) -> bytes:
    unit = report.unit
    head = issuers.letterhead(unit, day)
    period = _lower_first(report.period.label())
    doc = pf.new_document(title="Báo cáo")
    pf.add_header(doc, head=head, number=number, day=day)
    pf.add_title(doc, "BÁO CÁO", f"Số liệu công tác xây dựng Đảng {period}")
    pf.paragraph(
        doc,
        f"{issuers.body_name(unit)} báo cáo số liệu công tác xây dựng Đảng {period} "
        f"(số liệu tính đến ngày {formats.date(report.taken_on)}) như sau:",
        align=pf.JUSTIFY,
        indent=True,
        space_after=6,
    )
    parts = 0
    for section in report.sections:
        _heading(doc, parts, str(section.title))
        parts += 1
        figures = report.of(unit, section)
        sentence = section.sentence(figures) if figures else ""
        if sentence:
            pf.paragraph(doc, f"{sentence}.", align=pf.JUSTIFY, indent=True, space_after=6)
        _section_table(doc, lines(section, figures))
        for table in tables(report, section):
            _breakdown_table(doc, table)
    if report.subunits:
        _heading(doc, parts, "Số liệu các đơn vị trực thuộc")
        for i, group in enumerate(_column_groups(columns(report))):
            if i:
                pf.paragraph(doc, "", space_after=6)
            _subunit_table(doc, report, group)
    title, name = signer(unit, day)
    pf.add_signatures(
        doc,
        pf.recipients([r for r in (head.recipient, "Lưu") if r]),
        pf.signer([SIGNED_FOR.get(unit.kind, STANDING_COMMITTEE), title], name),
    )
    return pf.to_bytes(doc)


def signer(unit: OrgUnit, day: dt.date) -> tuple[str, str]:
    """Who signs for the unit on `day`: the secretary, or failing one the deputy. (title,
    name); an empty name leaves the line to be filled in by hand."""
    held = Position.objects.held_on(day).filter(unit=unit)
    for kind, title in (
        (PositionKind.SECRETARY, "BÍ THƯ"),
        (PositionKind.DEPUTY_SECRETARY, "PHÓ BÍ THƯ"),
    ):
        post = held.filter(kind=kind).select_related("member").order_by("-start", "pk").first()
        if post is not None:
            return title, post.member.full_name
    return "BÍ THƯ", ""


def _heading(doc: DocxDocument, index: int, title: str) -> None:
    numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    p = pf.paragraph(doc, f"{numeral}. {title.upper()}", bold=True, align=pf.LEFT)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.keep_with_next = True


def _table(doc: DocxDocument, widths_mm: list[float], rows: int):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    pf.keep_row_whole(table.rows[0].cells[0])
    _repeat_header(table.rows[0])
    return table


def _repeat_header(row) -> None:
    """The header row is repeated at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _put(cell, text: str, *, bold: bool = False, size: int = TABLE_PT, align=None) -> None:
    pf.paragraph(cell, text, bold=bold, size=size, align=align, first=True)


def _section_table(doc: DocxDocument, rows: list) -> None:
    table = _table(doc, [12, 108, 45], len(rows) + 1)
    for cell, text in zip(table.rows[0].cells, ("TT", "Chỉ tiêu", "Số liệu"), strict=True):
        _put(cell, text, bold=True, align=pf.CENTER)
    number = 0
    for row, line in zip(table.rows[1:], rows, strict=True):
        if line.depth == 0:
            number += 1
            _put(row.cells[0], str(number), align=pf.CENTER)
        _put(row.cells[1], ("– " if line.depth else "") + line.label)
        _put(row.cells[2], figure_text(line.value), align=pf.CENTER)


def _breakdown_table(doc: DocxDocument, table: Table) -> None:
    """A breakdown (by cell type) under the section's table: its title, then a row per part."""
    p = pf.paragraph(doc, table.title, bold=True, align=pf.LEFT)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.keep_with_next = True
    size = TABLE_PT if len(table.columns) <= 3 else SMALL_PT
    first = 40.0
    rest = (pf.TEXT_WIDTH_MM - first) / max(1, len(table.columns))
    grid = _table(doc, [first, *([rest] * len(table.columns))], len(table.rows) + 1)
    for cell, text in zip(grid.rows[0].cells, [table.heading, *table.columns], strict=True):
        _put(cell, text, bold=True, size=size, align=pf.CENTER)
    for row, (label, values) in zip(grid.rows[1:], table.rows, strict=True):
        _put(row.cells[0], label, size=size)
        for cell, value in zip(row.cells[1:], values, strict=True):
            _put(cell, figure_text(value), size=size, align=pf.CENTER)


# At most this many figures side by side in one sub-unit table of a portrait page: more are
# written in the tables that follow, a section's figures kept together when they fit.
MAX_COLUMNS = 6


def _column_groups(cols: list[Column]) -> list[list[Column]]:
    """The sub-unit table's columns cut into tables of at most MAX_COLUMNS: a section goes
    whole to the next table when it does not fit in this one (one wider than a table is cut)."""
    by_section: list[list[Column]] = []
    for col in cols:
        if by_section and by_section[-1][0].section is col.section:
            by_section[-1].append(col)
        else:
            by_section.append([col])
    groups: list[list[Column]] = [[]]
    for part in by_section:
        if groups[-1] and len(groups[-1]) + len(part) > MAX_COLUMNS:
            groups.append([])
        for col in part:
            if len(groups[-1]) == MAX_COLUMNS:
                groups.append([])
            groups[-1].append(col)
    return groups


def _subunit_table(doc: DocxDocument, report: Report, cols: list[Column]) -> None:
    size = TABLE_PT if len(cols) <= 4 else SMALL_PT
    rest = pf.TEXT_WIDTH_MM - 10 - 45
    widths: list[float] = [10, 45, *([rest / len(cols)] * len(cols))]
    if not cols:
        widths = [10, pf.TEXT_WIDTH_MM - 10]
    units = [*report.subunits, report.unit]
    table = _table(doc, widths, len(units) + 1)
    headers = ["TT", "Đơn vị", *(c.label for c in cols)]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _put(cell, text, bold=True, size=size, align=pf.CENTER)
    for i, (row, unit) in enumerate(zip(table.rows[1:], units, strict=True), start=1):
        total = unit is report.unit
        _put(row.cells[0], "" if total else str(i), size=size, align=pf.CENTER)
        name = f"Toàn {issuers.body_name(unit)}" if total else issuers.body_name(unit)
        _put(row.cells[1], name, bold=total, size=size)
        for cell, col in zip(row.cells[2:], cols, strict=True):
            value = lookup(report.of(unit, col.section), col.path)
            _put(cell, figure_text(value), bold=total, size=size, align=pf.CENTER)
