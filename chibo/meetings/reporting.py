"""The meetings section of the unit reports (chibo.core.reporting, docs/reports.md).

- `cells_meeting_monthly`: cell-months with a held monthly meeting, a share of cell-months.
  For each calendar month of the period (cut to the period), the cells (cells and base cells)
  of the root's subtree as the tree stood on the month's last day (cut to the period's end),
  existing that day; a cell-month is counted when the cell held (held or adopted minutes) its
  monthly meeting dated in that month: a regular meeting, or a thematic meeting held together
  with the monthly one (the compliance page's rule, `compliance.queries.counts_as_monthly`).
  A cell founded mid-year has no cell-months before the month it exists at the end of; a
  cell moved to another base committee counts under the old one for the months it ended
  there.
- `thematic_per_quarter`: the same by quarter (cut to the period) for a held thematic meeting.
- `attendance`: present of expected over the held regular and thematic meetings of the
  period (those the compliance page judges), from the turnout counts kept on each meeting row
  (exempt members count only when they attend, members away on temporary transfer not at
  all: `services.meetings.turnout`); a meeting counts for the subtree its cell was in on the
  last day of the meeting's month, as for `cells_meeting_monthly`.
- `ratings`: the scored meetings (a quality score given), held or adopted, of any kind, dated
  in the period, of the cells of the subtree (same tree rule), by rating: the rating of the
  meeting page (`services.quality.rated`) on the thresholds in force on the meeting's day for
  its cell's province, a score in the Tốt band without good attendance (over the rule's share
  by the turnout counts, nobody absent without reason) rating Khá.

Every figure comes from the same four queries, whatever the number of roots and the size of
their subtrees: the closure-table rows of the roots' cells over the period (the tree of each
month's last day is then read from their validity in Python), the period's meetings of those
cells (one row each, with its turnout counts, score and whether anybody was absent without
reason), the provinces of the cells with a scored meeting on the period's end (whose rule
versions apply, as on the compliance page) and the rule versions (`chibo.rules.RuleBook`).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.reporting import (
    Chart,
    Figures,
    Link,
    Period,
    Rows,
    Section,
    percent,
    register,
    share,
)
from chibo.org.models import CELL_KINDS, Ancestry, OrgUnit
from chibo.org.models import Kind as UnitKind
from chibo.rules import RuleBook

from .compliance.expressions import AsFetched, EpochMicroseconds, LocalDays
from .compliance.queries import HELD, REGULAR, THEMATIC, counts_as_monthly
from .models import Attendance, Kind, Meeting, Presence, Rating
from .services.quality import good_turnout, rated

LEVELS = (Rating.GOOD, Rating.FAIR, Rating.AVERAGE, Rating.POOR)
RANK = {str(level): i for i, level in enumerate(LEVELS)}


# The facts behind the figures ------------------------------------------------------------------


@dataclass(slots=True)
class Held:
    """A held meeting of the period, as the figures read it."""

    pk: int
    cell: int
    kind: str
    combined: bool
    day: dt.date
    month: int  # index in `period.months`
    quarter: int  # index in `period.quarters`
    present: int
    expected: int
    rating: str | None  # None: not scored (or no scoring rule on its day)

    @property
    def monthly(self) -> bool:
        return counts_as_monthly(self.kind, self.combined)


@dataclass
class Facts:
    months: list[Period]
    quarters: list[Period]
    # root -> for each month (quarter), the cells of its subtree on that month's last day.
    month_cells: dict[int, list[set[int]]]
    quarter_cells: dict[int, list[set[int]]]
    meetings: list[Held]
    # (cell, month index) -> the first monthly meeting; (cell, quarter index) -> thematic.
    monthly_held: dict[tuple[int, int], Held]
    thematic_held: dict[tuple[int, int], Held]
    # (cell, month index) -> present, expected (regular and thematic), then each rating's
    # count: what a root adds up over its cell-months, whatever the number of meetings.
    sums: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def counted(self, root: int, held: Held) -> bool:
        """The meeting's cell lay in `root`'s subtree on the last day of the meeting's month."""
        return held.cell in self.month_cells[root][held.month]


