"""The figures as people read them: each with its label, its text written the Vietnamese way
("1.561/1.565 (99,74%)"), the link to the rows behind it, and a value to sort by. Used by the
dashboard; the Excel and Word files write the same labels."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from chibo.core import formats
from chibo.core.reporting import (
    Breakdown,
    Chart,
    Figures,
    Period,
    Section,
    is_share,
    leaves,
    lookup,
)


def value_text(value: Any) -> str:
    """A count as "1.234", a share as "1.561/1.565 (99,74%)" (no percentage when the whole is
    0), nothing known as an en dash."""
    if is_share(value):
        text = f"{formats.number(value['count'])}/{formats.number(value['of'])}"
        if value["percent"] is None:
            return text
        return f"{text} ({formats.number(value['percent'], 2)}%)"
    if isinstance(value, int | float):
        return formats.number(value)
    return "–"


def sort_value(value: Any) -> float:
    if is_share(value):
        return -1.0 if value["percent"] is None else float(value["percent"])
    if isinstance(value, int | float):
        return float(value)
    return -1.0


def has_rows(section: Section) -> bool:
    """The section can list the rows behind its figures."""
    return type(section).rows is not Section.rows


@dataclass
class Shown:
    """One figure on the page."""

    section: str
    path: str
    label: str
    value: Any
    text: str
    url: str  # the rows counted ("" when the section lists none)
    rest_url: str  # for a share: the rows of its whole that are not counted
    sort: float

    @property
    def is_share(self) -> bool:
        return is_share(self.value)

    @property
    def big(self) -> str:
        """A card's large text: a share's percentage, or the count."""
        if self.is_share and self.value["percent"] is not None:
            return f"{formats.number(self.value['percent'], 2)}%"
        return self.text

    @property
    def small(self) -> str:
        """A card's line under it: the share's count of its whole."""
        if self.is_share and self.value["percent"] is not None:
            return f"{formats.number(self.value['count'])}/{formats.number(self.value['of'])}"
        return ""

    @property
    def rest(self) -> int | None:
        return self.value["of"] - self.value["count"] if self.is_share else None


def rows_url(unit_pk: int, section: str, path: str, period: Period, *, rest: bool = False) -> str:
    query = {"period": period.key, **({"rest": "1"} if rest else {})}
    return f"{reverse('reports:rows', args=[unit_pk, section, path])}?{urlencode(query)}"


def shown(
    section: Section,
    figures: Figures,
    path: str,
    *,
    unit_pk: int,
    period: Period,
    label: str | None = None,
) -> Shown:
    value = lookup(figures, path)
    linked = has_rows(section) and value is not None
    share = is_share(value)
    return Shown(
        section=section.key,
        path=path,
        label=label if label is not None else str(section.labels.get(path, path)),
        value=value,
        text=value_text(value),
        url=rows_url(unit_pk, section.key, path, period) if linked else "",
        rest_url=rows_url(unit_pk, section.key, path, period, rest=True)
        if linked and share and path in section.rests
        else "",
        sort=sort_value(value),
    )


def section_paths(section: Section, figures: Figures) -> list[str]:
    """The section's figures in its labels' order, then any figure without a label."""
    found = leaves(figures)
    ordered = [p for p in section.labels if p in found]
    return ordered + [p for p in found if p not in ordered]


def distribution(
    columns: Sequence[tuple[Section, str]], rows: Sequence[tuple[Any, list[Shown]]], title: str
) -> Chart | None:
    """A bar chart of the sub-units by the table's first figure (members at the end when there
    are members), largest first, at most 30 bars."""
    if not columns or not rows:
        return None
    index = next((i for i, (s, p) in enumerate(columns) if (s.key, p) == ("members", "end")), 0)
    section, path = columns[index]
    points = []
    for unit, cells in rows:
        value = cells[index].value
        number = value["count"] if is_share(value) else value
        if isinstance(number, int | float):
            points.append((unit.name, number))
    points.sort(key=lambda p: -p[1])
    points = points[:30]
    label = str(section.labels.get(path, path))
    return Chart(
        key="distribution",
        title=f"{title}: {label}",
        kind="bar",
        labels=[name for name, _n in points],
        series=[{"label": label, "data": [n for _name, n in points]}],
    )


# Breakdowns: a section's figures by part (by cell type), as tables ------------------------------


def breakdown_figures(breakdowns: Sequence[Breakdown]) -> Figures:
    """The breakdowns' figures as one tree, `{key: {part: figures}}`: the figure at
    `<key>.<part>.<column>` is found there like any figure of the section."""
    return {
        b.key: {part: figures for part, (_label, figures) in b.parts.items()} for b in breakdowns
    }


def breakdown_label(breakdowns: Sequence[Breakdown], path: str) -> str | None:
    """'<title>: <part>: <column>' of a breakdown's figure (None when no breakdown has it)."""
    for b in breakdowns:
        if b.value(path) is not None:
            _key, part, column = path.split(".", 2)
            return f"{b.title}: {b.parts[part][0]}: {b.columns[column]}"
    return None


@dataclass
class BreakdownTable:
    """A breakdown as the page shows it: each part's figures with their links."""

    key: str
    title: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[Shown]]]


def breakdown_tables(
    section: Section, breakdowns: Sequence[Breakdown], *, unit_pk: int, period: Period
) -> list[BreakdownTable]:
    """The section's breakdowns that have parts, each figure linked to its rows."""
    tree = breakdown_figures(breakdowns)
    out = []
    for b in breakdowns:
        if not b.parts:
            continue
        rows = [
            (
                str(label),
                [
                    shown(
                        section,
                        tree,
                        f"{b.key}.{part}.{column}",
                        unit_pk=unit_pk,
                        period=period,
                        label=str(column_label),
                    )
                    for column, column_label in b.columns.items()
                ],
            )
            for part, (label, _figures) in b.parts.items()
        ]
        out.append(
            BreakdownTable(
                key=b.key,
                title=str(b.title),
                heading=str(b.heading),
                columns=[str(label) for label in b.columns.values()],
                rows=rows,
            )
        )
    return out
