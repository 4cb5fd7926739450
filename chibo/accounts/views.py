from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core import access
from chibo.core.forms import apply_validation_error
from chibo.org.models import OrgUnit

from . import services
from .forms import GrantForm, StyledAuthenticationForm
from .models import RoleGrant, User


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LoginView(auth_views.LoginView):
    """Django's login, throttled per username and per address (accounts.services)."""

    template_name = "accounts/login.html"
    authentication_form = StyledAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        self.blocked = services.login_blocked(
            username=request.POST.get("username", ""), address=client_address(request)
        )
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if getattr(self, "blocked", False):
            # Refuse before checking the password, so a blocked guesser learns nothing.
            def clean():
                raise ValidationError(
                    _("Too many failed attempts. Wait %(minutes)s minutes and try again.")
                    % {"minutes": services.settings.CHIBO_LOGIN_WINDOW_MINUTES},
                    code="throttled",
                )

            form.clean = clean
        return form

    def form_invalid(self, form):
        if not getattr(self, "blocked", False):
            services.login_failed(
                username=self.request.POST.get("username", ""),
                address=client_address(self.request),
            )
        response = super().form_invalid(form)
        response.status_code = 429 if getattr(self, "blocked", False) else 200
        return response

    def form_valid(self, form):
        services.login_succeeded(username=form.get_user().username)
        return super().form_valid(form)


# Who may do what on a unit: list, grant, revoke -----------------------------------------------


@require_GET
@login_required
def unit_access(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    roles = services.grantable_roles(request.user, unit)
    if not roles:
        raise PermissionDenied
    return _access_page(request, unit, GrantForm(roles=roles))


def _access_page(request, unit, form, status: int = 200) -> HttpResponse:
    grants = (
        RoleGrant.objects.filter(unit__in=OrgUnit.objects.within(unit))
        .select_related("user", "user__member", "unit")
        .order_by("unit__depth", "unit__name", "role", "user__username")
    )
    return render(
        request,
        "accounts/unit_access.html",
        {"unit": unit, "grants": grants, "form": form, "ancestors": list(unit.ancestors())},
        status=status,
    )


@require_POST
@login_required
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk)
    roles = services.grantable_roles(request.user, unit)
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
                services.grant_create(granter=request.user, user=user, unit=unit, role=data["role"])
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:unit_access", unit.pk)
    return _access_page(request, unit, form, status=422)


@require_POST
@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = (
        RoleGrant.objects.filter(pk=pk, unit__in=access.units_for(request.user))
        .select_related("unit")
        .first()
    )
    if grant is None:
        raise Http404
    try:
        services.grant_revoke(granter=request.user, grant=grant)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:unit_access", grant.unit_id)
