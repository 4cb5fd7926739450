"""The sheets of past meetings in the import template (chibo.core.sheets): the meetings,
their attendance and their quality ratings."""

from chibo.core.sheets import register

from .attendance import ATTENDANCE_HANDLER
from .meetings import MEETING_HANDLER
from .ratings import RATING_HANDLER

for handler in (MEETING_HANDLER, ATTENDANCE_HANDLER, RATING_HANDLER):
    register(handler)
