"""Pages of the development pipeline and of the official review. Each view: access helper,
form, service, render or redirect; a refused step shows the page again with the form's
errors (status 422)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core import export
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest, form_page
from chibo.members.models import Member, Status
from chibo.org import access as org_access
from chibo.org.models import OrgUnit

from . import access, queries, services
from .access import Level
from .exports import candidates_table
from .forms import (
    BoardFilterForm,
    CandidateCreateForm,
    CandidateEditForm,
    CandidateForm,
    CeremonyForm,
    ClassForm,
    DecisionForm,
    DropForm,
    IntroducersForm,
    ReviewDecisionForm,
    ReviewVoteForm,
    VoteForm,
)
from .models import Candidate, OfficialReview, Stage
from .queries import review_deadline

# The board ------------------------------------------------------------------------------------


@require_GET
@login_required
def unit_board(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    today = timezone.localdate()
    cells = OrgUnit.objects.within(unit).cells().order_by("sort_name", "pk")
    form = BoardFilterForm(request.GET, cells=cells)
    cell, everything = None, False
    if form.is_valid():
        cell, everything = form.cleaned_data["cell"], form.cleaned_data["all"]
    writable = org_access.units_for(request.user, write=True).cells()
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "columns": queries.board(unit, today, everything=everything, cell=cell),
        "today": today,
        "can_propose": writable.filter(pk__in=queries.subtree(unit)).exists(),
        "propose_cell": unit if unit.holds_members else cell,
        "recent_days": queries.RECENT_DAYS,
    }
    if request.htmx:
        return render(request, "development/board.html#board", context)
    return render(request, "development/board.html", context)


@require_GET
@login_required
def unit_board_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The board as Excel: the same scope and filter, every candidate."""
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    today = timezone.localdate()
    cells = OrgUnit.objects.within(unit).cells()
    form = BoardFilterForm(request.GET, cells=cells)
    cell, everything = None, False
    if form.is_valid():
        cell, everything = form.cleaned_data["cell"], form.cleaned_data["all"]
    qs = queries.board_candidates(unit, today, everything=everything, cell=cell)
    table = candidates_table(qs, unit=unit, cell=cell, everything=everything, today=today)
    name = export.filename(
        "phat-trien-dang-vien", (cell or unit).code, f"{today:%Y-%m-%d}", ext="xlsx"
    )
    return export.download(export.xlsx(table), name)


# A candidate ----------------------------------------------------------------------------------


def _candidate_url(candidate: Candidate) -> str:
    return reverse("development:candidate", args=[candidate.pk])


