"""The record of a meeting (biên bản): tasks given at it and the review of earlier ones,
speeches, dues collected, proposals and their answers. Read by a reader of the record, written
by a writer of the meeting through chibo.meetings.services.record, each change naming the
meeting's version (except the answer to a proposal and bringing tasks onto the review,
which the services take without one)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictInt

from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema, Page, SchemaName
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from ..models import (
    DuesCollection,
    Meeting,
    Outcome,
    Proposal,
    Speech,
    Task,
    TaskReview,
    TaskStatus,
)
from ..services import record
from .common import Month, get_record_for, versioned, with_version, writable

# The component is "TaskOutcome": an official review has its `Outcome` too.
TaskOutcome = Annotated[Outcome, SchemaName("TaskOutcome")]

# Input ----------------------------------------------------------------------------------------


class TaskIn(InSchema):
    version: int
    text: str
    due_on: dt.date
    member: int | None = Field(None, description="A member of the cell; or `group`.")
    group: int | None = Field(None, description="A party group (tổ đảng) of the cell.")


class TaskReviewIn(InSchema):
    version: int
    task: int = Field(description="A task given at an earlier meeting of the cell.")
    outcome: TaskOutcome
    note: str = Field("", max_length=500, description="Needed when the task is dropped.")


class SpeechIn(InSchema):
    version: int
    summary: str
    member: int | None = Field(None, description="The member who spoke; or `speaker`.")
    speaker: str = Field("", max_length=120, description="Someone who is not a member.")


class DuesIn(InSchema):
    version: int
    member: int
    month: Month = Field(description='The month paid for, "YYYY-MM".')
    # Strict: pydantic would read the string "50.000" (fifty thousand, as people type it) as 50.
    amount: StrictInt = Field(description="In đồng, a JSON number (50000).")
    collected: bool = Field(True, description="False records that it was not collected.")


class MeetingProposalIn(InSchema):
    version: int
    text: str
    addressed_to: str = Field(max_length=200)
    member: int | None = Field(None, description="The member who raised it; or `source`.")
    source: str = Field("", max_length=200, description="Who in the public raised it.")


class AnswerIn(InSchema):
    answer: str


# Output ---------------------------------------------------------------------------------------


class MeetingTaskOut(Schema):
    id: int
    text: str
    member: int | None = Field(validation_alias="member_id")
    group: int | None = Field(validation_alias="group_id")
    due_on: dt.date
    status: TaskStatus


class TaskCreated(MeetingTaskOut):
    meeting_version: int


class TaskReviewOut(Schema):
    task: int = Field(validation_alias="task_id")
    given_at: int = Field(validation_alias="task.meeting_id", description="The meeting id.")
    text: str = Field(validation_alias="task.text")
    member: int | None = Field(validation_alias="task.member_id")
    group: int | None = Field(validation_alias="task.group_id")
    due_on: dt.date = Field(validation_alias="task.due_on")
    outcome: TaskOutcome
    note: str
    status: TaskStatus = Field(
        validation_alias="task.status", description="The task's status after its last review."
    )


class ReviewRecorded(TaskReviewOut):
    meeting_version: int


class SpeechOut(Schema):
    id: int
    order: int
    member: int | None = Field(validation_alias="member_id")
    speaker: str
    summary: str


class SpeechAdded(SpeechOut):
    meeting_version: int


class DuesOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    full_name: str = Field(validation_alias="member.full_name")
    month: Month
    amount: int
    collected: bool


class DuesRecorded(DuesOut):
    meeting_version: int


class ProposalOut(Schema):
    id: int
    text: str
    member: int | None = Field(validation_alias="member_id")
    source: str
    addressed_to: str
    answered: bool
    answer: str
    answered_at: dt.datetime | None
    answered_by: int | None = Field(validation_alias="answered_by_id")


class ProposalAdded(ProposalOut):
    meeting_version: int


# Ids in a body: the member or group named, as the page's choice lists give them -------------


def _member(pk: int | None) -> Member | None:
    if pk is None:
        return None
    member = Member.all_objects.filter(pk=pk).first()
    if member is None:  # the same answer as for a member of another cell
        raise ValidationError({"member": _("This member is not in the cell on the meeting day.")})
    return member


def _group(pk: int | None) -> OrgUnit | None:
    if pk is None:
        return None
    group = OrgUnit.objects.filter(pk=pk).first()
    if group is None:
        raise ValidationError({"group": _("Choose a party group of this cell.")})
    return group


def _task_of(meeting: Meeting, pk: int) -> Task:
    task = Task.objects.filter(pk=pk, cell_id=meeting.cell_id).first()
    if task is None:
        raise ValidationError({"task": _("This task belongs to another cell.")})
    return task


def _reviews(meeting: Meeting) -> QuerySet[TaskReview]:
    return meeting.task_reviews.select_related("task").order_by("task__due_on", "task_id")


def add_record_routes(router: Router) -> None:
    # Tasks given at the meeting -------------------------------------------------------------

    @router.get("/{meeting_id}/tasks", response=list[MeetingTaskOut])
    @paginate(Page)
    def task_list(request: HttpRequest, meeting_id: int) -> QuerySet[Task]:
        """Tasks given at the meeting, by due date."""
        meeting = get_record_for(request, meeting_id)
        return Task.objects.filter(meeting=meeting).order_by("due_on", "pk")

    @router.post("/{meeting_id}/tasks", response={201: TaskCreated})
    def task_create(request: HttpRequest, meeting_id: int, payload: TaskIn) -> tuple[int, Task]:
        """Give a task to exactly one member or one party group of the cell."""
        meeting = writable(request, meeting_id)
        with versioned():
            task = record.task_create(
                meeting=meeting,
                version=payload.version,
                text=payload.text,
                due_on=payload.due_on,
                member=_member(payload.member),
                group=_group(payload.group),
                actor=user_of(request),
            )
        return 201, with_version(task, meeting)

    # The review of earlier tasks --------------------------------------------------------------

    @router.get("/{meeting_id}/reviews", response=list[TaskReviewOut])
    @paginate(Page)
    def review_list(request: HttpRequest, meeting_id: int) -> QuerySet[TaskReview]:
        """This meeting's review of tasks given at earlier meetings, by due date."""
        return _reviews(get_record_for(request, meeting_id))

    @router.post("/{meeting_id}/reviews/carry", response=list[TaskReviewOut])
    def tasks_carry(request: HttpRequest, meeting_id: int) -> list[TaskReview]:
        """Bring the cell's open tasks from earlier meetings onto this meeting's review, each
        "carried" until another outcome is recorded. No version: it only adds rows nobody has
        edited. Answers the whole review."""
        meeting = writable(request, meeting_id)
        record.tasks_carry_over(meeting=meeting, actor=user_of(request))
        return list(_reviews(meeting))

    @router.post("/{meeting_id}/reviews", response=ReviewRecorded)
    def task_review(request: HttpRequest, meeting_id: int, payload: TaskReviewIn) -> TaskReview:
        """Record (or correct) this meeting's review of a task; its status follows."""
        meeting = writable(request, meeting_id)
        with versioned():
            review = record.task_review(
                meeting=meeting,
                version=payload.version,
                task=_task_of(meeting, payload.task),
                outcome=payload.outcome,
                note=payload.note,
                actor=user_of(request),
            )
        return with_version(_reviews(meeting).get(pk=review.pk), meeting)

    # Speeches -----------------------------------------------------------------------------------

    @router.get("/{meeting_id}/speeches", response=list[SpeechOut])
    @paginate(Page)
    def speech_list(request: HttpRequest, meeting_id: int) -> QuerySet[Speech]:
        """Who spoke and what they said, in order."""
        return get_record_for(request, meeting_id).speeches.order_by("order", "pk")

    @router.post("/{meeting_id}/speeches", response={201: SpeechAdded})
    def speech_add(request: HttpRequest, meeting_id: int, payload: SpeechIn) -> tuple[int, Speech]:
        meeting = writable(request, meeting_id)
        with versioned():
            speech = record.speech_add(
                meeting=meeting,
                version=payload.version,
                summary=payload.summary,
                member=_member(payload.member),
                speaker=payload.speaker,
                actor=user_of(request),
            )
        return 201, with_version(speech, meeting)

    # Dues -------------------------------------------------------------------------------------

    @router.get("/{meeting_id}/dues", response=list[DuesOut])
    @paginate(Page)
    def dues_list(request: HttpRequest, meeting_id: int) -> QuerySet[DuesCollection]:
        """Dues collected at the meeting, by month then name."""
        meeting = get_record_for(request, meeting_id)
        return meeting.dues.select_related("member").order_by("month", "member__search_name", "pk")

    @router.post("/{meeting_id}/dues", response=DuesRecorded)
    def dues_record(request: HttpRequest, meeting_id: int, payload: DuesIn) -> DuesCollection:
        """Record a member's dues for a month; the same member and month again at this meeting
        corrects the row (so the answer is 200, new or corrected)."""
        meeting = writable(request, meeting_id)
        member = _member(payload.member)
        assert member is not None
        with versioned():
            row = record.dues_record(
                meeting=meeting,
                version=payload.version,
                member=member,
                month=payload.month,
                amount=payload.amount,
                collected=payload.collected,
                actor=user_of(request),
            )
        return with_version(row, meeting)

    # Proposals --------------------------------------------------------------------------------

    @router.get("/{meeting_id}/proposals", response=list[ProposalOut])
    @paginate(Page)
    def proposal_list(request: HttpRequest, meeting_id: int) -> QuerySet[Proposal]:
        """Proposals raised at the meeting, in the order they were recorded."""
        meeting = get_record_for(request, meeting_id)
        return Proposal.objects.filter(meeting=meeting).order_by("pk")

    @router.post("/{meeting_id}/proposals", response={201: ProposalAdded})
    def proposal_add(
        request: HttpRequest, meeting_id: int, payload: MeetingProposalIn
    ) -> tuple[int, Proposal]:
        meeting = writable(request, meeting_id)
        with versioned():
            proposal = record.proposal_add(
                meeting=meeting,
                version=payload.version,
                text=payload.text,
                addressed_to=payload.addressed_to,
                member=_member(payload.member),
                source=payload.source,
                actor=user_of(request),
            )
        return 201, with_version(proposal, meeting)

    @router.post("/{meeting_id}/proposals/{proposal_id}/answer", response=ProposalOut)
    def proposal_answer(
        request: HttpRequest, meeting_id: int, proposal_id: int, payload: AnswerIn
    ) -> Proposal:
        """Record the answer; follow-up rather than minutes, so allowed after adoption."""
        meeting = writable(request, meeting_id)
        proposal = Proposal.objects.filter(pk=proposal_id, meeting=meeting).first()
        if proposal is None:
            raise Http404
        return record.proposal_answer(
            proposal=proposal, answer=payload.answer, actor=user_of(request)
        )
