"""In a real browser on a phone-sized screen: log in, find a member without diacritics,
open the member's page."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from chibo.accounts.models import Role
from chibo.org.models import Kind
from chibo.testing import factories as f

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(transactional_db):
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    hung = f.member(cell, full_name="Nguyễn Văn Hùng", admitted_on=dt.date(2015, 3, 2))
    for i in range(30):
        f.member(cell, full_name=f"Trần Văn Khác {i}")
    f.user(username="vanphong", grants=[(Role.OFFICE, base)])
    return hung


def test_log_in_search_open_member(live_server, page, data):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill("vanphong")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/members/")
    search = page.get_by_label("Tìm theo tên")
    search.fill("nguyen van hung")
    # HTMX replaces the results as the user types; wait for the single match.
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    link = page.get_by_role("link", name="Nguyễn Văn Hùng")
    assert link.is_visible()
    # The search is in the address, so Back and sharing the link work.
    assert parse_qs(urlparse(page.url).query)["q"] == ["nguyen van hung"]
    link.click()
    page.wait_for_url(f"{live_server.url}/members/{data.pk}/")
    assert page.get_by_role("heading", name="Nguyễn Văn Hùng").is_visible()
    assert page.get_by_text("02/03/2015").first.is_visible()
    # Nothing overflows a 360 px wide phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
