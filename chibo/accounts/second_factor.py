"""The second factor (xác thực hai bước): enrolling an authenticator app, checking its codes
and the recovery codes, turning it off. Writes are services as in services.py (which
imports this module so that the audit kinds below are discovered with its own)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit

from . import totp
from .models import RecoveryCode, SecondFactor, User

RECOVERY_CODES = 10

ENROLLED = audit.kind(
    "accounts.second_factor_on", gettext_lazy("Two-step login turned on for %(username)s")
)
DISABLED = audit.kind(
    "accounts.second_factor_off", gettext_lazy("Two-step login turned off for %(username)s")
)
RECOVERY_RENEWED = audit.kind(
    "accounts.recovery_renewed", gettext_lazy("New recovery codes made for %(username)s")
)
RECOVERY_USED = audit.kind(
    "accounts.recovery_used", gettext_lazy("%(username)s logged in with a recovery code")
)


def factor_of(user: User) -> SecondFactor | None:
    return SecondFactor.objects.filter(user_id=user.pk).first()


def is_enrolled(user: User) -> bool:
    return SecondFactor.objects.filter(user_id=user.pk).exists()


def _accept_step(factor: SecondFactor, step: int) -> bool:
    """Take `step` as used, unless it (or a later one) already was: one conditional UPDATE, so
    two requests racing with the same code cannot both pass."""
    return bool(
        SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step)
    )


def check_app_code(factor: SecondFactor, code: str) -> bool:
    """The app's current code, not used before."""
    step = totp.matching_step(factor.secret, code)
    return step is not None and _accept_step(factor, step)


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    factor.recovery.all().delete()
    codes = [totp.new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(factor=factor, digest=totp.recovery_digest(c)) for c in codes
    )
    return codes


def recovery_left(factor: SecondFactor) -> int:
    return factor.recovery.filter(used_at__isnull=True).count()


@audit.write
def second_factor_enrol(*, actor: User, secret: str, code: str) -> list[str]:
    """Turn on the second factor for `actor` with the app set up on `secret`, once the app's
    code proves it; returns the recovery codes, to be shown once (only hashes are kept)."""
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationError(
            {"code": _("That code is not right. Enter the code the app shows now.")}
        )
    if SecondFactor.objects.filter(user_id=actor.pk).exists():
        raise ValidationError(_("Two-step login is already on for this account."))
    factor = SecondFactor.objects.create(
        user=actor, secret=secret, confirmed_at=timezone.now(), last_step=step
    )
    codes = _new_recovery_codes(factor)
    audit.record(ENROLLED, actor=actor, obj=factor, about=actor, username=actor.username)
    return codes


@audit.write
def second_factor_disable(*, actor: User, password: str, code: str) -> None:
    """Turn it off: the password and a current code (or a recovery code) both, so a session
    left open somewhere is not enough."""
    factor = factor_of(actor)
    if factor is None:
        raise ValidationError(_("Two-step login is not on for this account."))
    errors = {}
    if not actor.check_password(password):
        errors["password"] = _("That password is not right.")
    elif not second_factor_check(actor=actor, code=code, factor=factor):
        errors["code"] = _("That code is not right, or it was already used.")
    if errors:
        raise ValidationError(errors)
    audit.record(DISABLED, actor=actor, obj=factor, about=actor, username=actor.username)
    factor.delete()


@audit.write
def recovery_codes_renew(*, actor: User, code: str) -> list[str]:
    """New recovery codes for `actor` (the old ones stop working), after a current code."""
    factor = factor_of(actor)
    if factor is None:
        raise ValidationError(_("Two-step login is not on for this account."))
    if not check_app_code(factor, code):
        raise ValidationError({"code": _("That code is not right, or it was already used.")})
    codes = _new_recovery_codes(factor)
    audit.record(RECOVERY_RENEWED, actor=actor, obj=factor, about=actor, username=actor.username)
    return codes


@audit.write
def second_factor_check(*, actor: User, code: str, factor: SecondFactor | None = None) -> bool:
    """Whether `code` is the app's current code or one of the unused recovery codes of
    `actor`; either is then used up. A recovery code used is an audit event: the person's
    office can see that the phone was not at hand."""
    factor = factor or factor_of(actor)
    if factor is None:
        return False
    if check_app_code(factor, code):
        return True
    now = timezone.now()
    used = RecoveryCode.objects.filter(
        factor=factor, digest=totp.recovery_digest(code), used_at__isnull=True
    ).update(used_at=now)
    if used:
        audit.record(RECOVERY_USED, actor=actor, obj=factor, about=actor, username=actor.username)
    return bool(used)


# The login's pending step: between the password and the code, the session holds who passed
# the password, until when, and where they were going; nobody is logged in yet.
PENDING = "chibo_2fa_pending"
PENDING_MINUTES = 5
# What a logged-in session owes, noted in the session when it logs in and checked again every
# RECHECK_MINUTES (a unit may require it meanwhile, or the person enrol on another device):
# nothing (FREE), the code (CODE: a session opened by a password alone), an enrolment
# (ENROL), or nothing ever again (VERIFIED: it passed the code step, or enrolled).
# chibo.org.middleware acts on it; reading it costs no query.
STATE = "chibo_2fa"
FREE, CODE, ENROL, VERIFIED = "free", "code", "enrol", "verified"
RECHECK_MINUTES = 10


def state_set(session, state: str) -> None:
    session[STATE] = {"state": state, "at": timezone.now().isoformat()}


def state_of(session) -> str | None:
    """The session's state, or None when unknown or due to be checked again."""
    stamp = session.get(STATE)
    if not stamp:
        return None
    if stamp["state"] == VERIFIED:
        return VERIFIED
    at = dt.datetime.fromisoformat(stamp["at"])
    if timezone.now() - at > dt.timedelta(minutes=RECHECK_MINUTES):
        return None
    return stamp["state"]


def pending_start(session, *, user: User, backend: str, next_url: str) -> None:
    until = timezone.now() + dt.timedelta(minutes=PENDING_MINUTES)
    session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "until": until.isoformat(),
    }


def pending_user(session) -> tuple[User, dict] | None:
    """The user who passed the password step in this session, if still in time."""
    pending = session.get(PENDING)
    if not pending:
        return None
    if dt.datetime.fromisoformat(pending["until"]) < timezone.now():
        session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None