def _exists(on: dt.date, founded: dt.date | None, dissolved: dt.date | None) -> bool:
    """`chibo.org.queries.units_on(on)` for one unit (those in the trash are left out in SQL)."""
    return (founded is None or founded <= on) and (dissolved is None or dissolved > on)


def _cells_on(
    spans: list[tuple[int, int, dt.date, dt.date | None, dt.date | None, dt.date | None]],
    roots: Sequence[int],
    days: list[dt.date],
) -> dict[int, list[set[int]]]:
    out: dict[int, list[set[int]]] = {root: [set() for _d in days] for root in roots}
    for root, cell, valid_from, valid_to, founded, dissolved in spans:
        sets = out[root]
        for i, day in enumerate(days):
            linked = valid_from <= day and (valid_to is None or valid_to > day)
            if linked and _exists(day, founded, dissolved):
                sets[i].add(cell)
    return out


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _index(periods: list[Period], day: dt.date) -> int:
    for i, p in enumerate(periods):
        if p.start <= day <= p.end:
            return i
    raise ValueError(day)


def facts(roots: Sequence[int], period: Period) -> Facts:
    """Four queries, whatever the roots (see the module's docstring)."""
    months, quarters = period.months, period.quarters
    # The roots' cells whose link lasted into the period: the tree of each month's last day
    # is read from these rows (a cell moved mid-year has one row under each parent).
    links = (
        Ancestry.objects.filter(
            ancestor_id__in=list(roots),
            descendant__kind__in=CELL_KINDS,
            descendant__deleted_at__isnull=True,
            valid_from__lte=period.end,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.start))
        .filter(Q(descendant__founded_on__isnull=True) | Q(descendant__founded_on__lte=period.end))
        .filter(
            Q(descendant__dissolved_on__isnull=True) | Q(descendant__dissolved_on__gt=period.start)
        )
    )
    spans = list(
        links.values_list(
            "ancestor_id",
            "descendant_id",
            "valid_from",
            "valid_to",
            "descendant__founded_on",
            "descendant__dissolved_on",
        )
    )
    month_cells = _cells_on(spans, roots, [m.end for m in months])
    quarter_cells = _cells_on(spans, roots, [q.end for q in quarters])

    at = Coalesce("started_at", "planned_at")  # Meeting.day: when it started, or was planned
    unexcused = Attendance.objects.filter(
        meeting=OuterRef("pk"), presence=Presence.UNEXCUSED, away=False
    )
    base = (
        Meeting.objects.filter(cell_id__in=links.values("descendant_id"), state__in=HELD)
        .annotate(at=at)
        .filter(at__gte=_aware(period.start), at__lt=_aware(period.end + dt.timedelta(days=1)))
    )
    scored = base.filter(quality__isnull=False)
    rows = (
        base.filter(Q(kind__in=[REGULAR, THEMATIC]) | Q(quality__isnull=False))
        .annotate(
            # Read for a scored meeting only: whether it can be rated Tốt.
            unexcused=Case(When(quality__isnull=False, then=Exists(unexcused)), default=False)
        )
        .order_by("at", "pk")
        .values_list(
            "pk",
            "cell_id",
            "kind",
            AsFetched("combined"),
            "present_count",
            "expected_count",
            EpochMicroseconds(at),
            "quality__total",
            "unexcused",
        )
    )
    provinces = dict(
        Ancestry.objects.valid(period.end)
        .filter(ancestor__kind=UnitKind.PROVINCE, descendant_id__in=scored.values("cell_id"))
        .values_list("descendant_id", "ancestor_id")
    )
    book = RuleBook()
    local_days = LocalDays(period.start, period.end, timezone.get_current_timezone())
    out = Facts(months, quarters, month_cells, quarter_cells, [], {}, {})
    for pk, cell, kind, combined, present, expected, when, total, absent in rows:
        day = local_days.of(when)
        level = None
        if total is not None:
            level = _rating(book, day, provinces.get(cell), total, present, expected, absent)
        held = Held(
            pk,
            cell,
            kind,
            bool(combined),
            day,
            _index(months, day),
            _index(quarters, day),
            present,
            expected,
            level,
        )
        out.meetings.append(held)
        sums = out.sums.setdefault((cell, held.month), [0] * (2 + len(LEVELS)))
        if kind in (REGULAR, THEMATIC):
            sums[0] += present
            sums[1] += expected
        if level is not None:
            sums[2 + RANK[level]] += 1
        if held.monthly:
            out.monthly_held.setdefault((cell, held.month), held)
        if kind == THEMATIC:
            out.thematic_held.setdefault((cell, held.quarter), held)
    return out


