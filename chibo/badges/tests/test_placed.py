"""The badge lists find a subtree's members from the records it holds (`home_unit`) and the
placements there since ended (chibo.badges.queries.due.placed): the same members as the
placements of the day, checked here against the placement rows read in Python after random
histories of transfers, merges, deleted placements and placements ending the day they start."""

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps
from django.db.models import Q

from chibo.badges.queries.due import placed
from chibo.core import audit
from chibo.members import services as ms
from chibo.members.models import Member, Placement, PlacementKind
from chibo.members.transfers import member_transfer
from chibo.org.models import Kind
from chibo.org.subtree import subtree_of
from chibo.testing import factories as f

from .helpers import D, veteran
from .test_due import listing, names


def by_placements(unit_ids: set[int], on: dt.date) -> set[int]:
    """Members officially placed on `on` in one of `unit_ids`, from the rows themselves."""
    return {
        p.member_id
        for p in Placement.objects.filter(kind=PlacementKind.OFFICIAL)
        if p.unit_id in unit_ids and p.start <= on and (p.end is None or p.end > on)
    }


def test_a_placement_ending_the_day_it_starts_does_not_take_the_record(world):
    m = veteran(world.cell, D(1996, 1, 1), "Ở Lại")
    # Entered by mistake after the real one, and ended on its first day: no overlap, so the
    # services accept it, but it holds no day.
    ms.placement_create(
        actor=None, member=m, unit=world.cell2, start=D(1996, 1, 1), end=D(1996, 1, 1)
    )
    m.refresh_from_db()
    assert m.home_unit_id == world.cell.pk
    assert names(listing(world.cell).due) == {"Ở Lại"}
    assert listing(world.cell2).rows == []


def test_the_migration_gives_such_a_record_back_to_its_cell(world):
    m = veteran(world.cell, D(1996, 1, 1), "Ở Lại")
    ms.placement_create(
        actor=None, member=m, unit=world.cell2, start=D(1996, 1, 1), end=D(1996, 1, 1)
    )
    # As the rule before (latest by start and id) left it; another member is untouched.
    Member.all_objects.filter(pk=m.pk).update(home_unit=world.cell2)
    Member.all_objects.filter(pk=world.member2.pk).update(home_unit=world.other_cell)
    migration = importlib.import_module("chibo.members.migrations.0018_member_badge_cut_idx")
    migration.home_units_again(apps, None)
    m.refresh_from_db()
    world.member2.refresh_from_db()
    assert (m.home_unit_id, world.member2.home_unit_id) == (world.cell.pk, world.other_cell.pk)


def test_a_member_who_arrived_after_the_day_is_listed_where_they_were(world):
    m = veteran(world.cell, D(1990, 1, 1), "Đến Sau")
    member_transfer(actor=None, member=m, to_unit=world.other_cell, left_on=D(2026, 3, 1))
    m.refresh_from_db()
    assert m.home_unit_id == world.other_cell.pk  # the record is there now
    assert names(listing(world.base).due) == {"Đến Sau"}  # but on 3/2/2026 it was here
    assert listing(world.other_base).rows == []
    assert names(listing(world.other_base, D(2026, 5, 19)).due) == {"Đến Sau"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_find_the_members_the_placements_hold(world, seed):
    rng = random.Random(seed)
    base3 = f.unit(Kind.BASE_COMMITTEE, world.province, name="Đảng bộ xã Ba", code="X03")
    cells = [world.cell, world.cell2, world.other_cell]
    cells += [f.unit(Kind.CELL, base3, name=f"Chi bộ {i}", code=f"X03-CB0{i}") for i in (1, 2)]
    members = [
        veteran(rng.choice(cells), D(2000, 1, 1) + dt.timedelta(days=rng.randrange(3000)), f"M{i}")
        for i in range(30)
    ]
    days = [D(2008, 1, 1) + dt.timedelta(days=rng.randrange(6900)) for _ in range(6)]
    with audit.silenced():
        for m in rng.sample(members, 15):  # transfers, one to three each
            for _ in range(rng.randint(1, 3)):
                m.refresh_from_db()
                left = max(
                    Placement.objects.filter(member=m, kind=PlacementKind.OFFICIAL)
                    .order_by("-start")
                    .values_list("start", flat=True)[0],
                    D(2008, 1, 1),
                ) + dt.timedelta(days=rng.randrange(1, 2000))
                to = rng.choice([c for c in cells if c.pk != m.home_unit_id])
                gap = dt.timedelta(days=rng.choice([0, 0, 30]))
                member_transfer(
                    actor=None, member=m, to_unit=to, left_on=left, arrived_on=left + gap
                )
        for m in rng.sample(members, 4):  # a placement ending on its first day
            open_ = Placement.objects.get(member=m, kind=PlacementKind.OFFICIAL, end__isnull=True)
            other = rng.choice([c for c in cells if c.pk != open_.unit_id])
            ms.placement_create(
                actor=None, member=m, unit=other, start=open_.start, end=open_.start
            )
        for m in rng.sample(members, 3):  # the latest placement deleted: back where it was
            placements = Placement.objects.filter(member=m, kind=PlacementKind.OFFICIAL)
            latest = placements.order_by("-start", "-pk").first()
            if placements.count() > 1 and latest.end is None:
                ms.placement_delete(actor=None, placement=latest)
        merged_on = rng.choice(days)  # a merge: every open placement moves on a day
        ms.placement_move_all(actor=None, source=cells[3], target=cells[4], on=merged_on)
    units = [world.province, world.base, world.other_base, base3, *cells]
    for on in [*days, merged_on, merged_on - dt.timedelta(days=1)]:
        for unit in units:
            tree = subtree_of(unit, on)
            expected = by_placements(set(tree.ids), on)
            admitted = dict(Member.objects.values_list("pk", "admitted_on"))
            cut = D(2004, 1, 1)  # about half of them; and a condition always true
            kept = {pk for pk in expected if admitted[pk] <= cut}
            for first in (True, False):
                for where, want in ((Q(pk__gt=0), expected), (Q(admitted_on__lte=cut), kept)):
                    found = set(placed(tree, on, first, where).values_list("pk", flat=True))
                    assert found == want, (unit.name, on, first, where)
    # And the records are where the placements put them today.
    for m in Member.objects.all():
        official = Placement.objects.filter(member=m, kind=PlacementKind.OFFICIAL)
        today = [p for p in official if p.end is None]
        if today:
            assert m.home_unit_id == today[0].unit_id, m.full_name
