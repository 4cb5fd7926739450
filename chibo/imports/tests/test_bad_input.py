"""A test for each kind of bad input: the message people read, and that nothing was written
(through a commit, the path that would write)."""

import io
import random
import time
import zipfile

import pytest

from chibo.core.sheets import sheets as template_sheets
from chibo.imports.services import import_commit, import_preview
from chibo.testing.workbooks import (
    MEMBER_HEAD,
    UNIT_HEAD,
    csv_bytes,
    messages,
    snapshot,
    valid_sheets,
    xlsx,
)


@pytest.fixture
def untouched(world):
    """Asserts, after the test, that the database holds exactly what it held before."""
    before = snapshot()
    yield
    assert snapshot() == before


def run(user, files):
    report = import_commit(actor=user, files=files)
    assert not report.committed
    return report


def book(user, sheets):
    return run(user, [("book.xlsx", xlsx(sheets))])


def member_row(**changes):
    row = dict(
        zip(
            MEMBER_HEAD,
            ["IMP100", "Đỗ Văn An", "Nam", "01/01/1980", "", "X01-CB01", "01/01/2010", ""],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def test_missing_column(cast, untouched):
    head = [h for h in UNIT_HEAD if h != "Tên đơn vị"]
    report = book(cast.base_officer, {"Đơn vị": [head, ["X01-CB05", "Chi bộ", "X01", ""]]})
    (problem,) = report.sheets[0].problems
    assert (problem.column, problem.message) == ("Tên đơn vị", "Missing column “Tên đơn vị”.")
    assert report.sheets[0].rows == []


def test_missing_column_in_one_sheet_stops_the_whole_file(cast, untouched):
    data = valid_sheets()
    data["Chức vụ"][0] = data["Chức vụ"][0][:-1]  # no start date column
    report = book(cast.base_officer, data)
    assert messages(report) == ["Missing column “Từ ngày”."]


def test_unknown_unit_code(cast, untouched):
    report = book(
        cast.base_officer, {"Đảng viên": [MEMBER_HEAD, member_row(**{"Mã chi bộ": "ZZ9"})]}
    )
    (problem,) = report.sheets[0].rows[0].problems
    assert (problem.column, problem.message) == ("Mã chi bộ", "Unknown unit code ZZ9.")


@pytest.mark.parametrize("value", ["31/02/2020", "ngày 5 tháng 3", "abc", 43831])
def test_bad_date(cast, untouched, value):
    report = book(
        cast.base_officer, {"Đảng viên": [MEMBER_HEAD, member_row(**{"Ngày sinh": value})]}
    )
    (problem,) = report.sheets[0].rows[0].problems
    assert problem.column == "Ngày sinh"
    assert problem.message == f"“{value}” is not a date; write it as dd/mm/yyyy."


def test_year_that_looks_wrong(cast, untouched):
    report = book(
        cast.base_officer, {"Đảng viên": [MEMBER_HEAD, member_row(**{"Ngày sinh": "01/01/0198"})]}
    )
    assert messages(report) == ["The year 198 looks wrong."]


def test_wrong_type_unknown_gender(cast, untouched):
    report = book(cast.base_officer, {"Đảng viên": [MEMBER_HEAD, member_row(**{"Giới tính": "X"})]})
    assert messages(report) == ["Unknown value “X”. Allowed: Nam, Nữ."]


def test_wrong_type_unknown_kind(cast, untouched):
    rows = [UNIT_HEAD, ["X01-CB05", "Chi đoàn", "Chi đoàn", "X01", ""]]
    report = book(cast.base_officer, {"Đơn vị": rows})
    assert messages(report)[0].startswith("Unknown value “Chi đoàn”. Allowed: Đảng bộ tỉnh,")


def test_required_cell_empty(cast, untouched):
    report = book(cast.base_officer, {"Đảng viên": [MEMBER_HEAD, member_row(**{"Họ và tên": ""})]})
    (problem,) = report.sheets[0].rows[0].problems
    assert (problem.column, problem.message) == ("Họ và tên", "This cell is required.")


def test_duplicate_row(cast, untouched):
    rows = [
        UNIT_HEAD,
        ["X01-CB05", "Chi bộ 5", "Chi bộ", "X01", ""],
        ["X01-CB06", "Chi bộ 6", "Chi bộ", "X01", ""],
        ["x01-cb05", "Chi bộ 5 (lần hai)", "Chi bộ", "X01", ""],
    ]
    report = book(cast.base_officer, {"Đơn vị": rows})
    assert [r.status for r in report.sheets[0].rows] == ["create", "create", "error"]
    (problem,) = report.sheets[0].rows[2].problems
    assert (report.sheets[0].rows[2].number, problem.message) == (4, "Duplicate of row 2.")


def test_national_id_taken_by_another_member(world, cast):
    # A new national ID already held by another member: the service's message, on its column.
    head = [*MEMBER_HEAD, "Số CCCD"]
    world.member.national_id = "001080000001"
    world.member.save()
    before = snapshot()
    report = book(cast.base_officer, {"Đảng viên": [head, [*member_row(), "001080000001"]]})
    assert messages(report) == ["Another member already has national ID 001080000001."]
    assert report.sheets[0].rows[0].problems[0].column == "Số CCCD"
    assert snapshot() == before


def test_text_too_long(cast, untouched):
    rows = [UNIT_HEAD, ["X01-CB05", "C" * 201, "Chi bộ", "X01", ""]]
    report = book(cast.base_officer, {"Đơn vị": rows})
    (problem,) = report.sheets[0].rows[0].problems
    assert (problem.column, problem.message) == (
        "Tên đơn vị",
        "Too long: 201 characters, at most 200.",
    )


def test_wrong_encoding_cp1258(cast, untouched):
    rows = [["Mã chi bộ", "Tên thôn, khu phố"], ["X01-CB01", "Thôn Đông"]]
    content = csv_bytes(rows, encoding="cp1258")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the premise: Vietnamese text in the old Windows code page
    report = run(cast.base_officer, [("villages.csv", content)])
    assert messages(report) == [
        "villages.csv: this CSV file is not UTF-8 text. In Excel, save it as "
        "“CSV UTF-8 (Comma delimited)” and upload it again."
    ]


def test_wrong_encoding_latin1(cast, untouched):
    content = "code,name,kind,parent_code\nX01-CB05,Café,cell,X01\n".encode("latin-1")
    report = run(cast.base_officer, [("units.csv", content)])
    assert "not UTF-8" in messages(report)[0]


def test_random_bytes_are_not_a_spreadsheet(cast, untouched):
    content = random.Random(1).randbytes(4096)
    report = run(cast.base_officer, [("data.xlsx", content)])
    assert messages(report) == [
        "data.xlsx: this file is not a spreadsheet. Upload an .xlsx workbook or CSV files."
    ]


def test_docx_renamed_xlsx_is_not_a_spreadsheet(cast, untouched):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    report = run(cast.base_officer, [("members.xlsx", buffer.getvalue())])
    assert "members.xlsx: this file is not a spreadsheet" in messages(report)[0]


def test_broken_xlsx_is_not_a_spreadsheet(cast, untouched):
    content = xlsx(valid_sheets())
    report = run(cast.base_officer, [("cut.xlsx", content[: len(content) // 2])])
    assert "cut.xlsx: this file is not a spreadsheet" in messages(report)[0]


def test_zip_bomb_is_refused_before_unpacking(cast, untouched, settings):
    settings.CHIBO_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    rows = [["code", "name", "kind", "parent_code"]] + [["A", "B" * 100, "cell", "X01"]] * 20_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("units.csv", csv_bytes(rows))
    report = run(cast.base_officer, [("units.zip", buffer.getvalue())])
    assert messages(report) == [
        "units.zip unpacks to 2,2 MB, more than the 1,0 MB an import may hold; split it into "
        "several files."
    ]


def _bomb(sheet_mb: int) -> bytes:
    """A workbook whose one sheet is `sheet_mb` MB of the same row: some hundred kilobytes
    packed (the probe's was 716 KB for 293 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml", '<workbook><sheets><sheet name="Đơn vị"/></sheets></workbook>'
        )
        row = '<row><c t="inlineStr"><is><t>X01-CB01</t></is></c></row>' * 1000
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b"<worksheet><sheetData>")
            chunk = row.encode()
            for _ in range(sheet_mb * 1024 * 1024 // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_workbook_bomb_is_refused_quickly(cast, untouched):
    """The probe's bomb, in small: a sheet XML a thousand times its packed size is refused
    from the zip's directory, in well under a second, before openpyxl opens it."""
    content = _bomb(60)
    assert len(content) < 1024 * 1024
    started = time.perf_counter()
    report = run(cast.base_officer, [("bom.xlsx", content)])
    assert time.perf_counter() - started < 0.5
    (message,) = messages(report)
    assert message.startswith("bom.xlsx unpacks to 60 MB from ")
    assert message.endswith("KB: no real spreadsheet is packed this tightly, so it was refused.")


def test_workbook_over_the_unpacked_bound_is_refused(cast, untouched, settings):
    settings.CHIBO_IMPORT_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    settings.CHIBO_IMPORT_MAX_RATIO = 10_000  # the size alone refuses it
    started = time.perf_counter()
    report = run(cast.base_officer, [("big.xlsx", _bomb(8))])
    assert time.perf_counter() - started < 0.5
    assert messages(report) == [
        "big.xlsx unpacks to 8,0 MB, more than the 5,0 MB an import may hold; split it into "
        "several files."
    ]


def test_too_many_sheets(cast, untouched, settings):
    settings.CHIBO_IMPORT_MAX_SHEETS = 3
    sheets = {f"Trang {i}": [["a"], [1]] for i in range(4)}
    report = book(cast.base_officer, sheets)
    assert messages(report) == [
        f"book.xlsx holds more than 3 sheets; the template has {len(template_sheets())}."
    ]


def test_rows_bound_per_sheet(cast, untouched, settings):
    settings.CHIBO_IMPORT_MAX_ROWS = 3
    rows = [UNIT_HEAD] + [[f"X01-CB{i:02d}", "Chi bộ", "Chi bộ", "X01", ""] for i in range(4)]
    report = book(cast.base_officer, {"Đơn vị": rows})
    assert messages(report) == [
        "book.xlsx › Đơn vị has more than 3 rows; split it into several files."
    ]
    # Three rows, and blank rows between them, are within the bound.
    report = import_preview(
        actor=cast.base_officer,
        files=[("book.xlsx", xlsx({"Đơn vị": [rows[0], rows[1], [], [], rows[2], rows[3]]}))],
    )
    assert not report.problems and len(report.sheets[0].rows) == 3


def test_a_sheet_of_blank_rows_is_bounded_too(cast, untouched, settings):
    settings.CHIBO_IMPORT_MAX_ROWS = 3
    rows = [UNIT_HEAD] + [[] for _ in range(20)] + [["X01-CB09", "Chi bộ", "Chi bộ", "X01", ""]]
    report = run(cast.base_officer, [("units.csv", csv_bytes(rows))])
    assert messages(report) == ["units.csv has more than 3 rows; split it into several files."]


def test_old_xls_is_refused_with_advice(cast, untouched):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    report = run(cast.base_officer, [("old.xls", content)])
    assert messages(report) == ["old.xls: old Excel (.xls) files cannot be read; save it as .xlsx."]


def test_csv_with_an_unknown_name(cast, untouched):
    report = run(cast.base_officer, [("danh sach.csv", b"code,name\n1,2\n")])
    assert messages(report)[0].startswith("danh sach.csv: cannot tell which sheet this is.")


def test_workbook_without_template_sheets(cast, untouched):
    report = book(cast.base_officer, {"Sheet1": [["a", "b"], [1, 2]]})
    assert messages(report)[0].startswith("No sheet of the import template was found.")


def test_empty_file(cast, untouched):
    report = run(cast.base_officer, [("units.csv", b"")])
    assert messages(report) == ["units.csv: the file is empty."]
