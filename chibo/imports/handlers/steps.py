"""What the lifecycle handlers share: a service's whole-row refusal tied to a column, the
refusal to change what a later step made final, and lookups beyond the write scope."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.members import access as member_access
from chibo.members.models import Member

from ..sheets import Sheet
from .base import Context, RowError, fail, show


@contextmanager
def on_column(column: str) -> Iterator[None]:
    """A service's refusal that names no field ("record the earlier steps first") shown on
    the column of the row that asked for the step."""
    try:
        yield
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            raise
        raise RowError(*[(message, column) for message in e.messages]) from None


def kept(sheet: Sheet, column: str, stored: Any) -> None:
    """Refuse to change what Chibo records and no service changes any more."""
    fail(
        _(
            "Chibo already records “%(value)s” here, and an import does not change it; leave "
            "the cell empty to keep it."
        )
        % {"value": show(sheet, column, stored)},
        column,
    )


def readable_member(ctx: Context, code: str, column: str) -> Member:
    """A member the importing user may read (an introducer may belong to another cell)."""
    member = member_access.members_for(ctx.user).filter(code=code).first()
    if member is None:
        fail(_("Unknown member code %(code)s.") % {"code": code}, column)
    return member


def day_of(value: Any) -> dt.date:
    """A date cell for sorting rows: one that could not be read sorts first (its row is an
    error anyway)."""
    return value if isinstance(value, dt.date) else dt.date.min
