"""Meeting compliance of the cells under a unit for a month or a quarter (issue item 9).

For every cell in the unit's subtree as it stood on the period's last day: did it hold its
monthly meeting (every month of a quarter), a thematic meeting in the quarter, were its
meetings long enough under the rule in force on the day, and was attendance good.

The figures come from three queries whatever the number of cells: the cells, the meetings
with the turnout counts the attendance services keep on each meeting row (no roster rows are
read), and the rule versions; rules for each meeting day are layered in Python from those
rows, the way `chibo.rules.at` layers them.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.org.models import Ancestry, OrgUnit
from chibo.org.models import Kind as UnitKind
from chibo.rules import RuleBook

from ..models import Kind, Meeting, State

HELD = (State.HELD, State.ADOPTED)
CRITERIA = ("monthly", "thematic", "duration", "attendance")


# Periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month or quarter, both ends included."""

    key: str  # "2026-03" or "2026-Q1"
    start: dt.date
    end: dt.date

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.key

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
    def closes_quarter(self) -> bool:
        """The period runs to the end of its quarter: a thematic meeting was due by then."""
        return self.end.month % 3 == 0

    def label(self) -> str:
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


PERIOD_RE = re.compile(r"^\s*(\d{4})-(?:(\d{1,2})|[Qq]([1-4]))\s*$")


def parse_period(text: str) -> Period:
    """'2026-03' (a month) or '2026-Q1' (a quarter). Raises ValueError."""
    match = PERIOD_RE.match(text or "")
    if match is None:
        raise ValueError(text)
    year = int(match[1])
    if not 1930 <= year <= 9998:
        raise ValueError(text)
    if match[3]:
        return quarter_period(year, int(match[3]))
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(text)
    return month_period(year, month)


def last_complete_month(today: dt.date) -> Period:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(last.year, last.month)


def recent_periods(today: dt.date, months: int = 12, quarters: int = 4) -> list[Period]:
    """Choices for the period select: the last complete months and quarters, newest first."""
    out, p = [], last_complete_month(today)
    for _i in range(months):
        out.append(p)
        before = p.start - dt.timedelta(days=1)
        p = month_period(before.year, before.month)
    q_year, q = today.year, (today.month - 1) // 3  # the last complete quarter
    for _i in range(quarters):
        if q == 0:
            q_year, q = q_year - 1, 4
        out.append(quarter_period(q_year, q))
        q -= 1
    return out


# Rules for many days from one query ---------------------------------------------------------


# The report -----------------------------------------------------------------------------------


@dataclass
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
    url: str | None = None

    @property
    def held(self) -> bool:
        return self.state in HELD

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def counts_as_monthly(self) -> bool:
        # A thematic meeting held together with the monthly one is that month's meeting too.
        return self.kind == Kind.REGULAR or (self.kind == Kind.THEMATIC and self.combined)

    @property
    def long_enough(self) -> bool | None:
        if self.minimum is None:
            return None
        return self.minutes is not None and self.minutes >= self.minimum

    @property
    def good_attendance(self) -> bool | None:
        if self.good_share is None:
            return None
        return self.expected > 0 and Fraction(self.present, self.expected) > self.good_share


@dataclass
class CellRow:
    pk: int
    code: str
    name: str
    parent_name: str
    province_id: int | None
    meetings: list[MeetingFact] = field(default_factory=list)  # in the period, by day
    monthly: bool = False
    months_missing: list[dt.date] = field(default_factory=list)
    thematic: bool | None = None  # None: not due yet (a month before the quarter's last)
    duration: bool | None = None  # None: nothing to judge (no held meeting, or no rule)
    attendance: bool | None = None  # None: no held meeting, or no rule
    present: int = 0
    expected: int = 0

    @property
    def missing(self) -> list[str]:
        return [c for c in CRITERIA if getattr(self, c) is False]


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


def _cells(unit: OrgUnit, period: Period):
    """Cells under `unit` as the tree stood on the period's last day, with the unit just above
    each and its province then (whose rule versions apply)."""
    links = Ancestry.objects.valid(period.end).filter(descendant=OuterRef("pk"))
    return (
        OrgUnit.objects.within(unit, period.end)
        .cells()
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=period.end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start))
        .annotate(
            parent_name=Subquery(links.filter(distance=1).values("ancestor__name")[:1]),
            province_id=Subquery(
                links.filter(ancestor__kind=UnitKind.PROVINCE).values("ancestor_id")[:1]
            ),
        )
    )


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def compliance_report(
    unit: OrgUnit, period: Period, *, meeting_url: Callable[[int], str | None] | None = None
) -> Report:
    cells_qs = _cells(unit, period)
    rows = {
        c["pk"]: CellRow(
            pk=c["pk"],
            code=c["code"],
            name=c["name"],
            parent_name=c["parent_name"] or "",
            province_id=c["province_id"],
        )
        for c in cells_qs.order_by("parent_name", "name", "pk").values(
            "pk", "code", "name", "parent_name", "province_id"
        )
    }
    # The quarter so far, for the thematic meeting; the period itself for everything else.
    since = min(period.start, period.quarter_start)
    meetings = (
        Meeting.objects.filter(
            cell_id__in=cells_qs.values("pk"), kind__in=[Kind.REGULAR, Kind.THEMATIC]
        )
        .annotate(at=Coalesce("started_at", "planned_at"))
        .filter(at__gte=_aware(since), at__lt=_aware(period.end + dt.timedelta(days=1)))
        .order_by("at", "pk")
        .values_list(
            "pk",
            "cell_id",
            "kind",
            "combined",
            "state",
            "at",
            "started_at",
            "ended_at",
            "present_count",
            "expected_count",
        )
    )
    book = RuleBook()
    thematic_held: set[int] = set()
    for pk, cell_id, kind, combined, state, at, started, ended, present, expected in meetings:
        row = rows.get(cell_id)
        if row is None:
            continue
        day = timezone.localtime(at).date()
        if kind == Kind.THEMATIC and state in HELD:
            thematic_held.add(cell_id)
        if day < period.start:
            continue  # earlier in the quarter: counted for the thematic meeting only
        r = book.at(day, row.province_id)
        minimum = r.meeting_min_minutes_combined if combined else r.meeting_min_minutes
        minutes = None
        if started is not None and ended is not None:
            minutes = int((ended - started).total_seconds() // 60)
        row.meetings.append(
            MeetingFact(
                pk=pk,
                kind=kind,
                combined=combined,
                state=state,
                day=day,
                minutes=minutes,
                minimum=minimum,
                present=present,
                expected=expected,
                good_share=r.good_meeting_attendance,
                url=meeting_url(pk) if meeting_url else None,
            )
        )

    totals = {c: Total() for c in CRITERIA}
    present = expected = held_count = 0
    for row in rows.values():
        held = [m for m in row.meetings if m.held]
        held_months = {m.day.replace(day=1) for m in held if m.counts_as_monthly}
        row.months_missing = [m for m in period.months if m not in held_months]
        row.monthly = not row.months_missing
        if row.pk in thematic_held:
            row.thematic = True
        else:
            row.thematic = False if period.closes_quarter else None
        lengths = [m.long_enough for m in held if m.long_enough is not None]
        row.duration = all(lengths) if lengths else None
        goods = [m.good_attendance for m in held if m.good_attendance is not None]
        row.attendance = all(goods) if goods else None
        row.present = sum(m.present for m in held)
        row.expected = sum(m.expected for m in held)
        present, expected, held_count = (
            present + row.present,
            expected + row.expected,
            (held_count + len(held)),
        )
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
