"""Reads about superior followers: who follows a cell on a day, and what a follower follows."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from .models import FollowAssignment


def follower_ids(cell_ids: Iterable[int], day: dt.date) -> dict[int, set[int]]:
    """The active accounts following each cell on `day` (an empty set for a cell nobody
    follows), in one query."""
    cells = list(cell_ids)
    out: dict[int, set[int]] = defaultdict(set)
    for cell, user in (
        FollowAssignment.objects.active_on(day)
        .filter(cell_id__in=cells, follower__is_active=True)
        .values_list("cell_id", "follower_id")
    ):
        out[cell].add(user)
    return {cell: out[cell] for cell in cells}


def assignments_of(user, day: dt.date) -> QuerySet[FollowAssignment]:
    """The user's assignments in force on `day`, with their cells."""
    return (
        FollowAssignment.objects.active_on(day)
        .filter(follower_id=user.pk)
        .select_related("cell")
        .order_by("cell__sort_name", "pk")
    )
