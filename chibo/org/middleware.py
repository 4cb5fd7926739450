"""Two-step login, enforced on every request of a logged-in session that has not passed it.

- A person with an authenticator app whose session was opened by a password alone (the
  admin's login form, or any way other than Chibo's two-step login) is sent to the code step;
  the API sees them as logged out.
- A person who must have one (an office role under a unit requiring it: org.second_factor)
  and has none is sent to set it up before anything else; the API answers 403.

A session that passed the second step carries a mark, so it costs no query after that."""

from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.accounts.second_factor import VERIFIED, pending_start

from .second_factor import second_factor_state

REQUIRED_MESSAGE = gettext_lazy(
    "Your party committee requires two-step login for office accounts. Set it up with an "
    "authenticator app on your phone before you continue."
)
# The pages a person who must enrol can still reach (besides the enrolment itself).
OPEN_NAMES = ("accounts:logout", "accounts:second_factor_enrol", "set_language")


class SecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.session.get(VERIFIED):
            return self.get_response(request)
        enrolled, required = second_factor_state(user)
        api = request.path.startswith("/api/")
        if enrolled:
            backend = request.session.get(BACKEND_SESSION_KEY, "")
            logout(request)
            if api:
                request.user = AnonymousUser()
                return self.get_response(request)
            pending_start(request.session, user=user, backend=backend, next_url=request.path)
            return redirect("accounts:login_code")
        if not required:
            return self.get_response(request)
        request.second_factor_required = True  # type: ignore[attr-defined]
        if request.path in {reverse(name) for name in OPEN_NAMES}:
            return self.get_response(request)
        if api:
            return JsonResponse({"detail": str(REQUIRED_MESSAGE)}, status=403)
        return redirect("accounts:second_factor_enrol")
