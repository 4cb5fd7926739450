"""Meeting compliance of the cells under a unit for a month or a quarter (issue item 9).

For every cell in the unit's subtree as it stood on the period's last day: did it hold its
monthly meeting (every month of a quarter), a thematic meeting in the quarter, were its
meetings long enough under the rule in force on the day, and was attendance good.

The figures come from four queries whatever the number of cells: the province, the cells,
the meetings with the turnout counts the attendance services keep on each meeting row (no
roster rows are read), and the rule versions; rules for each meeting day are layered in
Python from those rows by `chibo.rules.RuleBook`, the way `chibo.rules.at` layers them.
A province's quarter is some 7,000 meetings: each is read and judged once (expressions.py).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import F, FilteredRelation, IntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.org.models import Ancestry, OrgUnit
from chibo.org.models import Kind as UnitKind
from chibo.rules import RuleBook

from ..models import Kind, Meeting, State
from .expressions import AsFetched, EpochMicroseconds, LocalDays, whole_minutes

HELD = (State.HELD, State.ADOPTED)
REGULAR, THEMATIC = Kind.REGULAR, Kind.THEMATIC
CRITERIA = ("monthly", "thematic", "duration", "attendance")


# Periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year, both ends included."""

    key: str  # "2026-03", "2026-Q1" or "2026"
    start: dt.date
    end: dt.date

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.key

    @property
    def is_year(self) -> bool:
        return "-" not in self.key

    @property
    def is_month(self) -> bool:
        return not (self.is_quarter or self.is_year)

    @property
    def short_label(self) -> str:
        """A quarter within its year: "Q1"."""
        return _("Q%(q)s") % {"q": (self.start.month - 1) // 3 + 1}

    @property
    def months(self) -> list[dt.date]:
        """The first day of each month in the period."""
        first, out = self.start, []
        while first <= self.end:
            out.append(first)
            first = _next_month(first)
        return out

    @property
    def quarter_start(self) -> dt.date:
        return dt.date(self.start.year, 3 * ((self.start.month - 1) // 3) + 1, 1)

    @property
    def quarters(self) -> list["Period"]:
        """The quarters the period touches (a month's own quarter; a year's four)."""
        out, first = [], self.quarter_start
        while first <= self.end:
            out.append(quarter_period(first.year, (first.month - 1) // 3 + 1))
            first = _next_month(_next_month(_next_month(first)))
        return out

    @property
    def closes_quarter(self) -> bool:
        """The period runs to the end of its quarter: a thematic meeting was due by then."""
        return self.end.month % 3 == 0

    def label(self) -> str:
        if self.is_year:
            return _("Year %(year)s") % {"year": self.start.year}
        if self.is_quarter:
            return _("Quarter %(q)s/%(year)s") % {
                "q": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return _("Month %(month)s/%(year)s") % {
            "month": f"{self.start.month:02d}",
            "year": self.start.year,
        }


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    return Period(f"{year:04d}-{month:02d}", first, _next_month(first) - dt.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    last = _next_month(dt.date(year, 3 * quarter, 1)) - dt.timedelta(days=1)
    return Period(f"{year:04d}-Q{quarter}", first, last)


def year_period(year: int) -> Period:
    return Period(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31))


PERIOD_RE = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])))?\s*$")


def parse_period(text: str) -> Period:
    """'2026-03' (a month), '2026-Q1' (a quarter) or '2026' (a year). Raises ValueError."""
    match = PERIOD_RE.match(text or "")
    if match is None:
        raise ValueError(text)
    year = int(match[1])
    if not 1930 <= year <= 9998:
        raise ValueError(text)
    if match[2] is None and match[3] is None:
        return year_period(year)
    if match[3]:
        return quarter_period(year, int(match[3]))
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(text)
    return month_period(year, month)


def last_complete_month(today: dt.date) -> Period:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(last.year, last.month)


def recent_periods(
    today: dt.date, months: int = 12, quarters: int = 4, years: int = 2
) -> list[Period]:
    """Choices for the period select, newest first: the month so far, the last complete
    months, the quarter so far and the last complete quarters, the year so far and the
    last complete years."""
    out = [month_period(today.year, today.month)]
    p = last_complete_month(today)
    for _i in range(months):
        out.append(p)
        before = p.start - dt.timedelta(days=1)
        p = month_period(before.year, before.month)
    q_year, q = today.year, (today.month - 1) // 3  # the last complete quarter
    out.append(quarter_period(q_year, q + 1))
    for _i in range(quarters):
        if q == 0:
            q_year, q = q_year - 1, 4
        out.append(quarter_period(q_year, q))
        q -= 1
    out += [year_period(today.year - i) for i in range(years + 1)]
    return out


# The report -----------------------------------------------------------------------------------


def counts_as_monthly(kind: str, combined: bool) -> bool:
    """A held meeting of this kind is the cell's monthly meeting: a regular one, or a thematic
    meeting held together with the monthly one (it is that month's meeting too)."""
    return kind == REGULAR or (kind == THEMATIC and combined)


@dataclass(slots=True)
class MeetingFact:
    pk: int
    kind: str
    combined: bool
    state: str
    day: dt.date
    minutes: int | None
    minimum: int | None  # None: no rule on that day
    present: int
    expected: int
    good_share: Fraction | None  # None: no rule on that day
    # Filled in by the page for the rows it shows: the meeting's link, "100 min".
    url: str = ""
    length: str = ""
    # Judged once, when the fact is made: the report reads them for thousands of meetings.
    held: bool = field(init=False)
    counts_as_monthly: bool = field(init=False)
    long_enough: bool | None = field(init=False)
    good_attendance: bool | None = field(init=False)

    def __post_init__(self) -> None:
        self.held = self.state in HELD
        self.counts_as_monthly = counts_as_monthly(self.kind, self.combined)
        if self.minimum is None:
            self.long_enough = None
        else:
            self.long_enough = self.minutes is not None and self.minutes >= self.minimum
        share = self.good_share
        if share is None:
            self.good_attendance = None
        else:
            # present/expected > share, in integers (a Fraction each was slow over thousands).
            self.good_attendance = self.expected > 0 and (
                self.present * share.denominator > share.numerator * self.expected
            )

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


@dataclass
class CellRow:
    pk: int
    code: str
    name: str
    parent_name: str
    province_id: int | None
    meetings: list[MeetingFact] = field(default_factory=list)  # in the period, by day
    monthly: bool | None = False  # None: not due yet (no month over yet, none held)
    months_missing: list[dt.date] = field(default_factory=list)  # months over, none held
    months_pending: list[dt.date] = field(default_factory=list)  # not over, none held yet
    thematic: bool | None = None  # None: not due yet (no quarter over yet, none held)
    quarters_missing: list[Period] = field(default_factory=list)
    duration: bool | None = None  # None: nothing to judge (no held meeting, or no rule)
    attendance: bool | None = None  # None: no held meeting, or no rule
    present: int = 0
    expected: int = 0
    url: str = ""  # filled in by the page for the rows it shows

    @property
    def missing(self) -> list[str]:
        return [c for c in CRITERIA if getattr(self, c) is False]

    @property
    def held_any(self) -> bool:
        return any(m.held for m in self.meetings)


@dataclass
class Total:
    met: int = 0
    judged: int = 0


@dataclass
class Report:
    unit: OrgUnit
    period: Period
    cells: list[CellRow]
    totals: dict[str, Total]
    present: int
    expected: int
    meetings_held: int


def _valid_on(relation: str, on: dt.date) -> Q:
    """`Ancestry.objects.valid(on)` for the links reached through `relation`."""
    return Q(**{f"{relation}__valid_from__lte": on}) & (
        Q(**{f"{relation}__valid_to__isnull": True}) | Q(**{f"{relation}__valid_to__gt": on})
    )


def _provinces(unit: OrgUnit, on: dt.date) -> list[int]:
    """The province the cells under `unit` belonged to on `on`: the one at or above the unit,
    or else (a unit above the provinces) those below it."""
    links = Ancestry.objects.valid(on)
    provinces = OrgUnit.all_objects.filter(kind=UnitKind.PROVINCE)
    above = provinces.filter(pk__in=links.filter(descendant=unit).values("ancestor_id"))
    below = provinces.filter(pk__in=links.filter(ancestor=unit).values("descendant_id"))
    return list(above.values_list("pk", flat=True)) or list(below.values_list("pk", flat=True))


def _cells(unit: OrgUnit, period: Period):
    """Cells under `unit` as the tree stood on the period's last day, with the unit just above
    each and its province then (whose rule versions apply).

    Both by joins, not a subquery per cell: those made PostgreSQL estimate a province's cells
    costly enough to compile the query with its JIT first (some 60 ms)."""
    end = period.end
    cells = (
        OrgUnit.objects.within(unit, end)
        .cells()
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start))
        .annotate(
            up=FilteredRelation(
                "ancestor_links",
                condition=Q(ancestor_links__distance=1) & _valid_on("ancestor_links", end),
            ),
            parent_name=F("up__ancestor__name"),
            parent_sort=F("up__ancestor__sort_name"),
        )
    )
    provinces = _provinces(unit, end)
    if not provinces:
        return cells.annotate(province_id=Value(None, output_field=IntegerField()))
    return cells.annotate(
        top=FilteredRelation(
            "ancestor_links",
            condition=Q(ancestor_links__ancestor__in=provinces) & _valid_on("ancestor_links", end),
        ),
        province_id=F("top__ancestor_id"),
    )


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def compliance_report(unit: OrgUnit, period: Period, today: dt.date | None = None) -> Report:
    """The period's report as of `today` (None: the period is over). A month or a quarter
    that has not ended is not missed yet: without its meeting it is "not yet due"."""
    cells_qs = _cells(unit, period)
    rows = {
        pk: CellRow(pk, code, name, parent_name or "", province_id)
        for pk, code, name, parent_name, province_id in cells_qs.order_by(
            "parent_sort", "sort_name", "pk"
        ).values_list("pk", "code", "name", "parent_name", "province_id")
    }
    # The quarter so far, for the thematic meeting; the period itself for everything else.
    since = min(period.start, period.quarter_start)
    at = Coalesce("started_at", "planned_at")  # Meeting.day: when it started, or was planned
    meetings = (
        # Any unit under `unit`: meetings of units that are not in `rows` are skipped below.
        Meeting.objects.filter(
            cell_id__in=Ancestry.objects.valid(period.end)
            .filter(ancestor=unit)
            .values("descendant_id"),
            kind__in=[REGULAR, THEMATIC],
        )
        .annotate(at=at)
        .filter(at__gte=_aware(since), at__lt=_aware(period.end + dt.timedelta(days=1)))
        .order_by("at", "pk")
        .values_list(
            "pk",
            "cell_id",
            "kind",
            "state",
            "present_count",
            "expected_count",
            AsFetched("combined"),
            EpochMicroseconds(at),
            EpochMicroseconds("started_at"),
            EpochMicroseconds("ended_at"),
        )
    )
    local_days = LocalDays(since, period.end, timezone.get_current_timezone())
    book = RuleBook()
    # (day, province): minimum length, minimum when combined, good attendance share.
    rules_on: dict[tuple[dt.date, int | None], tuple[int | None, int | None, Fraction | None]] = {}
    thematic_held: dict[int, set[dt.date]] = {}  # cell: the quarters (first days) with one
    held_months: dict[int, set[tuple[int, int]]] = {}
    held_count = 0
    for pk, cell_id, kind, state, present, expected, combined, when, started, ended in meetings:
        row = rows.get(cell_id)
        if row is None:
            continue
        day = local_days.of(when)  # Meeting.day
        if kind == THEMATIC and state in HELD:
            quarter = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            thematic_held.setdefault(cell_id, set()).add(quarter)
        if day < period.start:
            continue  # earlier in the quarter: counted for the thematic meeting only
        key = (day, row.province_id)
        rule = rules_on.get(key)
        if rule is None:
            r = book.at(day, row.province_id)
            rule = rules_on[key] = (
                r.meeting_min_minutes,
                r.meeting_min_minutes_combined,
                r.good_meeting_attendance,
            )
        minimum, minimum_combined, good_share = rule
        if combined:
            minimum = minimum_combined
        minutes = whole_minutes(started, ended)
        # In field order: keyword arguments nearly doubled the cost of making each fact.
        m = MeetingFact(
            pk, kind, combined, state, day, minutes, minimum, present, expected, good_share
        )
        row.meetings.append(m)
        if not m.held:
            continue
        held_count += 1
        row.present += present
        row.expected += expected
        if m.counts_as_monthly:
            held_months.setdefault(cell_id, set()).add((day.year, day.month))
        # All held meetings judged long enough (None: none could be judged), same for attendance.
        if m.long_enough is not None:
            row.duration = m.long_enough and row.duration is not False
        if m.good_attendance is not None:
            row.attendance = m.good_attendance and row.attendance is not False

    totals = {c: Total() for c in CRITERIA}
    present = expected = 0
    # A month or quarter is due once it is over (and within the period: a quarter that runs
    # past the period's end is not due in it).
    over = period.end if today is None else min(period.end, today - dt.timedelta(days=1))
    months = [(m, month_period(m.year, m.month).end <= over) for m in period.months]
    quarters = [(q, q.end <= over) for q in period.quarters]
    any_due_month = any(due for _m, due in months)
    any_due_quarter = any(due for _q, due in quarters)
    for row in rows.values():
        row_months = held_months.get(row.pk, set())
        gaps = [(m, due) for m, due in months if (m.year, m.month) not in row_months]
        row.months_missing = [m for m, due in gaps if due]
        row.months_pending = [m for m, due in gaps if not due]
        # Judged on the months that are over (and those already held): not yet due only
        # while no month can be judged.
        judged = any_due_month or len(row.months_pending) < len(months)
        row.monthly = False if row.months_missing else (True if judged else None)
        row_quarters = thematic_held.get(row.pk, set())
        gaps_q = [(q, due) for q, due in quarters if q.start not in row_quarters]
        row.quarters_missing = [q for q, due in gaps_q if due]
        judged_q = any_due_quarter or len(gaps_q) < len(quarters)
        row.thematic = False if row.quarters_missing else (True if judged_q else None)
        present += row.present
        expected += row.expected
        for c in CRITERIA:
            value = getattr(row, c)
            if value is not None:
                totals[c].judged += 1
                totals[c].met += bool(value)
    return Report(
        unit=unit,
        period=period,
        cells=list(rows.values()),
        totals=totals,
        present=present,
        expected=expected,
        meetings_held=held_count,
    )
