"""The year panel of the dashboard (`panel_context`, rendered by
templates/reports/snapshots/panel.html) and its two actions: close a year, re-open it. Both
go back to the dashboard of the year; a refused one shows its form again with the reasons
(status 422).

The dashboard puts the panel in its context and includes it::

    context["snapshot_panel"] = panel_context(request, unit, period, current_figures)
    {% if snapshot_panel %}
      {% include "reports/snapshots/panel.html" with panel=snapshot_panel %}
    {% endif %}
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chibo.core import formats
from chibo.core.forms import apply_validation_error
from chibo.core.reporting import Figures, Period
from chibo.org.models import OrgUnit

from .. import access
from ..queries import figures
from . import queries, services
from .forms import CloseForm, ReopenForm


def dashboard_url(unit: OrgUnit, year: int) -> str:
    return f"{reverse('reports:dashboard', args=[unit.pk])}?period={year}"


def panel_context(
    request: HttpRequest,
    unit: OrgUnit,
    period: Period,
    current_figures: dict[str, Figures],
    *,
    close_form: CloseForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> dict[str, Any] | None:
    """What the year panel shows for the unit and a whole year (None for any other period):
    open, closed (when, by whom, for which subtree) or re-opened (by whom, why); the close
    button for an office once the year is over; the re-open form where the year was closed;
    and, while closed, the figures recomputed today that differ from the frozen ones."""
    if period.kind != "year":
        return None
    year = period.start.year
    snapshot = queries.latest_of(unit, year)
    closed = snapshot is not None and snapshot.is_closed
    office = access.can_close_year(request.user, unit)
    ended = year < timezone.localdate().year
    here = closed and snapshot is not None and snapshot.closed_for_id == unit.pk
    return {
        "unit": unit,
        "year": year,
        "state": "closed" if closed else ("reopened" if snapshot is not None else "open"),
        "snapshot": snapshot,
        "closed_here": here,
        "ended": ended,
        "can_close": office and ended and not closed,
        "can_reopen": office and here,
        "close_url": reverse("reports:snapshot_close", args=[unit.pk, year]),
        "reopen_url": reverse("reports:snapshot_reopen", args=[unit.pk, year]),
        "closed_for_url": (
            dashboard_url(snapshot.closed_for, year)
            if closed and snapshot is not None and not here
            else ""
        ),
        "close_form": close_form or CloseForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "differences": (
            queries.compare(snapshot, current_figures) if closed and snapshot is not None else []
        ),
    }


def _refused(request: HttpRequest, unit: OrgUnit, year: int, **forms: Any) -> HttpResponse:
    """The panel alone on a page, with the refused form and its reasons (422)."""
    period = Period.year(year)
    current = figures([unit.pk], period)[unit.pk]
    panel = panel_context(request, unit, period, current, **forms)
    assert panel is not None
    # The reasons are shown above the panel when the panel does not show the form itself
    # (a year not ended has no close button).
    shown = panel["can_close"] if "close_form" in forms else panel["can_reopen"]
    context = {
        "unit": unit,
        "year": year,
        "snapshot_panel": panel,
        "refused": None if shown else next(iter(forms.values())),
        "back": dashboard_url(unit, year),
    }
    return render(request, "reports/snapshots/refused.html", context, status=422)


def _year(year: int) -> int:
    # A year outside what a Period holds is refused by the service with its message; only
    # the page shown with it needs a real one.
    return min(max(year, 1930), 9998)


@require_POST
@login_required
def close(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = access.get_unit_for_report(request.user, pk)
    access.require_can_close_year(request.user, unit)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            frozen = services.year_close(unit=unit, year=year, actor=request.user)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            text = ngettext(
                "Year %(year)s closed: the figures of %(n)s unit are frozen.",
                "Year %(year)s closed: the figures of %(n)s units are frozen.",
                frozen,
            ) % {"year": year, "n": formats.number(frozen)}
            if kept := queries.kept_by_others(unit, year):
                text += " " + ngettext(
                    "%(n)s unit already closed by its own office kept its figures.",
                    "%(n)s units already closed by their own office kept their figures.",
                    kept,
                ) % {"n": formats.number(kept)}
            messages.success(request, text)
            return redirect(dashboard_url(unit, year))
    return _refused(request, unit, _year(year), close_form=form)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = access.get_unit_for_report(request.user, pk)
    access.require_can_close_year(request.user, unit)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.year_reopen(
                unit=unit, year=year, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Year %(year)s re-opened.") % {"year": year})
            return redirect(dashboard_url(unit, year))
    return _refused(request, unit, _year(year), reopen_form=form)
