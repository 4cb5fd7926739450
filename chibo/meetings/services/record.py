"""Writes to the record of a meeting (biên bản): speeches, dues collected, tasks given and the
review of earlier ones, proposals. Each write is a service (`@audit.write`); each that changes
the meeting's record names the version the person saw (`claim`) and is refused once the
minutes are adopted.

Their audit events are about the meeting, except a task given to one member and its review:
those are about the member, whose page then says what they were asked to do and how it went
(a task given to a party group stays on the meeting's record)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.formats import number
from chibo.dues import services as dues_services
from chibo.members.models import Member, Placement
from chibo.org.models import Kind as UnitKind
from chibo.org.models import OrgUnit

from ..models import (
    DuesCollection,
    Meeting,
    Outcome,
    Proposal,
    Speech,
    State,
    Task,
    TaskReview,
    TaskStatus,
)
from .meetings import check_not_locked, claim

SPEECH_ADDED = audit.kind("meetings.speech_added", gettext_lazy("Speech of %(speaker)s recorded"))
DUES_COLLECTED = audit.kind(
    "meetings.dues_collected",
    gettext_lazy("Dues of %(member)s for %(month)s recorded: %(amount)s đồng"),
)
DUES_NOT_COLLECTED = audit.kind(
    "meetings.dues_not_collected",
    gettext_lazy("Dues of %(member)s for %(month)s recorded as not collected"),
)
TASK_GIVEN = audit.kind(
    "meetings.task_given",
    gettext_lazy(
        "Task given to %(assignee)s at the meeting of %(meeting)s, due %(due_on)s: %(text)s"
    ),
)
TASKS_CARRIED = audit.kind(
    "meetings.tasks_carried", gettext_lazy("%(count)s open tasks brought to the review")
)
TASK_REVIEWED = audit.kind(
    "meetings.task_reviewed",
    gettext_lazy("Task “%(text)s” reviewed at the meeting of %(meeting)s: %(outcome)s"),
)
PROPOSAL_ADDED = audit.kind(
    "meetings.proposal_added",
    gettext_lazy("Proposal of %(source)s to %(addressed_to)s recorded"),
)
PROPOSAL_ANSWERED = audit.kind(
    "meetings.proposal_answered", gettext_lazy("Proposal of %(source)s answered")
)
TASK_TEXT_SHOWN = 120  # characters of a task's text kept in its events

# A review outcome closes the task with the matching status; "carried" keeps it open.
STATUS_OF = {
    Outcome.DONE: TaskStatus.DONE,
    Outcome.LATE: TaskStatus.LATE,
    Outcome.DROPPED: TaskStatus.DROPPED,
    Outcome.CARRIED: TaskStatus.OPEN,
}


def check_open_for_record(meeting: Meeting, version: int) -> Meeting:
    claim(meeting, version)
    check_not_locked(meeting)
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    return meeting


def _in_cell(meeting: Meeting, member: Member) -> bool:
    """On the meeting's roster, or placed in the cell (officially or temporarily) that day:
    the record may be written before the roster is frozen."""
    if meeting.roster.filter(member=member).exists():
        return True
    return (
        Placement.objects.active_on(meeting.day)
        .filter(unit_id=meeting.cell_id, member=member)
        .exists()
    )


def check_member_of_cell(meeting: Meeting, member: Member | None, field: str) -> None:
    if member is not None and not _in_cell(meeting, member):
        raise ValidationError({field: _("This member is not in the cell on the meeting day.")})


# Speeches -------------------------------------------------------------------------------------


@audit.write
def speech_add(
    *,
    meeting: Meeting,
    version: int,
    summary: str,
    member: Member | None = None,
    speaker: str = "",
    actor,
) -> Speech:
    """Record who spoke and what they said, in order; a member, or a guest named in text."""
    check_open_for_record(meeting, version)
    speaker = speaker.strip()
    if (member is None) == (not speaker):
        raise ValidationError(
            {"speaker": _("Name the speaker: either a member or someone who is not a member.")}
        )
    if not summary.strip():
        raise ValidationError({"summary": _("Summarise what was said.")})
    check_member_of_cell(meeting, member, "member")
    last = meeting.speeches.aggregate(n=Max("order"))["n"] or 0
    speech = Speech.objects.create(
        meeting=meeting, member=member, speaker=speaker, summary=summary.strip(), order=last + 1
    )
    who = member.full_name if member is not None else speaker
    audit.record(SPEECH_ADDED, actor=actor, obj=speech, about=meeting, speaker=who)
    return speech


# Dues -----------------------------------------------------------------------------------------


@audit.write
def dues_record(
    *,
    meeting: Meeting,
    version: int,
    member: Member,
    month: dt.date,
    amount: int,
    collected: bool = True,
    actor,
) -> DuesCollection:
    """Record the dues a member paid at the meeting for `month` (any day of it). Recording the
    same member and month again at this meeting corrects the row; a month already collected
    at another meeting is refused. The dues ledger follows (chibo.dues.services.
    meeting_payment_set): a month already paid there another way (the treasurer, a payment
    statement) is refused too."""
    check_open_for_record(meeting, version)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError({"amount": _("Give the amount in đồng, a whole number from 0.")})
    if collected and amount == 0:
        raise ValidationError({"amount": _("Dues collected cannot be 0 đồng.")})
    check_member_of_cell(meeting, member, "member")
    month = month.replace(day=1)
    if (
        collected
        and DuesCollection.objects.filter(member=member, month=month, collected=True)
        .exclude(meeting=meeting)
        .exists()
    ):
        raise ValidationError(
            {
                "month": _("Dues for %(month)s were already collected from this member.")
                % {"month": f"{month:%m/%Y}"}
            }
        )
    row, _created = DuesCollection.objects.update_or_create(
        meeting=meeting,
        member=member,
        month=month,
        defaults={"amount": amount, "collected": collected},
    )
    # The ledger's payment "meeting:<id>", paid on the meeting's day, in the same transaction:
    # collected writes or corrects it, not collected removes it.
    dues_services.meeting_payment_set(
        member=member,
        month=month,
        amount=amount,
        paid_on=meeting.day,
        meeting_id=meeting.pk,
        collected=collected,
        actor=actor,
    )
    facts = {"member": member.full_name, "month": f"{month:%m/%Y}"}
    if collected:
        audit.record(
            DUES_COLLECTED, actor=actor, obj=row, about=meeting, amount=number(amount), **facts
        )
    else:
        audit.record(DUES_NOT_COLLECTED, actor=actor, obj=row, about=meeting, **facts)
    return row


# Tasks ----------------------------------------------------------------------------------------


@audit.write
def task_create(
    *,
    meeting: Meeting,
    version: int,
    text: str,
    due_on: dt.date,
    member: Member | None = None,
    group: OrgUnit | None = None,
    actor,
) -> Task:
    """Give a task at the meeting, to exactly one named member or one party group of the cell."""
    check_open_for_record(meeting, version)
    if (member is None) == (group is None):
        raise ValidationError(
            {"member": _("Give the task to exactly one member or one party group.")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Describe the task.")})
    if due_on < meeting.day:
        raise ValidationError({"due_on": _("The task cannot be due before the meeting.")})
    check_member_of_cell(meeting, member, "member")
    if group is not None and (
        group.kind != UnitKind.PARTY_GROUP or group.parent_id != meeting.cell_id
    ):
        raise ValidationError({"group": _("Choose a party group of this cell.")})
    task = Task.objects.create(
        cell_id=meeting.cell_id,
        meeting=meeting,
        member=member,
        group=group,
        text=text.strip(),
        due_on=due_on,
    )
    audit.record(
        TASK_GIVEN,
        actor=actor,
        obj=task,
        about=member if member is not None else meeting,
        assignee=member.full_name if member is not None else (group.name if group else ""),
        meeting=meeting.day,
        due_on=due_on,
        text=_short(task.text),
    )
    return task


def _short(text: str) -> str:
    return Truncator(text).chars(TASK_TEXT_SHOWN)


def _earlier(meeting: Meeting):
    """Tasks given at meetings of the same cell held before this one."""
    return Task.objects.filter(cell_id=meeting.cell_id, meeting__planned_at__lt=meeting.planned_at)


@audit.write
def tasks_carry_over(*, meeting: Meeting, actor) -> list[TaskReview]:
    """Put the cell's open tasks from earlier meetings on this meeting's review, each as
    "carried over" until the meeting records another outcome. Run when the meeting is
    prepared or held; running it again adds only tasks not yet on the review.

    It takes no version: it only adds "carried" review rows nobody has edited, so it cannot
    overwrite anyone's work; the meeting row is locked so two runs do not race. A run that
    adds nothing records no event."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_not_locked(meeting)
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    reviewed = meeting.task_reviews.values("task_id")
    todo = _earlier(meeting).open().exclude(pk__in=reviewed)
    added = TaskReview.objects.bulk_create(
        [TaskReview(task=t, meeting=meeting, outcome=Outcome.CARRIED) for t in todo]
    )
    if added:
        audit.record(TASKS_CARRIED, actor=actor, obj=meeting, count=len(added))
    return list(
        meeting.task_reviews.select_related("task", "task__member", "task__group").order_by(
            "task__due_on", "task_id"
        )
    )


