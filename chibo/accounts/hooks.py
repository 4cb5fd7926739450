"""What the apps above accounts add to logins, registered in each app's own `reminders.py`:
who is told when an account's failed logins cross CHIBO_LOGIN_ALERT_FAILURES (the
notification centre sits above accounts, so accounts only calls what is registered)."""

from collections.abc import Callable
from dataclasses import dataclass

from chibo.core.registry import Registry

from .models import LoginFailure, User


@dataclass(frozen=True)
class FailedLogins:
    """An account's failed logins over the last window, the one that crossed the threshold
    last (its id keys the alert: told once)."""

    account: User
    failure: LoginFailure
    count: int
    addresses: int
    minutes: int


LOGIN_ALARMS: Registry[Callable[[FailedLogins], None]] = Registry(
    "login alarms", discover="reminders"
)
