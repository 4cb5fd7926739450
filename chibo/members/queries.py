"""Reads of member records: the member list (the same for the page, the API and
bench/member_search.py) and the member counts of units on any date."""

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from chibo.core.search import terms
from chibo.org import subtree
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.scope import unit_in
from chibo.org.subtree import Subtree

from . import access, counts
from .models import (
    IN_PARTY,
    Member,
    MemberQuerySet,
    Placement,
    PlacementKind,
    Status,
    StatusPeriod,
    Transfer,
    TransferState,
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

    `unit` restricts to records held in its subtree; `status` None means every record.
    Scope first: the units in scope (and in `unit`'s subtree) are read before the members,
    one small query each, so a commune's list costs what the commune holds whatever the
    size of the database (bench/member_search.py)."""
    qs, units = access.members_and_units(user)
    if unit is not None:
        # The subtree's ids first, as for the scope (chibo.org.scope.scope_filter): given as
        # values, the database knows how few members they reach and starts from them.
        # all_objects, like the access scope: a record may still name a since-deleted cell.
        within = list(OrgUnit.all_objects.within(unit).values_list("pk", flat=True))
        qs = qs.filter(unit_in("home_unit_id", within))
        units = within if units is None or len(within) < len(units) else units
    qs = qs.search(q, by_unit=_search_by_unit(q, units)).with_status(on)
    if gender:
        qs = qs.filter(gender=gender)
    # On the status period's own column, not on `status` (which is '' without one): the
    # database then joins only members with a period and estimates how many rows pass from
    # the column's statistics (it took the province's 99,600 members in the Party for 666,
    # and so never stopped counting early; see chibo.core.pages.BoundedPaginator).
    qs = qs.alias(period_status=F("period_on__status"))
    in_party = [s.value for s in IN_PARTY]
    if status == IN_PARTY_FILTER:
        qs = qs.filter(period_status__in=in_party)
    elif status == EXEMPT_FILTER:
        qs = qs.filter(period_status__in=in_party, exempt=True)
    elif status == LEFT_FILTER:
        qs = qs.filter(period_status__in=LEFT)
    elif status:
        qs = qs.filter(period_status=status)
    return qs.select_related("home_unit").order_by(*_name_order(q, units))


# Trigrams: pg_trgm finds `LIKE '%term%'` through the GIN index on search_name (members
# migration 0010) for a term of at least this many characters.
TRIGRAM = 3


def searched(q: str | None) -> bool:
    """Whether `q` has a word long enough for the trigram index: its matches are then few
    and found through that index (chibo.core.paginator.BoundedPaginator `listed`)."""
    return any(len(t) >= TRIGRAM for t in terms(q))


def _search_by_unit(q: str | None, units: list[int] | None) -> bool:
    """Whether a search should read the names of its units (members.member_unit_name_idx)
    rather than find the matches of the whole database through the trigram index: on
    PostgreSQL, when its units are a small part of the database's (chibo.org.subtree.
    Subtree.small). A province among ten read 4,107 matches of "nguyen van hung" for its 455
    (32 of the page's 52 ms, growing with the country); its 100,000 names, by unit, are
    read in about 15-20 ms, whatever the rest of the database holds. A province alone on its
    server (or a reader of every unit) keeps the trigram index: its matches are its own."""
    if connection.vendor != "postgresql" or units is None or not searched(q):
        return False
    return Subtree(roots=(), on=None, ids=tuple(units)).small


# A scope holding less than this share of the database's units is listed by reading its
# records and sorting them (see `_name_order`).
FEW_UNITS = 1 / 200


def few_units(units: list[int] | None) -> bool:
    """Whether `units` are so small a part of the database's that their records are best
    read by unit (members.member_unit_name_idx) and sorted, rather than found by walking
    the database's name index. The walk reads about 25 / share names for a page of 25:
    250 for a province among ten, but 78,000 for a commune of 476 members among 1,000,000
    (200 ms); the sort reads the scope's records (476: under 1 ms). The two meet where the
    share is sqrt(25 / records): 0.5% for 1,000,000 records, 0.2% for the country."""
    if units is None:
        return False
    return len(units) < FEW_UNITS * subtree.unit_total()


def _name_order(q: str | None, units: list[int] | None = None) -> tuple:
    """Name order, and on PostgreSQL name order the name index cannot give: the database
    then fetches the rows another way and sorts them (cost: the rows), instead of walking
    the whole name index for the first 25 that match, which PostgreSQL costs as if the rows
    were spread evenly through the alphabet. So for a search with a word the trigram index
    can find ("nguyen van hung" sits in the Ns: it read 100,000 names for 25), and for a
    scope of few units (`few_units`), whose records are few. Shorter words alone in a wide
    scope (every word under 3 characters) keep the walk: trigrams cannot find them, and what
    they match is common, so the first 25 come soon."""
    if connection.vendor == "postgresql" and (searched(q) or few_units(units)):
        # The same strings in the same collation, so the same order; an expression, so no index.
        return (Concat("search_name", Value("")), "pk")
    return ("search_name", "pk")


# Counts of units ---------------------------------------------------------------------------

EMPTY = {"official": 0, "probationary": 0, "in_party": 0, "exempt": 0, "left": 0}


# From a StatusPeriod, the cell of the member's official placement (see `placed_on`).
PLACED_CELL = "member__placements__unit__"


def placed_in(units: Subtree, on: dt.date) -> QuerySet:
    """The official placements in the subtree's units on `on` (Member.placed_in, from a
    subtree read once): placement_official_unit_idx answers it alone."""
    return Placement.objects.active_on(on).filter(units.q("unit_id"), kind=PlacementKind.OFFICIAL)


def placed_or_held(units: Subtree, on: dt.date, where: Q | None = None) -> QuerySet:
    """The ids (one column, a UNION ALL) of every member officially placed in the subtree
    on `on`, and of a few more: the records the subtree holds (`home_unit`; with `where`, a
    condition on members.member_badge_cut_idx's columns), read in that index alone, and
    the members placed there by a placement that has ended since (members.
    placement_ended_idx). A caller keeps those placed there that day (Member.placed_in),
    when it has cut the many down to a few.

    These are all: a member is in one official placement at a time, and an open one is
    the record's (members.derive.home_unit). For a province among ten it reads two
    indexes instead of the province's 100,000 placements in the table (bench/README.md,
    issue 13)."""
    held = Member.objects.filter(units.q("home_unit_id"))
    if where is not None:
        held = held.filter(where)
    ended = Placement.objects.filter(
        units.q("unit_id"), kind=PlacementKind.OFFICIAL, start__lte=on, end__gt=on
    )
    # Unordered parts: each kept its model's order, a sort of its rows.
    return held.order_by().values("pk").union(ended.order_by().values("member_id"), all=True)


def placed_on(roots: Iterable[int], on: dt.date) -> tuple[QuerySet[StatusPeriod], str]:
    """For grouped counts of members by subtree: the status periods holding on `on` of the
    members (not in the trash) with an official placement that day in the subtree of one of
    `roots` as the tree stood that day, and the column to group by (that root's id). Filter
    the status, `.values(column, ...)` and count; the placement's cell is reached through
    `PLACED_CELL` (`f"{PLACED_CELL}cell_type"`), sharing the same join.

    From the status period holding that day, through the member's official placement that
    day, to every asked-for unit above that cell as the tree stood that day. Each member has
    at most one of each on a date, so no row is counted twice under one root. Conditions on
    one relation stay in one filter() call so that they share one join."""
    link = f"{PLACED_CELL}ancestor_links__"
    rows = StatusPeriod.objects.filter(period_valid_on(on), member__deleted_at__isnull=True).filter(
        Q(member__placements__end__isnull=True) | Q(member__placements__end__gt=on),
        Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": on}),
        member__placements__deleted_at__isnull=True,
        member__placements__kind=PlacementKind.OFFICIAL,
        member__placements__start__lte=on,
        **{f"{link}ancestor_id__in": list(roots), f"{link}valid_from__lte": on},
    )
    return rows, f"{link}ancestor_id"


def unit_counts(units: Iterable[OrgUnit], on: dt.date) -> dict[int, dict[str, int]]:
    """For each unit: members placed (officially) in its subtree on `on`, by status then.

    `in_party` = official + probationary; `exempt` is among those; `left` counts records still
    held but no longer in the Party (removed, expelled, withdrew, deceased). Read from the
    kept counts (chibo.members.counts, one query over the units in scope); `placed_on` is
    the recount they agree with."""
    ids = [u.pk for u in units]
    result = {pk: dict(EMPTY) for pk in ids}
    if not ids:
        return result
    for pk, kept in counts.counts_on(ids, on).items():
        official, probationary = kept[Status.OFFICIAL], kept[Status.PROBATIONARY]
        result[pk] = {
            "official": official,
            "probationary": probationary,
            "in_party": official + probationary,
            "exempt": kept["exempt"],
            "left": sum(kept[s] for s in LEFT),
        }
    return result


# Transfers in and out of a unit ---------------------------------------------------------------

# Where it went, seen from a unit's subtree.
IN, OUT, INTERNAL = "in", "out", "internal"


def _within(unit: OrgUnit, column: str, day) -> Exists:
    """`column` (a unit id) lay in `unit`'s subtree as the tree stood on `day`."""
    return Exists(
        Ancestry.objects.filter(
            ancestor=unit, descendant=OuterRef(column), valid_from__lte=day
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    )


def transfer_list(
    qs: QuerySet[Transfer],
    *,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    direction: str | None = None,
    state: str | None = None,
) -> QuerySet[Transfer]:
    """Transfers that moved in [start, end] or were in transit on `end` (the report date),
    annotated with `phase`, the state as it stood on `end`, and `as_of` (= end).

    With a unit: only those leaving or entering its subtree (as the tree stood on the sending
    day, and on the receiving day for the receiving cell), annotated with `direction` (in,
    out, internal). Pending first (longest in transit first), then the received, latest
    first, then the cancelled."""
    pending_on_end = Q(sent_on__lte=end) & (
        Q(state=TransferState.PENDING) | Q(state=TransferState.ACCEPTED, received_on__gt=end)
    )
    moved = Q(sent_on__gte=start, sent_on__lte=end) | Q(
        received_on__gte=start, received_on__lte=end
    )
    qs = qs.filter(pending_on_end | moved).annotate(
        as_of=Value(end, output_field=DateField()),
        phase=Case(
            When(state=TransferState.CANCELLED, then=Value(TransferState.CANCELLED.value)),
            When(received_on__lte=end, then=Value(TransferState.ACCEPTED.value)),
            default=Value(TransferState.PENDING.value),
            output_field=CharField(),
        ),
        phase_rank=Case(
            When(state=TransferState.CANCELLED, then=Value(2)),
            When(received_on__lte=end, then=Value(1)),
            default=Value(0),
        ),
        # Pending: by sending day, oldest first. Received: by receiving day, latest first.
        sort_day=Case(
            When(state=TransferState.ACCEPTED, received_on__lte=end, then=Value(None)),
            default="sent_on",
            output_field=DateField(),
        ),
    )
    if unit is not None:
        received_or_sent = Coalesce(OuterRef("received_on"), OuterRef("sent_on"))
        qs = qs.annotate(
            from_inside=_within(unit, "from_unit_id", OuterRef("sent_on")),
            to_inside=_within(unit, "to_unit_id", received_or_sent),
        ).filter(Q(from_inside=True) | Q(to_inside=True))
        qs = qs.annotate(
            direction=Case(
                When(from_inside=True, to_inside=True, then=Value(INTERNAL)),
                When(from_inside=True, then=Value(OUT)),
                default=Value(IN),
                output_field=CharField(),
            )
        )
        if direction:
            qs = qs.filter(Q(direction=direction))
    if state:
        qs = qs.filter(Q(phase=state))
    return qs.select_related("member", "from_unit", "to_unit").order_by(
        "phase_rank", "sort_day", "-received_on", "-sent_on", "pk"
    )


def transfer_counts(qs: QuerySet[Transfer]) -> dict[str, int]:
    """For a `transfer_list` with a unit: how many in each direction and state, keyed
    "in_pending", "out_accepted" ..., zeros included."""
    group = ("direction", "phase")
    found = {
        f"{row['direction']}_{row['phase']}": row["n"]
        for row in qs.order_by().values(*group).annotate(n=Count("pk"))
    }
    return {
        f"{d}_{s}": found.get(f"{d}_{s}", 0)
        for d in (IN, OUT, INTERNAL)
        for s in TransferState.values
    }


def days_in_transit(t: Transfer) -> int | None:
    """Days from sending to receiving; while pending on the list's date, the days so far."""
    phase = getattr(t, "phase", None)
    if phase == TransferState.CANCELLED or t.state == TransferState.CANCELLED:
        return None
    as_of = getattr(t, "as_of", None) or timezone.localdate()
    if t.received_on is not None and t.received_on <= as_of:
        return (t.received_on - t.sent_on).days
    return (as_of - t.sent_on).days
