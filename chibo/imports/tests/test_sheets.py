"""Cells, headers and the docs that describe them."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from chibo.core.sheets import CellError, match_headers, read_cell, sheet_named, sheets
from chibo.members.importing.sheets import MEMBERS
from chibo.org.importing import UNITS

DOCS = Path(settings.BASE_DIR) / "docs" / "import.md"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19/05/2010", dt.date(2010, 5, 19)),
        ("1/2/2010", dt.date(2010, 2, 1)),
        ("2010-05-19", dt.date(2010, 5, 19)),
        ("2010-05-19 00:00:00", dt.date(2010, 5, 19)),
        ("19.05.2010", dt.date(2010, 5, 19)),
        ("19052010", dt.date(2010, 5, 19)),
        (19052010, dt.date(2010, 5, 19)),  # typed into a number cell
        (1052010, dt.date(2010, 5, 1)),  # ... which dropped the leading zero of 01052010
        ("19/5/10", dt.date(2010, 5, 19)),
        (dt.datetime(2010, 5, 19, 0, 0), dt.date(2010, 5, 19)),
        (dt.date(2010, 5, 19), dt.date(2010, 5, 19)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value, expected):
    assert read_cell(MEMBERS.column("birth_date"), value) == expected


def test_two_digit_year_of_a_birth_date_is_never_next_year():
    # Next year's two digits are a birth date of the century before (chibo.core.formats).
    next_year = timezone.localdate().year + 1
    cell = f"19/5/{next_year % 100:02d}"
    assert read_cell(MEMBERS.column("birth_date"), cell) == dt.date(next_year - 100, 5, 19)


@pytest.mark.parametrize(
    "value", ["29/02/2023", "19/05", "2010", 40000, "hôm qua", "1905201", "19/05/2010 abc"]
)
def test_not_dates(value):
    with pytest.raises(CellError, match="is not a date"):
        read_cell(MEMBERS.column("birth_date"), value)


def test_leap_day():
    assert read_cell(MEMBERS.column("birth_date"), "29/02/2024") == dt.date(2024, 2, 29)


def test_decomposed_accents_match():
    # macOS writes "Nữ" as "Nu" plus combining marks.
    assert read_cell(MEMBERS.column("gender"), "Nu\u031b\u0303") == "female"
    assert read_cell(MEMBERS.column("full_name"), "Tra\u0302\u0300n") == "Trần"


def test_text_is_tidied():
    assert read_cell(MEMBERS.column("full_name"), "  Lê   Văn\tAn ") == "Lê Văn An"
    assert read_cell(MEMBERS.column("card_number"), 12345.0) == "12345"


def test_headers_fold_and_report_unknown_and_duplicates():
    positions, duplicated, unknown = match_headers(
        UNITS, ["MA DON VI", "name", "Loại đơn vị", "Ghi chú riêng", "code", ""]
    )
    assert positions == {"code": 0, "name": 1, "kind": 2}
    assert duplicated == ["code"]
    assert unknown == ["Ghi chú riêng"]


def test_sheet_names():
    assert sheet_named("Đảng viên") is MEMBERS
    assert sheet_named("dang vien") is MEMBERS
    assert sheet_named("members") is MEMBERS
    assert sheet_named("Units") is UNITS
    assert sheet_named("Sheet1") is None


def test_no_header_means_two_columns():
    for sheet in sheets():
        seen: dict[str, str] = {}
        for column in sheet.columns:
            for name in column.names():
                assert seen.setdefault(name, column.key) == column.key, (sheet.key, name)


def test_docs_describe_every_sheet_column_and_value():
    text = DOCS.read_text()
    for sheet in sheets():
        assert f"{sheet.title} (`{sheet.key}`)" in text
        for column in sheet.columns:
            assert f"| {column.label}" in text and f"`{column.key}`" in text
            for value, spellings in column.choices.items():
                assert f"`{value}`" in text
                assert all(str(s) in text for s in spellings[:-1]), value
