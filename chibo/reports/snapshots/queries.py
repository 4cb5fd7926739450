"""Reads of the year-end snapshots: the one in force for a unit and year, the subtree's, and
how a frozen report differs from the same report recomputed today."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, QuerySet
from django.utils.functional import Promise

from chibo.core import formats
from chibo.core.reporting import Figures, Period, is_share, section
from chibo.org.models import Ancestry, OrgUnit

from ..models import Snapshot


def as_json(value: Any) -> Any:
    """`value` as it reads back from a JSON column (dates as ISO text, tuples as lists,
    dictionary keys as text): what a snapshot keeps, and what a recomputed report is compared
    in."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.select_related(
        "unit", "closed_for", "closed_by__member", "reopened_by__member"
    )


def snapshot_of(unit: OrgUnit, year: int) -> Snapshot | None:
    """The snapshot in force: the unit's figures for the year as they were closed (None when
    the year is open for the unit, never closed or re-opened)."""
    return _snapshots().filter(unit=unit, year=year, reopened_at__isnull=True).first()


def latest_of(unit: OrgUnit, year: int) -> Snapshot | None:
    """The snapshot in force, else the one re-opened last (to say who re-opened it and why)."""
    return (
        _snapshots()
        .filter(unit=unit, year=year)
        .order_by(F("reopened_at").desc(nulls_first=True), "-pk")
        .first()
    )


def subtree_of(unit: OrgUnit, year: int) -> QuerySet[Snapshot]:
    """The snapshots of the year of every unit of `unit`'s subtree as it stood on 31/12 of
    that year (closed and re-opened ones), in the tree's order."""
    end = Period.year(year).end
    below = Ancestry.objects.valid(end).filter(ancestor=unit).values("descendant_id")
    return (
        _snapshots()
        .filter(year=year, unit_id__in=below)
        .order_by("unit__kind", "unit__sort_name", "unit_id", "-closed_at", "-pk")
    )


def kept_by_others(unit: OrgUnit, year: int) -> int:
    """How many units of the subtree hold a snapshot of the year closed by another office (a
    lower one that closed its own subtree first): closing left them as they were."""
    return subtree_of(unit, year).filter(reopened_at__isnull=True).exclude(closed_for=unit).count()


# Frozen against recomputed --------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One figure whose recomputed value is not the frozen one. `path` is dotted from the
    report's top ("members.end"); `difference` is recomputed minus frozen, for a number or a
    share's count (None for anything else, or when one side is missing)."""

    path: str
    label: str
    frozen: Any
    recomputed: Any
    difference: int | float | None

    @property
    def frozen_text(self) -> str:
        return shown(self.frozen)

    @property
    def recomputed_text(self) -> str:
        return shown(self.recomputed)

    @property
    def difference_text(self) -> str:
        if self.difference is None:
            return "—"
        sign = "+" if self.difference > 0 else ""
        return sign + formats.number(self.difference, 0 if isinstance(self.difference, int) else 2)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "label": self.label,
            "frozen": self.frozen,
            "recomputed": self.recomputed,
            "difference": self.difference,
        }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(value: Any) -> str:
    """A figure the Vietnamese way: 1.561, a share as 1.561/1.565 (99,74%), none as —."""
    if value is None:
        return "—"
    if is_share(value):
        return formats.ratio(value["count"], value["of"])
    if _is_number(value):
        return formats.number(value, 0 if isinstance(value, int) else 2)
    return str(value)


def _difference(frozen: Any, recomputed: Any) -> int | float | None:
    if is_share(frozen) and is_share(recomputed):
        frozen, recomputed = frozen["count"], recomputed["count"]
    if _is_number(frozen) and _is_number(recomputed):
        return recomputed - frozen
    return None


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every figure: a share or anything that is not a dict."""
    if isinstance(value, dict) and not is_share(value):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else str(key))
    else:
        yield path, value


def label_of(key: str, path: str) -> str:
    """The figure's name from its section's `labels`: the path's own, else that of the
    nearest group above it with the rest of the path after it (a breakdown's key)."""
    found = section(key)
    labels: dict[str, str | Promise] = dict(found.labels) if found is not None else {}
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in labels:
            rest = ".".join(parts[cut:])
            return f"{labels[head]} ({rest})" if rest else str(labels[head])
    return f"{key}.{path}"


def compare(snapshot: Snapshot, current: dict[str, Figures]) -> list[Difference]:
    """The figures of `current` (section key -> figures, as `reports.queries.figures` gives
    them for the snapshot's unit and year) that differ from the frozen ones, in report order.
    A section present on one side only is left out: a section whose domain was built after
    the year was closed published nothing then, and one since removed has nothing to compare
    with."""
    frozen_all: dict[str, Any] = snapshot.figures or {}
    current = as_json(current)
    out: list[Difference] = []
    for key, recomputed_section in current.items():
        if key not in frozen_all:
            continue
        frozen = dict(_leaves(frozen_all[key]))
        recomputed = dict(_leaves(recomputed_section))
        paths = list(recomputed) + [p for p in frozen if p not in recomputed]
        for path in paths:
            old, new = frozen.get(path), recomputed.get(path)
            if old == new:
                continue
            out.append(
                Difference(
                    path=f"{key}.{path}" if path else key,
                    label=label_of(key, path),
                    frozen=old,
                    recomputed=new,
                    difference=_difference(old, new),
                )
            )
    return out
