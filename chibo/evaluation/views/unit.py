"""A unit's evaluation page: the campaigns that rate it, year by year, and for an office of a
base committee or above the form that opens the year's campaign (with the regulation that
will apply)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.org import access as org_access
from chibo.org.models import Ancestry, OrgUnit

from .. import access, ratable, services
from ..forms import YEAR_MAX, YEAR_MIN, CampaignOpenForm
from ..models import Campaign


def _campaigns(user, unit: OrgUnit) -> list[tuple[int, list[Campaign]]]:
    """The campaigns of the unit and of the units above it (those that rate it), readable by
    the user, by year, newest first."""
    above = Ancestry.objects.valid().filter(descendant=unit).values("ancestor_id")
    found = (
        access.campaigns_for(user)
        .filter(unit_id__in=above)
        .select_related("unit")
        .order_by("-year", "unit__sort_name", "pk")
    )
    years: dict[int, list[Campaign]] = {}
    for campaign in found:
        years.setdefault(campaign.year, []).append(campaign)
    return list(years.items())


def _year_asked(request: HtmxHttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default
    return year if YEAR_MIN <= year <= YEAR_MAX else default


def _page(
    request: HtmxHttpRequest, unit: OrgUnit, form: CampaignOpenForm | None, status: int = 200
) -> HttpResponse:
    can_open = access.can_open(request.user, unit)
    if can_open and form is None:
        form = CampaignOpenForm(initial=CampaignOpenForm.initial_for(timezone.localdate()))
    year = None
    if form is not None:
        year = _year_asked(request, form.initial.get("year") or timezone.localdate().year)
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "years": _campaigns(request.user, unit),
        "can_open": can_open,
        "form": form,
        "year": year,
        "regulation": ratable.regulation(year, unit) if year else "",
        "opened": year is not None and Campaign.objects.filter(unit=unit, year=year).exists(),
    }
    if request.htmx and request.htmx.target == "regulation":
        return render(request, "evaluation/unit.html#regulation", context)
    return render(request, "evaluation/unit.html", context, status=status)


@require_GET
@login_required
def unit_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    return _page(request, unit, None)


@require_POST
@login_required
def campaign_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    if not access.can_open(request.user, unit):
        raise PermissionDenied
    form = CampaignOpenForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_open(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("The evaluation of %(year)s is open: %(regulation)s.")
                % {"year": campaign.year, "regulation": campaign.regulation},
            )
            return redirect("evaluation:campaign", campaign.pk)
    return _page(request, unit, form, status=422)
