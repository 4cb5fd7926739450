"""Report sections: the registry the reports hub reads, and the shapes every section shares.

A domain contributes the figures it owns to the unit reports (`chibo report`, the dashboard,
`/api/v1/reports/summary`, the Excel and Word files) from its own `reporting.py`:

    from chibo.core.reporting import Section, register

    class MembersSection(Section):
        key = "members"
        order = 20
        title = gettext_lazy("Members")
        def figures(self, roots, period): ...   # {root id: {"start": 12, ...}}
        def rows(self, figure, *, root, period, rest=False): ...

    register(MembersSection())

The hub never names a domain: a section that is not registered (its domain is not built) is
absent from every report, never filled with zeros. See docs/reports.md for the contract.

Rules every section follows:
- `figures` computes the figures of many roots at once (the unit of a report, or each row of
  its sub-unit table, or every unit of a subtree when a year is closed) with grouped SQL
  queries: the number of queries does not depend on how many roots or how large the subtrees.
- A root's subtree is the tree as it stood on the date that matters for the figure (the
  period's start, its end, the month's last day...), through the closure table (`Ancestry`).
- A share is `share(count, of)`; dates are ISO in the JSON.
- `rows` names the rows behind one figure (its path inside the section, e.g.
  "heads_members"), so every figure on the dashboard links to the records it counts.
"""

import contextlib
import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .db import replica_reads
from .registry import Registry

# Percentages ---------------------------------------------------------------------------------

HUNDREDTH = Decimal("0.01")


