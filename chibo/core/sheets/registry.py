"""The sheets of the import template, registered by the apps that own them in their
`importing.py` (chibo.core.registry), and the order they are read in.

Order matters: a row may name a record that a row of an earlier sheet creates (a member's
events name a member of the members sheet). Each sheet says which sheets its rows need
(`after`), or which sheets need its own (`before`: a lower app never names a higher one);
among the sheets those leave free, the lowest `order` goes first. The same registrations
give the same order whatever the order the apps were imported in."""

import heapq
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

from chibo.core.registry import Registry
from chibo.core.search import fold

from .columns import Sheet
from .rows import Handler

SHEETS: Registry[Handler] = Registry("import sheets", discover="importing")


def register(handler: Handler) -> Handler:
    return SHEETS.register(handler.sheet.key, handler)


def sheet_order(sheets: Iterable[Sheet]) -> list[Sheet]:
    """Every sheet after the sheets it needs; otherwise by `order`, then key. A need on a
    sheet that no app registers, or a loop of needs, is a mistake in the code: it fails at
    the first import or template download, and in the tests."""
    by_key = {s.key: s for s in sheets}
    needs: dict[str, set[str]] = {key: set() for key in by_key}
    for sheet in by_key.values():
        for other in (*sheet.after, *sheet.before):
            if other not in by_key:
                raise ImproperlyConfigured(
                    f"The import sheet {sheet.key!r} is placed against {other!r}, which no "
                    "installed app registers."
                )
        for other in sheet.after:
            needs[sheet.key].add(other)
        for other in sheet.before:
            needs[other].add(sheet.key)
    ready = [(s.order, s.key) for s in by_key.values() if not needs[s.key]]
    heapq.heapify(ready)
    out: list[Sheet] = []
    while ready:
        _order, key = heapq.heappop(ready)
        out.append(by_key[key])
        for other, waits in needs.items():
            if key in waits:
                waits.discard(key)
                if not waits:
                    heapq.heappush(ready, (by_key[other].order, other))
    if len(out) < len(by_key):
        loop = sorted(key for key, waits in needs.items() if waits)
        raise ImproperlyConfigured(
            f"The import sheets cannot be ordered: the needs of {', '.join(loop)} form a loop."
        )
    return out


def handlers() -> list[Handler]:
    """The handler of every registered sheet, in the order the sheets are read."""
    return [SHEETS[s.key] for s in sheet_order(h.sheet for h in SHEETS)]


def sheets() -> list[Sheet]:
    """The template's sheets, in the order they are read."""
    return [h.sheet for h in handlers()]


def sheet_named(name: str) -> Sheet | None:
    """The sheet a workbook tab or a CSV file stem stands for."""
    folded = fold(name)
    return next((s for s in sheets() if folded in s.names()), None)
