"""One handler per sheet, in dependency order: each decides create / update / unchanged for
a row and calls the domain services to write it."""

from .attendance import ATTENDANCE_HANDLER
from .badges import BADGE_HANDLER
from .base import Context, Handler, Outcome, Parsed, RowError
from .development import CANDIDATE_HANDLER, REVIEW_HANDLER
from .meetings import MEETING_HANDLER
from .members import EVENT_HANDLER, MEMBER_HANDLER, POSITION_HANDLER
from .org import UNIT_HANDLER, VILLAGE_HANDLER
from .ratings import RATING_HANDLER
from .transfers import TRANSFER_HANDLER

HANDLERS: dict[str, Handler] = {
    h.sheet.key: h
    for h in (
        UNIT_HANDLER,
        VILLAGE_HANDLER,
        MEMBER_HANDLER,
        CANDIDATE_HANDLER,
        EVENT_HANDLER,
        POSITION_HANDLER,
        REVIEW_HANDLER,
        TRANSFER_HANDLER,
        BADGE_HANDLER,
        MEETING_HANDLER,
        ATTENDANCE_HANDLER,
        RATING_HANDLER,
    )
}

__all__ = ["HANDLERS", "Context", "Handler", "Outcome", "Parsed", "RowError"]
