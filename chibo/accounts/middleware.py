"""Logins, on every request: a session left idle ends, and a browser that just logged in is
remembered (chibo.accounts.devices)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import ngettext

from .devices import set_cookie

SEEN = "_chibo_seen"  # the session's last use, in seconds since the epoch
# The last use is written at most this often: not a session write on every page.
SEEN_STEP = 60


class LoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = settings.CHIBO_SESSION_IDLE_MINUTES * 60
        session = request.session
        if idle and SESSION_KEY in session:
            now = int(time.time())
            seen = session.get(SEEN)
            if seen is not None and now - seen > idle:
                logout(request)
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
        if idle and SESSION_KEY in request.session and SEEN not in request.session:
            request.session[SEEN] = int(time.time())  # logged in by this request
        set_cookie(request, response)
        return response
