"""The campaign board: who is at which stage, by cell; the cell's proposals (one form for the
cell, a row per member, phone-sized) and the committee's decisions (one form per cell, a select
per row); the party organisations' ratings; the checks, live; the overrides; publication.

An HTMX post gets back the group it changed, with the counts and the checks swapped in out of
band, so that the board stays true after each change without a reload."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.core import formats
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.core.versions import Stale

from .. import access, criteria, ratable, services
from ..forms import DecisionForm, OverrideForm, ProposalForm
from ..models import Campaign, Evaluation
from .reads import Board, Group, board

TEMPLATE = "evaluation/board.html"


def _forms(b: Board, today: Any) -> None:
    """The forms of each group the reader may write, starting from what is recorded (none
    once published: the ratings no longer change)."""
    if b.campaign.published:
        return
    for group in b.cells:
        rows = group.rated()
        if group.can_propose:
            own = [group.unit_row.row] if group.unit_row and not group.unit_row.not_rated else []
            voted = next((r for r in rows if r.proposed_voters), None)
            group.forms["propose"] = ProposalForm(
                rows=[*rows, *own],
                prefix=f"p{group.unit.pk}",
                initial={
                    "on": voted.proposed_on if voted else today,
                    "voters": voted.proposed_voters if voted else None,
                },
            )
        if group.can_decide and group.to_decide():
            decided = next((r for r in rows if r.decided_on), None)
            group.forms["decide"] = DecisionForm(
                rows=group.to_decide(),
                prefix=f"d{group.unit.pk}",
                scored=b.scored,
                initial={"on": decided.decided_on if decided else today},
            )
    for group in b.units:
        rows = group.to_decide()
        if group.can_decide and rows:
            decided = next((r for r in rows if r.decided_on), None)
            group.forms["units"] = DecisionForm(
                rows=rows,
                prefix=f"u{group.unit.pk}",
                initial={"on": decided.decided_on if decided else today},
            )


def _context(
    request: HtmxHttpRequest,
    campaign: Campaign,
    *,
    refused: tuple[str, int, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The board for this reader, with its forms; `refused`: (kind, unit id, form) a form
    to show again with its errors in place of a fresh one."""
    b = board(campaign, request.user)
    today = timezone.localdate()
    _forms(b, today)
    if refused is not None:
        kind, unit_pk, form = refused
        for group in b.units if kind == "units" else b.cells:
            if group.unit.pk == unit_pk:
                group.forms[kind] = form
    return {
        "campaign": campaign,
        "unit": campaign.unit,
        "ancestors": list(campaign.unit.ancestors()),
        "board": b,
        "today": today,
        "override_form": None,
        **extra,
    }


@require_GET
@login_required
def campaign_board(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request.user, pk)
    context = _context(request, campaign)
    if request.htmx and request.htmx.target == "checks":
        return render(request, f"{TEMPLATE}#checks", context)
    return render(request, TEMPLATE, context)


def _group(b: Board, kind: str, unit_pk: int) -> Group:
    groups = b.units if kind == "units" else b.cells
    for group in groups:
        if group.unit.pk == unit_pk:
            return group
    raise Http404


def _answer(
    request: HtmxHttpRequest,
    campaign: Campaign,
    *,
    kind: str,
    unit_pk: int,
    message: str = "",
    form: Any = None,
) -> HttpResponse:
    """After a group's post: the group again (HTMX, with the counts and checks swapped out of
    band), or back to the board. A refused form is shown again with status 422."""
    refused = (kind, unit_pk, form) if form is not None else None
    status = 422 if form is not None else 200
    if request.htmx:
        context = _context(request, campaign, refused=refused, saved=message, oob=True)
        b: Board = context["board"]
        context["group"] = _group(b, kind, unit_pk)
        partial = "unit_group" if kind == "units" else "cell_group"
        return render(request, f"{TEMPLATE}#{partial}", context, status=status)
    if form is not None:
        return render(request, TEMPLATE, _context(request, campaign, refused=refused), status=422)
    messages.success(request, message)
    anchor = "units" if kind == "units" else "cell"
    return redirect(f"{reverse('evaluation:campaign', args=[campaign.pk])}#{anchor}-{unit_pk}")


