"""Badge pages: a unit's list for an occasion (and the decision recorded from it), its Excel
export, the unit's award history, and the special occasions."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo import rules
from chibo.core import formats
from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from . import access, excel, queries, services
from .forms import AwardFilterForm, AwardForm, OccasionForm, OccasionPickForm
from .queries import award_totals, awards_under, counts_by_child
from .queries.occasions import Occasion

AWARDS_PER_PAGE = 100
# Above this many members the page shows the list's figures by unit below (a province's list
# has thousands of names: the Excel file holds them, each base committee's page lists its own).
ROWS_SHOWN = 500


def _occasion(request: HttpRequest, unit: OrgUnit) -> tuple[OccasionPickForm, Occasion | None]:
    """The occasion asked for (?occasion=dd/mm/yyyy), or the next one from today on."""
    province = rules.province_of(unit, timezone.localdate())
    form = OccasionPickForm(request.GET)
    if not form.is_valid():
        return form, None
    day = form.cleaned_data["occasion"]
    if day is None:
        return form, queries.next_occasion(timezone.localdate() - dt.timedelta(days=1), province)
    occasion = queries.occasion_on(day, province)
    if occasion is None:
        form.add_error(
            "occasion", _("%(date)s is not a badge award occasion.") % {"date": formats.date(day)}
        )
    return form, occasion


def _choices(unit: OrgUnit, occasion: Occasion | None) -> list[Occasion]:
    """Occasions to pick from: last year's to next year's, and the one shown."""
    province = rules.province_of(unit, timezone.localdate())
    year = timezone.localdate().year
    found = {o.date: o for y in range(year - 1, year + 2) for o in queries.occasions(y, province)}
    if occasion is not None:
        found[occasion.date] = occasion
    return [found[d] for d in sorted(found)]


def _list_page(
    request: HtmxHttpRequest,
    unit: OrgUnit,
    *,
    form: OccasionPickForm,
    occasion: Occasion | None,
    award_form: AwardForm | None = None,
    status: int = 200,
) -> HttpResponse:
    listing = None
    children = None
    if occasion is not None:
        listing = queries.due_list(unit, occasion.date)
        if len(listing.rows) > ROWS_SHOWN:
            children = counts_by_child(listing)
        elif award_form is None:
            award_form = AwardForm(initial={"occasion": occasion.date}, listing=listing)
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "occasion": occasion,
        "choices": _choices(unit, occasion),
        "listing": listing,
        "children": children,
        "can_write": access.can_record_awards(request.user, unit) and children is None,
        "award_form": award_form,
        "chosen": set(award_form["awards"].value() or []) if award_form is not None else set(),
    }
    template = "badges/unit.html#results" if request.htmx else "badges/unit.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def unit_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    form, occasion = _occasion(request, unit)
    return _list_page(request, unit, form=form, occasion=occasion)


@require_POST
@login_required
def unit_award(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk, write=True)
    try:
        day = AwardForm.base_fields["occasion"].clean(request.POST.get("occasion", ""))
    except ValidationError:
        day = None
    occasion = (
        queries.occasion_on(day, rules.province_of(unit, timezone.localdate())) if day else None
    )
    listing = queries.due_list(unit, occasion.date) if occasion is not None else None
    form = AwardForm(request.POST, listing=listing)
    if occasion is None:
        form.add_error(None, _("Choose a badge award occasion."))
    if form.is_valid():
        chosen = form.chosen()
        members = Member.all_objects.in_bulk([member_id for member_id, _y in chosen])
        try:
            made = services.award_record(
                unit=unit,
                occasion=form.cleaned_data["occasion"],
                awards=[(members[m], y) for m, y in chosen],
                decision_number=form.cleaned_data["decision_number"],
                decision_on=form.cleaned_data["decision_on"],
                actor=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            n = len(made)
            messages.success(
                request,
                ngettext("%(n)s badge recorded.", "%(n)s badges recorded.", n)
                % {"n": formats.number(n)},
            )
            day_text = formats.date(form.cleaned_data["occasion"])
            return redirect(f"{reverse('badges:unit', args=[unit.pk])}?occasion={day_text}")
    return _list_page(
        request, unit, form=OccasionPickForm(), occasion=occasion, award_form=form, status=422
    )


@require_GET
@login_required
def unit_export(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    form, occasion = _occasion(request, unit)
    if occasion is None:
        reasons = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(reasons) or _("Choose a badge award occasion."))
        return redirect("badges:unit", unit.pk)
    listing = queries.due_list(unit, occasion.date)
    response = HttpResponse(excel.due_workbook(listing, occasion), content_type=excel.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{excel.filename(unit, occasion)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def unit_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The awards recorded in the unit, filtered by year and occasion, with their totals by
    occasion and by badge."""
    unit = access.get_unit_for(request.user, pk)
    awards = awards_under(unit, access.awards_for(request.user))
    days = list(awards.order_by().values_list("occasion_date", flat=True).distinct())
    form = AwardFilterForm(request.GET, days=days)
    if form.is_valid():
        if form.cleaned_data["year"]:
            awards = awards.filter(occasion_date__year=form.cleaned_data["year"])
        if form.cleaned_data["occasion"]:
            awards = awards.filter(occasion_date=form.cleaned_data["occasion"])
    else:
        awards = awards.none()
    rows = awards.select_related("member", "recorded_by").order_by(
        "-occasion_date", "years", "member__search_name", "pk"
    )
    page = Paginator(rows, AWARDS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "page": page,
        "form": form,
        "totals": award_totals(awards),
    }
    template = "badges/history.html#results" if request.htmx else "badges/history.html"
    return render(request, template, context, status=200 if form.is_valid() else 422)


# Special occasions ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def occasion_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    user = request.user
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1930), 2100)
    writer = access.may_add_occasions(user)
    provinces = access.provinces_written(user)
    form = OccasionForm(provinces=provinces, nationwide=user.is_superuser)
    status = 200
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        form = OccasionForm(request.POST, provinces=provinces, nationwide=user.is_superuser)
        if form.is_valid():
            try:
                occasion = services.occasion_create(
                    date=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    province=form.cleaned_data["province"],
                    actor=user,
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("Occasion added."))
                return redirect(f"{reverse('badges:occasions')}?year={occasion.date.year}")
        status = 422
    specials = list(access.occasions_for(user).filter(date__year=year).select_related("province"))
    for o in specials:
        o.can_delete = access.can_add_occasion(user, o.province)  # type: ignore[attr-defined]
    return render(
        request,
        "badges/occasions.html",
        {
            "year": year,
            "regular": [o for o in queries.occasions(year) if not o.special],
            "specials": specials,
            "form": form,
            "can_add": writer,
        },
        status=status,
    )


@require_POST
@login_required
def occasion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    occasion = access.get_occasion_for(request.user, pk, write=True)
    try:
        services.occasion_delete(occasion=occasion, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Occasion deleted."))
    return redirect(f"{reverse('badges:occasions')}?year={occasion.date.year}")
