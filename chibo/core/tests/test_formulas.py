"""chibo.core.formulas: text that a spreadsheet would run stays text; Chibo's own formulas
and numbers stay what they are."""

import io

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from chibo.core.formulas import Formula, csv_text, put, runs_as_formula, set_value


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"])
def test_what_runs(text):
    assert runs_as_formula(text)


@pytest.mark.parametrize("text", ["", "Nguyễn Văn A", " =1", "1-2", "a=b", "'=1"])
def test_what_does_not_run(text):
    assert not runs_as_formula(text)


def _reopened(wb: Workbook):
    buffer = io.BytesIO()
    wb.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]


def test_a_worksheet_keeps_text_numbers_and_its_own_formulas():
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, '=HYPERLINK("http://x","y")')
    put(ws, 2, 1, -5)
    put(ws, 3, 1, Formula("=SUM(A2:A2)"))
    put(ws, 4, 1, "-")
    ws = _reopened(wb)
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix) == (
        '=HYPERLINK("http://x","y")',
        "s",
        True,
    )
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].quotePrefix) == (-5, "n", False)
    assert (ws["A3"].value, ws["A3"].data_type) == ("=SUM(A2:A2)", "f")
    assert (ws["A4"].value, ws["A4"].data_type) == ("-", "s")


def test_a_write_only_worksheet_too():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append([set_value(WriteOnlyCell(ws), "=cmd|' /C calc'!A0"), -1.5])
    ws = _reopened(wb)
    assert (ws["A1"].value, ws["A1"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert (ws["B1"].value, ws["B1"].data_type) == (-1.5, "n")


def test_csv_fields():
    assert csv_text("=1+1", "=1+1") == "'=1+1"
    assert csv_text("@x", "@x") == "'@x"
    assert csv_text(-5, "-5") == "-5"  # a number
    assert csv_text("An Hòa", "An Hòa") == "An Hòa"
