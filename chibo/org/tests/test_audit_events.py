"""Each write to the tree records one audit event about the unit; a merge is one event about
the merged unit, with what it moved, and every row it moves keeps a history row."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.members.models import Placement
from chibo.org import services
from chibo.org.models import Kind, OrgUnit, Village, VillageKind
from chibo.testing import factories as f
from chibo.testing.audited import check, no_event, one_event

D = dt.date


def english(event: AuditEvent) -> str:
    with translation.override("en"):
        return audit.sentence(event)


@pytest.fixture
def officer(cast):
    return cast.province_officer


def test_unit_create_update_delete_restore(world, officer):
    with one_event() as got:
        unit = services.orgunit_create(
            actor=officer,
            code="X01-CB09",
            name="Chi bộ thôn Nam",
            kind=Kind.CELL,
            parent=world.base,
        )
    check(
        got.event,
        services.CREATED,
        actor=officer,
        obj=unit,
        about=unit,
        name="Chi bộ thôn Nam",
        code="X01-CB09",
        kind={"t": "Party cell"},
        parent="Đảng bộ xã An Hòa",
    )
    assert english(got.event) == "Unit created: Chi bộ thôn Nam (X01-CB09)"

    with one_event() as got:
        services.orgunit_update(actor=officer, unit=unit, name="Chi bộ thôn Nam Hà")
    check(
        got.event, services.UPDATED, actor=officer, obj=unit, about=unit, name="Chi bộ thôn Nam Hà"
    )

    with one_event() as got:
        services.orgunit_delete(actor=officer, unit=unit)
    check(got.event, services.DELETED, actor=officer, obj=unit, about=unit)
    assert english(got.event) == "Unit deleted"
    with one_event() as got:
        services.orgunit_restore(actor=officer, unit=unit)
    check(got.event, services.RESTORED, actor=officer, obj=unit, about=unit)
    assert english(got.event) == "Unit restored"


def test_refused_unit_writes_record_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        services.orgunit_create(
            actor=officer, code="X01", name="Trùng mã", kind=Kind.CELL, parent=world.base
        )
    with no_event(), pytest.raises(ValidationError):
        services.orgunit_delete(actor=officer, unit=world.cell)  # members still placed in it
    with no_event(), pytest.raises(ValidationError):
        services.orgunit_merge(
            actor=officer, source=world.base, target=world.cell, on=D(2025, 7, 1)
        )


def test_a_move_is_one_event(world, officer):
    with one_event() as got:
        services.orgunit_move(
            actor=officer, unit=world.cell, new_parent=world.other_base, on=D(2025, 7, 1)
        )
    check(
        got.event,
        services.MOVED,
        actor=officer,
        obj=world.cell,
        about=world.cell,
        source="Đảng bộ xã An Hòa",
        target="Đảng bộ phường Bắc",
        date="01/07/2025",
    )
    assert english(got.event) == (
        "Moved from Đảng bộ xã An Hòa to Đảng bộ phường Bắc on 01/07/2025"
    )


def test_a_merge_is_one_event_and_every_row_it_moves_keeps_a_history_row(world, officer):
    """A cell with a party group, two villages and two members merged into another: the
    sub-unit, the villages and the placements each get their history row; the merge is one
    event about the merged cell."""
    group = f.unit(Kind.PARTY_GROUP, world.cell2, name="Tổ đảng 1", code="X01-CB02-T1")
    with audit.silenced():
        villages = [
            services.village_create(actor=None, cell=world.cell2, name=name, kind=kind)
            for name, kind in (("Thôn Trường", VillageKind.VILLAGE), ("Khu 3", VillageKind.QUARTER))
        ]
    f.member(world.cell2, full_name="Phan Thị Hoa", placed_since=D(2019, 9, 1))
    on = D(2025, 7, 1)
    units_before = OrgUnit.history.count()  # type: ignore[attr-defined]
    villages_before = Village.history.count()  # type: ignore[attr-defined]
    placements_before = Placement.history.count()  # type: ignore[attr-defined]

    with one_event() as got:
        services.orgunit_merge(actor=officer, source=world.cell2, target=world.cell, on=on)

    check(
        got.event,
        services.MERGED,
        actor=officer,
        obj=world.cell2,
        about=world.cell2,
        source="Chi bộ trường Tiểu học",
        target="Chi bộ thôn Đông",
        date="01/07/2025",
        units=1,
        villages=2,
        members=2,
    )
    assert english(got.event) == (
        "Merged into Chi bộ thôn Đông on 01/07/2025 (moved: sub-units 1, villages 2, members 2)"
    )
    # The party group moved (its parent) and the merged cell dissolved: a row each.
    assert OrgUnit.history.count() == units_before + 2  # type: ignore[attr-defined]
    group.refresh_from_db()
    assert group.parent_id == world.cell.pk
    # Each village moved with its own history row, saying where it went.
    assert Village.history.count() == villages_before + 2  # type: ignore[attr-defined]
    for v in villages:
        last = v.history.latest()  # type: ignore[attr-defined]
        assert last.cell_id == world.cell.pk
        assert last.history_change_reason == "merged into X01-CB01"
    # Both members' placements (opened before the merge) ended, and new ones opened.
    assert Placement.history.count() == placements_before + 4  # type: ignore[attr-defined]


def test_village_writes_record_one_event_about_the_cell(world, officer):
    with one_event() as got:
        village = services.village_create(
            actor=officer, cell=world.cell, name="Thôn Đông Thượng", kind=VillageKind.VILLAGE
        )
    check(
        got.event,
        services.VILLAGE_ADDED,
        actor=officer,
        obj=village,
        about=world.cell,
        name="Thôn Đông Thượng",
        kind={"t": "Village"},
    )
    assert english(got.event) == "Village Thôn Đông Thượng added (Village)"

    with one_event() as got:
        services.village_update(
            actor=officer, village=village, name="Khu phố Đông", kind=VillageKind.QUARTER
        )
    check(
        got.event,
        services.VILLAGE_UPDATED,
        actor=officer,
        obj=village,
        about=world.cell,
        old="Thôn Đông Thượng",
        name="Khu phố Đông",
        kind={"t": "Urban quarter"},
    )
    assert english(got.event) == (
        "Village Thôn Đông Thượng changed to Khu phố Đông (Urban quarter)"
    )

    with one_event() as got:
        services.village_delete(actor=officer, village=village)
    check(got.event, services.VILLAGE_DELETED, actor=officer, obj=village, about=world.cell)
    with one_event() as got:
        services.village_restore(actor=officer, village=village)
    check(got.event, services.VILLAGE_RESTORED, actor=officer, obj=village, about=world.cell)
    assert english(got.event) == "Village Khu phố Đông restored"

    with no_event(), pytest.raises(ValidationError):
        services.village_create(
            actor=officer, cell=world.cell, name="khu phố đông", kind=VillageKind.QUARTER
        )