@require_http_methods(["GET", "POST"])
@login_required
def candidate_create(request: HttpRequest) -> HttpResponse:
    if request.GET.get("cell"):
        cell = access.get_cell_for_proposal(request.user, request.GET["cell"])
        cells = OrgUnit.objects.filter(pk=cell.pk)
    else:
        cells = org_access.units_for(request.user, write=True).cells().order_by("sort_name", "pk")
        if not cells.exists():
            raise PermissionDenied
    initial = {"cell": cells.first() if cells.count() == 1 else None}
    form = CandidateCreateForm(request.POST or None, cells=cells, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.candidate_create(**data, actor=request.user),
        template="development/candidate_form.html",
        success=_candidate_url,
        message=_("Candidate recorded."),
        context={"candidate": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.get_candidate_for(request.user, pk, Level.CELL)
    initial = {f: getattr(candidate, f) for f in CandidateForm.base_fields}
    initial["version"] = candidate.version
    form = CandidateEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.candidate_update(
            candidate=candidate, **data, actor=request.user
        ),
        template="development/candidate_form.html",
        success=_candidate_url,
        message=_("Changes saved."),
        context={"candidate": candidate},
    )


@dataclass(frozen=True)
class Step:
    title: Any
    form: type[forms.Form]
    level: Level
    save: Callable[[Candidate, dict, HttpRequest], Any]
    message: Any


STEPS: dict[str, Step] = {
    "class": Step(
        gettext_lazy("Party class"),
        ClassForm,
        Level.CELL,
        lambda c, d, r: services.candidate_class_done(candidate=c, **d, actor=r.user),
        gettext_lazy("Party class recorded."),
    ),
    "introducers": Step(
        gettext_lazy("Introducers"),
        IntroducersForm,
        Level.CELL,
        lambda c, d, r: services.candidate_introduce(candidate=c, **d, actor=r.user),
        gettext_lazy("Introducers recorded."),
    ),
    "vote": Step(
        gettext_lazy("The cell's vote"),
        VoteForm,
        Level.CELL,
        lambda c, d, r: services.candidate_vote(candidate=c, **d, actor=r.user),
        gettext_lazy("The cell's vote recorded."),
    ),
    "decision": Step(
        gettext_lazy("Admission decision"),
        DecisionForm,
        Level.ABOVE,
        lambda c, d, r: services.candidate_decide(candidate=c, **d, actor=r.user),
        gettext_lazy("Admission decision recorded: the member record is created."),
    ),
    "ceremony": Step(
        gettext_lazy("Admission ceremony"),
        CeremonyForm,
        Level.ABOVE,
        lambda c, d, r: services.candidate_ceremony(candidate=c, **d, actor=r.user),
        gettext_lazy("Admission ceremony recorded."),
    ),
    "drop": Step(
        gettext_lazy("No longer a candidate"),
        DropForm,
        Level.CELL,
        lambda c, d, r: services.candidate_drop(candidate=c, **d, actor=r.user),
        gettext_lazy("The candidate is marked as no longer a candidate."),
    ),
}
# The step that comes next at each stage; a candidate may be dropped until the decision.
NEXT_STEP = {
    Stage.PROPOSED: "class",
    Stage.CLASS_DONE: "introducers",
    Stage.INTRODUCED: "vote",
    Stage.VOTED: "decision",
    Stage.DECIDED: "ceremony",
}
DROPPABLE = {Stage.PROPOSED, Stage.CLASS_DONE, Stage.INTRODUCED, Stage.VOTED}


def _step_form(request: HttpRequest, candidate: Candidate, step: str, data=None) -> forms.Form:
    form_class = STEPS[step].form
    if form_class is IntroducersForm:
        members = access.introducers_for(request.user, candidate.cell)
        return IntroducersForm(data, members=members, prefix=step)
    return form_class(data, prefix=step)


def _detail_page(
    request: HttpRequest,
    candidate: Candidate,
    bound: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    candidate = queries.annotated(Candidate.objects.filter(pk=candidate.pk)).get()
    stage = Stage(candidate.stage_sql)  # type: ignore[attr-defined]
    levels = {
        level for level in (Level.CELL, Level.ABOVE) if access.can(request.user, candidate, level)
    }
    steps = [s for s in (NEXT_STEP.get(stage), "drop" if stage in DROPPABLE else None) if s]
    if bound and bound[0] not in steps:
        steps.insert(0, bound[0])
    shown = []
    for step in steps:
        if STEPS[step].level not in levels:
            continue
        form = bound[1] if bound and bound[0] == step else _step_form(request, candidate, step)
        shown.append({"name": step, "step": STEPS[step], "form": form})
    waiting_above = NEXT_STEP.get(stage) in ("decision", "ceremony") and Level.ABOVE not in levels
    context = {
        "candidate": candidate,
        "stage": stage,
        "stages": [s for s in Stage if s != Stage.DROPPED],
        "stage_index": list(Stage).index(stage),
        "flag": queries.ceremony_flag(candidate, today),
        "ceremony_due": getattr(candidate, "ceremony_due", None),
        "ceremony_on": candidate.member.ceremony_on if candidate.member else None,
        "steps": shown,
        "can_edit": Level.CELL in levels and not candidate.decision_on,
        "waiting_above": waiting_above,
        "today": today,
        "ancestors": list(candidate.cell.ancestors(include_self=True)),
        "audit": queries.candidate_history(candidate),
    }
    status = 422 if bound else 200
    return render(request, "development/candidate_detail.html", context, status=status)


@require_GET
@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org_access.require_staff(request.user)
    return _detail_page(request, access.get_candidate_for(request.user, pk))


@require_POST
@login_required
def candidate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    candidate = access.get_candidate_for(request.user, pk, spec.level)
    form = _step_form(request, candidate, step, request.POST)
    if form.is_valid():
        try:
            spec.save(candidate, form.cleaned_data, request)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, str(spec.message))
            return redirect(_candidate_url(candidate))
    return _detail_page(request, candidate, (step, form))


# Official review ------------------------------------------------------------------------------


@require_GET
@login_required
def reviews_board(request: HttpRequest, pk: int) -> HttpResponse:
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    today = timezone.localdate()
    ended = list(queries.awaiting_vote(unit, today))
    for m in ended:
        due = getattr(m, "review_due", None)
        m.overdue = due is not None and today > due  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "today": today,
        "window": queries.ENDING_WINDOW_DAYS,
        "ending": list(queries.probation_ending(unit, today)),
        "ended": ended,
        "overdue": len([m for m in ended if m.overdue]),  # type: ignore[attr-defined]
        "deciding": list(queries.awaiting_decision(unit)),
    }
    return render(request, "development/reviews.html", context)


