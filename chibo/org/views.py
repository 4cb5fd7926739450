"""Pages of the organisation tree. Each view: access helper, form, service, render/redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.pages import HtmxHttpRequest, form_page

from . import access, hooks, second_factor, services
from .forms import (
    CountsDateForm,
    SecondFactorRuleForm,
    UnitCreateForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
    VillageEditForm,
    VillageForm,
    unit_initial,
)
from .models import OrgUnit, SecondFactorRule, child_kinds


@require_GET
@login_required
def tree(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    roots = list(access.root_units_for(request.user).order_by("sort_name", "pk"))
    children = (
        OrgUnit.objects.filter(parent__in=roots)
        .annotate(n_children=Count("children", filter=Q(children__deleted_at__isnull=True)))
        .order_by("sort_name", "pk")
    )
    by_parent: dict[int | None, list[OrgUnit]] = {}
    for child in children:
        by_parent.setdefault(child.parent_id, []).append(child)
    today = timezone.localdate()
    summaries = hooks.summaries([*roots, *children], today)
    rows = [(root, by_parent.get(root.pk, [])) for root in roots]
    return render(request, "org/tree.html", {"rows": rows, "summaries": summaries, "today": today})


@require_GET
@login_required
def unit_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The unit, its actions, and the panels and links the apps above contribute
    (chibo.org.hooks); a change of the "counts on" date re-renders the dated panels alone."""
    access.require_staff(request.user)
    unit = access.get_unit_for(request.user, pk)
    date_form = CountsDateForm(request.GET or None)
    on = timezone.localdate()
    if date_form.is_valid() and date_form.cleaned_data["on"]:
        on = date_form.cleaned_data["on"]
    dated: list[str] = []
    undated: list[str] = []
    for panel in hooks.panels():
        if request.htmx and not panel.dated:
            continue
        context = panel.context(request, unit, on)
        if context is not None:
            html = render_to_string(panel.template, {"unit": unit, "on": on, **context}, request)
            (dated if panel.dated else undated).append(html)
    context = {
        "unit": unit,
        "on": on,
        "date_form": date_form,
        "dated_panels": dated,
        "panels": undated,
    }
    if request.htmx:
        return render(request, "org/unit_detail.html#dated", context)
    can_write = access.can_write_unit(request.user, unit)
    context |= {
        "ancestors": list(unit.ancestors()),
        "can_write": can_write,
        "can_restructure": can_write and access.can_restructure(request.user, unit),
        "child_kinds": child_kinds(unit.kind),
        "actions": hooks.links(request, unit, "actions"),
        "pages": hooks.links(request, unit, "pages"),
    }
    return render(request, "org/unit_detail.html", context)


def _to_unit(unit: OrgUnit) -> str:
    return reverse("org:unit", args=[unit.pk])


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: HttpRequest, parent_pk: int | None = None) -> HttpResponse:
    parent = None
    if parent_pk is not None:
        parent = access.get_unit_for(request.user, parent_pk, write=True)
        if not child_kinds(parent.kind):  # nothing may sit under a party group
            raise PermissionDenied
    elif not access.can_create_root(request.user):
        raise PermissionDenied
    return form_page(
        request,
        UnitCreateForm(request.POST or None, parent=parent),
        save=lambda d: services.orgunit_create(actor=request.user, parent=parent, **d),
        template="org/unit_form.html",
        success=_to_unit,
        message=_("Unit created."),
        context={"parent": parent, "unit": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk, write=True)
    # Dissolving a unit is a change of the tree: for those who may restructure it.
    dissolve = access.can_restructure(request.user, unit)
    form = UnitEditForm(
        request.POST or None, initial=unit_initial(unit), kind=unit.kind, dissolve=dissolve
    )
    # Fields the form leaves out (by kind, or dissolving) keep their values (the service).
    return form_page(
        request,
        form,
        save=lambda d: services.orgunit_update(actor=request.user, unit=unit, **d),
        template="org/unit_form.html",
        success=_to_unit,
        message=_("Changes saved."),
        context={"unit": unit, "parent": unit.parent},
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_to_restructure(request.user, pk)
    form = UnitMoveForm(request.POST or None, scope=access.units_for(request.user, write=True))
    return form_page(
        request,
        form,
        save=lambda d: services.orgunit_move(
            actor=request.user, unit=unit, new_parent=d["new_parent"], on=d["on"]
        ),
        template="org/unit_action.html",
        success=_to_unit,
        message=_("Unit moved. Reports before that date still count it where it was."),
        context={"unit": unit, "action": "move"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_to_restructure(request.user, pk)
    form = UnitMergeForm(request.POST or None, scope=access.units_for(request.user, write=True))
    return form_page(
        request,
        form,
        save=lambda d: services.orgunit_merge(
            source=unit, target=d["target"], on=d["on"], actor=request.user
        ),
        template="org/unit_action.html",
        success=_to_unit,
        message=_("Units merged."),
        context={"unit": unit, "action": "merge"},
    )


@require_POST
@login_required
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_to_restructure(request.user, pk)
    try:
        services.orgunit_delete(unit=unit, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("org:unit", unit.pk)
    messages.success(request, _("Unit deleted. An office can restore it from the trash."))
    return redirect("org:unit", unit.parent_id) if unit.parent_id else redirect("org:tree")


@require_http_methods(["GET", "POST"])
@login_required
def village_create(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = access.get_unit_for(request.user, cell_pk, write=True)
    return form_page(
        request,
        VillageForm(request.POST or None),
        save=lambda d: services.village_create(actor=request.user, cell=cell, **d),
        template="org/village_form.html",
        success=lambda v: _to_unit(v.cell),
        message=_("Village added."),
        context={"unit": cell, "village": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def village_edit(request: HttpRequest, pk: int) -> HttpResponse:
    village = access.get_village_for(request.user, pk, write=True)
    initial = {"name": village.name, "kind": village.kind, "version": village.version}
    form = VillageEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda d: services.village_update(actor=request.user, village=village, **d),
        template="org/village_form.html",
        success=lambda v: _to_unit(v.cell),
        message=_("Changes saved."),
        context={"unit": village.cell, "village": village},
    )


@require_POST
@login_required
def village_delete(request: HttpRequest, pk: int) -> HttpResponse:
    village = access.get_village_for(request.user, pk, write=True)
    services.village_delete(village=village, actor=request.user)
    messages.success(request, _("Village deleted. An office can restore it from the trash."))
    return redirect("org:unit", village.cell_id)


@require_http_methods(["GET", "POST"])
@login_required
def second_factor_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether the offices of the unit and below must use two-step login; for the offices
    over the unit (org.second_factor.may_set_rule)."""
    unit = access.get_unit_for(request.user, pk)
    if not second_factor.may_set_rule(request.user, unit):
        raise PermissionDenied
    own = SecondFactorRule.objects.filter(unit=unit).exists()
    above = second_factor.rule_above(unit)
    return form_page(
        request,
        # An unticked box sends no field: a POST with nothing in it is still a POST.
        SecondFactorRuleForm(
            request.POST if request.method == "POST" else None, initial={"required": own}
        ),
        save=lambda d: second_factor.second_factor_rule_set(
            actor=request.user, unit=unit, required=d["required"]
        ),
        template="org/second_factor_rule.html",
        success=lambda _result: reverse("org:second_factor_rule", args=[unit.pk]),
        message=_("Changes saved."),
        context={
            "unit": unit,
            "own": own,
            "above": above if above is not None and above.pk != unit.pk else None,
            "missing": second_factor.offices_without(unit),
        },
    )
