"""The demo generator: repeatable, resettable, and its bulk writes leave what the services
would have written (one history row per record, the id sequences moved on). Each app's planner
is tested in its own tests (test_demo.py); each check recomputes its answer from the raw
rows, not from the generator's plan."""

import datetime as dt
import hashlib

import pytest

from chibo.accounts.models import RoleGrant, User
from chibo.badges.models import BadgeAward
from chibo.development.models import Candidate, OfficialReview
from chibo.members import transfers
from chibo.members.models import Member, MemberEvent, Placement, PlacementKind, Position, Transfer
from chibo.org.models import Ancestry, Kind, OrgUnit, Village
from chibo.testing import factories as f
from chibo.testing.demo import run_demo


def digest() -> str:
    """A fingerprint of the generated data by codes, names and dates (not ids)."""
    code = dict(OrgUnit.all_objects.values_list("pk", "code"))
    member = dict(Member.all_objects.values_list("pk", "code"))
    village = dict(Village.all_objects.values_list("pk", "name"))
    parts = [
        sorted(
            (u.code, u.name, u.kind, u.cell_type, code.get(u.parent_id))
            for u in OrgUnit.all_objects.all()
        ),
        sorted((code[v.cell_id], v.name, v.kind) for v in Village.all_objects.all()),
        sorted(
            (
                m.code,
                m.full_name,
                m.gender,
                m.birth_date,
                m.ethnicity,
                m.phone,
                m.national_id,
                m.card_number,
                code[m.home_unit_id],
                m.admitted_on,
                m.official_on,
            )
            for m in Member.all_objects.all()
        ),  # fmt: skip
        sorted(
            (member[p.member_id], code[p.unit_id], code.get(p.party_group_id), p.start, p.end)
            for p in Placement.all_objects.all()
        ),
        sorted(
            (member[e.member_id], e.kind, e.date, e.end_date, e.decision_number, e.note)
            for e in MemberEvent.all_objects.all()
        ),
        sorted(
            (member[p.member_id], p.kind, code.get(p.unit_id), village.get(p.village_id), p.start)
            for p in Position.all_objects.all()
        ),
        sorted(
            (member[t.member_id], t.kind, code[t.to_unit_id], t.sent_on, t.received_on, t.state)
            for t in Transfer.objects.all()
        ),
        sorted(
            (c.full_name, code[c.cell_id], c.proposed_on, c.vote_on, c.votes_for, c.decision_on)
            for c in Candidate.objects.all()
        ),
        sorted(
            (member[r.member_id], r.vote_on, r.votes_for, r.decision_on)
            for r in OfficialReview.objects.all()
        ),
        sorted(
            (member[b.member_id], b.years, b.occasion_date, b.decision_number)
            for b in BadgeAward.objects.all()
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def test_same_seed_same_data_and_reset_starts_over(demo):
    first = digest()
    bystander = User.objects.create_user("bystander", password="x")
    RoleGrant.objects.create(user=bystander, unit=OrgUnit.objects.first(), role="viewer")

    output = run_demo()  # no --reset: the data is kept
    assert "generation skipped" in output
    assert digest() == first

    run_demo("--reset")
    assert digest() == first
    assert User.objects.filter(username="bystander").exists()  # other users stay
    assert not RoleGrant.objects.filter(user=bystander).exists()

    run_demo("--reset", seed=8)
    assert digest() != first


def test_history_shows_each_record_created_once(demo):
    for model in (OrgUnit, Village, Member, Placement, MemberEvent, Position, BadgeAward):
        history = model.history.model.objects
        assert history.filter(history_type="+").count() == model._base_manager.count(), model
    m = Member.objects.first()
    first = m.history.earliest()
    assert first.history_type == "+" and first.full_name == m.full_name
    # Official placements closed later (a transfer, a removal) were saved twice; temporary ones
    # are created with their end.
    changed = Placement.history.filter(history_type="~")
    closed = Placement.objects.exclude(end=None)
    assert changed.count() == closed.filter(kind=PlacementKind.OFFICIAL).count()
    assert closed.filter(kind=PlacementKind.TEMPORARY).exists()


def test_services_keep_working_after_the_bulk_write(demo):
    """The ids were chosen by the generator: the sequences must have moved past them."""
    cell = OrgUnit.objects.filter(kind=Kind.CELL).first()
    base = cell.parent
    new_cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Mới", code="NEW-CB01")
    m = f.member(new_cell, full_name="Nguyễn Văn Mới", admitted_on=dt.date(2020, 1, 6))
    transfers.member_transfer(actor=None, member=m, to_unit=cell, left_on=dt.date(2024, 3, 1))
    m.refresh_from_db()
    assert m.home_unit_id == cell.pk
    assert Ancestry.objects.filter(descendant=new_cell).count() == new_cell.depth + 1
    assert Village.objects.create(cell=new_cell, name="Thôn Mới").pk