def _rating(
    book: RuleBook,
    day: dt.date,
    province: int | None,
    total: int,
    present: int,
    expected: int,
    unexcused: bool,
) -> str | None:
    """The meeting page's rating (`services.quality.meeting_rating`) from the turnout counts
    kept on the meeting row. None when no scoring rule was in force on the day (a score is
    given only under one, so only after the rules were rewritten): such a meeting is left out
    rather than rated on a guess. In the Tốt band with no good-attendance rule that day the
    meeting cannot be shown to be Tốt: Khá."""
    r = book.at(day, province)
    if None in (r.quality_good, r.quality_fair, r.quality_average):
        return None
    needed = r.good_meeting_attendance

    def attendance_good() -> bool:
        return needed is not None and good_turnout(present, expected, needed) and not unexcused

    return str(rated(total, r, attendance_good))


# The figures -----------------------------------------------------------------------------------


@dataclass
class Tally:
    """One root's counts, by month (the chart) and in all."""

    months_met: list[int]
    months_of: list[int]
    quarters_met: int = 0
    quarters_of: int = 0
    present: int = 0
    expected: int = 0
    ratings: dict[str, int] = field(default_factory=lambda: {str(r): 0 for r in LEVELS})


def tally(f: Facts, root: int) -> Tally:
    held_months, held_quarters = f.monthly_held, f.thematic_held
    t = Tally([], [])
    totals = [0] * (2 + len(LEVELS))
    for i, cells in enumerate(f.month_cells[root]):
        t.months_of.append(len(cells))
        t.months_met.append(sum(1 for c in cells if (c, i) in held_months))
        for c in cells:
            sums = f.sums.get((c, i))
            if sums is not None:
                totals = [a + b for a, b in zip(totals, sums, strict=True)]
    for i, cells in enumerate(f.quarter_cells[root]):
        t.quarters_of += len(cells)
        t.quarters_met += sum(1 for c in cells if (c, i) in held_quarters)
    t.present, t.expected = totals[0], totals[1]
    t.ratings = {str(level): totals[2 + i] for i, level in enumerate(LEVELS)}
    return t


def _month_label(p: Period) -> str:
    return f"{p.start:%m/%Y}"


