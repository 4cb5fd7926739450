"""Member counts of a unit: /api/v1/units/{id}/counts (the units themselves are
chibo.org.api's)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from chibo.accounts.authentication import user_of
from chibo.core.api import Day, today
from chibo.org import access as org_access

from ..queries import unit_counts

unit_counts_router = Router(tags=["units"])


class CountsOut(Schema):
    unit: int
    on: dt.date
    official: int
    probationary: int
    in_party: int
    exempt: int
    left: int


@unit_counts_router.get("/{unit_id}/counts", response=CountsOut)
def unit_counts_read(request: HttpRequest, unit_id: int, on: Day | None = None) -> dict:
    """Members placed in the unit's subtree on `on` (today if unset), by status then."""
    unit = org_access.get_unit_for(user_of(request), unit_id)
    on = on or today()
    return {"unit": unit.pk, "on": on, **unit_counts([unit], on)[unit.pk]}
