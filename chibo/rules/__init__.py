"""`rules.at(date, unit=None)`: the Party rules in force on a date (see chibo.rules.queries);
`rules.remembered()`: read them once for a whole read (chibo.rules.memo).

The names of chibo.rules.queries load on first use: Django imports this package while it
loads the apps, before any model may be imported, and the rules are read from models."""

from typing import TYPE_CHECKING, Any

from .memo import remembered

if TYPE_CHECKING:
    from .queries import RuleBook, Rules, at, province_of

__all__ = ["RuleBook", "Rules", "at", "province_of", "remembered"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import queries

        return getattr(queries, name)
    raise AttributeError(f"module 'chibo.rules' has no attribute {name!r}")
