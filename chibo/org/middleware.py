"""Two-step login, enforced on every request of a logged-in session that has not passed it.

- A person with an authenticator app whose session was opened by a password alone (the
  admin's login form, a session opened before they enrolled on another device) is sent to the
  code step; the API sees them as logged out.
- A person who must have one (an office role under a unit requiring it: org.second_factor)
  and has none is sent to set it up before anything else; the API answers 403.

What a session owes is noted in it when it logs in (`stamp_login`, on Django's
user_logged_in signal: the one place every way of logging in passes) and checked again every
few minutes (accounts.second_factor.RECHECK_MINUTES), so a request costs no query."""

from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.accounts import second_factor as sf

from .second_factor import second_factor_state

REQUIRED_MESSAGE = gettext_lazy(
    "Your party committee requires two-step login for office accounts. Set it up with an "
    "authenticator app on your phone before you continue."
)
# The pages a person who must enrol can still reach (besides the enrolment itself).
OPEN_NAMES = ("accounts:logout", "accounts:second_factor_enrol", "set_language")


def state_now(user) -> str:
    """What a session opened by a password alone owes: one query."""
    enrolled, required = second_factor_state(user)
    if enrolled:
        return sf.CODE
    return sf.ENROL if required else sf.FREE


def stamp_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: note what the new session owes. The code step of Chibo's login
    (accounts.account_views.login_code) notes VERIFIED right after."""
    if request is not None and hasattr(request, "session"):
        sf.state_set(request.session, state_now(user))


class SecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        state = sf.state_of(request.session)
        if state is None:
            state = state_now(user)
            sf.state_set(request.session, state)
        if state in (sf.VERIFIED, sf.FREE):
            return self.get_response(request)
        api = request.path.startswith("/api/")
        if state == sf.CODE:
            backend = request.session.get(BACKEND_SESSION_KEY, "")
            logout(request)
            if api:
                request.user = AnonymousUser()
                return self.get_response(request)
            sf.pending_start(request.session, user=user, backend=backend, next_url=request.path)
            return redirect("accounts:login_code")
        # ENROL
        request.second_factor_required = True  # type: ignore[attr-defined]
        if request.path in {reverse(name) for name in OPEN_NAMES}:
            return self.get_response(request)
        if api:
            return JsonResponse({"detail": str(REQUIRED_MESSAGE)}, status=403)
        return redirect("accounts:second_factor_enrol")
