"""Login throttling, API tokens, accounts and the roles granted to them."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit

from .models import ApiToken, LoginFailure, Role, RoleGrant, User

ACCOUNT_CREATED = audit.kind("accounts.created", gettext_lazy("Account %(username)s created"))
ROLE_GRANTED = audit.kind(
    "accounts.role_granted", gettext_lazy("Role %(role)s on %(unit)s granted to %(username)s")
)
ROLE_REVOKED = audit.kind(
    "accounts.role_revoked", gettext_lazy("Role %(role)s on %(unit)s revoked from %(username)s")
)
TOKEN_ISSUED = audit.kind(
    "accounts.token_issued", gettext_lazy("API token %(name)s issued to %(username)s")
)

TOKEN_REVOKED = audit.kind(
    "accounts.token_revoked", gettext_lazy("API token %(name)s of %(username)s revoked")
)

# The login throttle's bookkeeping (login_blocked, login_failed, login_succeeded) is not a
# person's write: no audit event (the failures are their own record), and no transaction of
# its own, as each is a single statement.


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


@audit.write
def token_issue(
    *,
    actor,
    user: User,
    name: str = "",
    days: int | None = None,
    not_after: dt.datetime | None = None,
) -> str:
    """A new API token for `user`, valid `days` days (CHIBO_TOKEN_DAYS by default, at most
    CHIBO_TOKEN_MAX_DAYS) and not after `not_after` (a token made with a token lasts no
    longer than it); the raw token is returned once and never stored."""
    days = settings.CHIBO_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.CHIBO_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("A token lasts from 1 to %(max)s days.")
                % {"max": settings.CHIBO_TOKEN_MAX_DAYS}
            }
        )
    expires_at = timezone.now() + dt.timedelta(days=days)
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    token, raw = ApiToken.issue(user, name.strip(), expires_at=expires_at)
    audit.record(
        TOKEN_ISSUED, actor=actor, obj=token, about=user, name=name, username=user.username
    )
    return raw


@audit.write
def token_revoke(*, actor, token: ApiToken) -> None:
    """Whether `actor` may is the caller's check (the person's own tokens: tokens_of)."""
    audit.record(
        TOKEN_REVOKED,
        actor=actor,
        obj=token,
        about=token.user,
        name=token.name,
        username=token.user.username,
    )
    token.delete()


def tokens_of(user: User):
    """A person's own tokens, newest first: the only ones they list and revoke."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def token_lookup(raw: str) -> ApiToken | None:
    """The token `raw` names, of an active account, expired or not (the caller tells which),
    its use noted (at most every five minutes: a script's every call is not a write)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), user__is_active=True)
        .first()
    )
    if token is None or token.is_expired:
        return token
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_user(raw: str) -> User | None:
    """The account a valid, unexpired token acts for."""
    token = token_lookup(raw)
    return None if token is None or token.is_expired else token.user


# Accounts and grants --------------------------------------------------------------------------


@audit.write
def account_create(
    *,
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    member=None,
) -> User:
    from django.contrib.auth.password_validation import validate_password

    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That user name is taken.")})
    if member is not None and User.objects.filter(member=member).exists():
        raise ValidationError({"member": _("That member already has an account.")})
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, member=member
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(ACCOUNT_CREATED, actor=actor, obj=user, username=user.username)
    return user


def _grant_facts(grant: RoleGrant) -> dict:
    return {"role": Role(grant.role), "unit": grant.unit.name, "username": grant.user.username}


@audit.write
def grant_create(*, actor, user: User, unit, role: str) -> RoleGrant:
    """`role` on `unit` for `user`. Whether `actor` may grant it is the caller's check
    (chibo.org.access.grantable_roles), as for every write."""
    if role in (Role.SECRETARY, Role.MEMBER) and not unit.holds_members:
        raise ValidationError({"role": _("This role is granted on a cell.")})
    if role == Role.MEMBER and user.member_id is None:
        raise ValidationError(
            {"role": _("The member role needs an account linked to a member record.")}
        )
    grant, created = RoleGrant.objects.get_or_create(user=user, unit=unit, role=role)
    if not created:
        raise ValidationError({"role": _("That person already holds this role here.")})
    audit.record(ROLE_GRANTED, actor=actor, obj=grant, about=user, **_grant_facts(grant))
    return grant


@audit.write
def grant_revoke(*, actor, grant: RoleGrant) -> None:
    if grant.user_id == actor.pk and not actor.is_superuser:
        raise ValidationError(_("You cannot revoke your own role."))
    # Recorded before the row goes: the event keeps its id and what it granted.
    audit.record(ROLE_REVOKED, actor=actor, obj=grant, about=grant.user, **_grant_facts(grant))
    grant.delete()


# The second factor's services live beside (second_factor.py); imported here so that their
# audit kinds are discovered with this module's.
from . import second_factor  # noqa: E402, F401
