"""JSON API for member records: members (with transfers), and the dated records hanging off
them: events, placements and positions. Each endpoint: access helper, service, schema. Lists
are paginated and cost a fixed number of queries whatever their length."""

from .members import members
from .records import events, placements, positions
from .units import unit_counts_router

__all__ = ["events", "members", "placements", "positions", "unit_counts_router"]
