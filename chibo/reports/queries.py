"""The figures of a unit for a period, from every registered section (chibo.core.reporting):
the summary that `chibo report`, `/api/v1/reports/summary`, the dashboard and the files show,
and the same figures for each sub-unit."""

from collections.abc import Sequence
from typing import Any

from chibo.core.reporting import Figures, Period, one_report, sections
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.queries import units_on


def figures(roots: Sequence[int], period: Period) -> dict[int, dict[str, Figures]]:
    """root id -> section key -> the section's figures. A fixed number of queries per section,
    whatever the number of roots and the size of their subtrees."""
    out: dict[int, dict[str, Figures]] = {root: {} for root in roots}
    if not roots:
        return out
    with one_report():
        for section in sections():
            for root, found in section.figures(list(roots), period).items():
                out[root][section.key] = found
    return out


def org_json(unit: OrgUnit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def summary(unit: OrgUnit, period: Period) -> dict[str, Any]:
    """The report of one unit: the public contract of docs/reports.md."""
    return {
        "org": org_json(unit),
        "period": period.as_json(),
        **figures([unit.pk], period)[unit.pk],
    }


def subunits(unit: OrgUnit, period: Period) -> list[OrgUnit]:
    """The units directly under `unit` as the tree stood on the period's last day, existing
    that day, in the tree's order."""
    below = Ancestry.objects.valid(period.end).filter(ancestor=unit, distance=1)
    return list(
        OrgUnit.all_objects.filter(
            units_on(period.end), pk__in=below.values("descendant_id")
        ).order_by("kind", "sort_name", "pk")
    )