# Where a service's error on one row goes in a form of rows: its own fields, or the fields
# the whole form shares (the date, the members voting).
SHARED = {"on", "voters"}


def _row_error(form: Any, row_id: int, error: ValidationError) -> None:
    if isinstance(error, Stale):
        form.stale(row_id, error.current)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(f"level_{row_id}", error)
        return
    for name, errors in error.error_dict.items():
        if name in SHARED:
            if not form.has_error(name):
                form.add_error(name, errors)
        elif f"{name}_{row_id}" in form.fields:
            form.add_error(f"{name}_{row_id}", errors)
        else:
            form.add_error(f"level_{row_id}", errors)


def _changed(values: list[tuple[Evaluation, dict[str, Any]]], same) -> list:
    return [(e, v) for e, v in values if v.get("level") and not same(e, v)]


def _proposed(n: int) -> str:
    if not n:
        return _("Nothing changed.")
    return ngettext("%(n)s proposal recorded.", "%(n)s proposals recorded.", n) % {
        "n": formats.number(n)
    }


def _decided(n: int) -> str:
    if not n:
        return _("Nothing changed.")
    return ngettext("%(n)s decision recorded.", "%(n)s decisions recorded.", n) % {
        "n": formats.number(n)
    }


@require_POST
@login_required
def cell_propose(request: HtmxHttpRequest, pk: int, cell_pk: int) -> HttpResponse:
    """The cell's proposal for its members (and for the cell itself), voted at its meeting:
    the whole cell or nothing, one refused row leaves every row as it was."""
    campaign = access.get_campaign_for(request.user, pk)
    if not access.evaluations_for(request.user, campaign).filter(cell_id=cell_pk).exists():
        raise Http404
    writable = access.proposals_for(request.user).filter(campaign=campaign, not_rated="")
    rows = list(
        writable.filter(cell_id=cell_pk, member__isnull=False)
        .select_related("member", "campaign")
        .order_by("cell__sort_name", "member__search_name", "pk")
    )
    if not rows:
        raise PermissionDenied
    own = list(writable.filter(unit_id=cell_pk).select_related("unit", "campaign"))
    form = ProposalForm(request.POST, rows=[*rows, *own], prefix=f"p{cell_pk}")
    if not form.is_valid():
        return _answer(request, campaign, kind="propose", unit_pk=cell_pk, form=form)
    on, voters = form.cleaned_data["on"], form.cleaned_data["voters"]

    def same(e: Evaluation, v: dict[str, Any]) -> bool:
        recorded = (e.proposed_level, e.proposed_votes, e.proposed_voters, e.proposed_on)
        return recorded == (v["level"], v["votes"], voters, on)

    changed = _changed(form.row_values(), same)
    try:
        with transaction.atomic():
            for evaluation, values in changed:
                try:
                    services.evaluation_propose(
                        evaluation=evaluation,
                        level=values["level"],
                        votes=values["votes"],
                        voters=voters,
                        on=on,
                        version=values["version"],
                        actor=request.user,
                    )
                except ValidationError as e:
                    _row_error(form, evaluation.pk, e)
            if form.errors:
                raise ValidationError("refused")  # undo the rows written before
    except ValidationError:
        return _answer(request, campaign, kind="propose", unit_pk=cell_pk, form=form)
    message = _proposed(len(changed))
    return _answer(request, campaign, kind="propose", unit_pk=cell_pk, message=message)


