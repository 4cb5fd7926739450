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
month's last day is then read from their validity in Python) together with the provinces of
those cells on the period's end (whose rule versions apply, as on the compliance page), the
rule versions (`chibo.rules.RuleBook`), the days in the period on which a version took effect,
and the period's meetings of those cells counted in SQL by cell and month: monthly and
thematic meetings, the turnout sums, and the ratings, rated in SQL by a CASE on the thresholds
of each stretch of days with the same rules (`_rated`), the "nobody absent without reason"
probe asked only of the meetings that could be Tốt. The rows behind a figure (`rows`) read
the same meetings one by one, rated by the same CASE.
"""

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
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
from chibo.rules.models import RuleVersion

from .compliance.expressions import AsFetched, EpochMicroseconds, LocalDays
from .compliance.queries import HELD, REGULAR, THEMATIC, counts_as_monthly
from .models import Attendance, Kind, Meeting, Presence, Rating

LEVELS = (Rating.GOOD, Rating.FAIR, Rating.AVERAGE, Rating.POOR)

SPAN, PROVINCE = 0, 1  # the two kinds of row of the tree query


# The tree --------------------------------------------------------------------------------------


@dataclass
class Tree:
    months: list[Period]
    quarters: list[Period]
    # root -> for each month (quarter), the cells of its subtree on that month's last day.
    month_cells: dict[int, list[set[int]]]
    quarter_cells: dict[int, list[set[int]]]
    cells: QuerySet  # the roots' cells over the period, as a subquery
    provinces: dict[int, int]  # cell -> its province on the period's end (when in one)
    all_cells: set[int]


def _cells_on(
    spans: list[tuple[int, int, dt.date, dt.date | None, dt.date | None, dt.date | None]],
    roots: Sequence[int],
    days: list[dt.date],
) -> dict[int, list[set[int]]]:
    """For each root and day, the cells linked to it and existing that day (as
    `chibo.org.queries.units_on(day)`; those in the trash are left out in SQL): a link and a
    cell's life are each one stretch of days, so the days of both are one run of `days`."""
    out: dict[int, list[set[int]]] = {root: [set() for _d in days] for root in roots}
    for root, cell, valid_from, valid_to, founded, dissolved in spans:
        first = max(valid_from, founded) if founded is not None else valid_from
        ends = [d for d in (valid_to, dissolved) if d is not None]
        lo = bisect_left(days, first)
        hi = bisect_left(days, min(ends)) if ends else len(days)
        sets = out[root]
        for i in range(lo, hi):
            sets[i].add(cell)
    return out


def tree(roots: Sequence[int], period: Period) -> Tree:
    """One query: the roots' cells whose link lasted into the period (a cell moved mid-year
    has one row under each parent), and the provinces of those cells on the period's end."""
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
    cells = links.values("descendant_id")
    # Both parts name every column as an annotation, in the same order, so that the UNION's
    # columns line up.
    spans = links.annotate(
        row=Value(SPAN),
        a=F("ancestor_id"),
        d=F("descendant_id"),
        start=F("valid_from"),
        stop=F("valid_to"),
        founded=F("descendant__founded_on"),
        dissolved=F("descendant__dissolved_on"),
    )
    nothing = Value(None, output_field=DateField())
    provinces = (
        Ancestry.objects.valid(period.end)
        .filter(ancestor__kind=UnitKind.PROVINCE, descendant_id__in=cells)
        .annotate(
            row=Value(PROVINCE),
            a=F("ancestor_id"),
            d=F("descendant_id"),
            start=nothing,
            stop=nothing,
            founded=nothing,
            dissolved=nothing,
        )
    )
    names = ("row", "a", "d", "start", "stop", "founded", "dissolved")
    found = list(
        spans.values_list(*names).union(provinces.values_list(*names), all=True).order_by()
    )
    province_of = {cell: province for row, province, cell, *_r in found if row == PROVINCE}
    span_rows = [tuple(r[1:]) for r in found if r[0] == SPAN]
    months, quarters = period.months, period.quarters
    month_cells = _cells_on(span_rows, roots, [m.end for m in months])  # type: ignore[arg-type]
    # A quarter (cut to the period) ends on the last day of its last month (cut the same way).
    last_month = {m.end: i for i, m in enumerate(months)}
    return Tree(
        months,
        quarters,
        month_cells,
        {root: [sets[last_month[q.end]] for q in quarters] for root, sets in month_cells.items()},
        cells,
        province_of,
        {r[1] for r in span_rows},  # type: ignore[misc]
    )


