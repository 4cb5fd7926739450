"""What both files show: the figures of every registered section for the unit and for each
of its sub-units, computed once, section by section (so the worker can say how far it is),
and the lines each section lists. The file builders read the sections generically: a section
registered by a new domain appears in both files without touching them."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from chibo.core.reporting import (
    Breakdown,
    Figures,
    Period,
    Section,
    is_share,
    leaves,
    lookup,
    one_report,
    sections,
)
from chibo.org.models import OrgUnit

from ..queries import subunits

# Called after each section is computed: (sections done, sections in all).
Progress = Callable[[int, int], None]


@dataclass
class Report:
    unit: OrgUnit
    period: Period
    sections: list[Section]
    subunits: list[OrgUnit]
    figures: dict[int, dict[str, Figures]]  # unit id -> section key -> its figures
    taken_on: dt.date  # "Số liệu tính đến ngày ...": the period's end, or today if before
    # section key -> the unit's breakdown tables (by cell type), those with parts
    breakdowns: dict[str, list[Breakdown]] = field(default_factory=dict)

    def of(self, unit: OrgUnit, section: Section) -> Figures:
        return self.figures.get(unit.pk, {}).get(section.key, {})


def collect(unit: OrgUnit, period: Period, *, progress: Progress | None = None) -> Report:
    """The unit's figures and its sub-units', each section once for all of them (a fixed
    number of queries per section, whatever the number of sub-units)."""
    below = subunits(unit, period)
    roots = [unit.pk, *(u.pk for u in below)]
    found: dict[int, dict[str, Figures]] = {root: {} for root in roots}
    todo = sections()
    breakdowns: dict[str, list[Breakdown]] = {}
    with one_report():  # a section's tables by part reuse the counts of its figures
        for i, section in enumerate(todo, start=1):
            for root, figures in section.figures(roots, period).items():
                if root in found:
                    found[root][section.key] = figures
            breakdowns[section.key] = [b for b in section.breakdowns(unit.pk, period) if b.parts]
            if progress is not None:
                progress(i, len(todo))
    return Report(
        unit=unit,
        period=period,
        sections=todo,
        subunits=below,
        figures=found,
        taken_on=min(period.end, timezone.localdate()),
        breakdowns=breakdowns,
    )


@dataclass(frozen=True)
class Line:
    """One row of a section's table: what it is and its value (a count, a share
    {"count", "of", "percent"}, None when there is nothing to count). `depth` 1: a part of
    the line above (a figure broken down by kind, whose keys no label names)."""

    label: str
    value: Any
    depth: int = 0


def lines(section: Section, figures: Figures) -> list[Line]:
    """The section's figures in the order of its labels, each with its label (call inside
    the language the file is written in)."""
    labels: dict[str, Any] = dict(section.labels) or {p: p for p in leaves(figures)}
    out: list[Line] = []
    for path, label in labels.items():
        value = lookup(figures, path)
        if isinstance(value, dict) and not is_share(value):
            out.append(Line(str(label), None))
            out += [Line(str(key), sub, 1) for key, sub in value.items()]
        else:
            out.append(Line(str(label), value))
    return out


@dataclass(frozen=True)
class Column:
    """A figure of the sub-unit table: a section's path, and whether it is a share."""

    section: Section
    path: str
    label: str
    share: bool


def columns(report: Report) -> list[Column]:
    """The sub-unit table's figures: each section's `table` paths (call inside the language
    the file is written in)."""
    out: list[Column] = []
    units: Sequence[OrgUnit] = [report.unit, *report.subunits]
    for section in report.sections:
        for path in section.table:
            values = [lookup(report.of(u, section), path) for u in units]
            if report.subunits and all(
                is_share(v) and v["of"] == 0 for v in values[1:]
            ):  # a share of nothing on every sub-unit (as on the dashboard): left out
                continue
            share = any(is_share(v) for v in values)
            label = section.labels.get(path, path)
            out.append(Column(section, path, str(label), share))
    return out


@dataclass(frozen=True)
class Table:
    """A breakdown as the files write it: its title, the header row, and per part its label
    and its figures (a count, or a share)."""

    title: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]]


def tables(report: Report, section: Section) -> list[Table]:
    """The section's breakdown tables of the report's unit (call inside the language the
    file is written in)."""
    return [
        Table(
            title=str(b.title),
            heading=str(b.heading),
            columns=[str(label) for label in b.columns.values()],
            rows=[
                (str(label), [lookup(figures, column) for column in b.columns])
                for label, figures in b.parts.values()
            ],
        )
        for b in report.breakdowns.get(section.key, [])
    ]
