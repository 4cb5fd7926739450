"""Ceremony and review deadlines: working days counted by hand, Tết, regulations changing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.development import services
from chibo.development.models import Candidate, Outcome
from chibo.development.queries import (
    annotated,
    awaiting_vote,
    ceremony_deadline,
    ceremony_flag,
    review_deadline,
)
from chibo.members import services as member_services
from chibo.members.models import EventKind, Member, Status
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
    return world.member, f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))


def weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday from start to end, both included (holidays removed by the caller)."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


# The 2026 Tết holidays: Monday 16 to Friday 20 February 2026.
TET_2026 = {D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)}


def test_ceremony_deadline_across_tet(db):
    # Decision on Tuesday 20/01/2026; the count starts the next day.
    working = [d for d in weekdays(D(2026, 1, 21), D(2026, 3, 31)) if d not in TET_2026]
    # By hand: 21-23/01 (3), 26-30/01 (8), 2-6/02 (13), 9-13/02 (18), Tết week,
    # 23-27/02 (23), 2-6/03 (28), 9/03 (29), 10/03 (30).
    assert working[29] == D(2026, 3, 10)
    assert ceremony_deadline(D(2026, 1, 20)) == D(2026, 3, 10)
    # Without Tết it would have been a week earlier.
    assert weekdays(D(2026, 1, 21), D(2026, 3, 31))[29] == D(2026, 3, 3)


def test_no_rule_no_deadline(db):
    assert ceremony_deadline(D(2005, 1, 10)) is None  # before the first member-rule version
    assert ceremony_deadline(None) is None


def test_a_regulation_changing_between_two_decisions(world, introducers):
    RuleVersion.objects.create(
        effective_from=D(2026, 2, 2),
        source="Thử: 20 ngày làm việc",
        values={"ceremony_working_days": 20},
    )

    def decided(name, on):
        return candidate(
            world.cell,
            "decided",
            introducers=introducers,
            name=name,
            proposed=D(2025, 3, 2),
            class_on=D(2025, 4, 1),
            introduced=D(2025, 6, 2),
            vote=D(2025, 12, 1),
            decided=on,
        )

    first = decided("Tháng Một", D(2026, 1, 20))
    day_before = decided("Chủ nhật", D(2026, 2, 1))  # signed on the Sunday before
    day_of = decided("Thứ hai", D(2026, 2, 2))
    # Sunday 01/02/2026 under the old rule, 30 working days: 2-6/02 (5), 9-13/02 (10), Tết,
    # 23-27/02 (15), 2-6/03 (20), 9-13/03 (25), 16-20/03 (30).
    old = [d for d in weekdays(D(2026, 2, 2), D(2026, 3, 31)) if d not in TET_2026]
    assert old[29] == D(2026, 3, 20)
    # Monday 02/02/2026 under the new one, 20: 3-6/02 (4), 9-13/02 (9), Tết, 23-27/02 (14),
    # 2-6/03 (19), 9/03 (20).
    new = [d for d in weekdays(D(2026, 2, 3), D(2026, 3, 31)) if d not in TET_2026]
    assert new[19] == D(2026, 3, 9)
    expected = {first.pk: D(2026, 3, 10), day_before.pk: D(2026, 3, 20), day_of.pk: D(2026, 3, 9)}
    made = (first, day_before, day_of)
    assert {c.pk: ceremony_deadline(c.decision_on) for c in made} == expected
    # The same in SQL, as the board and the API compute it.
    rows = annotated(Candidate.objects.filter(pk__in=expected))
    assert {c.pk: c.ceremony_due for c in rows} == expected


def test_a_version_added_today_leaves_last_years_deadlines(world, introducers):
    c = candidate(world.cell, "decided", introducers=introducers, decided=D(2025, 3, 20))
    before_py = ceremony_deadline(c.decision_on)
    before_sql = annotated(Candidate.objects.filter(pk=c.pk)).get().ceremony_due
    today = timezone.localdate()
    RuleVersion.objects.create(
        effective_from=today, source="Thử: hôm nay", values={"ceremony_working_days": 5}
    )
    assert ceremony_deadline(c.decision_on) == before_py
    assert annotated(Candidate.objects.filter(pk=c.pk)).get().ceremony_due == before_sql
    assert before_py == before_sql
    # A decision signed today reads the new number: at most 5 working days, so within 9 days.
    assert ceremony_deadline(today) <= today + dt.timedelta(days=9)


def test_ceremony_late_is_recorded_and_flagged(world, introducers):
    on_time = candidate(
        world.cell,
        "decided",
        introducers=introducers,
        name="Đúng hạn",
        decided=D(2026, 1, 20),
        proposed=D(2025, 3, 2),
        class_on=D(2025, 4, 1),
        introduced=D(2025, 6, 2),
        vote=D(2025, 12, 1),
        ceremony=D(2026, 3, 10),
    )
    late = candidate(
        world.cell,
        "decided",
        introducers=introducers,
        name="Muộn",
        decided=D(2026, 1, 20),
        proposed=D(2025, 3, 2),
        class_on=D(2025, 4, 1),
        introduced=D(2025, 6, 2),
        vote=D(2025, 12, 1),
        ceremony=D(2026, 3, 11),
    )
    waiting = candidate(
        world.cell,
        "decided",
        introducers=introducers,
        name="Chờ",
        decided=D(2026, 1, 20),
        proposed=D(2025, 3, 2),
        class_on=D(2025, 4, 1),
        introduced=D(2025, 6, 2),
        vote=D(2025, 12, 1),
    )
    rows = {c.pk: c for c in annotated(Candidate.objects.all())}
    assert ceremony_flag(rows[on_time.pk], D(2026, 11, 1)) == ""
    assert ceremony_flag(rows[late.pk], D(2026, 11, 1)) == "late"
    assert late.member.ceremony_on == D(2026, 3, 11)
    # No ceremony yet: due until 10/03/2026 included, overdue the day after.
    assert ceremony_flag(rows[waiting.pk], D(2026, 3, 10)) == ""
    assert ceremony_flag(rows[waiting.pk], D(2026, 3, 11)) == "overdue"


# Official review ------------------------------------------------------------------------------


@pytest.fixture
def leap(world):
    """Admitted 15/01/2024, ceremony on 29/02/2024: probation ends 28/02/2025."""
    m = f.member(
        world.cell, full_name="Mai Văn Nhuận", admitted_on=D(2024, 1, 15), official_on=None
    )
    member_services.event_create(actor=None, member=m, kind=EventKind.CEREMONY, date=D(2024, 2, 29))
    m.refresh_from_db()
    return m


def test_probation_end_from_29_february(leap):
    assert (leap.ceremony_on, leap.probation_ends_on) == (D(2024, 2, 29), D(2025, 2, 28))


def test_review_deadline_by_hand(leap, world):
    # From Friday 28/02/2025, 30 working days: March 3-28 (20), 31/03 (21), 1-4/04 (25),
    # Monday 7/04/2025 is Giỗ Tổ Hùng Vương, 8-11/04 (29), 14/04 (30).
    working = [d for d in weekdays(D(2025, 3, 1), D(2025, 4, 30)) if d != D(2025, 4, 7)]
    assert working[29] == D(2025, 4, 14)
    assert review_deadline(D(2025, 2, 28)) == D(2025, 4, 14)
    row = awaiting_vote(world.base, D(2025, 4, 15)).get(pk=leap.pk)
    assert row.review_due == D(2025, 4, 14)


def _review(member, on, votes=(6, 9), outcome=Outcome.RECOGNISE):
    return services.review_vote(
        member=member,
        vote_on=on,
        votes_for=votes[0],
        votes_eligible=votes[1],
        outcome=outcome,
        actor=None,
    )


def test_recognition(leap):
    with pytest.raises(ValidationError, match="The probation ends on 28/02/2025"):
        _review(leap, D(2025, 2, 27))
    with pytest.raises(ValidationError, match="5 of 9 official members voted for recognition"):
        _review(leap, D(2025, 3, 10), (5, 9))
    review = _review(leap, D(2025, 2, 28))  # the day it ends: the cell may vote
    assert review.probation_ended_on == D(2025, 2, 28)
    with pytest.raises(ValidationError, match="already awaits a decision"):
        _review(leap, D(2025, 3, 10))
    with pytest.raises(ValidationError, match="before the cell's vote"):
        services.review_decide(
            review=review, decision_number="5-QĐ/ĐU", decision_on=D(2025, 2, 27), actor=None
        )
    review = services.review_decide(
        review=review, decision_number="5-QĐ/ĐU", decision_on=D(2025, 3, 20), actor=None
    )
    event = review.event
    # Official from the end of the probation, with the decision's number.
    assert (event.kind, event.date, event.decision_number) == (
        EventKind.OFFICIAL,
        D(2025, 2, 28),
        "5-QĐ/ĐU",
    )
    leap = Member.objects.get(pk=leap.pk)
    assert leap.status_on(D(2025, 2, 27)) == Status.PROBATIONARY
    assert leap.status_on(D(2025, 2, 28)) == Status.OFFICIAL
    assert leap.official_on == D(2025, 2, 28)
    with pytest.raises(ValidationError, match="already recorded"):
        services.review_decide(
            review=review, decision_number="6", decision_on=D(2025, 3, 21), actor=None
        )
    with pytest.raises(ValidationError, match="not probationary"):
        _review(leap, D(2025, 4, 1))


def test_removal(leap):
    with pytest.raises(ValidationError, match="reached the majority"):
        _review(leap, D(2025, 3, 10), (6, 9), Outcome.REMOVE)
    review = _review(leap, D(2025, 3, 10), (5, 9), Outcome.REMOVE)
    review = services.review_decide(
        review=review, decision_number="9-QĐ/ĐU", decision_on=D(2025, 4, 2), actor=None
    )
    assert (review.event.kind, review.event.date) == (EventKind.REMOVED, D(2025, 4, 2))
    leap = Member.objects.get(pk=leap.pk)
    assert leap.status_on(D(2025, 4, 1)) == Status.PROBATIONARY
    assert leap.status_on(D(2025, 4, 2)) == Status.REMOVED


def test_no_review_without_a_ceremony(world):
    m = f.member(world.cell, admitted_on=D(2024, 1, 15), official_on=None)
    with pytest.raises(ValidationError, match="No admission ceremony"):
        _review(m, D(2025, 3, 10))