# The meetings ----------------------------------------------------------------------------------


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


AT = Coalesce("started_at", "planned_at")  # Meeting.day: when it started, or was planned


def _held(t: Tree, period: Period) -> QuerySet[Meeting]:
    """The held meetings of the period of the roots' cells that a figure reads: regular and
    thematic ones, and any scored one."""
    return (
        Meeting.objects.filter(cell_id__in=t.cells, state__in=HELD)
        .alias(at=AT)
        .filter(at__gte=_aware(period.start), at__lt=_aware(period.end + dt.timedelta(days=1)))
        .filter(Q(kind__in=[REGULAR, THEMATIC]) | Q(quality__isnull=False))
    )


def _month(months: list[Period]) -> Case:
    """The index of the meeting's month in `months` (the meeting is in the period)."""
    whens = [
        When(at__lt=_aware(m.end + dt.timedelta(days=1)), then=Value(i))
        for i, m in enumerate(months[:-1])
    ]
    return Case(*whens, default=Value(len(months) - 1), output_field=IntegerField())


def _stretches(
    book: RuleBook, changes: list[dt.date], period: Period, province: int | None
) -> list[tuple[dt.date, tuple[Any, ...]]]:
    """The stretches of the period with the same scoring rules for `province`: (first day,
    (Tốt, Khá, Trung bình thresholds, good-meeting attendance)), in date order."""
    out: list[tuple[dt.date, tuple[Any, ...]]] = []
    for day in sorted({period.start, *(d for d in changes if period.start < d <= period.end)}):
        r = book.at(day, province)
        rule = (r.quality_good, r.quality_fair, r.quality_average, r.good_meeting_attendance)
        if not out or out[-1][1] != rule:
            out.append((day, rule))
    return out


def _rated(
    t: Tree,
    book: RuleBook,
    changes: list[dt.date],
    period: Period,
    value: Callable[[Rating | None], Value],
) -> Case:
    """`value(rating)` of each meeting: its rating when scored (`value(None)` when not, or when
    no scoring rule was in force on its day: such a meeting is left out rather than rated on a
    guess), as the meeting page rates it (`services.quality.rated`) on the thresholds in force
    on its day for its cell's province, from the turnout counts kept on the meeting row: a
    score in the Tốt band is Tốt with good turnout (present of expected strictly above the
    rule's share, `services.quality.good_turnout`; never without that rule) and nobody absent
    without reason, else Khá. The roster is probed only for the meetings that could be Tốt.

    The cells are grouped by province; the largest group comes last, unnamed (the one CASE
    branch without a list of cells). Within a province the latest stretch of rules comes
    first: the first WHEN a meeting's time reaches is the one in force."""
    groups: dict[int | None, list[int]] = {}
    for cell in sorted(t.all_cells):
        groups.setdefault(t.provinces.get(cell), []).append(cell)
    ordered = sorted(groups.items(), key=lambda g: len(g[1]))
    whens = [When(quality__total__isnull=True, then=value(None))]
    for n, (province, cells) in enumerate(ordered):
        last = n == len(ordered) - 1
        of_group = Q(quality__total__isnull=False) if last else Q(cell_id__in=cells)
        stretches = _stretches(book, changes, period, province)
        for first, (good, fair, average, needed) in reversed(stretches):
            when = of_group & (Q(at__gte=_aware(first)) if first > period.start else Q())
            if None in (good, fair, average):
                whens.append(When(when, then=value(None)))
                continue
            if needed is not None:
                share = Fraction(needed)
                # present / expected > needed, in integers
                turnout = GreaterThan(
                    F("present_count") * share.denominator, F("expected_count") * share.numerator
                )
                top = Q(quality__total__gte=good, expected_count__gt=0) & Q(turnout)
                whens.append(When(when & top & ~Q(_unexcused()), then=value(Rating.GOOD)))
            whens += [
                # The Tốt band without good turnout, or with somebody absent without reason
                When(when & Q(quality__total__gte=good), then=value(Rating.FAIR)),
                When(when & Q(quality__total__gte=fair), then=value(Rating.FAIR)),
                When(when & Q(quality__total__gte=average), then=value(Rating.AVERAGE)),
                When(when, then=value(Rating.POOR)),
            ]
    return Case(*whens, default=value(None))


