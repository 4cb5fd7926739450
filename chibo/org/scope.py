"""Scope: where grants meet the tree. A role granted on a unit reaches the unit and its whole
subtree; every app's `access.py` builds its helpers on the primitives here, and they are
always SQL filters, never checks of rows one by one in Python.

- office: read and write the subtree     - viewer: read the subtree
- secretary: read and write the cell     - member: own record and own cell's schedule

Outside the scope a record does not exist (404: we do not tell what exists); readable but
not writable is 403. The other direction, who holds a role over a unit (the people to tell,
to choose from, to check), is `holders`."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models import Exists, F, Lookup, OuterRef, QuerySet
from django.http import Http404

from chibo.accounts.models import READ_ROLES, WRITE_ROLES, Role, RoleGrant
from chibo.core.sql import chunks

from .models import Ancestry, Kind


def granted(user, *, write: bool = False) -> QuerySet:
    """Ids of the units the user holds a reading (or, with `write`, writing) role on."""
    roles = WRITE_ROLES if write else READ_ROLES
    return RoleGrant.objects.filter(user_id=user.pk, role__in=roles).values("unit_id")


def scope_units(user, *, write: bool = False) -> QuerySet | None:
    """Subquery of the unit ids in the user's scope, or None for everything (superuser)."""
    if user.is_superuser:
        return None
    return (
        Ancestry.objects.valid()
        .filter(ancestor_id__in=granted(user, write=write))
        .values("descendant_id")
    )


def scope_unit_ids(user, *, write: bool = False) -> list[int] | None:
    """The ids of the units in the user's scope, read now (one small query), or None for
    everything (superuser). For filtering large tables: see `scope_filter`."""
    scope = scope_units(user, write=write)
    if scope is None:
        return None
    # Grants may overlap (a commune under a granted province): each unit once.
    return sorted(set(scope.order_by().values_list("descendant_id", flat=True)))


