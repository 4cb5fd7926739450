"""Login throttling and API tokens."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, LoginFailure, User


def login_blocked(*, username: str, address: str | None) -> bool:
    """Too many recent failures for this username or from this address."""
    since = timezone.now() - dt.timedelta(minutes=settings.CHIBO_LOGIN_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_user = recent.filter(username=username.lower()).count()
    by_address = recent.filter(address=address).count() if address else 0
    # An address is allowed more tries than a name: a commune office shares one address.
    return (
        by_user >= settings.CHIBO_LOGIN_MAX_FAILURES
        or by_address >= settings.CHIBO_LOGIN_MAX_FAILURES * 4
    )


def login_failed(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address)


def login_succeeded(*, username: str) -> None:
    LoginFailure.objects.filter(Q(username=username.lower())).delete()


def token_issue(*, user: User, name: str = "") -> str:
    """A new API token for `user`; the raw token is returned once and never stored."""
    _, raw = ApiToken.issue(user, name)
    return raw


def token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
