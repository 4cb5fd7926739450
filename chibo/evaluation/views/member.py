"""The member's side: the self-assessment of the year on the phone (draft, then submitted; the
level a score gives, live under 366-QĐ/TW; then the Word file), and a member's evaluation
history, year by year."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.core.versions import Stale
from chibo.members import access as member_access
from chibo.org import access as org_access

from .. import access, criteria, queries, ratable, services
from ..forms import SelfAssessmentForm
from ..models import Campaign, Level, SelfAssessment
from .reads import current_campaign, self_stage_open

TEMPLATE = "evaluation/self.html"


def _initial(assessment: SelfAssessment | None) -> dict[str, Any]:
    if assessment is None:
        return {"version": 0}  # none saved yet (core.versions)
    data: dict[str, Any] = {f"answer_{k}": v for k, v in (assessment.answers or {}).items()}
    data["version"] = assessment.version
    for name in (
        "general_score",
        "results_score",
        "exceeded_share",
        "strengths",
        "shortcomings",
        "remedies",
        "proposed_level",
    ):
        data[name] = getattr(assessment, name)
    if assessment.tasks_all_done is not None:
        data["tasks_all_done"] = "yes" if assessment.tasks_all_done else "no"
    return data


def _stale(form: SelfAssessmentForm, error: Stale) -> None:
    """Saved elsewhere since this page was read (the member's other device, most often): the
    input kept, the current version taken, so that saving again is a deliberate replacement.
    Not the current values, as core.versions.shown_stale gives them: the texts are long."""
    form.add_error(
        None,
        _(
            "This self-assessment was saved elsewhere (another device or window) since you"
            " opened it, so your changes were not saved. Your input is kept below: save again"
            " to replace what was saved, or open the page again to see it."
        ),
    )
    if error.current is not None:
        data = QueryDict(mutable=True)
        data.update(form.data)
        data["version"] = str(getattr(error.current, "version", ""))
        form.data = data


def _score_level(form: SelfAssessmentForm, r) -> dict[str, Any]:
    """The level the scores typed give (366-QĐ/TW), read from the form's data as typed."""
    data = form.data if form.is_bound else form.initial

    def number(name: str) -> int | None:
        try:
            return int(str(data.get(name, "")).strip())
        except ValueError:
            return None

    general, results = number("general_score"), number("results_score")
    if general is None or results is None:
        return {"score": None, "score_level": None}
    done = data.get("tasks_all_done")
    level = criteria.level_for(
        general + results,
        r,
        tasks_all_done=done is True or done == "yes",
        exceeded_share=number("exceeded_share"),
    )
    return {"score": general + results, "score_level": level}


def _context(
    campaign: Campaign, member, form: SelfAssessmentForm, assessment: SelfAssessment | None
) -> dict[str, Any]:
    r = ratable.year_rules(campaign.year, campaign.unit)
    today = timezone.localdate()
    return {
        "campaign": campaign,
        "member": member,
        "form": form,
        "assessment": assessment,
        "scored": criteria.scored(r),
        "total_points": criteria.total_points(r),
        "thresholds": r.evaluation_thresholds or {},
        "exceeded_needed": r.evaluation_exceeded_share,
        "verdict": ratable.member_verdict(member, campaign.year),
        "open": self_stage_open(campaign, today),
        "overdue": today > campaign.self_due,
        "levels": Level,
        **(_score_level(form, r) if criteria.scored(r) else {}),
    }


def _form(campaign: Campaign, data: Any = None, initial: Any = None) -> SelfAssessmentForm:
    r = ratable.year_rules(campaign.year, campaign.unit)
    items = [(c.key, str(c.title), str(c.guidance)) for c in criteria.criteria(r.evaluation_form)]
    points = r.evaluation_points if criteria.scored(r) else None
    return SelfAssessmentForm(data, criteria=items, points=points, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
def self_assessment(request: HtmxHttpRequest) -> HttpResponse:
    """The member's self-assessment in the campaign of the year that rates them."""
    member = access.require_own_member(request.user)
    today = timezone.localdate()
    campaign = current_campaign(member, today)
    if campaign is None:
        if request.method == "POST":
            messages.error(request, _("No evaluation is open for you."))
        return render(request, TEMPLATE, {"member": member, "campaign": None})
    assessment = SelfAssessment.objects.filter(member=member, year=campaign.year).first()
    if request.method == "GET":
        if request.htmx and request.htmx.target == "score-level":
            form = _form(campaign, data=request.GET)
            return render(
                request, f"{TEMPLATE}#score_level", _context(campaign, member, form, assessment)
            )
        form = _form(campaign, initial=_initial(assessment))
        return render(request, TEMPLATE, _context(campaign, member, form, assessment))
    form = _form(campaign, data=request.POST, initial=_initial(assessment))
    submit = "submit" in request.POST
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.self_assessment_save(
                campaign=campaign,
                member=member,
                answers=form.answers(),
                general_score=data.get("general_score"),
                results_score=data.get("results_score"),
                tasks_all_done=data.get("tasks_all_done"),
                exceeded_share=data.get("exceeded_share"),
                strengths=data["strengths"],
                shortcomings=data["shortcomings"],
                remedies=data["remedies"],
                proposed_level=data["proposed_level"],
                submit=submit,
                version=data.get("version"),
                actor=request.user,
            )
        except Stale as e:
            _stale(form, e)
        except ValidationError as e:
            if hasattr(e, "error_dict") and "answers" in e.error_dict:
                # The answers are one field of the service, a textarea each here.
                errors = e.error_dict.pop("answers")
                form.add_error(None, errors)
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("Your self-assessment is submitted to the cell.")
                if submit
                else _("Draft saved."),
            )
            return redirect("evaluation:me")
    context = _context(campaign, member, form, assessment)
    return render(request, TEMPLATE, context, status=422)


@require_GET
@login_required
def member_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A member's ratings year by year: for the member and for whoever reads their record."""
    member = member_access.get_member_for(request.user, pk)
    rows = queries.history(member)
    readable: set[int] = set()
    if org_access.is_staff_anywhere(request.user):
        readable = set(
            access.campaigns_for(request.user)
            .filter(pk__in=[h.campaign.pk for h in rows])
            .values_list("pk", flat=True)
        )
    context = {
        "member": member,
        "rows": rows,
        "readable": readable,
        "own": request.user.member_id == member.pk,  # type: ignore[union-attr]
    }
    return render(request, "evaluation/history.html", context)
