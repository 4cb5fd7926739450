import datetime as dt

from chibo.core.export import Column, Table, csv_text, download, filename, xlsx
from chibo.core.search import sort_key
from chibo.testing.exports import read_csv, read_xlsx


def test_sort_key_orders_numbers_by_value_and_ignores_accents_and_case():
    names = ["Chi bộ khu phố 10", "chi bộ khu phố 2", "Chi bộ khu phố 1", "Chi bộ Ấp 3"]
    assert sorted(names, key=sort_key) == [
        "Chi bộ Ấp 3",
        "Chi bộ khu phố 1",
        "chi bộ khu phố 2",
        "Chi bộ khu phố 10",
    ]
    assert sort_key("Đảng bộ xã 7") == "dang bo xa 0000000007"


def _table() -> Table:
    return Table(
        "Đảng viên: 03/2026",  # ':' and '/' are not allowed in a sheet's name
        [Column("Họ và tên", 28), Column("Ngày sinh", 12), Column("Số", 6)],
        [["Nguyễn Văn Hùng", dt.date(1980, 1, 2), 3], ["Trần Thị Đào", None, 0]],
        heading=["DANH SÁCH", "Chi bộ thôn Đông"],
    )


def test_xlsx_has_the_heading_the_headers_and_real_dates():
    (sheet,) = read_xlsx(xlsx(_table()))
    assert sheet.title == "Đảng viên- 03-2026"
    assert sheet.heading == ["DANH SÁCH", "Chi bộ thôn Đông"]
    assert sheet.headers == ["Họ và tên", "Ngày sinh", "Số"]
    assert sheet.rows == [["Nguyễn Văn Hùng", dt.date(1980, 1, 2), 3], ["Trần Thị Đào", None, 0]]


def test_csv_writes_dates_day_first_with_a_byte_order_mark():
    response = download(csv_text(_table()), "x.csv")
    headers, rows = read_csv(response.content)
    assert headers == ["Họ và tên", "Ngày sinh", "Số"]
    assert rows == [["Nguyễn Văn Hùng", "02/01/1980", "3"], ["Trần Thị Đào", "", "0"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_filename_is_plain_ascii():
    assert (
        filename("Đảng viên", "X01-CB02", "2026-03", ext="xlsx")
        == "dang-vien-x01-cb02-2026-03.xlsx"
    )
