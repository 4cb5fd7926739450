"""Logins that stop attackers, not users: the throttle on both login pages (growing delays per
user name and address, the address's ceiling, trusted browsers), the alert to the account's
holder and office, idle sessions, and the password-reset limits."""

import datetime as dt
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.accounts import services
from chibo.accounts.middleware import SEEN
from chibo.accounts.models import LoginFailure, LoginPage, ResetRequest, Role, RoleGrant
from chibo.notices.kinds import text_of
from chibo.notices.models import Notice
from chibo.notices.reminders import LOGIN_FAILURES
from chibo.testing import factories as f
from chibo.testing.factories import PASSWORD

ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"
LOGIN = reverse("accounts:login")


def client_from(address: str, *, language: str = "en") -> Client:
    c = Client(REMOTE_ADDR=address)
    c.cookies["django_language"] = language
    return c


def logged_in(c: Client) -> bool:
    return SESSION_KEY in c.session


class Clock:
    """Django's clock, stopped: a slow test run does not outlast a delay, and the test moves
    the time on itself."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    stopped = Clock()
    monkeypatch.setattr(timezone, "now", stopped)
    return stopped


def test_the_delay_grows_then_caps_at_the_lock(settings):
    settings.CHIBO_LOGIN_FREE_FAILURES = 3
    settings.CHIBO_LOGIN_LOCK_MINUTES = 15
    delays = [services.login_delay(n) for n in range(1, 16)]
    assert delays[:2] == [0, 0]
    assert delays[2:8] == [1, 2, 4, 8, 16, 32]
    assert delays[-1] == 900 and max(delays) == 900


def test_wrong_passwords_slow_the_next_try_then_let_it_through(world, cast, clock):
    c = client_from(HOME)
    for _ in range(3):
        r = c.post(LOGIN, {"username": "base", "password": "wrong"})
        assert r.status_code == 200 and "correct" in r.text
    # The fourth try comes too soon: refused before its password is looked at.
    r = c.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 429 and r["Retry-After"] == "1"
    assert "Wait 1 second and try again" in r.text and not logged_in(c)
    assert LoginFailure.objects.get(refused=1).username == "base"
    clock.advance(2)
    r = c.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302 and logged_in(c)
    # The failures stay on record; they no longer slow this pair.
    assert LoginFailure.objects.filter(username="base", cleared=True).count() == 3


def test_the_real_user_logs_in_from_elsewhere_while_an_attacker_is_held(world, cast):
    attacker = client_from(ATTACKER)
    for _ in range(30):
        attacker.post(LOGIN, {"username": "base", "password": "guess"})
    r = attacker.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 429 and not logged_in(attacker)  # the attacker waits
    failures = LoginFailure.objects.filter(username="base", address=ATTACKER)
    assert failures.count() < 30  # only the checked ones; the rest were refused unchecked
    assert sum(failures.values_list("refused", flat=True)) == 31 - failures.count()
    real = client_from(HOME)
    r = real.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302 and logged_in(real)


def test_an_attacker_behind_the_office_proxy_does_not_hold_a_trusted_browser(world, cast):
    """The real user's browser logged in before (its device cookie); the attacker's tries at
    the same name from the same proxy address count apart."""
    proxy = "192.0.2.10"
    real = client_from(proxy)
    assert real.post(LOGIN, {"username": "base", "password": PASSWORD}).status_code == 302
    real.post(reverse("accounts:logout"))
    attacker = client_from(proxy)
    for _ in range(10):
        attacker.post(LOGIN, {"username": "base", "password": "guess"})
    assert attacker.post(LOGIN, {"username": "base", "password": "x"}).status_code == 429
    r = real.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302 and logged_in(real)


def test_a_spray_from_one_address_blocks_neither_the_names_nor_other_addresses(
    world, cast, settings
):
    settings.CHIBO_LOGIN_ADDRESS_MAX_FAILURES = 50
    names = ["base", *[f"user{i}" for i in range(25)]]
    sprayer = client_from(ATTACKER)
    for name in names:
        for _ in range(5):  # five common passwords on every name
            sprayer.post(LOGIN, {"username": name, "password": "123456"})
    # The sprayer's address reached its ceiling: refused, whatever the name.
    r = sprayer.post(LOGIN, {"username": "viewer", "password": "123456"})
    assert r.status_code == 429 and "from your network" in r.text
    assert LoginFailure.objects.filter(address=ATTACKER).count() == 50
    # Another address is not touched, for any of the names sprayed.
    other = client_from(HOME)
    r = other.post(LOGIN, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302 and logged_in(other)


def test_the_address_ceiling_spares_browsers_that_logged_in_there_before(
    world, cast, settings, clock
):
    settings.CHIBO_LOGIN_ADDRESS_MAX_FAILURES = 20
    proxy = "192.0.2.20"
    colleague = client_from(proxy)
    assert colleague.post(LOGIN, {"username": "viewer", "password": PASSWORD}).status_code == 302
    colleague.post(reverse("accounts:logout"))
    sprayer = client_from(proxy)
    for i in range(20):
        sprayer.post(LOGIN, {"username": f"user{i}", "password": "123456"})
    newcomer = client_from(proxy)
    assert newcomer.post(LOGIN, {"username": "base", "password": PASSWORD}).status_code == 429
    r = colleague.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert r.status_code == 302 and logged_in(colleague)
    # The ceiling ends when the failures leave the window.
    clock.advance(settings.CHIBO_LOGIN_WINDOW_MINUTES * 60 + 1)
    assert newcomer.post(LOGIN, {"username": "base", "password": PASSWORD}).status_code == 302


def test_a_forged_device_cookie_is_ignored(world, cast):
    c = client_from(HOME)
    c.cookies["chibo_device"] = "not-signed"
    for _ in range(3):
        c.post(LOGIN, {"username": "base", "password": "wrong"})
    assert c.post(LOGIN, {"username": "base", "password": PASSWORD}).status_code == 429


def test_the_admin_login_is_throttled_and_recorded(db):
    admin = f.user(username="root", is_staff=True, is_superuser=True)
    c = client_from(ATTACKER)
    url = reverse("admin:login")
    for _ in range(30):
        r = c.post(url, {"username": "root", "password": "guess", "next": "/admin/"})
        assert r.status_code == 200
    r = c.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 200 and not logged_in(c)
    assert "Too many failed attempts" in r.text
    failures = LoginFailure.objects.filter(username="root", page=LoginPage.ADMIN)
    assert failures.exists() and sum(failures.values_list("refused", flat=True)) > 0
    # Elsewhere, the administrator logs in.
    home = client_from(HOME)
    r = home.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 302 and home.session[SESSION_KEY] == str(admin.pk)


def test_one_throttle_for_both_login_pages(world, cast):
    c = client_from(ATTACKER)
    for _ in range(3):
        c.post(LOGIN, {"username": "base", "password": "wrong"})
    r = c.post(reverse("admin:login"), {"username": "base", "password": "wrong"})
    assert "Too many failed attempts" in r.text


def test_the_holder_and_the_office_above_are_told_once(world, cast, settings, clock):
    settings.CHIBO_LOGIN_ALERT_FAILURES = 10
    for i in range(12):  # from twelve addresses: no delay slows them
        client_from(f"203.0.113.{i + 1}").post(
            LOGIN, {"username": "secretary", "password": "guess"}
        )
    told = Notice.objects.filter(kind=LOGIN_FAILURES)
    # The secretary, and the office of the base committee above the cell (the nearest
    # office), not the province's.
    assert set(told.values_list("user_id", flat=True)) == {cast.secretary.pk, cast.base_officer.pk}
    notice = told.get(user=cast.secretary)
    assert notice.params["count"] == 10 and notice.params["addresses"] == 10
    assert notice.url == reverse("accounts:password_change")
    assert told.get(user=cast.base_officer).url == reverse(
        "members:unit_access", args=[world.base.pk]
    )
    assert "Phạm Văn Bí Thư" in text_of(notice)
    assert LoginFailure.objects.filter(alerted=True).count() == 1
    for i in range(20):  # more failures in the same window: nobody is told again
        client_from(f"203.0.113.{i + 1}").post(
            LOGIN, {"username": "secretary", "password": "guess"}
        )
    assert told.count() == 2
    # A new window, a new alert.
    clock.advance(settings.CHIBO_LOGIN_WINDOW_MINUTES * 60 + 1)
    for i in range(10):
        client_from(f"203.0.113.{i + 1}").post(
            LOGIN, {"username": "secretary", "password": "guess"}
        )
    assert told.count() == 4


def test_failures_on_an_unknown_name_tell_nobody(world, cast, settings):
    settings.CHIBO_LOGIN_ALERT_FAILURES = 3
    for i in range(5):
        client_from(f"203.0.113.{i + 1}").post(LOGIN, {"username": "nobody", "password": "x"})
    assert not Notice.objects.exists()


# Idle sessions ----------------------------------------------------------------------------


def idle_for(c: Client, seconds: int) -> None:
    session = c.session
    session[SEEN] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends_with_a_message(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 30
    c = client_from(HOME)
    assert c.post(LOGIN, {"username": "base", "password": PASSWORD}).status_code == 302
    assert SEEN in c.session  # from the login on
    idle_for(c, 29 * 60)
    assert c.get(reverse("site:home")).status_code == 200
    assert int(time.time()) - c.session[SEEN] < 5  # the use is noted
    idle_for(c, 31 * 60)
    r = c.get(reverse("site:home"), follow=True)
    assert r.redirect_chain[-1][0].startswith(LOGIN)
    assert "logged out after 30 minutes without activity" in r.text
    assert not logged_in(c)


def test_no_idle_limit_when_set_to_zero(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 0
    c = client_from(HOME)
    c.post(LOGIN, {"username": "base", "password": PASSWORD})
    idle_for(c, 365 * 24 * 3600)
    assert c.get(reverse("site:home")).status_code == 200


def test_a_member_only_account_stays_signed_in_from_one_monthly_meeting_to_the_next(
    world, cast, settings
):
    settings.CHIBO_SESSION_IDLE_MINUTES = 60
    settings.CHIBO_MEMBER_SESSION_DAYS = 35
    c = client_from(HOME)
    assert c.post(LOGIN, {"username": "member", "password": PASSWORD}).status_code == 302
    # The cookie and the stored session outlast the idle limit by a day (not 14 days): the
    # limit, with its message, comes first.
    assert c.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 36 * 24 * 3600
    stored = Session.objects.get(session_key=c.session.session_key).expire_date
    left = (stored - dt.datetime.now(dt.UTC)).total_seconds()
    assert 36 * 24 * 3600 - 60 < left <= 36 * 24 * 3600
    idle_for(c, 34 * 24 * 3600)  # a month and a few days: the next meeting
    assert c.get(reverse("site:home")).status_code == 200
    assert logged_in(c)
    idle_for(c, 36 * 24 * 3600)
    r = c.get(reverse("site:home"), follow=True)
    assert r.redirect_chain[-1][0].startswith(LOGIN)
    assert "logged out after 35 days without activity" in r.text
    assert not logged_in(c)


def test_any_other_role_keeps_the_short_limit(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 60
    settings.CHIBO_MEMBER_SESSION_DAYS = 35
    # A member who is also the cell's secretary: not member-only.
    RoleGrant.objects.create(user=cast.member, unit=world.cell, role=Role.SECRETARY)
    c = client_from(HOME)
    c.post(LOGIN, {"username": "member", "password": PASSWORD})
    idle_for(c, 61 * 60)
    assert c.get(reverse("site:home")).status_code == 302
    assert not logged_in(c)


def test_a_member_given_an_office_role_gets_the_short_limit_at_the_next_use(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 60
    settings.CHIBO_MEMBER_SESSION_DAYS = 35
    c = client_from(HOME)
    c.post(LOGIN, {"username": "member", "password": PASSWORD})
    RoleGrant.objects.create(user=cast.member, unit=world.cell, role=Role.SECRETARY)
    idle_for(c, 2 * 60)  # the last use is written again: the roles are read again
    assert c.get(reverse("site:home")).status_code == 200
    idle_for(c, 61 * 60)
    assert c.get(reverse("site:home")).status_code == 302
    assert not logged_in(c)


def test_a_member_given_an_office_role_while_away_is_not_let_back_in(world, cast, settings):
    """The roles are read again before an idle member-only session is let in: the phone of
    a member made secretary meanwhile does not open with the secretary's rights."""
    settings.CHIBO_SESSION_IDLE_MINUTES = 60
    settings.CHIBO_MEMBER_SESSION_DAYS = 35
    c = client_from(HOME)
    c.post(LOGIN, {"username": "member", "password": PASSWORD})
    RoleGrant.objects.create(user=cast.member, unit=world.cell, role=Role.SECRETARY)
    idle_for(c, 61 * 60)
    r = c.get(reverse("site:home"), follow=True)
    assert r.redirect_chain[-1][0].startswith(LOGIN)
    assert "logged out after 60 minutes without activity" in r.text
    assert not logged_in(c)


