"""Member counts for units, on any date, in one query however many units are asked for."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from chibo.members.models import (
    Placement,
    PlacementKind,
    Status,
    exempt_on,
    status_case,
    status_event_kind,
)

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
    # All conditions on the ancestry link sit in one filter() call so they share one join.
    rows = (
        Placement.objects.filter(
            Q(end__isnull=True) | Q(end__gt=on),
            Q(unit__ancestor_links__valid_to__isnull=True)
            | Q(unit__ancestor_links__valid_to__gt=on),
            kind=PlacementKind.OFFICIAL,
            start__lte=on,
            member__deleted_at__isnull=True,
            unit__ancestor_links__ancestor_id__in=ids,
            unit__ancestor_links__valid_from__lte=on,
        )
        .annotate(status_event=status_event_kind(on, "member_id"))
        .annotate(status=status_case(), exempt=exempt_on(on, "member_id"))
        .values("unit__ancestor_links__ancestor_id", "status")
        .annotate(n=Count("pk"), n_exempt=Count("pk", filter=Q(exempt=True)))
    )
    for row in rows:
        counts = result[row["unit__ancestor_links__ancestor_id"]]
        status = row["status"]
        if status == Status.OFFICIAL:
            counts["official"] += row["n"]
        elif status == Status.PROBATIONARY:
            counts["probationary"] += row["n"]
        elif status:
            counts["left"] += row["n"]
        if status in (Status.OFFICIAL, Status.PROBATIONARY):
            counts["in_party"] += row["n"]
            counts["exempt"] += row["n_exempt"]
    return result
