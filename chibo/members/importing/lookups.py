"""Members by record code for the rows of every sheet that names one: within what the
importing user may write, or (an introducer) may read."""

from django.utils.translation import gettext as _

from chibo.core.sheets import Context, fail

from ..access import members_for
from ..models import Member, MemberQuerySet


def writable_members(ctx: Context, *, deleted: bool = False) -> MemberQuerySet:
    """Re-read on every lookup: rows create members that later rows refer to, and those must
    count as in scope."""
    return members_for(ctx.user, write=True, deleted=deleted)


def writable_member(ctx: Context, code: str, column: str) -> Member:
    """A member the user may write, by record code; outside the scope reads as unknown."""
    member = writable_members(ctx).filter(code=code).select_related("home_unit").first()
    if member is None:
        fail(_("Unknown member code %(code)s.") % {"code": code}, column)
    return member


def readable_member(ctx: Context, code: str, column: str) -> Member:
    """A member the importing user may read (an introducer may belong to another cell)."""
    member = members_for(ctx.user).filter(code=code).first()
    if member is None:
        fail(_("Unknown member code %(code)s.") % {"code": code}, column)
    return member
