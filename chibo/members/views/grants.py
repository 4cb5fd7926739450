"""The Access page of a unit: who holds which role on it and below, granting a role (to an
existing account, or to one created here and linked to a member record) and revoking one.
An office grants any role in its subtree, a secretary only the member role in its cell
(chibo.org.access.grantable_roles)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.accounts import services
from chibo.accounts.models import RoleGrant, User
from chibo.core.forms import apply_validation_error
from chibo.org import access as org_access

from .. import access
from ..forms import GrantForm


@require_GET
@login_required
def unit_access(request: HttpRequest, pk: int) -> HttpResponse:
    unit = org_access.get_unit_for(request.user, pk)
    roles = org_access.grantable_roles(request.user, unit)
    if not roles:
        raise PermissionDenied
    return _access_page(request, unit, GrantForm(roles=roles))


def _access_page(request, unit, form, status: int = 200) -> HttpResponse:
    grants = (
        org_access.grants_within(unit)
        .select_related("user", "user__member", "unit")
        .order_by("unit__depth", "unit__sort_name", "unit_id", "role", "user__username")
    )
    return render(
        request,
        "members/unit_access.html",
        {"unit": unit, "grants": grants, "form": form, "ancestors": list(unit.ancestors())},
        status=status,
    )


@require_POST
@login_required
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = org_access.get_unit_for(request.user, pk)
    roles = org_access.grantable_roles(request.user, unit)
    if not roles:
        raise PermissionDenied
    form = GrantForm(request.POST, roles=roles)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                member = None
                if data["member_code"]:
                    member = (
                        access.members_for(request.user, write=True)
                        .filter(code=data["member_code"].strip())
                        .first()
                    )
                    if member is None:
                        raise ValidationError(
                            {"member_code": _("No member with that record code in your scope.")}
                        )
                if data["new_account"]:
                    last, _sep, first = data["full_name"].strip().rpartition(" ")
                    user = services.account_create(
                        actor=request.user,
                        username=data["username"],
                        password=data["password"],
                        first_name=first,
                        last_name=last,
                        member=member,
                    )
                else:
                    found = User.objects.filter(
                        username=data["username"].strip(), is_active=True
                    ).first()
                    if found is None:
                        raise ValidationError({"username": _("No account with that user name.")})
                    user = found
                    if member is not None and user.member_id != member.pk:
                        raise ValidationError(
                            {"member_code": _("That account is linked to another member record.")}
                        )
                services.grant_create(actor=request.user, user=user, unit=unit, role=data["role"])
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Role granted."))
            return redirect("members:unit_access", unit.pk)
    return _access_page(request, unit, form, status=422)


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = (
        RoleGrant.objects.filter(pk=pk, unit__in=org_access.units_for(request.user))
        .select_related("unit")
        .first()
    )
    if grant is None:
        raise Http404
    if grant.role not in org_access.grantable_roles(request.user, grant.unit):
        raise PermissionDenied
    try:
        services.grant_revoke(actor=request.user, grant=grant)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("members:unit_access", grant.unit_id)
