import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.meetings import services as s
from chibo.meetings.models import (
    DuesCollection,
    Kind,
    Meeting,
    Outcome,
    Proposal,
    Speech,
    Task,
    TaskStatus,
)
from chibo.meetings.services import record as r
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

MARCH, APRIL, MAY = dt.date(2026, 3, 5), dt.date(2026, 4, 2), dt.date(2026, 5, 7)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages are asserted in English
        yield


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def meeting(cell, day=MARCH) -> Meeting:
    return s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def adopt(m: Meeting, actor) -> None:
    s.meeting_hold(
        meeting=m, version=v(m), started_at=at(m.day), ended_at=at(m.day, 21), actor=None
    )
    s.meeting_adopt(meeting=m, version=v(m), actor=actor)


def give(m: Meeting, member, text="Vận động hộ nghèo") -> Task:
    return r.task_create(
        meeting=m,
        version=v(m),
        text=text,
        due_on=m.day + dt.timedelta(days=20),
        member=member,
        actor=None,
    )


def test_speeches_keep_their_order_and_one_speaker(world):
    m = meeting(world.cell)
    first = r.speech_add(
        meeting=m, version=v(m), summary="Đề nghị làm đường", member=world.member, actor=None
    )
    second = r.speech_add(
        meeting=m, version=v(m), summary="Góp ý", speaker="Ông Trưởng thôn", actor=None
    )
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ValidationError, match="either a member or someone"):
        r.speech_add(
            meeting=m, version=v(m), summary="x", member=world.member, speaker="Ông A", actor=None
        )
    with pytest.raises(ValidationError, match="either a member or someone"):
        r.speech_add(meeting=m, version=v(m), summary="x", actor=None)
    with pytest.raises(ValidationError, match="not in the cell"):
        r.speech_add(meeting=m, version=v(m), summary="x", member=world.other_member, actor=None)
    assert list(m.speeches.values_list("order", flat=True)) == [1, 2]


def test_dues_are_collected_once_per_month(world):
    m, later = meeting(world.cell), meeting(world.cell, APRIL)
    row = r.dues_record(
        meeting=m,
        version=v(m),
        member=world.member,
        month=dt.date(2026, 3, 17),
        amount=30000,
        actor=None,
    )
    assert row.month == dt.date(2026, 3, 1) and row.collected
    # Corrected at the same meeting: still one row.
    r.dues_record(
        meeting=m,
        version=v(m),
        member=world.member,
        month=dt.date(2026, 3, 1),
        amount=35000,
        actor=None,
    )
    assert DuesCollection.objects.get().amount == 35000
    with pytest.raises(ValidationError, match="Dues for 03/2026 were already collected"):
        r.dues_record(
            meeting=later,
            version=v(later),
            member=world.member,
            month=MARCH,
            amount=35000,
            actor=None,
        )
    with pytest.raises(ValidationError, match="whole number"):
        r.dues_record(
            meeting=m, version=v(m), member=world.member, month=APRIL, amount=-1, actor=None
        )
    with pytest.raises(ValidationError, match="not in the cell"):
        r.dues_record(
            meeting=m, version=v(m), member=world.member2, month=APRIL, amount=1000, actor=None
        )
    assert DuesCollection.objects.count() == 1


def test_a_task_goes_to_one_member_or_one_party_group_of_the_cell(world):
    m = meeting(world.cell)
    group = f.unit(UnitKind.PARTY_GROUP, world.cell)
    foreign_group = f.unit(UnitKind.PARTY_GROUP, world.cell2)
    due = dt.date(2026, 3, 31)
    with pytest.raises(ValidationError, match="exactly one member or one party group"):
        r.task_create(meeting=m, version=v(m), text="x", due_on=due, actor=None)
    with pytest.raises(ValidationError, match="exactly one member or one party group"):
        r.task_create(
            meeting=m,
            version=v(m),
            text="x",
            due_on=due,
            member=world.member,
            group=group,
            actor=None,
        )
    with pytest.raises(ValidationError, match="party group of this cell"):
        r.task_create(
            meeting=m, version=v(m), text="x", due_on=due, group=foreign_group, actor=None
        )
    with pytest.raises(ValidationError, match="due before the meeting"):
        r.task_create(
            meeting=m,
            version=v(m),
            text="x",
            due_on=dt.date(2026, 3, 4),
            member=world.member,
            actor=None,
        )
    by_member = r.task_create(
        meeting=m, version=v(m), text="x", due_on=due, member=world.member, actor=None
    )
    by_group = r.task_create(meeting=m, version=v(m), text="y", due_on=due, group=group, actor=None)
    assert by_member.assignee == world.member and by_group.assignee == group
    assert by_member.cell == world.cell and by_member.status == TaskStatus.OPEN
    assert Task.objects.count() == 2


def test_a_task_carried_over_twice_has_two_reviews_and_stays_open(world):
    march, april, may = meeting(world.cell), meeting(world.cell, APRIL), meeting(world.cell, MAY)
    task = give(march, world.member)
    assert r.tasks_carry_over(meeting=march, actor=None) == []  # not reviewed where it was given
    assert [x.task for x in r.tasks_carry_over(meeting=april, actor=None)] == [task]
    assert len(r.tasks_carry_over(meeting=april, actor=None)) == 1  # running again adds nothing
    r.task_review(
        meeting=april,
        version=v(april),
        task=task,
        outcome=Outcome.CARRIED,
        note="Chưa xong",
        actor=None,
    )
    [review] = r.tasks_carry_over(meeting=may, actor=None)
    assert review.outcome == Outcome.CARRIED
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert [x.meeting for x in task.reviews.all()] == [april, may]
    assert task.history.count() == 1  # created; never changed status


