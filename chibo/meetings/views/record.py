"""The record of a meeting (tasks, speeches, dues, proposals) and its quality score: each a
section of the meeting page with its own HTMX form, which gets its section back alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.core.pages import HtmxHttpRequest
from chibo.meetings import access

from ..forms import (
    AnswerForm,
    DuesForm,
    PageForm,
    ProposalForm,
    SpeechForm,
    TaskForm,
    TaskReviewForm,
)
from ..models import Meeting, Proposal, State, Task
from ..services import quality, record
from .change import page_form
from .page import PAGE, Page, groups_of, people_of, quality_form, scoring_rules
from .sections import section_context


@require_POST
@login_required
def tasks_carry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Opening the review on a planned or held meeting brings the cell's open tasks onto it."""
    meeting = access.get_meeting_for(request.user, pk, write=True)
    error = ""
    if meeting.state not in (State.PLANNED, State.HELD):
        error = _("Tasks are brought to the review of a planned or held meeting only.")
    else:
        try:
            record.tasks_carry_over(meeting=meeting, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#record-review")
    page = Page(request, meeting.pk, whole=False, can_write=True)
    context = {**section_context(page, "review"), "carried": True, "section_error": error}
    return render(request, f"{PAGE}#review", context, status=422 if error else 200)


def _task_of(meeting: Meeting, pk: int) -> Task:
    task = Task.objects.filter(pk=pk, cell_id=meeting.cell_id).first()
    if task is None:
        raise ValidationError({"task": _("This task belongs to another cell.")})
    return task


@require_POST
@login_required
def task_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        TaskReviewForm(request.POST),
        name="review_form",
        section="review",
        save=lambda d: record.task_review(
            meeting=meeting,
            version=d["version"],
            task=_task_of(meeting, d["task"]),
            outcome=d["outcome"],
            note=d["note"],
            actor=request.user,
        ),
        message=_("Review of the task saved."),
    )


@require_POST
@login_required
def task_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = TaskForm(request.POST, people=people_of(meeting), groups=groups_of(meeting))
    return page_form(
        request,
        meeting,
        form,
        name="task_form",
        section="tasks",
        save=lambda d: record.task_create(
            meeting=meeting,
            version=d["version"],
            text=d["text"],
            due_on=d["due_on"],
            member=form.chosen_member(),
            group=form.chosen_group(),
            actor=request.user,
        ),
        message=_("Task given."),
    )


@require_POST
@login_required
def speech_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = SpeechForm(request.POST, people=people_of(meeting))
    return page_form(
        request,
        meeting,
        form,
        name="speech_form",
        section="speeches",
        save=lambda d: record.speech_add(
            meeting=meeting,
            version=d["version"],
            summary=d["summary"],
            member=form.chosen_member(),
            speaker=d["speaker"],
            actor=request.user,
        ),
        message=_("Speech recorded."),
    )


@require_POST
@login_required
def dues_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = DuesForm(request.POST, people=people_of(meeting))
    return page_form(
        request,
        meeting,
        form,
        name="dues_form",
        section="dues",
        save=lambda d: record.dues_record(
            meeting=meeting,
            version=d["version"],
            member=form.chosen_member(),
            month=d["month"],
            amount=d["amount"],
            actor=request.user,
        ),
        message=_("Dues recorded."),
    )


@require_POST
@login_required
def proposal_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = ProposalForm(request.POST, people=people_of(meeting))
    return page_form(
        request,
        meeting,
        form,
        name="proposal_form",
        section="proposals",
        save=lambda d: record.proposal_add(
            meeting=meeting,
            version=d["version"],
            text=d["text"],
            addressed_to=d["addressed_to"],
            member=form.chosen_member(),
            source=d["source"],
            actor=request.user,
        ),
        message=_("Proposal recorded."),
    )


@require_POST
@login_required
def proposal_answer(request: HtmxHttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """Answers are follow-up, not minutes: allowed after adoption (the service says so)."""
    meeting = access.get_meeting_for(request.user, pk, write=True)

    def save(d: dict) -> Proposal:
        proposal = Proposal.objects.filter(pk=proposal_pk, meeting=meeting).first()
        if proposal is None:
            raise Http404
        return record.proposal_answer(proposal=proposal, answer=d["answer"], actor=request.user)

    return page_form(
        request,
        meeting,
        AnswerForm(request.POST),
        name="answer_form",
        section="proposals",
        save=save,
        message=_("Answer recorded."),
        extra={"answer_for": proposal_pk},
    )


@require_POST
@login_required
def quality_score(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = quality_form(scoring_rules(meeting), request.POST)
    return page_form(
        request,
        meeting,
        form,
        name="quality_form",
        section="quality",
        save=lambda d: quality.quality_score_set(
            meeting=meeting, version=d["version"], points=form.points(), actor=request.user
        ),
        message=_("Quality score saved."),
    )


@require_POST
@login_required
def quality_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The superior follower confirms: they read the cell's record without writing to it.
    No version: confirming changes no number of the score, and the service refuses twice."""
    meeting = access.get_meeting_for(request.user, pk)
    if not access.can_read_meeting_record(request.user, meeting):
        raise PermissionDenied
    return page_form(
        request,
        meeting,
        PageForm(request.POST),
        name="confirm_form",
        section="quality",
        save=lambda d: quality.quality_confirm(meeting=meeting, actor=request.user),
        message=_("Quality score confirmed."),
        can_write=None,  # a reader: whether they also write is asked
    )
