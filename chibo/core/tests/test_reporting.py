"""The shapes every report shares: shares rounded half-up to two decimals, and periods."""

import datetime as dt

import pytest

from chibo.core.reporting import Period, parse_period, percent, share
from chibo.reports.display import value_text


@pytest.mark.parametrize(
    ("count", "of", "expected", "shown"),
    [
        (3, 13, 23.08, "3/13 (23,08%)"),
        (1, 8, 12.5, "1/8 (12,50%)"),
        (2, 3, 66.67, "2/3 (66,67%)"),
        (0, 0, None, "0/0"),
        (1561, 1565, 99.74, "1.561/1.565 (99,74%)"),
        # Half-up on the exact value, not on a float: 1/16 = 6.25 exactly, 1/200 = 0.5.
        (1, 16, 6.25, "1/16 (6,25%)"),
        (1, 200, 0.5, "1/200 (0,50%)"),
        (1, 800, 0.13, "1/800 (0,13%)"),  # 0.125 -> 0.13 (a float would give 0.12)
    ],
)
def test_shares_round_half_up(count, of, expected, shown):
    assert percent(count, of) == expected
    assert share(count, of) == {"count": count, "of": of, "percent": expected}
    assert value_text(share(count, of)) == shown


def test_counts_are_written_the_vietnamese_way():
    assert value_text(3658) == "3.658" and value_text(None) == "–"


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year"),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "quarter"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),  # a leap year
        ("2026-01-05..2026-03-31", dt.date(2026, 1, 5), dt.date(2026, 3, 31), "range"),
        ("2026-04-01..2026-06-30", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "quarter"),
    ],
)
def test_periods(text, start, end, kind):
    p = parse_period(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)
    assert parse_period(p.key) == p


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026-Q5", "1800", "2026-03-01..2026-01-01", "abc"]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_period_s_months_and_quarters_are_cut_to_it():
    p = Period.between(dt.date(2026, 2, 15), dt.date(2026, 4, 10))
    assert [(m.start, m.end) for m in p.months] == [
        (dt.date(2026, 2, 15), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 10)),
    ]
    assert [(q.start, q.end) for q in p.quarters] == [
        (dt.date(2026, 2, 15), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 10)),
    ]