def _unexcused() -> Exists:
    return Exists(
        Attendance.objects.filter(meeting=OuterRef("pk"), presence=Presence.UNEXCUSED, away=False)
    )


def _rules(period: Period) -> tuple[RuleBook, list[dt.date]]:
    """Two queries: the rule versions, and the days in the period on which one took effect."""
    book = RuleBook()
    changes = RuleVersion.objects.filter(
        effective_from__gt=period.start, effective_from__lte=period.end
    )
    return book, list(changes.values_list("effective_from", flat=True).distinct())


# The figures' counts: by cell and month --------------------------------------------------------

# The ratings of a cell's month are summed in one column, each in its own 16 bits (a cell holds
# far fewer than 65,536 meetings a month): one CASE per meeting rather than one per rating.
BITS, MASK = 16, 0xFFFF


def _weight(rating: Rating | None) -> Value:
    return Value(0 if rating is None else 1 << (BITS * LEVELS.index(rating)))


def _level(rating: Rating | None) -> Value:
    return Value(None if rating is None else str(rating), output_field=CharField())


@dataclass
class Counts:
    tree: Tree
    # month index -> cell -> its monthly meetings held, present, expected (regular and
    # thematic meetings) and meetings rated good, fair, average, poor that month
    by_month: list[dict[int, tuple[int, int, int, int, int, int, int]]]
    # quarter index -> the cells that held a thematic meeting in it
    thematic: list[set[int]]


def counts(roots: Sequence[int], period: Period) -> Counts:
    """Four queries, whatever the roots (see the module's docstring)."""
    t = tree(roots, period)
    book, changes = _rules(period)
    kinds = [REGULAR, THEMATIC]
    rated = _rated(t, book, changes, period, _weight)
    rows = (
        _held(t, period)
        .annotate(month=AsFetched(_month(t.months)))
        .values("cell_id", "month")
        # As the driver returns them: each converter is a Python call per row and column.
        .annotate(
            monthly=AsFetched(
                Count("pk", filter=Q(kind=REGULAR) | Q(kind=THEMATIC, combined=True))
            ),
            thematic=AsFetched(Count("pk", filter=Q(kind=THEMATIC))),
            present=AsFetched(Sum("present_count", filter=Q(kind__in=kinds), default=0)),
            expected=AsFetched(Sum("expected_count", filter=Q(kind__in=kinds), default=0)),
            # PostgreSQL sums bigints as numeric: back to an integer.
            rated=AsFetched(Cast(Sum(rated, default=0), BigIntegerField())),
        )
        .values_list(
            "cell_id",
            "month",
            "monthly",
            "thematic",
            "present",
            "expected",
            "rated",
        )
        .order_by()
    )
    by_month: list[dict[int, tuple[int, int, int, int, int, int, int]]] = [{} for _m in t.months]
    quarter_of = [_index(t.quarters, m.start) for m in t.months]
    thematic_held: list[set[int]] = [set() for _q in t.quarters]
    for cell, month, monthly, thematic, present, expected, rated_n in rows:
        by_month[month][cell] = (
            monthly,
            present,
            expected,
            rated_n & MASK,
            rated_n >> BITS & MASK,
            rated_n >> 2 * BITS & MASK,
            rated_n >> 3 * BITS & MASK,
        )
        if thematic:
            thematic_held[quarter_of[month]].add(cell)
    return Counts(t, by_month, thematic_held)


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


