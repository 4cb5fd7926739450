"""The record of a meeting, read-only here: the tasks given at it and the proposals raised."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.core.api import Page

from ..models import Proposal, Task, TaskStatus
from .common import get_record_for


class TaskOut(Schema):
    id: int
    text: str
    member: int | None = Field(validation_alias="member_id")
    group: int | None = Field(validation_alias="group_id")
    due_on: dt.date
    status: TaskStatus


class ProposalOut(Schema):
    id: int
    text: str
    member: int | None = Field(validation_alias="member_id")
    source: str
    addressed_to: str
    answered: bool
    answer: str
    answered_at: dt.datetime | None


def add_record_routes(router: Router) -> None:
    @router.get("/{meeting_id}/tasks", response=list[TaskOut])
    @paginate(Page)
    def task_list(request: HttpRequest, meeting_id: int) -> QuerySet[Task]:
        """Tasks given at the meeting, by due date."""
        meeting = get_record_for(request, meeting_id)
        return Task.objects.filter(meeting=meeting).order_by("due_on", "pk")

    @router.get("/{meeting_id}/proposals", response=list[ProposalOut])
    @paginate(Page)
    def proposal_list(request: HttpRequest, meeting_id: int) -> QuerySet[Proposal]:
        """Proposals raised at the meeting, in the order they were recorded."""
        meeting = get_record_for(request, meeting_id)
        return Proposal.objects.filter(meeting=meeting).order_by("pk")
