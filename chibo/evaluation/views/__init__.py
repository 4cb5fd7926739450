"""The evaluation's pages: a unit's campaigns and the opening of a year's campaign, the
campaign board, the member's self-assessment and their history."""

from .board import (
    campaign_board,
    cell_decide,
    cell_propose,
    override,
    publish,
    refresh,
    units_decide,
)
from .member import member_history, self_assessment
from .unit import campaign_open, unit_page

__all__ = [
    "campaign_board",
    "campaign_open",
    "cell_decide",
    "cell_propose",
    "member_history",
    "override",
    "publish",
    "refresh",
    "self_assessment",
    "unit_page",
    "units_decide",
]
