"""A member's dues: their basis over time and its edit (an office), their waivers, and the
ledger by month, with a payment recorded by the cell or the office."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.forms import apply_validation_error
from chibo.members.models import Member

from .. import access, queries, services
from ..forms import BasisForm, PaymentForm, WaiverForm
from ..models import DuesBasis, DuesWaiver, Source


def _url(member: Member) -> str:
    return reverse("dues:member", args=[member.pk])


def _page(
    request: HttpRequest,
    member: Member,
    forms: dict[str, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    can_pay = access.can_record_payments(user, member)
    can_manage = access.can_manage_basis(user, member)
    forms = forms or {}
    ledger = queries.member_ledger(member, today)
    context: dict[str, Any] = {
        "member": member,
        "cell": member.home_unit,
        "ancestors": list(member.home_unit.ancestors(include_self=True))
        if member.home_unit
        else [],
        "ledger": ledger,
        "bases": DuesBasis.objects.filter(member=member).order_by("-valid_from"),
        "waivers": DuesWaiver.objects.filter(member=member).order_by("-start"),
        "can_pay": can_pay,
        "can_manage": can_manage,
        "staff": access.is_staff(user),
        "meeting_source": Source.MEETING,
        "payment_form": forms.get("payment")
        or (
            PaymentForm(initial={"month": today.replace(day=1), "paid_on": today})
            if can_pay
            else None
        ),
        "basis_form": forms.get("basis")
        or (BasisForm(initial={"valid_from": today.replace(day=1)}) if can_manage else None),
        "waiver_form": forms.get("waiver") or (WaiverForm() if can_manage else None),
    }
    return render(request, "dues/member.html", context, status=status)


@require_GET
@login_required
def member_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk)
    return _page(request, member)


def _post(
    request: HttpRequest,
    member: Member,
    name: str,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    message: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, message)
            return redirect(_url(member))
    return _page(request, member, {name: form}, status=422)


@require_POST
@login_required
def member_pay(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    return _post(
        request,
        member,
        "payment",
        PaymentForm(request.POST),
        lambda d: services.payment_record(
            member=member,
            month=d["month"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            reference=d["reference"],
            actor=request.user,
        ),
        _("Payment recorded."),
    )


@require_POST
@login_required
def member_basis(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_to_manage(request.user, pk)
    return _post(
        request,
        member,
        "basis",
        BasisForm(request.POST),
        lambda d: services.basis_set(
            member=member,
            valid_from=d["valid_from"],
            category=d["category"],
            base_amount=d["base_amount"],
            area=d["area"],
            note=d["note"],
            actor=request.user,
        ),
        _("Dues basis recorded."),
    )


@require_POST
@login_required
def member_waiver(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_to_manage(request.user, pk)
    return _post(
        request,
        member,
        "waiver",
        WaiverForm(request.POST),
        lambda d: services.waiver_add(
            member=member, start=d["start"], end=d["end"], reason=d["reason"], actor=request.user
        ),
        _("Waiver recorded."),
    )


@require_POST
@login_required
def payment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    payment = access.get_payment_for(request.user, pk, write=True)
    try:
        services.payment_delete(payment=payment, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Payment deleted."))
    return redirect(_url(payment.member))


@require_POST
@login_required
def waiver_delete(request: HttpRequest, pk: int) -> HttpResponse:
    waiver = access.get_waiver_for(request.user, pk, write=True)
    services.waiver_delete(waiver=waiver, actor=request.user)
    messages.success(request, _("Waiver deleted."))
    return redirect(_url(waiver.member))
