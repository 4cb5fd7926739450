"""The `units` report section (chibo.org.reporting): every figure against counts written by hand
for a small tree with a known history (a cell dissolved, a cell founded later, a cell moved
between base committees mid-year, a village in the trash)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.core import audit
from chibo.core.reporting import Link, Period, lookup, section
from chibo.org import services
from chibo.org.models import Kind, OrgUnit, Village
from chibo.org.reporting import UnitsSection
from chibo.testing import factories as f

MOVE = dt.date(2025, 7, 1)
Y2024, Y2025 = Period.year(2024), Period.year(2025)
JUNE_2025 = Period.month(2025, 6)  # after the dissolution, before the move


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _set(unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's own fields through the service (as the edit page does)."""
    current = {
        "name": unit.name,
        "cell_type": unit.cell_type,
        "sector": unit.sector,
        "founded_on": unit.founded_on,
        "dissolved_on": unit.dissolved_on,
    }
    with audit.silenced():
        return services.orgunit_update(actor=None, unit=unit, **(current | fields))


@pytest.fixture
def tree(db):
    """P (province)
    ├ D (district)
    │ ├ A base committee, commune: a1 rural (villages v1, v2, v3 in the trash), a2 urban (v4),
    │ │   a3 school dissolved 01/03/2025 (v5), m health moved to B on 01/07/2025 (v6);
    │ │   a party group under a1
    │ ├ B base committee, enterprise: b1 enterprise, b2 with no type, b3 police founded 2026
    │ └ BC2 base cell, military, no sector
    └ BC base cell, agency, sector agency (v7)"""
    t = SimpleNamespace()
    t.P = f.unit(Kind.PROVINCE, code="P")
    t.D = f.unit(Kind.DISTRICT, t.P, code="D")
    t.A = _set(f.unit(Kind.BASE_COMMITTEE, t.D, code="A"), sector="commune")
    t.B = _set(f.unit(Kind.BASE_COMMITTEE, t.D, code="B"), sector="enterprise")
    t.a1 = f.unit(Kind.CELL, t.A, code="a1", cell_type="rural")
    t.a2 = f.unit(Kind.CELL, t.A, code="a2", cell_type="urban")
    t.a3 = _set(
        f.unit(Kind.CELL, t.A, code="a3", cell_type="school"), dissolved_on=dt.date(2025, 3, 1)
    )
    t.m = f.unit(Kind.CELL, t.A, code="m", cell_type="health")
    t.group = f.unit(Kind.PARTY_GROUP, t.a1, code="g1")
    t.b1 = f.unit(Kind.CELL, t.B, code="b1", cell_type="enterprise")
    t.b2 = _set(f.unit(Kind.CELL, t.B, code="b2"), cell_type="")
    t.b3 = f.unit(Kind.CELL, t.B, code="b3", cell_type="police", founded_on=dt.date(2026, 2, 1))
    t.BC = _set(f.unit(Kind.BASE_CELL, t.P, code="BC", cell_type="agency"), sector="agency")
    t.BC2 = f.unit(Kind.BASE_CELL, t.D, code="BC2", cell_type="military")
    for cell, name in [
        (t.a1, "v1"),
        (t.a1, "v2"),
        (t.a1, "v3"),
        (t.a2, "v4"),
        (t.a3, "v5"),
        (t.m, "v6"),
        (t.BC, "v7"),
    ]:
        Village.objects.create(cell=cell, name=name)
    with audit.silenced():
        services.village_delete(village=Village.objects.get(name="v3"), actor=None)
        services.orgunit_move(actor=None, unit=t.m, new_parent=t.B, on=MOVE)
    return t


def expected(
    *,
    committees=0,
    base_cells=0,
    sectors=None,
    types=None,
    villages=0,
) -> dict:
    """The section's figures from hand counts: cells = typed cells + untyped ones (given as
    the type "none", which belongs to no key)."""
    types = dict(types or {})
    untyped = types.pop("none", 0)
    by_type = {
        k: types.get(k, 0)
        for k in ("rural", "urban", "school", "police", "military", "health", "agency")
    } | {"enterprise": types.get("enterprise", 0)}
    keys = ("commune", "agency", "enterprise", "public_service", "armed", "other")
    return {
        "base_organisations": committees + base_cells,
        "base_organisations_by_kind": {"base_committee": committees, "base_cell": base_cells},
        "base_organisations_by_sector": {k: (sectors or {}).get(k, 0) for k in keys},
        "cells": sum(types.values()) + untyped,
        "cells_by_type": by_type,
        "villages": villages,
    }


