"""The members' sheets of the import template (chibo.core.sheets): members, their events and
positions, and transfers; and what the sheets of the apps above share with them: the
member's record code column, who a person is, and members by code within the user's scope."""

from chibo.core.sheets import register

from .lookups import readable_member, writable_member, writable_members
from .records import EVENT_HANDLER, MEMBER_HANDLER, POSITION_HANDLER
from .sheets import MEMBER_CODE, person_columns
from .transfers import TRANSFER_HANDLER

for handler in (MEMBER_HANDLER, EVENT_HANDLER, POSITION_HANDLER, TRANSFER_HANDLER):
    register(handler)

__all__ = [
    "MEMBER_CODE",
    "person_columns",
    "readable_member",
    "writable_member",
    "writable_members",
]
