"""Cells whose text a spreadsheet would run as a formula (issue 14): "=" and "@" are errors
that name the row and column and stop the commit; "+" and "-" are warnings on a row that is
imported all the same; a signed number or a lone dash is neither."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from chibo.core.formulas import put
from chibo.core.sheets import TEXT, Column, cell_warning, read_cell
from chibo.core.sheets.cells import CellError
from chibo.imports.models import ImportJob
from chibo.imports.services import import_commit, import_preview
from chibo.members.models import Member
from chibo.org.models import Village
from chibo.testing.workbooks import MEMBER_HEAD, VILLAGE_HEAD, csv_bytes, snapshot

NAME = Column("full_name", "Họ và tên", "")


@pytest.mark.parametrize(
    ("cell", "char"),
    [("=1+1", "="), ("@SUM(1)", "@"), ("\t=cmd|' /C calc'!A0", "="), (" =1", "=")],
)
def test_equals_and_at_are_refused(cell, char):
    with pytest.raises(CellError) as e:
        read_cell(NAME, cell)
    assert f"starts with “{char}”: a spreadsheet would run it as a formula" in str(e.value)


def test_a_long_formula_is_shortened_in_the_message():
    with pytest.raises(CellError) as e:
        read_cell(NAME, '=HYPERLINK("http://evil.example/a/very/long/path","Bấm vào đây")')
    assert '“=HYPERLINK("http://evil.example/a/very/…”' in str(e.value)


@pytest.mark.parametrize("cell", ["- Đã nộp", "+cmd|' /C calc'!A0", "-2+3+cmd|x!A0"])
def test_plus_and_minus_are_warned(cell):
    assert read_cell(NAME, cell) == cell
    assert "a spreadsheet may read it as a formula" in cell_warning(NAME, cell)


@pytest.mark.parametrize("cell", ["-", "--", "-5", "+84 912 345 678", "Nguyễn Văn A", "", "a=b"])
def test_what_is_fine(cell):
    assert read_cell(NAME, cell) == cell
    assert cell_warning(NAME, cell) == ""


def test_only_text_columns_warn():
    assert cell_warning(Column("on", "Ngày", "", type="date"), "-") == ""
    assert cell_warning(Column("n", "Số", "", type="number"), -5) == ""
    assert NAME.type == TEXT


def text_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook whose text cells are text, as Excel stores a cell typed with a leading
    apostrophe (openpyxl's own `append` would make "=…" a formula)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                put(ws, r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def member(code: str, name: str, phone: str = "") -> list:
    return [code, name, "Nam", "01/01/1980", phone, "X01-CB01", "01/01/2010", ""]


def test_a_formula_in_a_name_stops_the_import(world, cast):
    before = snapshot()
    book = text_xlsx(
        {
            "Đảng viên": [
                MEMBER_HEAD,
                member("IMP100", "Đỗ Văn An"),
                member("IMP101", '=HYPERLINK("http://evil.example","Bấm")'),
            ]
        }
    )
    report = import_commit(actor=cast.base_officer, files=[("book.xlsx", book)])
    assert not report.committed and snapshot() == before
    assert list(report.issues()) == [
        (
            "book.xlsx › Đảng viên",
            3,
            "Họ và tên",
            '“=HYPERLINK("http://evil.example","Bấm")” starts with “=”: a spreadsheet '
            "would run it as a formula. Remove the “=” or correct the cell.",
        )
    ]


def test_a_csv_is_read_the_same(world, cast):
    data = csv_bytes([MEMBER_HEAD, member("IMP100", "@SUM(1+9)*cmd|' /C calc'!A0")])
    report = import_preview(actor=cast.base_officer, files=[("members.csv", data)])
    ((_sheet, row, column, message),) = report.issues()
    assert (row, column) == (2, "Họ và tên") and "starts with “@”" in message


def test_plus_and_minus_are_imported_with_a_warning(world, cast):
    book = text_xlsx(
        {
            "Thôn, khu phố": [VILLAGE_HEAD, ["X01-CB01", "- Thôn Đông cũ", "Thôn"]],
            "Đảng viên": [MEMBER_HEAD, member("IMP100", "Đỗ Văn An", "+84 912 345 678")],
        }
    )
    report = import_commit(actor=cast.base_officer, files=[("book.xlsx", book)])
    assert report.committed
    assert Village.objects.filter(name="- Thôn Đông cũ").exists()
    assert Member.objects.get(code="IMP100").phone == "+84 912 345 678"  # no warning
    assert list(report.warnings()) == [
        (
            "book.xlsx › Thôn, khu phố",
            2,
            "Tên thôn, khu phố",
            "“- Thôn Đông cũ” starts with “-”: a spreadsheet may read it as a formula. Chibo "
            "keeps it as text; check that it is what you meant.",
        )
    ]
    assert report.to_dict()["warning_count"] == 1


def test_the_preview_page_shows_the_warning(world, cast, en):
    client = en(cast.base_officer)
    book = text_xlsx({"Thôn, khu phố": [VILLAGE_HEAD, ["X01-CB01", "+ Thôn Đông", "Thôn"]]})
    r = client.post(reverse("imports:upload"), {"uploads": [SimpleUploadedFile("book.xlsx", book)]})
    html = client.get(r["Location"]).text
    assert "Warnings: 1" in html
    assert (
        "<strong>Tên thôn, khu phố</strong>: “+ Thôn Đông” starts with “+”: a spreadsheet may "
        "read it as a formula." in html
    )
    # A warning is no error: the import can be committed.
    job = ImportJob.objects.get()
    assert reverse("imports:commit", args=[job.pk]) in html


def test_the_command_prints_the_warning(world, cast, tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(
        text_xlsx({"Thôn, khu phố": [VILLAGE_HEAD, ["X01-CB01", "- Thôn Đông", "Thôn"]]})
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--user", "base", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Warning: book.xlsx › Thôn, khu phố, row 2, Tên thôn, khu phố: “- Thôn Đông” starts "
        "with “-”: a spreadsheet may read it as a formula. Chibo keeps it as text; check that "
        "it is what you meant."
    ]
