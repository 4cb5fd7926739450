"""The demo generator: repeatable, and every bulk-written row is what the services would have
written. Each check recomputes its answer from the raw rows, not from the generator's plan."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from chibo.accounts.models import RoleGrant, User
from chibo.badges.models import BadgeAward
from chibo.core.search import fold
from chibo.demo.names import ALL_FAMILY_NAMES
from chibo.demo.personas import PERSONAS
from chibo.development.models import Candidate, OfficialReview
from chibo.members import derive, transfers
from chibo.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    PositionKind,
    StatusPeriod,
    Transfer,
)
from chibo.members.services import member_refresh
from chibo.org.models import (
    ALLOWED_PARENTS,
    BEGINNING,
    CELL_KINDS,
    Ancestry,
    CellType,
    Kind,
    OrgUnit,
    Village,
)
from chibo.testing import factories as f

AS_OF = dt.date(2026, 6, 15)
MEMBERS = 300


def run_demo(*extra: str, seed: int = 7) -> str:
    out = StringIO()
    call_command(
        "demo",
        "--members",
        str(MEMBERS),
        "--seed",
        str(seed),
        "--as-of",
        AS_OF.isoformat(),
        "--no-serve",
        *extra,
        stdout=out,
    )
    return out.getvalue()


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


def test_cached_columns_are_what_member_refresh_computes(demo):
    members = list(Member.all_objects.all())
    assert len(members) == MEMBERS
    columns = ("pk", "member_id", "status", "valid_from", "valid_to", "party_age_from")
    periods = set(StatusPeriod.objects.values_list(*columns))
    assert len({p[1] for p in periods}) == MEMBERS  # everyone has a status history
    copies = derive.Copies._fields
    assert {"ceremony_on", "probation_ends_on", "last_admitted_on"} <= set(copies)
    for m in members:
        cached = tuple(getattr(m, f) for f in copies)
        member_refresh(m)
        assert tuple(getattr(m, f) for f in copies) == cached, m.code
        assert m.search_name == fold(m.full_name)
    # member_refresh rewrites periods only when they differ: the same row ids mean none did.
    assert set(StatusPeriod.objects.values_list(*columns)) == periods


def test_closure_rows_are_the_parent_links(demo):
    parent = dict(OrgUnit.all_objects.values_list("pk", "parent_id"))
    expected = set()
    for unit in parent:
        node, distance = unit, 0
        while node is not None:
            expected.add((node, unit, distance))
            node, distance = parent[node], distance + 1
    rows = Ancestry.objects.all()
    assert {(a.ancestor_id, a.descendant_id, a.distance) for a in rows} == expected
    assert all(a.valid_from == BEGINNING and a.valid_to is None for a in rows)
    assert len(rows) == len(expected)  # no duplicates
    kinds = dict(OrgUnit.all_objects.values_list("pk", "kind"))
    for u in OrgUnit.all_objects.all():
        assert u.depth == max(d for _, x, d in expected if x == u.pk)
        assert kinds.get(parent[u.pk]) in ALLOWED_PARENTS[u.kind], u.code


def test_every_cell_has_exactly_one_current_secretary(demo):
    cells = OrgUnit.objects.filter(kind__in=CELL_KINDS)
    assert cells.count() >= 6
    for cell in cells:
        current = Position.objects.held_on(AS_OF).filter(kind=PositionKind.SECRETARY, unit=cell)
        assert current.count() == 1, cell.code
        secretary = current.get().member
        assert secretary.home_unit_id == cell.pk
        status = Member.objects.with_status(AS_OF).get(pk=secretary.pk).status
        assert status == "official", cell.code


def test_names_are_family_middle_given(demo):
    names = list(Member.objects.values_list("full_name", "gender"))
    for full_name, gender in names:
        words = full_name.split()
        assert len(words) >= 3, full_name
        assert words[0] in ALL_FAMILY_NAMES, full_name
        middle = words[1:-1]
        assert ("Thị" in middle) <= (gender == "female"), full_name
        assert ("Văn" in middle) <= (gender == "male"), full_name
    families = Counter(n.split()[0] for n, _ in names)
    assert 0.25 < families["Nguyễn"] / len(names) < 0.5
    women = sum(1 for _, g in names if g == "female") / len(names)
    assert 0.3 < women < 0.5
    ethnicities = Counter(Member.objects.values_list("ethnicity", flat=True))
    assert ethnicities["Kinh"] > len(names) / 2 and len(ethnicities) > 1


def test_dates_and_events_hang_together(demo):
    events = defaultdict(list)
    for e in MemberEvent.objects.order_by("date", "pk"):
        events[e.member_id].append(e)
    placements = defaultdict(list)
    for p in Placement.objects.filter(kind=PlacementKind.OFFICIAL).order_by("start"):
        placements[p.member_id].append(p)
    pending = set(Transfer.objects.filter(state="pending").values_list("member_id", flat=True))
    kinds = Counter()
    young = 0
    for m in Member.objects.all():
        assert dt.date(1940, 1, 1) <= m.birth_date
        age_at_admission = (m.admitted_on - m.birth_date).days / 365.25
        assert 18 <= age_at_admission <= 60, m.code
        if m.admitted_on >= AS_OF - dt.timedelta(days=730):
            young += age_at_admission < 36
        mine = {e.kind: e for e in events[m.pk]}
        kinds.update(mine.keys())
        assert all(m.birth_date <= e.date <= AS_OF for e in events[m.pk])
        if m.official_on:
            # A ceremony after the decision, then a probation of at least a year.
            assert (m.official_on - m.admitted_on).days > 365, m.code
        else:
            assert m.last_admitted_on == m.admitted_on, m.code
            assert (AS_OF - m.admitted_on).days < 550, m.code  # probation, then the review
        if EventKind.EXEMPTED in mine:
            assert mine[EventKind.EXEMPTED].date >= m.official_on
        if EventKind.DECEASED in mine:
            assert mine[EventKind.DECEASED].date == max(e.date for e in events[m.pk])
        official = placements[m.pk]
        assert official[-1].unit_id == m.home_unit_id
        assert (official[-1].end is None) == (m.pk not in pending), m.code
        for before, after in zip(official, official[1:], strict=False):
            # A transfer: the earlier placement closed, a gap in transit, the letter on file;
            # or out of the Party between a removal and the readmission.
            assert before.end is not None and before.end < after.start
            if EventKind.READMITTED in mine:
                assert mine[EventKind.REMOVED].date == before.end
                assert mine[EventKind.READMITTED].date == after.start
                continue
            moved = mine[EventKind.TRANSFERRED]
            assert moved.date == before.end and moved.decision_number == after.letter_number
    assert kinds[EventKind.TRANSFERRED] >= 2
    assert kinds[EventKind.DECEASED] >= 2
    assert kinds[EventKind.EXEMPTED] >= 1
    assert kinds[EventKind.READMITTED] >= 1
    # Most of those admitted lately are young.
    lately = Member.objects.filter(admitted_on__gte=AS_OF - dt.timedelta(days=730)).count()
    assert young > lately / 2
    probationary = Member.objects.with_status(AS_OF).filter(status="probationary").count()
    assert 0 < probationary < MEMBERS * 0.15


def test_villages_and_party_groups_sit_in_the_right_cells(demo):
    for v in Village.objects.select_related("cell"):
        assert v.cell.cell_type in (CellType.RURAL, CellType.URBAN)
    assert Village.objects.exists()
    heads = Position.objects.filter(kind=PositionKind.VILLAGE_HEAD)
    assert heads.exists()
    assert all(h.village_id and not h.unit_id for h in heads)
    for p in Placement.objects.exclude(party_group=None).select_related("party_group"):
        assert p.party_group.kind == Kind.PARTY_GROUP and p.party_group.parent_id == p.unit_id


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


def test_personas_log_in_and_see_their_scope(demo, client):
    commune = User.objects.get(username="commune").grants.get().unit
    others = OrgUnit.objects.filter(kind=Kind.BASE_COMMITTEE).exclude(pk=commune.pk)
    assert others.exists()
    for persona in PERSONAS:
        assert client.login(username=persona.username, password=persona.password)
        page = client.get(reverse("site:home")).content.decode()
        user = User.objects.get(username=persona.username)
        if persona.username in ("commune", "viewer"):
            assert commune.name in page
            assert not any(o.name in page for o in others)
        if persona.username == "province":
            assert OrgUnit.objects.get(kind=Kind.PROVINCE).name in page
        if persona.username in ("secretary", "member"):
            assert user.member is not None and user.member.full_name in page
        # Only the province office keeps the rules.
        can_add = client.get("/rules/new/").status_code == 200
        assert can_add == (persona.username == "province"), persona.username
        client.logout()
    secretary = User.objects.get(username="secretary")
    cell = secretary.grants.get().unit
    assert Position.objects.held_on(AS_OF).get(
        kind=PositionKind.SECRETARY, unit=cell
    ).member_id == (secretary.member_id)


def test_services_keep_working_after_the_bulk_write(demo):
    """The ids were chosen by the generator: the sequences must have moved past them."""
    cell = OrgUnit.objects.filter(kind=Kind.CELL).first()
    base = cell.parent
    new_cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Mới", code="NEW-CB01")
    m = f.member(new_cell, full_name="Nguyễn Văn Mới", admitted_on=dt.date(2020, 1, 6))
    transfers.member_transfer(member=m, to_unit=cell, left_on=dt.date(2024, 3, 1))
    m.refresh_from_db()
    assert m.home_unit_id == cell.pk
    assert Ancestry.objects.filter(descendant=new_cell).count() == new_cell.depth + 1
    assert Village.objects.create(cell=new_cell, name="Thôn Mới").pk