def _status_from_reviews(task: Task) -> str:
    last = task.reviews.order_by("-meeting__planned_at", "-pk").first()
    return STATUS_OF[Outcome(last.outcome)] if last else TaskStatus.OPEN


@audit.write
def task_review(
    *, meeting: Meeting, version: int, task: Task, outcome: str, note: str = "", actor
) -> TaskReview:
    """Record this meeting's review of a task given at an earlier meeting: done, done late,
    dropped (with the reason), or carried over to the next meeting. The task's status follows
    its latest review."""
    check_open_for_record(meeting, version)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.cell_id != meeting.cell_id:
        raise ValidationError({"task": _("This task belongs to another cell.")})
    if task.meeting.planned_at >= meeting.planned_at:
        raise ValidationError(
            {"task": _("A task is reviewed at a meeting after the one that gave it.")}
        )
    closed_elsewhere = task.reviews.exclude(meeting=meeting).exclude(outcome=Outcome.CARRIED)
    if closed_elsewhere.exists():
        raise ValidationError({"task": _("This task was already closed at another meeting.")})
    if outcome == Outcome.DROPPED and not note.strip():
        raise ValidationError({"note": _("Give the reason the task is dropped.")})
    review, _created = TaskReview.objects.update_or_create(
        task=task, meeting=meeting, defaults={"outcome": outcome, "note": note.strip()}
    )
    status = _status_from_reviews(task)
    if task.status != status:
        task.status = status
        task.save(update_fields=["status"])
    audit.record(
        TASK_REVIEWED,
        actor=actor,
        obj=review,
        about=task.member if task.member_id is not None else meeting,
        text=_short(task.text),
        meeting=meeting.day,
        outcome=Outcome(outcome),
    )
    return review


