"""Writes to member records. Each is a write (`@audit.write`: one transaction, one audit
event about the member); each keeps the member's derived copies (`home_unit`, `admitted_on`,
`official_on`) in step through `member_refresh`. Transfers are chibo.members.transfers."""

from . import transfer_kinds  # noqa: F401  (declares the transfers' audit event kinds)
from .bulk import NewMember, member_create_many
from .events import event_create, event_delete, event_restore, event_update
from .placements import (
    placement_create,
    placement_delete,
    placement_move_all,
    placement_restore,
    placement_update,
)
from .positions import position_create, position_delete, position_restore, position_update
from .records import (
    PROFILE_FIELDS,
    member_build,
    member_create,
    member_delete,
    member_restore,
    member_update,
)
from .refresh import check_cell, member_refresh

__all__ = [
    "PROFILE_FIELDS",
    "NewMember",
    "check_cell",
    "event_create",
    "event_delete",
    "event_restore",
    "event_update",
    "member_build",
    "member_create",
    "member_create_many",
    "member_delete",
    "member_refresh",
    "member_restore",
    "member_update",
    "placement_create",
    "placement_delete",
    "placement_move_all",
    "placement_restore",
    "placement_update",
    "position_create",
    "position_delete",
    "position_restore",
    "position_update",
]
