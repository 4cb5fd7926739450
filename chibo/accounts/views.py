"""Logging in (throttled: accounts.forms.ThrottledLoginMixin) and out, a forgotten password
(limited per address and per inbox); the other password pages are Django's own
(accounts/urls.py)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chibo.core.http import client_address

from . import second_factor, services
from .forms import StyledAuthenticationForm


class LoginView(auth_views.LoginView):
    """Django's login with the throttle in its form; a refused try answers 429."""

    template_name = "accounts/login.html"
    authentication_form = StyledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.seconds)
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
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail; the link points at CHIBO_BASE_URL, not at the Host header.
    An address gets CHIBO_PASSWORD_RESET_PER_ADDRESS requests an hour (then 429), an inbox
    CHIBO_PASSWORD_RESET_PER_EMAIL e-mails (then the page says the same, and nothing goes:
    nobody learns which addresses have accounts)."""

    def form_valid(self, form):
        address = client_address(self.request)
        if services.reset_refused(address=address):
            form.add_error(
                None,
                ValidationError(
                    _("Too many requests from your network. Try again in an hour."),
                    code="throttled",
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = "3600"
            return response
        if not services.reset_requested(address=address, email=form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())  # the same page, no e-mail
        self.extra_email_context = {"base_url": settings.CHIBO_BASE_URL.rstrip("/")}
        return super().form_valid(form)
