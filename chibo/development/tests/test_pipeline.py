"""Each step of the development pipeline at the boundaries of its rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.development import services
from chibo.development.models import Candidate, Stage
from chibo.development.queries import annotated
from chibo.members.models import EventKind, Member, MemberEvent, Placement, Status
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f

from .builders import candidate

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def introducers(world):
    second = f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))
    return world.member, second


def refused(match: str):
    return pytest.raises(ValidationError, match=match)


def test_proposal_normalises_and_checks_the_cell(world):
    c = services.candidate_create(
        cell=world.cell,
        full_name="  Nguyễn   Thị  Lan ",
        gender="female",
        birth_date=D(2000, 1, 2),
        proposed_on=D(2025, 5, 1),
        actor=None,
    )
    assert (c.full_name, c.search_name) == ("Nguyễn Thị Lan", "nguyen thi lan")
    with refused("cell that holds members"):
        services.candidate_create(
            cell=world.base,
            full_name="X",
            gender="male",
            birth_date=D(2000, 1, 2),
            proposed_on=D(2025, 5, 1),
            actor=None,
        )
    with refused("future"):
        services.candidate_create(
            cell=world.cell,
            full_name="X",
            gender="male",
            birth_date=D(2000, 1, 2),
            proposed_on=D(2099, 1, 1),
            actor=None,
        )
    assert Candidate.objects.count() == 1


def test_class_not_before_the_proposal(world):
    c = candidate(world.cell, proposed=D(2025, 5, 10))
    with refused("before the proposal"):
        services.candidate_class_done(candidate=c, completed_on=D(2025, 5, 9), actor=None)
    c = services.candidate_class_done(
        candidate=c, completed_on=D(2025, 5, 10), certificate=" 12 ", actor=None
    )
    assert (c.stage, c.class_certificate) == (Stage.CLASS_DONE, "12")


def test_introducers_need_the_class_first(world, introducers):
    c = candidate(world.cell)
    with refused("earlier steps first"):
        services.candidate_introduce(
            candidate=c,
            introduced_on=D(2025, 2, 10),
            introducer_1=introducers[0],
            introducer_1_since=D(2020, 1, 1),
            introducer_2=introducers[1],
            introducer_2_since=D(2020, 1, 1),
            actor=None,
        )


LONG_AGO = D(2020, 1, 1)


def _introduce(c, first, second, on, since_1, since_2=LONG_AGO, **kw):
    return services.candidate_introduce(
        candidate=c,
        introduced_on=on,
        introducer_1=first,
        introducer_1_since=since_1,
        introducer_2=second,
        introducer_2_since=since_2 if second else None,
        **kw,
        actor=None,
    )


def test_introducer_has_worked_with_the_candidate_twelve_months(world, introducers):
    c = candidate(world.cell, Stage.CLASS_DONE)
    a, b = introducers
    # Introduced on 15/06/2025: twelve months back is 15/06/2024 exactly.
    with refused("at least 12 months by 15/06/2025, that is since 15/06/2024 or earlier"):
        _introduce(c, a, b, D(2025, 6, 15), D(2024, 6, 16))
    with refused("at least 12 months"):
        _introduce(c, a, b, D(2025, 6, 15), D(2020, 1, 1), since_2=D(2024, 6, 16))
    c = _introduce(c, a, b, D(2025, 6, 15), D(2024, 6, 15), since_2=D(2024, 6, 15))
    assert c.stage == Stage.INTRODUCED and c.introducer_1_since == D(2024, 6, 15)


def test_introducer_months_read_on_the_introduction_day(world, introducers):
    RuleVersion.objects.create(
        effective_from=D(2025, 8, 1), source="Thử: 18 tháng", values={"introducer_min_months": 18}
    )
    a, b = introducers
    before = candidate(world.cell, Stage.CLASS_DONE, name="Trước")
    # 31/07/2025: the 12-month rule: since 31/07/2024 passes.
    _introduce(before, a, b, D(2025, 7, 31), D(2024, 7, 31), since_2=D(2024, 7, 31))
    after = candidate(world.cell, Stage.CLASS_DONE, name="Sau")
    with refused("at least 18 months by 01/08/2025, that is since 01/02/2024"):
        _introduce(after, a, b, D(2025, 8, 1), D(2024, 8, 1))


def test_introducer_must_be_official_that_day(world, introducers):
    # Admitted 10/01/2025, official from 10/01/2026.
    newer = f.member(world.cell, full_name="Vũ Thị Dự Bị", admitted_on=D(2025, 1, 10))
    c = candidate(world.cell, Stage.CLASS_DONE, class_on=D(2025, 12, 1))
    with refused("Vũ Thị Dự Bị was not an official member on 09/01/2026"):
        _introduce(c, introducers[0], newer, D(2026, 1, 9), D(2020, 1, 1), D(2020, 1, 1))
    c = _introduce(c, introducers[0], newer, D(2026, 1, 10), D(2020, 1, 1), D(2020, 1, 1))
    assert c.introducer_2 == newer


def test_two_distinct_introducers_or_a_union(world, introducers):
    a, _ = introducers
    c = candidate(world.cell, Stage.CLASS_DONE)
    with refused("must be different"):
        _introduce(c, a, a, D(2025, 2, 10), D(2020, 1, 1))
    with refused("second introducer, or the union"):
        _introduce(c, a, None, D(2025, 2, 10), D(2020, 1, 1))
    with refused("before the Party class"):
        _introduce(c, a, introducers[1], D(2024, 11, 19), D(2020, 1, 1))
    c = _introduce(
        c, a, None, D(2025, 2, 10), D(2020, 1, 1), union_introduction="NQ 05/NQ-ĐTN xã An Hòa"
    )
    assert (c.introducer_2, c.union_introduction) == (None, "NQ 05/NQ-ĐTN xã An Hòa")


def _vote(c, on, votes=(6, 9), approval=""):
    return services.candidate_vote(
        candidate=c,
        vote_on=on,
        votes_for=votes[0],
        votes_eligible=votes[1],
        over_age_approval=approval,
        actor=None,
    )


def _young(world, introducers, born):
    return candidate(
        world.cell,
        Stage.INTRODUCED,
        introducers=introducers,
        born=born,
        proposed=D(2025, 9, 1),
        class_on=D(2025, 10, 1),
        introduced=D(2025, 11, 3),
    )


def test_candidate_turning_18_on_the_vote_day(world, introducers):
    c = _young(world, introducers, D(2008, 3, 10))
    with refused("turns 18 only on 10/03/2026"):
        _vote(c, D(2026, 3, 9))  # the birthday is the day after the vote
    assert _vote(c, D(2026, 3, 10)).stage == Stage.VOTED


def test_born_on_29_february(world, introducers):
    # The 18th birthday falls in 2026, a common year: reached on 28/02/2026.
    c = _young(world, introducers, D(2008, 2, 29))
    with refused("turns 18 only on 28/02/2026"):
        _vote(c, D(2026, 2, 27))
    assert _vote(c, D(2026, 2, 28)).vote_on == D(2026, 2, 28)


def test_over_60_needs_the_approval(world, introducers):
    born = D(1966, 3, 10)
    on_birthday = _young(world, introducers, born)
    assert _vote(on_birthday, D(2026, 3, 10)).stage == Stage.VOTED  # 60 that day: within
    c = _young(world, introducers, born)
    with refused("over 60 on the day of the vote"):
        _vote(c, D(2026, 3, 11))
    c = _vote(c, D(2026, 3, 11), approval=" CV 12-CV/TU ")
    assert c.over_age_approval == "CV 12-CV/TU"


def test_two_thirds_at_least(world, introducers):
    c = candidate(world.cell, Stage.INTRODUCED, introducers=introducers)
    # 9 entitled: two thirds is 6 exactly; 10 entitled: 6.67, so 7.
    with refused("5 of 9 official members voted for the admission: at least 6 \\(2/3\\)"):
        _vote(c, D(2025, 3, 5), (5, 9))
    with refused("6 of 10 official members voted for the admission: at least 7"):
        _vote(c, D(2025, 3, 5), (6, 10))
    with refused("More votes for than"):
        _vote(c, D(2025, 3, 5), (10, 9))
    with refused("before the introduction"):
        _vote(c, D(2025, 2, 9))
    c.refresh_from_db()
    assert c.vote_on is None
    c = _vote(c, D(2025, 3, 5), (6, 9))
    assert (c.votes_for, c.votes_eligible) == (6, 9)
    other = candidate(world.cell, Stage.INTRODUCED, introducers=introducers, name="Bảy")
    assert _vote(other, D(2025, 3, 5), (7, 10)).stage == Stage.VOTED


def test_decision_creates_the_member(world, introducers):
    c = candidate(world.cell, Stage.VOTED, introducers=introducers, name="  Hoàng  Văn Nam")
    with refused("before the cell's vote"):
        services.candidate_decide(
            candidate=c,
            decision_number="12-QĐ/ĐU",
            decision_on=D(2025, 3, 4),
            code="KN1",
            actor=None,
        )
    with refused("already has record code"):
        services.candidate_decide(
            candidate=c,
            decision_number="12-QĐ/ĐU",
            decision_on=D(2025, 3, 20),
            code=world.member.code,
            actor=None,
        )
    assert not Member.objects.filter(full_name="Hoàng Văn Nam").exists()
    c = services.candidate_decide(
        candidate=c,
        decision_number=" 12-QĐ/ĐU ",
        decision_on=D(2025, 3, 20),
        code="KN0001",
        actor=None,
    )
    m = c.member
    assert (m.code, m.full_name, m.birth_date, m.home_unit_id) == (
        "KN0001",
        "Hoàng Văn Nam",
        D(1995, 4, 12),
        world.cell.pk,
    )
    assert m.admitted_on == D(2025, 3, 20) and m.ceremony_on is None
    admission = MemberEvent.objects.get(member=m)
    assert (admission.kind, admission.date, admission.decision_number) == (
        EventKind.ADMITTED,
        D(2025, 3, 20),
        "12-QĐ/ĐU",
    )
    placement = Placement.objects.get(member=m)
    assert (placement.unit_id, placement.start) == (world.cell.pk, D(2025, 3, 20))
    assert m.status_on(D(2025, 3, 19)) == "" and m.status_on(D(2025, 3, 20)) == Status.PROBATIONARY
    assert c.stage == Stage.DECIDED
    with refused("later step is already recorded"):
        _vote(c, D(2025, 3, 5))


def test_ceremony_after_the_decision(world, introducers):
    c = candidate(world.cell, Stage.DECIDED, introducers=introducers, decided=D(2025, 3, 20))
    with refused("before the admission decision"):
        services.candidate_ceremony(candidate=c, ceremony_on=D(2025, 3, 19), actor=None)
    services.candidate_ceremony(candidate=c, ceremony_on=D(2025, 4, 2), actor=None)
    c = Candidate.objects.get(pk=c.pk)
    assert c.stage == Stage.ADMITTED
    # Probation: twelve months from the ceremony.
    assert (c.member.ceremony_on, c.member.probation_ends_on) == (D(2025, 4, 2), D(2026, 4, 2))
    assert MemberEvent.objects.filter(member=c.member, kind=EventKind.CEREMONY).count() == 1
    with refused("later step|earlier steps"):
        services.candidate_ceremony(candidate=c, ceremony_on=D(2025, 4, 3), actor=None)


def test_drop(world, introducers):
    c = candidate(world.cell, Stage.CLASS_DONE, proposed=D(2024, 9, 2))
    with refused("Give the reason"):
        services.candidate_drop(candidate=c, dropped_on=D(2025, 1, 1), reason="  ", actor=None)
    with refused("before the proposal"):
        services.candidate_drop(
            candidate=c, dropped_on=D(2024, 9, 1), reason="Chuyển đi", actor=None
        )
    c = services.candidate_drop(
        candidate=c, dropped_on=D(2025, 1, 1), reason="Chuyển đi nơi khác", actor=None
    )
    assert c.stage == Stage.DROPPED
    with refused("no longer a candidate"):
        services.candidate_class_done(candidate=c, completed_on=D(2025, 1, 2), actor=None)
    decided = candidate(world.cell, Stage.DECIDED, introducers=introducers, name="Đã kết nạp")
    with refused("record the change on the member record"):
        services.candidate_drop(candidate=decided, dropped_on=D(2025, 4, 1), reason="x", actor=None)


def test_update_until_the_decision(world, introducers):
    c = candidate(world.cell, Stage.VOTED, introducers=introducers, vote=D(2025, 3, 5))
    c = services.candidate_update(
        candidate=c, full_name="Lê  Thị Mai Anh", ethnicity="Tày", actor=None
    )
    assert (c.full_name, c.search_name, c.ethnicity) == ("Lê Thị Mai Anh", "le thi mai anh", "Tày")
    # A birth date making the candidate 17 at the vote is refused: the vote stands.
    with refused("turns 18 only on"):
        services.candidate_update(candidate=c, birth_date=D(2007, 3, 6), actor=None)
    with refused("before the Party class was completed"):
        services.candidate_update(candidate=c, proposed_on=D(2024, 11, 21), actor=None)
    c = services.candidate_decide(
        candidate=c, decision_number="1-QĐ", decision_on=D(2025, 3, 20), code="KN77", actor=None
    )
    with refused("correct the member record"):
        services.candidate_update(candidate=c, full_name="Khác", actor=None)


def test_stage_in_sql_matches_the_property(world, introducers):
    made = [
        candidate(world.cell, stage, introducers=introducers, name=f"C{i}")
        for i, stage in enumerate(
            [Stage.PROPOSED, Stage.CLASS_DONE, Stage.INTRODUCED, Stage.VOTED, Stage.DECIDED]
        )
    ]
    made.append(
        candidate(world.cell, Stage.DECIDED, introducers=introducers, ceremony=D(2025, 4, 1))
    )
    dropped = candidate(world.cell, name="Bỏ")
    services.candidate_drop(candidate=dropped, dropped_on=D(2025, 1, 1), reason="Thôi", actor=None)
    made.append(dropped)
    rows = {c.pk: c for c in annotated(Candidate.objects.all())}
    assert sorted(c.stage_sql for c in rows.values()) == sorted(s.value for s in Stage)
    for c in made:
        fresh = rows[c.pk]
        assert fresh.stage_sql == fresh.stage