def _review_page(
    request: HttpRequest,
    member: Member,
    vote_form: forms.Form | None = None,
    decision_form: forms.Form | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    status = (
        Member.all_objects.with_status(today).values_list("status", flat=True).get(pk=member.pk)
    )
    reviews = list(member.reviews.select_related("event").order_by("-vote_on", "-pk"))
    open_review = next(
        (
            r
            for r in reviews
            if r.decision_on is None and r.probation_ended_on == member.probation_ends_on
        ),
        None,
    )
    ends = member.probation_ends_on
    can_vote = (
        access.can(request.user, member, Level.CELL)
        and status == Status.PROBATIONARY
        and ends is not None
        and ends <= today
        and open_review is None
    )
    can_decide = open_review is not None and access.can(request.user, member, Level.ABOVE)
    if can_vote and vote_form is None:
        vote_form = ReviewVoteForm(initial={"vote_on": today})
    if can_decide and decision_form is None:
        decision_form = ReviewDecisionForm()
    due = review_deadline(ends) if ends else None
    context = {
        "member": member,
        "status": status,
        "probation_ends_on": ends,
        "review_due": due,
        "overdue": bool(
            due and status == Status.PROBATIONARY and open_review is None and today > due
        ),
        "reviews": reviews,
        "open_review": open_review,
        "vote_form": vote_form if can_vote else None,
        "decision_form": decision_form if can_decide else None,
        "today": today,
    }
    bound = (vote_form is not None and vote_form.is_bound) or (
        decision_form is not None and decision_form.is_bound
    )
    return render(request, "development/review_member.html", context, status=422 if bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def review_member(request: HttpRequest, pk: int) -> HttpResponse:
    org_access.require_staff(request.user)
    if request.method == "GET":
        return _review_page(request, access.get_review_member_for(request.user, pk))
    member = access.get_review_member_for(request.user, pk, Level.CELL)
    form = ReviewVoteForm(request.POST)
    if form.is_valid():
        try:
            services.review_vote(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The cell's vote recorded."))
            return redirect("development:review_member", member.pk)
    return _review_page(request, member, vote_form=form)


@require_POST
@login_required
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review: OfficialReview = access.get_review_for(request.user, pk, Level.ABOVE)
    form = ReviewDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.review_decide(review=review, **form.cleaned_data, actor=request.user)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("development:review_member", review.member_id)
    return _review_page(request, review.member, decision_form=form)
