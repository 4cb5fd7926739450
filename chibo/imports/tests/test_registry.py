"""The sheets the apps register (their `importing.py`), in the order the engine reads them
and the template lists them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.core.sheets import SHEETS, Handler, Outcome, Sheet, handlers, sheets
from chibo.imports.template import template_workbook

# The order of the template before its sheets moved to their apps, unchanged; the sheets added
# since take their place by their `order` (the ratings of past years after the badges).
TEMPLATE = [
    "units",
    "villages",
    "members",
    "candidates",
    "events",
    "positions",
    "reviews",
    "transfers",
    "badges",
    "member_ratings",
    "unit_ratings",
    "meetings",
    "attendance",
    "ratings",
    "dues",
]


def test_every_sheet_comes_after_the_sheets_it_needs():
    order = [s.key for s in sheets()]
    for sheet in sheets():
        for other in sheet.after:
            assert order.index(other) < order.index(sheet.key), (sheet.key, "after", other)
        for other in sheet.before:
            assert order.index(sheet.key) < order.index(other), (sheet.key, "before", other)


def test_the_template_keeps_its_order():
    assert [s.key for s in sheets()] == TEMPLATE
    assert [h.sheet.key for h in handlers()] == TEMPLATE


def looping(key: str, after: str) -> Handler:
    return Handler(
        sheet=Sheet(key, key, key, key, (), after=(after,)),
        key=lambda v: (),
        apply=lambda ctx, v: Outcome("unchanged", ""),
        fields={},
    )


def test_a_loop_in_the_registry_is_refused(monkeypatch):
    handlers()  # every app's sheets registered before the registry is patched
    loop = {"loop_a": looping("loop_a", "loop_b"), "loop_b": looping("loop_b", "loop_a")}
    monkeypatch.setattr(SHEETS, "_items", {**SHEETS._items, **loop})
    with pytest.raises(ImproperlyConfigured, match="the needs of loop_a, loop_b form a loop"):
        handlers()
    with pytest.raises(ImproperlyConfigured, match="form a loop"):
        template_workbook()


def test_a_need_on_a_sheet_nobody_registers_is_refused(monkeypatch):
    handlers()
    stray = {"stray": looping("stray", "nowhere")}
    monkeypatch.setattr(SHEETS, "_items", {**SHEETS._items, **stray})
    with pytest.raises(ImproperlyConfigured, match="'stray' is placed against 'nowhere'"):
        handlers()
