"""Trusted browsers (OWASP's "device cookies"): a browser that logged in as a user name gets
a signed cookie saying so. Its later tries at that user name count apart from its address,
so neither an attacker behind the same proxy nor the address's ceiling slows the people who
have logged in there before."""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "chibo_device"
SALT = "chibo.accounts.devices"
MAX_AGE = 365 * 24 * 3600
KEEP_NAMES = 10  # a shared office computer: the last few people who logged in on it


def _read(request: HttpRequest) -> dict:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("names"), list):
        return {}
    return data


def trusted_device(request: HttpRequest, username: str) -> str:
    """This browser's id if it logged in as `username` before, else ""."""
    data = _read(request)
    if data and username.strip().lower() in data["names"]:
        return str(data.get("id", ""))[:32]
    return ""


def remember(request: HttpRequest, username: str) -> None:
    """Mark `username` to be added to this browser's cookie by the response
    (chibo.accounts.middleware)."""
    request.chibo_logged_in_as = username.strip().lower()  # type: ignore[attr-defined]


def set_cookie(request: HttpRequest, response: HttpResponse) -> None:
    username = getattr(request, "chibo_logged_in_as", None)
    if not username:
        return
    data = _read(request)
    names = [n for n in data.get("names", []) if n != username][-(KEEP_NAMES - 1) :]
    value = signing.dumps(
        {"id": data.get("id") or secrets.token_hex(16), "names": [*names, username]},
        salt=SALT,
        compress=True,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
