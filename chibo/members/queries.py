"""Reads of member records: the member list (the same for the page, the API and
bench/member_search.py) and the member counts of units on any date."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from chibo.org.models import OrgUnit

from . import access
from .models import (
    IN_PARTY,
    MemberQuerySet,
    PlacementKind,
    Status,
    StatusPeriod,
    exempt_on,
    period_valid_on,
)

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


# Counts of units ---------------------------------------------------------------------------

EMPTY = {"official": 0, "probationary": 0, "in_party": 0, "exempt": 0, "left": 0}


def unit_counts(units: Iterable[OrgUnit], on: dt.date) -> dict[int, dict[str, int]]:
    """For each unit: members placed (officially) in its subtree on `on`, by status then.

    `in_party` = official + probationary; `exempt` is among those; `left` counts records still
    held but no longer in the Party (removed, expelled, withdrew, deceased)."""
    ids = [u.pk for u in units]
    result = {pk: dict(EMPTY) for pk in ids}
    if not ids:
        return result
    # From the status period holding that day, through the member's official placement that
    # day, to every asked-for unit above that cell as the tree stood that day. Each member has
    # at most one of each on a date, so no row is counted twice. Conditions on one relation
    # stay in one filter() call so that they share one join.
    link = "member__placements__unit__ancestor_links__"
    rows = (
        StatusPeriod.objects.filter(period_valid_on(on), member__deleted_at__isnull=True)
        .filter(
            Q(member__placements__end__isnull=True) | Q(member__placements__end__gt=on),
            Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": on}),
            member__placements__deleted_at__isnull=True,
            member__placements__kind=PlacementKind.OFFICIAL,
            member__placements__start__lte=on,
            **{f"{link}ancestor_id__in": ids, f"{link}valid_from__lte": on},
        )
        .values(f"{link}ancestor_id", "status")
        .annotate(
            n=Count("pk"),
            n_exempt=Count("pk", filter=Q(exempt_on(on, "member_id"))),
        )
    )
    for row in rows:
        counts = result[row[f"{link}ancestor_id"]]
        status, n = row["status"], row["n"]
        if status in (Status.OFFICIAL, Status.PROBATIONARY):
            counts["official" if status == Status.OFFICIAL else "probationary"] += n
            counts["in_party"] += n
            counts["exempt"] += row["n_exempt"]
        else:
            counts["left"] += n
    return result
