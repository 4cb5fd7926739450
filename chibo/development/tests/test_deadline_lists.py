"""The deadline lists of party development at their boundaries. Every expected date is
counted by hand below, with the working days written out; none is computed by the code under
test."""

import datetime as dt

from chibo.core.deadlines import DUE
from chibo.development.queries import ceremonies_due, probations_ending, reviews_due
from chibo.members.models import EventKind
from chibo.members.services import event_create
from chibo.org.models import Kind as UnitKind
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f
from chibo.testing.deadlines import probationary, vote

D = dt.date


def rows(result) -> dict[int, tuple]:
    return {r.member_id: (r.deadline, r.overdue) for r in result}


def member_due(member, on):
    """The member's own lists, as the timeline shows them (development's due source)."""
    from types import SimpleNamespace

    return SimpleNamespace(**DUE["development"].compute(member, on))


# 1. Ceremony ----------------------------------------------------------------------------------


def test_ceremony_deadline_crosses_tet_2026(world):
    # Admitted Monday 02/02/2026; 30 working days after it, Tết 2026 (Mon 16 - Fri 20/02)
    # off: Feb 3-6 (4), 9-13 (9), [16-20 Tết], 23-27 (14), Mar 2-6 (19), 9-13 (24),
    # 16-20 (29), Mon 23/03 (30).
    m = probationary(world.cell, D(2026, 2, 2))
    deadline = D(2026, 3, 23)
    assert ceremonies_due(world.base, D(2026, 2, 1)) == []  # not yet admitted
    assert rows(ceremonies_due(world.base, D(2026, 2, 2))) == {m.pk: (deadline, False)}
    assert rows(ceremonies_due(world.base, D(2026, 3, 22))) == {m.pk: (deadline, False)}
    assert rows(ceremonies_due(world.base, D(2026, 3, 23))) == {m.pk: (deadline, False)}
    assert rows(ceremonies_due(world.base, D(2026, 3, 24))) == {m.pk: (deadline, True)}
    # Outside the subtree: another base committee does not see it.
    assert ceremonies_due(world.other_base, D(2026, 3, 24)) == []
    # The ceremony held on 25/03: listed (overdue) the day before, gone from that day.
    event_create(actor=None, member=m, kind=EventKind.CEREMONY, date=D(2026, 3, 25))
    assert rows(ceremonies_due(world.cell, D(2026, 3, 24))) == {m.pk: (deadline, True)}
    assert ceremonies_due(world.cell, D(2026, 3, 25)) == []


def test_ceremony_count_changes_with_the_regulation(world):
    # A version setting 20 working days from 01/04/2026: an admission on 31/03 keeps 30,
    # one on 01/04 gets 20.
    RuleVersion.objects.create(
        effective_from=D(2026, 4, 1), source="Thử", values={"ceremony_working_days": 20}
    )
    before = probationary(world.cell, D(2026, 3, 31))
    after = probationary(world.cell, D(2026, 4, 1))
    # 30 after Tue 31/03: Apr 1-3 (3), 6-10 (8), 13-17 (13), 20-24 (18), [Mon 27/04 off,
    # for Giỗ Tổ on Sunday 26/04], 28 (19), 29 (20), [30/04 and 01/05 off], May 4-8 (25),
    # 11-15 (30) -> 15/05/2026.
    # 20 after Wed 01/04: Apr 2-3 (2), 6-10 (7), 13-17 (12), 20-24 (17), [27 off], 28 (18),
    # 29 (19), [30/04, 01/05 off], Mon 04/05 (20).
    assert rows(ceremonies_due(world.cell, D(2026, 5, 1))) == {
        before.pk: (D(2026, 5, 15), False),
        after.pk: (D(2026, 5, 4), False),
    }


# 2. Probation ending --------------------------------------------------------------------------


def test_probation_ending_within_30_days(world):
    on = D(2026, 6, 1)
    in_30 = probationary(world.cell, D(2025, 6, 2), D(2025, 7, 1))  # ends 01/07/2026 = on + 30
    in_31 = probationary(world.cell, D(2025, 6, 2), D(2025, 7, 2))  # ends 02/07/2026 = on + 31
    today = probationary(world.cell, D(2025, 5, 2), D(2025, 6, 1))  # ends 01/06/2026 = on
    assert in_30.probation_ends_on == D(2026, 7, 1)
    assert [r.member_id for r in probations_ending(world.base, on)] == [in_30.pk]
    # Ending today: it is the review's turn.
    assert today.pk in rows(reviews_due(world.base, on)[0])
    assert in_31.pk in [
        r.member_id for r in probations_ending(world.base, on + dt.timedelta(days=1))
    ]


def test_probation_from_29_february(world):
    # Ceremony 29/02/2024 + 12 months: 28/02/2025 (no 29/02 in 2025).
    m = probationary(world.cell, D(2024, 2, 1), D(2024, 2, 29))
    assert m.probation_ends_on == D(2025, 2, 28)
    assert probations_ending(world.cell, D(2025, 1, 28)) == []  # 31 days before
    assert [r.member_id for r in probations_ending(world.cell, D(2025, 1, 29))] == [m.pk]
    assert [r.member_id for r in probations_ending(world.cell, D(2025, 2, 27))] == [m.pk]
    assert probations_ending(world.cell, D(2025, 2, 28)) == []
    waiting, _ = reviews_due(world.cell, D(2025, 2, 28))
    assert [r.member_id for r in waiting] == [m.pk]


