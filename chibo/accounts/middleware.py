"""Logins, on every request: a session left idle ends, and a browser that just logged in is
remembered (chibo.accounts.devices).

An account that holds only the member role keeps its session CHIBO_MEMBER_SESSION_DAYS
without use, from one monthly meeting to the next; every other account ends after
CHIBO_SESSION_IDLE_MINUTES. Whether the account is still member-only is read again whenever
the last use is written (at most once a minute): a member made secretary since gets the
short limit from then on."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from .devices import set_cookie
from .models import Role

SEEN = "_chibo_seen"  # the session's last use, in seconds since the epoch
# The last use is written at most this often: not a session write on every page.
SEEN_STEP = 60
# Set in a member-only account's session: the long idle limit applies.
MEMBER_ONLY = "_chibo_member_only"


def member_only(user) -> bool:
    """Holds the member role and no other (and is not staff): its own record, its cell's
    meetings and the check-in."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    roles = set(user.grants.values_list("role", flat=True))
    return roles == {Role.MEMBER}


def _set_kind(session, user) -> None:
    days = settings.CHIBO_MEMBER_SESSION_DAYS
    if days and member_only(user):
        session[MEMBER_ONLY] = True
        # Also the cookie's and the stored session's age, renewed with every write: a day
        # longer than the idle limit, so that the limit (and its message) comes first.
        session.set_expiry((days + 1) * 24 * 3600)
    elif session.get(MEMBER_ONLY):
        del session[MEMBER_ONLY]
        session.set_expiry(None)  # SESSION_COOKIE_AGE again


def note_login(sender, request, user, **kwargs) -> None:
    """A session starts used (user_logged_in, connected in AccountsConfig.ready): written with
    the login itself, so the first page after it writes nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
        _set_kind(request.session, user)


def _short_seconds() -> int:
    return settings.CHIBO_SESSION_IDLE_MINUTES * 60


def _idle_seconds(session) -> int:
    """The idle limit of this session (0: none). Members never get less time than others:
    with no limit for anyone (0), none for them either."""
    short = _short_seconds()
    if short and session.get(MEMBER_ONLY) and settings.CHIBO_MEMBER_SESSION_DAYS:
        return max(short, settings.CHIBO_MEMBER_SESSION_DAYS * 24 * 3600)
    return short


def _logged_out_message(session) -> str:
    if session.get(MEMBER_ONLY) and settings.CHIBO_MEMBER_SESSION_DAYS:
        days = settings.CHIBO_MEMBER_SESSION_DAYS
        return ngettext(
            "You were logged out after %(count)s day without activity. Log in again.",
            "You were logged out after %(count)s days without activity. Log in again.",
            days,
        ) % {"count": days}
    minutes = settings.CHIBO_SESSION_IDLE_MINUTES
    return ngettext(
        "You were logged out after %(count)s minute without activity. Log in again.",
        "You were logged out after %(count)s minutes without activity. Log in again.",
        minutes,
    ) % {"count": minutes}


class LoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        idle = _idle_seconds(session)
        expired = False
        if idle and SESSION_KEY in session:
            now = int(time.time())
            seen = session.get(SEEN)
            if (
                seen is not None
                and now - seen > _short_seconds()
                and session.get(MEMBER_ONLY)
                and not member_only(request.user)
            ):
                # Given another role since the session was last used: the long limit no
                # longer applies, and it is read again before the session is let in.
                session.pop(MEMBER_ONLY)
                idle = _short_seconds()
            if seen is not None and now - seen > idle:
                message = _logged_out_message(session)
                logout(request)
                expired = True
                # The view now sees an anonymous user: a page sends them to the login
                # page, which shows this.
                messages.warning(request, message)
            elif seen is None or now - seen >= SEEN_STEP:
                session[SEEN] = now
                _set_kind(session, request.user)
        response = self.get_response(request)
        if expired and getattr(request, "htmx", False) and response.status_code == 302:
            # A part of a page asked for: the whole browser goes to the login page, not
            # the part.
            response = HttpResponseClientRedirect(response["Location"])
        set_cookie(request, response)
        return response