def _decide(
    request: HtmxHttpRequest, campaign: Campaign, rows: list[Evaluation], kind: str, unit_pk: int
) -> HttpResponse:
    """Record the decisions of a form of rows (one cell's members, or one parent's units)."""
    scored = kind == "decide" and criteria.scored(ratable.year_rules(campaign.year, campaign.unit))
    prefix = {"decide": "d", "units": "u"}[kind]
    form = DecisionForm(request.POST, rows=rows, prefix=f"{prefix}{unit_pk}", scored=scored)
    if not form.is_valid():
        return _answer(request, campaign, kind=kind, unit_pk=unit_pk, form=form)
    on = form.cleaned_data["on"]

    def score(e: Evaluation, v: dict[str, Any]) -> int | None:
        return v.get("score") if scored else e.score

    def same(e: Evaluation, v: dict[str, Any]) -> bool:
        return (e.level, e.score, e.decided_on) == (v["level"], score(e, v), on)

    changed = _changed(form.row_values(), same)
    try:
        with transaction.atomic():
            for evaluation, values in changed:
                try:
                    services.evaluation_decide(
                        evaluation=evaluation,
                        level=values["level"],
                        score=score(evaluation, values),
                        on=on,
                        version=values["version"],
                        actor=request.user,
                    )
                except ValidationError as e:
                    _row_error(form, evaluation.pk, e)
            if form.errors:
                raise ValidationError("refused")  # undo the rows written before
    except ValidationError:
        return _answer(request, campaign, kind=kind, unit_pk=unit_pk, form=form)
    message = _decided(len(changed))
    return _answer(request, campaign, kind=kind, unit_pk=unit_pk, message=message)


@require_POST
@login_required
def cell_decide(request: HtmxHttpRequest, pk: int, cell_pk: int) -> HttpResponse:
    """The committee's decision for the members of one cell."""
    campaign = access.get_campaign_for(request.user, pk)
    readable = access.evaluations_for(request.user, campaign).filter(
        cell_id=cell_pk, member__isnull=False
    )
    if not readable.exists():
        raise Http404
    if not access.can_manage(request.user, campaign):
        raise PermissionDenied
    rows = list(
        readable.filter(not_rated="")
        .exclude(proposed_level="", level="")
        .select_related("member", "campaign")
        .order_by("member__search_name", "pk")
    )
    return _decide(request, campaign, rows, "decide", cell_pk)


@require_POST
@login_required
def units_decide(request: HtmxHttpRequest, pk: int, parent_pk: int) -> HttpResponse:
    """The committee's decision for the party organisations one parent rates."""
    campaign = access.get_campaign_for(request.user, pk)
    parents = ratable.rating_parents(campaign.unit, campaign.year)
    rated = [unit for unit, parent in parents.items() if parent == parent_pk]
    readable = access.evaluations_for(request.user, campaign).filter(unit_id__in=rated)
    if not readable.exists():
        raise Http404
    if not access.can_manage(request.user, campaign):
        raise PermissionDenied
    rows = list(
        readable.filter(not_rated="")
        .exclude(proposed_level="", level="")
        .select_related("unit", "campaign")
        .order_by("unit__sort_name", "pk")
    )
    return _decide(request, campaign, rows, "units", parent_pk)


@require_POST
@login_required
def override(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Go ahead despite a refusing check: the reason and who decided, on record."""
    campaign = access.get_campaign_for(request.user, pk, write=True)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_record(
                campaign=campaign,
                check_key=form.cleaned_data["check_key"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
    if form.errors:
        context = _context(request, campaign, override_form=form)
        template = f"{TEMPLATE}#checks" if request.htmx else TEMPLATE
        return render(request, template, context, status=422)
    if request.htmx:
        context = _context(request, campaign, saved=_("Override recorded."))
        return render(request, f"{TEMPLATE}#checks", context)
    messages.success(request, _("Override recorded."))
    return redirect(f"{reverse('evaluation:campaign', args=[campaign.pk])}#checks")


@require_POST
@login_required
def publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request.user, pk, write=True)
    try:
        services.campaign_publish(campaign=campaign, actor=request.user)
    except ValidationError as e:
        messages.error(request, _("Not published:") + " " + " ".join(e.messages))
    else:
        messages.success(
            request, _("The ratings of %(year)s are published.") % {"year": campaign.year}
        )
    return redirect("evaluation:campaign", campaign.pk)


@require_POST
@login_required
def refresh(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """List again who is rated (members who joined or left the subtree, a verdict changed)."""
    campaign = access.get_campaign_for(request.user, pk, write=True)
    try:
        services.campaign_refresh(campaign=campaign, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The list of members and units is up to date."))
    return redirect("evaluation:campaign", campaign.pk)