class InIds(Lookup):
    """`lhs` is one of `ids`, a list of integers known before the query is built: on
    PostgreSQL `lhs = ANY(%s::bigint[])` (one parameter, whatever the length), elsewhere
    `lhs IN (%s, ...)`. The planner sees the values themselves, so it estimates the rows they
    reach from the column's statistics: an `IN (subquery)` of the same ids is estimated
    blindly (PostgreSQL took a province's 2,889 units for 12, and its 100,000 members for
    415). No ids: no rows (Django's EmptyResultSet, as for `__in=[]`)."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Iterable[int]) -> None:
        super().__init__(lhs, sorted({int(i) for i in rhs}))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            db_type = self.lhs.output_field.db_type(connection)  # a foreign key's: bigint
            return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, self.rhs)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)


def unit_in(column: str, ids: Iterable[int]) -> InIds:
    """A filter keeping rows whose `column` (a unit id) is one of `ids`."""
    return InIds(F(column), ids)


# SQLite, above this many units in scope: rows are filtered one by one with an indexed EXISTS
# on the closure table (see `scope_filter`).
LARGE_SCOPE_UNITS = 300


def scope_filter(user, column: str, *, write: bool = False) -> InIds | Exists | None:
    """A filter keeping rows whose `column` (a unit id) is in the user's scope; None when
    nothing is to be filtered (superuser).

    Scope first: the scope's unit ids are read first (one small query), then given to the
    row query as values (`InIds`), so the database knows how many rows they reach and starts
    from them when they are few (a commune, a cell), or walks the list's own order and keeps
    the rows in scope when they are most of the table (a province in a province's database).
    On SQLite a large scope (over LARGE_SCOPE_UNITS) instead tests each row with an indexed
    EXISTS on the closure table: SQLite's planner does not weigh the list's length, and
    counting a province's rows through 2,889 index lookups took it longer
    (bench/member_search.py). SQLite serves one province; the country is on PostgreSQL."""
    ids = scope_unit_ids(user, write=write)
    if ids is None:
        return None
    if connection.vendor == "sqlite" and len(ids) > LARGE_SCOPE_UNITS:
        return Exists(
            Ancestry.objects.valid().filter(
                descendant_id=OuterRef(column), ancestor_id__in=granted(user, write=write)
            )
        )
    return unit_in(column, ids)


def is_staff_anywhere(user) -> bool:
    """Holds a role that reads units (office, viewer or secretary) somewhere."""
    return user.is_superuser or granted(user).exists()


def require_staff(user) -> None:
    """Unit and member-list pages are for people with a unit role; a plain member has only
    their own record."""
    if not is_staff_anywhere(user):
        raise PermissionDenied


def is_writer_anywhere(user) -> bool:
    """Holds a role that writes (office or secretary) somewhere: may import, sees the trash."""
    return user.is_superuser or granted(user, write=True).exists()


def fetch(readable: QuerySet, writable: QuerySet, pk: Any, *, write: bool = False) -> Any:
    """The row `pk` of `readable` (404 if absent, or if `pk` is not even an id); with `write`,
    403 unless it is also in `writable`."""
    try:
        obj = readable.get(pk=pk)
    except (readable.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not writable.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


# Who holds a role over a unit -----------------------------------------------------------------

# `nearest=HERE`: the grants on each unit itself (the nearest unit of any kind is the unit).
HERE = frozenset(Kind.values)

Holders = dict[int, dict[int, set[str]]]  # unit id -> {user id -> roles held over it}


def holders(
    units: Iterable[int],
    roles: Iterable[str],
    *,
    on: dt.date | None = None,
    nearest: Iterable[str] | None = None,
    users: Iterable[int] | None = None,
) -> Holders:
    """For each unit, the active accounts holding one of `roles` over it, as the tree stood
    on `on` (today if None): on the unit itself or on any unit above it. With `nearest` (unit
    kinds), only the grants on the nearest unit of those kinds at or above each unit: the
    offices of the base committee a cell belongs to, or (HERE) the grants on the unit itself.
    `users` keeps only those accounts. A few queries per 500 units, whatever the tree."""
    ids = {int(u) for u in units}
    out: Holders = {u: {} for u in ids}
    roles = set(roles)
    wanted = None if users is None else set(users)
    for part in chunks(ids):
        # (unit, the unit at or above it whose grants count)
        links = Ancestry.objects.valid(on).filter(descendant_id__in=part)
        if nearest is not None:
            links = links.filter(ancestor__kind__in=set(nearest))
        best: dict[int, tuple[int, int]] = {}
        pairs: list[tuple[int, int]] = []
        for unit, above, distance in links.values_list("descendant_id", "ancestor_id", "distance"):
            if nearest is None:
                pairs.append((unit, above))
            elif unit not in best or distance < best[unit][0]:
                best[unit] = (distance, above)
        if nearest is not None:
            pairs = [(unit, above) for unit, (_d, above) in best.items()]
        by_above: dict[int, list[int]] = {}
        for unit, above in pairs:
            by_above.setdefault(above, []).append(unit)
        for above_part in chunks(by_above):
            grants = RoleGrant.objects.filter(
                unit_id__in=above_part, role__in=roles, user__is_active=True
            )
            if wanted is not None:
                grants = grants.filter(user_id__in=wanted)
            for above, user, role in grants.values_list("unit_id", "user_id", "role"):
                for unit in by_above[above]:
                    out[unit].setdefault(user, set()).add(role)
    return out


def holder_ids(units: Iterable[int], roles: Iterable[str], **kwargs: Any) -> dict[int, set[int]]:
    """`holders`, as the set of accounts for each unit."""
    return {unit: set(found) for unit, found in holders(units, roles, **kwargs).items()}


def cell_officers(cells: Iterable[int], *, on: dt.date | None = None) -> dict[int, set[int]]:
    """cell id -> the accounts told about what concerns the cell and its members: its
    secretaries and the offices of the nearest base committee above it."""
    cells = set(cells)
    out = holder_ids(cells, {Role.SECRETARY}, on=on, nearest=HERE)
    offices = holder_ids(cells, {Role.OFFICE}, on=on, nearest={Kind.BASE_COMMITTEE})
    for cell in cells:
        out[cell] |= offices[cell]
    return out
