"""The layout of a party document (Hướng dẫn 36-HD/VPTW, 2018), shared by every Word file Chibo
writes: A4 page and margins, Times New Roman, the header blocks, the title, the signature.

The Vietnamese words here are the document's own text, not interface messages."""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import _Cell

from .issuers import Letterhead

FONT = "Times New Roman"
BODY_PT = 14
# 36-HD/VPTW: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)  # A4
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_LEFT_MM = 75  # the issuer's block; the national heading takes the rest

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT

Container = DocxDocument | _Cell


def new_document(*, title: str = "") -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    # Set every script slot, or Word falls back to another font for some Vietnamese letters.
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    doc.core_properties.title = title
    doc.core_properties.language = "vi-VN"
    doc.core_properties.author = "Chibo"
    return doc


def paragraph(
    where: Container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: int = BODY_PT,
    align=None,
    indent: bool = False,
    space_after: int = 0,
    first: bool = False,
):
    """Add a paragraph of one run. `first`: write into the cell's existing empty paragraph."""
    p = where.paragraphs[0] if first else where.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if space_after:
        p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    return p


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # Schema order matters to Word: tblBorders goes before these.
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def two_columns(doc: DocxDocument, left_mm: int) -> tuple[_Cell, _Cell]:
    """A borderless one-row table of two columns, the way party documents lay out the header
    and the signature."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    widths: Sequence[Length] = (Mm(left_mm), Mm(TEXT_WIDTH_MM - left_mm))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    left, right = table.rows[0].cells
    return left, right


def number_text(number: int | None, type: str, symbol: str) -> str:
    """'Số 05-NQ/CB'; a draft, not numbered yet, leaves the number blank: 'Số    -BB/CB'."""
    if number is None:
        return f"Số    -{type}/{symbol}"
    return f"Số {number:02d}-{type}/{symbol}"


def date_text(day: dt.date) -> str:
    """'ngày 05 tháng 3 năm 2026': days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date_text(place: str, day: dt.date) -> str:
    return f"{place or '......'}, {date_text(day)}"


def time_text(at: dt.datetime) -> str:
    return f"{at.hour} giờ {at.minute:02d} phút"


def add_header(doc: DocxDocument, *, head: Letterhead, number: str, day: dt.date) -> None:
    """Top left the issuing body (its superior, then itself in bold, a star, the number); top
    right the national heading, underlined, and the place and date in italics."""
    left, right = two_columns(doc, HEADER_LEFT_MM)
    lines = [(head.superior, False)] if head.superior else []
    lines += [(head.issuer, True), ("*", False), (number, False)]
    for i, (text, bold) in enumerate(lines):
        paragraph(left, text, bold=bold, align=CENTER, first=i == 0)
    paragraph(
        right,
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        bold=True,
        underline=True,
        size=15,
        align=CENTER,
        first=True,
    )
    # Blank lines so that the date sits level with the number on the left.
    for _i in range(len(lines) - 2):
        paragraph(right, "", align=CENTER)
    paragraph(right, place_date_text(head.place, day), italic=True, align=CENTER)


def add_draft_mark(doc: DocxDocument) -> None:
    paragraph(doc, "DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6)


def add_title(doc: DocxDocument, title: str, subtitle: str = "") -> None:
    paragraph(doc, "")
    paragraph(doc, title, bold=True, size=16, align=CENTER)
    if subtitle:
        paragraph(doc, subtitle, bold=True, align=CENTER)
    paragraph(doc, "-----", align=CENTER, space_after=6)


@dataclass(frozen=True)
class Line:
    text: str = ""  # empty: a blank line, room for the signature
    bold: bool = False
    underline: bool = False
    size: int = BODY_PT


def signer(over: Sequence[str], name: str) -> list[Line]:
    """'T/M CHI BỘ', 'BÍ THƯ' in bold, room to sign, then the name in bold."""
    return [*(Line(t, bold=True) for t in over), Line(), Line(), Line(), Line(name, bold=True)]


def recipients(names: Sequence[str]) -> list[Line]:
    """'Nơi nhận:' underlined, then '- ...,' per recipient in 12 pt, the last with a stop."""
    lines = [Line("Nơi nhận:", underline=True)]
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else ","
        lines.append(Line(f"- {name}{end}", size=12))
    return lines


def add_signatures(
    doc: DocxDocument,
    left: Sequence[Line],
    right: Sequence[Line],
    *,
    left_mm: int = 80,
    left_align=CENTER,
) -> None:
    """The signature block: titles, room to sign and names in a table row that never breaks
    across a page (w:cantSplit), each of its paragraphs kept with the next and together, and
    the blank line above kept with it, so the names never land on a page without their titles."""
    paragraph(doc, "").paragraph_format.keep_with_next = True
    cells = two_columns(doc, left_mm)
    keep_row_whole(cells[0])
    for cell, lines, align in ((cells[0], left, left_align), (cells[1], right, CENTER)):
        for i, line in enumerate(lines or [Line()]):
            p = paragraph(
                cell,
                line.text,
                bold=line.bold,
                underline=line.underline,
                size=line.size,
                align=align,
                first=i == 0,
            )
            p.paragraph_format.keep_together = True
            p.paragraph_format.keep_with_next = True


def keep_row_whole(cell: _Cell) -> None:
    """The table row of `cell` cannot break across a page (w:trPr/w:cantSplit)."""
    tr = cell._tc.getparent()
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def to_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
