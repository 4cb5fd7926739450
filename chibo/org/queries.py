"""Reads of the tree that lists of other apps share."""

from typing import Any

from .models import OrgUnit


def name_cells(rows: list[Any]) -> None:
    """Fill `cell_name` on rows that carry a `cell_id` (one query for all of them)."""
    ids = {r.cell_id for r in rows if r.cell_id}
    names = dict(OrgUnit.all_objects.filter(pk__in=ids).values_list("pk", "name"))
    for r in rows:
        r.cell_name = names.get(r.cell_id, "")
