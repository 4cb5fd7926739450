"""The Content-Security-Policy in a real browser: the main pages on a 360 px phone (home, the
member list, a member, a meeting, the figures with their Chart.js charts, the API's docs, the
admin) load with no violation reported, their scripts run (the charts are drawn, a delete asks
first, the language select submits itself), and a screenshot of each is kept for a look
(CHIBO_SCREENSHOTS=folder)."""

import os
from pathlib import Path

import pytest

from chibo.accounts.models import RoleGrant
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.org.models import Ancestry

from .conftest import log_in

pytestmark = pytest.mark.e2e

# Every violation the page reports, whatever the console says (added before any page script).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(
    [e.violatedDirective, e.blockedURI || "inline", e.sourceFile + ":" + e.lineNumber].join(" ")
  );
});
"""


def visit(page, url: str, name: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    folder = os.environ.get("CHIBO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
    assert page.evaluate("window.__csp") == [], name
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 or name in {"api-docs", "admin"}, (name, width)


def test_the_main_pages_break_no_rule_of_the_policy(live_server, browser, demo_site):
    commune = RoleGrant.objects.select_related("unit").get(user__username="commune").unit
    cells = Ancestry.objects.filter(ancestor=commune).values("descendant_id")
    meeting = Meeting.objects.filter(cell_id__in=cells).order_by("-planned_at").first()
    member = Member.objects.filter(placements__unit_id__in=cells).first()
    assert meeting and member

    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", bypass_csp=False
    )
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    url = live_server.url
    log_in(page, url, "commune", "commune-demo")
    visit(page, f"{url}/", "home", "main")
    visit(page, f"{url}/members/", "members", "main table")
    visit(page, f"{url}/members/{member.pk}/", "member", "main h1")
    visit(page, f"{url}/meetings/{meeting.pk}/", "meeting", "#meeting-bar")
    visit(page, f"{url}/reports/{commune.pk}/", "reports", "canvas[data-drawn]")
    visit(page, f"{url}/api/v1/docs", "api-docs", ".swagger-ui .info")

    # chibo.js: the delete button asks first (dismissed: nothing deleted, still here).
    page.goto(f"{url}/members/{member.pk}/")
    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("form[data-confirm] button")
    assert questions and questions[0].startswith("Xóa"), questions
    assert page.url.endswith(f"/members/{member.pk}/")
    # The language select submits its form when changed.
    page.select_option("#lang", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.evaluate("window.__csp") == []
    assert console == []
    context.close()


def test_the_admin_login(live_server, browser, national_data):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", bypass_csp=False
    )
    context.add_init_script(WATCH)
    page = context.new_page()
    visit(page, f"{live_server.url}/admin/login/", "admin", "#login-form")
    context.close()