def test_no_limit_for_anyone_means_none_for_members_either(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 0
    settings.CHIBO_MEMBER_SESSION_DAYS = 35
    c = client_from(HOME)
    c.post(LOGIN, {"username": "member", "password": PASSWORD})
    idle_for(c, 40 * 24 * 3600)
    assert c.get(reverse("site:home")).status_code == 200


def test_member_sessions_as_every_session_when_set_to_zero(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 60
    settings.CHIBO_MEMBER_SESSION_DAYS = 0
    c = client_from(HOME)
    c.post(LOGIN, {"username": "member", "password": PASSWORD})
    idle_for(c, 61 * 60)
    r = c.get(reverse("site:home"), follow=True)
    assert "logged out after 60 minutes without activity" in r.text
    assert not logged_in(c)


# Password reset limits --------------------------------------------------------------------

RESET = reverse("accounts:password_reset")


@pytest.fixture
def mailed(db):
    user = f.user(username="hung")
    user.email = "hung@example.vn"
    user.save()
    return user


def test_one_address_cannot_flood_with_reset_requests(mailed, settings):
    settings.CHIBO_PASSWORD_RESET_PER_ADDRESS = 4
    settings.CHIBO_PASSWORD_RESET_PER_EMAIL = 100
    c = client_from(ATTACKER)
    for _ in range(4):
        assert c.post(RESET, {"email": "hung@example.vn"}).status_code == 302
    r = c.post(RESET, {"email": "hung@example.vn"})
    assert r.status_code == 429 and "Too many requests" in r.text
    assert len(mail.outbox) == 4
    # Another address still asks.
    assert client_from(HOME).post(RESET, {"email": "hung@example.vn"}).status_code == 302
    assert len(mail.outbox) == 5


def test_one_inbox_gets_a_bounded_number_of_reset_emails(mailed, settings, clock):
    settings.CHIBO_PASSWORD_RESET_PER_EMAIL = 3
    for i in range(6):
        r = client_from(f"203.0.113.{i + 1}").post(RESET, {"email": "HUNG@example.vn"})
        # The same answer every time: nobody learns that the limit was reached.
        assert r.status_code == 302 and r["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 3
    assert ResetRequest.objects.filter(email="hung@example.vn").count() == 6
    # An hour later the inbox gets one again.
    clock.advance(3601)
    client_from(HOME).post(RESET, {"email": "hung@example.vn"})
    assert len(mail.outbox) == 4


def test_old_records_are_purged(db, clock):
    LoginFailure.objects.create(username="old", address=HOME)
    clock.advance(31 * 24 * 3600)
    services.login_failed(services.Attempt(username="new", address=HOME))
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["new"]


def test_an_idle_session_sends_a_whole_htmx_page_to_login(world, cast, settings):
    settings.CHIBO_SESSION_IDLE_MINUTES = 30
    c = client_from(HOME)
    c.post(LOGIN, {"username": "base", "password": PASSWORD})
    idle_for(c, 31 * 60)
    r = c.get(reverse("site:home"), headers={"HX-Request": "true"})
    assert r.status_code == 200 and r["HX-Redirect"].startswith(LOGIN)
