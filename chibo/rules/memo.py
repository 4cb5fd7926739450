"""The rules read once for a whole read (a deadline board, a page): within `remembered()`,
the rule versions, whether the working-day table is built and the province of a unit are
read from the database the first time they are asked for and kept until the block ends.

Rules are data with effective dates, changed by writes (a version added, a working day
changed, a unit moved to another province): nothing is kept outside a block, a block is
meant for reads, and a write to the rules inside one forgets what it kept (`forget`,
called by the writes of chibo.rules)."""

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Any

_kept: ContextVar[dict[Hashable, Any] | None] = ContextVar("chibo_rules_kept", default=None)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Keep what `once` reads until the block ends; a block within a block is the same."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def once[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once within a `remembered()` block for `key` (every time outside)."""
    kept = _kept.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def forget() -> None:
    """Drop what the current block kept (the rules were just written)."""
    kept = _kept.get()
    if kept is not None:
        kept.clear()
