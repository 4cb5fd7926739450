"""A person's own account: the account page, two-step login (setting it up, its recovery
codes, turning it off, and the code step of the login), and their API tokens."""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.forms import apply_validation_error
from chibo.core.http import client_address

from . import second_factor as sf
from . import services, totp
from .account_forms import DisableForm, EnrolForm, LoginCodeForm, RecoveryRenewForm, TokenForm
from .devices import trusted_device
from .forms import refusal_message
from .models import ApiToken, User

ISSUER = "Chibo"
# Shown once, on the page the form leads to, then forgotten (never stored in the database).
SHOW_CODES = "chibo_2fa_show_codes"
SHOW_TOKEN = "chibo_show_token"
ENROL_SECRET = "chibo_2fa_enrol_secret"


def _me(request: HttpRequest) -> User:
    """The logged-in person (every view here but the login's code step is login_required)."""
    return cast(User, request.user)


def _status(form) -> int:
    """422 for a form sent with errors, as chibo.core.pages.form_page answers."""
    return 422 if form.is_bound and form.errors else 200


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    factor = sf.factor_of(_me(request))
    context = {
        "factor": factor,
        "recovery_left": sf.recovery_left(factor) if factor else 0,
        "tokens": services.tokens_of(_me(request)).count(),
    }
    return render(request, "accounts/account.html", context)


# Two-step login -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """The secret as a QR code and as text; the app's first code turns it on. The secret stays
    in the session until then: an abandoned setup leaves nothing behind."""
    if sf.is_enrolled(_me(request)):
        return redirect("accounts:account")
    secret = request.session.get(ENROL_SECRET) or totp.new_secret()
    request.session[ENROL_SECRET] = secret
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = sf.second_factor_enrol(
                actor=_me(request), secret=secret, code=form.cleaned_data["code"]
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            del request.session[ENROL_SECRET]
            sf.state_set(request.session, sf.VERIFIED)
            request.session[SHOW_CODES] = codes
            messages.success(request, _("Two-step login is on."))
            return redirect("accounts:recovery_codes")
    uri = totp.provisioning_uri(secret, account=_me(request).username, issuer=ISSUER)
    context = {
        "form": form,
        "secret": totp.grouped(secret),
        "qr": totp.qr_svg(uri),
        "required": getattr(request, "second_factor_required", False),
    }
    return render(request, "accounts/second_factor_enrol.html", context, status=_status(form))


@require_GET
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(SHOW_CODES, None)
    if not codes:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_http_methods(["GET", "POST"])
@login_required
def recovery_renew(request: HttpRequest) -> HttpResponse:
    if not sf.is_enrolled(_me(request)):
        return redirect("accounts:account")
    form = RecoveryRenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = sf.recovery_codes_renew(actor=_me(request), code=form.cleaned_data["code"])
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            request.session[SHOW_CODES] = codes
            return redirect("accounts:recovery_codes")
    return render(request, "accounts/recovery_renew.html", {"form": form}, status=_status(form))


@require_http_methods(["GET", "POST"])
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    if not sf.is_enrolled(_me(request)):
        return redirect("accounts:account")
    form = DisableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sf.second_factor_disable(actor=_me(request), **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            # Checked again on the next request: a unit may still require it.
            request.session.pop(sf.STATE, None)
            messages.success(request, _("Two-step login is off."))
            return redirect("accounts:account")
    return render(
        request, "accounts/second_factor_disable.html", {"form": form}, status=_status(form)
    )


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The login's second step, after the password (views.LoginView): the app's code or a
    recovery code. Throttled like the password: failures count against the user name and the
    address, and the same block applies."""
    found = sf.pending_user(request.session)
    if found is None:
        messages.info(request, _("The time to enter the code ran out. Log in again."))
        return redirect("accounts:login")
    user, pending = found
    form = LoginCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The password step's throttle (accounts.forms.ThrottledLoginMixin): a wrong code
        # counts as a wrong password for this user name from this address or browser.
        attempt = services.Attempt(
            username=user.username,
            address=client_address(request),
            device=trusted_device(request, user.username),
        )
        refusal = services.login_refusal(attempt)
        if refusal is not None:
            services.login_refused(refusal)
            form.add_error(None, refusal_message(refusal))
            status = 429
        elif sf.second_factor_check(actor=user, code=form.cleaned_data["code"]):
            del request.session[sf.PENDING]
            auth_login(request, user, backend=pending["backend"])
            sf.state_set(request.session, sf.VERIFIED)
            services.login_succeeded(attempt)
            return redirect(pending["next"])
        else:
            services.login_failed(attempt)
            form.add_error("code", _("That code is not right, or it was already used."))
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


# API tokens ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's own tokens, and a form for a new one (shown once, after the redirect)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw = services.token_issue(actor=_me(request), user=_me(request), **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            request.session[SHOW_TOKEN] = raw
            return redirect("accounts:tokens")
    context = {
        "form": form,
        "tokens": services.tokens_of(_me(request)),
        "new_token": request.session.pop(SHOW_TOKEN, None),
    }
    return render(request, "accounts/tokens.html", context, status=_status(form))


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.tokens_of(_me(request)).select_related("user").get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.token_revoke(actor=_me(request), token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
