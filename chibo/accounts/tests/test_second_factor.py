"""Two-step login: setting it up, the login's code step (app code, recovery code, reuse,
throttle), the admin's login form, new recovery codes, turning it off."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from chibo.accounts import second_factor as sf
from chibo.accounts import services, totp
from chibo.accounts.models import LoginFailure, RecoveryCode, SecondFactor
from chibo.core.models import AuditEvent
from chibo.testing import factories as f

PASSWORD = f.PASSWORD


def enrol(client: Client, *, at: float | None = None) -> tuple[str, list[str]]:
    """Set up two-step login through the pages; returns the secret and the recovery codes."""
    r = client.get(reverse("accounts:second_factor_enrol"))
    assert r.status_code == 200 and "<svg" in r.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', r.text).group(1).replace(" ", "")
    code = totp.code_at(secret, totp.time.time() if at is None else at)
    r = client.post(reverse("accounts:second_factor_enrol"), {"code": code})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:recovery_codes")
    r = client.get(r["Location"])
    codes = re.findall(r"<li class=\"col\">([a-z0-9-]+)</li>", r.text)
    assert len(codes) == 10
    # Shown once.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:account")
    return secret, codes


class Clock:
    """Stands in for time.time() in accounts.totp: tests move it on by whole steps."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(totp, "time", c)
    return c


def next_code(user) -> str:
    """The app's code 30 seconds after the last one used (a code works once): the clock moves
    on to that step."""
    factor = SecondFactor.objects.get(user=user)
    step = max(factor.last_step + 1, totp.step_at(totp.time.time()))
    totp.time.now = step * totp.STEP_SECONDS + 1  # type: ignore[attr-defined]
    return totp.code_at(factor.secret, totp.time.time())


def password_step(username: str, password: str = PASSWORD, next_url: str = "") -> Client:
    c = Client()
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    r = c.post(reverse("accounts:login"), data)
    assert r.status_code == 302, r.text
    return c


@pytest.fixture
def officer(world, cast):
    cast.base_officer.set_password(PASSWORD)
    cast.base_officer.save()
    return cast.base_officer


@pytest.fixture
def enrolled(officer, client_for):
    secret, codes = enrol(client_for(officer))
    return officer, secret, codes


def test_setting_it_up_keeps_the_secret_and_hashed_recovery_codes(enrolled):
    user, secret, codes = enrolled
    factor = SecondFactor.objects.get(user=user)
    assert factor.secret == secret
    assert RecoveryCode.objects.filter(factor=factor).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # only hashes
    assert AuditEvent.objects.filter(kind="accounts.second_factor_on").count() == 1


def test_a_wrong_code_does_not_turn_it_on(officer, client_for):
    c = client_for(officer)
    c.get(reverse("accounts:second_factor_enrol"))
    r = c.post(reverse("accounts:second_factor_enrol"), {"code": "000000"})
    assert r.status_code == 422 and not SecondFactor.objects.exists()


def test_login_asks_for_the_code_when_enrolled(enrolled):
    user, _secret, _codes = enrolled
    c = password_step("base", next_url=reverse("org:tree"))
    r = c.get(reverse("org:tree"))
    # The password alone logs nobody in.
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
    r = c.get(reverse("accounts:login_code"))
    assert r.status_code == 200 and 'name="code"' in r.text
    r = c.post(reverse("accounts:login_code"), {"code": next_code(user)})
    assert r.status_code == 302 and r["Location"] == reverse("org:tree")
    assert c.get(reverse("org:tree")).status_code == 200


def test_login_without_second_factor_is_one_step(officer):
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": "base", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("site:home")
    assert c.get(reverse("org:tree")).status_code == 200


def test_a_code_works_once(enrolled):
    user, _secret, _codes = enrolled
    code = next_code(user)
    c = password_step("base")
    assert c.post(reverse("accounts:login_code"), {"code": code}).status_code == 302
    c2 = password_step("base")
    r = c2.post(reverse("accounts:login_code"), {"code": code})
    assert r.status_code == 200 and 'id="id_code_error"' in r.text
    assert c2.get(reverse("org:tree")).status_code == 302


def test_a_recovery_code_works_once(enrolled):
    _user, _secret, codes = enrolled
    c = password_step("base")
    r = c.post(reverse("accounts:login_code"), {"code": codes[0].upper()})
    assert r.status_code == 302
    assert c.get(reverse("org:tree")).status_code == 200
    assert AuditEvent.objects.filter(kind="accounts.recovery_used").count() == 1
    c2 = password_step("base")
    assert c2.post(reverse("accounts:login_code"), {"code": codes[0]}).status_code == 200
    assert c2.get(reverse("org:tree")).status_code == 302
    r = c2.get(reverse("accounts:login_code"))  # still waiting for a good code
    assert r.status_code == 200


