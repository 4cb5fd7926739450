"""A unit's dues: the month's figures of each cell below it, the members in arrears and the
members without a basis; and the payment statement's upload (preview, then record)."""

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core import formats
from chibo.core.forms import apply_validation_error
from chibo.org.models import CELL_KINDS, OrgUnit
from chibo.org.queries import name_cells

from .. import access, months, queries, services
from ..forms import MonthPickForm, StatementForm
from ..statement import StatementPlan, statement_plan

ROWS_SHOWN = 200  # a province's lists: the first rows here, all of them in the API


@require_GET
@login_required
def unit_dues(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    form = MonthPickForm(request.GET)
    month = form.month_or_current()
    today = timezone.localdate()
    arrears = queries.arrears_under(unit, today)
    name_cells(arrears[:ROWS_SHOWN])
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "month": month,
        "previous": months.shift(month, -1),
        "next": months.shift(month, 1) if month < months.first(today) else None,
        "cells": queries.cells_month(unit, month),
        "arrears": arrears,
        "arrears_total": sum(r.owed for r in arrears),
        "without_basis": queries.without_basis(unit, month),
        "rows_shown": ROWS_SHOWN,
        "today": today,
        "is_cell": unit.kind in CELL_KINDS,
        "can_import": access.can_import_statement(request.user, unit),
    }
    return render(request, "dues/unit.html", context, status=200 if form.is_valid() else 422)


def _preview(
    request: HttpRequest,
    unit: OrgUnit,
    form: StatementForm,
    *,
    plan: StatementPlan | None = None,
    content: bytes = b"",
    status: int = 200,
) -> HttpResponse:
    context = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "plan": plan,
        "content": base64.b64encode(content).decode() if plan and not plan.bad else "",
    }
    return render(request, "dues/statement.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a payment statement: a preview (the payments to record, those already
    recorded, the bad rows with their reasons), then the import of the previewed file."""
    unit = access.get_statement_unit_for(request.user, pk)
    if request.method == "GET":
        return _preview(request, unit, StatementForm())
    if "content" in request.POST:
        return _record(request, unit)
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _preview(request, unit, form, status=422)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        plan = statement_plan(
            file=ContentFile(content, name=upload.name), unit=unit, today=timezone.localdate()
        )
    except ValidationError as e:
        apply_validation_error(form, e)
        return _preview(request, unit, form, status=422)
    return _preview(
        request, unit, StatementForm(), plan=plan, content=content, status=422 if plan.bad else 200
    )


def _record(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    form = StatementForm()
    try:
        content = base64.b64decode(request.POST.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    name = (request.POST.get("name") or "statement").strip()[:200]
    try:
        result = services.statement_import(
            file=ContentFile(content, name=name), unit=unit, actor=request.user
        )
    except ValidationError as e:
        apply_validation_error(form, e)
        return _preview(request, unit, form, status=422)
    if result.bad:
        return _preview(request, unit, form, plan=result.plan, status=422)
    messages.success(
        request,
        _("%(file)s: %(recorded)s payments recorded, %(already)s already recorded.")
        % {
            "file": name,
            "recorded": formats.number(result.recorded),
            "already": formats.number(result.already),
        },
    )
    return redirect(reverse("dues:statement", args=[unit.pk]))
