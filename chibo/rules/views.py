"""The rules pages: the rules in force on a day (and the regulation behind each value), the
versions, a new version, and the working-day calendar with the days an office adds."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.formats import parse_date
from chibo.core.forms import apply_validation_error
from chibo.org.models import Kind, OrgUnit

from . import calendar, services
from .access import can_add_days, provinces_for_rules, require_staff
from .catalogue import ENTRIES, display, groups, to_text, with_unit
from .forms import DayChangeForm, VersionForm
from .models import DayChange, RuleVersion
from .queries import sources


def _day(request: HttpRequest, name: str = "on") -> dt.date:
    text = request.GET.get(name, "").strip()
    if not text:
        return timezone.localdate()
    try:
        return parse_date(text)
    except ValueError:
        raise Http404 from None


def _in_force(on: dt.date, province: OrgUnit | None) -> list[tuple[object, list[dict]]]:
    """Each rule's value on `on` with the version that set it, grouped as the catalogue."""
    by_rule = sources(on, province.pk if province else None)
    versions = RuleVersion.objects.in_bulk(set(by_rule.values()))
    out: list[tuple[object, list[dict]]] = []
    for title, entries in groups():
        rows = []
        for e in entries:
            version = versions.get(by_rule.get(e.name, 0))
            stored = version.values.get(e.name) if version else None
            rows.append(
                {
                    "entry": e,
                    "value": display(e, stored),
                    "text": with_unit(e, stored),
                    "version": version,
                    "set": stored,
                }
            )
        out.append((title, rows))
    return out


@require_GET
@login_required
def rules_index(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    on = _day(request)
    province = None
    if request.GET.get("province"):
        if not request.GET["province"].isdigit():
            raise Http404
        province = get_object_or_404(
            OrgUnit, pk=request.GET["province"], kind=Kind.PROVINCE, deleted_at__isnull=True
        )
    versions = [
        {
            "version": v,
            "values": [
                (ENTRIES[k].label, with_unit(ENTRIES[k], val))
                for k, val in v.values.items()
                if k in ENTRIES
            ],
        }
        for v in RuleVersion.objects.select_related("province").order_by("-effective_from", "-pk")
    ]
    return render(
        request,
        "rules/index.html",
        {
            "on": on,
            "province": province,
            "provinces": OrgUnit.objects.filter(kind=Kind.PROVINCE, deleted_at__isnull=True),
            "groups": _in_force(on, province),
            "versions": versions,
            "can_add": provinces_for_rules(request.user) is not None,
            "can_add_days": can_add_days(request.user),
        },
    )


@login_required
def version_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    provinces = provinces_for_rules(request.user)
    if provinces is None:
        raise PermissionDenied
    today = timezone.localdate()
    current = {
        name: to_text(ENTRIES[name], RuleVersion.objects.get(pk=pk).values[name])
        for name, pk in sources(today).items()
        if name in ENTRIES
    }
    form = VersionForm(initial={"effective_from": today}, provinces=provinces, current=current)
    status = 200
    if request.method == "POST":
        form = VersionForm(request.POST, provinces=provinces, current=current)
        if form.is_valid():
            pk = form.cleaned_data["province"]
            try:
                services.version_add(
                    actor=request.user,
                    effective_from=form.cleaned_data["effective_from"],
                    source=form.cleaned_data["source"],
                    province=provinces.get(pk=pk) if pk else None,
                    values=form.cleaned_data["values"],
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("The new version is recorded."))
                return redirect("rules:index")
        status = 422
    return render(request, "rules/version_form.html", {"form": form}, status=status)


@login_required
def working_days(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not calendar.FIRST.year <= year <= calendar.LAST.year:
        raise Http404
    writer = can_add_days(request.user)
    form = DayChangeForm()
    status = 200
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        form = DayChangeForm(request.POST)
        if form.is_valid():
            try:
                change = services.day_change_add(actor=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("The day is recorded."))
                return redirect(f"{request.path}?year={change.date.year}")
        status = 422
    changes = {c.date: c for c in DayChange.objects.filter(date__year=year)}
    days = calendar.days_off(year)
    return render(
        request,
        "rules/working_days.html",
        {
            "year": year,
            "days": days,
            "changes": changes,
            "working_count": calendar.working_days_between(
                dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
            ),
            "can_add": writer,
            "form": form,
        },
        status=status,
    )


@require_POST
@login_required
def day_change_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    change = get_object_or_404(DayChange, pk=pk)
    if not can_add_days(request.user):
        raise PermissionDenied
    services.day_change_delete(actor=request.user, change=change)
    messages.success(request, _("The day is removed; the calendar is counted again."))
    return redirect(f"{_url('rules:days')}?year={change.date.year}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
