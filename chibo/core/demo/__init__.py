"""The demo's framework, low enough for every app to build its demo planner on it, as an app's
`admin.py` builds on django.contrib.admin: the registry of planners and the plan they share
(`plan`), the bulk writer and its ids (`writer`), Vietnamese names (`names`).

Each app plans its own rows in its `demo.py` (chibo.org.demo plans the tree, chibo.members.demo
the members...); the demo hub (chibo.demo, on the aggregators floor) runs them in order. The
framework imports no Chibo app, so it sits in core."""

from .names import Namer
from .plan import PLANNERS, Key, Plan, Planner, between, ordered, planner
from .writer import BulkWriter, Ids, analyze, history_model

__all__ = [
    "PLANNERS",
    "BulkWriter",
    "Ids",
    "Key",
    "Namer",
    "Plan",
    "Planner",
    "analyze",
    "between",
    "history_model",
    "ordered",
    "planner",
]
