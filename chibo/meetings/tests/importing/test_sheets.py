"""The cells of the meeting sheets (times, points, yes / no), and the template round trip."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chibo import rules
from chibo.core.sheets import CellError, read_cell, sheet_named
from chibo.imports.services import import_commit
from chibo.imports.template import template_workbook
from chibo.meetings.importing.sheets import ATTENDANCE, MEETINGS, PARTS, RATINGS
from chibo.meetings.models import Meeting, QualityScore, State
from chibo.meetings.services import quality
from chibo.testing.workbooks import messages

from .helpers import history_book


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19:30", dt.time(19, 30)),
        ("7:05", dt.time(7, 5)),
        ("19h30", dt.time(19, 30)),
        ("19H", dt.time(19, 0)),
        ("19 giờ 30", dt.time(19, 30)),
        ("19 gio 30 phut", dt.time(19, 30)),
        ("19g30", dt.time(19, 30)),
        ("1930", dt.time(19, 30)),  # the one parser of forms and import (chibo.core.formats)
        (1930, dt.time(19, 30)),  # typed into a number cell
        ("19.30", dt.time(19, 30)),
        ("19:30:00", dt.time(19, 30)),
        (dt.time(19, 30, 15), dt.time(19, 30)),
        (dt.datetime(2026, 3, 5, 19, 30), dt.time(19, 30)),
        ("", None),
        (None, None),
    ],
)
def test_times(value, expected):
    assert read_cell(MEETINGS.column("start"), value) == expected


@pytest.mark.parametrize("value", ["24:00", "19:60", "19.5", "tối", 0.8125, 19, "19", "2430"])
def test_not_times(value):
    with pytest.raises(CellError, match="is not a time"):
        read_cell(MEETINGS.column("start"), value)


@pytest.mark.parametrize(
    ("value", "expected"), [(15, 15), (15.0, 15), ("15", 15), (" 0 ", 0), ("", None), (None, None)]
)
def test_points(value, expected):
    assert read_cell(RATINGS.column("total"), value) == expected


@pytest.mark.parametrize("value", [-1, 1.5, "1,5", "15 điểm", True])
def test_not_points(value):
    with pytest.raises(CellError, match="is not a whole number"):
        read_cell(RATINGS.column("total"), value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Có", True), ("co", True), ("x", True), (True, True), (1, True), ("Yes", True)]
    + [("Không", False), ("khong", False), (False, False), (0, False), ("", "")],
)
def test_yes_no(value, expected):
    assert read_cell(ATTENDANCE.column("late"), value) == expected


def test_sheet_names():
    assert sheet_named("Sinh hoạt") is MEETINGS
    assert sheet_named("sinh hoat chi bo") is MEETINGS
    assert sheet_named("attendance") is ATTENDANCE
    assert sheet_named("Điểm danh") is ATTENDANCE
    assert sheet_named("XEP LOAI") is RATINGS


def test_part_columns_are_the_national_checklist(db):
    # The columns are the parts of the checklist in force since 12-HD/BTCTW (06/7/2018).
    national = rules.at(dt.date(2018, 7, 6)).quality_max
    assert national is not None
    assert set(PARTS) == set(national) == set(quality.PART_LABELS)


def test_template_round_trip(world, cast, people):
    """The downloaded template, filled in as an office would (times typed into its time
    columns become Excel times), imports the history."""
    wb = load_workbook(io.BytesIO(template_workbook()))
    for title, rows in history_book(people).items():
        ws = wb[title]
        header = [c.value for c in ws[1]]
        for row in rows[1:]:
            values = dict(zip(rows[0], row, strict=True))
            for key in ("Giờ bắt đầu", "Giờ kết thúc"):
                if isinstance(values.get(key), str):
                    hour, minute = values[key].replace("h", ":").split(":")
                    values[key] = dt.time(int(hour), int(minute))
            ws.append([values.get(h) for h in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_commit(actor=cast.base_officer, files=[("filled.xlsx", buffer.getvalue())])
    assert report.committed, messages(report)
    assert sorted(Meeting.objects.values_list("state", flat=True)) == sorted(
        [State.ADOPTED, State.ADOPTED, State.HELD]
    )
    assert QualityScore.objects.count() == 3