def tally(c: Counts, root: int) -> Tally:
    t, by_month = c.tree, c.by_month
    out = Tally([], [])
    present = expected = good = fair = average = poor = 0
    for i, cells in enumerate(t.month_cells[root]):
        found = by_month[i]
        out.months_of.append(len(cells))
        met = 0
        for cell in cells & found.keys():
            monthly, p, e, g, f, a, r = found[cell]
            met += monthly > 0
            present, expected = present + p, expected + e
            good, fair, average, poor = good + g, fair + f, average + a, poor + r
        out.months_met.append(met)
    for cells, held in zip(t.quarter_cells[root], c.thematic, strict=True):
        out.quarters_of += len(cells)
        out.quarters_met += len(cells & held)
    out.present, out.expected = present, expected
    out.ratings = dict(zip(map(str, LEVELS), (good, fair, average, poor), strict=True))
    return out


# The rows behind the figures: one meeting each -------------------------------------------------


@dataclass(slots=True)
class Held:
    """A held meeting of the period, as the rows read it."""

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
    tree: Tree
    meetings: list[Held]
    # (cell, month index) -> the first monthly meeting; (cell, quarter index) -> thematic.
    monthly_held: dict[tuple[int, int], Held]
    thematic_held: dict[tuple[int, int], Held]

    def counted(self, root: int, held: Held) -> bool:
        """The meeting's cell lay in `root`'s subtree on the last day of the meeting's month."""
        return held.cell in self.tree.month_cells[root][held.month]


def _index(periods: list[Period], day: dt.date) -> int:
    for i, p in enumerate(periods):
        if p.start <= day <= p.end:
            return i
    raise ValueError(day)


def facts(roots: Sequence[int], period: Period) -> Facts:
    """The period's meetings one by one, in time order, rated as `counts` rates them."""
    t = tree(roots, period)
    book, changes = _rules(period)
    rows = (
        _held(t, period)
        .annotate(rating=_rated(t, book, changes, period, _level))
        .order_by(AT.asc(), "pk")
        .values_list(
            "pk",
            "cell_id",
            "kind",
            AsFetched("combined"),
            "present_count",
            "expected_count",
            EpochMicroseconds(AT),
            "rating",
        )
    )
    local_days = LocalDays(period.start, period.end, timezone.get_current_timezone())
    out = Facts(t, [], {}, {})
    for pk, cell, kind, combined, present, expected, when, rating in rows:
        day = local_days.of(when)
        held = Held(
            pk,
            cell,
            kind,
            bool(combined),
            day,
            _index(t.months, day),
            _index(t.quarters, day),
            present,
            expected,
            rating,
        )
        out.meetings.append(held)
        if held.monthly:
            out.monthly_held.setdefault((cell, held.month), held)
        if kind == THEMATIC:
            out.thematic_held.setdefault((cell, held.quarter), held)
    return out


# The figures -----------------------------------------------------------------------------------


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
        c = counts(roots, period)
        out: dict[int, Figures] = {}
        for root in roots:
            t = tally(c, root)
            out[root] = {
                "cells_meeting_monthly": share(sum(t.months_met), sum(t.months_of)),
                "thematic_per_quarter": share(t.quarters_met, t.quarters_of),
                "attendance": share(t.present, t.expected),
                "ratings": t.ratings,
            }
        return out

    def series(self, root: int, period: Period) -> list[Chart]:
        c = counts([root], period)
        t = tally(c, root)
        return [
            Chart(
                key="compliance_months",
                title=gettext_lazy("Cells holding their monthly meeting (%)"),
                kind="bar",
                labels=[_month_label(m) for m in c.tree.months],
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
        t = f.tree
        if figure == "cells_meeting_monthly":
            return _cell_rows(
                t.months, t.month_cells[root], f.monthly_held, rest, _month_label, _("Month")
            )
        if figure == "thematic_per_quarter":
            return _cell_rows(
                t.quarters,
                t.quarter_cells[root],
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
