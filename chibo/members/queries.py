"""The member list, the same for the page, the API and bench/member_search.py."""

import datetime as dt

from chibo.core import access
from chibo.org.models import OrgUnit

from .models import IN_PARTY, MemberQuerySet, Status

# Status filters: a Status value, or one of these.
IN_PARTY_FILTER = "in_party"  # official or probationary (the page's default)
EXEMPT_FILTER = "exempt"  # in the Party and exempt from activities
LEFT_FILTER = "left"  # records no longer in the Party
LEFT = [s.value for s in Status if s not in IN_PARTY]


def member_list(
    user,
    *,
    on: dt.date,
    q: str | None = None,
    unit: OrgUnit | None = None,
    status: str | None = None,
    gender: str | None = None,
) -> MemberQuerySet:
    """Members the user may read, filtered, with `status` and `exempt` on `on`, in name order.

    `unit` restricts to records held in its subtree; `status` None means every record."""
    qs = access.members_for(user).search(q).with_status(on)
    if unit is not None:
        # all_objects, like the access scope: a record may still name a since-deleted cell.
        qs = qs.filter(home_unit__in=OrgUnit.all_objects.within(unit).values("pk"))
    if gender:
        qs = qs.filter(gender=gender)
    in_party = [s.value for s in IN_PARTY]
    if status == IN_PARTY_FILTER:
        qs = qs.filter(status__in=in_party)
    elif status == EXEMPT_FILTER:
        qs = qs.filter(status__in=in_party, exempt=True)
    elif status == LEFT_FILTER:
        qs = qs.filter(status__in=LEFT)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("home_unit").order_by("search_name", "pk")