# Proposals ------------------------------------------------------------------------------------


@audit.write
def proposal_add(
    *,
    meeting: Meeting,
    version: int,
    text: str,
    addressed_to: str,
    member: Member | None = None,
    source: str = "",
    actor,
) -> Proposal:
    """Record a proposal raised at the meeting, by a member or from the public (say who)."""
    check_open_for_record(meeting, version)
    source = source.strip()
    if (member is None) == (not source):
        raise ValidationError(
            {"source": _("Say where the proposal comes from: a member, or the public.")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Write the proposal.")})
    if not addressed_to.strip():
        raise ValidationError({"addressed_to": _("Say to whom the proposal is addressed.")})
    check_member_of_cell(meeting, member, "member")
    proposal = Proposal.objects.create(
        meeting=meeting,
        text=text.strip(),
        member=member,
        source=source,
        addressed_to=addressed_to.strip(),
    )
    audit.record(
        PROPOSAL_ADDED,
        actor=actor,
        obj=proposal,
        about=meeting,
        source=_proposer(proposal),
        addressed_to=proposal.addressed_to,
    )
    return proposal


def _proposer(proposal: Proposal) -> str:
    return proposal.member.full_name if proposal.member is not None else proposal.source


@audit.write
def proposal_answer(*, proposal: Proposal, answer: str, actor) -> Proposal:
    """Record the answer to a proposal. Answers usually come after the minutes are adopted:
    the answer is follow-up, not part of the minutes, so a locked meeting does not stop it."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.answered:
        raise ValidationError(_("This proposal is already answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    proposal.answered, proposal.answer = True, answer.strip()
    proposal.answered_at, proposal.answered_by = timezone.now(), actor
    proposal.save(update_fields=["answered", "answer", "answered_at", "answered_by"])
    audit.record(
        PROPOSAL_ANSWERED,
        actor=actor,
        obj=proposal,
        about=proposal.meeting,
        source=_proposer(proposal),
    )
    return proposal
