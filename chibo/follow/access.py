"""Who assigns superior followers (built on chibo.org.access)."""

from chibo.org.access import can_write_unit
from chibo.org.models import OrgUnit


def can_assign_followers(user, cell: OrgUnit) -> bool:
    """An office above the cell (a writer of its parent) assigns the superior followers who
    follow it; the cell's own secretary does not choose who follows it."""
    return cell.parent is not None and can_write_unit(user, cell.parent)
