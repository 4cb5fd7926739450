"""Member counts for units, on any date, in one query however many units are asked for."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from chibo.members.models import PlacementKind, Status, StatusPeriod, exempt_on, period_valid_on

from .models import OrgUnit

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