# Counted by hand from the tree's docstring.
END_2025 = {
    # A keeps a1, a2 (a3 dissolved, m moved away); villages v1, v2, v4 (v3 in the trash).
    "A": expected(committees=1, sectors={"commune": 1}, types={"rural": 1, "urban": 1}, villages=3),
    # B: b1, b2 (no type), m (b3 is founded in 2026); village v6 came with m.
    "B": expected(
        committees=1,
        sectors={"enterprise": 1},
        types={"enterprise": 1, "none": 1, "health": 1},
        villages=1,
    ),
    # D: A, B, BC2 (no sector: other) and their cells.
    "D": expected(
        committees=2,
        base_cells=1,
        sectors={"commune": 1, "enterprise": 1, "other": 1},
        types={"rural": 1, "urban": 1, "enterprise": 1, "none": 1, "health": 1, "military": 1},
        villages=4,
    ),
    "P": expected(
        committees=2,
        base_cells=2,
        sectors={"commune": 1, "enterprise": 1, "other": 1, "agency": 1},
        types={
            "rural": 1,
            "urban": 1,
            "enterprise": 1,
            "none": 1,
            "health": 1,
            "military": 1,
            "agency": 1,
        },
        villages=5,
    ),
    # The root itself is a base cell: it counts (its distance-0 closure row).
    "BC": expected(base_cells=1, sectors={"agency": 1}, types={"agency": 1}, villages=1),
    "a1": expected(types={"rural": 1}, villages=2),
}
END_2024 = {
    # The old tree: a3 not yet dissolved, m still under A.
    "A": expected(
        committees=1,
        sectors={"commune": 1},
        types={"rural": 1, "urban": 1, "school": 1, "health": 1},
        villages=5,
    ),
    "B": expected(
        committees=1, sectors={"enterprise": 1}, types={"enterprise": 1, "none": 1}, villages=0
    ),
}
END_JUNE_2025 = {
    "A": expected(
        committees=1,
        sectors={"commune": 1},
        types={"rural": 1, "urban": 1, "health": 1},
        villages=4,
    ),
    "B": END_2024["B"],
}


def _figures(tree, codes, period):
    roots = [getattr(tree, c).pk for c in codes]
    got = UnitsSection().figures(roots, period)
    return {c: got[getattr(tree, c).pk] for c in codes}


@pytest.mark.parametrize(
    ("period", "wanted"),
    [(Y2025, END_2025), (Y2024, END_2024), (JUNE_2025, END_JUNE_2025)],
    ids=["2025", "2024-before-the-move", "june-2025"],
)
def test_figures_match_hand_counts(tree, period, wanted):
    assert _figures(tree, list(wanted), period) == wanted
    # Two roots at once give the same as each alone.
    assert _figures(tree, ["A", "B"], period) == {"A": wanted["A"], "B": wanted["B"]}


def test_a_unit_founded_after_the_end_is_not_counted_nor_one_dissolved_on_the_end(tree):
    assert _figures(tree, ["B"], Period.year(2026))["B"]["cells_by_type"]["police"] == 1
    _set(tree.b1, dissolved_on=dt.date(2025, 12, 31))
    assert _figures(tree, ["B"], Y2025)["B"]["cells_by_type"]["enterprise"] == 0


def test_the_number_of_queries_does_not_depend_on_the_roots(tree):
    one = [tree.A.pk]
    five = [tree.P.pk, tree.D.pk, tree.A.pk, tree.B.pk, tree.BC.pk]
    with CaptureQueriesContext(connection) as small:
        UnitsSection().figures(one, Y2025)
    with CaptureQueriesContext(connection) as large:
        UnitsSection().figures(five, Y2025)
    assert len(small) == len(large) == 2


def test_the_section_is_registered():
    found = section("units")
    assert isinstance(found, UnitsSection) and found.order == 10


def test_every_leaf_has_a_label_and_the_table_and_cards_name_figures(tree):
    figures = _figures(tree, ["P"], Y2025)["P"]
    leaves = set()
    for key, value in figures.items():
        leaves |= {f"{key}.{k}" for k in value} if isinstance(value, dict) else {key}
    s = UnitsSection()
    assert set(s.labels) == leaves
    assert all(lookup(figures, p) is not None for p in (*s.table, *s.headline))


@pytest.mark.parametrize(
    ("period", "wanted"), [(Y2025, END_2025), (Y2024, END_2024)], ids=["2025", "2024"]
)
def test_rows_count_equals_the_figure(tree, period, wanted):
    s = UnitsSection()
    for code in wanted:
        for path in s.labels:
            rows = s.rows(path, root=getattr(tree, code).pk, period=period)
            assert rows is not None, path
            assert rows.items.count() == lookup(wanted[code], path), (code, path)
            assert len(list(rows.items)) == rows.items.count()


def test_rows_name_the_units_with_their_parent_on_the_end_date(tree):
    s = UnitsSection()
    health = "cells_by_type.health"
    [m_2025] = [s.rows(health, root=tree.P.pk, period=Y2025).row(u) for u in _items(s, tree, Y2025)]
    assert m_2025[0] == Link(tree.m.name, reverse("org:unit", args=[tree.m.pk]))
    assert m_2025[1:] == ["Party cell", "", "Health", tree.B.name]
    [m_2024] = [s.rows(health, root=tree.P.pk, period=Y2024).row(u) for u in _items(s, tree, Y2024)]
    assert m_2024[4] == tree.A.name  # the old tree
    rows = s.rows("base_organisations_by_sector.other", root=tree.P.pk, period=Y2025)
    [bc2] = [rows.row(u) for u in rows.items]
    assert bc2[0].text == tree.BC2.name and bc2[3] == "Military" and bc2[4] == tree.D.name
    assert bc2[2] == "Other (not recorded)"
    villages = s.rows("villages", root=tree.A.pk, period=Y2025)
    cells = [villages.row(v) for v in villages.items]
    assert [(c[0], c[2].text) for c in cells] == [
        ("v1", tree.a1.name),
        ("v2", tree.a1.name),
        ("v4", tree.a2.name),
    ]
    assert cells[0][2].url == reverse("org:unit", args=[tree.a1.pk])


def _items(s, tree, period):
    return list(s.rows("cells_by_type.health", root=tree.P.pk, period=period).items)


def test_unknown_figures_have_no_rows(tree):
    s = UnitsSection()
    for path in ("nothing", "cells_by_type.space", "base_organisations_by_sector.x", "cells.x"):
        assert s.rows(path, root=tree.P.pk, period=Y2025) is None
