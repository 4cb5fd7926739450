"""`rules.at(date, unit=None)`: the Party rules in force on a date (see chibo.rules.models)."""

from .queries import RuleBook, Rules, at, province_of

__all__ = ["RuleBook", "Rules", "at", "province_of"]
