"""API authentication: a bearer token or the login session, and the user they name."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from chibo.core import formats

from .models import User
from .services import token_lookup

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `chibo token USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = token_lookup(token.strip())
        if found is None:
            # A wrong token is an error, not a reason to fall back to the session.
            raise AuthenticationError(401, _("The API token is not valid."))
        if found.is_expired:
            raise AuthenticationError(
                401,
                _(
                    "The API token expired on %(date)s. Create a new one on your account "
                    "page (API tokens)."
                )
                % {"date": formats.date(timezone.localtime(found.expires_at))},
            )
        user = found.user
        # Which token called: a token made through the API lasts no longer than it.
        request.api_token = found  # type: ignore[attr-defined]
        # simple_history reads request.user to record who made each change.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django login session. Unlike ninja's own class, an anonymous request gets 401
    (not a CSRF 403), and CSRF is checked only once the cookie has identified someone."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # The browser sends the cookie on its own, so a write must prove it came from our page.
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return user


AUTH = [BearerAuth(), SessionAuth()]


def user_of(request: HttpRequest) -> User:
    """The authenticated user: set by the auth classes above, bearer or session alike."""
    return request.auth  # type: ignore[attr-defined]