def _quarter_label(p: Period) -> str:
    return _("Quarter %(q)s/%(year)s") % {"q": (p.start.month - 1) // 3 + 1, "year": p.start.year}


class MeetingsSection(Section):
    key = "meetings"
    order = 50
    title = gettext_lazy("Cell meetings")
    labels = {
        "cells_meeting_monthly": gettext_lazy("Cell-months with the monthly meeting held"),
        "thematic_per_quarter": gettext_lazy("Cell-quarters with a thematic meeting held"),
        "attendance": gettext_lazy("Attendance at the meetings held"),
        "ratings.good": gettext_lazy("Meetings rated good"),
        "ratings.fair": gettext_lazy("Meetings rated fair"),
        "ratings.average": gettext_lazy("Meetings rated average"),
        "ratings.poor": gettext_lazy("Meetings rated poor"),
    }
    table = ("cells_meeting_monthly", "attendance")
    headline = ("cells_meeting_monthly", "thematic_per_quarter", "attendance")
    rests = ("cells_meeting_monthly", "thematic_per_quarter")

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        f = facts(roots, period)
        out: dict[int, Figures] = {}
        for root in roots:
            t = tally(f, root)
            out[root] = {
                "cells_meeting_monthly": share(sum(t.months_met), sum(t.months_of)),
                "thematic_per_quarter": share(t.quarters_met, t.quarters_of),
                "attendance": share(t.present, t.expected),
                "ratings": t.ratings,
            }
        return out

    def series(self, root: int, period: Period) -> list[Chart]:
        f = facts([root], period)
        t = tally(f, root)
        return [
            Chart(
                key="compliance_months",
                title=gettext_lazy("Cells holding their monthly meeting (%)"),
                kind="bar",
                labels=[_month_label(m) for m in f.months],
                series=[
                    {
                        "label": str(gettext_lazy("Cells meeting monthly")),
                        "data": [
                            percent(met, of)
                            for met, of in zip(t.months_met, t.months_of, strict=True)
                        ],
                    }
                ],
            )
        ]

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        f = facts([root], period)
        if figure == "cells_meeting_monthly":
            return _cell_rows(
                f.months, f.month_cells[root], f.monthly_held, rest, _month_label, _("Month")
            )
        if figure == "thematic_per_quarter":
            return _cell_rows(
                f.quarters,
                f.quarter_cells[root],
                f.thematic_held,
                rest,
                _quarter_label,
                _("Quarter"),
            )
        if figure == "attendance":
            if rest:
                return None
            held = [m for m in f.meetings if f.counted(root, m) and m.kind in (REGULAR, THEMATIC)]
            headers = [_("Present"), _("Expected")]
            return _meeting_rows(held, headers, lambda m: [m.present, m.expected])
        if figure.startswith("ratings."):
            level = figure.removeprefix("ratings.")
            if level not in {str(r) for r in LEVELS} or rest:
                return None
            held = [m for m in f.meetings if f.counted(root, m) and m.rating == level]
            return _meeting_rows(held, [_("Rating")], lambda m: [str(Rating(m.rating).label)])
        return None


# The rows behind the figures -------------------------------------------------------------------


def _cell_links(ids: set[int]) -> dict[int, tuple[str, Link]]:
    """Cell id -> (sort key, link to its page): one query."""
    rows = OrgUnit.all_objects.filter(pk__in=ids).values_list("pk", "name", "sort_name")
    return {
        pk: (sort or name, Link(name, reverse("org:unit", args=[pk]))) for pk, name, sort in rows
    }


def _meeting_link(m: Held) -> Link:
    return Link(f"{Kind(m.kind).label} {m.day:%d/%m/%Y}", reverse("meetings:detail", args=[m.pk]))


def _cell_rows(
    periods: list[Period],
    cells: list[set[int]],
    held: dict[tuple[int, int], Held],
    rest: bool,
    label,
    column: str,
) -> Rows:
    """The cell-months (cell-quarters) counted, each with its meeting; with `rest`, those
    missed."""
    keys = [(c, i) for i, those in enumerate(cells) for c in those if ((c, i) in held) != rest]
    links = _cell_links({c for c, _i in keys})
    keys.sort(key=lambda k: (k[1], links[k[0]][0], k[0]))
    items: list[tuple[Any, ...]] = [
        (links[c][1], label(periods[i]), *([] if rest else [_meeting_link(held[(c, i)])]))
        for c, i in keys
    ]
    headers = [_("Cell"), column] + ([] if rest else [_("Meeting")])
    return Rows(headers=headers, items=items, row=list)


def _meeting_rows(held: list[Held], extra: list[str], cells) -> Rows:
    links = _cell_links({m.cell for m in held})
    items = [(_meeting_link(m), links[m.cell][1], *cells(m)) for m in held]
    return Rows(headers=[_("Meeting"), _("Cell"), *extra], items=items, row=list)


register(MeetingsSection())