@pytest.mark.parametrize(
    "outcome,status",
    [
        (Outcome.DONE, TaskStatus.DONE),
        (Outcome.LATE, TaskStatus.LATE),
        (Outcome.DROPPED, TaskStatus.DROPPED),
    ],
)
def test_a_review_closes_the_task(world, outcome, status):
    march, april, may = meeting(world.cell), meeting(world.cell, APRIL), meeting(world.cell, MAY)
    task = give(march, world.member)
    r.tasks_carry_over(meeting=april, actor=None)
    if outcome == Outcome.DROPPED:
        with pytest.raises(ValidationError, match="reason the task is dropped"):
            r.task_review(meeting=april, version=v(april), task=task, outcome=outcome, actor=None)
    r.task_review(
        meeting=april, version=v(april), task=task, outcome=outcome, note="Lý do", actor=None
    )
    task.refresh_from_db()
    assert task.status == status
    assert task.history.first().status == status  # the change is in the task's history
    assert r.tasks_carry_over(meeting=may, actor=None) == []  # closed: not reviewed again
    with pytest.raises(ValidationError, match="already closed at another meeting"):
        r.task_review(meeting=may, version=v(may), task=task, outcome=Outcome.CARRIED, actor=None)
    # The same meeting may correct its own review: the task reopens.
    r.task_review(meeting=april, version=v(april), task=task, outcome=Outcome.CARRIED, actor=None)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.reviews.count() == 1


def test_a_task_is_reviewed_only_later_and_in_its_own_cell(world):
    march, april = meeting(world.cell), meeting(world.cell, APRIL)
    task = give(april, world.member)
    with pytest.raises(ValidationError, match="after the one that gave it"):
        r.task_review(meeting=march, version=v(march), task=task, outcome=Outcome.DONE, actor=None)
    elsewhere = meeting(world.cell2, MAY)
    with pytest.raises(ValidationError, match="another cell"):
        r.task_review(
            meeting=elsewhere, version=v(elsewhere), task=task, outcome=Outcome.DONE, actor=None
        )


def test_proposals_are_followed_until_answered(world, cast):
    m = meeting(world.cell)
    own = r.proposal_add(
        meeting=m,
        version=v(m),
        text="Sửa đường liên thôn",
        addressed_to="UBND xã",
        member=world.member,
        actor=None,
    )
    public = r.proposal_add(
        meeting=m,
        version=v(m),
        text="Lắp đèn",
        addressed_to="Đảng ủy xã",
        source="Nhân dân xóm 3",
        actor=None,
    )
    with pytest.raises(ValidationError, match="a member, or the public"):
        r.proposal_add(meeting=m, version=v(m), text="x", addressed_to="y", actor=None)
    with pytest.raises(ValidationError, match="to whom"):
        r.proposal_add(
            meeting=m, version=v(m), text="x", addressed_to=" ", source="Dân", actor=None
        )
    assert set(Proposal.objects.unanswered()) == {own, public}
    adopt(m, cast.secretary)
    # Answers come after the minutes are adopted: the lock does not stop them.
    answered = r.proposal_answer(
        proposal=own, answer="Đã đưa vào kế hoạch", actor=cast.base_officer
    )
    assert answered.answered and answered.answered_at and answered.answered_by == cast.base_officer
    assert list(Proposal.objects.unanswered()) == [public]
    with pytest.raises(ValidationError, match="already answered"):
        r.proposal_answer(proposal=own, answer="Lại", actor=cast.base_officer)
    with pytest.raises(ValidationError, match="Write the answer"):
        r.proposal_answer(proposal=public, answer=" ", actor=cast.base_officer)


def test_writes_on_adopted_minutes_are_refused(world, cast):
    march, april = meeting(world.cell), meeting(world.cell, APRIL)
    task = give(march, world.member)
    adopt(april, cast.secretary)
    writes = [
        lambda: r.speech_add(meeting=april, version=v(april), summary="x", speaker="A", actor=None),
        lambda: r.dues_record(
            meeting=april,
            version=v(april),
            member=world.member,
            month=APRIL,
            amount=1000,
            actor=None,
        ),
        lambda: give(april, world.member),
        lambda: r.tasks_carry_over(meeting=april, actor=None),
        lambda: r.task_review(
            meeting=april, version=v(april), task=task, outcome=Outcome.DONE, actor=None
        ),
        lambda: r.proposal_add(
            meeting=april, version=v(april), text="x", addressed_to="y", source="z", actor=None
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="adopted and locked"):
            write()
    assert not Speech.objects.exists() and not DuesCollection.objects.exists()
    assert Task.objects.count() == 1 and not task.reviews.exists()
    assert not Proposal.objects.exists()


def test_a_stale_version_is_refused_and_writes_nothing(world):
    m = meeting(world.cell)
    seen = v(m)
    r.speech_add(
        meeting=Meeting.objects.get(pk=m.pk), version=seen, summary="a", speaker="A", actor=None
    )
    with pytest.raises(ValidationError) as e:
        r.speech_add(
            meeting=Meeting.objects.get(pk=m.pk), version=seen, summary="b", speaker="B", actor=None
        )
    assert e.value.code == "stale"
    assert "Someone else changed this meeting" in e.value.messages[0]
    assert list(Speech.objects.values_list("summary", flat=True)) == ["a"]
