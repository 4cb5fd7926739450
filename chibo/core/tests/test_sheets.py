"""The order of the import sheets: every sheet after the sheets it needs, the rest by
`order`; a loop of needs, or a need on a sheet nobody registers, refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.core.sheets import Sheet, sheet_order


def sheet(key: str, order: int = 100, after=(), before=()) -> Sheet:
    return Sheet(key, key, key, key, (), after=tuple(after), before=tuple(before), order=order)


def keys(sheets) -> list[str]:
    return [s.key for s in sheet_order(sheets)]


def test_by_order_then_key_when_nothing_is_needed():
    assert keys([sheet("c", 20), sheet("b", 10), sheet("a", 20)]) == ["b", "a", "c"]


def test_a_need_outweighs_the_order():
    # "a" would go first by its order, but its rows name records of "b".
    assert keys([sheet("a", 10, after=["b"]), sheet("b", 20)]) == ["b", "a"]


def test_before_places_the_named_sheet_after():
    # A lower app's sheet is not told about a higher one: the higher one says "before".
    assert keys([sheet("events", 10), sheet("candidates", 20, before=["events"])]) == [
        "candidates",
        "events",
    ]


def test_needs_through_other_sheets():
    sheets = [
        sheet("ratings", 1, after=["attendance"]),
        sheet("attendance", 2, after=["meetings", "transfers"]),
        sheet("meetings", 3),
        sheet("reviews", 4, before=["transfers"]),
        sheet("transfers", 5),
    ]
    assert keys(sheets) == ["meetings", "reviews", "transfers", "attendance", "ratings"]


def test_the_same_whatever_the_order_of_registration():
    sheets = [sheet("a", 30), sheet("b", 10, after=["c"]), sheet("c", 20), sheet("d", 10)]
    assert keys(sheets) == keys(reversed(sheets)) == ["d", "c", "b", "a"]


def test_a_loop_is_refused():
    sheets = [sheet("a", after=["b"]), sheet("b", after=["c"]), sheet("c", after=["a"])]
    with pytest.raises(ImproperlyConfigured, match="the needs of a, b, c form a loop"):
        sheet_order(sheets)


def test_a_loop_through_before_is_refused():
    # Each says it goes before the other.
    with pytest.raises(ImproperlyConfigured, match="the needs of a, b form a loop"):
        sheet_order([sheet("a", before=["b"]), sheet("b", before=["a"]), sheet("c")])


def test_an_unknown_sheet_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'a' is placed against 'b'"):
        sheet_order([sheet("a", after=["b"])])
    with pytest.raises(ImproperlyConfigured, match="'c' is placed against 'd'"):
        sheet_order([sheet("c", before=["d"])])