# 3. Review for official membership -----------------------------------------------------------


def test_review_deadlines_follow_the_rules_of_each_probation_end(world):
    a = probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2))  # probation ends 02/03/2026
    b = probationary(world.cell2, D(2025, 5, 5), D(2025, 6, 1))  # ends 01/06/2026
    RuleVersion.objects.create(
        effective_from=D(2026, 5, 1), source="Thử", values={"review_working_days": 10}
    )
    # a (30, the rules of 02/03/2026): Mar 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19),
    # Mar 30-Apr 3 (24), Apr 6-10 (29), Mon 13/04 (30).
    # b (10, the rules of 01/06/2026): Jun 2-5 (4), 8-12 (9), Mon 15/06 (10).
    waiting, decisions = reviews_due(world.base, D(2026, 6, 1))
    assert rows(waiting) == {a.pk: (D(2026, 4, 13), True), b.pk: (D(2026, 6, 15), False)}
    assert decisions == []
    assert rows(reviews_due(world.cell, D(2026, 4, 13))[0]) == {a.pk: (D(2026, 4, 13), False)}
    assert rows(reviews_due(world.cell, D(2026, 4, 14))[0]) == {a.pk: (D(2026, 4, 13), True)}
    assert rows(reviews_due(world.cell2, D(2026, 6, 16))[0]) == {b.pk: (D(2026, 6, 15), True)}
    # A version added today leaves the deadlines of earlier probations as they were.
    RuleVersion.objects.create(
        effective_from=D(2026, 11, 22), source="Hôm nay", values={"review_working_days": 5}
    )
    assert rows(reviews_due(world.cell, D(2026, 4, 14))[0]) == {a.pk: (D(2026, 4, 13), True)}


def test_voted_reviews_await_the_decision(world):
    m = probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2))  # probation ends 02/03/2026
    review = vote(m, D(2026, 4, 20))
    waiting, decisions = reviews_due(world.cell, D(2026, 4, 19))
    assert [r.member_id for r in waiting] == [m.pk] and decisions == []
    waiting, decisions = reviews_due(world.cell, D(2026, 4, 20))
    assert waiting == [] and [(r.member_id, r.voted_on) for r in decisions] == [
        (m.pk, D(2026, 4, 20))
    ]
    review.decision_on, review.decision_number = D(2026, 5, 4), "7-QĐ/ĐU"
    review.save()
    assert reviews_due(world.cell, D(2026, 5, 3))[1] != []
    assert reviews_due(world.cell, D(2026, 5, 4)) == ([], [])
    # Recognised (the development service records the official event): no longer listed.
    event_create(actor=None, member=m, kind=EventKind.OFFICIAL, date=D(2026, 3, 2))
    assert reviews_due(world.cell, D(2026, 5, 3)) == ([], [])


def test_a_vote_from_an_earlier_probation_does_not_count(world):
    m = probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2))
    vote(m, D(2026, 2, 20))  # before this probation ended: not a review of it
    assert [r.member_id for r in reviews_due(world.cell, D(2026, 4, 1))[0]] == [m.pk]


def test_a_province_setting_its_own_count(world):
    other = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Khác", code="T02")
    far = f.unit(UnitKind.CELL, f.unit(UnitKind.BASE_COMMITTEE, other, code="T02-X01"))
    RuleVersion.objects.create(
        effective_from=D(2020, 1, 1),
        source="Tỉnh Thử",
        province=world.province,
        values={"review_working_days": 10},
    )
    here = probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2))  # ends 02/03/2026
    there = probationary(far, D(2025, 2, 3), D(2025, 3, 2))
    # 10 after Mon 02/03/2026: Mar 3-6 (4), 9-13 (9), Mon 16/03 (10); 30: 13/04 (above).
    on = D(2026, 3, 20)
    assert rows(reviews_due(world.province, on)[0]) == {here.pk: (D(2026, 3, 16), True)}
    assert rows(reviews_due(other, on)[0]) == {there.pk: (D(2026, 4, 13), False)}
    assert [r.deadline for r in member_due(here, on).reviews] == [D(2026, 3, 16)]
    assert [r.deadline for r in member_due(there, on).reviews] == [D(2026, 4, 13)]


def test_a_past_day_lists_who_was_on_probation_that_day(world):
    """A probation since ended (the period closed by the official recognition) still counts
    on a day inside it: the lists read the periods open then, not only those open today."""
    m = probationary(world.cell, D(2025, 1, 6))
    event_create(actor=None, member=m, kind=EventKind.OFFICIAL, date=D(2026, 1, 6))
    # 30 working days after Mon 06/01/2025, Tết 2025 (Mon 27/01 - Fri 31/01) off:
    # Jan 7-10 (4), 13-17 (9), 20-24 (14), [27-31 Tết], Feb 3-7 (19), 10-14 (24),
    # 17-21 (29), Mon 24/02 (30).
    assert rows(ceremonies_due(world.base, D(2025, 3, 1))) == {m.pk: (D(2025, 2, 24), True)}
    assert rows(ceremonies_due(world.base, D(2026, 1, 5))) == {m.pk: (D(2025, 2, 24), True)}
    assert ceremonies_due(world.base, D(2026, 1, 6)) == []  # official from that day
