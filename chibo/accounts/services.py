"""Login throttling and password-reset limits, API tokens, accounts and the roles granted
to them."""

import datetime as dt
from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit

from .hooks import LOGIN_ALARMS, FailedLogins
from .models import ApiToken, LoginFailure, LoginPage, ResetRequest, Role, RoleGrant, User

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

# The login throttle (docs/deploy.md, "Logins"). Its bookkeeping is not a person's write: no
# audit event (the failures are their own record). A guesser is slowed per user name and
# address (or trusted browser), never the account as a whole: the real user, elsewhere,
# logs in while an attacker waits.


@dataclass(frozen=True)
class Attempt:
    """A try at a password: the user name as typed, where from, and the browser's id if it
    carried a device cookie for this user name (chibo.accounts.devices)."""

    username: str
    address: str | None
    device: str = ""
    page: str = LoginPage.CHIBO

    @property
    def name(self) -> str:
        return self.username.strip().lower()[:150]


@dataclass(frozen=True)
class Refusal:
    """Why a try is refused before its password is checked, and for how long."""

    seconds: int
    network: bool  # the address's ceiling over all user names, not this user name's delay
    failure_id: int  # the failure whose delay or count refused it (counts the refusals)


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.CHIBO_LOGIN_WINDOW_MINUTES)


def login_delay(failures: int) -> int:
    """Seconds to wait after the last of `failures` failures of one pair: none for the first
    CHIBO_LOGIN_FREE_FAILURES, then 1, 2, 4... up to CHIBO_LOGIN_LOCK_MINUTES."""
    extra = failures - settings.CHIBO_LOGIN_FREE_FAILURES
    if extra < 0:
        return 0
    return min(2 ** min(extra, 30), settings.CHIBO_LOGIN_LOCK_MINUTES * 60)


def _pair(attempt: Attempt) -> Q:
    if attempt.device:
        return Q(username=attempt.name, device=attempt.device)
    return Q(username=attempt.name, address=attempt.address, device="")


def login_refusal(attempt: Attempt, *, now: dt.datetime | None = None) -> Refusal | None:
    """Whether this try must wait, before the password is checked (a refused guesser learns
    nothing): the pair's growing delay, or the address's ceiling for an untrusted browser."""
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(at__gte=_window_start(now), cleared=False)
    pair = list(recent.filter(_pair(attempt)).order_by("-at").values_list("pk", "at")[:100])
    if pair:
        last_pk, last_at = pair[0]
        wait = login_delay(len(pair)) - (now - last_at).total_seconds()
        if wait > 0:
            return Refusal(seconds=ceil(wait), network=False, failure_id=last_pk)
    if not attempt.device and attempt.address:
        from_address = recent.filter(address=attempt.address, device="")
        ceiling = settings.CHIBO_LOGIN_ADDRESS_MAX_FAILURES
        # Only the count matters; the ceiling's oldest counted failure says when it ends.
        oldest = list(from_address.order_by("-at").values_list("pk", "at")[ceiling - 1 : ceiling])
        if oldest:
            pk, at = oldest[0]
            left = (at - _window_start(now)).total_seconds()
            return Refusal(seconds=max(ceil(left), 1), network=True, failure_id=pk)
    return None


def login_refused(refusal: Refusal) -> None:
    LoginFailure.objects.filter(pk=refusal.failure_id).update(refused=F("refused") + 1)


def login_failed(attempt: Attempt, *, now: dt.datetime | None = None) -> LoginFailure:
    """Record a wrong password; when the account's failures from anywhere reach
    CHIBO_LOGIN_ALERT_FAILURES in the window, and nobody was told in it, tell (LOGIN_ALARMS)."""
    now = now or timezone.now()
    failure = LoginFailure.objects.create(
        username=attempt.name, address=attempt.address, device=attempt.device, page=attempt.page
    )
    # The record is kept a while for the administrator, then goes (an indexed range).
    LoginFailure.objects.filter(at__lt=now - dt.timedelta(days=LOGIN_RECORD_DAYS)).delete()
    recent = LoginFailure.objects.filter(username=attempt.name, at__gte=_window_start(now))
    count = recent.count()
    if count >= settings.CHIBO_LOGIN_ALERT_FAILURES and not recent.filter(alerted=True).exists():
        account = User.objects.filter(username__iexact=attempt.name, is_active=True).first()
        if account is not None:
            LoginFailure.objects.filter(pk=failure.pk).update(alerted=True)
            failure.alerted = True
            news = FailedLogins(
                account=account,
                failure=failure,
                count=count,
                addresses=recent.values("address").distinct().count(),
                minutes=settings.CHIBO_LOGIN_WINDOW_MINUTES,
            )
            for alarm in LOGIN_ALARMS:
                alarm(news)
    return failure


LOGIN_RECORD_DAYS = 30


def login_succeeded(attempt: Attempt) -> None:
    """The pair's failures stop counting for its delay; they stay on record, and still count
    towards the account's alert."""
    LoginFailure.objects.filter(_pair(attempt), cleared=False).update(cleared=True)


# Password reset by e-mail: a bounded number of e-mails per hour from one address and to one
# inbox (CHIBO_PASSWORD_RESET_PER_ADDRESS, _PER_EMAIL).


def reset_refused(*, address: str | None) -> bool:
    """This address asked for too many reset e-mails in the last hour."""
    since = timezone.now() - dt.timedelta(hours=1)
    asked = ResetRequest.objects.filter(address=address, at__gte=since).count()
    return asked >= settings.CHIBO_PASSWORD_RESET_PER_ADDRESS


def reset_requested(*, address: str | None, email: str) -> bool:
    """Record a reset request; whether its e-mail may go (the inbox's hourly bound)."""
    now = timezone.now()
    email = email.strip().lower()[:254]
    sent = ResetRequest.objects.filter(email=email, at__gte=now - dt.timedelta(hours=1)).count()
    ResetRequest.objects.create(address=address, email=email)
    ResetRequest.objects.filter(at__lt=now - dt.timedelta(days=LOGIN_RECORD_DAYS)).delete()
    return sent < settings.CHIBO_PASSWORD_RESET_PER_EMAIL


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
