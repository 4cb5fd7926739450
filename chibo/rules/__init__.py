"""`rules.at(date, unit=None)`: the Party rules in force on a date (see chibo.rules.models)."""

from .api import Rules, at

__all__ = ["Rules", "at"]
