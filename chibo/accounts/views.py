"""Logging in (throttled) and out, a forgotten password; the other password pages are Django's own
(accounts/urls.py)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import second_factor, services
from .forms import StyledAuthenticationForm


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
        user = form.get_user()
        if second_factor.is_enrolled(user):
            # The password is right; the code comes next (account_views.login_code), and
            # nobody is logged in until it does.
            second_factor.pending_start(
                self.request.session,
                user=user,
                backend=user.backend,
                next_url=self.get_success_url(),
            )
            return redirect("accounts:login_code")
        services.login_succeeded(username=user.username)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail; the link points at CHIBO_BASE_URL, not at the Host header."""

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.CHIBO_BASE_URL.rstrip("/")}
        return super().form_valid(form)