def percent(count: int, of: int) -> float | None:
    """count/of as a percentage rounded half-up to 2 decimals (3/13 -> 23.08, 1/8 -> 12.5,
    2/3 -> 66.67); None when `of` is 0. Exact: decimal arithmetic, no float rounding."""
    if not of:
        return None
    value = (Decimal(count) * 100 / Decimal(of)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return float(value)


def share(count: int, of: int) -> dict[str, Any]:
    """The JSON of a share: {"count": n, "of": d, "percent": p}."""
    return {"count": count, "of": of, "percent": percent(count, of)}


def is_share(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"count", "of", "percent"}


# Periods -------------------------------------------------------------------------------------


def _month_after(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """The days a report covers, both ends included: a calendar year, quarter or month, or
    any range (from/to). `start` and `end` are the dates "start" and "end" figures are taken
    on."""

    start: dt.date
    end: dt.date
    kind: str = "range"  # "year", "quarter", "month" or "range"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end before start")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = dt.date(year, 3 * (quarter - 1) + 1, 1)
        last = _month_after(_month_after(_month_after(first))) - dt.timedelta(days=1)
        return cls(first, last, "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        first = dt.date(year, month, 1)
        return cls(first, _month_after(first) - dt.timedelta(days=1), "month")

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "Period":
        """A range; a range that is exactly a calendar year, quarter or month is that."""
        for candidate in (
            cls.year(start.year),
            cls.quarter(start.year, (start.month - 1) // 3 + 1),
            cls.month(start.year, start.month),
        ):
            if (candidate.start, candidate.end) == (start, end):
                return candidate
        return cls(start, end, "range")

    @property
    def key(self) -> str:
        """'2026', '2026-Q1', '2026-03' or '2026-01-05..2026-03-31' (see `parse`)."""
        if self.kind == "year":
            return f"{self.start.year:04d}"
        if self.kind == "quarter":
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self) -> str:
        if self.kind == "year":
            return _("Year %(year)s") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("Quarter %(q)s/%(year)s") % {
                "q": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "month":
            return _("Month %(month)s/%(year)s") % {
                "month": f"{self.start.month:02d}",
                "year": self.start.year,
            }
        return _("From %(start)s to %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    def as_json(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def months(self) -> list["Period"]:
        """The calendar months the period touches, each cut to the period."""
        out: list[Period] = []
        first = dt.date(self.start.year, self.start.month, 1)
        while first <= self.end:
            month = Period.month(first.year, first.month)
            out.append(Period(max(month.start, self.start), min(month.end, self.end), "month"))
            first = _month_after(first)
        return out

    @property
    def quarters(self) -> list["Period"]:
        """The calendar quarters the period touches, each cut to the period."""
        out: list[Period] = []
        year, q = self.start.year, (self.start.month - 1) // 3 + 1
        while True:
            quarter = Period.quarter(year, q)
            if quarter.start > self.end:
                return out
            out.append(
                Period(max(quarter.start, self.start), min(quarter.end, self.end), "quarter")
            )
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


PERIOD_RE = re.compile(
    r"^\s*(?:(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<q>[1-4])))?"
    r"|(?P<start>\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(?P<end>\d{4}-\d{2}-\d{2}))\s*$"
)
FIRST_YEAR, LAST_YEAR = 1930, 9998


def parse_period(text: str) -> Period:
    """'2026' (a year), '2026-Q1', '2026-03' or '2026-01-05..2026-03-31'. ValueError else."""
    match = PERIOD_RE.match(text or "")
    if match is None:
        raise ValueError(text)
    if match["start"]:
        start, end = dt.date.fromisoformat(match["start"]), dt.date.fromisoformat(match["end"])
        if not (start.year >= FIRST_YEAR and end.year <= LAST_YEAR):
            raise ValueError(text)
        return Period.between(start, end)
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(text)
    if match["q"]:
        return Period.quarter(year, int(match["q"]))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(text)
        return Period.month(year, month)
    return Period.year(year)


# The rows behind a figure --------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A cell that leads somewhere (a member's record, a cell's page, a meeting)."""

    text: str
    url: str


Cell = str | int | float | dt.date | Link | None


@dataclass
class Rows:
    """The records behind a figure: a header per column and one list of cells per record.

    `items` is an ordered queryset (or a list) that the page slices into pages and the API
    counts; `row` turns one item into its cells. `counted` says, for a share, whether these
    rows are the ones counted or the rest (villages whose head is not a member): the caller
    knows which it asked for."""

    headers: Sequence[str | Promise]
    items: Any
    row: Callable[[Any], Sequence[Cell]]
    title: str | Promise = ""


# Sections ------------------------------------------------------------------------------------

Figures = dict[str, Any]


class Section(ABC):
    """What a domain contributes to the reports. Subclass, set the attributes, implement
    `figures` (and `rows`, so that the figures can be followed), then `register(...)` an
    instance in the domain's `reporting.py`."""

    key: str = ""  # the section's name in the JSON: a public interface
    order: int = 100  # place in the report
    title: str | Promise = ""
    # Figure path (dotted, inside the section) -> what it is, in the user's words. The
    # dashboard's cards, the Excel sheet and the Word tables list these, in this order.
    labels: dict[str, str | Promise] = {}
    # The figures the sub-unit table shows, by path (a few, the main ones).
    table: Sequence[str] = ()
    # The figures shown as cards at the top of the dashboard.
    headline: Sequence[str] = ()
    # The shares whose uncounted part `rows(..., rest=True)` lists (the villages whose head is
    # not a member); for the others the rest is not a list of records (admissions are not a
    # part of the members at the start).
    rests: Sequence[str] = ()

    @abstractmethod
    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        """The section's figures for each root unit's subtree, in a fixed number of queries."""

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        """The records behind `figure` for `root`'s subtree; with `rest`, for a share, the
        records of its `of` that are not counted. None when the figure has no rows."""
        return None

    def series(self, root: int, period: Period) -> list["Chart"]:
        """Charts the section adds to the dashboard (optional)."""
        return []

    def breakdowns(self, root: int, period: Period) -> list["Breakdown"]:
        """The section's figures for `root` broken down by a kind of part (the type of the
        members' cells), as tables for the dashboard and the files (optional). The JSON
        keeps its own shape: a breakdown is not part of `figures`."""
        return []

    def sentence(self, figures: Figures) -> str:
        """The main figures in one sentence, as a committee writes them in its report
        ("3 party organisations rated excellent (23,08%); ..."), or "" (optional)."""
        return ""


@dataclass
class Chart:
    """A chart for the dashboard (drawn by Chart.js): `kind` "bar" or "line", one label per
    point, and one or more series of numbers."""

    key: str
    title: str | Promise
    kind: str
    labels: list[str]
    series: list[dict[str, Any]] = field(default_factory=list)  # {"label": ..., "data": [...]}


@dataclass
class Breakdown:
    """A table of a section's figures by part (by the cell type of the members' cells): one
    row per part, one column per figure. A cell of the table is the figure at the dotted
    path `<key>.<part>.<column>`, which `Section.rows` lists like any other figure."""

    key: str
    title: str | Promise
    heading: str | Promise  # the first column's header ("Cell type")
    columns: dict[str, str | Promise]  # figure path inside a part -> its label
    parts: dict[str, tuple[str | Promise, Figures]]  # part key -> (its label, its figures)

    def value(self, path: str) -> Any:
        """The figure at a path `<key>.<part>.<column>` (None when it is not this table's)."""
        head, _dot, rest = path.partition(".")
        part, _dot, column = rest.partition(".")
        if head != self.key or part not in self.parts or column not in self.columns:
            return None
        return lookup(self.parts[part][1], column)


SECTIONS: Registry[Section] = Registry("report sections", discover="reporting")


def register(section: Section) -> Section:
    if not section.key:
        raise ValueError("a report section needs a key")
    return SECTIONS.register(section.key, section)


def sections() -> list[Section]:
    """The registered sections, in report order."""
    return SECTIONS.sorted(lambda s: (s.order, s.key))


def section(key: str) -> Section | None:
    return SECTIONS.get(key)


def lookup(figures: Figures, path: str) -> Any:
    """The value at a dotted path of a section's figures (None when absent)."""
    value: Any = figures
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# One report's shared counts --------------------------------------------------------------------

_shared: ContextVar[dict[Hashable, Any] | None] = ContextVar("report_shared", default=None)


@contextlib.contextmanager
def one_report() -> Iterator[None]:
    """While a report is computed, `shared` keeps each count it is asked for, so that two
    sections needing the same one (the members at the start: a figure of "members", the whole
    of "movements".admitted) count it once. Nothing outlives the report: no stale figures.
    Within a report (a page that also draws the sections' charts), it is the same report.
    Its reads go to the read replica when there is one (chibo.core.db)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        with replica_reads():
            yield
    finally:
        _shared.reset(token)


def shared[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per report for `key` (every time outside `one_report`)."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def leaves(figures: Figures, prefix: str = "") -> list[str]:
    """Every figure's dotted path in a section's figures (a share is one figure)."""
    out: list[str] = []
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not is_share(value):
            out += leaves(value, f"{path}.")
        else:
            out.append(path)
    return out


def blank(roots: Iterable[int], make: Callable[[], Figures]) -> dict[int, Figures]:
    """A figures dict for every root, each from `make()` (the zeros counts are added to)."""
    return {root: make() for root in roots}
