"""Login, password and reset forms: Django's, styled, the login ones throttled."""

from math import ceil

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from chibo.core.forms import style_fields
from chibo.core.http import client_address

from . import services
from .devices import remember, trusted_device
from .models import LoginPage


def refusal_message(refusal: services.Refusal) -> str:
    minutes = ceil(refusal.seconds / 60)
    if refusal.network:
        return ngettext(
            "Too many failed logins from your network. Try again in %(count)s minute, or "
            "from a device you have logged in with before.",
            "Too many failed logins from your network. Try again in %(count)s minutes, or "
            "from a device you have logged in with before.",
            minutes,
        ) % {"count": minutes}
    if refusal.seconds < 60:
        return ngettext(
            "Too many failed attempts. Wait %(count)s second and try again.",
            "Too many failed attempts. Wait %(count)s seconds and try again.",
            refusal.seconds,
        ) % {"count": refusal.seconds}
    return ngettext(
        "Too many failed attempts. Wait %(count)s minute and try again.",
        "Too many failed attempts. Wait %(count)s minutes and try again.",
        minutes,
    ) % {"count": minutes}


class ThrottledLoginMixin:
    """The throttle around an AuthenticationForm's check (accounts.services): a try that
    must wait is refused before the password is looked at; a wrong password is recorded; a
    right one clears its pair's delay and marks the browser as trusted for that user name.
    Chibo's login page and the admin's use it, so neither is a way around the other."""

    page = LoginPage.CHIBO
    refusal: services.Refusal | None = None

    def clean(self):
        username = self.cleaned_data.get("username")  # type: ignore[attr-defined]
        if not username or not self.cleaned_data.get("password"):  # type: ignore[attr-defined]
            return super().clean()  # type: ignore[misc]
        request = self.request  # type: ignore[attr-defined]
        attempt = services.Attempt(
            username=username,
            address=client_address(request),
            device=trusted_device(request, username),
            page=self.page,
        )
        self.refusal = services.login_refusal(attempt)
        if self.refusal is not None:
            services.login_refused(self.refusal)
            raise ValidationError(refusal_message(self.refusal), code="throttled")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            if self.user_cache is None:  # type: ignore[attr-defined]
                services.login_failed(attempt)  # (an inactive account: the password was right)
            raise
        services.login_succeeded(attempt)
        remember(request, username)
        return cleaned


class StyledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    page = LoginPage.ADMIN


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StyledPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
