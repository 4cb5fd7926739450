"""What the notification centre itself tells: repeated failed logins on an account
(chibo.accounts.hooks), to its holder and to the office that manages it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.accounts.hooks import LOGIN_ALARMS, FailedLogins
from chibo.accounts.models import Role, RoleGrant
from chibo.org.models import Ancestry

from .kinds import notice_kind
from .services import notify

LOGIN_FAILURES = notice_kind(
    "login_failures",
    gettext_lazy("Repeated failed logins"),
    gettext_lazy(
        "%(count)s failed logins to the account %(username)s (%(name)s) in the last "
        "%(minutes)s minutes, from %(addresses)s addresses. The account is not locked: its "
        "holder can still log in. If these were not its holder, change the password."
    ),
)


def managing_office(account_id: int) -> tuple[set[int], int | None]:
    """The office accounts of the nearest unit, at or above a unit where the account holds
    a role, that has any (the account itself left out), and that unit; nobody for an account
    without roles (the system administrator's)."""
    units = RoleGrant.objects.filter(user_id=account_id).values_list("unit_id", flat=True)
    links = dict(
        Ancestry.objects.valid()
        .filter(descendant_id__in=units)
        .order_by("-distance")  # the nearest last: it wins below
        .values_list("ancestor_id", "distance")
    )
    offices: dict[int, set[int]] = {}
    for unit, user in (
        RoleGrant.objects.filter(unit_id__in=links, role=Role.OFFICE, user__is_active=True)
        .exclude(user_id=account_id)
        .values_list("unit_id", "user_id")
    ):
        offices.setdefault(unit, set()).add(user)
    if not offices:
        return set(), None
    nearest = min(offices, key=lambda unit: links[unit])
    return offices[nearest], nearest


def login_failures(news: FailedLogins) -> None:
    account = news.account
    params = {
        "count": news.count,
        "username": account.username,
        "name": account.display_name,
        "minutes": news.minutes,
        "addresses": news.addresses,
    }
    key = f"login_failures:{news.failure.pk}"
    notify(
        [account.pk],
        kind=LOGIN_FAILURES,
        key=key,
        params=params,
        url=reverse("accounts:password_change"),
    )
    office, unit = managing_office(account.pk)
    if office:
        notify(
            office,
            kind=LOGIN_FAILURES,
            key=key,
            params=params,
            url=reverse("members:unit_access", args=[unit]),
        )


LOGIN_ALARMS.register("notices", login_failures)
