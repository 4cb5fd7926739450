"""The `units` section of the reports (chibo.core.reporting): base organisations, cells and
villages of a unit's subtree, counted as the tree stood on the period's last day.

Definitions (docs/reports.md):
- a unit counts when it exists on the end date (founded by then or with no founding date, not
  dissolved on or before it, not in the trash) and lies in the root's subtree that day; the
  root itself counts when it is of a counted kind (its distance-0 closure row);
- `base_organisations`: base committees and base cells; by sector, a base organisation with
  no sector recorded counts as `other`;
- `cells`: cells and base cells; `cells_by_type` counts those with a cell type, so a cell with
  no type is in `cells` but in none of its keys;
- `villages`: villages not in the trash whose cell is counted by `cells`.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core.reporting import Figures, Link, Period, Rows, Section, blank, register

from .models import BASE_KINDS, CELL_KINDS, Ancestry, CellType, Kind, OrgUnit, Sector, Village
from .queries import under, units_on

COUNTED_KINDS = BASE_KINDS | CELL_KINDS  # base committees, base cells, cells


def _zeros() -> Figures:
    return {
        "base_organisations": 0,
        "base_organisations_by_kind": {Kind.BASE_COMMITTEE.value: 0, Kind.BASE_CELL.value: 0},
        "base_organisations_by_sector": {s.value: 0 for s in Sector},
        "cells": 0,
        "cells_by_type": {t.value: 0 for t in CellType},
        "villages": 0,
    }


def _existing_cells(on: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.all_objects.filter(units_on(on), kind__in=CELL_KINDS)


class UnitsSection(Section):
    key = "units"
    order = 10
    title = _("Organisations and villages")
    labels = {
        "base_organisations": _("Base party organisations"),
        "base_organisations_by_kind.base_committee": _("Base party committees"),
        "base_organisations_by_kind.base_cell": _("Base party cells"),
        "base_organisations_by_sector.commune": _(
            "Base organisations of communes, wards and special zones"
        ),
        "base_organisations_by_sector.agency": _("Base organisations of agencies"),
        "base_organisations_by_sector.enterprise": _("Base organisations of enterprises"),
        "base_organisations_by_sector.public_service": _(
            "Base organisations of public service units"
        ),
        "base_organisations_by_sector.armed": _("Base organisations of the armed forces"),
        "base_organisations_by_sector.other": _(
            "Base organisations of other sectors (or with no sector recorded)"
        ),
        "cells": _("Party cells (base cells included)"),
        "cells_by_type.rural": _("Cells of rural villages"),
        "cells_by_type.urban": _("Cells of urban quarters"),
        "cells_by_type.school": _("Cells of schools"),
        "cells_by_type.police": _("Cells of the police"),
        "cells_by_type.military": _("Cells of the military"),
        "cells_by_type.health": _("Cells of health units"),
        "cells_by_type.agency": _("Cells of agencies"),
        "cells_by_type.enterprise": _("Cells of enterprises"),
        "villages": _("Villages and urban quarters"),
    }
    table = ("base_organisations", "cells", "villages")
    headline = ("base_organisations", "cells")

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        """Two queries whatever the roots: units grouped by root, kind, sector and cell type;
        villages grouped by root."""
        out = blank(roots, _zeros)
        if not roots:
            return out
        on = period.end
        condition, column = under(roots, on, path="")
        units = (
            OrgUnit.all_objects.filter(units_on(on), kind__in=COUNTED_KINDS)
            .filter(condition)
            .values(column, "kind", "sector", "cell_type")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in units:
            found, n = out[row[column]], row["n"]
            kind = row["kind"]
            if kind in BASE_KINDS:
                found["base_organisations"] += n
                found["base_organisations_by_kind"][kind] += n
                found["base_organisations_by_sector"][row["sector"] or Sector.OTHER] += n
            if kind in CELL_KINDS:
                found["cells"] += n
                if row["cell_type"]:
                    found["cells_by_type"][row["cell_type"]] += n
        condition, column = under(roots, on, path="cell")
        villages = (
            Village.all_objects.filter(
                deleted_at__isnull=True, cell__in=_existing_cells(on).values("pk")
            )
            .filter(condition)
            .values(column)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in villages:
            out[row[column]]["villages"] = row["n"]
        return out

    # The rows behind a figure: the same filters as `figures`, for one root.

    def _units(self, figure: str, root: int, on: Any) -> QuerySet[OrgUnit] | None:
        head, _dot, leaf = figure.partition(".")
        if head in ("base_organisations", "base_organisations_by_kind"):
            kinds = BASE_KINDS if not leaf else {leaf} & BASE_KINDS
            extra: dict[str, Any] = {}
        elif head == "base_organisations_by_sector":
            kinds, extra = set(BASE_KINDS), {}
            if leaf == Sector.OTHER:
                extra = {"sector__in": [Sector.OTHER, ""]}
            elif leaf in Sector.values:
                extra = {"sector": leaf}
            elif leaf:
                return None
        elif head == "cells" and not leaf:
            kinds, extra = set(CELL_KINDS), {}
        elif head == "cells_by_type":
            kinds = set(CELL_KINDS)
            if leaf and leaf not in CellType.values:
                return None
            extra = {"cell_type": leaf} if leaf else {"cell_type__in": CellType.values}
        else:
            return None
        if not kinds:
            return None
        condition, _column = under([root], on, path="")
        parent_then = Ancestry.objects.valid(on).filter(descendant=OuterRef("pk"), distance=1)
        return (
            OrgUnit.all_objects.filter(units_on(on), kind__in=kinds, **extra)
            .filter(condition)
            .annotate(parent_name=Subquery(parent_then.values("ancestor__name")[:1]))
            .order_by("kind", "sort_name", "pk")
        )

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        on = period.end
        title = self.labels.get(figure, "")
        if figure == "villages":
            condition, _column = under([root], on, path="cell")
            villages = (
                Village.all_objects.filter(
                    deleted_at__isnull=True, cell__in=_existing_cells(on).values("pk")
                )
                .filter(condition)
                .select_related("cell")
                .order_by("cell__sort_name", "cell_id", "name", "pk")
            )
            return Rows(
                headers=[_("Village"), _("Kind"), _("Cell")],
                items=villages,
                row=lambda v: [
                    v.name,
                    v.get_kind_display(),
                    Link(v.cell.name, reverse("org:unit", args=[v.cell_id])),
                ],
                title=title,
            )
        units = self._units(figure, root, on)
        if units is None:
            return None
        return Rows(
            headers=[_("Unit"), _("Kind"), _("Sector"), _("Cell type"), _("Parent unit")],
            items=units,
            row=lambda u: [
                Link(u.name, reverse("org:unit", args=[u.pk])),
                u.get_kind_display(),
                _sector_label(u),
                u.get_cell_type_display() if u.cell_type else "",
                u.parent_name or "",
            ],
            title=title,
        )


def _sector_label(unit: OrgUnit) -> str:
    if unit.kind not in BASE_KINDS:
        return ""
    if not unit.sector:
        return str(_("Other (not recorded)"))
    return unit.get_sector_display()


register(UnitsSection())
