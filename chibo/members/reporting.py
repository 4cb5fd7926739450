"""The members' report sections (chibo.core.reporting): members, movements, village posts.

How each figure is counted (docs/reports.md gives the contract):

- `members`: members in the Party (official or probationary, exempt ones included) with an
  official placement in the root's subtree as the tree stood that day (`start`: the period's
  first day, `end`: its last). By cell type: the type of the cell holding that placement.
- `movements`, events dated in the period:
  - `admitted`: admissions and readmissions (a readmitted member enters the Party again, as
    the members' figures see it), the member officially placed in the subtree on the event's
    day (tree of that day); a share of `members.start`. `recognised_official`: the same for
    official recognitions.
  - `removed`, `expelled`, `withdrew`, `deceased`: the member officially placed in the subtree
    on the day before the event (tree of that day), the last day the member counted there as
    a member. The services do not end the placement on these events (the record stays held,
    see members.queries.unit_counts "left"); an office that closes it on the event's day
    closes it on that day, so the day before finds the member either way.
  - `transferred_out`: official transfers sent in the period, not cancelled (one still
    pending on the end date left, it counts), from a cell inside the subtree (tree of the
    sending day) to a cell outside it (tree of the receiving day, or of the sending day while
    not received). `transferred_in`: official transfers received in the period into a cell
    inside (tree of the receiving day) from a cell outside (tree of the sending day). These
    are exactly the sides of members.queries.transfer_list ("out" and "in"), whose rows the
    figures list; a move between two cells of the subtree is "internal" and counts in
    neither.
- `village_posts` on the end date: villages (not in the trash) attached to a cell existing
  that day in the subtree as it stood that day; `heads_members`: those whose head (a village
  head post held that day) is in the Party that day; `secretaries_heads`: those whose head
  that day is also the secretary that day of the village's cell.

The number of queries does not grow with the roots (members: 2, movements: 5, village posts:
1): members and movements count by cell in SQL, both days of the period at once, and add the
cells up to the roots in Python through the closure rows under the roots (`_links`), rather
than joining the closure table to every member; `rows` lists the records behind a figure
under the same conditions.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.reporting import (
    Cell,
    Chart,
    Figures,
    Link,
    Period,
    Rows,
    Section,
    blank,
    register,
    share,
    shared,
)
from chibo.org.models import Ancestry, CellType, OrgUnit, Village
from chibo.org.queries import under, units_on

from . import counts
from .models import (
    ADMISSIONS,
    IN_PARTY,
    EventKind,
    Member,
    MemberEvent,
    PlacementKind,
    Position,
    PositionKind,
    Status,
    StatusPeriod,
    Transfer,
    TransferState,
    exempt_on,
    period_valid_on,
)
from .queries import IN, OUT, PLACED_CELL, placed_on, transfer_list

IN_PARTY_VALUES = [s.value for s in IN_PARTY]
CELL_TYPES = CellType.values


def _member_link(pk: int, name: str) -> Link:
    # Listing names is fine; opening the record audits itself (the member page does).
    return Link(name, reverse("members:detail", args=[pk]))


def _status_text(status: str, exempt: bool) -> str:
    label = str(Status(status).label) if status in Status.values else status
    return _("%(status)s, exempt from activities") % {"status": label} if exempt else label


# Members ---------------------------------------------------------------------------------


def _shared_cell_members(
    roots: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """`_cell_members` once per report: "members" shows them, "movements" divides by them."""
    return shared(
        ("members.cells", tuple(roots), start, end), lambda: _cell_members(roots, start, end)
    )


def _in_party(roots: Sequence[int], on: dt.date) -> tuple[QuerySet[StatusPeriod], str]:
    placed, root = placed_on(roots, on)
    return placed.filter(status__in=IN_PARTY_VALUES), root


def members_count(roots: Sequence[int], on: dt.date) -> dict[int, int]:
    """Members in the Party placed in each root's subtree on `on` (one query, on the kept
    counts: chibo.members.counts)."""
    kept = counts.counts_on(roots, on)
    return {r: sum(kept[r][s] for s in IN_PARTY_VALUES) for r in roots}


# The grouped counts of the figures go by cell first, then from each cell to the roots above
# it: joining the closure table to every counted row would multiply the rows read by the
# depth of the tree. `_links` reads the few thousand closure rows under the roots once, and
# the sums are done here; the number of queries stays the same whatever the roots.

# A closure row: ancestor (a root), descendant (a cell), valid from, valid until (excluded),
# and the descendant's cell type.
LinkRow = tuple[int, int, dt.date, dt.date | None, str]


def _under(roots: Sequence[int], first: dt.date, last: dt.date) -> QuerySet[Ancestry]:
    """The closure rows under `roots` valid at some time in [first, last]."""
    return Ancestry.objects.filter(ancestor_id__in=list(roots), valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    )


def _subtree_cells(roots: Sequence[int], first: dt.date, last: dt.date) -> QuerySet[Any]:
    """Ids of the units under one of `roots` at some time in [first, last] (a subquery)."""
    return _under(roots, first, last).values("descendant_id")


def _links(roots: Sequence[int], first: dt.date, last: dt.date) -> list[LinkRow]:
    """The closure rows under `roots` valid at some time in [first, last] (one query)."""
    return list(
        _under(roots, first, last).values_list(
            "ancestor_id", "descendant_id", "valid_from", "valid_to", "descendant__cell_type"
        )
    )


def _valid(link: LinkRow, on: dt.date) -> bool:
    """The closure row held on `on` (the tree as it stood that day)."""
    return link[2] <= on and (link[3] is None or link[3] > on)


PLACEMENT = "member__placements__"


def _cell_members(
    roots: Sequence[int], start: dt.date, end: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """Members in the Party with an official placement in each cell (under one of `roots` at
    some time between the two days) on `start` ("start") and, with `end`, on `end` by status
    ("official_end", "probationary_end"): one query on the kept counts (chibo.members.counts),
    both days read at once. The same members as `placed_on` counts, by cell instead of by
    root."""
    days = [start] if end is None else [start, end]
    out: dict[int, dict[str, int]] = {}
    cells = _subtree_cells(roots, start, end or start)
    for cell, by_day in counts.cell_counts(cells, days).items():
        on_start = by_day.get(start, {})
        row = {"start": sum(on_start.get(s, 0) for s in IN_PARTY_VALUES)}
        if end is not None:
            for status in IN_PARTY_VALUES:
                row[f"{status}_end"] = by_day.get(end, {}).get(status, 0)
        out[cell] = row
    return out


def _members_blank() -> Figures:
    return {
        "start": 0,
        "end": 0,
        "official_end": 0,
        "probationary_end": 0,
        "end_by_cell_type": dict.fromkeys(CELL_TYPES, 0),
    }


MEMBER_FIGURES = {
    "start",
    "end",
    "official_end",
    "probationary_end",
    *(f"end_by_cell_type.{t}" for t in CELL_TYPES),
}


class MembersSection(Section):
    key = "members"
    order = 20
    title = gettext_lazy("Members")
    labels = {
        "start": gettext_lazy("Members at the start of the period"),
        "end": gettext_lazy("Members at the end of the period"),
        "official_end": gettext_lazy("Official members at the end of the period"),
        "probationary_end": gettext_lazy("Probationary members at the end of the period"),
        "end_by_cell_type.rural": gettext_lazy("Members at the end in rural village cells"),
        "end_by_cell_type.urban": gettext_lazy("Members at the end in urban quarter cells"),
        "end_by_cell_type.school": gettext_lazy("Members at the end in school cells"),
        "end_by_cell_type.police": gettext_lazy("Members at the end in police cells"),
        "end_by_cell_type.military": gettext_lazy("Members at the end in military cells"),
        "end_by_cell_type.health": gettext_lazy("Members at the end in health cells"),
        "end_by_cell_type.agency": gettext_lazy("Members at the end in agency cells"),
        "end_by_cell_type.enterprise": gettext_lazy("Members at the end in enterprise cells"),
    }
    table = ("end",)
    headline = ("end",)

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        out = blank(roots, _members_blank)
        if not roots:
            return out
        start, end = period.start, period.end
        cells = _shared_cell_members(roots, start, end)
        for link in _links(roots, start, end):
            counts = cells.get(link[1])
            if counts is None:
                continue
            figures = out[link[0]]
            if _valid(link, start):
                figures["start"] += counts["start"]
            if _valid(link, end):
                official, probationary = counts["official_end"], counts["probationary_end"]
                figures["end"] += official + probationary
                figures["official_end"] += official
                figures["probationary_end"] += probationary
                if link[4] in figures["end_by_cell_type"]:
                    figures["end_by_cell_type"][link[4]] += official + probationary
        return out

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        if rest or figure not in MEMBER_FIGURES:
            return None
        on = period.start if figure == "start" else period.end
        placed, _root = _in_party([root], on)
        if figure in ("official_end", "probationary_end"):
            placed = placed.filter(status=figure.removesuffix("_end"))
        elif figure.startswith("end_by_cell_type."):
            # Through an alias: it reuses the placement's join (a filter() call would not).
            placed = placed.alias(cell_type=F(f"{PLACED_CELL}cell_type")).filter(
                cell_type=figure.split(".", 1)[1]
            )
        items = (
            placed.annotate(
                cell_name=F(f"{PLACED_CELL}name"),
                since=F("member__placements__start"),
                exempt=exempt_on(on, "member_id"),
            )
            .values("member_id", "member__full_name", "cell_name", "status", "exempt", "since")
            .order_by("member__search_name", "member_id")
        )

        def row(item: dict[str, Any]) -> list[Cell]:
            return [
                _member_link(item["member_id"], item["member__full_name"]),
                item["cell_name"],
                _status_text(item["status"], item["exempt"]),
                item["since"],
            ]

        return Rows(
            headers=[_("Member"), _("Cell"), _("Status"), _("In the cell since")],
            items=items,
            row=row,
            title=self.labels[figure],
        )

    def series(self, root: int, period: Period) -> list[Chart]:
        """Members at the end of each of the last 10 years (the last point on the period's
        end) and admissions per year: one query per year-end (10) and one grouped query for
        the admissions."""
        last = period.end.year
        years = list(range(last - 9, last + 1))
        ends = [min(dt.date(y, 12, 31), period.end) for y in years]
        members = [members_count([root], day)[root] for day in ends]
        events, _root = _events([root], dt.date(years[0], 1, 1), period.end, list(ADMISSIONS))
        admitted = {
            row["year"]: row["n"]
            for row in events.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("pk", distinct=True))
        }
        return [
            Chart(
                key="members_years",
                title=_("Members and admissions by year"),
                kind="bar",
                labels=[str(y) for y in years],
                series=[
                    {"label": _("Members at the end of the year"), "data": members},
                    {
                        "label": _("Admissions"),
                        "data": [admitted.get(y, 0) for y in years],
                        # Tens against thousands: a line on its own scale, on the right.
                        "type": "line",
                        "axis": "y2",
                    },
                ],
            )
        ]


# Movements -------------------------------------------------------------------------------

# Events counted where the member was placed that day, and those counted where the member
# was placed the day before (see the module's docstring).
ON_THE_DAY = {
    EventKind.ADMITTED: "admitted",
    EventKind.READMITTED: "admitted",
    EventKind.OFFICIAL: "recognised_official",
}
THE_DAY_BEFORE = {
    EventKind.REMOVED: "removed",
    EventKind.EXPELLED: "expelled",
    EventKind.WITHDREW: "withdrew",
    EventKind.DECEASED: "deceased",
}
# Figure -> the event kinds it counts.
EVENT_FIGURES: dict[str, list[str]] = {}
for _kind, _figure in (ON_THE_DAY | THE_DAY_BEFORE).items():
    EVENT_FIGURES.setdefault(_figure, []).append(_kind)


def _events(
    roots: Sequence[int], start: dt.date, end: dt.date, kinds: Sequence[str]
) -> tuple[QuerySet[MemberEvent], str]:
    """Events of `kinds` dated in [start, end] (all of ON_THE_DAY or all of THE_DAY_BEFORE),
    of members not in the trash, joined to the member's official placement in one root's
    subtree on the day that counts, and the column to group by. One filter() call, so that
    the placement and closure-table conditions share one join."""
    before = all(k in THE_DAY_BEFORE for k in kinds)
    if not before and not all(k in ON_THE_DAY for k in kinds):
        raise ValueError(kinds)
    link = "member__placements__unit__ancestor_links__"
    day = F("date")
    if before:
        # Held on the day before D: start <= D - 1 < end, i.e. start < D <= end.
        held = Q(member__placements__start__lt=day) & (
            Q(member__placements__end__isnull=True) | Q(member__placements__end__gte=day)
        )
        tree = Q(**{f"{link}valid_from__lt": day}) & (
            Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gte": day})
        )
    else:
        held = Q(member__placements__start__lte=day) & (
            Q(member__placements__end__isnull=True) | Q(member__placements__end__gt=day)
        )
        tree = Q(**{f"{link}valid_from__lte": day}) & (
            Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": day})
        )
    qs = MemberEvent.objects.filter(
        held,
        tree,
        kind__in=list(kinds),
        date__gte=start,
        date__lte=end,
        member__deleted_at__isnull=True,
        member__placements__deleted_at__isnull=True,
        member__placements__kind=PlacementKind.OFFICIAL,
        **{f"{link}ancestor_id__in": list(roots)},
    )
    return qs, f"{link}ancestor_id"


# On SQLite, above this many cells `_events_by_cell` reads the period's events first.
MANY_CELLS = 500


def _events_by_cell(
    roots: Sequence[int], start: dt.date, end: dt.date, *, events_first: bool = False
) -> list[tuple[int, str, dt.date, int]]:
    """(event id, kind, date, cell) of the events of ON_THE_DAY and THE_DAY_BEFORE dated in
    [start, end], of members not in the trash, for each official placement of the member in
    a cell under one of `roots` (at some time from the day before `start` to `end`) held on
    the day that counts (the event's day, or the day before): the rows of `_events` before
    the closure table, one query for both kinds."""
    day = F("date")
    p = PLACEMENT
    on_the_day = Q(**{f"{p}start__lte": day}) & (
        Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gt": day})
    )
    # Held on the day before D: start <= D - 1 < end, i.e. start < D <= end.
    the_day_before = Q(**{f"{p}start__lt": day}) & (
        Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": day})
    )
    rows = MemberEvent.objects.filter(  # one filter() call: one join of the placements
        (Q(kind__in=list(ON_THE_DAY)) & on_the_day)
        | (Q(kind__in=list(THE_DAY_BEFORE)) & the_day_before),
        date__gte=start,
        date__lte=end,
        member__deleted_at__isnull=True,
        member__placements__deleted_at__isnull=True,
        member__placements__kind=PlacementKind.OFFICIAL,
        member__placements__unit_id__in=_subtree_cells(roots, start - dt.timedelta(days=1), end),
    )
    if events_first:
        # The events table has no index by date: SQLite reaches the events through the
        # placements of every member under the roots (100,000 for a province, 200 ms) unless
        # it is handed the period's events as a list (one pass over the table, 50 ms, which
        # a small subtree need not pay: it goes through its few placements, a few ms).
        # PostgreSQL hashes the events either way, faster without the list.
        period_events = MemberEvent.objects.filter(
            kind__in=[*ON_THE_DAY, *THE_DAY_BEFORE], date__gte=start, date__lte=end
        )
        rows = rows.filter(pk__in=period_events.values("pk"))
    return list(rows.values_list("pk", "kind", "date", f"{p}unit_id").order_by())


def _official_transfers() -> QuerySet[Transfer]:
    return Transfer.objects.filter(kind=PlacementKind.OFFICIAL, member__deleted_at__isnull=True)


def _transfers_out(roots: Sequence[int], period: Period) -> tuple[QuerySet[Transfer], str]:
    """Sent in the period, not cancelled, from a cell inside (tree of the sending day) to a
    cell outside (tree of the receiving day, or of the sending day while not received)."""
    link = "from_unit__ancestor_links__"
    sent = F("sent_on")
    day = Coalesce(OuterRef("received_on"), OuterRef("sent_on"))
    to_inside = Ancestry.objects.filter(
        ancestor_id=OuterRef(f"{link}ancestor_id"),
        descendant_id=OuterRef("to_unit_id"),
        valid_from__lte=day,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    # One filter() call, the closure-table join first: the subquery's reference to the root
    # then reuses that join (in a later filter() call it would join the table anew).
    qs = _official_transfers().filter(
        Q(**{f"{link}ancestor_id__in": list(roots), f"{link}valid_from__lte": sent}),
        Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": sent}),
        ~Exists(to_inside),
        ~Q(state=TransferState.CANCELLED),
        sent_on__gte=period.start,
        sent_on__lte=period.end,
    )
    return qs, f"{link}ancestor_id"


def _transfers_in(roots: Sequence[int], period: Period) -> tuple[QuerySet[Transfer], str]:
    """Received in the period into a cell inside (tree of the receiving day) from a cell
    outside (tree of the sending day)."""
    link = "to_unit__ancestor_links__"
    received = F("received_on")
    from_inside = Ancestry.objects.filter(
        ancestor_id=OuterRef(f"{link}ancestor_id"),
        descendant_id=OuterRef("from_unit_id"),
        valid_from__lte=OuterRef("sent_on"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("sent_on")))
    qs = _official_transfers().filter(  # one filter() call: see _transfers_out
        Q(**{f"{link}ancestor_id__in": list(roots), f"{link}valid_from__lte": received}),
        Q(**{f"{link}valid_to__isnull": True}) | Q(**{f"{link}valid_to__gt": received}),
        ~Exists(from_inside),
        state=TransferState.ACCEPTED,
        received_on__gte=period.start,
        received_on__lte=period.end,
    )
    return qs, f"{link}ancestor_id"


def _movements_blank() -> Figures:
    return {
        "admitted": share(0, 0),
        "recognised_official": 0,
        "transferred_in": 0,
        "transferred_out": 0,
        "removed": 0,
        "expelled": 0,
        "withdrew": 0,
        "deceased": 0,
    }


class MovementsSection(Section):
    key = "movements"
    order = 30
    title = gettext_lazy("Movements")
    labels = {
        "admitted": gettext_lazy("Admitted (of the members at the start)"),
        "recognised_official": gettext_lazy("Recognised as official members"),
        "transferred_in": gettext_lazy("Transferred in"),
        "transferred_out": gettext_lazy("Transferred out"),
        "removed": gettext_lazy("Removed from the Party rolls"),
        "expelled": gettext_lazy("Expelled"),
        "withdrew": gettext_lazy("Withdrew from the Party"),
        "deceased": gettext_lazy("Deceased"),
    }
    table = ("admitted",)
    headline = ("admitted",)

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        out = blank(roots, _movements_blank)
        if not roots:
            return out
        start, end = period.start, period.end
        # The closure rows from the day before the first day (the removals' day that counts)
        # to the last: for the events and for the members at the start.
        links: dict[int, list[LinkRow]] = {}
        for link in _links(roots, start - dt.timedelta(days=1), end):
            links.setdefault(link[1], []).append(link)
        # Event ids by root and figure: an event counts once under a root (like the grouped
        # count of distinct events), whatever placements lead to it.
        found: dict[tuple[int, str], set[int]] = {}
        first = connection.vendor == "sqlite" and len(links) > MANY_CELLS
        for pk, kind, date, cell in _events_by_cell(roots, start, end, events_first=first):
            before = kind in THE_DAY_BEFORE
            day = date - dt.timedelta(days=1) if before else date
            name = (THE_DAY_BEFORE if before else ON_THE_DAY)[EventKind(kind)]
            for link in links.get(cell, ()):
                if _valid(link, day):
                    found.setdefault((link[0], name), set()).add(pk)
        counts: dict[int, dict[str, int]] = {r: {} for r in roots}
        for (r, name), pks in found.items():
            counts[r][name] = len(pks)
        for name, query in (("transferred_out", _transfers_out), ("transferred_in", _transfers_in)):
            qs, root = query(roots, period)
            for row in qs.values(root).annotate(n=Count("pk", distinct=True)):
                counts[row[root]][name] = row["n"]
        at_start = dict.fromkeys(roots, 0)
        for cell, members in _shared_cell_members(roots, start, end).items():
            for link in links.get(cell, ()):
                if _valid(link, start):
                    at_start[link[0]] += members["start"]
        for r in roots:
            figures = out[r]
            for name, n in counts[r].items():
                if name != "admitted":
                    figures[name] = n
            figures["admitted"] = share(counts[r].get("admitted", 0), at_start[r])
        return out

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        if rest:
            return None  # admissions are not a part of the members at the start
        if figure in ("transferred_in", "transferred_out"):
            return self._transfer_rows(figure, root, period)
        if figure not in EVENT_FIGURES:
            return None
        events, _root = _events([root], period.start, period.end, EVENT_FIGURES[figure])
        items = (
            events.annotate(cell_name=F("member__placements__unit__name"))
            .values("member_id", "member__full_name", "cell_name", "kind", "date")
            .order_by("date", "member__search_name", "pk")
        )

        def row(item: dict[str, Any]) -> list[Cell]:
            return [
                _member_link(item["member_id"], item["member__full_name"]),
                item["cell_name"],
                str(EventKind(item["kind"]).label),
                item["date"],
            ]

        return Rows(
            headers=[_("Member"), _("Cell"), _("Event"), _("Date")],
            items=items,
            row=row,
            title=self.labels[figure],
        )

    def _transfer_rows(self, figure: str, root: int, period: Period) -> Rows:
        # The rows of members.queries.transfer_list (the unit's transfers page), cut to what
        # the figure counts: the same sides, judged on the same days.
        unit = OrgUnit.all_objects.get(pk=root)
        direction = OUT if figure == "transferred_out" else IN
        qs = transfer_list(
            _official_transfers(),
            start=period.start,
            end=period.end,
            unit=unit,
            direction=direction,
        )
        if direction == OUT:
            qs = qs.filter(sent_on__gte=period.start, sent_on__lte=period.end).exclude(
                state=TransferState.CANCELLED
            )
        else:
            qs = qs.filter(
                state=TransferState.ACCEPTED,
                received_on__gte=period.start,
                received_on__lte=period.end,
            )

        def row(t: Transfer) -> list[Cell]:
            received = t.received_on if t.received_on and t.received_on <= period.end else None
            return [
                _member_link(t.member_id, t.member.full_name),
                t.from_unit.name,
                t.to_unit.name,
                t.sent_on,
                received,
            ]

        return Rows(
            headers=[_("Member"), _("From cell"), _("To cell"), _("Sent on"), _("Received on")],
            items=qs,
            row=row,
            title=self.labels[figure],
        )


# Village posts ---------------------------------------------------------------------------


def _heads(on: dt.date) -> QuerySet[Position]:
    """Village head posts held on `on` in the outer village."""
    return Position.objects.held_on(on).filter(
        kind=PositionKind.VILLAGE_HEAD, village_id=OuterRef("pk")
    )


def _not_in_the_trash() -> Q:
    """For a row with a `member_id`: its member is not in the trash. As a NOT IN over the few
    deleted members rather than a join of the members' table, which PostgreSQL would hash
    whole (100,000 rows) for the heads' subquery."""
    return ~Q(member_id__in=Member.all_objects.filter(deleted_at__isnull=False).values("pk"))


def _head_is_member(on: dt.date) -> Exists:
    in_party = StatusPeriod.objects.filter(
        period_valid_on(on), member_id=OuterRef("member_id"), status__in=IN_PARTY_VALUES
    )
    return Exists(_heads(on).filter(_not_in_the_trash(), Exists(in_party)))


def _head_is_secretary(on: dt.date) -> Exists:
    secretary = Position.objects.held_on(on).filter(
        kind=PositionKind.SECRETARY,
        unit_id=OuterRef(OuterRef("cell_id")),
        member_id=OuterRef("member_id"),
    )
    return Exists(_heads(on).filter(_not_in_the_trash(), Exists(secretary)))


def _villages(roots: Sequence[int], on: dt.date) -> tuple[QuerySet[Village], str]:
    """Villages (not in the trash) attached to a cell existing on `on` in one root's subtree
    as it stood that day."""
    condition, root = under(roots, on, "cell")
    cells = OrgUnit.all_objects.filter(units_on(on)).values("pk")
    return Village.objects.filter(condition, cell_id__in=cells), root


VILLAGE_FIGURES = {"heads_members": _head_is_member, "secretaries_heads": _head_is_secretary}


class VillagePostsSection(Section):
    key = "village_posts"
    order = 40
    title = gettext_lazy("Village posts")
    labels = {
        "heads_members": gettext_lazy("Villages whose head is a party member"),
        "secretaries_heads": gettext_lazy("Villages whose head is the cell's secretary"),
    }
    table = ("heads_members",)
    headline = ("heads_members", "secretaries_heads")
    rests = ("heads_members", "secretaries_heads")

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        def zero() -> Figures:
            return {"heads_members": share(0, 0), "secretaries_heads": share(0, 0)}

        out = blank(roots, zero)
        if not roots:
            return out
        on = period.end
        villages, root = _villages(roots, on)
        rows = villages.values(root).annotate(
            n=Count("pk", distinct=True),
            heads=Count("pk", distinct=True, filter=Q(_head_is_member(on))),
            secretaries=Count("pk", distinct=True, filter=Q(_head_is_secretary(on))),
        )
        for row in rows:
            out[row[root]] = {
                "heads_members": share(row["heads"], row["n"]),
                "secretaries_heads": share(row["secretaries"], row["n"]),
            }
        return out

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        if figure not in VILLAGE_FIGURES:
            return None
        on = period.end
        villages, _root = _villages([root], on)
        counted = Q(VILLAGE_FIGURES[figure](on))
        head = _heads(on).filter(member__deleted_at__isnull=True).order_by("-start", "-pk")
        items = (
            villages.filter(~counted if rest else counted)
            .annotate(
                head_id=head.values("member_id")[:1],
                head_name=head.values("member__full_name")[:1],
            )
            .values("pk", "name", "cell__name", "head_id", "head_name")
            .order_by("cell__sort_name", "name", "pk")
        )

        def row(item: dict[str, Any]) -> list[Cell]:
            head_cell: Cell = (
                _member_link(item["head_id"], item["head_name"]) if item["head_id"] else None
            )
            return [item["name"], item["cell__name"], head_cell]

        if rest:
            title = (
                _("Villages whose head is not a party member")
                if figure == "heads_members"
                else _("Villages whose head is not the cell's secretary")
            )
        else:
            title = str(self.labels[figure])
        return Rows(
            headers=[_("Village"), _("Cell"), _("Village head")],
            items=items,
            row=row,
            title=title,
        )


register(MembersSection())
register(MovementsSection())
register(VillagePostsSection())
