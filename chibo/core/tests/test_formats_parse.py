"""The one reader of typed dates and times (chibo.core.formats), shared by forms and import:
every spelling, the refusals and their message, the boundaries."""

import datetime as dt

import pytest
from django.utils import translation

from chibo.core.formats import ParseError, parse_date, parse_datetime, parse_time

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "text",
    [
        "06/12/2026",
        "6/12/2026",
        "06-12-2026",
        "06.12.2026",
        "2026-12-06",
        "06122026",
        "6/12/26",
        "06-12-26",
        "6.12.26",
        "061226",
        " 06/12/2026 ",
        "06 / 12 / 2026",
        "2026/12/06",
    ],
)
def test_date_spellings(text):
    assert parse_date(text, today=TODAY) == dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2/2026", dt.date(2026, 2, 1)),  # day first, always
        ("12/1/2026", dt.date(2026, 1, 12)),
        ("31/12/1999", dt.date(1999, 12, 31)),
        ("01/01/1900", dt.date(1900, 1, 1)),
        ("31/12/2099", dt.date(2099, 12, 31)),
    ],
)
def test_day_comes_first(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("yy", "year"),
    [
        ("00", 2000),
        ("26", 2026),
        ("36", 2036),  # ten years ahead: the last year read in this century
        ("37", 1937),  # eleven years ahead is read as the century before
        ("99", 1999),
    ],
)
def test_two_digit_year_window(yy, year):
    assert parse_date(f"6/12/{yy}", today=TODAY) == dt.date(year, 12, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6/12/26", dt.date(2026, 12, 6)),  # today is not in the future
        ("7/12/26", dt.date(1926, 12, 7)),  # tomorrow would be: a century earlier
        ("6/12/30", dt.date(1930, 12, 6)),
        ("15/3/85", dt.date(1985, 3, 15)),
        ("29/02/00", dt.date(2000, 2, 29)),
        ("29/02/04", dt.date(2004, 2, 29)),
        ("06122026", dt.date(2026, 12, 6)),  # four digits: as written, never moved
    ],
)
def test_birth_dates_never_land_in_the_future(text, expected):
    assert parse_date(text, past=True, today=TODAY) == expected


def test_a_four_digit_future_year_stays_for_the_service_to_refuse():
    assert parse_date("07/12/2026", past=True, today=TODAY) == dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("29/02/2024", True),  # leap year
        ("29/02/2000", True),  # divisible by 400
        ("29/02/2026", False),
        ("29/02/1900", False),  # divisible by 100, not by 400
        ("29022024", True),
        ("29022023", False),
        ("29/02/24", True),
        ("29/02/23", False),
        ("28/02/2023", True),
        ("31/04/2026", False),
        ("30/04/2026", True),
        ("31/12/2026", True),
        ("32/12/2026", False),
        ("00/12/2026", False),
        ("06/13/2026", False),
        ("06/00/2026", False),
    ],
)
def test_calendar_boundaries(text, valid):
    if valid:
        assert parse_date(text, today=TODAY).strftime("%d") == text[:2]
    else:
        with pytest.raises(ParseError, match=r"^Date as dd/mm/yyyy, e\.g\. 06/12/2026$"):
            parse_date(text, today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "6/12",
        "2026",
        "6122026",
        "0612202",
        "06/12/026",
        "06/12/20266",
        "hôm nay",
        "6/12/2026 19:30",
    ],
)
def test_date_refusals_say_the_format_with_today_as_the_example(text):
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY)
    assert str(caught.value) == "Date as dd/mm/yyyy, e.g. 06/12/2026"
    assert caught.value.code == "invalid"


@pytest.mark.parametrize(
    ("text", "year"), [("01/01/0198", 198), ("31/12/1899", 1899), ("01/01/2101", 2101)]
)
def test_a_year_out_of_range_is_named(text, year):
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY)
    assert str(caught.value) == f"The year {year} looks wrong."
    assert caught.value.code == "year"


def test_the_refusal_is_in_vietnamese_in_the_vietnamese_ui():
    with translation.override("vi"), pytest.raises(ParseError) as caught:
        parse_date("31/02/2026", today=TODAY)
    assert str(caught.value) == "Ngày dạng dd/mm/yyyy, ví dụ 06/12/2026"
    with translation.override("vi"), pytest.raises(ParseError) as caught:
        parse_time("25:61")
    assert str(caught.value) == "Giờ dạng hh:mm, ví dụ 19:30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:30", dt.time(19, 30)),
        ("19.30", dt.time(19, 30)),
        ("1930", dt.time(19, 30)),
        ("19h30", dt.time(19, 30)),
        ("19H30", dt.time(19, 30)),
        ("19h", dt.time(19, 0)),
        ("7:30", dt.time(7, 30)),
        ("07:30", dt.time(7, 30)),
        ("730", dt.time(7, 30)),
        ("0730", dt.time(7, 30)),
        ("7h05", dt.time(7, 5)),
        ("19g30", dt.time(19, 30)),
        ("19 giờ 30", dt.time(19, 30)),
        ("19 giờ 30 phút", dt.time(19, 30)),
        ("19 giờ", dt.time(19, 0)),
        ("19:30:45", dt.time(19, 30)),  # seconds are dropped
        (" 19:30 ", dt.time(19, 30)),
        ("0:00", dt.time(0, 0)),
        ("00:00", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        ("2359", dt.time(23, 59)),
    ],
)
def test_time_spellings(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "24:00",  # the next day's 00:00: a meeting time is within its day
        "25:61",
        "2400",
        "19:60",
        "19h60",
        "19:30:60",
        "19",  # a bare hour could be anything: 19h is the way to say it
        "7",
        "19.5",
        "19:3",
        "7 rưỡi",
        "7:30 PM",
        "-1:30",
        "19:30 06/12/2026",
        "",
        "tối",
    ],
)
def test_time_refusals(text):
    with pytest.raises(ParseError) as caught:
        parse_time(text)
    assert str(caught.value) == "Time as hh:mm, e.g. 19:30"


@pytest.mark.parametrize(
    "text",
    [
        "06/12/2026 19:30",
        "19:30 06/12/2026",  # as Chibo shows a date and time
        "06122026 1930",
        "6/12/26 19h30",
        "19h30 ngày 6/12/2026",
        "19 giờ 30 ngày 06/12/2026",
        "06/12/2026, 19:30",
        "06/12/2026 lúc 19:30",
        "2026-12-06T19:30",
        "2026-12-06 19:30:00",
    ],
)
def test_datetime_spellings(text):
    assert parse_datetime(text, today=TODAY) == dt.datetime(2026, 12, 6, 19, 30)


@pytest.mark.parametrize(
    "text", ["06/12/2026", "19:30", "06/12/2026 24:00", "31/02/2026 19:30", "06/12/2026 19:30 x"]
)
def test_datetime_refusals(text):
    with pytest.raises(ParseError) as caught:
        parse_datetime(text, today=TODAY)
    assert str(caught.value) == "Date and time as dd/mm/yyyy hh:mm, e.g. 06/12/2026 19:30"
