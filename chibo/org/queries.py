"""Reads of the tree that lists of other apps share."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from .models import OrgUnit


def name_cells(rows: list[Any]) -> None:
    """Fill `cell_name` on rows that carry a `cell_id` (one query for all of them)."""
    ids = {r.cell_id for r in rows if r.cell_id}
    names = dict(OrgUnit.all_objects.filter(pk__in=ids).values_list("pk", "name"))
    for r in rows:
        r.cell_name = names.get(r.cell_id, "")


def under(roots: Iterable[int], on: dt.date, path: str = "unit") -> tuple[Q, str]:
    """For grouped counts by subtree: a condition keeping rows whose unit (reached through
    `path`) lay in the subtree of one of `roots` as the tree stood on `on`, and the column to
    group by (that root's id). Use the condition in one `filter()` call, so that its parts share
    one join of the closure table, then `.values(column).annotate(...)`: a row under two roots
    (a root and its sub-unit) counts for each. `path=""` when the rows are units themselves."""
    link = f"{path}__ancestor_links__" if path else "ancestor_links__"
    condition = Q(**{f"{link}ancestor_id__in": list(roots), f"{link}valid_from__lte": on}) & (
        Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": on})
    )
    return condition, f"{link}ancestor_id"


def units_on(on: dt.date) -> Q:
    """Units existing on `on`: founded by then (or with no known founding) and not dissolved
    on or before it, and not in the trash."""
    return (
        (Q(founded_on__isnull=True) | Q(founded_on__lte=on))
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        & Q(deleted_at__isnull=True)
    )
