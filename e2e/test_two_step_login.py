"""In a real browser, on a 360 px phone and a 1280 px screen: an office required by its
province to use two-step login is sent to set it up, scans (reads) the key, keeps the
recovery codes, and logs in again in two steps: the password, then the app's code."""

import os
import re
import time

import pytest

from chibo.accounts import totp
from chibo.accounts.models import Role, SecondFactor
from chibo.org.models import Kind, SecondFactorRule
from chibo.testing import factories as f

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("CHIBO_E2E_SHOTS")  # a folder to keep the screenshots in, to look at


@pytest.fixture
def office(transactional_db):
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    SecondFactorRule.objects.create(unit=province)
    return f.user(
        username="vanphong", first_name="Lê Thị", last_name="Lan", grants=[(Role.OFFICE, base)]
    )


def shot(page, name: str, width: int) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


class Clock:
    """accounts.totp's clock, `ahead` seconds ahead of the real one: the live server runs in
    this process, so the test can move both the server's and the "app's" time on 30 seconds
    instead of waiting for them (a code works once: the login's must be a later step's)."""

    ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(totp, "time", c)
    return c


@pytest.mark.parametrize("width", [360, 1280])
def test_enrol_then_log_in_in_two_steps(live_server, browser, office, clock, width):
    url = live_server.url
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "vanphong")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("form button[type=submit]")
    # Required by the province: the enrolment before anything else.
    page.wait_for_url(f"{url}/accounts/two-step/")
    assert page.locator("#two-step-required").is_visible()
    assert page.locator("svg.totp-qr").is_visible()
    shot(page, "enrol", width)
    page.goto(f"{url}/org/")
    assert page.url == f"{url}/accounts/two-step/"
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("input[name=code]", totp.code_at(secret, clock.time()))
    page.click("form button[type=submit]")
    page.wait_for_url(f"{url}/accounts/two-step/codes/")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    shot(page, "codes", width)
    page.click("main a.btn-danger")
    page.wait_for_url(f"{url}/accounts/")
    shot(page, "account", width)
    assert SecondFactor.objects.filter(user=office).exists()

    # Log out, and in again: the password, then the code.
    context.clear_cookies()
    page.goto(f"{url}/accounts/login/?next=/org/")
    page.fill("input[name=username]", "vanphong")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{url}/accounts/login/code/")
    shot(page, "code-step", width)
    page.fill("input[name=code]", "000000")
    page.click("form button[type=submit]")
    assert page.locator("#id_code_error").is_visible()
    clock.ahead += totp.STEP_SECONDS
    page.fill("input[name=code]", totp.code_at(secret, clock.time()))
    page.click("form button[type=submit]")
    page.wait_for_url(f"{url}/org/")
    shot(page, "in", width)
    context.close()
