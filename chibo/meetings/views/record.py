"""The record of a meeting (tasks, speeches, dues, proposals) and its quality score: each a
section of the meeting page with its own HTMX form."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo import rules
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.meetings import access
from chibo.members.models import Placement
from chibo.org.models import Kind as UnitKind
from chibo.org.models import OrgUnit

from .. import quality, record
from ..forms import (
    AnswerForm,
    DuesForm,
    PageForm,
    ProposalForm,
    QualityForm,
    SpeechForm,
    TaskForm,
    TaskReviewForm,
)
from ..models import (
    Attendance,
    DuesCollection,
    Meeting,
    Outcome,
    Proposal,
    QualityScore,
    Speech,
    State,
    Task,
    TaskReview,
)
from . import meeting as meeting_views

SECTIONS = {
    "review": "meetings/record_review.html",
    "tasks": "meetings/record_tasks.html",
    "speeches": "meetings/record_speeches.html",
    "dues": "meetings/record_dues.html",
    "proposals": "meetings/record_proposals.html",
    "quality": "meetings/record_quality.html",
}


def _people(meeting: Meeting, roster: list[Attendance]) -> list[tuple[int, str]]:
    """Who may be named in the record: the roster, or before it is frozen, those placed in the
    cell on the meeting day (as the services check)."""
    if roster:
        return [(r.member_id, r.member.full_name) for r in roster]
    rows = (
        Placement.objects.active_on(meeting.day)
        .filter(unit_id=meeting.cell_id)
        .select_related("member")
        .order_by("member__search_name", "member_id")
    )
    return list(dict.fromkeys((p.member_id, p.member.full_name) for p in rows))


def _groups(meeting: Meeting) -> list[tuple[int, str]]:
    rows = OrgUnit.objects.filter(parent_id=meeting.cell_id, kind=UnitKind.PARTY_GROUP)
    return [(g.pk, g.name) for g in rows.order_by("name", "pk")]


def _scoring(meeting: Meeting) -> rules.Rules | None:
    """The rules of the meeting day, only for a meeting that is or was scored (held)."""
    if meeting.state not in (State.HELD, State.ADOPTED):
        return None
    return rules.at(meeting.day, meeting.cell)


def _part_labels() -> dict[str, str]:
    return {k: str(v) for k, v in quality.PART_LABELS.items()}


def _quality_form(meeting: Meeting, r: rules.Rules | None, data=None, **kw) -> QualityForm:
    parts = (r.quality_max if r else None) or {}
    return QualityForm(data, parts=parts, labels=_part_labels(), **kw)


def _quality_context(request: HttpRequest, meeting: Meeting, forms: dict) -> dict[str, Any]:
    r = _scoring(meeting)
    score = (
        QualityScore.objects.select_related("filled_by", "confirmed_by")
        .filter(meeting=meeting)
        .first()
        if r is not None
        else None
    )
    initial: dict[str, Any] = {"version": meeting.version}
    parts = []
    if score is not None:
        labels = _part_labels()
        most = (r.quality_max if r else None) or {}
        for part, points in score.points.items():
            initial[f"part_{part}"] = points
            parts.append({"label": labels.get(part, part), "points": points, "max": most.get(part)})
    return {
        "score": score,
        "score_parts": parts,
        "score_rating": quality.meeting_rating(meeting) if score is not None else None,
        "score_rule": r is not None and r.quality_max is not None,
        "score_max": sum(r.quality_max.values()) if r and r.quality_max else None,
        "can_confirm": score is not None
        and score.confirmed_by_id is None
        and score.filled_by_id != request.user.pk
        and meeting.guests.filter(follow__follower_id=request.user.pk).exists(),
        "quality_form": forms.get("quality_form") or _quality_form(meeting, r, initial=initial),
    }


def _record_present(meeting: Meeting) -> dict[str, bool]:
    """Which parts of the record have rows, in one query: most meetings have few parts
    filled, and the page then reads only those (its query count stays small and flat)."""

    def rows(model) -> Exists:
        return Exists(model.objects.filter(meeting=OuterRef("pk")))

    groups = OrgUnit.objects.filter(parent_id=OuterRef("cell_id"), kind=UnitKind.PARTY_GROUP)
    models = {
        "reviews": TaskReview,
        "tasks": Task,
        "speeches": Speech,
        "dues": DuesCollection,
        "proposals": Proposal,
    }
    flags = {f"has_{name}": rows(model) for name, model in models.items()}
    row = (
        Meeting.all_objects.filter(pk=meeting.pk)
        .annotate(**flags, has_groups=Exists(groups))
        .values(*flags, "has_groups")
        .get()
    )
    return {key.removeprefix("has_"): bool(value) for key, value in row.items()}


def _record_context(
    request: HttpRequest,
    meeting: Meeting,
    roster: list[Attendance],
    forms: dict,
    province_id: int | None = None,
) -> dict[str, Any]:
    has = _record_present(meeting)
    people = _people(meeting, roster)
    groups = _groups(meeting) if has["groups"] else []
    v = {"version": meeting.version}
    writable = meeting.state != State.CANCELLED and not meeting.locked
    reviews = meeting.task_reviews.select_related(
        "task", "task__member", "task__group", "task__meeting"
    ).order_by("task__due_on", "task_id")
    tasks = meeting.tasks.select_related("member", "group").order_by("due_on", "pk")
    return {
        "record_open": writable,
        "can_carry": meeting.state in (State.PLANNED, State.HELD),
        "reviews": list(reviews) if has["reviews"] else [],
        "outcomes": Outcome.choices,
        "tasks": list(tasks) if has["tasks"] else [],
        "speeches": list(meeting.speeches.select_related("member")) if has["speeches"] else [],
        "dues": list(meeting.dues.select_related("member")) if has["dues"] else [],
        "proposals": list(meeting.proposals.select_related("member", "answered_by"))
        if has["proposals"]
        else [],
        "review_form": forms.get("review_form"),
        "confirm_form": forms.get("confirm_form"),
        "answer_form": forms.get("answer_form"),
        "answer_for": forms.get("answer_for"),
        "task_form": forms.get("task_form") or TaskForm(initial=v, people=people, groups=groups),
        "speech_form": forms.get("speech_form") or SpeechForm(initial=v, people=people),
        "dues_form": forms.get("dues_form")
        or DuesForm(initial={**v, "month": f"{meeting.day:%m/%Y}"}, people=people),
        "proposal_form": forms.get("proposal_form") or ProposalForm(initial=v, people=people),
        **_quality_context(request, meeting, forms),
        **_prepare_context(meeting, people, forms, province_id),
    }


def _prepare_context(
    meeting: Meeting, people: list[tuple[int, str]], forms: dict, province_id: int | None
) -> dict:
    from .prepare import _prepare_context as context

    return context(meeting, people, forms, province_id)


def _people_now(meeting: Meeting) -> list[tuple[int, str]]:
    return _people(meeting, list(meeting.roster.select_related("member")))


def _form_hidden(context: dict[str, Any], form_name: str) -> bool:
    """The form is not on the page (the minutes are locked, the meeting not held): its
    refusal is said in a message instead."""
    if form_name in ("answer_form", "confirm_form", "review_form"):
        return False  # their errors are shown at the top of their section
    if form_name == "quality_form":
        return context["meeting"].state != State.HELD or not context["score_rule"]
    return not context["record_open"]


def _section(
    request: HtmxHttpRequest,
    pk: int,
    *,
    section: str,
    form_name: str,
    make_form: Callable[[Meeting], BaseForm],
    save: Callable[[Meeting, BaseForm], Any],
    message: str,
    write: bool = True,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """`_change` for a section of the record: without HTMX the same redirect or 422 page;
    with HTMX the section alone, its status telling saved (200), stale (409), refused (422)."""
    meeting = access.get_meeting_for(request.user, pk, write=write)
    if not write and not access.can_read_meeting_record(request.user, meeting):
        raise PermissionDenied
    form = make_form(meeting)
    status, stale = 200, ""
    if form.is_valid():
        try:
            save(meeting, form)
        except ValidationError as e:
            if meeting_views._is_stale(e):
                status, stale = 409, " ".join(e.messages)
            else:
                status = 422
                apply_validation_error(form, e)
    else:
        status = 422
    forms: dict[str, Any] = {form_name: form, **(extra or {})} if status == 422 else {}
    if not request.htmx:
        if status == 422:
            context = meeting_views._meeting_context(request, meeting, **forms)
            if _form_hidden(context, form_name):
                messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
            return render(request, "meetings/meeting_detail.html", context, status=422)
        if status == 409:
            messages.error(request, stale)
        else:
            messages.success(request, message)
        return redirect("meetings:detail", meeting.pk)
    meeting.refresh_from_db()
    context = meeting_views._meeting_context(request, meeting, **forms)
    context.update(section_stale=stale, section_saved=message if status == 200 else "")
    if status == 422 and _form_hidden(context, form_name):
        context["section_error"] = " ".join(str(e) for e in form.non_field_errors())
    response = HttpResponse(render_to_string(SECTIONS[section], context, request), status=status)
    if status == 200:
        response["X-Meeting-Version"] = str(context["meeting"].version)
    return response


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
            record.tasks_carry_over(meeting=meeting)
        except ValidationError as e:
            error = " ".join(e.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#record-review")
    context = meeting_views._meeting_context(request, meeting)
    context.update(carried=True, section_error=error)
    html = render_to_string(SECTIONS["review"], context, request)
    return HttpResponse(html, status=422 if error else 200)


def _task_of(meeting: Meeting, pk: int) -> Task:
    task = Task.objects.filter(pk=pk, cell_id=meeting.cell_id).first()
    if task is None:
        raise ValidationError({"task": _("This task belongs to another cell.")})
    return task


@require_POST
@login_required
def task_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _section(
        request,
        pk,
        section="review",
        form_name="review_form",
        make_form=lambda m: TaskReviewForm(request.POST),
        save=lambda m, f: record.task_review(
            meeting=m,
            version=f.cleaned_data["version"],
            task=_task_of(m, f.cleaned_data["task"]),
            outcome=f.cleaned_data["outcome"],
            note=f.cleaned_data["note"],
        ),
        message=_("Review of the task saved."),
    )


@require_POST
@login_required
def task_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def make(meeting: Meeting) -> TaskForm:
        return TaskForm(request.POST, people=_people_now(meeting), groups=_groups(meeting))

    return _section(
        request,
        pk,
        section="tasks",
        form_name="task_form",
        make_form=make,
        save=lambda m, f: record.task_create(
            meeting=m,
            version=f.cleaned_data["version"],
            text=f.cleaned_data["text"],
            due_on=f.cleaned_data["due_on"],
            member=f.chosen_member(),  # type: ignore[attr-defined]
            group=f.chosen_group(),  # type: ignore[attr-defined]
        ),
        message=_("Task given."),
    )


@require_POST
@login_required
def speech_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _section(
        request,
        pk,
        section="speeches",
        form_name="speech_form",
        make_form=lambda m: SpeechForm(request.POST, people=_people_now(m)),
        save=lambda m, f: record.speech_add(
            meeting=m,
            version=f.cleaned_data["version"],
            summary=f.cleaned_data["summary"],
            member=f.chosen_member(),  # type: ignore[attr-defined]
            speaker=f.cleaned_data["speaker"],
        ),
        message=_("Speech recorded."),
    )


@require_POST
@login_required
def dues_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _section(
        request,
        pk,
        section="dues",
        form_name="dues_form",
        make_form=lambda m: DuesForm(request.POST, people=_people_now(m)),
        save=lambda m, f: record.dues_record(
            meeting=m,
            version=f.cleaned_data["version"],
            member=f.chosen_member(),  # type: ignore[attr-defined]
            month=f.cleaned_data["month"],
            amount=f.cleaned_data["amount"],
        ),
        message=_("Dues recorded."),
    )


@require_POST
@login_required
def proposal_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _section(
        request,
        pk,
        section="proposals",
        form_name="proposal_form",
        make_form=lambda m: ProposalForm(request.POST, people=_people_now(m)),
        save=lambda m, f: record.proposal_add(
            meeting=m,
            version=f.cleaned_data["version"],
            text=f.cleaned_data["text"],
            addressed_to=f.cleaned_data["addressed_to"],
            member=f.chosen_member(),  # type: ignore[attr-defined]
            source=f.cleaned_data["source"],
        ),
        message=_("Proposal recorded."),
    )


@require_POST
@login_required
def proposal_answer(request: HtmxHttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """Answers are follow-up, not minutes: allowed after adoption (the service says so)."""

    def save(meeting: Meeting, form: BaseForm) -> Proposal:
        proposal = Proposal.objects.filter(pk=proposal_pk, meeting=meeting).first()
        if proposal is None:
            raise Http404
        return record.proposal_answer(
            proposal=proposal, answer=form.cleaned_data["answer"], actor=request.user
        )

    return _section(
        request,
        pk,
        section="proposals",
        form_name="answer_form",
        make_form=lambda m: AnswerForm(request.POST),
        save=save,
        message=_("Answer recorded."),
        extra={"answer_for": proposal_pk},
    )


@require_POST
@login_required
def quality_score(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _section(
        request,
        pk,
        section="quality",
        form_name="quality_form",
        make_form=lambda m: _quality_form(m, _scoring(m), request.POST),
        save=lambda m, f: quality.quality_score_set(
            meeting=m,
            version=f.cleaned_data["version"],
            points=f.points(),  # type: ignore[attr-defined]
            actor=request.user,
        ),
        message=_("Quality score saved."),
    )


@require_POST
@login_required
def quality_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The superior follower confirms: they read the cell's record without writing to it.
    No version: confirming changes no number of the score, and the service refuses twice."""
    return _section(
        request,
        pk,
        section="quality",
        form_name="confirm_form",
        make_form=lambda m: PageForm(request.POST),
        save=lambda m, f: quality.quality_confirm(meeting=m, actor=request.user),
        message=_("Quality score confirmed."),
        write=False,
    )


# A cell's year ---------------------------------------------------------------------------------


def _year_ratings(cell) -> list[dict[str, Any]]:
    """This year's and last year's rating; a year without a rule in force says so."""
    this = timezone.localdate().year
    out = []
    for year in (this, this - 1):
        try:
            out.append({"year": year, "rating": quality.year_rating(cell=cell, year=year)})
        except ValidationError as e:
            out.append({"year": year, "rating": None, "error": " ".join(e.messages)})
    return out