def test_wrong_codes_count_as_failed_logins_and_are_throttled(enrolled, settings, monkeypatch):
    """A wrong code is a failed login of the user name from this address: after the free
    failures the next try must wait (a long wait here, so a slow run does not outlast it)."""
    user, _secret, _codes = enrolled
    free = settings.CHIBO_LOGIN_FREE_FAILURES
    monkeypatch.setattr(services, "login_delay", lambda failures: 900 if failures >= free else 0)
    c = password_step("base")
    for _ in range(free):
        assert c.post(reverse("accounts:login_code"), {"code": "000000"}).status_code == 200
    assert LoginFailure.objects.filter(username="base").count() == free
    # Refused now, even with the right code.
    r = c.post(reverse("accounts:login_code"), {"code": next_code(user)})
    assert r.status_code == 429
    assert c.get(reverse("org:tree")).status_code == 302


def test_the_code_step_expires(enrolled, settings):
    c = password_step("base")
    session = c.session
    pending = session[sf.PENDING]
    pending["until"] = "2000-01-01T00:00:00+00:00"
    session[sf.PENDING] = pending
    session.save()
    r = c.get(reverse("accounts:login_code"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login")


def test_a_session_opened_by_a_password_alone_is_sent_to_the_code(enrolled, cast):
    """The admin's login form, or any other way in: the middleware asks for the code."""
    user, _secret, _codes = enrolled
    c = Client()
    c.force_login(user)
    r = c.get(reverse("org:tree"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login_code")
    # The API sees nobody.
    c2 = Client()
    c2.force_login(user)
    assert c2.get("/api/v1/units").status_code == 401
    # The code opens it.
    r = c.post(reverse("accounts:login_code"), {"code": next_code(user)})
    assert r["Location"] == reverse("org:tree")
    assert c.get(reverse("org:tree")).status_code == 200


def test_admin_login_of_an_enrolled_superuser_still_asks_for_the_code(db):
    admin = f.user(username="root", is_superuser=True, is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    c = Client()
    c.force_login(admin)
    enrol(c)
    c = Client()
    r = c.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 302
    r = c.get("/admin/")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login_code")
    assert c.get("/admin/").status_code == 302  # still not in
    r = c.post(reverse("accounts:login_code"), {"code": next_code(admin)})
    assert r["Location"] == "/admin/"
    assert c.get("/admin/").status_code == 200


def test_new_recovery_codes_replace_the_old(enrolled):
    user, _secret, old = enrolled
    c = password_step("base")
    c.post(reverse("accounts:login_code"), {"code": next_code(user)})
    r = c.post(reverse("accounts:recovery_renew"), {"code": "000000"})
    assert r.status_code == 422
    r = c.post(reverse("accounts:recovery_renew"), {"code": next_code(user)})
    assert r["Location"] == reverse("accounts:recovery_codes")
    new = re.findall(r"<li class=\"col\">([a-z0-9-]+)</li>", c.get(r["Location"]).text)
    assert len(new) == 10 and not set(new) & set(old)
    c2 = password_step("base")
    assert c2.post(reverse("accounts:login_code"), {"code": old[1]}).status_code == 200
    assert c2.post(reverse("accounts:login_code"), {"code": new[1]}).status_code == 302


def test_turning_it_off_takes_the_password_and_a_code(enrolled):
    user, _secret, codes = enrolled
    c = password_step("base")
    c.post(reverse("accounts:login_code"), {"code": next_code(user)})
    url = reverse("accounts:second_factor_disable")
    r = c.post(url, {"password": "wrong", "code": next_code(user)})
    assert r.status_code == 422 and SecondFactor.objects.filter(user=user).exists()
    r = c.post(url, {"password": PASSWORD, "code": "000000"})
    assert r.status_code == 422 and SecondFactor.objects.filter(user=user).exists()
    r = c.post(url, {"password": PASSWORD, "code": codes[2]})
    assert r.status_code == 302 and not SecondFactor.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(kind="accounts.second_factor_off").count() == 1
    # One step again.
    assert password_step("base").get(reverse("org:tree")).status_code == 200


def test_account_page(officer, en):
    r = en(officer).get(reverse("accounts:account"))
    assert r.status_code == 200
    assert 'id="two-step-off"' in r.text and reverse("accounts:tokens") in r.text
    assert Client().get(reverse("accounts:account")).status_code == 302  # logged out
    assert en(officer).post(reverse("accounts:account")).status_code == 405
