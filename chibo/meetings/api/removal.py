"""/api/v1/deadlines/removal-review: the removal review of a unit's subtree for a year (the
deadline board's other lists are chibo.deadlines.api's)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from chibo.accounts.authentication import user_of
from chibo.core.api import Year, today
from chibo.org import access as org_access
from chibo.rules.calendar import FIRST

from ..queries import removal_review
from ..reminders import RemovalOut, removal_out

removal_router = Router(tags=["deadlines"])


@removal_router.get("/removal-review", response=RemovalOut)
def removal(request: HttpRequest, unit: int, year: Year | None = None) -> dict:
    """Members of the subtree who missed the rule's number of monthly meetings without a valid
    reason in `year` (default this year), with those meetings."""
    user = user_of(request)
    org_access.require_staff(user)
    scope = org_access.get_unit_for(user, unit)
    on = today()
    year = year or on.year
    if not FIRST.year <= year <= on.year:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST.year, "last": on.year}
            }
        )
    return removal_out(removal_review(scope, year, on))
