"""Logins, on every request: a session left idle ends, and a browser that just logged in is
remembered (chibo.accounts.devices)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from .devices import set_cookie

SEEN = "_chibo_seen"  # the session's last use, in seconds since the epoch
# The last use is written at most this often: not a session write on every page.
SEEN_STEP = 60


def note_login(sender, request, user, **kwargs) -> None:
    """A session starts used (user_logged_in, connected in AccountsConfig.ready): written with
    the login itself, so the first page after it writes nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class LoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = settings.CHIBO_SESSION_IDLE_MINUTES * 60
        session = request.session
        expired = False
        if idle and SESSION_KEY in session:
            now = int(time.time())
            seen = session.get(SEEN)
            if seen is not None and now - seen > idle:
                logout(request)
                expired = True
                minutes = settings.CHIBO_SESSION_IDLE_MINUTES
                # The view now sees an anonymous user: a page sends them to the login
                # page, which shows this.
                messages.warning(
                    request,
                    ngettext(
                        "You were logged out after %(count)s minute without activity. "
                        "Log in again.",
                        "You were logged out after %(count)s minutes without activity. "
                        "Log in again.",
                        minutes,
                    )
                    % {"count": minutes},
                )
            elif seen is None or now - seen >= SEEN_STEP:
                session[SEEN] = now
        response = self.get_response(request)
        if expired and getattr(request, "htmx", False) and response.status_code == 302:
            # A part of a page asked for: the whole browser goes to the login page, not
            # the part.
            response = HttpResponseClientRedirect(response["Location"])
        set_cookie(request, response)
        return response
